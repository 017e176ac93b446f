"""Credit repair through the services: conditions each answered, refusal at once with every reason, check →
decision with four eyes, the effects of approval (record repaired and never public again, supported list entry
exited, pushes to the units that checked the subject), and every refusal with its exact message."""

import datetime as dt

import pytest

from tests.support.records import cf_row, xk_row
from tests.support.remedies import (
    APPLIED_AT,
    CHECKED_AT,
    CZJ,
    DECIDED_AT,
    GSJ,
    REVIEWER,
    REVIEWER_2,
    STRANGER,
    apply,
    bj,
    certificate,
    receive,
    repair_commitment,
)
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.models import OutboxEvent
from xinyong.core.outbox import outbox_process
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record, RecordStatus
from xinyong.remedies import services
from xinyong.remedies.models import RepairApplication


def refusal(fn, *args, **kw) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kw)
    return caught.value


@pytest.fixture
def ready(own, company, penalty, entry):
    """Everything a repair of the penalty needs: a repair commitment and the market regulator's training."""
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    return certificate(company)


def test_every_condition_is_answered_and_unmet_ones_refuse_at_once(own, penalty, entry):
    error = refusal(apply, own, penalty.pk, evidence=[])
    assert (error.code, error.status) == ("repair.conditions_not_met", 422)
    assert error.message == (
        "不符合信用修复条件：已履行法定义务——未上传履行法定义务的证明材料；"
        "已作出信用修复承诺——未签署针对本次修复对象的信用修复承诺；"
        "已完成信用修复培训——“市场监督管理严重违法失信名单”要求完成信用修复培训：未提供培训证书编号"
    )
    assert [c["code"] for c in error.extra["conditions"]] == [
        "min_period", "obligations", "commitment", "training", "no_repeat"]  # fmt: skip
    assert error.extra["conditions"][0] == {
        "code": "min_period",
        "label": "已满最短公示期",
        "met": True,
        "detail": "按决定日适用的规则（2023-05-01 起施行）最短公示期至 2026-09-20，已满",
    }
    assert RepairApplication.objects.count() == 0


def test_a_certificate_of_the_wrong_course_or_subject_is_named(own, company, penalty, entry):
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    other = certificate(company, course="xyxf-online-basic")  # serves every list: accepted
    assert apply(own, penalty.pk, certificate_no=other).state == "submitted"


def test_unknown_certificate_is_named_in_the_refusal(own, company, penalty, entry):
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    error = refusal(apply, own, penalty.pk, certificate_no="PX-2026-999999")
    assert error.message == (
        "不符合信用修复条件：已完成信用修复培训——“市场监督管理严重违法失信名单”要求完成信用修复培训："
        "培训证书 PX-2026-999999 不存在、未结业或不属于本主体"
    )


def test_the_whole_flow_and_the_effects_of_approval(own, company, penalty, entry, ready):
    repair = apply(own, penalty.pk, certificate_no=ready)
    assert (repair.state, repair.deciding_unit.code, repair.query_code[:3]) == (
        "submitted",
        "bj-gongshangju",
        "XF-",
    )
    assert repair.overall_due == bj(2026, 11, 16, 23, 59, 59)  # 10 working days from Mon 11-02
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="材料齐全", now=CHECKED_AT)
    error = refusal(
        services.repair_decide,
        actor=REVIEWER,
        repair_id=repair.pk,
        approve=True,
        reason="同意",
        now=DECIDED_AT,
    )
    assert (error.code, error.message) == (
        "repair.four_eyes",
        f"四眼原则：初审人不能对同一申请作出修复决定（申请 #{repair.pk}）",
    )
    decided = services.repair_decide(
        actor=GSJ, repair_id=repair.pk, approve=True, reason="已纠正失信行为", now=DECIDED_AT
    )
    assert (decided.state, decided.decided_by, decided.decide_due) == (
        "approved",
        GSJ.label,
        bj(2026, 11, 9, 23, 59, 59),
    )
    assert Record.objects.get(pk=penalty.pk).status == RecordStatus.REPAIRED
    exited = ListEntry.objects.get(pk=entry.pk)
    assert (exited.state, exited.exit_reason) == ("exited", "repair")
    topics = list(OutboxEvent.objects.order_by("id").values_list("topic", flat=True))
    assert topics[-2:] == ["list_entry.exited", "record.repaired"]
    assert list(decided.transitions.values_list("action", flat=True)) == ["apply", "check", "approve"]


