"""Reads of the metrics app (issue 16, ADR 0035): figures summed over months, units, districts or dimensions
with merged medians; the rows behind one unit's figure (through the owner apps); what a metric means."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Sum

from xinyong.core.errors import NotFound
from xinyong.intake.selectors import submissions_of_month
from xinyong.lists.selectors import list_moves_of_month
from xinyong.measures.selectors import checks_of_month
from xinyong.metrics.compute import Month
from xinyong.metrics.definitions import METRICS, Metric
from xinyong.metrics.models import UnitMonthFigure
from xinyong.oversight.selectors import progress_reports_due_of_month
from xinyong.records.selectors import publicity_records_of_month
from xinyong.remedies.selectors import remedies_due_of_month

GROUPS = {"unit": "unit_id", "district": "district", "city": None, "month": "month", "dimension": "dimension"}


def metric_definition(metric: str) -> Metric:
    """The registry's entry for `metric` (definitions.py); NotFound for an unknown key."""
    try:
        return METRICS[metric]
    except KeyError:
        raise NotFound("metrics.metric_not_found", f"没有指标 {metric}") from None


@dataclass
class Total:
    """One group's sums: `key` holds the grouping values (unit_id, district, month, dimension) asked for."""

    key: dict
    numerator: int = 0
    denominator: int = 0
    histogram: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def median(self) -> float | None:
        return histogram_median(self.histogram)


def figures(
    *,
    month_from: dt.date,
    month_to: dt.date,
    metric: str,
    unit_id: int | None = None,
    district: str | None = None,
    by: str | Sequence[str] = "city",
) -> list[Total]:
    """Figures of `metric` for the months from `month_from`'s through `month_to`'s, optionally of one unit
    and/or one district, summed per `by` ('unit', 'district', 'city', 'month', 'dimension', or a tuple of
    them), in key order. Medians merge the histograms (metrics with `histogram`). Reads only
    unit_month_figure_read_idx's range for the metric and months."""
    definition = metric_definition(metric)
    fields = _group_fields(by)
    rows = UnitMonthFigure.objects.filter(
        metric=metric, month__gte=month_from.replace(day=1), month__lte=month_to.replace(day=1)
    )
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    if district is not None:
        rows = rows.filter(district=district)
    sums = {"num": Sum("numerator"), "den": Sum("denominator")}
    grouped = rows.values(*fields).annotate(**sums).order_by(*fields) if fields else [rows.aggregate(**sums)]
    totals: dict[tuple, Total] = {}
    for row in grouped:
        if fields or row["den"] is not None:
            key = tuple(row[f] for f in fields)
            totals[key] = Total({f: row[f] for f in fields}, row["num"] or 0, row["den"] or 0)
    if definition.histogram:
        where = _Where(metric, month_from.replace(day=1), month_to.replace(day=1), unit_id, district)
        for key, histogram in _histograms(where, fields).items():
            totals[key].histogram = histogram
    return list(totals.values())


def roll_up(totals: list[Total], by: str | Sequence[str]) -> list[Total]:
    """Totals of a finer grouping summed to a coarser one (`by` a subset of theirs), histograms merged: one
    read of the figures serves every table of a page."""
    fields = _group_fields(by)
    coarse: dict[tuple, Total] = {}
    for total in totals:
        key = tuple(total.key[f] for f in fields)
        into = coarse.get(key)
        if into is None:
            into = coarse[key] = Total({f: total.key[f] for f in fields})
        into.numerator += total.numerator
        into.denominator += total.denominator
        for value, count in total.histogram.items():
            into.histogram[value] = into.histogram.get(value, 0) + count
    return [coarse[key] for key in sorted(coarse)]


def _group_fields(by: str | Sequence[str]) -> list[str]:
    names = [by] if isinstance(by, str) else list(by)
    unknown = [name for name in names if name not in GROUPS]
    if unknown:
        raise NotFound("metrics.group_not_found", f"没有分组方式 {'、'.join(unknown)}")
    return [column for name in names if (column := GROUPS[name]) is not None]


@dataclass(frozen=True)
class _Where:
    metric: str
    first: dt.date
    last: dt.date
    unit_id: int | None
    district: str | None


