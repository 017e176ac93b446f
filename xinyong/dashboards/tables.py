"""A dashboard's tables from the monthly figures (metrics.selectors.figures: UnitMonthFigure only, never the
records); the same cells are the page's table, its CSV and, for a table by month, its chart's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from xinyong.accounts.selectors import unit_list, unit_list_all, unit_names, unit_names_by_id
from xinyong.catalog.selectors import category_list_bare
from xinyong.lists.selectors import list_type_list
from xinyong.measures.selectors import matter_list
from xinyong.metrics.definitions import Metric
from xinyong.metrics.selectors import Total, figures, metric_definition, roll_up
from xinyong.metrics.services import months_between

from .specs import TableSpec

GROUP_HEADERS = {"unit": "单位", "month": "月份"}


@dataclass(frozen=True)
class Scope:
    """What a reader asked for and may see: months, the city ('') or one district, all units or one."""

    month_from: dt.date
    month_to: dt.date
    district: str = ""
    unit_id: int | None = None


@dataclass
class Table:
    spec: TableSpec
    headers: list[str]
    rows: list[list[str]]
    chart: dict | None = None
    definition: Metric | None = None

    def html_rows(self) -> list[SafeString]:
        """Each row's cells as escaped HTML (the first a row header): one template variable per row, so a
        table of 77 units × 36 months renders in milliseconds, not cell by cell through the template loop."""
        return [
            format_html(
                '<th scope="row">{}</th>{}',
                row[0],
                format_html_join("", "<td>{}</td>", ((c,) for c in row[1:])),
            )
            for row in self.rows
        ]


def build_tables(specs: Sequence[TableSpec], scope: Scope) -> list[Table]:
    """A dashboard's tables for `scope`: one read of the figures per metric, at the finest grouping its tables
    use, rolled up for each table (metrics.selectors.roll_up)."""
    finest: dict[str, list[str]] = {}
    for spec in specs:
        finest.setdefault(spec.metric, [])
        finest[spec.metric] += [g for g in spec.by if g not in finest[spec.metric]]
    read = {
        metric: figures(
            month_from=scope.month_from, month_to=scope.month_to, metric=metric, unit_id=scope.unit_id,
            district=scope.district or None, by=[g for g in ("unit", "month", "dimension") if g in groups],
        )
        for metric, groups in finest.items()
    }  # fmt: skip
    return [_table(spec, scope, roll_up(read[spec.metric], spec.by)) for spec in specs]


def _table(spec: TableSpec, scope: Scope, totals: list[Total]) -> Table:
    """One table: its group columns, then the metric's counts, rate and median."""
    metric = metric_definition(spec.metric)
    if spec.charted:
        totals = _every_month(totals, scope)
    if "unit" in spec.by:  # units in code order (the figures come in id order), then months
        codes = dict(unit_list_all().values_list("pk", "code"))
        totals.sort(key=lambda t: (codes.get(t.key["unit_id"], ""), t.key.get("month") or dt.date.min))
    names = _group_names(spec, metric, totals)
    rows = [[*(_group_cell(g, t, names) for g in spec.by), *_value_cells(metric, t)] for t in totals]
    headers = [*(_group_header(g, metric) for g in spec.by), *_value_headers(metric)]
    chart = _chart(spec, metric, totals) if spec.charted else None
    return Table(spec, headers, rows, chart, metric)


def _every_month(totals: list[Total], scope: Scope) -> list[Total]:
    """A row for every month of the range (zeros where nothing happened), so the chart's axis is whole."""
    known = {t.key["month"]: t for t in totals}
    return [known.get(m) or Total({"month": m}) for m in months_between(scope.month_from, scope.month_to)]


def _group_header(group: str, metric: Metric) -> str:
    return GROUP_HEADERS.get(group) or metric.dimension or "维度"


def _value_headers(metric: Metric) -> list[str]:
    if metric.numerator_label == metric.denominator_label:
        return [metric.denominator_label]
    headers = [metric.denominator_label, metric.numerator_label]
    if metric.rate:
        headers.append("比率")
    if metric.histogram:
        headers.append("超期工作日中位数")
    return headers


def _value_cells(metric: Metric, total: Total) -> list[str]:
    if metric.numerator_label == metric.denominator_label:
        return [str(total.denominator)]
    cells = [str(total.denominator), str(total.numerator)]
    if metric.rate:
        cells.append(percent(total.rate))
    if metric.histogram:
        cells.append("—" if total.median is None else f"{total.median:g}")
    return cells


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _group_names(spec: TableSpec, metric: Metric, totals: list[Total]) -> dict:
    names: dict = {}
    if "unit" in spec.by:
        names["unit"] = unit_names_by_id({t.key["unit_id"] for t in totals})
    if "dimension" in spec.by:
        names["dimension"] = dimension_names(metric)
    return names


def dimension_names(metric: Metric) -> dict[str, str]:
    """Code → name of what the metric's dimension holds (categories, matters, list types); measures: code."""
    if metric.dimension == "信息类别":
        return {c.code: f"{c.code} {c.name}" for c in category_list_bare()}
    if metric.dimension == "行政事项":
        return {m.code: m.name for m in matter_list()}
    if metric.dimension == "名单类型":
        return {t.code: t.name for t in list_type_list(active_only=False)}
    return {}


def _group_cell(group: str, total: Total, names: dict) -> str:
    if group == "unit":
        return names["unit"].get(total.key["unit_id"], str(total.key["unit_id"]))
    if group == "month":
        return f"{total.key['month']:%Y-%m}"
    code = total.key["dimension"]
    return names["dimension"].get(code, code) or "—"


def _chart(spec: TableSpec, metric: Metric, totals: list[Total]) -> dict:
    """The chart's data (a JSON block the page's own script reads): months, and the rate in percent for a
    rate metric (with the median for a histogram one), else the counts."""
    labels = [f"{t.key['month']:%Y-%m}" for t in totals]
    if metric.rate:
        rates = [None if t.rate is None else round(t.rate * 100, 1) for t in totals]
        series: list[dict[str, object]] = [{"name": f"{metric.label}（%）", "data": rates}]
        if metric.histogram:
            series.append({"name": "超期工作日中位数", "data": [t.median for t in totals], "axis": 1})
        return {
            "id": f"chart-{spec.key}",
            "title": spec.caption,
            "labels": labels,
            "series": series,
            "percent": True,
        }
    series = [{"name": metric.denominator_label, "data": [t.denominator for t in totals]}]
    if metric.numerator_label != metric.denominator_label:
        series.append({"name": metric.numerator_label, "data": [t.numerator for t in totals]})
    return {
        "id": f"chart-{spec.key}",
        "title": spec.caption,
        "labels": labels,
        "series": series,
        "percent": False,
    }


def district_choices() -> list[tuple[str, str]]:
    """('', 全市) and each district by its government's unit code (东城区政府 → 东城区)."""
    return [
        ("", "全市"),
        *((u.code, u.name.removesuffix("政府")) for u in unit_list(type="district_government")),
    ]


def district_name(code: str) -> str:
    return unit_names().get(code, code).removesuffix("政府") if code else "全市"
