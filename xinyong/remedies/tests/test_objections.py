"""Objections through the services: every transition, the flag on the target, deadlines in working days across
the 2026 National Day holiday, the escalation sweep, and every refusal with its exact message."""

import pytest

from tests.support.records import cf_row
from tests.support.remedies import (
    ACCEPT_DUE,
    ACCEPTED_AT,
    CZJ,
    DECIDER,
    FILED_AT,
    GSJ,
    PDF,
    REPLIED_AT,
    REVIEWER,
    STRANGER,
    VERIFIED_AT,
    VERIFY_DUE,
    accepted,
    bj,
    file,
    receive,
    verify,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.core.evidence import Upload
from xinyong.lists.models import ListEntry
from xinyong.lists.services import list_entry_exit
from xinyong.records.models import Record, RecordStatus
from xinyong.remedies import services
from xinyong.remedies.models import Objection


def refusal(fn, *args, **kw) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kw)
    return caught.value


def status(record) -> str:
    return Record.objects.get(pk=record.pk).status


def test_filing_flags_the_record_at_once_with_a_working_day_deadline(own, penalty):
    objection = file(own, penalty.pk)
    assert (objection.state, objection.subject_id, objection.provider_unit.code) == (
        "submitted", penalty.subject_id, "bj-gongshangju")  # fmt: skip
    assert objection.accept_due == ACCEPT_DUE  # Wed 09-30 + 2 working days over the holiday → Fri 10-09
    assert objection.query_code.startswith("YY-") and len(objection.evidence) == 1
    assert status(penalty) == RecordStatus.UNDER_OBJECTION
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["record.objection_flag", "objection.file"]


def test_accept_sets_the_verification_deadline_capped_by_twenty_calendar_days(own, penalty):
    objection = accepted(file(own, penalty.pk))
    assert objection.state == "with_provider"
    # 10 working days from Fri 10-09 would be Thu 10-22; 20 calendar days from filing end Tue 10-20
    assert objection.verify_due == VERIFY_DUE


def test_upheld_removes_the_flag_and_the_reply_ends_it(own, penalty):
    objection = verify(accepted(file(own, penalty.pk)), "upheld")
    assert (objection.state, objection.verification) == ("upheld", "经核实")
    assert status(penalty) == RecordStatus.PUBLISHED
    replied = services.objection_reply(
        actor=REVIEWER, objection_id=objection.pk, reply="经核实信息无误", now=REPLIED_AT
    )
    assert (replied.state, replied.reply) == ("replied", "经核实信息无误")
    actions = list(replied.transitions.values_list("action", "from_state", "to_state"))
    assert actions == [
        ("file", "", "submitted"),
        ("accept", "submitted", "with_provider"),
        ("uphold", "with_provider", "upheld"),
        ("reply", "upheld", "replied"),
    ]


def test_unresolved_keeps_the_flag_even_after_the_reply(own, penalty):
    objection = verify(accepted(file(own, penalty.pk)), "unresolved")
    services.objection_reply(
        actor=REVIEWER, objection_id=objection.pk, reply="无法核实，保留异议标注", now=REPLIED_AT
    )
    assert status(penalty) == RecordStatus.UNDER_OBJECTION
    # a second objection on the same decision is refused while the unresolved one holds the flag
    error = refusal(file, own, penalty.pk)
    assert (error.code, error.message) == (
        "objection.already_open",
        f"该对象已有正在办理的异议（异议 #{objection.pk}），请等待其办结",
    )


def test_corrected_needs_the_new_version_first(own, penalty):
    objection = accepted(file(own, penalty.pk))
    error = refusal(verify, objection, "corrected")
    assert (error.code, error.message) == (
        "objection.correction_missing",
        "尚未收到更正后的信息：请先通过归集报送更正（或撤回）该信息，再登记“已更正”",
    )
    receive(
        [
            cf_row(
                CF_WSH=penalty.doc_no,
                CF_JDRQ="2025-09-20",
                XY_YZCD="严重",
                CF_NR_FK="1",
                CF_NR="罚款人民币一万元",
            )
        ],
        key="correction",
        now=bj(2026, 10, 12, 9),
    )
    current = Record.objects.get(doc_no=penalty.doc_no, is_current=True)
    assert current.status == RecordStatus.UNDER_OBJECTION  # the flag followed the correction
    assert verify(objection, "corrected").state == "corrected"
    assert status(current) == RecordStatus.PUBLISHED


def test_refusal_is_the_reply_and_removes_the_flag(own, penalty):
    objection = file(own, penalty.pk)
    refused = services.objection_refuse(
        actor=REVIEWER, objection_id=objection.pk, reason="异议内容与该信息无关", now=ACCEPTED_AT
    )
    assert (refused.state, refused.reply, refused.replied_at) == (
        "refused",
        "异议内容与该信息无关",
        ACCEPTED_AT,
    )
    assert status(penalty) == RecordStatus.PUBLISHED


def test_list_entry_objection_flags_the_entry_and_correction_needs_its_exit(own, entry):
    objection = accepted(file(own, entry.pk, target_kind="list_entry", grounds="wrong_authority"))
    assert ListEntry.objects.get(pk=entry.pk).objection_since == FILED_AT
    error = refusal(verify, objection, "corrected", actor=DECIDER)
    assert (error.code, error.message) == (
        "objection.correction_missing",
        "名单条目仍然有效：请先撤回或移出该条目，再登记“已更正”",
    )
    list_entry_exit(
        actor=DECIDER, entry_id=entry.pk, reason_code="revocation", reason="认定有误，撤销", now=VERIFIED_AT
    )
    assert verify(objection, "corrected", actor=DECIDER).state == "corrected"
    assert ListEntry.objects.get(pk=entry.pk).objection_since is None


