"""Commitments through the services: signing (frozen text, due date, who may sign), the 告知承诺 refusal for a
black-listed subject, repair targets, verification (kept, broken → an XYCNWY record), withdrawal, and every
refusal with its exact code and message."""

import datetime as dt

import pytest

from tests.support.commitments import (
    CZJ_OFFICER,
    GSJ_OFFICER,
    MATTER,
    SIGNED_AT,
    VERIFIED_AT,
    account_for,
    person_subject,
    sign,
    verify,
)
from tests.support.lists import REVIEWER, bj, entry_in, propose, walk
from tests.support.records import COMPANY, PERSON
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.commitments.models import Commitment, CommitmentTemplate
from xinyong.core.errors import DomainError
from xinyong.intake.models import Submission
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _refused(fn, *args, **kwargs) -> tuple[int, str, str]:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    return caught.value.status, caught.value.code, caught.value.message


# ── signing ─────────────────────────────────────────────────────────────────────────────────────────────


def test_the_subject_signs_and_the_text_is_frozen(company, own):
    commitment = sign(company, actor=own)
    assert commitment.text == (
        f"北京华信科技有限公司（{COMPANY}）就“食品经营许可证核发”向社会和北京市市场监督管理局公开承诺：\n"
        "一、严格遵守法律法规和行业规范，依法诚信经营，不提供虚假信息；\n"
        "二、自觉接受政府部门、行业组织和社会公众的监督，履约情况接受北京市市场监督管理局于 2026年2月3日 前核查；\n"
        "三、违背本承诺的，自愿接受依法依规采取的约束措施，违诺信息记入信用记录并依法公开。\n"
        "承诺人：张伟\n"
        "日期：2025年11月3日"
    )
    assert (commitment.kind, commitment.state, commitment.verify_due) == (
        "voluntary",
        "signed",
        dt.date(2026, 2, 3),
    )
    assert (commitment.on_behalf, commitment.signed_by, commitment.evidence) == (False, own.label, "")
    CommitmentTemplate.objects.filter(code="voluntary-general").update(text="另一版本 {matter}")
    assert Commitment.objects.get(pk=commitment.pk).text.startswith("北京华信科技有限公司")
    event = AuditEvent.objects.get(action="commitment.sign")
    assert (event.actor, event.target_id) == (own.label, str(commitment.pk))
    assert event.payload["verify_due"] == "2026-02-03"


@pytest.mark.parametrize(
    ("template", "signed_at", "due"),
    [
        ("voluntary-general", bj(2025, 11, 30, 23, 30), dt.date(2026, 2, 28)),  # month-end clamping
        ("voluntary-general", bj(2025, 12, 1, 0, 30), dt.date(2026, 3, 1)),  # Beijing date, not UTC (11-30)
        ("industry-self-discipline", SIGNED_AT, dt.date(2026, 5, 3)),  # a 6-month template
    ],
)
def test_verify_due_is_the_templates_months_after_the_beijing_signing_date(
    company, own, template, signed_at, due
):
    assert sign(company, actor=own, template=template, now=signed_at).verify_due == due


def test_an_officer_of_the_accepting_unit_records_a_written_commitment(company, commitments_reference):
    commitment = sign(company, actor=GSJ_OFFICER, evidence="书面承诺书 京工商承〔2025〕第12号")
    assert (commitment.on_behalf, commitment.evidence) == (True, "书面承诺书 京工商承〔2025〕第12号")


def test_an_officer_needs_evidence_of_the_written_commitment(company, commitments_reference):
    assert _refused(sign, company, actor=GSJ_OFFICER, evidence="  ") == (
        400,
        "commitment.evidence_required",
        "书面承诺凭证不能为空",
    )


@pytest.mark.parametrize("who", ["other_unit", "reviewer", "other_subject"])
def test_only_the_subject_or_the_accepting_unit_signs(company, commitments_reference, who):
    other = Subject.objects.exclude(pk=company.pk).first() or person_subject()
    actor = {"other_unit": CZJ_OFFICER, "reviewer": REVIEWER, "other_subject": None}[who] or account_for(
        other
    )
    assert _refused(sign, company, actor=actor, evidence="书面承诺书") == (
        403,
        "commitment.sign_not_allowed",
        "只有承诺主体本人（主体账户），或受理单位的工作人员（登记书面承诺）可以签署信用承诺",
    )


