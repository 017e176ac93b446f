"""The one place the evaluation reads the metrics layer (xinyong.metrics, the tier below; ADR 0035/0036).

A unit's figure for a metric is the sum of its month's rows over districts and dimensions; a district's is
the sum of the month's rows whose `district` is that district government's code (the subject's district, or
the unit's own — metrics/definitions.py), whichever unit they belong to. Both come from
`metrics.selectors.figures`; the records behind a figure from `figure_rows_behind`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from xinyong.accounts.models import Unit
from xinyong.core.errors import NotFound
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
    """Unit id → metric → the month's figure, for the units (or district governments) evaluated. A metric
    the metrics layer does not (yet) define has no figure: the indicator is not counted."""
    from xinyong.metrics import selectors

    by_key: dict[int | str, int] = {unit.pk if kind == "unit" else unit.code: unit.pk for unit in units}
    field = "unit_id" if kind == "unit" else "district"
    out: dict[int, dict[str, Figure]] = {}
    for metric in metrics:
        try:
            totals = selectors.figures(month_from=month, month_to=month, metric=metric, by=kind)
        except NotFound:
            progress(f"  指标 {metric}：指标层没有此指标，不计分")
            continue
        found = 0
        for total in totals:
            unit_id = by_key.get(total.key[field])
            if unit_id is not None:
                figure = Figure(Decimal(total.numerator), Decimal(total.denominator), dict(total.histogram))
                out.setdefault(unit_id, {})[metric] = figure
                found += 1
        progress(f"  指标 {metric}：{found} 个参评对象有数据")
    return out


def definition(*, metric: str) -> dict[str, str]:
    """The metric's definition as the metrics layer states it (name, numerator, denominator, what it counts,
    the owner selectors it comes from), with Chinese labels."""
    from xinyong.metrics import selectors

    try:
        m = selectors.metric_definition(metric)
    except NotFound:
        return {"指标": metric, "口径": "指标层尚无此指标"}
    return {
        "指标": m.label,
        "分子": m.numerator_label,
        "分母": m.denominator_label,
        "口径": m.definition,
        "数据来源": m.source,
    }


def source_text(*, kind: str, metric: str, month: dt.date, unit: Unit) -> str:
    """The selector call that produced the figure, as a reader can re-run it (`python -m xinyong.cli django
    shell`)."""
    scope = f"unit_id={unit.pk}" if kind == "unit" else f"district={unit.code!r}"
    m = month.isoformat()
    return (
        f"from xinyong.metrics.selectors import figures\n"
        f"figures(month_from=date.fromisoformat({m!r}), month_to=date.fromisoformat({m!r}), "
        f"metric={metric!r}, {scope}, by={kind!r})"
    )


COUNTED = {True: "是", False: "否", None: "—"}


def rows_behind(*, kind: str, metric: str, month: dt.date, unit: Unit, limit: int) -> tuple[list[dict], str]:
    """Up to `limit` records behind a unit's figure; for a district, a note (its figure sums many units')."""
    from xinyong.metrics import selectors

    if kind != "unit":
        return [], "区的指标为辖区内各单位相应数据之和，可在各单位的考核明细中查看数据明细"
    try:
        rows = selectors.figure_rows_behind(metric=metric, month=month, unit_id=unit.pk, limit=limit)
    except NotFound:
        return [], "指标层尚无此指标"
    return [{"类型": r.kind, "编号": r.id, "内容": r.label, "计入分子": COUNTED[r.counted]} for r in rows], ""
