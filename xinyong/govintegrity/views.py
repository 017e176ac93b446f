"""Console pages of government integrity (政务诚信, ADR 0037), under /console/govintegrity/. Thin: authorise
(`console.access.officer_view`, then the scope), parse the filters, call one selector or service, render."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from xinyong.accounts.roles import OFFICE
from xinyong.console.access import officer_view
from xinyong.console.views import console_render
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.core.spreadsheet import escape_cell
from xinyong.core.timeutil import business_date, now
from xinyong.govintegrity import selectors
from xinyong.govintegrity.scope import Scope, govintegrity_scope
from xinyong.govintegrity.scorecard import ScorecardError
from xinyong.govintegrity.services import district_evaluation_compute

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CSV_HEAD = ["区", "机构名称", "统一社会信用代码", "主体类型", "对应单位", "信息类别", "严重程度", "决定日期",
            "公示起", "公示至", "文书号", "提供单位", "异议处理中"]  # fmt: skip


def _refused(request: HttpRequest, actor: Actor, exc: PermissionDenied) -> HttpResponse:
    return console_render(request, actor, "govintegrity/refused.html", {"message": exc.message}, status=403)


def _filters(request: HttpRequest, scope: Scope) -> tuple[dict[str, str], list[str], list, list]:
    """The district and category filters as given, the errors of those refused, and the choices."""
    labels = selectors.district_labels()
    districts = (
        [(selectors.CITY if c == "" else c, label) for c, label in labels.items()] if scope.everything else []
    )
    categories = selectors.negative_categories()
    values = {"district": request.GET.get("district", ""), "category": request.GET.get("category", "")}
    errors = []
    if values["district"] and values["district"] not in dict(districts):
        errors.append(f"所属区“{values['district']}”不在可选范围内，已忽略")
        values["district"] = ""
    if values["category"] and values["category"] not in dict(categories):
        errors.append(f"信息类别“{values['category']}”不存在或不是负面类别，已忽略")
        values["category"] = ""
    return values, errors, districts, categories


def _bodies(scope: Scope, values: dict[str, str]):
    bodies = selectors.monitor_bodies(
        scope=scope, on=business_date(now()), category=values["category"] or None
    )
    shown = selectors.monitor_in_district(bodies, values["district"]) if values["district"] else bodies
    return bodies, shown


@officer_view
def monitor_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """政务失信监测: government bodies with current negative records, counted per district."""
    try:
        scope = govintegrity_scope(actor=actor)
    except PermissionDenied as exc:
        return _refused(request, actor, exc)
    values, errors, districts, categories = _filters(request, scope)
    bodies, shown = _bodies(scope, values)
    context = {
        "scope": scope, "values": values, "errors": errors, "districts": districts, "categories": categories,
        "bodies": shown, "counts": selectors.monitor_counts(bodies, scope=scope),
        "today": business_date(now()),
        "record_total": sum(len(b.records) for b in shown), "export_query": request.GET.urlencode(),
    }  # fmt: skip
    return console_render(request, actor, "govintegrity/monitor.html", context)


@officer_view
def monitor_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The monitoring's rows (one per record) as CSV, with the page's filters."""
    try:
        scope = govintegrity_scope(actor=actor)
    except PermissionDenied as exc:
        return _refused(request, actor, exc)
    values, _errors, _d, _c = _filters(request, scope)
    _all, shown = _bodies(scope, values)
    # one response, not streamed: government bodies with current negative records are a few hundred rows
    response = HttpResponse("".join(_csv_lines(shown)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="govintegrity-monitor.csv"'
    return response


def _csv_lines(bodies: list[selectors.MonitorBody]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEAD)
    for body in bodies:
        for r in body.records:
            writer.writerow([escape_cell(v) for v in (
                body.district_label, body.name, body.uscc, body.kind, body.unit_name, r.category_name,
                r.severity, r.decision_date, r.publish_from or "", r.publish_until or "长期", r.doc_no,
                r.provider,
                "是" if r.under_objection else "",
            )])  # fmt: skip
    yield "\ufeff" + buffer.getvalue()


def _month(text: str) -> dt.date | None:
    match = MONTH.match(text or "")
    return dt.date(int(match[1]), int(match[2]), 1) if match else None


@officer_view
@require_http_methods(["GET", "POST"])
def evaluation_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """区政府政务诚信评价: the month's ranking with each indicator; POST recomputes the month (credit
    office)."""
    try:
        scope = govintegrity_scope(actor=actor)
    except PermissionDenied as exc:
        return _refused(request, actor, exc)
    if request.method == "POST":
        return _recompute(request, actor)
    months = selectors.evaluation_months()
    given = request.GET.get("month", "")
    month = _month(given) if given else (months[0] if months else None)
    error = f"月份“{given}”格式应为 YYYY-MM" if given and month is None else ""
    rows = selectors.evaluation_ranking(month=month, scope=scope) if month else []
    context = {"scope": scope, "months": months, "month": month, "rows": rows, "error": error,
               "labels": selectors.district_labels(), "can_compute": actor.has_role(*OFFICE)}  # fmt: skip
    return console_render(request, actor, "govintegrity/evaluation.html", context)


def _recompute(request: HttpRequest, actor: Actor) -> HttpResponse:
    month = _month(request.POST.get("month", ""))
    target = reverse("console:govintegrity:evaluation")
    if month is None:
        messages.error(request, "请按 YYYY-MM 填写要计算的月份")
        return HttpResponseRedirect(target)
    try:
        results = district_evaluation_compute(actor=actor, now=now(), month=month)
    except (DomainError, ScorecardError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return HttpResponseRedirect(target)
    messages.success(request, f"已计算 {month:%Y年%m月} 的区政府政务诚信评价（{len(results)} 个区）")
    return HttpResponseRedirect(f"{target}?month={month:%Y-%m}")