def test_unknown_template_subject_or_unit(company, own):
    CommitmentTemplate.objects.filter(code="industry-self-discipline").update(active=False)
    assert _refused(sign, company, actor=own, template="industry-self-discipline") == (
        404,
        "commitment.template_not_found",
        "承诺书模板 industry-self-discipline 不存在或已停用",
    )
    assert _refused(sign, company, actor=own, unit="bj-nowhere") == (
        404,
        "commitment.unit_not_found",
        "受理单位 bj-nowhere 不存在",
    )
    gone = Subject(pk=987654)
    assert _refused(sign, gone, actor=own) == (404, "commitment.subject_not_found", "信用主体 987654 不存在")


def test_matter_and_signer_are_required_and_bounded(company, own):
    assert _refused(sign, company, actor=own, matter=" ") == (
        400,
        "commitment.matter_required",
        "承诺事项不能为空",
    )
    assert _refused(sign, company, actor=own, matter="京" * 201) == (
        400,
        "commitment.matter_too_long",
        "承诺事项不能超过 200 个字符，实为 201 个",
    )
    with pytest.raises(DomainError) as caught:
        from xinyong.commitments import services

        services.commitment_sign(
            actor=own,
            template_code="voluntary-general",
            subject_id=company.pk,
            matter=MATTER,
            accepting_unit_code="bj-gongshangju",
            signer_name="",
            now=SIGNED_AT,
        )
    assert (caught.value.code, caught.value.message) == ("commitment.signer_name_required", "签署人不能为空")


# ── 告知承诺 and the serious lists ─────────────────────────────────────────────────────────────────────


def test_approval_by_commitment_is_refused_to_a_subject_on_a_published_black_list(company, penalty, own):
    entry = entry_in("published", company, [penalty])
    assert _refused(sign, company, actor=own, template="approval-general") == (
        409,
        "commitment.serious_list",
        f"该主体在“市场监督管理严重违法失信名单”上（名单条目 {entry.pk}），不得适用告知承诺",
    )
    assert not Commitment.objects.exists()
    assert sign(company, actor=own, template="voluntary-general").kind == "voluntary"  # other kinds stay open


@pytest.mark.parametrize("state", ["proposed", "decided", "exited"])
def test_approval_by_commitment_is_open_when_the_entry_is_not_published(company, penalty, own, state):
    entry_in(state, company, [penalty])
    assert sign(company, actor=own, template="approval-general").kind == "approval"


# ── repair commitments ──────────────────────────────────────────────────────────────────────────────────


def test_a_repair_commitment_names_a_record_or_list_entry_of_the_subject(company, penalty, own):
    entry = walk(propose(company, [penalty]), "published")
    on_record = sign(
        company, actor=own, template="repair-general", target_kind="record", target_id=penalty.pk
    )
    on_entry = sign(
        company, actor=own, template="repair-general", target_kind="list_entry", target_id=entry.pk
    )
    assert [(c.kind, c.target_kind, c.target_id) for c in (on_record, on_entry)] == [
        ("repair", "record", penalty.pk),
        ("repair", "list_entry", entry.pk),
    ]


def test_repair_target_refusals(company, penalty, own):
    message = "信用修复型承诺须指明修复对象：target_kind 为 record 或 list_entry，并给出 target_id"
    assert _refused(sign, company, actor=own, template="repair-general") == (
        400,
        "commitment.target_required",
        message,
    )
    assert _refused(sign, company, actor=own, template="repair-general", target_kind="case", target_id=1) == (
        400,
        "commitment.target_required",
        message,
    )
    assert _refused(sign, company, actor=own, target_kind="record", target_id=penalty.pk) == (
        400,
        "commitment.target_not_allowed",
        "只有信用修复型承诺可以指明修复对象",
    )
    person = person_subject()
    assert _refused(
        sign, person, actor=account_for(person, "wangfang"), template="repair-general", target_kind="record",
        target_id=penalty.pk,
    ) == (404, "commitment.target_not_found", f"修复对象（信用信息 {penalty.pk}）不存在或不属于该主体")  # fmt: skip
    first = sign(company, actor=own, template="repair-general", target_kind="record", target_id=penalty.pk)
    assert _refused(
        sign, company, actor=own, template="repair-general", target_kind="record", target_id=penalty.pk
    ) == (
        409,
        "commitment.repair_duplicate",
        f"该修复对象已有待核查的信用修复承诺（信用承诺 {first.pk}），不必重复签署",
    )


