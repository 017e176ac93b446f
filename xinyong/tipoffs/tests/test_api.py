"""/api/v1/tipoffs over HTTP: filing as multipart without an account, progress by query code (exact JSON, no
identity), the handling unit's steps, detail and inbox, and refusals as problem details."""

import json
import re

import pytest
from django.test import Client

from tests.support.tipoffs import DESCRIPTION, FILED_AT, FINDINGS, bj
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.tipoffs.models import Tipoff

pytestmark = pytest.mark.django_db
URL = "/api/v1/tipoffs"
PROBLEM = "application/problem+json; charset=utf-8"
NAME, PHONE = "李秀英", "13912345678"
FORM = {
    "subject": "北京华信科技有限公司",
    "category": "JYYC",
    "description": DESCRIPTION,
    "reporter_name": NAME,
    "reporter_phone": PHONE,
}


@pytest.fixture
def clock(clock):
    """The instant the tipoffs API hands to the services (and checks tokens at)."""
    clock.set(FILED_AT)
    return clock


def _client(unit_code: str, role: str) -> Client:
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code=unit_code), role=role, now=timeutil.now()
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _pdf(name="合同.pdf", data=b"%PDF-1.4 evidence"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _file(**overrides):
    return Client().post(URL, {**FORM, "files": [_pdf()], **overrides})


def _post(client: Client, path: str, body: dict | None = None):
    return client.post(f"{URL}{path}", json.dumps(body or {}), content_type="application/json")


def test_filing_answers_the_query_code_and_progress_follows_it(company, clock):
    response = _file()
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"JB(-[0-9A-HJKMNP-TV-Z]{4}){4}", body.pop("query_code"))
    assert body == {
        "state": "submitted",
        "state_label": "已提交",
        "handling_unit_name": "市工商局",
        "filed_at": "2026-09-30T10:00:00+08:00",
        "accept_deadline": "2026-10-13T23:59:59+08:00",
        "evidence_count": 1,
    }
    tipoff = Tipoff.objects.get()
    assert (tipoff.subject.name, tipoff.anonymous) == ("北京华信科技有限公司", False)
    officer = _client("bj-gongshangju", "case_officer")
    clock.set(bj(2026, 10, 9, 10))
    assert _post(officer, f"/{tipoff.pk}/acceptance").status_code == 200
    progress = Client().get(f"{URL}/progress", {"code": tipoff.query_code.lower()})
    assert progress.status_code == 200
    assert progress.json() == {
        "state": "accepted",
        "state_label": "已受理",
        "category_name": "经营异常名录信息",
        "handling_unit_name": "市工商局",
        "filed_at": "2026-09-30T10:00:00+08:00",
        "accept_deadline": "2026-10-13T23:59:59+08:00",
        "accepted_at": "2026-10-09T10:00:00+08:00",
        "conclude_deadline": "2026-11-19T23:59:59+08:00",
        "refusal_reason": "",
        "outcome": "",
        "findings": "",
        "concluded_at": None,
        "reward": {
            "decision": "none",
            "decision_label": "未作出奖励决定",
            "amount_yuan": None,
            "text": "",
            "decided_at": None,
        },
        "closed_at": None,
        "steps": [
            {"action": "file", "action_label": "提交举报", "at": "2026-09-30T10:00:00+08:00"},
            {"action": "accept", "action_label": "受理", "at": "2026-10-09T10:00:00+08:00"},
        ],
    }
    text = progress.content.decode()
    assert NAME not in text and PHONE not in text and "token:" not in text and "李**" not in text


