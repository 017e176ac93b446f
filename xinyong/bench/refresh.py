"""The month refresh benchmark (issue 16: "the monthly evaluation of all units and districts ≤ 60 s at 1 M
subjects / 10 M records"): over the check benchmark's data set (bench/checkdata.py: records from every unit,
received over 12 months, so the month refreshed holds a twelfth of them), it times the whole monthly chain —
`metrics.services.month_refresh` of one Beijing month, then `evaluation_month_compute` for units and for
districts, then the government integrity district evaluation — each beside this run's raw baseline: one
grouped SELECT of the month's records per unit (the floor any refresh reading them pays).

What the data set holds for the month: records (publicity timeliness) only; submissions, checks and their
feedback, objections, repairs, list moves and plan reports of the month are absent (their steps run over
empty ranges), so the figure is the records' share of the cost."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.db import connection

MONTH = dt.date(2026, 11, 1)  # the last of checkdata.RECEIVED_MONTHS
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
BEIJING = dt.timezone(dt.timedelta(hours=8))


T = TypeVar("T")


def _timed(step: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    out = step()
    return time.perf_counter() - started, out


def baseline() -> tuple[float, int]:
    """The raw floor: the month's records counted per unit in one grouped SELECT (seconds, records)."""
    start = dt.datetime(MONTH.year, MONTH.month, 1, tzinfo=BEIJING)
    end = dt.datetime(MONTH.year, MONTH.month + 1, 1, tzinfo=BEIJING)  # MONTH is November
    ops = connection.ops
    sql = ("SELECT unit_id, COUNT(*) FROM records_record WHERE received_at >= %s AND received_at < %s "
           "GROUP BY unit_id")  # fmt: skip
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql, [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)])
        rows = cur.fetchall()
    return time.perf_counter() - started, sum(n for _, n in rows)


def record_read_plan() -> dict:
    """The plan of the refresh's record read (records' `publicity_timeliness_counts` over the month), as the
    storage chooses it on this data set, and its full scans of a table (SQLite `SCAN`, PostgreSQL `Seq
    Scan`): the read must go through record_unit_received_idx, the month bounding received_at."""
    from xinyong.accounts.models import Unit
    from xinyong.metrics.compute import Month
    from xinyong.records.selectors import publicity_timeliness_counts

    sent: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    span = Month(MONTH)
    with connection.execute_wrapper(record):
        publicity_timeliness_counts(
            start=span.start, end=span.end, unit_ids=list(Unit.objects.values_list("pk", flat=True))
        )
    sql, params = next((q, p) for q, p in sent if "records_record" in q and "GROUP BY" in q)
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute(f"{'EXPLAIN' if pg else 'EXPLAIN QUERY PLAN'} {sql}", params)
        plan = [row[0] if pg else row[-1] for row in cur.fetchall()]
    scans = [
        line.strip() for line in plan if ("Seq Scan" in line if pg else line.strip().startswith("SCAN "))
    ]
    return {
        "plan": plan,
        "full_scans": scans,
        "uses_index": any("record_unit_received_idx" in x for x in plan),
    }


def run() -> dict:
    from xinyong.core.actor import Actor
    from xinyong.evaluation.services import evaluation_month_compute, scorecards_load
    from xinyong.govintegrity.services import district_evaluation_compute
    from xinyong.metrics.services import month_refresh

    system = Actor.system()
    scorecards_load(actor=system, now=NOW)
    base_seconds, month_records = baseline()
    steps: dict[str, dict] = {}
    seconds, rows = _timed(lambda: month_refresh(month=MONTH, now=NOW, actor=system))
    steps["refresh"] = {"seconds": seconds, "figure_rows": rows}
    for kind in ("unit", "district"):
        seconds, ev = _timed(partial(evaluation_month_compute, month=MONTH, kind=kind, now=NOW, actor=system))
        steps[f"evaluation_{kind}"] = {"seconds": seconds, "entities": ev.entities, "ranked": ev.ranked}
    seconds, scored = _timed(lambda: district_evaluation_compute(actor=system, now=NOW, month=MONTH))
    steps["govintegrity"] = {"seconds": seconds, "districts": len(scored)}
    return {
        "record_read": record_read_plan(),
        "month": f"{MONTH:%Y-%m}",
        "month_records": month_records,
        "baseline_seconds": base_seconds,
        "steps": steps,
        "total_seconds": sum(s["seconds"] for s in steps.values()),
        "load_average": os.getloadavg(),
    }
