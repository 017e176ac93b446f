"""The dashboards' pages under /console/dashboards/ (issue 16). Thin: read the filter, build the tables from
the monthly figures, render or write CSV. The credit office sees every unit; a unit's officer sees its own
unit's figures only. The console sits above this app (pyproject tiers), so the console mounts these views
(console/urls.py through `urls.dashboard_patterns`) with its guard (`console.access.officer_view`: a verified
officer, the Actor passed in) and its `console_render` (the layout with the section navigation)."""

from __future__ import annotations

import csv
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from xinyong.accounts.roles import CREDIT_OFFICE
from xinyong.accounts.selectors import unit_by_code
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, now
from xinyong.dashboards.forms import FilterForm
from xinyong.dashboards.specs import DASHBOARDS, Dashboard
from xinyong.dashboards.tables import Scope, build_tables, district_name

Render = Callable[..., HttpResponse]  # console_render(request, actor, template, context, status=…)


def index_page(request: HttpRequest, actor: Actor, *, render: Render) -> HttpResponse:
    return render(request, actor, "dashboards/index.html", {"dashboards": DASHBOARDS.values()})


def dashboard_page(request: HttpRequest, actor: Actor, slug: str, *, render: Render) -> HttpResponse:
    dashboard = _dashboard(slug)
    form = FilterForm(request.GET or None, today=business_date(now()))
    scope = _scope(form, actor)
    context = {"dashboard": dashboard, "form": form, "own_unit": _own_unit_name(actor)}
    if scope is None:
        return render(request, actor, "dashboards/page.html", context, status=400)
    tables = build_tables(dashboard.tables, scope)
    context |= {"tables": tables, "scope": scope, "district_name": district_name(scope.district),
                "query": request.GET.urlencode()}  # fmt: skip
    return render(request, actor, "dashboards/page.html", context)


def dashboard_csv(
    request: HttpRequest, actor: Actor, slug: str, table: str, *, render: Render
) -> HttpResponse:
    """One table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese)."""
    dashboard = _dashboard(slug)
    spec = next((t for t in dashboard.tables if t.key == table), None)
    if spec is None:
        raise Http404("没有这张表")
    scope = _scope(FilterForm(request.GET or None, today=business_date(now())), actor)
    if scope is None:
        return HttpResponse("筛选条件有误", status=400, content_type="text/plain; charset=utf-8")
    built = build_tables([spec], scope)[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{table}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(built.headers)
    writer.writerows(built.rows)
    return response


def _dashboard(slug: str) -> Dashboard:
    try:
        return DASHBOARDS[slug]
    except KeyError:
        raise Http404("没有这个看板") from None


def _scope(form: FilterForm, actor: Actor) -> Scope | None:
    """The filter, limited to the actor's unit unless the actor is of the credit office; None when invalid.
    An unbound form (no query) takes the defaults."""
    if form.is_bound and not form.is_valid():
        return None
    data = form.cleaned_data if form.is_bound else _defaults(form)
    unit_id = None
    if not actor.has_role(*CREDIT_OFFICE):
        unit = unit_by_code(code=actor.unit_code or "")
        unit_id = unit.pk if unit is not None else -1  # an officer without a unit sees nothing
    return Scope(data["month_from"], data["month_to"], data.get("district") or "", unit_id)


def _defaults(form: FilterForm) -> dict:
    bound = FilterForm({}, today=form.today)
    bound.is_valid()
    return bound.cleaned_data


def _own_unit_name(actor: Actor) -> str:
    if actor.has_role(*CREDIT_OFFICE):
        return ""
    unit = unit_by_code(code=actor.unit_code or "")
    return unit.name if unit is not None else ""
