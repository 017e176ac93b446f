"""GET /api/v1/subjects/{code} and the correction endpoints, over HTTP with real tokens."""

from urllib.parse import quote

import pytest
from django.test import Client

from tests.support.factories import (
    T0,
    PersonFactory,
    SubjectFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create, api_token_revoke
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.subjects.identifiers import IdentifierError, identify, ric_mask, uscc_check_character, uscc_make
from xinyong.subjects.services import code_correction_decide, code_correction_request

pytestmark = pytest.mark.django_db
URL = "/api/v1/subjects/"


@pytest.fixture
def unit():
    return Unit.objects.create(code="xyb", name="市信用办", type="credit_office")


@pytest.fixture
def token(unit):
    def issue(role: str = "reviewer", officer: str = "") -> str:
        return api_token_create(actor=Actor.system(), unit=unit, role=role, now=now(), officer=officer).secret

    return issue


@pytest.fixture
def company():
    return SubjectFactory(uscc=make_uscc(1), regno=make_regno(1), name="北京甲科技有限公司", industry="软件")


def _get(code: str, secret: str | None = None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().get(URL + quote(code, safe="/"), params, headers=headers)


def _company_json(tier: str) -> dict:
    code = make_uscc(1)
    return {
        "code": code,
        "kind": "enterprise",
        "kind_label": "企业",
        "tier": tier,
        "name": "北京甲科技有限公司",
        "uscc": code,
        "masked_id": None,
        "status": "active",
        "status_label": "正常",
        "district": "haidian",
        "industry": "软件",
        "aliases": [
            {"kind": "org_code", "kind_label": "组织机构代码", "value": code[8:17]},
            {"kind": "regno", "kind_label": "工商注册号", "value": make_regno(1)},
        ],
        "corrected_codes": [],
        "name_history": [{"name": "北京甲科技有限公司", "valid_from": "2026-11-02", "valid_to": None}],
    }


@pytest.mark.parametrize("by", [make_uscc(1), make_uscc(1)[8:17], make_regno(1)])
def test_anonymous_gets_the_public_tier_by_any_code(company, by):
    response = _get(by)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == _company_json("public")


def test_token_holder_gets_the_government_tier(company, token):
    assert _get(make_uscc(1), token("case_officer")).json() == _company_json("government")


def _person_json(number: str, tier: str, **shown) -> dict:
    masked = ric_mask(number)
    body = {
        "code": masked,
        "kind": "natural_person",
        "kind_label": "自然人",
        "tier": tier,
        "name": None,
        "uscc": None,
        "masked_id": masked,
        "status": "active",
        "status_label": "正常",
        "district": None,
        "industry": None,
        "aliases": [],
        "corrected_codes": [],
        "name_history": [],
    }
    return {**body, **shown}


def test_person_anonymous_sees_only_masked_id_and_kind():
    number = make_ric(3)
    PersonFactory(resident_id=number, name="张三")
    response = _get(number)
    assert response.json() == _person_json(number, "public")
    assert number not in response.content.decode()


@pytest.mark.parametrize("role", ["institution", "public"])  # a unit holds no `subject` token (issue 12)
def test_person_non_government_token_sees_public_tier(token, role):
    number = make_ric(3)
    PersonFactory(resident_id=number, name="张三")
    assert _get(number, token(role)).json() == _person_json(number, "public")


def test_person_government_role_sees_name_and_the_read_is_audited(token):
    number = make_ric(3)
    person = PersonFactory(resident_id=number, name="张三")
    response = _get(number, token("auditor"), purpose="案件 2026-001")
    assert response.json() == _person_json(
        number,
        "government",
        name="张三",
        district="",
        industry="",
        name_history=[{"name": "张三", "valid_from": "2026-11-02", "valid_to": None}],
    )
    event = AuditEvent.objects.get(action="subject.person_read")
    assert (event.target_id, event.reason, event.payload) == (
        str(person.pk),
        "案件 2026-001",
        {"person_masked": ric_mask(number)},
    )
    assert event.actor.startswith("token:")


def _org_check_broken() -> str:
    head = "91110108MA000001"
    first17 = head + ("0" if uscc_make(head)[16] != "0" else "1")
    return first17 + uscc_check_character(first17)


def _check_char_broken() -> str:
    code = make_uscc(1)
    return code[:-1] + ("0" if code[-1] != "0" else "1")


@pytest.mark.parametrize(
    "raw,code",
    [
        ("91110108MA000001", "identifier.length"),
        ("91110108MA00000I5T", "uscc.character"),
        (uscc_make("B1110108MA000001"), "uscc.registration_authority"),
        (_org_check_broken(), "uscc.org_code_check"),
        (_check_char_broken(), "uscc.check_character"),
        ("91110108MA000001/T", "uscc.character"),
        ("00000000000000000X", "uscc.placeholder"),
    ],
)
def test_invalid_code_is_a_400_problem_naming_the_rule(raw, code):
    with pytest.raises(IdentifierError) as rule:
        identify(raw)
    response = _get(raw)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    body = response.json()
    assert (body["code"], body["status"], body["detail"], body["field"]) == (
        code,
        400,
        rule.value.message,
        "code",
    )
    assert body["errors"] == [{"field": "code", "code": code, "message": rule.value.message}]


def test_valid_unknown_code_is_404_problem():
    response = _get(make_uscc(42))
    assert (response.status_code, response["Content-Type"]) == (
        404,
        "application/problem+json; charset=utf-8",
    )
    assert (response.json()["code"], response.json()["detail"]) == (
        "subject.not_found",
        "未找到该代码对应的信用主体",
    )


def _correct(wrong: str, to_subject) -> None:
    requester = Actor(label="user:1", roles=frozenset({"data_officer"}))
    decider = Actor(label="user:2", roles=frozenset({"reviewer"}))
    c = code_correction_request(
        actor=requester, now=T0, wrong_value=wrong, to_subject=to_subject, reason="重复"
    )
    code_correction_decide(actor=decider, now=T0, correction=c, approve=True, note="")


def test_corrected_code_answers_301_with_location(company):
    SubjectFactory(uscc=make_uscc(2))
    _correct(make_uscc(2), company)
    response = _get(make_uscc(2).lower())
    assert (response.status_code, response["Location"]) == (301, URL + make_uscc(1))
    body = response.json()
    assert (body["code"], body["status"], body["new_code"]) == ("subject.code_corrected", 301, make_uscc(1))
    assert body["detail"] == f"代码 {make_uscc(2)} 已更正为 {make_uscc(1)}（重错码更正）"
    assert _get(make_uscc(1)).json()["corrected_codes"] == [make_uscc(2)]


def test_corrected_person_number_answers_301_without_putting_the_number_in_a_url():
    person = PersonFactory(resident_id=make_ric(5))
    _correct(make_ric(6), person)
    response = _get(make_ric(6))
    assert response.status_code == 301 and not response.has_header("Location")
    assert response.json()["new_code"] == ric_mask(make_ric(5))
    assert make_ric(5) not in response.content.decode()


def test_revoked_token_is_refused_on_the_next_request(company, unit):
    issued = api_token_create(actor=Actor.system(), unit=unit, role="reviewer", now=now())
    assert _get(make_uscc(1), issued.secret).status_code == 200
    api_token_revoke(actor=Actor.system(), prefix=issued.token.prefix, now=now())
    response = _get(make_uscc(1), issued.secret)
    assert (response.status_code, response.json()["code"]) == (401, "auth.required")


def _post(path: str, body: dict, secret: str):
    return Client().post(
        URL + path, body, content_type="application/json", headers={"Authorization": f"Bearer {secret}"}
    )


def test_correction_request_and_decision_over_http(company, token):
    SubjectFactory(uscc=make_uscc(2))
    requester, officer, decider = token("reviewer", "张三"), token("data_officer"), token("reviewer", "李四")
    same_unit_unnamed, same_officer = token("reviewer"), token("reviewer", "张三")  # issue 12: one person
    created = _post(
        "corrections", {"wrong_code": make_uscc(2), "to_code": make_uscc(1), "reason": "重复赋码"}, requester
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {
        k: body[k] for k in ("status", "wrong_kind", "wrong_code", "from_subject_code", "to_subject_code")
    } == {
        "status": "submitted",
        "wrong_kind": "uscc",
        "wrong_code": make_uscc(2),
        "from_subject_code": make_uscc(2),
        "to_subject_code": make_uscc(1),
    }
    path = f"corrections/{body['id']}/decision"
    for secret, code in (
        (officer, "auth.operation_forbidden"),
        (requester, "correction.same_person"),
        (same_unit_unnamed, "correction.same_person"),
        (same_officer, "correction.same_person"),
    ):
        refused = _post(path, {"approve": True}, secret)
        assert (refused.status_code, refused.json()["code"]) == (403, code)
    decided = _post(path, {"approve": True, "note": "同意"}, decider)
    assert (decided.status_code, decided.json()["status"], decided.json()["decision_note"]) == (
        200,
        "applied",
        "同意",
    )
    assert _get(make_uscc(2)).status_code == 301
    assert (
        _post("corrections/999/decision", {"approve": False}, decider).json()["code"]
        == "correction.not_found"
    )


def test_correction_request_with_invalid_target_code_names_the_field(company, token):
    response = _post("corrections", {"wrong_code": make_uscc(2), "to_code": "123", "reason": "x"}, token())
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (
        400,
        "identifier.length",
        "to_code",
    )


def test_correction_endpoints_need_a_token():
    response = Client().post(URL + "corrections", {}, content_type="application/json")
    assert response.status_code == 401


def test_openapi_documents_subjects_get():
    spec = Client().get("/api/v1/openapi.json").json()
    operations = {
        op["operationId"]: (path, method) for path, ops in spec["paths"].items() for method, op in ops.items()
    }
    assert operations["subjects_get"] == ("/api/v1/subjects/{code}", "get")
    assert set(spec["paths"]["/api/v1/subjects/{code}"]["get"]["responses"]) >= {"200", "301", "400", "404"}
    assert spec["components"]["schemas"]["SubjectOut"]["properties"]["uscc"]["examples"] == [
        "91110108MA01ABCD5T"
    ]
