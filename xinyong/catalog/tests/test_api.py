"""GET /api/v1/catalog/…: status, content type and exact JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from xinyong.catalog.tests.test_shipped_files import CATEGORY_CODES
from xinyong.config.api import api

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json; charset=utf-8"


@pytest.fixture
def client(shipped) -> Client:
    return Client()


def test_categories_list(client):
    response = client.get("/api/v1/catalog/categories")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json; charset=utf-8")
    body = response.json()
    assert [c["code"] for c in body] == CATEGORY_CODES
    dj = body[2]
    assert {k: v for k, v in dj.items() if k != "fields"} == {
        "code": "DJ",
        "name": "登记注册基本信息",
        "description": "市场主体、社会组织、事业单位和机关的登记、备案、赋码信息。",
        "version": "2026.5",
        "subject_kinds": [
            "enterprise",
            "individual_business",
            "farmer_coop",
            "social_org",
            "public_institution",
            "government_body",
        ],
        "polarity": "neutral",
        "severity_tiers": [],
        "shuanggongshi": False,
        "deadline_working_days": None,
        "publication_rule": "while_registered",
        "providers": ["bj-bianban", "bj-gongshangju", "bj-minzhengju"],
        "providers_open": False,
    }
    assert len(dj["fields"]) == 12


def test_category_get_cf(client):
    response = client.get("/api/v1/catalog/categories/CF")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["shuanggongshi"],
        body["deadline_working_days"],
        body["providers"],
        body["providers_open"],
    ) == (True, 7, [], True)
    fields = {f["code"]: f for f in body["fields"]}
    assert fields["CF_NR_FK"] == {
        "code": "CF_NR_FK",
        "name": "罚款金额（万元）",
        "type": "decimal_wan",
        "required": "conditional",
        "required_if": "cflb_fine",
        "max_length": None,
        "tier": "public",
        "masked": False,
        "multiple": False,
        "long_term": None,
        "values": [],
        "description": "以万元为单位，保留小数（2000 元填 0.2）",
    }
    assert fields["CF_XDR_ZJHM"]["tier"] == "authorised" and fields["CF_XDR_ZJHM"]["masked"] is True
    assert fields["CF_CFLB"]["multiple"] is True
    assert fields["CF_CFLB"]["values"][:2] == [
        {"code": "警告", "label": "警告"},
        {"code": "通报批评", "label": "通报批评"},
    ]
    assert fields["CF_YXQ"]["long_term"] == "2099-12-31"


def test_category_get_xk_code_list(client):
    fields = {f["code"]: f for f in client.get("/api/v1/catalog/categories/XK").json()["fields"]}
    assert fields["XK_XKLB"]["values"][5] == {"code": "06", "label": "其他（备注注明）"}
    assert (fields["XK_XKLB"]["type"], fields["XK_XKLB"]["required"]) == ("code_list", "mandatory")


def test_unknown_category_is_a_404_problem(client):
    response = client.get("/api/v1/catalog/categories/NOPE")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    body = response.json()
    assert (body["status"], body["code"], body["detail"], body["instance"]) == (
        404,
        "catalog.category_not_found",
        "目录类别 NOPE 不存在",
        "/api/v1/catalog/categories/NOPE",
    )


def test_rules_in_force_under_the_2019_version(client):
    response = client.get("/api/v1/catalog/rules", {"on": "2023-04-30"})
    assert response.status_code == 200
    body = response.json()
    assert body["on"] == "2023-04-30"
    assert [r["key"] for r in body["rules"]] == [
        "deadline.shuanggongshi",
        "publication.penalty.general",
        "publication.penalty.minor",
        "publication.penalty.serious",
        "retention.negative_personal",
    ]
    serious = body["rules"][3]
    assert {k: serious[k] for k in ("effective_from", "values")} == {
        "effective_from": "2019-07-01",
        "values": {
            "published": True,
            "min": {"amount": 6, "unit": "months"},
            "max": {"amount": 3, "unit": "years"},
        },
    }


def test_rules_in_force_under_the_2023_version(client):
    rules = {r["key"]: r for r in client.get("/api/v1/catalog/rules?on=2026-03-31").json()["rules"]}
    assert {key: (rules[key]["effective_from"], rules[key]["values"]) for key in PENALTY_KEYS} == {
        "publication.penalty.minor": ("2023-05-01", {"published": False}),
        "publication.penalty.general": (
            "2023-05-01",
            {
                "published": True,
                "min": {"amount": 3, "unit": "months"},
                "max": {"amount": 1, "unit": "years"},
            },
        ),
        "publication.penalty.serious": (
            "2023-05-01",
            {"published": True, "min": {"amount": 1, "unit": "years"}, "max": {"amount": 3, "unit": "years"}},
        ),
    }
    assert "未核对条文原文" in rules["publication.penalty.serious"]["source"]


PENALTY_KEYS = ("publication.penalty.minor", "publication.penalty.general", "publication.penalty.serious")


def test_rules_in_force_under_the_2026_version(client):
    rules = {r["key"]: r for r in client.get("/api/v1/catalog/rules?on=2026-04-01").json()["rules"]}
    assert rules["publication.penalty.minor"]["values"] == {
        "published": False,
        "choice_max": {"amount": 3, "unit": "months"},
    }
    assert rules["publication.penalty.serious"]["values"]["min"] == {"amount": 1, "unit": "years"}
    assert rules["objection.provider_verify"]["values"] == {
        "deadline": {"amount": 10, "unit": "working_days"},
        "overall": {"amount": 20, "unit": "calendar_days"},
    }


@pytest.mark.parametrize(
    ("utc", "beijing"), [("2026-03-31T15:59:59", "2026-03-31"), ("2026-03-31T16:00:00", "2026-04-01")]
)
def test_rules_default_to_today_in_beijing(client, clock, utc, beijing):
    instant = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    clock.set(instant)
    body = client.get("/api/v1/catalog/rules").json()
    minor = next(r for r in body["rules"] if r["key"] == "publication.penalty.minor")
    assert (body["on"], minor["effective_from"]) == (
        beijing,
        beijing if beijing == "2026-04-01" else "2023-05-01",
    )


@pytest.mark.parametrize("on", ["2026-02-30", "yesterday"])
def test_invalid_date_is_a_422_problem(client, on):
    response = client.get("/api/v1/catalog/rules", {"on": on})
    assert (response.status_code, response["Content-Type"]) == (422, PROBLEM)
    body = response.json()
    assert (body["code"], body["errors"][0]["field"]) == ("request.invalid", "on")


def test_operation_ids_are_stable():
    paths = api.get_openapi_schema()["paths"]
    assert paths["/api/v1/catalog/categories"]["get"]["operationId"] == "catalog_categories_list"
    assert paths["/api/v1/catalog/categories/{code}"]["get"]["operationId"] == "catalog_categories_get"
    assert paths["/api/v1/catalog/rules"]["get"]["operationId"] == "catalog_rules_in_force"
