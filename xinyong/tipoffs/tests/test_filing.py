"""Filing a report: routing to the handling unit in all three cases, the subject as given, the reporter's
identity checks, evidence, the acceptance deadline from the rules table, and every filing refusal."""

import pytest

from tests.support.factories import PersonFactory
from tests.support.records import COMPANY, PERSON
from tests.support.tipoffs import ACCEPT_DEADLINE, FILED_AT, PDF, bj, file
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.core.evidence import Upload
from xinyong.core.models import EvidenceFile
from xinyong.core.querycode import query_code_normalise
from xinyong.tipoffs.models import Tipoff, TipoffTransition

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        file(**kwargs)
    assert Tipoff.objects.count() == 0 and EvidenceFile.objects.count() == 0
    return caught.value


# ── routing ─────────────────────────────────────────────────────────────────────────────────────────────


def test_single_provider_category_goes_to_that_provider(company):
    tipoff = file(category="JYYC")
    assert (tipoff.handling_unit.code, tipoff.state) == ("bj-gongshangju", "submitted")
    assert AuditEvent.objects.get(action="tipoff.file").payload["routed"] == "single_provider"


@pytest.mark.parametrize("category", ["DJ", "CF"])  # DJ: three providers; CF: open to every unit
def test_several_providers_or_open_go_to_the_credit_office(company, category):
    tipoff = file(category=category)
    assert tipoff.handling_unit.code == "bj-jingxinwei"
    assert AuditEvent.objects.get(action="tipoff.file").payload["routed"] == "credit_office"


@pytest.mark.parametrize(
    ("category", "unit", "expected"),
    [
        ("DJ", "市民政局", "bj-minzhengju"),
        ("DJ", "bj-gongshangju", "bj-gongshangju"),
        ("CF", "市财政局", "bj-caizhengju"),
    ],
)
def test_a_named_competent_unit_handles_it(company, category, unit, expected):
    tipoff = file(category=category, unit=unit)
    assert tipoff.handling_unit.code == expected
    assert AuditEvent.objects.get(action="tipoff.file").payload["routed"] == "named"


def test_a_named_unit_that_is_not_a_provider_is_refused(company):
    error = refusal(category="DJ", unit="市财政局")
    assert (error.code, error.status) == ("tipoff.unit_not_competent", 400)
    assert error.message == "市财政局不是“登记注册基本信息”（DJ）的信息提供单位，不能承办此类举报"
    assert error.errors[0]["field"] == "unit"


def test_unknown_unit_and_category_are_refused(company):
    error = refusal(unit="市不存在局")
    assert (error.code, error.message, error.status) == ("tipoff.unit_unknown", "单位不存在：市不存在局", 400)
    error = refusal(category="NOPE")
    assert (error.code, error.message, error.errors[0]["field"]) == (
        "tipoff.category_unknown",
        "目录类别 NOPE 不存在",
        "category",
    )


# ── what is stored ──────────────────────────────────────────────────────────────────────────────────────


def test_filing_stores_report_evidence_deadline_query_code_and_first_step(company):
    tipoff = file(files=[PDF, Upload("现场.png", b"\x89PNG\r\n\x1a\n0000")])
    assert tipoff.subject == company and tipoff.subject_text == "北京华信科技有限公司"
    assert tipoff.category.code == "JYYC"
    assert [EvidenceFile.objects.get(pk=i).name for i in tipoff.evidence_ids] == ["合同.pdf", "现场.png"]
    assert EvidenceFile.objects.get(pk=tipoff.evidence_ids[0]).purpose == "tipoff"
    # 5 working days (rule tipoff.accept) after Wed 2026-09-30 across National Day: 10-08, 10-09, Sat 10-10
    # (worked), 10-12, 10-13.
    assert (tipoff.accept_deadline, tipoff.accept_deadline_provisional) == (ACCEPT_DEADLINE, False)
    assert query_code_normalise(tipoff.query_code) == tipoff.query_code and tipoff.query_code.startswith(
        "JB-"
    )
    step = TipoffTransition.objects.get(tipoff=tipoff)
    assert (step.action, step.from_state, step.to_state, step.actor, step.at) == (
        "file",
        "",
        "submitted",
        "anonymous",
        FILED_AT,
    )
    event = AuditEvent.objects.get(action="tipoff.file")
    assert (event.target_type, event.target_id, event.actor) == ("tipoff", str(tipoff.pk), "anonymous")
    assert event.payload == {
        "category": "JYYC",
        "handling_unit": "bj-gongshangju",
        "subject_id": company.pk,
        "from": "",
        "to": "submitted",
        "version": 1,
        "routed": "single_provider",
        "anonymous": False,
        "evidence_ids": tipoff.evidence_ids,
        "accept_deadline": "2026-10-13T23:59:59+08:00",
        "provisional_years": [],
    }


