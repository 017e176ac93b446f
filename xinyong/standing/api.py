"""API of the standing app: the one-stop search (一站式查询) at /api/v1/search, read from the subjects'
standing; the subject profile (信用档案) is the disclosure app's (disclosure/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from xinyong.accounts import roles
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth
from xinyong.core.api import Problem, decode_cursor, encode_cursor
from xinyong.core.pagination import paged
from xinyong.core.timeutil import business_date, now
from xinyong.standing.selectors import GOVERNMENT, PUBLIC, Standing, standing_badges, standings_for
from xinyong.subjects import search
from xinyong.subjects.api import _KIND_LABELS, _log_person_read
from xinyong.subjects.schemas import SearchPageOut

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
        **standing_badges(standing),
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
    (over 50), `cursor.invalid`.
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
