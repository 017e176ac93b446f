"""The progress report endpoints (/api/v1/plan/reports, ADR 0038): a unit's officer files its report with
evidence (multipart), reads its own unit's reports only; the credit office reads all and reviews (accept, or
return with a reason) with four eyes; refusals are problem details with stable codes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.authz import token_for
from tests.support.oversight import CREDIT_OFFICE_UNIT, DONGCHENG, FINANCE, PDF
from xinyong.oversight.models import PlanTaskUnit

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
OCT_12 = dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING)


@pytest.fixture
def api(reporting, clock):
    clock.set(OCT_12)
    tokens = {
        "finance": token_for(FINANCE, "data_officer"),
        "district": token_for(DONGCHENG, "case_officer"),
        "reviewer": token_for(CREDIT_OFFICE_UNIT, "reviewer"),
    }
    return {name: Client(HTTP_AUTHORIZATION=f"Bearer {secret}") for name, secret in tokens.items()}


def _file(client: Client, **fields):
    body = {
        "task": 3,
        "period": "2026Q3",
        "progress": "on_track",
        "narrative": "已建立责任制。",
        "submit": "true",
    }
    return client.post("/api/v1/plan/reports", body | fields)


def test_a_unit_files_its_report_with_evidence_and_reads_only_its_own(api):
    pdf = SimpleUploadedFile("责任制.pdf", PDF, content_type="application/pdf")
    answer = _file(api["finance"], files=[pdf])
    assert answer.status_code == 201, answer.content
    report = answer.json()
    assert (report["task"], report["unit"]["code"], report["state"], report["late_working_days"]) == (
        3,
        FINANCE,
        "submitted",
        0,
    )
    assert report["due_at"] == "2026-10-20T23:59:59+08:00"
    assert [e["name"] for e in report["evidence"]] == ["责任制.pdf"]
    assert [step["action"] for step in report["history"]] == ["create", "submit"]
    assert api["finance"].get("/api/v1/plan/reports").json()["count"] == 1
    assert api["district"].get("/api/v1/plan/reports").json()["count"] == 0
    other = api["district"].get(f"/api/v1/plan/reports?unit={FINANCE}")
    assert (other.status_code, other.json()["code"]) == (403, "plan_report.own_unit_only")
    hidden = api["district"].get(f"/api/v1/plan/reports/{report['id']}")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "plan_report.not_found")
    assert api["reviewer"].get(f"/api/v1/plan/reports?unit={FINANCE}").json()["count"] == 1


def test_refusals_are_problems_with_stable_codes(api):
    bad = _file(api["finance"], files=[SimpleUploadedFile("说明.pdf", b"x", content_type="application/pdf")])
    assert (bad.status_code, bad.json()["code"]) == (400, "evidence.invalid")
    assert bad.json()["errors"][0] == {
        "field": "files[0]",
        "code": "content",
        "message": "说明.pdf：文件内容与扩展名不符",
    }
    not_owed = _file(api["finance"], task=7)
    assert (not_owed.status_code, not_owed.json()["code"]) == (400, "plan_report.not_owed")
    office = _file(api["reviewer"])
    assert (office.status_code, office.json()["code"]) == (403, "auth.operation_forbidden")


def test_the_credit_office_returns_then_accepts(api):
    report_id = _file(api["finance"]).json()["id"]
    url = f"/api/v1/plan/reports/{report_id}/review"
    by_unit = api["finance"].post(url, {"decision": "accept"}, content_type="application/json")
    assert (by_unit.status_code, by_unit.json()["code"]) == (403, "auth.operation_forbidden")
    blank = api["reviewer"].post(url, {"decision": "return", "reason": " "}, content_type="application/json")
    assert (blank.status_code, blank.json()["code"]) == (400, "plan_report.reason_required")
    returned = api["reviewer"].post(
        url, {"decision": "return", "reason": "请补充"}, content_type="application/json"
    )
    assert (returned.json()["state"], returned.json()["return_reason"]) == ("returned", "请补充")
    early = api["reviewer"].post(url, {"decision": "accept"}, content_type="application/json")
    assert (early.status_code, early.json()["code"]) == (409, "plan_report.invalid_transition")
    assert _file(api["finance"], narrative="已补充。").json()["state"] == "submitted"
    accepted = api["reviewer"].post(url, {"decision": "accept"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert [s["action"] for s in accepted.json()["history"]] == [
        "create",
        "submit",
        "return",
        "edit",
        "resubmit",
        "accept",
    ]


def test_overdue_reports_of_the_unit(api, clock):
    _file(api["finance"])
    clock.set(dt.datetime(2026, 10, 21, 9, 0, tzinfo=BEIJING))
    answer = api["finance"].get("/api/v1/plan/reports/overdue?limit=5")
    owed = PlanTaskUnit.objects.filter(unit__code=FINANCE).count()
    assert answer.json()["count"] == owed - 1 and len(answer.json()["items"]) == 5
    assert answer.json()["items"][0]["due_at"] == "2026-10-20T23:59:59+08:00"
    assert answer.json()["items"][0]["state"] is None
