"""Portal column 典型案例 (issue 15; plan task 44): /cases/ — the published typical cases of honour (守信) and
dishonesty (失信), filtered by kind, district and year of publication, paged (bounded, filters.MAX_PAGE) — and
/cases/<id>/ — one published case with the organisation it names and the linked 双公示 records and list
entries that the public may see today. A draft or an unknown case answers 404; a withdrawn one answers 404
saying it was withdrawn. Cases never name a natural person (cases.services refuses such links)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET

from xinyong.accounts.models import UnitType
from xinyong.accounts.selectors import unit_list
from xinyong.cases.models import CaseKind, CaseStatus
from xinyong.cases.selectors import case_get, case_years, cases_published
from xinyong.core.timeutil import business_date, now
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import list_entries_standing, list_entry_with_subject
from xinyong.portal import filters
from xinyong.portal.filters import not_offered
from xinyong.portal.limits import rate_limited
from xinyong.portal.record import public_record
from xinyong.portal.subject import not_shown
from xinyong.portal.wording import word
from xinyong.subjects.selectors import subject_primary_code

FORM_FIELDS = ("kind", "district", "year")
NOT_FOUND = gettext_noop("该典型案例不存在或尚未发布。")
WITHDRAWN = gettext_noop("该典型案例已由发布单位撤回，不再向社会公开。")


@require_GET
@rate_limited("anon")
def cases_page(request: HttpRequest) -> HttpResponse:
    values = {name: request.GET.get(name, "").strip() for name in (*FORM_FIELDS, "page")}
    kinds = [(code, word(label)) for code, label in CaseKind.choices]
    districts = [(u.code, u.name) for u in unit_list(type=UnitType.DISTRICT_GOVERNMENT)]
    years = [str(y) for y in case_years()]
    errors: list[tuple[str, str]] = []
    checks = [
        ("kind", [k for k, _ in kinds], gettext("案例类型")),
        ("district", [c for c, _ in districts], gettext("所属区")),
        ("year", years, gettext("发布年份")),
    ]
    for name, options, what in checks:
        if values[name] and values[name] not in options:
            errors.append((name, not_offered(what, values[name])))
    page = filters.page_number(values["page"], errors)
    context = {
        "kinds": kinds, "districts": districts, "years": years, "values": values, "errors": errors,
        "form_fields": FORM_FIELDS, "page": page, "max_page": filters.MAX_PAGE, "active": "cases",
    }  # fmt: skip
    if errors:
        return render(request, "portal/cases.html", context, status=400)
    cases = cases_published(
        kind=values["kind"] or None,
        district=values["district"] or None,
        year=int(values["year"]) if values["year"] else None,
    )
    found, more = filters.page_of(cases, page)
    context |= {
        "rows": found,
        "first_number": (page - 1) * filters.PAGE_SIZE + 1,
        "previous": filters.link_to(values, page=page - 1) if page > 1 else "",
        "next": filters.link_to(values, page=page + 1) if more else "",
        "last_page": page == filters.MAX_PAGE,
    }
    return render(request, "portal/cases.html", context)


@require_GET
@rate_limited("anon")
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(case_id=case_id)
    if case is None or case.status == CaseStatus.DRAFT:
        return not_shown(request, gettext("未找到该典型案例"), gettext(NOT_FOUND))
    if case.status == CaseStatus.WITHDRAWN:
        return not_shown(request, gettext("该典型案例已撤回"), gettext(WITHDRAWN))
    subject = case.subject
    if subject is not None and subject.is_person:  # cases.services never links one; never shown anyway
        subject = None
    context = {
        "case": case,
        "active": "cases",
        "subject_code": subject_primary_code(subject) if subject else "",
        "subject": subject,
        "records": [r for r in map(public_record, case.record_ids) if r is not None],
        "entries": _public_entries(case.list_entry_ids),
    }
    return render(request, "portal/case.html", context)


def _public_entries(entry_ids: list[int]) -> list[ListEntry]:
    """The linked entries the public sees today (current entries of public list types, organisations only)."""
    today, shown = business_date(now()), []
    for pk in entry_ids:
        try:
            entry = list_entry_with_subject(entry_id=pk)
        except ListEntry.DoesNotExist:
            continue
        if entry.subject.is_person:
            continue
        public = list_entries_standing(subject_ids=[entry.subject_id], on=today, wide=False)
        shown += [e for e in public if e.pk == pk]
    return shown