def test_a_repaired_record_leaves_an_entry_on_its_list_before_the_earliest_exit(
    own, company, penalty, entry, ready
):
    """Issue 17: a record's repair exits the entries it supports through the list's own exit rule; before the
    earliest exit date (2026-10-14 for the serious list: 12 months) the entry stays on its list."""
    repair = apply(own, penalty.pk, certificate_no=ready, now=bj(2026, 9, 24, 10))
    services.repair_check(
        actor=REVIEWER, repair_id=repair.pk, passed=True, reason="材料齐全", now=bj(2026, 9, 25, 10)
    )
    services.repair_decide(
        actor=GSJ, repair_id=repair.pk, approve=True, reason="已纠正失信行为", now=bj(2026, 9, 28, 10)
    )
    assert Record.objects.get(pk=penalty.pk).status == RecordStatus.REPAIRED
    kept = ListEntry.objects.get(pk=entry.pk)
    assert (kept.state, kept.exit_reason, kept.earliest_exit_on) == ("published", "", dt.date(2026, 10, 14))
    topics = list(OutboxEvent.objects.order_by("id").values_list("topic", flat=True))
    assert topics[-1] == "record.repaired" and "list_entry.exited" not in topics


def test_approval_pushes_to_every_unit_that_checked_the_subject(own, company, penalty, entry, ready):
    from xinyong.measures.services import check_run, memoranda_load
    from xinyong.pushes.models import Push

    memoranda_load(actor=Actor.system(), now=bj(2026, 1, 5, 10))
    officer = Actor(label="token:czj00077", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))
    check_run(
        actor=officer,
        matter_code="government-procurement",
        case_number="CG-2026-1",
        identifiers=[company.uscc],
        now=bj(2026, 10, 30, 10),
    )
    repair = apply(own, penalty.pk, certificate_no=ready)
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    services.repair_decide(actor=GSJ, repair_id=repair.pk, approve=True, reason="已纠正", now=DECIDED_AT)
    outbox_process(now=DECIDED_AT)
    pushed = Push.objects.filter(event="record.repaired").get()
    assert (pushed.unit.code, pushed.record_id, pushed.payload["repair_id"]) == (
        "bj-caizhengju",
        penalty.pk,
        repair.pk,
    )
    assert Push.objects.filter(event="list_entry.exited", unit__code="bj-caizhengju").count() == 1


def test_a_repaired_record_never_comes_back_in_public(client, own, company, penalty, entry, ready):
    repair = apply(own, penalty.pk, certificate_no=ready)
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    services.repair_decide(actor=GSJ, repair_id=repair.pk, approve=True, reason="已纠正", now=DECIDED_AT)
    receive([cf_row(CF_WSH=penalty.doc_no, CF_JDRQ="2025-09-20", XY_YZCD="严重", CF_NR_FK="3")], key="resubmit",
            now=bj(2026, 11, 20, 10))  # fmt: skip
    assert Record.objects.get(doc_no=penalty.doc_no, is_current=True).status == RecordStatus.REPAIRED
    assert client.get("/api/v1/publicity/penalties").json()["items"] == []
    profile = client.get(f"/api/v1/subjects/{company.uscc}/profile").json()
    assert all(not c["records"] for c in profile["categories"] if c["code"] == "CF")


def test_check_failure_rejects_with_reasons_and_decision_reasons_required(own, penalty, entry, ready):
    repair = apply(own, penalty.pk, certificate_no=ready)
    error = refusal(
        services.repair_check, actor=REVIEWER, repair_id=repair.pk, passed=False, reason="", now=CHECKED_AT
    )
    assert (error.code, error.message) == ("repair.reason_required", "不予修复须说明理由")
    error = refusal(
        services.repair_check, actor=GSJ, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT
    )
    assert (error.code, error.message) == ("repair.reviewer_only", "只有信用办审核员可以初审通过")
    rejected = services.repair_check(
        actor=REVIEWER, repair_id=repair.pk, passed=False, reason="缴款凭证不清晰", now=CHECKED_AT
    )
    assert (rejected.state, rejected.decision_reason) == ("rejected", "缴款凭证不清晰")
    error = refusal(
        services.repair_decide, actor=GSJ, repair_id=repair.pk, approve=True, reason="同意", now=DECIDED_AT
    )
    assert (error.code, error.message) == (
        "repair.invalid_transition",
        f"信用修复申请 {repair.pk} 当前状态为“不予修复”，不能准予修复",
    )


