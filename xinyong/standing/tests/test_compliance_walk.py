"""The scripted walk of issue 11: a serious penalty is imported, proposed for the 市场监督管理严重违法失信名单,
reviewed by another person, the notice sent, the statement period waived by the subject, decided and
published; `xinyong report CODE --kind compliance` then shows the entry in the 严重失信主体名单记录 section (it
said 未发现 before issue 11). After the entry exits by repair and the penalty is repaired, the report says 未发现
again. Runs on SQLite and on PostgreSQL like every test."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.support.lists import APPROVED_AT, DECIDER, REMEDY, REVIEWER, propose
from tests.support.records import COMPANY
from tests.support.remedies import GSJ, PDF, account_for, certificate, repair_commitment
from tests.support.reports import pdf_text
from xinyong.lists import services as lists
from xinyong.lists.models import Notice
from xinyong.remedies import services as remedies

SERIOUS_NONE = "本平台未发现该主体的严重失信主体名单记录"
PENALTIES_NONE = "本平台未发现该主体的行政处罚记录"


def _compliance_report(tmp_path, name) -> str:
    out = tmp_path / f"{name}.pdf"
    call_command("report", COMPANY, "--kind", "compliance", "-o", str(out))
    return "".join(pdf_text(out.read_bytes()).split())  # the PDF wraps lines anywhere: compare without spaces


def _repair(subject, own, kind, target_id, now, certificate_no):
    repair_commitment(subject, own, target_kind=kind, target_id=target_id)
    repair = remedies.repair_apply(
        actor=own, target_kind=kind, target_id=target_id, statement="已履行行政处罚决定并完成整改",
        applicant_name="张伟", evidence=[PDF], certificate_no=certificate_no, now=now,
    )  # fmt: skip
    remedies.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="材料齐全", now=now)
    return remedies.repair_decide(actor=GSJ, repair_id=repair.pk, approve=True, reason="准予修复", now=now)


@pytest.mark.django_db
def test_the_compliance_report_follows_the_list_entry_through_due_process(
    company, penalty, remedies_reference, tmp_path
):
    assert SERIOUS_NONE in _compliance_report(tmp_path, "before")

    own = account_for(company)
    entry = propose(company, [penalty])
    lists.list_entry_review(actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT)
    assert Notice.objects.filter(entry=entry, kind="notice").count() == 1  # 告知书 sent on approval
    waived_at = APPROVED_AT + dt.timedelta(days=1)
    lists.list_entry_statement(actor=own, entry_id=entry.pk, text="", waive=True, now=waived_at)
    lists.list_entry_decide(
        actor=DECIDER, entry_id=entry.pk, remedy=REMEDY, now=waived_at + dt.timedelta(hours=2)
    )
    entry = lists.list_entry_publish(actor=DECIDER, entry_id=entry.pk, now=waived_at + dt.timedelta(hours=3))

    listed = _compliance_report(tmp_path, "listed")
    assert SERIOUS_NONE not in listed
    assert "严重失信主体名单记录（1条）" in listed
    assert "列入市场监督管理严重违法失信名单" in listed
    assert "认定单位市市场监管局" in listed  # the name in force on the report date
    assert "《市场监督管理严重违法失信名单管理办法》第二条" in listed
    assert "严重失信主体名单记录发现1条" in listed  # the summary table

    now, certificate_no = timezone.now(), certificate(company)
    _repair(company, own, "list_entry", entry.pk, now, certificate_no)
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason) == ("exited", "repair")
    _repair(company, own, "record", penalty.pk, now, certificate_no)

    repaired = _compliance_report(tmp_path, "repaired")
    assert SERIOUS_NONE in repaired and PENALTIES_NONE in repaired
    assert "列入市场监督管理严重违法失信名单" not in repaired
