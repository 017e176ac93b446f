"""What a check costs the storage (docs/performance.md, issue 5; ADR 0010): the indexes its reads use and the b-trees its
write touches. These pin the schema decisions of records.0002, measures.0003–0005 and audit.0003, so an index
added back by a later migration shows up here, not only as a slower benchmark."""

import datetime as dt
import sqlite3
import struct
from pathlib import Path

import pytest
from django.db import connection

from tests.support.measures import NOW, submit_penalties
from tests.support.records import COMPANY, cf_row
from xinyong.measures.services import check_run
from xinyong.records.shown import negative_summaries
from xinyong.subjects.identifiers import uscc_make

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own plan and WAL")


def _indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, table)
    return {
        name: c["columns"]
        for name, c in found.items()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    }


@pytest.mark.django_db
def test_record_subject_index_covers_the_summary_and_no_index_duplicates_it():
    indexes = _indexes("records_record")
    assert indexes["record_subject_idx"] == [
        "subject_id",
        "category_id",
        "is_current",
        "status",
        "decision_date",
        "publish_max_end",
        "submission_id",  # the staging gate (ADR 0026): still read from the index alone
    ]
    assert [name for name, cols in indexes.items() if cols[0] == "subject_id"] == ["record_subject_idx"]


@pytest.mark.django_db
def test_checks_have_no_index_of_their_own_for_unit_or_matter():
    assert sorted(_indexes("measures_check").values()) == [
        ["unit_id", "checked_at"],
        ["unit_id", "feedback_due"],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("table,other", [("entries", "listentry_id"), ("measures", "measure_id")])
def test_check_result_links_have_no_index_on_the_result_alone(table, other):
    indexes = _indexes(f"measures_checkresult_{table}")
    assert sorted(indexes.values()) == [["checkresult_id", other], [other]]


@pytest.mark.django_db
def test_audit_events_are_indexed_by_seq_and_target_not_by_hash():
    assert sorted(_indexes("audit_event").values()) == [["seq"], ["target_type", "target_id"]]


@sqlite_only
def test_the_negative_record_summary_reads_the_index_alone(listed_company):
    raw = connection.connection
    seen: list[str] = []
    raw.set_trace_callback(seen.append)
    try:
        summary = negative_summaries([listed_company.id], on=dt.date(2026, 12, 1))
    finally:
        raw.set_trace_callback(None)
    assert [(n.category, n.count) for n in summary[listed_company.id]] == [("CF", 2)]
    (sql,) = [s for s in seen if "FROM records_record" in s]
    plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql)]
    # the records are read from the index alone; the staging gate (ADR 0026) is a probe of the batch table's
    # unique index per record, not a read of the record's table page
    assert plan == [
        "SEARCH r USING COVERING INDEX record_subject_idx (subject_id=?)",
        "USING INDEX sqlite_autoindex_records_recordbatch_1 FOR IN-OPERATOR",
        "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)",
        "USE TEMP B-TREE FOR GROUP BY",
    ]


# The b-trees one check of a subject without list entries writes: its row and result with their indexes, the
# audit event with its indexes and the chain head, and AUTOINCREMENT's counters.
CHECK_WRITES = {
    "measures_check",
    "check_unit_time_idx",
    "measures_checkresult",
    "measures_checkresult_check_run_id_299bb935",
    "measures_checkresult_subject_id_1c2e943a",
    "audit_event",
    "sqlite_autoindex_audit_event_1",  # seq
    "audit_target_idx",
    "audit_head",
    "sqlite_sequence",
}

# A listed subject's check also names the entry and the measure that applied (the link tables and their
# indexes other than the result's own) and owes feedback (the due index).
LISTED_WRITES = CHECK_WRITES | {
    "check_unit_due_idx",
    "measures_checkresult_entries",
    "measures_checkresult_entries_checkresult_id_listentry_id_fa64ff6f_uniq",
    "measures_checkresult_entries_listentry_id_70de8ae6",
    "measures_checkresult_measures",
    "measures_checkresult_measures_checkresult_id_measure_id_26dda5ea_uniq",
    "measures_checkresult_measures_measure_id_d2830b89",
}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_check_of_a_subject_on_no_list_writes_these_b_trees_and_no_others(caizhengju):
    unlisted = uscc_make("9111010500054321")  # known, with a published penalty, on no list
    submit_penalties([cf_row(CF_XDR_SHXYM=unlisted, CF_XDR_MC="北京无名科技有限公司", CF_WSH="W1")], key="kw")
    assert _written_by_second_check(caizhengju, unlisted, applicable=0) == (CHECK_WRITES, len(CHECK_WRITES))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_check_of_a_listed_subject_writes_these_b_trees_and_no_others(listed_company, caizhengju):
    assert _written_by_second_check(caizhengju, COMPANY, applicable=1) == (LISTED_WRITES, len(LISTED_WRITES))


def _written_by_second_check(actor, code: str, *, applicable: int) -> tuple[set[str], int]:
    """The b-trees the WAL holds pages of after one check (the first check, before the WAL is emptied, creates
    what only a first check creates), and how many frames: one each when nothing split."""
    raw = connection.connection
    if not _has_dbstat(raw):
        pytest.skip("this SQLite build has no dbstat table")
    check = check_run(actor=actor, matter_code="政府采购", case_number="W-1", identifiers=[code], now=NOW)
    assert check.known_count == 1 and check.applicable_count == applicable
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    check_run(actor=actor, matter_code="政府采购", case_number="W-2", identifiers=[code], now=NOW)
    frames = _wal_frames(Path(raw.execute("PRAGMA database_list").fetchone()[2] + "-wal"))
    names = {name for name, page in raw.execute("SELECT name, pageno FROM dbstat") if page in frames}
    return names, len(frames)


def _has_dbstat(raw: sqlite3.Connection) -> bool:
    try:
        raw.execute("SELECT 1 FROM dbstat LIMIT 1")
    except sqlite3.OperationalError:
        return False
    return True


def _wal_frames(path: Path) -> list[int]:
    """The page number of each frame in the WAL (a 32-byte header; each frame a 24-byte header, then the page)."""
    data = path.read_bytes()
    page_size = struct.unpack(">I", data[8:12])[0]
    pages, offset = [], 32
    while offset + 24 <= len(data):
        pages.append(struct.unpack(">I", data[offset : offset + 4])[0])
        offset += 24 + page_size
    return pages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own plan")
def test_the_negative_record_summary_can_read_the_index_alone_on_postgresql(listed_company):
    """On a test-sized table the planner prefers a sequential scan; with scans of the table itself priced out,
    it must find an index-only scan of record_subject_idx, the staging gate included (ADR 0026)."""
    from xinyong.records.shown import _summary_sql

    on = dt.date(2026, 12, 1)
    assert [n.count for n in negative_summaries([listed_company.id], on=on)[listed_company.id]] == [2]
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        cur.execute("EXPLAIN " + _summary_sql("postgresql").format("%s"), [on, True, listed_company.id])
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "Index Only Scan using record_subject_idx on records_record r" in plan, plan
