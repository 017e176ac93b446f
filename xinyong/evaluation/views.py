"""The evaluation's pages under /console/evaluation/ (考核评价, issue 16): the monthly ranking of units and of
districts, one unit's (or district's) indicators with value, points and rule, an indicator's source query and
the records behind it, the ranking as CSV and the month's 通报 as PDF.

Thin: call the evaluation selectors, render. The console sits above this app (pyproject tiers), so it mounts
these views (console/urls.py through `urls.evaluation_patterns`) with its guard (`console.access
.officer_view`: a verified officer, the Actor passed in) and its `console_render` (the layout with the
section navigation), as the dashboards do. Every officer sees the ranking and the 通报; the credit office
sees every unit's page, a unit's officer its own unit's (selectors.may_see)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.evaluation import selectors
from xinyong.evaluation.models import Evaluation
from xinyong.evaluation.pdf import bulletin_title, evaluation_bulletin_pdf
from xinyong.evaluation.scorecard import KIND_LABELS, KINDS

Render = Callable[..., HttpResponse]  # render(request, actor, template, context, status=…)


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise Http404("月份应为 YYYY-MM") from exc


def _evaluation(kind: str, month: str) -> Evaluation:
    if kind not in KINDS:
        raise Http404("考核类别不存在")
    try:
        return selectors.evaluation_get(month=_month(month), kind=kind)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def evaluation_home(request: HttpRequest, actor: Actor, *, render: Render) -> HttpResponse:
    """The newest month's ranking of units, or a page saying nothing was computed yet."""
    kind = request.GET.get("kind", "unit")
    kind = kind if kind in KINDS else "unit"
    months = selectors.evaluation_months(kind=kind)
    if months:
        return HttpResponseRedirect(reverse("console:evaluation:ranking", args=[kind, f"{months[0]:%Y-%m}"]))
    return render(request, actor, "evaluation/empty.html", {"kind": kind, "kinds": _kinds(kind)})


def _kinds(current: str) -> list[dict]:
    return [{"code": k, "label": KIND_LABELS[k], "current": k == current} for k in KINDS]


def evaluation_ranking(
    request: HttpRequest, actor: Actor, kind: str, month: str, *, render: Render
) -> HttpResponse:
    evaluation = _evaluation(kind, month)
    results = selectors.evaluation_ranking(evaluation=evaluation)
    card = selectors.scorecard_value(evaluation.scorecard)
    context = {
        "evaluation": evaluation,
        "title": bulletin_title(evaluation),
        "indicators": card.indicators,
        "rows": [
            {
                "result": r,
                "points": [i.points for i in r.indicators.all()],
                "open": selectors.may_see(actor=actor, unit=r.unit),
            }
            for r in results
        ],
        "months": [f"{m:%Y-%m}" for m in selectors.evaluation_months(kind=kind)],
        "month": month,
        "kinds": _kinds(kind),
    }
    return render(request, actor, "evaluation/ranking.html", context)


def evaluation_ranking_csv(
    request: HttpRequest, actor: Actor, kind: str, month: str, *, render: Render
) -> HttpResponse:
    """The ranking with every indicator's value and points (UTF-8 with BOM: opens in Excel)."""
    evaluation = _evaluation(kind, month)
    results = selectors.evaluation_ranking(evaluation=evaluation)
    card = selectors.scorecard_value(evaluation.scorecard)
    out = io.StringIO()
    writer = csv.writer(out)
    head = ["名次", "单位代码", "单位", "总分", "等次", "计分权重"]
    writer.writerow(head + [f"{i.name}{part}" for i in card.indicators for part in ("（值）", "（得分）")])
    for r in results:
        cells = [
            r.rank or "",
            r.unit.code,
            r.unit.name,
            _plain(r.total),
            r.level_name,
            _plain(r.counted_weight),
        ]
        writer.writerow(cells + [_plain(x) for i in r.indicators.all() for x in (i.value, i.points)])
    answer = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = f'attachment; filename="evaluation-{kind}-{month}.csv"'
    return answer


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.2f}%"


def _plain(value) -> str:
    return "" if value is None else str(value)


def evaluation_bulletin(
    request: HttpRequest, actor: Actor, kind: str, month: str, *, render: Render
) -> HttpResponse:
    evaluation = _evaluation(kind, month)
    data = evaluation_bulletin_pdf(evaluation, selectors.evaluation_ranking(evaluation=evaluation))
    answer = HttpResponse(data, content_type="application/pdf")
    answer["Content-Disposition"] = f'attachment; filename="evaluation-{kind}-{month}.pdf"'
    return answer


def evaluation_entity(
    request: HttpRequest, actor: Actor, kind: str, month: str, unit: str, *, render: Render
) -> HttpResponse:
    evaluation = _evaluation(kind, month)
    try:
        result = selectors.evaluation_result(evaluation=evaluation, unit_code=unit, actor=actor)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied:
        return render(request, actor, "console/refused.html", status=403)
    card = selectors.scorecard_value(evaluation.scorecard)
    rules = {i.code: i.rule_text() for i in card.indicators}
    rows = [
        {"row": i, "rule": rules.get(i.code, ""), "percent": _percent(i.value)}
        for i in result.indicators.all()
    ]
    context = {"evaluation": evaluation, "result": result, "rows": rows, "month": month, "card": card}
    return render(request, actor, "evaluation/entity.html", context)


def evaluation_indicator(
    request: HttpRequest, actor: Actor, kind: str, month: str, unit: str, indicator: str, *, render: Render
) -> HttpResponse:
    evaluation = _evaluation(kind, month)
    try:
        why = selectors.indicator_explain(
            evaluation=evaluation, unit_code=unit, indicator_code=indicator, actor=actor
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied:
        return render(request, actor, "console/refused.html", status=403)
    columns = list(why.rows_behind[0]) if why.rows_behind else []
    context = {
        "evaluation": evaluation,
        "why": why,
        "unit": unit,
        "month": month,
        "columns": columns,
        "rows": [[r.get(c, "") for c in columns] for r in why.rows_behind],
    }
    return render(request, actor, "evaluation/indicator.html", context)
