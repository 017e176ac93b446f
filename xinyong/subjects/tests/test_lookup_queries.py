"""GET /api/v1/subjects/{code} reads a subject in a pinned number of statements (issue 18): the identifier
with its subject, then aliases, corrected codes and name history in one — whatever the subject has."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import (
    REGISTRAR,
    T0,
    IndividualBusinessFactory,
    SubjectFactory,
    make_regno,
    make_uscc,
)
from xinyong.accounts.models import Unit
from xinyong.accounts.services import api_token_create
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.subjects import selectors
from xinyong.subjects.services import code_correction_decide, code_correction_request
from xinyong.subjects.services.naming import subject_rename

pytestmark = pytest.mark.django_db
URL = "/api/v1/subjects/"


@pytest.fixture
def renamed_company():
    """A company with a registration number, a former name and a code corrected to it."""
    company = SubjectFactory(
        uscc=make_uscc(1), regno=make_regno(1), name="北京甲科技有限公司", industry="软件"
    )
    subject_rename(
        actor=REGISTRAR,
        now=T0,
        subject=company,
        name="北京乙科技有限公司",
        valid_from=dt.date(2026, 11, 20),
        source="变更登记",
    )
    requester = Actor(label="user:1", roles=frozenset({"data_officer"}))
    decider = Actor(label="user:2", roles=frozenset({"reviewer"}))
    ticket = code_correction_request(
        actor=requester, now=T0, wrong_value=make_uscc(3), to_subject=company, reason="误用代码"
    )
    code_correction_decide(actor=decider, now=T0, correction=ticket, approve=True, note="")
    return company


def _counted_get(path: str, headers: dict | None = None):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, headers=headers or {})
    return response, len(queries.captured_queries)


def test_anonymous_lookup_is_two_statements_with_the_whole_answer(renamed_company):
    response, count = _counted_get(URL + make_uscc(1))
    assert (response.status_code, count) == (200, 2)
    body = response.json()
    assert body["name"] == "北京乙科技有限公司"
    assert body["aliases"] == [
        {"kind": "org_code", "kind_label": "组织机构代码", "value": make_uscc(1)[8:17]},
        {"kind": "regno", "kind_label": "工商注册号", "value": make_regno(1)},
    ]
    assert body["corrected_codes"] == [make_uscc(3)]
    assert body["name_history"] == [
        {"name": "北京甲科技有限公司", "valid_from": "2026-11-02", "valid_to": "2026-11-19"},
        {"name": "北京乙科技有限公司", "valid_from": "2026-11-20", "valid_to": None},
    ]


def test_token_lookup_adds_only_the_token_statement(renamed_company):
    unit = Unit.objects.create(code="xyb", name="市信用办", type="credit_office")
    secret = api_token_create(actor=Actor.system(), unit=unit, role="reviewer", now=now()).secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert Client().get(URL + make_uscc(1), headers=headers).status_code == 200  # notes last_used_at
    response, count = _counted_get(URL + make_uscc(1), headers)
    assert (response.status_code, count) == (200, 3)
    assert response.json()["tier"] == "government"


def test_subject_without_uscc_is_shown_under_its_regno_without_another_statement():
    shop = IndividualBusinessFactory(regno=make_regno(7))
    response, count = _counted_get(URL + make_regno(7))
    assert (response.status_code, count) == (200, 2)
    assert (response.json()["code"], response.json()["uscc"]) == (make_regno(7), None)
    assert selectors.subject_primary_code(shop) == make_regno(7)


def test_details_are_what_the_three_querysets_give(renamed_company):
    details = selectors.subject_details(subject=renamed_company)
    aliases = list(selectors.subject_aliases(subject=renamed_company))
    assert [(a.kind, a.value, a.display) for a in details.aliases] == [
        (a.kind, a.value, a.display) for a in aliases
    ]
    assert details.corrected_codes == selectors.subject_corrected_codes(subject=renamed_company)
    names = selectors.subject_names(subject=renamed_company)
    assert [(n.name, n.valid_from, n.valid_to) for n in details.names] == [
        (n.name, n.valid_from, n.valid_to) for n in names
    ]
