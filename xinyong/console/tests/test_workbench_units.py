"""The workbench of a unit's officers (issue 16) on the measures tests' world (tests/support/measures.py): a
case officer's checks with feedback due or overdue and its unread pushes; a data officer's submissions with
rejected rows or records past the deadline; failed pushes for the credit office."""

import datetime as dt

import pytest

from tests.support.measures import (  # noqa: F401 - fixtures
    NOW,
    list_types,
    listed_company,
    memoranda,
    officer_of,
    reference,
    submit_penalties,
)
from tests.support.records import cf_row
from tests.support.workbench import officer_make
from xinyong.accounts.actors import user_actor
from xinyong.accounts.models import Unit
from xinyong.console.workbench.queues import workbench_items
from xinyong.intake.models import Submission
from xinyong.lists.models import ListEntry
from xinyong.measures.services import check_run
from xinyong.pushes.models import Push

pytestmark = pytest.mark.django_db


def items(user, now):
    return [
        (i.kind, i.ref, i.due.state, i.due.text) for i in workbench_items(actor=user_actor(user, ""), now=now)
    ]


def push_make(unit_code: str, event: str = "list_entry.published", **kw) -> Push:
    unit, entry = Unit.objects.get(code=unit_code), ListEntry.objects.order_by("pk").first()
    return Push.objects.create(unit=unit, entry=entry, event=event, payload={}, created_at=NOW, **kw)


def test_a_case_officer_has_its_units_checks_awaiting_feedback_and_its_unread_pushes(listed_company):  # noqa: F811
    from tests.support.records import COMPANY

    check = check_run(
        actor=officer_of("bj-caizhengju"),
        matter_code="政府采购",
        case_number="C-1",
        identifiers=[COMPANY],
        now=NOW,
    )
    unread, _ = push_make("bj-caizhengju"), push_make("bj-caizhengju", "list_entry.exited", read_at=NOW)
    push_make("bj-zhujianwei")
    officer = officer_make("wang", "bj-caizhengju", "case_officer", "王经办")
    due = check.feedback_due
    assert items(officer, NOW) == [
        (
            "check_feedback",
            f"核查 {check.check_id}",
            "open",
            "剩 10 个工作日",
        ),  # 失信被执行人: 10 working days
        ("push_unread", f"推送 {unread.pk}", "none", "—"),
    ]
    after = due + dt.timedelta(seconds=1)
    assert items(officer, after)[0][2:] == ("overdue", "逾期 1 个工作日")  # the next working day began
    data_officer = officer_make("zhao", "bj-caizhengju", "data_officer", "赵报送")
    assert items(data_officer, NOW) == []  # checks and pushes are the case officers'


def test_a_data_officer_has_its_submissions_with_rejected_rows_or_late_records(listed_company):  # noqa: F811
    submit_penalties([cf_row(CF_WSH="京工商罚字〔2026〕第5号", CF_XDR_SHXYM="123")], key="bad")
    bad = Submission.objects.get(idempotency_key="bad")
    late = Submission.objects.get(idempotency_key="k1")
    assert (bad.rejected, late.late) == (1, 1)
    officer = officer_make("zhou", "bj-gongshangju", "data_officer", "周报送")
    assert items(officer, NOW) == [
        ("submission_rejected", f"批次 {bad.pk}", "none", "—"),
        ("submission_late", f"批次 {late.pk}", "none", "—"),
    ]
    other = officer_make("wu", "bj-caizhengju", "data_officer", "吴报送")
    assert items(other, NOW) == []
    assert items(officer, NOW + dt.timedelta(days=31)) == []  # only the last 30 days


def test_the_credit_office_has_every_units_failed_pushes(listed_company):  # noqa: F811
    failed = push_make("bj-caizhengju", webhook_status="failed", last_error="HTTP 503")
    push_make("bj-caizhengju", "list_entry.exited", webhook_status="delivered")
    auditor = officer_make("sun", "bj-jingxinwei", "auditor", "孙审计")
    found = [i for i in workbench_items(actor=user_actor(auditor, ""), now=NOW) if i.kind != "data_alert"]
    assert [(i.kind, i.ref, i.what, i.unit_name) for i in found] == [
        ("push_failed", f"推送 {failed.pk}", "名单公布：HTTP 503", "市财政局")
    ]
    officer = officer_make("wang", "bj-caizhengju", "case_officer", "王经办")
    assert [i.kind for i in workbench_items(actor=user_actor(officer, ""), now=NOW)] == ["push_unread"] * 2
