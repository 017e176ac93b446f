"""The monthly evaluation benchmark (issue 16: "the monthly evaluation of all units and districts ≤ 60 s at
1 M subjects / 10 M records").

The evaluation reads only the metrics layer's month (`unit_month_figure`), whose size follows units ×
districts × dimensions × metrics, not the records: 10 M records change the numbers in it, not its row count.
So the builder fills one month densely — every unit × every district (16 and '') × `dimensions` dimensions ×
every metric of the registry, deterministic numbers — with raw inserts (the figures of 10 M records come from
`metrics.services.month_refresh`, whose cost the metrics benchmark measures). Then it times
`evaluation_month_compute` for units and for districts, beside the same run's raw aggregate query (one grouped
SELECT of the month per kind), the floor any evaluation over these rows pays."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from django.db import connection, transaction

MONTH = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def build(*, dimensions: int, seed: int = 16) -> int:
    """Write the month's figures: answers the number of rows."""
    from xinyong.accounts.models import Unit, UnitType
    from xinyong.metrics.definitions import METRICS
    from xinyong.metrics.models import UnitMonthFigure

    rng = random.Random(seed)
    units = list(Unit.objects.values_list("id", flat=True))
    districts = [""] + list(
        Unit.objects.filter(type=UnitType.DISTRICT_GOVERNMENT).values_list("code", flat=True)
    )
    table = UnitMonthFigure._meta.db_table
    sql = (
        f"INSERT INTO {table} (month, unit_id, district, metric, dimension, numerator, denominator, detail, "
        "computed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    ops = connection.ops
    month, now, empty = (
        ops.adapt_datefield_value(MONTH),
        ops.adapt_datetimefield_value(NOW),
        ops.adapt_json_value({}, None),
    )
    rows = []
    for unit in units:
        for district in districts:
            for metric in METRICS:
                for d in range(dimensions):
                    den = rng.randint(1, 400)
                    rows.append(
                        (month, unit, district, metric, f"D{d}", rng.randint(0, den), den, empty, now)
                    )
    with transaction.atomic(), connection.cursor() as cursor:  # one commit, not one per row (autocommit)
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])
    return len(rows)


def baseline_seconds(kind: str) -> float:
    """The same run's raw aggregate: one grouped SELECT of the month's rows per unit (or district) and
    metric."""
    from xinyong.metrics.models import UnitMonthFigure

    column = "unit_id" if kind == "unit" else "district"
    sql = (
        f"SELECT {column}, metric, SUM(numerator), SUM(denominator) FROM {UnitMonthFigure._meta.db_table} "
        f"WHERE month = %s GROUP BY {column}, metric"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(MONTH)])
        cursor.fetchall()
    return time.perf_counter() - started


def run(*, dimensions: int) -> dict:
    from xinyong.accounts.reference import units_load
    from xinyong.core.actor import Actor
    from xinyong.evaluation.services import evaluation_month_compute, scorecards_load

    system = Actor.system()
    units_load(actor=system, now=NOW)
    scorecards_load(actor=system, now=NOW)
    started = time.perf_counter()
    rows = build(dimensions=dimensions)
    result: dict = {"figure_rows": rows, "build_seconds": time.perf_counter() - started, "kinds": {}}
    for kind in ("unit", "district"):
        started = time.perf_counter()
        evaluation = evaluation_month_compute(month=MONTH, kind=kind, now=NOW, actor=system)
        seconds = time.perf_counter() - started
        result["kinds"][kind] = {
            "seconds": seconds,
            "entities": evaluation.entities,
            "ranked": evaluation.ranked,
            "baseline_seconds": baseline_seconds(kind),
        }
    result["total_seconds"] = sum(k["seconds"] for k in result["kinds"].values())
    return result


def dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