def test_the_whole_handling_over_http_ends_in_the_reporters_answer(company, clock):
    code = _file().json()["query_code"]
    pk = Tipoff.objects.get().pk
    officer = _client("bj-gongshangju", "case_officer")
    steps = [
        ("acceptance", {}, bj(2026, 10, 9, 10)),
        ("investigation", {}, bj(2026, 10, 12, 9)),
        ("conclusion", {"substantiated": True, "findings": FINDINGS}, bj(2026, 11, 2, 9)),
        (
            "reward",
            {"grant": True, "amount_yuan": "2000", "text": "给予举报奖励 2000 元"},
            bj(2026, 11, 3, 9),
        ),
        ("closure", {}, bj(2026, 11, 4, 9)),
    ]
    for path, body, at in steps:
        clock.set(at)
        response = _post(officer, f"/{pk}/{path}", body)
        assert response.status_code == 200, response.content
    case = response.json()
    assert (case["state"], case["reward"]["amount_yuan"], case["reporter_masked"]) == (
        "closed",
        "2000.00",
        "李**，139****5678",
    )
    assert "reporter" not in case and case["transitions"][-1]["actor"].startswith("token:")
    progress = Client().get(f"{URL}/progress", {"code": code}).json()
    assert {k: progress[k] for k in ("state", "outcome", "findings", "closed_at")} == {
        "state": "closed",
        "outcome": "substantiated",
        "findings": FINDINGS,
        "closed_at": "2026-11-04T09:00:00+08:00",
    }
    assert progress["reward"] == {
        "decision": "granted",
        "decision_label": "给予奖励",
        "amount_yuan": "2000.00",
        "text": "给予举报奖励 2000 元",
        "decided_at": "2026-11-03T09:00:00+08:00",
    }


def test_wrong_and_malformed_codes_answer_the_same_problem(company, clock):
    _file()
    answers = []
    for code in ("JB-0000-0000-0000-0000", "nonsense"):
        response = Client().get(f"{URL}/progress", {"code": code})
        assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
        answers.append({k: v for k, v in response.json().items() if k not in ("instance", "request_id")})
    assert (
        answers[0]
        == answers[1]
        == {
            "type": "https://xinyong.example/problems/tipoff.code_not_found",
            "title": "tipoff.code_not_found",
            "status": 404,
            "detail": "查询码无效或不存在",
            "code": "tipoff.code_not_found",
            "errors": [],
        }
    )