def _histograms(where: _Where, fields: list[str]) -> dict[tuple, dict[int, int]]:
    """The `detail` histograms summed per group inside the storage (SQLite json_each, PostgreSQL
    jsonb_each_text): a few rows per group come back instead of every figure's JSON."""
    conditions = ["f.metric = %s", "f.month >= %s", "f.month <= %s"]
    params: list[str | int] = [where.metric, where.first.isoformat(), where.last.isoformat()]
    if where.unit_id is not None:
        conditions.append("f.unit_id = %s")
        params.append(where.unit_id)
    if where.district is not None:
        conditions.append("f.district = %s")
        params.append(where.district)
    if connection.vendor == "postgresql":
        each, value = "jsonb_each_text(f.detail) AS h(key, value)", "h.value::integer"
    else:
        each, value = "json_each(f.detail) AS h", "h.value"
    columns = ", ".join([*(f"f.{c}" for c in fields), "h.key"])
    sql = (
        f"SELECT {columns}, SUM({value}) FROM {UnitMonthFigure._meta.db_table} AS f, {each} "
        f"WHERE {' AND '.join(conditions)} GROUP BY {columns}"
    )
    merged: dict[tuple, dict[int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *group, value_key, count in cursor.fetchall():
            key = tuple(_as_date(v) if c == "month" else v for c, v in zip(fields, group, strict=True))
            merged.setdefault(key, {})[int(value_key)] = int(count)
    return merged


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def histogram_median(histogram: dict[int, int]) -> float | None:
    """The median of the values a {value: count} histogram describes (the mean of the middle two for an
    even count, as statistics.median); None when empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:  # the k-th value (0-based) in order
        seen = 0
        for value, count in ordered:
            seen += count
            if k < seen:
                return value
        raise AssertionError("histogram shorter than its count")

    return float(nth(n // 2)) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


@dataclass(frozen=True)
class RowBehind:
    """One row a figure counts: its kind ('record', 'submission', 'category', 'check', 'objection', 'repair',
    'list_entry', 'plan_report'), id (the category code for 'category'; '' for a report never filed), a short
    label, and whether it counts in the numerator (None for a count metric)."""

    kind: str
    id: int | str
    label: str
    counted: bool | None


def figure_rows_behind(*, metric: str, month: dt.date, unit_id: int, limit: int = 200) -> list[RowBehind]:
    """The rows behind one unit's figure of `metric` in `month`, read from the owner apps (the evaluation's
    "records behind" each indicator), at most `limit`."""
    metric_definition(metric)
    span = Month(month.replace(day=1))
    reader = _BEHIND.get(metric)
    return reader(span, unit_id, limit) if reader is not None else []


def _publicity(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
    rows = publicity_records_of_month(start=span.start, end=span.end, unit_id=unit_id, limit=limit)
    return [RowBehind("record", pk, label, ok) for pk, label, ok in rows]


def _submissions(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
    rows = submissions_of_month(start=span.start, end=span.end, unit_id=unit_id, limit=limit)
    return [
        RowBehind("submission", pk, f"{label}：退回 {rej} / {total} 行", rej > 0)
        for pk, label, total, rej in rows
    ]


def _completeness(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
    rows = UnitMonthFigure.objects.filter(
        metric="catalog_completeness", month=span.first, unit_id=unit_id
    ).order_by("dimension")[:limit]
    return [RowBehind("category", r.dimension, r.dimension, bool(r.numerator)) for r in rows]


def _checks(by_due: bool):
    def read(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
        rows = checks_of_month(start=span.start, end=span.end, unit_id=unit_id, limit=limit, by_due=by_due)
        return [RowBehind("check", pk, label, None) for pk, label in rows]

    return read


def _remedies(repairs: bool):
    def read(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
        rows = remedies_due_of_month(
            start=span.start, end=span.end, unit_id=unit_id, limit=limit, repairs=repairs
        )
        return [RowBehind("repair" if repairs else "objection", pk, label, ok) for pk, label, ok in rows]

    return read


def _lists(exits: bool):
    def read(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
        rows = list_moves_of_month(start=span.start, end=span.end, unit_id=unit_id, limit=limit, exits=exits)
        return [RowBehind("list_entry", pk, label, None) for pk, label in rows]

    return read


def _plan_reports(span: Month, unit_id: int, limit: int) -> list[RowBehind]:
    rows = progress_reports_due_of_month(month=span.first, unit_id=unit_id, limit=limit)
    return [RowBehind("plan_report", pk if pk is not None else "", label, ok) for pk, label, ok in rows]


_BEHIND = {
    "publicity_on_time": _publicity,
    "rows_rejected": _submissions,
    "catalog_completeness": _completeness,
    "checks": _checks(by_due=False),
    "feedback_on_time": _checks(by_due=True),
    "measures_applied": _checks(by_due=True),
    "objections_on_time": _remedies(repairs=False),
    "repairs_on_time": _remedies(repairs=True),
    "list_entries": _lists(exits=False),
    "list_exits": _lists(exits=True),
    "plan_reports_on_time": _plan_reports,
}
