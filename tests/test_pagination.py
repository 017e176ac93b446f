"""One pagination envelope for every paged list, with a page cap and RFC 8288 Link headers (issue 13, issue 17;
core/pagination.py, ADR 0020). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_create
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.pagination import MAX_PAGE_SIZE, encode_cursor
from xinyong.oversight.services import plan_load

pytestmark = pytest.mark.django_db
ADMIN = Actor(label="user:1", roles=frozenset({"admin"}))
T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
LINK = re.compile(r'^<(/api/v1/[^>]+)>; rel="next"$')


@pytest.fixture
def reviewer(db) -> Client:
    units_load(actor=ADMIN, now=T0)
    rules_load(actor=ADMIN, now=T0)
    catalog_load(actor=ADMIN, now=T0)
    office = Unit.objects.get(code="bj-jingxinwei")  # hosts the credit office (units.yaml): role reviewer
    issued = api_token_create(actor=ADMIN, unit=office, role="reviewer", now=dt.datetime.now(dt.UTC))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_link_header_walks_every_page(reviewer):
    plan_load(actor=ADMIN, now=T0)
    url, numbers, pages = "/api/v1/plan/tasks?limit=20", [], []
    while url:
        response = Client().get(url)
        body = response.json()
        assert list(body) == ["count", "items", "next_cursor"]
        numbers += [task["number"] for task in body["items"]]
        pages.append(response.get("Link"))
        url = LINK.match(response["Link"]).group(1) if "Link" in response else None
        assert (url is None) == (body["next_cursor"] is None)
    assert numbers == list(range(1, 56))
    assert pages[0] == f'</api/v1/plan/tasks?limit=20&cursor={encode_cursor({"after": 20})}>; rel="next"'
    assert pages[2] is None and len(pages) == 3


def test_page_size_is_capped(reviewer):
    assert MAX_PAGE_SIZE == 100
    for path in ("/api/v1/plan/tasks", "/api/v1/lists/entries", "/api/v1/publicity/licences"):
        response = Client().get(path, {"limit": MAX_PAGE_SIZE + 1})
        assert (response.status_code, response.json()["code"]) == (422, "request.invalid")
    clamped = reviewer.get("/api/v1/objections", {"limit": 10_000})
    assert clamped.status_code == 200


PAGED = (
    "/api/v1/plan/tasks",
    "/api/v1/lists/entries",
    "/api/v1/publicity/licences",
    "/api/v1/search?q=银行",
    "/api/v1/objections",
    "/api/v1/repairs",
    "/api/v1/pushes/inbox",
    "/api/v1/pushes/failed",
    "/api/v1/tipoffs/inbox",
    "/api/v1/checks/overdue",
    "/api/v1/commitments/overdue",
)


def test_every_paged_list_has_one_envelope_and_refuses_a_bad_cursor(reviewer):
    """One setup for all eleven (the reference data takes seconds to load)."""
    for path in PAGED:
        first = reviewer.get(path)
        assert first.status_code == 200, (path, first.content)
        assert {"items", "next_cursor"} <= set(first.json()), path
        for cursor in ("e30", "!!!", encode_cursor({"i": "x", "at": 1, "after": "y", "d": 3})):
            sep = "&" if "?" in path else "?"
            bad = reviewer.get(f"{path}{sep}cursor={cursor}")
            assert (bad.status_code, bad.json()["code"]) == (400, "cursor.invalid"), (
                path,
                cursor,
                bad.content,
            )


def test_a_work_queue_pages_by_position():
    """Work queues computed in memory (tipoff inbox, overdue checks and commitments) page by position."""
    from django.test import RequestFactory

    from xinyong.core.pagination import sequence_page

    request, rows, seen, cursor = RequestFactory().get("/api/v1/checks/overdue"), list(range(5)), [], None
    while True:
        page = sequence_page(request, rows, limit=2, cursor=cursor, shape=lambda n: n * 10, count=5)
        seen.append(page["items"])
        cursor = page["next_cursor"]
        assert request.page_next_cursor == cursor and page["count"] == 5
        if cursor is None:
            break
    assert seen == [[0, 10], [20, 30], [40]]
    for bad in (encode_cursor({"o": -1}), encode_cursor({"o": True}), encode_cursor({"o": "2"})):
        with pytest.raises(DomainError, match="cursor.invalid"):
            sequence_page(request, rows, limit=2, cursor=bad, shape=str)
