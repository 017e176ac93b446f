"""The reports API: POST /api/v1/reports (PDF), GET and POST /api/v1/reports/verify."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.reports import COMPANY, NOW, pdf_text
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import api_token_create, user_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, rfc3339
from xinyong.reports.models import Report

pytestmark = pytest.mark.django_db


def _client(role: str, unit: str = "bj-gongshangju") -> Client:
    issued = api_token_create(actor=Actor.system(), unit=Unit.objects.get(code=unit), role=role, now=NOW)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _post(client: Client, **body):
    payload = {"subject": COMPANY, "kind": "full", "purpose": "招投标", **body}
    return client.post("/api/v1/reports", json.dumps(payload), content_type="application/json")


@pytest.fixture
def issued(known):
    response = _post(_client("case_officer"))
    assert response.status_code == 200
    return response


def test_issue_returns_the_pdf_with_its_number(issued):
    report = Report.objects.get()
    assert issued["Content-Type"] == "application/pdf"
    assert issued["Content-Disposition"] == f'attachment; filename="{report.number}.pdf"'
    assert (issued["X-Report-Number"], issued["X-Report-Sha256"]) == (report.number, report.sha256)
    assert issued.content.startswith(b"%PDF-")
    assert hashlib.sha256(issued.content).hexdigest() == report.sha256
    text = pdf_text(issued.content)
    assert f"报告编号 {report.number}" in text and f"验证码 {issued['X-Report-Code']}" in text


def test_compliance_kind(known):
    response = _post(_client("data_officer"), kind="compliance", purpose="投标")
    assert response.status_code == 200
    assert Report.objects.get().kind == "compliance"
    assert "刑事犯罪记录 本平台未归集" in pdf_text(response.content)


def test_anonymous_is_401(known):
    response = _post(Client())
    assert (response.status_code, response.json()["code"]) == (401, "auth.required")
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "role, unit",
    [("public", "bj-gongshangju"), ("institution", "bj-gongshangju"), ("auditor", "bj-jingxinwei")],
)
def test_other_roles_are_403(known, role, unit):
    response = _post(_client(role, unit))
    assert (response.status_code, response.json()["code"]) == (403, "auth.operation_forbidden")


def test_the_subject_with_its_own_token(known):
    user = User.objects.create(username="huaxin", roles=[])
    subject_account_link(actor=Actor.system(), user=user, subject_id=known.subject.pk, now=NOW)
    token = user_token_create(actor=Actor.system(), user=user, now=NOW)
    response = _post(Client(HTTP_AUTHORIZATION=f"Bearer {token.secret}"), purpose="银行贷款")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="report.issue").get()
    assert (event.payload["level"], event.reason) == ("self", "银行贷款")


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"subject": "91110108000999993T"}, 404, "subject.not_found"),
        ({"subject": "123"}, 400, None),
        ({"kind": "all"}, 422, "request.invalid"),
        ({"purpose": ""}, 422, "request.invalid"),
    ],
)
def test_bad_requests(known, body, status, code):
    response = _post(_client("case_officer"), **body)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    assert Report.objects.count() == 0


def test_verify_by_number_and_code(issued):
    report = Report.objects.get()
    response = Client().get(
        "/api/v1/reports/verify", {"number": report.number, "code": issued["X-Report-Code"]}
    )
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "message": "报告真实有效：该报告由本平台出具。",
        "number": report.number,
        "kind": "full",
        "kind_label": "公共信用信息报告",
        "subject_name": "北京华信科技有限公司",
        "subject_code": COMPANY,
        "issued_at": rfc3339(report.created_at),  # the API issues at the real time (ADR 0020 shape)
        "issued_date": business_date(report.created_at).isoformat(),
        "pages": report.pages,
        "size": report.size,
        "sha256": report.sha256,
        "file_matches": None,
    }


def test_verify_with_a_hash(issued):
    report = Report.objects.get()
    query = {"number": report.number, "code": issued["X-Report-Code"]}
    good = Client().get("/api/v1/reports/verify", {**query, "sha256": report.sha256}).json()
    bad = Client().get("/api/v1/reports/verify", {**query, "sha256": "0" * 64}).json()
    assert (good["file_matches"], bad["file_matches"], bad["valid"]) == (True, False, True)
    malformed = Client().get("/api/v1/reports/verify", {**query, "sha256": "xyz"})
    assert (malformed.status_code, malformed.json()["code"]) == (400, "report.sha256_invalid")


def test_verify_wrong_code_is_404(issued):
    report = Report.objects.get()
    response = Client().get("/api/v1/reports/verify", {"number": report.number, "code": "2222222222"})
    assert (response.status_code, response.json()["code"]) == (404, "report.not_found")
    assert response.json()["detail"] == "报告编号或验证码不正确，未找到对应的信用报告"
    assert "sha256" not in response.json() and report.number not in response.json()["detail"]


def _upload(issued, data: bytes, code: str | None = None):
    report = Report.objects.get()
    return Client().post(
        "/api/v1/reports/verify",
        {
            "number": report.number,
            "code": code or issued["X-Report-Code"],
            "file": SimpleUploadedFile("report.pdf", data, content_type="application/pdf"),
        },
    )


def test_verify_an_uploaded_file(issued):
    response = _upload(issued, issued.content)
    assert response.status_code == 200
    body = response.json()
    assert (body["valid"], body["file_matches"]) == (True, True)
    assert body["message"] == "报告真实有效，所核对的文件与平台留存的文件摘要一致，未被改动。"


def test_verify_an_altered_upload(issued):
    altered = bytearray(issued.content)
    altered[-100] ^= 0x01  # one bit of one byte
    body = _upload(issued, bytes(altered)).json()
    assert (body["valid"], body["file_matches"]) == (True, False)


def test_upload_with_wrong_code_is_404(issued):
    response = _upload(issued, issued.content, code="2222222222")
    assert (response.status_code, response.json()["code"]) == (404, "report.not_found")


def test_openapi_documents_the_endpoints(db):
    spec = Client().get("/api/v1/openapi.json").json()
    assert set(spec["paths"]["/api/v1/reports"]) == {"post"}
    assert set(spec["paths"]["/api/v1/reports/verify"]) == {"get", "post"}
    assert "application/pdf" in spec["paths"]["/api/v1/reports"]["post"]["responses"]["200"]["content"]
