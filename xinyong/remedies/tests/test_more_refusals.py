"""The remaining refusals of objections and repairs, each with its exact code and message, an objection to a
rejected repair that reopens it, and the per-unit statistics with an overdue and a late verification."""

import pytest

from tests.support.lists import entry_in
from tests.support.remedies import (
    ACCEPTED_AT,
    APPLIED_AT,
    CHECKED_AT,
    DECIDED_AT,
    FILED_AT,
    GSJ,
    PDF,
    REVIEWER,
    SYSTEM,
    accepted,
    apply,
    bj,
    certificate,
    file,
    repair_commitment,
    verify,
)
from xinyong.core.errors import DomainError
from xinyong.records.flags import record_repair
from xinyong.records.models import Record
from xinyong.records.services import records_sweep
from xinyong.remedies import selectors, services


def refused(fn, *args, **kw) -> tuple[str, str]:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kw)
    return caught.value.code, caught.value.message


def test_objection_refusals_left(own, penalty):
    assert refused(file, own, 999999) == ("record.not_found", "信用信息 999999 不存在")
    assert refused(file, own, 999999, target_kind="list_entry") == (
        "list_entry.not_found",
        "名单条目 999999 不存在",
    )
    assert refused(file, own, 999999, target_kind="repair") == (
        "repair.not_found",
        "信用修复申请 999999 不存在",
    )
    objection = accepted(file(own, penalty.pk))
    assert refused(
        services.objection_verify,
        actor=GSJ,
        objection_id=objection.pk,
        outcome="upheld",
        verification=" ",
        now=ACCEPTED_AT,
    ) == ("objection.verification_required", "请填写核实意见")
    verify(objection, "upheld")
    assert refused(
        services.objection_reply, actor=REVIEWER, objection_id=objection.pk, reply="", now=ACCEPTED_AT
    ) == ("objection.reply_required", "请填写书面答复内容")


def test_a_repaired_record_takes_no_objection(own, penalty):
    record_repair(actor=REVIEWER, record_id=penalty.pk, repair_id=1, now=FILED_AT)
    assert refused(file, own, penalty.pk) == (
        "objection.target_closed",
        f"信用信息 {penalty.pk} 已信用修复，不再公示，不能对其提出异议",
    )


def test_an_objection_to_a_rejected_repair_reopens_it(own, company, penalty, entry):
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    repair = apply(own, penalty.pk, certificate_no=certificate(company))
    assert refused(file, own, repair.pk, target_kind="repair") == (
        "objection.repair_not_rejected",
        "只能对不予修复的决定提出异议",
    )
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    services.repair_decide(actor=GSJ, repair_id=repair.pk, approve=False, reason="整改不到位", now=DECIDED_AT)
    objection = file(own, repair.pk, target_kind="repair", grounds="error", now=bj(2026, 11, 9, 10))
    repair.refresh_from_db()
    assert repair.objection_since == bj(2026, 11, 9, 10)
    services.objection_accept(actor=REVIEWER, objection_id=objection.pk, now=bj(2026, 11, 10, 10))
    services.objection_verify(
        actor=GSJ,
        objection_id=objection.pk,
        outcome="corrected",
        verification="重新决定",
        now=bj(2026, 11, 11, 10),
    )
    repair.refresh_from_db()
    assert (repair.state, repair.decided_by, repair.objection_since) == ("checked", "", None)
    assert list(repair.transitions.values_list("action", flat=True)) == ["apply", "check", "reject", "reopen"]
    assert (
        services.repair_decide(
            actor=GSJ, repair_id=repair.pk, approve=True, reason="同意", now=bj(2026, 11, 12, 10)
        ).state
        == "approved"
    )


def test_repair_refusals_left(own, company, penalty):
    with pytest.raises(DomainError) as caught:
        services.repair_apply(
            actor=own,
            target_kind="record",
            target_id=penalty.pk,
            statement="已整改",
            applicant_name=" ",
            evidence=[PDF],
            certificate_no="",
            now=APPLIED_AT,
        )
    assert (caught.value.code, caught.value.message) == ("repair.applicant_required", "请填写申请人")
    records_sweep(actor=SYSTEM, now=bj(2028, 10, 1, 10))  # past the serious penalty's three-year maximum
    assert refused(apply, own, penalty.pk, now=bj(2028, 10, 1, 10)) == (
        "repair.not_public",
        "该信息公示期满，不在公示中，无需信用修复",
    )


