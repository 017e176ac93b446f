"""core/bulk.py: the bulk writes and batched reads give the same rows on both storages (issue 18: COPY on
PostgreSQL, executemany on SQLite; one array statement for `select_in` on PostgreSQL)."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, connection, transaction

from xinyong.core.bulk import db_date, db_datetime, insert_many, row_date_iso, row_datetime, select_in

COLUMNS = ["id", "name", "doc", "day", "at", "flag", "note"]
AT = dt.datetime(2026, 11, 2, 2, 0, 30, 123456, tzinfo=dt.UTC)
TRICKY = [
    "北京华信恒通科技有限公司",
    "back\\slash \\N and \\t literally",
    "tab\there",
    "new\nline and\r\ncarriage",
    "quote ' double \" semicolon ; comma ,",
    "",
    "emoji 🚀 and NUL-free control \x01",
]


@pytest.fixture
def probe(db):
    json_type = "JSONB" if connection.vendor == "postgresql" else "TEXT"
    stamp = "TIMESTAMP WITH TIME ZONE" if connection.vendor == "postgresql" else "DATETIME"
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE bulk_probe (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, doc {json_type}, "
            f"day DATE, at {stamp}, flag BOOLEAN NOT NULL, note TEXT)"
        )
    return "bulk_probe"


def _rows():
    out = []
    for i, text in enumerate(TRICKY, start=1):
        doc = {"名称": text, "n": i, "nested": {"list": [text, None]}}
        day = dt.date(2026, 2, 28) + dt.timedelta(days=i)
        out.append(
            (i, text, json.dumps(doc, ensure_ascii=False), db_date(day), db_datetime(AT), i % 2 == 0, None)
        )
    out.append((99, "全空", None, None, None, False, None))
    return out


def _read(table):
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(COLUMNS)} FROM {table} ORDER BY id")
        return cur.fetchall()


def test_insert_many_writes_exactly_the_rows_given(probe):
    rows = _rows()
    insert_many(probe, COLUMNS, iter(rows))  # any iterable: a generator is fine
    got = _read(probe)
    assert len(got) == len(rows)
    for (i, name, doc, day, at, flag, note), want in zip(got, rows, strict=True):
        assert (i, name, note) == (want[0], want[1], None)
        assert bool(flag) is want[5]
        if want[2] is None:
            assert (doc, day, at) == (None, None, None)
            continue
        assert (json.loads(doc) if isinstance(doc, str) else doc) == json.loads(want[2])
        assert row_date_iso(day) == (dt.date(2026, 2, 28) + dt.timedelta(days=i)).isoformat()
        assert row_datetime(at) == AT


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="jsonb operators")
def test_copy_writes_json_the_database_can_query(probe):
    insert_many(probe, COLUMNS, _rows())
    with connection.cursor() as cur:
        cur.execute(f"SELECT doc->>'名称', (doc->'nested'->'list'->>0) FROM {probe} WHERE id = 2")
        assert cur.fetchone() == (TRICKY[1], TRICKY[1])
        cur.execute(f"SELECT count(*) FROM {probe} WHERE doc IS NULL AND day IS NULL")
        assert cur.fetchone() == (1,)


def test_one_row_and_two_rows_are_written_too(probe):
    """PostgreSQL writes a single row as one INSERT (one round trip), two or more with COPY."""
    rows = _rows()
    insert_many(probe, COLUMNS, iter(rows[:1]))
    insert_many(probe, COLUMNS, iter(rows[1:3]))
    assert [(r[0], r[1]) for r in _read(probe)] == [(r[0], r[1]) for r in rows[:3]]


def test_insert_many_with_no_rows_writes_nothing(probe):
    insert_many(probe, COLUMNS, [])
    insert_many(probe, COLUMNS, iter(()))
    assert _read(probe) == []


def test_a_duplicate_key_is_django_integrity_error(probe):
    rows = _rows()[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many(probe, COLUMNS, [*rows, rows[0]])
    assert _read(probe) == []


def test_ignore_conflicts_leaves_existing_rows_alone(probe):
    rows = _rows()
    insert_many(probe, COLUMNS, rows[:3])
    changed = [(1, "改过的名称", None, None, None, True, "x"), *rows[3:5]]
    insert_many(probe, COLUMNS, changed, ignore_conflicts=True)
    got = _read(probe)
    assert [r[0] for r in got] == [1, 2, 3, 4, 5]
    assert got[0][1] == TRICKY[0]


@pytest.mark.parametrize("chunk", [2, 500])
def test_select_in_returns_every_match_once(probe, chunk):
    insert_many(probe, COLUMNS, _rows())
    sql = f"SELECT id, name FROM {probe} WHERE flag = %s AND name IN ({{}})"
    got = select_in(sql, [TRICKY[1], TRICKY[2], TRICKY[3], "无此名称"], before=[False], chunk=chunk)
    assert sorted(got) == [(3, TRICKY[2])]  # id 3 is the only one with flag false
    ids = select_in(f"SELECT id FROM {probe} WHERE id IN ({{}})", list(range(0, 200)), chunk=chunk)
    assert sorted(r[0] for r in ids) == [*range(1, len(TRICKY) + 1), 99]
    assert select_in(f"SELECT id FROM {probe} WHERE id IN ({{}})", [], chunk=chunk) == []
