"""Public list columns (issue 15): /lists/ — the public list types (黑名单、红名单 …) with their legal basis —
and /lists/<code>/ — one list type's current entries with the listing date, the last day on the list and
the legal basis, paged (bounded). What the public sees is the lists app's: published entries of public list
types (the API's `public_only`), less those past their term (lists.current); a person is shown by the
masked ID number only, as the lists API shows persons (no name)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinyong.core.errors import NotFound
from xinyong.core.timeutil import business_date, now
from xinyong.lists import selectors
from xinyong.lists.models import ListKind
from xinyong.portal import filters
from xinyong.portal.wording import word
from xinyong.subjects.selectors import subject_primary_codes

KIND_ORDER = [ListKind.BLACK, ListKind.ATTENTION, ListKind.RED]
KIND_LABELS = dict(ListKind.choices)  # in the page's language through word() (portal/labels.py)


@require_GET
def lists_page(request: HttpRequest) -> HttpResponse:
    types = list(selectors.list_types_public())
    groups = [(word(KIND_LABELS[kind]), [t for t in types if t.kind == kind]) for kind in KIND_ORDER]
    return render(request, "portal/lists.html", {"groups": [g for g in groups if g[1]], "active": "lists"})


@require_GET
def list_type_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        list_type = selectors.list_type_get(code=code)
        if not list_type.active:
            raise NotFound("list_type.not_found", f"名单类型 {code} 不存在")
        today = business_date(now())
        entries = selectors.list_entries_public_current(list_type=list_type, on=today)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    errors: list[tuple[str, str]] = []
    page = filters.page_number(request.GET.get("page", "").strip(), errors)
    context = {
        "list_type": list_type,
        "kind_label": word(KIND_LABELS[list_type.kind]),
        "today": today,
        "errors": errors,
        "form_fields": (),
        "page": page,
        "max_page": filters.MAX_PAGE,
        "active": "lists",
    }
    if errors:
        return render(request, "portal/list_type.html", context, status=400)
    found, more = filters.page_of(entries, page)
    codes = subject_primary_codes(subjects=[entry.subject for entry in found])  # one query, not one per row
    context |= {
        "rows": [_row(entry, codes[entry.subject_id]) for entry in found],
        "first_number": (page - 1) * filters.PAGE_SIZE + 1,
        "previous": f"?page={page - 1}" if page > 1 else "",
        "next": f"?page={page + 1}" if more else "",
        "last_page": page == filters.MAX_PAGE,
    }
    return render(request, "portal/list_type.html", context)


def _row(entry, code: str) -> dict:
    subject = entry.subject
    return {
        "name": "自然人" if subject.is_person else subject.name,
        "code": code,
        "is_person": subject.is_person,
        "listed": business_date(entry.published_at) if entry.published_at else None,
        "until": entry.expires_on,
        "legal_basis": entry.legal_basis,
        "under_objection": entry.objection_since is not None,
    }