# ── verification ────────────────────────────────────────────────────────────────────────────────────────


def test_a_kept_commitment_writes_no_record(company, own):
    commitment = verify(sign(company, actor=own), kept=True)
    assert (commitment.state, commitment.verified_at, commitment.verified_by) == (
        "kept",
        VERIFIED_AT,
        GSJ_OFFICER.label,
    )
    assert commitment.result == "经现场核查，经营场所与承诺一致"
    assert commitment.breach_record is None
    assert not Record.objects.filter(category__code="XYCNWY").exists()


def test_a_broken_commitment_becomes_a_negative_record_once(company, own):
    commitment = verify(sign(company, actor=own, template="approval-general"), kept=False)
    record = Record.objects.get(category__code="XYCNWY")
    assert commitment.state == "broken" and commitment.breach_record_id == record.pk
    assert (record.subject_id, record.unit.code, record.category.polarity) == (
        company.pk,
        "bj-gongshangju",
        "negative",
    )
    assert (record.doc_no, record.decision_date, record.severity, record.status) == (
        f"XYCN-{commitment.pk}",
        dt.date(2025, 12, 1),
        "general",
        "published",
    )
    assert record.payload["XYCNWY_WNQX"] == "经现场核查，申请时承诺的经营场所不存在"
    assert record.payload["XYCNWY_HCJL"] == (
        "经市工商局核查，北京华信科技有限公司未履行其于2025年11月3日作出的审批替代型（告知承诺）"
        "（承诺事项：食品经营许可证核发），认定为违背信用承诺。"
    )
    assert (record.payload["XYCNWY_CNLX"], record.payload["XYCNWY_TYSHXYDM"]) == ("1", COMPANY)
    submission = Submission.objects.get(category__code="XYCNWY")
    assert (submission.idempotency_key, submission.unit.code) == (
        f"commitment-breach-{commitment.pk}",
        "bj-gongshangju",
    )

    assert _refused(verify, commitment, kept=False, now=bj(2025, 12, 2, 10)) == (
        409,
        "commitment.invalid_transition",
        f"信用承诺 {commitment.pk} 当前状态为“未履约（违诺）”，不能核查",
    )
    assert Record.objects.filter(category__code="XYCNWY").count() == 1
    assert list(AuditEvent.objects.filter(action="commitment.verify").values_list("payload", flat=True)) == [
        {"state": "broken", "breach_record_id": record.pk}
    ]


def test_a_serious_breach_by_a_person_is_keyed_by_the_resident_id(commitments_reference):
    person = person_subject()
    commitment = sign(person, actor=account_for(person, "wangfang"))
    verify(commitment, kept=False, actor=REVIEWER, severity="serious")
    record = Record.objects.get(category__code="XYCNWY")
    assert (record.subject_id, record.severity, record.unit.code) == (person.pk, "serious", "bj-gongshangju")
    assert record.payload["XYCNWY_ZJHM"] == PERSON[:6] + "********" + PERSON[-4:]  # stored masked


def test_the_verification_rolls_back_when_the_record_cannot_be_written(company, own):
    commitment = sign(company, actor=own)
    Category.objects.filter(code="XYCNWY").update(active=False)
    assert _refused(verify, commitment, kept=False) == (
        404,
        "catalog.category_not_found",
        "信息类别不存在：XYCNWY",
    )
    commitment.refresh_from_db()
    assert (commitment.state, commitment.breach_record_id) == ("signed", None)
    assert not AuditEvent.objects.filter(action="commitment.verify").exists()


def test_a_breach_row_the_catalog_refuses_refuses_the_verification(commitments_reference):
    business = Subject.objects.create(kind="individual_business", name="王记小吃店", created_at=SIGNED_AT)
    commitment = sign(business, actor=GSJ_OFFICER, evidence="书面承诺书")
    assert _refused(verify, commitment, kept=False) == (
        422,
        "commitment.breach_record_rejected",
        "违诺信息未能记入信用记录：统一社会信用代码（XYCNWY_TYSHXYDM）在此情形下必填：信用主体不是自然人时必填",
    )
    assert Commitment.objects.get(pk=commitment.pk).state == "signed"
    assert not Submission.objects.filter(category__code="XYCNWY").exists()


