"""The console's pages (issue 16). Thin: authorise (`access.officer_view`), call a selector, render."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.accounts.roles import CREDIT_OFFICE
from xinyong.accounts.selectors import unit_list_all
from xinyong.console.access import officer_view
from xinyong.console.forms import WorkbenchFilter
from xinyong.console.nav import console_nav
from xinyong.console.workbench.due import NEAR, OVERDUE
from xinyong.console.workbench.items import KINDS, Item
from xinyong.console.workbench.queues import workbench_items
from xinyong.core.actor import Actor
from xinyong.core.spreadsheet import escape_cell
from xinyong.core.timeutil import business_date, now

PAGE_CAP = 200  # rows shown on the page; the CSV has them all
CSV_HEADER = ["事项类型", "事项", "主体", "单位", "状态", "期限", "到期情况", "标记", "办理页面"]


def console_render(
    request: HttpRequest, actor: Actor, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    """`render` with the console's navigation (every console page extends console/base.html)."""
    return render(
        request, template, {"console_nav": console_nav(request, actor), **(context or {})}, status=status
    )


def _filtered(request: HttpRequest, actor: Actor) -> tuple[WorkbenchFilter, list[Item], list[Item]]:
    """The filter form, every item due from the actor, and those the filter keeps."""
    items = workbench_items(actor=actor, now=now())
    kinds = [(k, label) for k, label in KINDS.items() if any(i.kind == k for i in items)]
    units = None
    if actor.has_role(*CREDIT_OFFICE):
        units = [(u.code, u.name) for u in unit_list_all()]
    form = WorkbenchFilter(request.GET, kinds=kinds, units=units)
    if not form.is_valid():
        return form, items, items
    wanted = {k: v for k, v in form.cleaned_data.items() if v}
    kept = [
        i
        for i in items
        if wanted.get("kind", i.kind) == i.kind
        and wanted.get("due", i.due.state) == i.due.state
        and wanted.get("unit", i.unit_code) == i.unit_code
    ]
    return form, items, kept


@officer_view
def home_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The workbench (工作台): what is due from the officer, most urgent first, with filters and CSV."""
    form, items, kept = _filtered(request, actor)
    context = {
        "form": form,
        "items": kept[:PAGE_CAP],
        "shown": min(len(kept), PAGE_CAP),
        "total": len(kept),
        "all_total": len(items),
        "overdue": sum(i.due.state == OVERDUE for i in items),
        "near": sum(i.due.state == NEAR for i in items),
        "query": request.GET.urlencode(),
    }
    return console_render(request, actor, "console/workbench.html", context)


@officer_view
def workbench_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The filtered workbench as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese), every
    item; each cell escaped against formula injection."""
    _, _, kept = _filtered(request, actor)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    base = request.build_absolute_uri("/")[:-1]
    for i in kept:
        url = base + i.action_url if i.action_url else ""
        row = [i.kind_label, f"{i.ref} {i.what}", i.subject, i.unit_name, i.state, i.deadline_text]
        writer.writerow([escape_cell(v) for v in [*row, i.due.text, i.due.label, url]])
    answer = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    day = business_date(now()).strftime("%Y%m%d")
    answer["Content-Disposition"] = f'attachment; filename="workbench-{day}.csv"'
    return answer
