"""Portal page 信用查询 (issue 15): find an organisation by any code or by any part of a current or former
name, from the subjects app's search (the API's `search_subjects`), with the badges its standing gives
(standing.standing_badges: current public list entries, 异议处理中).

Persons are never listed: the search runs without persons' names, and the one person a resident ID would find
is dropped too, so the page answers alike whether or not such a person exists. Paging goes forward with a
signed cursor that carries the page number, so no one pages past MAX_PAGES (the page says why); a tampered
or stale cursor is a 400 page, never a 500."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinyong.accounts.selectors import unit_names
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now
from xinyong.portal.limits import rate_limited
from xinyong.portal.wording import error_of
from xinyong.standing.selectors import PUBLIC, standing_badges, standings_for
from xinyong.subjects.models import SubjectKind, SubjectStatus
from xinyong.subjects.search import SearchCursor, SearchHit, search_cursor_parse, subject_search

PAGE_SIZE = 20
MAX_PAGES = 10
CURSOR_SALT = "xinyong.portal.search"
BAD_CURSOR = "分页参数无效或已过期，请重新查询"
KIND_LABELS = dict(SubjectKind.choices)
STATUS_LABELS = dict(SubjectStatus.choices)
LIST_KIND_CLASSES = {"black": "badge-bad", "attention": "badge-bad", "red": "badge-good"}


@dataclass(frozen=True)
class Result:
    """One organisation as the results list shows it."""

    code: str
    name_parts: list[tuple[str, bool]]  # (text, highlighted)
    matched_parts: list[tuple[str, bool]]  # a former name that matched, highlighted; empty otherwise
    former_names: list[str]
    kind_label: str
    district: str
    status_label: str  # "" while active
    lists: list[tuple[str, str]]  # (list type name, css class)
    under_objection: bool


@require_GET
@rate_limited("anon")
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    context: dict = {"q": q.strip(), "asked": "q" in request.GET, "error": None, "results": None}
    status = 200
    if context["asked"]:
        try:
            context.update(_results(q, request.GET.get("after", "")))
        except DomainError as exc:
            context["error"], status = error_of(exc), exc.status
    return render(request, "portal/search.html", context, status=status)


def _results(q: str, after: str) -> dict:
    page_no, cursor = _cursor_read(after, q) if after else (1, None)
    found = subject_search(q=q, include_persons=False, limit=PAGE_SIZE, cursor=cursor)
    hits = [h for h in found.hits if not h.subject.is_person]
    standings = standings_for(subject_ids=[h.subject.pk for h in hits], on=business_date(now()), scope=PUBLIC)
    districts = unit_names() if hits else {}
    results = [_result(h, standing_badges(standings[h.subject.pk]), districts) for h in hits]
    more = found.next_cursor is not None
    following = None
    if found.next_cursor is not None and page_no < MAX_PAGES:
        following = _cursor_write(found.next_cursor, q, page_no + 1)
    return {
        "results": results,
        "page": page_no,
        "next": following,
        "capped": more and page_no >= MAX_PAGES,
        "first": (page_no - 1) * PAGE_SIZE + 1,
        "last": (page_no - 1) * PAGE_SIZE + len(results),
        "max_results": MAX_PAGES * PAGE_SIZE,
    }


def _result(hit: SearchHit, badges: dict, districts: dict[str, str]) -> Result:
    subject = hit.subject
    name = hit.name or ""
    return Result(
        code=hit.code,
        name_parts=parts(name, [] if hit.matched_name else hit.highlight),
        matched_parts=parts(hit.matched_name, hit.highlight) if hit.matched_name else [],
        former_names=[n for n in hit.former_names if n != hit.matched_name],
        kind_label=KIND_LABELS.get(subject.kind, ""),
        district=district_label(districts.get(subject.district, "")),
        status_label="" if subject.status == SubjectStatus.ACTIVE else STATUS_LABELS.get(subject.status, ""),
        lists=[
            (e["list_type_name"], LIST_KIND_CLASSES.get(e["list_kind"], "")) for e in badges["list_entries"]
        ],
        under_objection=badges["under_objection"],
    )


def district_label(unit_name: str) -> str:
    """A subject's district is kept as the code of the district's government (海淀区政府): shown as 海淀区."""
    return unit_name.removesuffix("人民政府").removesuffix("政府")


def parts(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut at the [start, end) spans: (piece, inside a span), for <mark> in the template."""
    out, at = [], 0
    for start, end in spans:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


def _cursor_write(cursor: SearchCursor, q: str, page_no: int) -> str:
    return signing.dumps({"q": q.strip(), "p": page_no, **cursor.dump()}, salt=CURSOR_SALT, compress=True)


def _cursor_read(value: str, q: str) -> tuple[int, SearchCursor]:
    """The page number and position a signed cursor carries; refused when forged, for another query or past
    MAX_PAGES."""
    try:
        data = signing.loads(value, salt=CURSOR_SALT, max_age=3600)
    except signing.BadSignature as exc:
        raise DomainError("search.cursor_invalid", BAD_CURSOR) from exc
    page_no = data.get("p")
    if data.get("q") != q.strip() or type(page_no) is not int or not 2 <= page_no <= MAX_PAGES:
        raise DomainError("search.cursor_invalid", BAD_CURSOR)
    return page_no, search_cursor_parse(data)