def test_escalation_once_per_overdue_objection(own, penalty):
    objection = file(own, penalty.pk)
    assert (
        services.objections_escalate(actor=REVIEWER, now=ACCEPT_DUE) == 0
    )  # the last second is still in time
    late = bj(2026, 10, 10, 0, 0, 1)
    assert services.objections_escalate(actor=REVIEWER, now=late) == 1
    assert services.objections_escalate(actor=REVIEWER, now=late) == 0
    assert Objection.objects.get(pk=objection.pk).escalated_at == late
    event = AuditEvent.objects.get(action="objection.escalate")
    assert event.reason == "逾期未受理，提请信用办督办"


# ── refusals ─────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("actor_name", "kw", "code", "message"),
    [
        ("stranger", {}, "objection.not_subject", "只有信用主体本人或其授权代理人可以提出异议"),
        ("stranger", {"agent_name": "北京某律师事务所"}, "objection.authorisation_required",
         "代理人提出异议须上传授权委托书"),
        ("officer", {"evidence": []}, "objection.written_application_required",
         "代为登记书面异议须上传异议申请书扫描件"),
        ("anonymous", {}, "objection.login_required", "请以信用主体账户或代理人账户登录后提出异议"),
    ],
)  # fmt: skip
def test_who_may_file(penalty, remedies_reference, actor_name, kw, code, message):
    from xinyong.core.actor import Actor

    actor = {"stranger": STRANGER, "officer": CZJ, "anonymous": Actor.anonymous()}[actor_name]
    error = refusal(file, actor, penalty.pk, **kw)
    assert (error.code, error.message) == (code, message)
    assert Objection.objects.count() == 0 and status(penalty) == RecordStatus.PUBLISHED


def test_an_agent_with_a_power_of_attorney_and_an_officer_with_the_scan_may_file(penalty, remedies_reference):
    agent = file(
        STRANGER,
        penalty.pk,
        agent_name="北京某律师事务所",
        authorisation=[Upload("授权委托书.pdf", PDF.data)],
    )
    assert (agent.agent_name, len(agent.agent_authorisation)) == ("北京某律师事务所", 1)


def test_field_refusals(own, penalty):
    cases = [
        (dict(grounds="angry"), "objection.grounds_invalid",
         "异议理由只能是 error、omission、duplicate、not_publishable、past_period、wrong_authority、other"),
        (dict(target_kind="person"), "objection.target_kind_invalid",
         "异议对象只能是 record、list_entry、publication、repair"),
        (dict(description="  "), "objection.description_required", "请说明异议的具体内容"),
        (dict(applicant_name=""), "objection.applicant_required", "请填写申请人"),
    ]  # fmt: skip
    for kw, code, message in cases:
        error = refusal(file, own, penalty.pk, **kw)
        assert (error.code, error.message) == (code, message)


def test_transition_refusals(own, penalty):
    objection = file(own, penalty.pk)
    error = refusal(services.objection_accept, actor=GSJ, objection_id=objection.pk, now=ACCEPTED_AT)
    assert (error.code, error.message) == ("objection.reviewer_only", "只有信用办审核员可以受理")
    error = refusal(verify, objection, "upheld")
    assert (error.code, error.message) == (
        "objection.invalid_transition",
        f"异议 {objection.pk} 当前状态为“已提交”，不能登记维持原信息",
    )
    accepted(objection)
    error = refusal(verify, objection, "upheld", actor=CZJ)
    assert (error.code, error.message) == (
        "objection.wrong_unit", "只有市工商局的工作人员或信用办审核员可以登记维持原信息")  # fmt: skip
    error = refusal(verify, objection, "maybe")
    assert (error.code, error.message) == (
        "objection.outcome_invalid", "核实结果只能是 corrected（已更正）、upheld（维持）或 unresolved（无法核实）")  # fmt: skip
    error = refusal(
        services.objection_refuse, actor=REVIEWER, objection_id=objection.pk, reason=" ", now=VERIFIED_AT
    )
    assert (error.code, error.message) == ("objection.reason_required", "不予受理须说明理由")
    error = refusal(
        services.objection_reply, actor=REVIEWER, objection_id=objection.pk, reply="x", now=VERIFIED_AT
    )
    assert (error.code, error.message) == (
        "objection.invalid_transition", f"异议 {objection.pk} 当前状态为“提供单位核实中”，不能书面答复")  # fmt: skip
    error = refusal(services.objection_accept, actor=REVIEWER, objection_id=999999, now=ACCEPTED_AT)
    assert (error.code, error.message) == ("objection.not_found", "异议 999999 不存在")


def test_withdrawn_record_and_rejected_entry_take_no_objection(own, penalty, company):
    from tests.support.lists import entry_in
    from xinyong.records.services import record_withdraw

    rejected = entry_in("rejected", company, [penalty])
    error = refusal(file, own, rejected.pk, target_kind="list_entry")
    assert (error.code, error.message) == (
        "objection.target_closed",
        f"名单条目 {rejected.pk} 未通过审核，未生效，不能对其提出异议",
    )
    new = record_withdraw(actor=GSJ, record_id=penalty.pk, reason="重复报送", now=FILED_AT)
    error = refusal(file, own, penalty.pk)
    assert (error.code, error.message) == (
        "objection.target_closed",
        f"信用信息 {new.pk} 已撤回，不再公示，不能对其提出异议",
    )
    assert Objection.objects.count() == 0


def test_the_sweep_command_escalates_and_says_how_many(own, penalty, clock):
    import io

    from django.core.management import call_command

    file(own, penalty.pk)
    clock.set(bj(2026, 10, 12, 9))
    out = io.StringIO()
    call_command("objection_sweep", stdout=out)
    assert out.getvalue() == "2026-10-12：1 件异议逾期，已提请督办\n"