def test_entries_that_cannot_be_repaired(own, company, penalty, remedies_reference):
    rejected = entry_in("rejected", company, [penalty])
    assert refused(apply, own, rejected.pk, target_kind="list_entry") == (
        "repair.entry_not_listed",
        f"名单条目 {rejected.pk} 不是已公布的失信类名单条目，无需信用修复",
    )


def test_an_entry_under_objection_and_the_decision_reason(own, company, penalty, entry):
    file(own, entry.pk, target_kind="list_entry")
    assert refused(apply, own, entry.pk, target_kind="list_entry") == (
        "repair.under_objection",
        "该名单条目异议处理中，异议办结后方可申请信用修复",
    )
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    repair = apply(own, penalty.pk, certificate_no=certificate(company))
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    assert refused(
        services.repair_decide, actor=GSJ, repair_id=repair.pk, approve=True, reason="", now=DECIDED_AT
    ) == ("repair.reason_required", "修复决定须说明理由")


def test_a_not_repairable_list(own, company, penalty, remedies_reference):
    from xinyong.lists.models import ListType

    ListType.objects.filter(code="scjg-yzsx").update(repairable=False)
    from tests.support.lists import propose, walk

    listed = walk(propose(company, [penalty]), "published")
    assert refused(apply, own, listed.pk, target_kind="list_entry") == (
        "repair.not_repairable",
        "市场监督管理严重违法失信名单不适用信用修复",
    )


def test_a_certificate_of_a_course_the_list_does_not_recognise(own, company, penalty, entry):
    from xinyong.commitments import services as commitments
    from xinyong.core.actor import Actor

    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    czj = Actor(label="token:czj00041", unit_code="bj-caizhengju", roles=frozenset({"data_officer"}))
    enrolment = commitments.course_enrol(
        actor=czj, course_code="zfcg-xyxf-online", subject_id=company.pk, now=bj(2026, 10, 27, 9)
    )
    done = commitments.enrolment_complete(actor=czj, enrolment_id=enrolment.pk, now=bj(2026, 10, 28, 9))
    code, message = refused(apply, own, penalty.pk, certificate_no=done.certificate_no)
    assert code == "repair.conditions_not_met"
    assert message == (
        f"不符合信用修复条件：已完成信用修复培训——培训证书 {done.certificate_no}（{done.course.title}）"
        "不是“市场监督管理严重违法失信名单”认可的信用修复培训"
    )


def test_statistics_count_overdue_and_late_verifications(own, penalty, remedies_reference):
    from tests.support.records import cf_row
    from tests.support.remedies import receive

    receive(
        [cf_row(CF_WSH="京工商罚字〔2026〕第9号", CF_JDRQ="2026-09-01", XY_YZCD="一般")],
        key="second",
        now=bj(2026, 9, 2, 10),
    )
    second = Record.objects.get(doc_no="京工商罚字〔2026〕第9号")
    late = accepted(file(own, penalty.pk))
    services.objection_verify(
        actor=GSJ, objection_id=late.pk, outcome="upheld", verification="核实", now=bj(2026, 10, 21, 9)
    )  # the deadline was Tue 10-20
    file(own, second.pk)  # never accepted: overdue from Sat 10-10
    rows = selectors.objection_stats(now=bj(2026, 10, 21, 10))
    assert rows == [
        {
            "unit": "bj-gongshangju",
            "unit_name": "市工商局",
            "received": 2,
            "open": 1,
            "overdue": 1,
            "verified": 1,
            "verified_late": 1,
            "on_time_rate": 0.0,
        }
    ]


def test_a_checked_application_cannot_be_checked_again(own, company, penalty, entry):
    """Found by the state machine: failing the check of an already checked application went to a decision by
    the checker itself (the database's four-eyes constraint answered with an error)."""
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    repair = apply(own, penalty.pk, certificate_no=certificate(company))
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    for passed in (True, False):
        assert refused(
            services.repair_check,
            actor=REVIEWER,
            repair_id=repair.pk,
            passed=passed,
            reason="复核",
            now=DECIDED_AT,
        ) == (
            "repair.invalid_transition",
            f"信用修复申请 {repair.pk} 当前状态为“初审通过，待认定单位决定”，不能初审通过",
        )