def test_detail_for_the_handling_unit_only(company, clock):
    _file()
    pk = Tipoff.objects.get().pk
    response = _client("bj-gongshangju", "data_officer").get(f"{URL}/{pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["reporter"] == {"name": NAME, "phone": PHONE, "id_number": ""}
    assert body["evidence"][0]["name"] == "合同.pdf" and body["subject"]["text"] == "北京华信科技有限公司"
    assert body["due"] == {
        "kind": "accept",
        "deadline": "2026-10-13T23:59:59+08:00",
        "overdue": False,
        "working_days_late": 0,
    }
    assert AuditEvent.objects.filter(action="tipoff.identity_read").count() == 1
    for client in (_client("bj-caizhengju", "data_officer"), _client("bj-jingxinwei", "reviewer"), Client()):
        response = client.get(f"{URL}/{pk}")
        assert (response.status_code, response.json()["code"], response.json()["detail"]) == (
            404,
            "tipoff.not_found",
            f"举报 {pk} 不存在",
        )
        assert NAME not in response.content.decode()
    assert AuditEvent.objects.filter(action="tipoff.identity_read").count() == 1


def test_evidence_for_the_handling_unit_only_and_every_read_audited(company, clock):
    _file()
    tipoff = Tipoff.objects.get()
    (file_id,) = tipoff.evidence_ids
    url = f"{URL}/{tipoff.pk}/evidence/{file_id}"
    got = _client("bj-gongshangju", "case_officer").get(url)
    assert (got.status_code, got.content, got["Content-Type"]) == (
        200,
        b"%PDF-1.4 evidence",
        "application/pdf",
    )
    assert got["Content-Disposition"] == "attachment; filename*=utf-8''%E5%90%88%E5%90%8C.pdf"
    read = AuditEvent.objects.get(action="evidence.read")
    assert (read.target_id, read.unit_code) == (str(file_id), "bj-gongshangju")
    assert read.payload == {"case": "tipoff", "case_id": tipoff.pk, "purpose": "tipoff"}
    assert NAME not in json.dumps(read.payload, ensure_ascii=False)
    for client in (_client("bj-caizhengju", "data_officer"), _client("bj-jingxinwei", "reviewer"), Client()):
        refused = client.get(url)
        assert (refused.status_code, refused.json()["code"]) == (404, "tipoff.not_found")
    missing = _client("bj-gongshangju", "case_officer").get(f"{URL}/{tipoff.pk}/evidence/{file_id + 1}")
    assert (missing.status_code, missing.json()["code"]) == (404, "evidence.not_found")
    assert AuditEvent.objects.filter(action="evidence.read").count() == 1


def test_steps_refused_as_problems(company, clock):
    _file()
    pk = Tipoff.objects.get().pk
    response = _post(_client("bj-caizhengju", "data_officer"), f"/{pk}/acceptance")
    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    assert (response.json()["code"], response.json()["detail"]) == (
        "tipoff.wrong_unit",
        f"只有承办单位（市工商局）的工作人员可以受理（举报 {pk}）",
    )
    response = _post(_client("bj-gongshangju", "case_officer"), f"/{pk}/investigation")
    body = response.json()
    assert (response.status_code, body["code"], body["state"], body["action"]) == (
        409,
        "tipoff.invalid_transition",
        "submitted",
        "investigate",
    )
    assert body["detail"] == f"举报 {pk} 当前状态为“已提交”，不能开始调查核实"
    response = _post(_client("bj-gongshangju", "case_officer"), f"/{pk}/refusal", {"reason": ""})
    assert (response.status_code, response.json()["code"]) == (400, "tipoff.reason_required")
    assert Client().post(f"{URL}/{pk}/acceptance").status_code == 401


def test_routing_over_http(company, clock):
    Client().post(URL, {**FORM, "category": "DJ"})
    pk = Tipoff.objects.get().pk
    response = _post(_client("bj-jingxinwei", "reviewer"), f"/{pk}/routing", {"unit": "市民政局"})
    assert (response.status_code, response.json()["handling_unit"]) == (200, "bj-minzhengju")
    response = _post(_client("bj-jingxinwei", "reviewer"), f"/{pk}/routing", {"unit": "bj-minzhengju"})
    assert (response.status_code, response.json()["code"]) == (409, "tipoff.route_same_unit")


def test_evidence_refusal_is_a_400_problem_naming_the_file(company, clock):
    response = Client().post(URL, {**FORM, "files": [_pdf(), _pdf("扫描.jpg", b"%PDF-1.4")]})
    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    body = response.json()
    assert (body["code"], body["detail"]) == (
        "evidence.invalid",
        "证明材料不符合要求：扫描.jpg：文件内容与扩展名不符",
    )
    assert body["errors"] == [
        {"field": "files[1]", "code": "content", "message": "扫描.jpg：文件内容与扩展名不符"}
    ]
    assert not Tipoff.objects.exists()


def test_filing_refusals_are_problems(company, clock):
    response = Client().post(URL, {**FORM, "category": "DJ", "unit": "市财政局"})
    assert (response.status_code, response.json()["code"], response.json()["detail"]) == (
        400,
        "tipoff.unit_not_competent",
        "市财政局不是“登记注册基本信息”（DJ）的信息提供单位，不能承办此类举报",
    )
    response = Client().post(URL, {k: v for k, v in FORM.items() if k != "subject"})
    assert (response.status_code, response.json()["code"]) == (422, "request.invalid")
    assert response.json()["errors"][0]["field"] == "form.subject"


def test_anonymous_filing_without_files(company, clock):
    response = Client().post(URL, {**FORM, "anonymous": "true", "reporter_name": "", "reporter_phone": ""})
    assert response.status_code == 201 and response.json()["evidence_count"] == 0
    assert Tipoff.objects.get().anonymous


def test_inbox_over_http_flags_overdue(company, clock):
    _file()
    clock.set(bj(2026, 10, 14, 9))
    response = _client("bj-gongshangju", "case_officer").get(f"{URL}/inbox")
    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["count"], body["overdue"]) == ("bj-gongshangju", 1, 1)
    item = body["items"][0]
    assert (item["state"], item["category"], item["subject_text"], item["due"]) == (
        "submitted",
        "JYYC",
        "北京华信科技有限公司",
        {"kind": "accept", "deadline": "2026-10-13T23:59:59+08:00", "overdue": True, "working_days_late": 1},
    )
    assert Client().get(f"{URL}/inbox").status_code == 401
