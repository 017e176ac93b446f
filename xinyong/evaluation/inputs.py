"""The one place the evaluation reads the metrics layer (xinyong.metrics, the tier below; ADR 0035/0036).

A unit's figure for a metric is the sum of its month's rows over districts and dimensions; a district's is
the sum of the month's rows whose `district` is that district government's code (the subject's district, or
the unit's own — metrics/definitions.py), whichever unit they belong to. Both come from
`metrics.selectors.figures`; the records behind a figure from `figure_rows_behind`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from xinyong.accounts.models import Unit
from xinyong.evaluation.scoring import Figure

Progress = Callable[[str], None]


def month_figures(
    *,
    kind: str,
    month: dt.date,
    metrics: Iterable[str],
    units: list[Unit],
    progress: Progress = lambda _: None,
) -> dict[int, dict[str, Figure]]:
    """Unit id → metric → the month's figure, for the units (or district governments) evaluated."""
    from xinyong.metrics import selectors

    by_key = (
        {unit.pk: unit.pk for unit in units} if kind == "unit" else {unit.code: unit.pk for unit in units}
    )
    out: dict[int, dict[str, Figure]] = {}
    for metric in metrics:
        rows = selectors.figures(month_from=month, month_to=month, metric=metric, by=kind)
        found = 0
        for row in rows:
            unit_id = by_key.get(_key(row, kind))
            if unit_id is None:
                continue
            out.setdefault(unit_id, {})[metric] = Figure(
                Decimal(row["numerator"]), Decimal(row["denominator"]), row.get("detail") or {}
            )
            found += 1
        progress(f"  指标 {metric}：{found} 个参评对象有数据")
    return out


def _key(row: dict[str, Any], kind: str) -> Any:
    return row["unit_id"] if kind == "unit" else row["district"]


def definition(*, metric: str) -> dict[str, Any]:
    """The metric's definition as the metrics layer states it (name, what it counts, its source)."""
    from xinyong.metrics import selectors

    return dict(selectors.metric_definition(metric))


def source_text(*, kind: str, metric: str, month: dt.date, unit: Unit) -> str:
    """The selector call that produced the figure, as a reader can re-run it."""
    scope = f"unit_id={unit.pk}" if kind == "unit" else f"district={unit.code!r}"
    m = month.isoformat()
    return (
        f"xinyong.metrics.selectors.figures(month_from={m!r}, month_to={m!r}, "
        f"metric={metric!r}, {scope}, by={kind!r})"
    )


def rows_behind(*, kind: str, metric: str, month: dt.date, unit: Unit, limit: int) -> tuple[list[dict], str]:
    """Up to `limit` records behind a unit's figure; for a district, a note (its figure sums many units')."""
    from xinyong.metrics import selectors

    if kind != "unit":
        return [], "区的指标为辖区内各单位数据之和，可在各单位的考核明细中查看数据明细"
    rows = selectors.figure_rows_behind(metric=metric, month=month, unit_id=unit.pk, limit=limit)
    return [dict(r) for r in rows], ""
