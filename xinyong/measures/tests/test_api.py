"""The HTTP interface: exact JSON of a check, problems for refusals, feedback, overdue, statistics, reference."""

import datetime as dt
import json

import pytest
from django.test import Client

from tests.support.measures import NOW
from tests.support.records import COMPANY
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(clock):
    clock.set(NOW)


def _client(unit: str, role: str = "case_officer"):
    issued = api_token_create(
        actor=Actor.system(), unit=Unit.objects.get(code=unit), role=role, now=NOW, days=365
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    client.label = f"token:{issued.token.prefix}"
    return client


def _post(client, path, body):
    return client.post(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_check_exact_json(listed_company):
    client = _client("bj-caizhengju")
    response = _post(client, "/api/v1/checks", {"matter": "政府采购", "case_number": "京财采〔2026〕88号",
                                                "subjects": [COMPANY, "123"]})  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    check_id, (first, second) = body["check_id"], (r["result_id"] for r in body["results"])
    assert body == {
        "check_id": check_id,
        "unit": {"code": "bj-caizhengju", "name": "市财政局"},
        "matter": {"code": "government-procurement", "name": "政府采购"},
        "case_number": "京财采〔2026〕88号",
        "checked_by": client.label,
        "checked_at": "2026-11-02T10:00:00+08:00",
        "feedback_due": "2026-11-16T23:59:59+08:00",
        "subjects_count": 2,
        "known_count": 1,
        "applicable_count": 1,
        "feedback_pending": 1,
        "overdue": False,
        "results": [
            {
                "result_id": first,
                "index": 0,
                "identifier": COMPANY,
                "known": True,
                "error": None,
                "subject": {"code": COMPANY, "name": "北京华信科技有限公司", "kind": "enterprise"},
                "entries": [
                    {
                        "entry_id": listed_company.list_entries.get().pk,
                        "list_type": "fy-sxbzx",
                        "list_type_name": "失信被执行人名单",
                        "list_kind": "black",
                        "since": "2026-03-02",
                        "until": "2029-03-01",
                        "under_objection": False,
                    }
                ],
                "measures": [
                    {
                        "code": "sxbzxr-procurement",
                        "kind": "punishment",
                        "strength": "restrict",
                        "text": "限制失信被执行人作为供应商参加政府采购活动。",
                        "legal_basis": "《中华人民共和国政府采购法》第二十二条；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）",
                        "memorandum": "sxbzxr-2016",
                        "memorandum_title": "关于对失信被执行人实施联合惩戒的合作备忘录",
                        "document_no": "发改财金〔2016〕141号",
                        "list_types": ["fy-sxbzx"],
                        "feedback": None,
                    }
                ],
                "negative_records": [
                    {
                        "category": "CF",
                        "name": "行政处罚信息",
                        "count": 2,
                        "latest": "2026-10-28",
                        "under_objection": 0,
                    }
                ],
                "records_summary": "行政处罚 2 条（最近 2026-10-28）",
            },
            {
                "result_id": second,
                "index": 1,
                "identifier": "123",
                "known": False,
                "error": {
                    "code": "identifier.length",
                    "message": "无法识别的证件号码：长度为 3 位，应为 9、15、18 或 20 位",
                },
                "subject": None,
                "entries": [],
                "measures": [],
                "negative_records": [],
                "records_summary": None,
            },
        ],
    }
    assert client.get(f"/api/v1/checks/{check_id}").json() == body  # the stored answer is the answer given


def test_feedback_then_overdue_and_statistics_over_http(listed_company, clock):
    client = _client("bj-caizhengju")
    check = _post(client, "/api/v1/checks", {"matter": "government-procurement", "case_number": "C",
                                             "subjects": [COMPANY, COMPANY]}).json()  # fmt: skip
    first, second = (r["result_id"] for r in check["results"])
    filed = _post(client, f"/api/v1/checks/{check['check_id']}/feedback", {"items": [
        {"result_id": first, "measure_code": "sxbzxr-procurement", "outcome": "applied", "applied_on": "2026-11-02"}
    ]})  # fmt: skip
    assert filed.status_code == 201
    assert filed.json()["feedback_pending"] == 1 and filed.json()["late"] is False
    assert filed.json()["filed"][0]["measure_code"] == "sxbzxr-procurement"
    again = _post(client, f"/api/v1/checks/{check['check_id']}/feedback", {"items": [
        {"result_id": first, "measure_code": "sxbzxr-procurement", "outcome": "applied", "applied_on": "2026-11-02"}
    ]})  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "feedback.duplicate")
    other = _post(_client("bj-haidian"), f"/api/v1/checks/{check['check_id']}/feedback", {"items": [
        {"result_id": second, "measure_code": "sxbzxr-procurement", "outcome": "applied", "applied_on": "2026-11-02"}
    ]})  # fmt: skip
    assert (other.status_code, other.json()["code"]) == (403, "feedback.wrong_unit")

    assert client.get("/api/v1/checks/overdue").json() == {
        "unit": {"code": "bj-caizhengju", "name": "市财政局"},
        "count": 0,
        "items": [],
        "next_cursor": None,
    }
    clock.set(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
    overdue = client.get("/api/v1/checks/overdue").json()
    assert overdue["count"] == 1 and overdue["items"][0]["pending"] == 1
    assert overdue["items"][0]["overdue_working_days"] == 4
    stats = client.get("/api/v1/checks/statistics").json()
    assert stats["total"] == {"checks": 1, "subjects": 2, "applicable": 2, "applied": 1, "not_applicable": 0,
                              "exempted": 0, "pending": 1, "overdue": 1, "late": 0, "rate": 0.5}  # fmt: skip
    assert stats["filters"]["unit"] == "bj-caizhengju"  # a unit's officer sees its own unit
    assert client.get("/api/v1/checks/statistics?unit=bj-haidian").status_code == 403
    office = _client("bj-jingxinwei", "reviewer")
    assert office.get("/api/v1/checks/statistics").json()["filters"]["unit"] is None
    assert office.get(f"/api/v1/checks/{check['check_id']}").status_code == 200
    assert _client("bj-haidian").get(f"/api/v1/checks/{check['check_id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"matter": "政府采购", "case_number": "C", "subjects": []}, 400, "check.subjects_required"),
        (
            {"matter": "政府采购", "case_number": "C", "subjects": [COMPANY] * 1001},
            413,
            "check.too_many_subjects",
        ),
        ({"matter": "政府采购", "case_number": "", "subjects": [COMPANY]}, 400, "check.case_number_required"),
        ({"matter": "nothing", "case_number": "C", "subjects": [COMPANY]}, 400, "check.matter_unknown"),
        ({"matter": "政府采购", "subjects": [COMPANY]}, 422, "request.invalid"),
    ],
)
def test_check_problems(memoranda, body, status, code):
    response = _post(_client("bj-caizhengju"), "/api/v1/checks", body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response["Content-Type"].startswith("application/problem+json")


def test_check_needs_an_officer_token(memoranda):
    body = {"matter": "政府采购", "case_number": "C", "subjects": [COMPANY]}
    assert _post(Client(), "/api/v1/checks", body).status_code == 401
    response = _post(_client("bj-caizhengju", "institution"), "/api/v1/checks", body)
    assert (response.status_code, response.json()["code"]) == (403, "auth.operation_forbidden")


def test_memoranda_and_matters_are_public(memoranda):
    matters = Client().get("/api/v1/matters").json()
    assert matters["count"] == 12
    assert {"code": "government-procurement", "name": "政府采购"} in matters["matters"]
    body = Client().get("/api/v1/memoranda").json()
    assert body["count"] == 5
    memo = next(m for m in body["memoranda"] if m["code"] == "zfcg-2018")
    assert memo["list_types"] == [{"code": "zfcg-blxw", "name": "政府采购严重违法失信行为记录名单"}]
    assert memo["feedback_working_days"] == 5
    ban = next(x for x in memo["measures"] if x["code"] == "zfcg-ban")
    assert (ban["kind_label"], ban["strength_label"], ban["implementing_all"]) == ("失信惩戒", "禁止", False)
    assert len(ban["implementing_units"]) == 17 and ban["matters"] == [
        {"code": "government-procurement", "name": "政府采购"}
    ]