@pytest.mark.parametrize("actor", [CZJ_OFFICER, "own"])
def test_only_the_accepting_unit_or_a_reviewer_verifies(company, own, actor):
    commitment = sign(company, actor=own)
    assert _refused(verify, commitment, kept=True, actor=own if actor == "own" else actor) == (
        403,
        "commitment.verify_not_allowed",
        f"只有受理单位（市工商局）的工作人员或信用办审核员可以核查信用承诺 {commitment.pk}",
    )
    assert verify(commitment, kept=True, actor=REVIEWER).state == "kept"


def test_verification_input_refusals(company, own):
    commitment = sign(company, actor=own)
    assert _refused(verify, commitment, kept=False, severity="minor") == (
        400,
        "commitment.severity_invalid",
        "违诺严重程度只能是 general（一般）或 serious（严重），实为 minor",
    )
    from xinyong.commitments import services

    assert _refused(
        services.commitment_verify,
        actor=GSJ_OFFICER,
        commitment_id=commitment.pk,
        kept=True,
        result="",
        now=VERIFIED_AT,
    ) == (400, "commitment.result_required", "核查结论不能为空")
    assert _refused(
        services.commitment_verify,
        actor=GSJ_OFFICER,
        commitment_id=99999,
        kept=True,
        result="x",
        now=VERIFIED_AT,
    ) == (404, "commitment.not_found", "信用承诺 99999 不存在")


# ── withdrawal ──────────────────────────────────────────────────────────────────────────────────────────


def test_the_subject_withdraws_before_verification_only(company, own):
    from xinyong.commitments import services

    commitment = sign(company, actor=own)
    assert _refused(
        services.commitment_withdraw, actor=GSJ_OFFICER, commitment_id=commitment.pk, now=VERIFIED_AT
    ) == (
        403,
        "commitment.withdraw_not_allowed",
        "只有承诺主体本人（主体账户）可以撤回信用承诺",
    )
    withdrawn = services.commitment_withdraw(
        actor=own, commitment_id=commitment.pk, reason="不再申请", now=VERIFIED_AT
    )
    assert (withdrawn.state, withdrawn.withdrawn_at) == ("withdrawn", VERIFIED_AT)
    assert AuditEvent.objects.get(action="commitment.withdraw").reason == "不再申请"
    assert _refused(verify, commitment, kept=True) == (
        409,
        "commitment.invalid_transition",
        f"信用承诺 {commitment.pk} 当前状态为“已撤回”，不能核查",
    )
    kept = verify(sign(company, actor=own), kept=True)
    assert _refused(services.commitment_withdraw, actor=own, commitment_id=kept.pk, now=VERIFIED_AT) == (
        409,
        "commitment.invalid_transition",
        f"信用承诺 {kept.pk} 当前状态为“已履约”，不能撤回",
    )


@pytest.mark.parametrize(
    ("field", "limit", "label"),
    [("evidence", 2000, "书面承诺凭证"), ("signer_name", 80, "签署人"), ("result", 2000, "核查结论")],
)
def test_free_texts_are_bounded(company, own, field, limit, label):
    from xinyong.commitments import services

    long = "长" * (limit + 1)
    if field == "result":
        commitment = sign(company, actor=own)
        call = lambda: services.commitment_verify(  # noqa: E731
            actor=GSJ_OFFICER, commitment_id=commitment.pk, kept=True, result=long, now=VERIFIED_AT
        )
    else:
        kwargs = {"signer_name": "张伟", "evidence": "书面承诺书", field: long}
        call = lambda: services.commitment_sign(  # noqa: E731
            actor=GSJ_OFFICER, template_code="voluntary-general", subject_id=company.pk, matter=MATTER,
            accepting_unit_code="bj-gongshangju", now=SIGNED_AT, **kwargs,
        )  # fmt: skip
    assert _refused(call) == (
        400,
        f"commitment.{field}_too_long",
        f"{label}不能超过 {limit} 个字符，实为 {limit + 1} 个",
    )
