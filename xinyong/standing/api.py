"""API of the standing app: the subject profile (信用档案) at /api/v1/subjects/{code}/profile and the one-stop
search (一站式查询) at /api/v1/search, each read from the subjects' standing."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xinyong.accounts import roles
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth
from xinyong.core.api import Problem, decode_cursor, encode_cursor
from xinyong.core.errors import DomainError
from xinyong.core.pagination import paged
from xinyong.core.timeutil import business_date, now
from xinyong.standing.profile import subject_profile
from xinyong.standing.schemas import ProfileOut
from xinyong.standing.selectors import GOVERNMENT, PUBLIC, Standing, standings_for
from xinyong.subjects import search
from xinyong.subjects.api import _KIND_LABELS, _log_person_read
from xinyong.subjects.schemas import SearchPageOut
from xinyong.subjects.selectors import subject_lookup

profile_router = Router(tags=["profile"])


@profile_router.get(
    "/{code}/profile",
    response=ProfileOut,
    auth=OptionalTokenAuth(),
    exclude_unset=True,  # severity_source only where the viewer may see it (profile.py)
    operation_id="subjects_profile",
    summary="信用主体档案：按查询者身份与公开层级返回",
)
def subjects_profile(request: HttpRequest, code: str, purpose: str = "", case_number: str = ""):
    """Public callers get the public tier; officers add the government tier with a purpose; a person's data
    needs the person, its consent or a case number. Non-public reads are logged (the subject can see them)."""
    return _profile(request, code, purpose, case_number)


class ProfileLookupIn(Schema):
    code: str = Field(
        ...,
        max_length=40,
        description="统一社会信用代码、注册号或公民身份号码",
        examples=["91110108000123457G"],
    )
    purpose: str = Field("", max_length=200, description="查询用途（政府部门查询非公开信息时必填）")
    case_number: str = Field("", max_length=100, description="案件编号（查询个人非公开信息时）")


@profile_router.post(
    "/profile",
    response=ProfileOut,
    auth=OptionalTokenAuth(),
    exclude_unset=True,
    operation_id="subjects_profile_lookup",
    summary="信用主体档案（按请求体中的代码查询：个人证件号码不出现在网址和访问日志中）",
)
def subjects_profile_lookup(request: HttpRequest, body: ProfileLookupIn):
    """The same profile as GET /subjects/{code}/profile, the code in the body (issue 12: a URL with a
    person's full ID reaches access logs and proxies; this one carries none)."""
    return _profile(request, body.code, body.purpose, body.case_number)


def _profile(request: HttpRequest, code: str, purpose: str, case_number: str) -> dict:
    found = subject_lookup(raw=code)
    if found.redirect_to_code:
        raise DomainError(
            "subject.code_corrected",
            f"该代码已更正为 {found.redirect_to_code}",
            status=409,
            extra={"new_code": found.redirect_to_code},
        )
    return subject_profile(
        actor=request_actor(request),
        subject=found.subject,
        now=now(),
        purpose=purpose,
        case_number=case_number,
    )


search_router = Router(tags=["search"])


def _hit_out(hit: search.SearchHit, standing: Standing | None) -> dict:
    return {
        "code": hit.code,
        "name": hit.name,
        "kind": hit.subject.kind,
        "kind_label": _KIND_LABELS[hit.subject.kind],
        "status": hit.subject.status,
        "reason": hit.reason,
        "matched_name": hit.matched_name,
        "highlight": [list(span) for span in hit.highlight],
        **_badges(standing),
    }


def _badges(standing: Standing | None) -> dict:
    """Badges from the subject's standing: its current list entries and whether anything shown about it is
    under objection (异议处理中)."""
    if standing is None:
        return {"list_entries": [], "under_objection": False}
    return {
        "list_entries": [
            {
                "list_type": e.list_type_code,
                "list_type_name": e.list_type_name,
                "list_kind": e.list_kind,
                "under_objection": e.under_objection,
            }
            for e in standing.current_entries
        ],
        "under_objection": any(r.under_objection for r in standing.shown_records)
        or any(e.under_objection for e in standing.current_entries),
    }


@search_router.get(
    "",
    auth=OptionalTokenAuth(),
    response={200: SearchPageOut, 400: Problem, 401: Problem},
    operation_id="search_subjects",
    summary="一站式查询：按任一代码或名称（含曾用名）查找信用主体",
)
def search_subjects(
    request: HttpRequest,
    q: str = Query("", description="任一代码，或名称（含曾用名）中连续的 2–50 个字", examples=["京东"]),
    limit: int = Query(search.DEFAULT_LIMIT, ge=1, le=search.MAX_LIMIT, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
    purpose: str = Query("", description="政务用户查询自然人的事由（记入审计）"),
):
    """Any identifier (exact) or any part of a current or former name, two characters or more.

    Ranked: identifier, exact current name, exact former name, prefix, substring (current names before
    former ones), then shorter names, then id. `highlight` gives [start, end) code-point offsets of the
    query in `matched_name` (when a former name matched) or `name`. Natural persons are listed by name
    only for government roles (each listed person is an audited read, with `purpose`); anyone else finds
    a person only by the exact resident ID, masked and without a name. Merged subjects are not listed.
    Each item carries badges from the subject's standing (standing.selectors): its current list entries
    (public list types; every list type for government roles) and `under_objection`. A person found by a
    non-government caller carries none.
    Errors: `search.query_empty`, `search.query_too_short` (one character), `search.query_too_long`
    (over 50), `search.query_too_broad` (a long query every part of which is very common),
    `cursor.invalid`.
    """
    actor = request_actor(request)
    government = actor.has_role(*roles.GOVERNMENT)
    after = search.search_cursor_parse(decode_cursor(cursor)) if cursor else None
    page = search.subject_search(q=q, include_persons=government, limit=limit, cursor=after)
    for hit in page.hits:
        if hit.subject.is_person and hit.name is not None:
            _log_person_read(actor, hit.subject, purpose)
    standings = standings_for(
        subject_ids=[h.subject.pk for h in page.hits if not h.subject.is_person or government],
        on=business_date(now()),
        scope=GOVERNMENT if government else PUBLIC,
    )
    items = [_hit_out(hit, standings.get(hit.subject.pk)) for hit in page.hits]
    next_cursor = encode_cursor(page.next_cursor.dump()) if page.next_cursor else None
    return paged(request, items, next_cursor, query=page.query)
