"""The month's grouped counts read only the month's rows (issue 16): every statement the owner selectors send
is explained on the storage of the test run, and every table is reached through an index, never by a full
scan. PostgreSQL runs with `enable_seqscan = off`, so a sequential scan in the plan means that no
index could serve the query (on tables this small the planner would otherwise scan anyway)."""

import datetime as dt

import pytest
from django.db import connection

from tests.support.records import reference  # noqa: F401 - fixture
from xinyong.intake.models import Submission
from xinyong.intake.selectors import submission_row_counts
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import list_moves_counts
from xinyong.measures.models import Check
from xinyong.measures.selectors import check_counts, feedback_due_counts
from xinyong.metrics.models import UnitMonthFigure
from xinyong.metrics.selectors import figures
from xinyong.records.models import Record
from xinyong.records.selectors import publicity_timeliness_counts
from xinyong.remedies.models import Objection, RepairApplication
from xinyong.remedies.selectors import objection_verify_counts, repair_decide_counts

pytestmark = pytest.mark.django_db

BJ = dt.timezone(dt.timedelta(hours=8))
START, END = dt.datetime(2026, 11, 1, tzinfo=BJ), dt.datetime(2026, 12, 1, tzinfo=BJ)
UNITS = [1, 2, 3]


def _statements(read) -> list[tuple[str, tuple]]:
    sent: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        read()
    return sent


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(row[-1] for row in cursor.fetchall())


def _full_scans(plan: str) -> list[str]:
    """The plan's full scans of any table or index (SQLite: `SCAN …`, even through an index, but not of the
    json_each virtual table over one row's histogram; PostgreSQL: `Seq Scan`, with sequential scans priced
    out)."""
    if connection.vendor == "postgresql":
        return [line for line in plan.splitlines() if "Seq Scan" in line]
    lines = [line.strip() for line in plan.splitlines()]
    return [line for line in lines if line.startswith("SCAN ") and "VIRTUAL TABLE" not in line]


READS = {
    "publicity_timeliness_counts": (
        Record,
        lambda: publicity_timeliness_counts(start=START, end=END, unit_ids=UNITS),
    ),
    "submission_row_counts": (
        Submission,
        lambda: submission_row_counts(start=START, end=END, unit_ids=UNITS),
    ),
    "check_counts": (Check, lambda: check_counts(start=START, end=END, unit_ids=UNITS)),
    "feedback_due_counts": (Check, lambda: feedback_due_counts(start=START, end=END, unit_ids=UNITS)),
    "objection_verify_counts": (Objection, lambda: objection_verify_counts(start=START, end=END)),
    "repair_decide_counts": (RepairApplication, lambda: repair_decide_counts(start=START, end=END)),
    "list_moves_counts (entries)": (ListEntry, lambda: list_moves_counts(start=START, end=END, exits=False)),
    "list_moves_counts (exits)": (ListEntry, lambda: list_moves_counts(start=START, end=END, exits=True)),
    "figures": (
        UnitMonthFigure,
        lambda: figures(month_from=START.date(), month_to=END.date(), metric="publicity_on_time", by="unit"),
    ),
}


@pytest.mark.parametrize("name", list(READS))
def test_the_month_is_read_through_an_index(reference, name):  # noqa: F811
    model, read = READS[name]
    table = model._meta.db_table
    statements = [(sql, params) for sql, params in _statements(read) if table in sql]
    assert statements, f"{name} sent no statement on {table}"
    for sql, params in statements:
        plan = _plan(sql, params)
        assert _full_scans(plan) == [], f"{name}: {plan}"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, without statistics")
def test_the_months_records_are_read_through_the_unit_and_month_index(reference):  # noqa: F811
    """Not just any index: the month's range of record_unit_received_idx. Given `category_id IN (…)`, SQLite
    read every record of the 双公示 categories through record_publicity_idx (a SEARCH, not a SCAN, yet 85 % of
    the records at the benchmark's scale: bench refresh)."""
    every_unit = list(range(1, 78))  # as many as the reference units: the IN list weighs in the plan's cost

    def read():
        return publicity_timeliness_counts(start=START, end=END, unit_ids=every_unit)

    [(sql, params)] = [(sql, p) for sql, p in _statements(read) if "records_record" in sql]
    plan = _plan(sql, params)
    assert "USING INDEX record_unit_received_idx (unit_id=? AND received_at>? AND received_at<?)" in plan, (
        plan
    )
