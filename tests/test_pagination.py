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
    over = reviewer.get("/api/v1/objections", {"limit": 10_000})
    assert (over.status_code, over.json()["code"]) == (422, "request.invalid")


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


# ── every GET operation of the OpenAPI document: paged, or declared not a list (issue 17) ─────────────────

NOT_A_LIST = {
    # one object, a file, a computation or an aggregate
    **dict.fromkeys(
        [
            "calendar_add_working_days",
            "catalog_categories_get",
            "checks_get",
            "checks_statistics",
            "commitments_get",
            "lists_entry_get",
            "lists_notice_letter",
            "objections_evidence",
            "objections_get",
            "objections_progress",
            "objections_stats",
            "plan_get",
            "plan_task_get",
            "plan_report_get",
            "publicity_export",
            "repairs_evidence",
            "repairs_get",
            "repairs_progress",
            "reports_notice_letter",
            "reports_verify",
            "subjects_get",
            "subjects_profile",
            "submissions_get",
            "submissions_rejected",
            "timeliness_report",
            "tipoffs_detail",
            "tipoffs_evidence",
            "tipoffs_progress",
            "training_certificate_check",
            "units_me",
        ],
        "one object, a file or an aggregate",
    ),
    # reference data: bounded by the files the platform ships, answered whole
    **dict.fromkeys(
        [
            "catalog_categories_list",
            "catalog_rules_in_force",
            "commitments_templates_list",
            "lists_types_list",
            "matters_list",
            "memoranda_list",
            "plan_unit_tasks_list",
            "training_courses_list",
            "units_list",
        ],
        "reference data",
    ),
}
SUBJECT_LISTS = {"me_query_log", "me_consents_list", "lists_notice_list"}  # the subject's own lists
BAD_CURSORS = ("e30", "!!!", encode_cursor({"i": "x", "at": 1, "after": "y", "d": 3, "s": "z", "o": -1}))


def _get_operations():
    from xinyong.config.api import api

    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        if "get" in item:
            yield item["get"]["operationId"], path, item["get"], schema["components"]["schemas"]


def _envelope(operation, components) -> set[str]:
    answer = operation["responses"].get(200) or operation["responses"]["200"]
    content = answer.get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    return set(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))


def test_every_get_operation_is_paged_or_declared_not_a_list():
    """A list that grows with use pages with the one helper: `limit` capped at MAX_PAGE_SIZE, an opaque
    `cursor`, the items/next_cursor envelope. Anything else names why it is answered whole."""
    undeclared = []
    for op_id, _path, operation, components in _get_operations():
        params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
        paged = "cursor" in params or "limit" in params
        if op_id in NOT_A_LIST:
            assert not paged, f"{op_id} pages: drop it from NOT_A_LIST"
            continue
        if not paged:
            undeclared.append(op_id)
            continue
        assert params["limit"]["schema"]["maximum"] == MAX_PAGE_SIZE, op_id
        assert {"items", "next_cursor"} <= _envelope(operation, components), op_id
    assert undeclared == []


def _paged_paths() -> dict[str, str]:
    filled = {"{kind}": "licences"}
    out = {}
    for op_id, path, _operation, _ in _get_operations():
        if op_id not in NOT_A_LIST:
            for key, value in filled.items():
                path = path.replace(key, value)
            out[op_id] = path + ("?q=银行" if op_id == "search_subjects" else "")
    return out


@pytest.fixture
def subject_client(reviewer) -> Client:
    from xinyong.accounts.access import subject_account_link
    from xinyong.accounts.models import User
    from xinyong.accounts.services import user_token_create
    from xinyong.subjects.identifiers import uscc_make
    from xinyong.subjects.services import subject_register

    registrar = Actor(label="user:2", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}))
    firm = subject_register(
        actor=registrar,
        now=T0,
        kind="enterprise",
        name="北京分页科技有限公司",
        uscc=uscc_make("9111010800077777"),
    )
    user = User.objects.create_user(username="firm", password="x-strong-password-1")
    subject_account_link(actor=registrar, user=user, subject_id=firm.pk, now=T0)
    issued = user_token_create(actor=registrar, user=user, now=dt.datetime.now(dt.UTC))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_every_list_operation_caps_the_page_and_refuses_a_malformed_cursor(reviewer, subject_client):
    """Walks the OpenAPI document: over the cap is 422, a malformed cursor is 400 `cursor.invalid`."""
    paths = _paged_paths()
    assert set(paths) >= SUBJECT_LISTS | {"objections_list", "repairs_list", "plan_tasks_list"}
    for op_id, path in paths.items():
        client = subject_client if op_id in SUBJECT_LISTS else reviewer
        sep = "&" if "?" in path else "?"
        first = client.get(path)
        assert first.status_code == 200, (op_id, first.content)
        assert {"items", "next_cursor"} <= set(first.json()), op_id
        over = client.get(f"{path}{sep}limit={MAX_PAGE_SIZE + 1}")
        assert (over.status_code, over.json()["code"]) == (422, "request.invalid"), op_id
        for cursor in BAD_CURSORS:
            bad = client.get(f"{path}{sep}cursor={cursor}")
            assert (bad.status_code, bad.json()["code"]) == (400, "cursor.invalid"), (
                op_id,
                cursor,
                bad.content,
            )


def test_a_subject_walks_its_query_log_page_by_page(subject_client):
    from xinyong.accounts.models import SubjectAccount
    from xinyong.audit.services import audit_append

    subject_id = SubjectAccount.objects.get().subject_id
    for n in range(5):
        audit_append(
            actor=Actor(label="token:x", unit_code="bj-gongshangju"),
            action="query.profile",
            target_type="subject",
            target_id=subject_id,
            now=T0 + dt.timedelta(minutes=n),
            reason=f"第{n}次",
        )
    url, seen = "/api/v1/me/query-log?limit=2", []
    while url:
        response = subject_client.get(url)
        seen += [row["purpose"] for row in response.json()["items"]]
        url = LINK.match(response["Link"]).group(1) if "Link" in response else None
    assert seen == [f"第{n}次" for n in reversed(range(5))]