@pytest.mark.parametrize("given", [COMPANY, COMPANY.lower(), "北京华信科技有限公司"])
def test_the_subject_is_found_by_code_or_by_its_exact_name(company, given):
    tipoff = file(subject=given)
    assert tipoff.subject == company
    assert tipoff.subject_text == (COMPANY if given != "北京华信科技有限公司" else given)


def test_an_unknown_name_is_kept_as_given_without_a_subject(company):
    tipoff = file(subject="  北京某某无名贸易公司 ")
    assert (tipoff.subject, tipoff.subject_text) == (None, "北京某某无名贸易公司")


def test_a_resident_id_given_as_subject_is_kept_masked(company):
    person = PersonFactory(name="王五", resident_id=PERSON)
    found = file(category="CF", subject=PERSON)
    assert (found.subject, found.subject_text) == (person, f"{PERSON[:6]}********{PERSON[-4:]}")
    inside_text = file(category="CF", subject=f"王五 {PERSON}")
    assert inside_text.subject is None and PERSON not in inside_text.subject_text


def test_the_acceptance_rule_is_the_one_in_force_on_the_filing_date(company):
    error = refusal(now=bj(2026, 3, 31, 10))
    assert (error.code, error.message) == ("rule.none", "2026-03-31 时规则 tipoff.accept 尚无生效的版本")


# ── refusals of the form ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("kwargs", "code", "field", "message"),
    [
        ({"subject": "  "}, "tipoff.subject_invalid", "subject", "须填写被举报主体的名称或统一社会信用代码"),
        ({"subject": "京" * 201}, "tipoff.subject_invalid", "subject", "被举报主体最多 200 字"),
        (
            {"description": " "},
            "tipoff.description_invalid",
            "description",
            "须填写举报内容（失信行为的事实）",
        ),
        ({"description": "京" * 5001}, "tipoff.description_invalid", "description", "举报内容最多 5000 字"),
        ({"reporter_name": ""}, "tipoff.reporter_name_required", "reporter_name", "实名举报须填写举报人姓名"),
        (
            {"reporter_name": "李" * 31},
            "tipoff.reporter_name_too_long",
            "reporter_name",
            "举报人姓名最多 30 个字",
        ),
        (
            {"reporter_phone": ""},
            "tipoff.reporter_phone_required",
            "reporter_phone",
            "实名举报须填写联系电话",
        ),
        (
            {"reporter_phone": "12345"},
            "tipoff.reporter_phone_invalid",
            "reporter_phone",
            "联系电话应为 11 位手机号码或带区号的固定电话",
        ),
        (
            {"reporter_id_number": PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")},
            "tipoff.reporter_id_invalid",
            "reporter_id_number",
            "举报人身份号码无效（ric.check_digit）",
        ),
        (
            {"anonymous": True},
            "tipoff.anonymous_with_identity",
            "anonymous",
            "匿名举报不填写举报人姓名、电话和身份号码",
        ),
    ],
)
def test_form_refusals_name_the_field(company, kwargs, code, field, message):
    error = refusal(**kwargs)
    assert (error.code, error.message, error.status) == (code, message, 400)
    assert error.errors == [{"field": field, "code": code, "message": message}]


def test_evidence_refusal_passes_through_and_nothing_is_stored(company):
    error = refusal(files=[PDF, Upload("病毒.exe", b"MZ")])
    assert (error.code, error.status) == ("evidence.invalid", 400)
    assert error.message == "证明材料不符合要求：病毒.exe：只接受 PDF、JPG、PNG 文件"
    assert error.errors == [
        {"field": "files[1]", "code": "type", "message": "病毒.exe：只接受 PDF、JPG、PNG 文件"}
    ]
    assert AuditEvent.objects.filter(action="tipoff.file").count() == 0


def test_anonymous_report_carries_no_identity(company):
    tipoff = file(anonymous=True, reporter_name="", reporter_phone="")
    assert tipoff.anonymous and tipoff.reporter_masked == "" and tipoff.reporter_name_cipher == ""
    assert AuditEvent.objects.get(action="tipoff.file").payload["anonymous"] is True


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("010-12345678", "李**，010****5678"),
        ("0755-1234567", "李**，075****4567"),
        ("139 1234 5678", "李**，139****5678"),
    ],
)
def test_landlines_and_spaced_mobiles_are_accepted_and_masked(company, phone, masked):
    assert file(reporter_phone=phone).reporter_masked == masked


def test_the_masked_line_includes_the_masked_resident_id(company):
    assert (
        file(reporter_id_number=PERSON).reporter_masked
        == f"李**，139****5678，{PERSON[:6]}********{PERSON[-4:]}"
    )