def test_only_the_deciding_unit_decides(own, penalty, entry, ready):
    repair = apply(own, penalty.pk, certificate_no=ready)
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    error = refusal(
        services.repair_decide, actor=CZJ, repair_id=repair.pk, approve=True, reason="同意", now=DECIDED_AT
    )
    assert (error.code, error.message) == (
        "repair.wrong_unit",
        "只有市工商局的工作人员或信用办审核员可以准予修复",
    )
    assert (
        services.repair_decide(
            actor=REVIEWER_2, repair_id=repair.pk, approve=False, reason="整改不到位", now=DECIDED_AT
        ).state
        == "rejected"
    )


def test_targets_that_cannot_be_repaired(own, company, penalty, remedies_reference):
    receive(
        [xk_row(XK_WSH="京工商许字〔2025〕第7号", XK_JDRQ="2025-06-02", XK_YXQZ="2025-06-02")],
        category="XK",
        key="licence",
    )
    licence = Record.objects.get(doc_no="京工商许字〔2025〕第7号")
    error = refusal(apply, own, licence.pk)
    assert (error.code, error.message) == ("repair.not_negative", "“行政许可信息”不是失信信息，无需信用修复")
    error = refusal(apply, own, penalty.pk, target_kind="person")
    assert (error.code, error.message) == (
        "repair.target_kind_invalid",
        "修复对象只能是 record（信用信息）或 list_entry（名单条目）",
    )
    error = refusal(apply, STRANGER, penalty.pk)
    assert (error.code, error.message) == (
        "repair.not_subject",
        "只有信用主体本人可以申请信用修复（或由工作人员代为登记书面申请）",
    )
    error = refusal(apply, own, penalty.pk, statement=" ")
    assert (error.code, error.message) == (
        "repair.statement_required",
        "请说明申请修复的理由和已纠正失信行为的情况",
    )


def test_under_objection_and_already_open_are_refused(own, company, penalty):
    from tests.support.remedies import file

    objection = file(own, penalty.pk)
    error = refusal(apply, own, penalty.pk)
    assert (error.code, error.message) == (
        "repair.under_objection",
        "该信息异议处理中，异议办结后方可申请信用修复",
    )
    services.objection_refuse(actor=REVIEWER, objection_id=objection.pk, reason="无关", now=APPLIED_AT)
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    first = apply(own, penalty.pk)  # no published list entry: no training needed
    error = refusal(apply, own, penalty.pk)
    assert (error.code, error.message) == (
        "repair.already_open",
        f"该对象已有正在办理的信用修复申请（申请 #{first.pk}）",
    )


def test_a_repeat_of_the_same_serious_dishonesty_bars_repair(own, company, penalty):
    receive([cf_row(CF_WSH="京工商罚字〔2026〕第5号", CF_JDRQ="2026-03-02", XY_YZCD="严重")], key="repeat",
            now=bj(2026, 3, 5, 10))  # fmt: skip
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    error = refusal(apply, own, penalty.pk)
    assert error.message == (
        "不符合信用修复条件：无同类严重失信行为再次发生——2026-03-02 又有同类严重失信行为（京工商罚字〔2026〕第5号），不得修复"
    )


def test_list_entry_repair_waits_for_the_earliest_exit(own, company, entry):
    repair_commitment(company, own, target_kind="list_entry", target_id=entry.pk)
    error = refusal(
        apply,
        own,
        entry.pk,
        target_kind="list_entry",
        certificate_no=certificate(company),
        now=bj(2026, 10, 13, 10),
    )
    assert (
        error.message
        == "不符合信用修复条件：已满最短列入期——市场监督管理严重违法失信名单最早可于 2026-10-14 提前移出，未满"
    )
    repair = apply(
        own,
        entry.pk,
        target_kind="list_entry",
        certificate_no=_cert(company),
    )
    assert repair.deciding_unit.code == "bj-gongshangju"


def _cert(company):
    from xinyong.commitments.models import Enrolment

    return Enrolment.objects.get(subject=company).certificate_no
