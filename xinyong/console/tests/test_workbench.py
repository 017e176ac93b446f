"""The workbench (issue 16): per role, exactly the items due on a known world (tests/support/workbench.py),
scoped as the API scopes them, with their deadlines in working days; filters and the CSV export."""

import csv
import io

import pytest
from django.test import Client

from tests.support.otp import verified_login
from tests.support.workbench import SEEN_AT
from xinyong.accounts.actors import user_actor
from xinyong.console.workbench.queues import workbench_items
from xinyong.workdays.selectors import calendar_warnings

pytestmark = pytest.mark.django_db
ALERT = "警告：2027 年节假日安排尚未载入，涉及 2027 年的工作日计算按仅周末处理并标记为临时（provisional）"


def items_of(user):
    return [
        (i.kind, i.ref, i.due.state, i.due.text)
        for i in workbench_items(actor=user_actor(user, ""), now=SEEN_AT)
    ]


def test_a_reviewer_has_the_proposal_the_objection_to_accept_and_the_credit_office_alerts(world):
    assert calendar_warnings(today=SEEN_AT.date()) == [ALERT]
    assert items_of(world.reviewer) == [
        ("objection_accept", f"异议 {world.objection.pk}", "near", "剩 1 个工作日"),
        ("list_review", f"名单条目 {world.entry.pk}", "none", "—"),
        ("data_alert", "提醒 1", "none", "—"),
    ]


def test_the_deciding_units_officer_reviews_the_proposal_and_verifies_its_objection_only(world):
    assert items_of(world.gsj_officer) == [
        ("objection_verify", f"异议 {world.accepted.pk}", "open", "剩 9 个工作日"),
        ("list_review", f"名单条目 {world.entry.pk}", "none", "—"),
    ]


def test_another_units_officer_has_nothing_of_theirs(world):
    assert items_of(world.czj_officer) == []


def test_overdue_is_counted_in_working_days_after_the_deadline(world, clock):
    clock.set(SEEN_AT.replace(month=10, day=13))  # Tue: accept_due Fri 10-09 passed; Sat 10-10 was worked
    items = workbench_items(actor=user_actor(world.reviewer, ""), now=clock())
    first = items[0]
    assert (first.kind, first.due.state, first.due.working_days, first.due.text) == (
        "objection_accept", "overdue", 3, "逾期 3 个工作日")  # fmt: skip


def page(user, query=""):
    return verified_login(Client(), user).get(f"/console/{query}")


def test_the_page_lists_the_items_with_their_marks_and_actions(world):
    answer = page(world.reviewer)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "待办 3 项，其中<strong>已逾期 0 项</strong>、即将到期 1 项" in body
    assert '<span class="badge badge-flag">即将到期</span> 剩 1 个工作日' in body
    assert f'href="/console/objections/{world.objection.pk}/accept/">受理或不予受理' in body
    assert f'href="/console/lists/{world.entry.pk}/review/">审核' in body
    assert "北京华信科技有限公司（" in body


def test_filters_keep_one_kind_or_one_due_state(world):
    body = page(world.reviewer, "?kind=list_review").content.decode()
    assert f'data-ref="名单条目 {world.entry.pk}"' in body and 'data-kind="objection_accept"' not in body
    body = page(world.reviewer, "?due=near").content.decode()
    assert 'data-kind="objection_accept"' in body and 'data-kind="list_review"' not in body
    body = page(world.reviewer, "?due=overdue").content.decode()
    assert "没有符合筛选条件的待办事项。" in body


def test_the_credit_office_filters_by_unit_and_a_unit_officer_has_no_unit_filter(world):
    body = page(world.reviewer, "?unit=bj-caizhengju").content.decode()
    assert 'name="unit"' in body and "没有符合筛选条件的待办事项。" in body
    body = page(world.reviewer, "?unit=bj-gongshangju").content.decode()
    assert 'data-kind="objection_accept"' in body and 'data-kind="data_alert"' not in body
    assert 'name="unit"' not in page(world.gsj_officer).content.decode()


def test_an_unknown_filter_value_is_refused_in_chinese_and_shows_everything(world):
    body = page(world.reviewer, "?kind=nonsense").content.decode()
    assert "选择一个有效的选项" in body and 'data-kind="list_review"' in body


def test_the_csv_export_has_a_bom_a_chinese_header_and_the_filtered_rows(world):
    answer = verified_login(Client(), world.reviewer).get("/console/workbench.csv?kind=objection_accept")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == 'attachment; filename="workbench-20261008.csv"'
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["事项类型", "事项", "主体", "单位", "状态", "期限", "到期情况", "标记", "办理页面"]
    assert rows[1][0] == "异议待受理" and rows[1][1].startswith(
        f"异议 {world.objection.pk} 信用信息：信息有误"
    )
    assert rows[1][3:] == [
        "市工商局",
        "已提交",
        "2026-10-09 23:59",
        "剩 1 个工作日",
        "即将到期",
        f"http://testserver/console/objections/{world.objection.pk}/accept/",
    ]
    assert len(rows) == 2


def test_the_credit_office_has_the_units_late_verifications_as_escalations(world, clock):
    from xinyong.core.actor import Actor
    from xinyong.remedies.services import objections_escalate

    clock.set(SEEN_AT.replace(day=21))  # Wed 10-21: the verification was due Tue 10-20, acceptance Fri 10-09
    assert objections_escalate(actor=Actor.system(), now=clock()) == 2
    reviewer = [
        (i.kind, i.ref, i.due.text)
        for i in workbench_items(actor=user_actor(world.reviewer, ""), now=clock())
    ]
    assert reviewer == [
        ("objection_accept", f"异议 {world.objection.pk}", "逾期 9 个工作日"),
        ("objection_escalated", f"异议 {world.accepted.pk}", "逾期 1 个工作日"),
        ("list_review", f"名单条目 {world.entry.pk}", "—"),
        ("data_alert", "提醒 1", "—"),
    ]
    assert [i.kind for i in workbench_items(actor=user_actor(world.gsj_officer, ""), now=clock())] == [
        "objection_verify", "list_review"]  # fmt: skip
