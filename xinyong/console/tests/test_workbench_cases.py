"""The workbench's repair applications (issue 16) on the remedies tests' world: the credit office checks what
was applied for, the deciding unit decides what was checked, each by its deadline in working days."""

import pytest

from tests.support.remedies import APPLIED_AT, CHECKED_AT, apply, certificate, entry, repair_commitment  # noqa: F401
from tests.support.workbench import officer_make
from xinyong.accounts.actors import user_actor
from xinyong.console.workbench.queues import workbench_items
from xinyong.remedies import services

pytestmark = pytest.mark.django_db


def repairs(user, now):
    found = workbench_items(actor=user_actor(user, ""), now=now)
    return [(i.kind, i.ref, i.deadline, i.due.state) for i in found if i.kind.startswith("repair_")]


def test_the_credit_office_checks_and_the_deciding_unit_decides(own, company, penalty, entry):  # noqa: F811
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    repair = apply(own, penalty.pk, certificate_no=certificate(company))
    reviewer = officer_make("shen", "bj-jingxinwei", "reviewer", "沈审核")
    gsj = officer_make("zhang", "bj-gongshangju", "case_officer", "张经办")
    czj = officer_make("li", "bj-caizhengju", "case_officer", "李经办")
    ref = f"修复申请 {repair.pk}"
    assert repairs(reviewer, APPLIED_AT) == [("repair_check", ref, repair.overall_due, "open")]
    assert repairs(gsj, APPLIED_AT) == []
    checked = services.repair_check(
        actor=user_actor(reviewer, ""), repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT
    )
    deadline = min(checked.decide_due, checked.overall_due)
    assert repairs(reviewer, CHECKED_AT) == []
    assert repairs(gsj, CHECKED_AT) == [("repair_decide", ref, deadline, "open")]
    assert repairs(czj, CHECKED_AT) == []
