"""Subject search over HTTP: GET /api/v1/search for anonymous and government callers, problems and limits."""

import json

import pytest
from django.test import Client

from tests.support.factories import (
    PersonFactory,
    make_ric,
    make_uscc,
)
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.api import encode_cursor
from xinyong.core.timeutil import now
from xinyong.subjects.identifiers import ric_mask

pytestmark = pytest.mark.django_db


URL = "/api/v1/search"


# ── HTTP ──────────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def government_token():
    unit = Unit.objects.create(code="xyb", name="市信用办", type="credit_office")
    return api_token_create(actor=Actor.system(), unit=unit, role="reviewer", now=now()).secret


def _get(secret=None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Client().get(URL, params, headers=headers)


def test_api_search_anonymous(jingdong):
    PersonFactory(name="京东", resident_id=make_ric(1))
    response = _get(q="京东", limit=3)
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "京东"
    assert body["items"] == [
        {
            "code": make_uscc(8),
            "name": "京东",
            "kind": "enterprise",
            "kind_label": "企业",
            "status": "active",
            "reason": "exact_name",
            "matched_name": None,
            "highlight": [[0, 2]],
            "list_entries": [],
            "under_objection": False,
        },
        {
            "code": make_uscc(6),
            "name": "北京某某科技有限公司",
            "kind": "enterprise",
            "kind_label": "企业",
            "status": "active",
            "reason": "former_name",
            "matched_name": "京东",
            "highlight": [[0, 2]],
            "list_entries": [],
            "under_objection": False,
        },
        {
            "code": make_uscc(7),
            "name": "京东科技有限公司",
            "kind": "enterprise",
            "kind_label": "企业",
            "status": "active",
            "reason": "prefix",
            "matched_name": None,
            "highlight": [[0, 2]],
            "list_entries": [],
            "under_objection": False,
        },
    ]
    rest = _get(q="京东", limit=50, cursor=body["next_cursor"]).json()
    assert [i["name"] for i in rest["items"]][:2] == ["京东世纪贸易有限公司", "北京方正商贸有限公司"]
    assert len(rest["items"]) == 6 and rest["next_cursor"] is None


def test_api_government_sees_persons_by_name_and_each_look_is_logged(government_token):
    person = PersonFactory(name="王京东", resident_id=make_ric(1))
    body = _get(government_token, q="京东", purpose="行政许可审查 京审〔2026〕1号").json()
    assert [(i["name"], i["code"], i["kind"]) for i in body["items"]] == [
        ("王京东", ric_mask(make_ric(1)), "natural_person")
    ]
    events = AuditEvent.objects.filter(action="subject.person_read", target_id=str(person.pk))
    assert [e.reason for e in events] == ["行政许可审查 京审〔2026〕1号"]
    assert _get(q="京东").json()["items"] == []
    assert AuditEvent.objects.filter(action="subject.person_read").count() == 1


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "京"}, "search.query_too_short"),
        ({"q": "京" * 51}, "search.query_too_long"),
        ({"q": ""}, "search.query_empty"),
        ({}, "search.query_empty"),
        ({"q": "京东", "cursor": "not a cursor!"}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": 1, "l": 2})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": 9, "l": 2, "i": 1})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": "1", "l": 2, "i": 1})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor({"r": 1, "l": 2, "i": 2**64})}, "cursor.invalid"),
        ({"q": "京东", "cursor": encode_cursor([1, 2, 3])}, "cursor.invalid"),
    ],
)
def test_api_problems(params, code):
    response = _get(**params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["code"] == code


def test_api_limit_is_bounded():
    assert _get(q="京东", limit=101).status_code == 422
