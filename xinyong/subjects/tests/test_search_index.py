"""Subject search: the name index kept up to date by registration, rename, bulk creation and reindex, and
the query plan that reads it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.support.factories import (
    T0,
    PersonFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from xinyong.subjects.bulk import NewSubject, subjects_bulk_create
from xinyong.subjects.search import SHORT_QUERY_SQL, subject_search
from xinyong.subjects.search_index import search_reindex
from xinyong.subjects.tests.search_cases import (
    _company,
    _expected_rows,
    _found,
    _index_rows,
    _rename,
)

pytestmark = pytest.mark.django_db


# ── index upkeep ──────────────────────────────────────────────────────────────────────────────────────


def test_register_indexes_the_name():
    subject = _company(1, "北京京东世纪贸易有限公司")
    assert _index_rows() == _expected_rows()
    assert ("京东", 5, 12, subject.pk) in _index_rows()
    assert ("北京京东", 3, 12, subject.pk) in _index_rows()
    assert len(_index_rows()) == 11 + 10 + 9  # 2-, 3- and 4-grams of a 12-character name, all distinct


def test_rename_moves_the_old_name_to_former_ranks():
    subject = _company(1, "京东方商贸有限公司")
    _rename(subject, "北京方正商贸有限公司")
    rows = _index_rows()
    assert rows == _expected_rows()
    assert ("京东", 4, 9, subject.pk) in rows  # prefix of a former name
    assert ("商贸", 5, 10, subject.pk) in rows  # both names have it: the current one ranks better
    assert not any(r[0] == "京东" and r[1] == 3 for r in rows)
    _rename(subject, "京东方商贸有限公司", day=dt.date(2028, 1, 1))  # back to the first name
    assert _index_rows() == _expected_rows()
    assert _found("京东方") == [("京东方商贸有限公司", "prefix", None)]


def test_bulk_create_indexes_the_new_subjects():
    _company(1, "北京甲科技有限公司")
    entries = [
        NewSubject(
            key=("uscc", make_uscc(2)), kind="enterprise", name="北京京东世纪贸易有限公司", uscc=make_uscc(2)
        ),
        NewSubject(
            key=("regno", make_regno(3)),
            kind="individual_business",
            name="朝阳区李记京东小吃店",
            regno=make_regno(3),
        ),
        NewSubject(key=("ric_hash", "x"), kind="natural_person", name="张京东", resident_id=make_ric(4)),
    ]
    with transaction.atomic():
        subjects_bulk_create(entries, now=T0)
    assert _index_rows() == _expected_rows()
    assert _found("京东") == [
        ("朝阳区李记京东小吃店", "substring", None),
        ("北京京东世纪贸易有限公司", "substring", None),
    ]
    assert [h.code for h in subject_search(q="李记", include_persons=False).hits] == [make_regno(3)]


def test_search_reindex_rebuilds_the_index_and_is_idempotent():
    _company(1, "北京京东世纪贸易有限公司")
    renamed = _company(2, "京东方商贸有限公司")
    _rename(renamed, "北京方正商贸有限公司")
    PersonFactory(name="王芳", resident_id=make_ric(1))
    built = _index_rows()
    assert built == _expected_rows()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM subjects_name_gram WHERE gram = %s", ["京东"])
        cur.execute("INSERT INTO subjects_name_gram VALUES ('无关', 5, 9, %s)", [renamed.pk])
    for _ in range(2):
        call_command("search_reindex", stdout=io.StringIO())
        assert _index_rows() == built
    assert search_reindex() == {"subjects": 3, "rows": len(built)}


# ── query plan ────────────────────────────────────────────────────────────────────────────────────────


def test_two_character_query_reads_the_gram_index_not_the_subject_table():
    entries = [
        NewSubject(
            key=("uscc", make_uscc(n)), kind="enterprise", name=f"北京测试{n}科技有限公司", uscc=make_uscc(n)
        )
        for n in range(1, 2001)
    ]
    with transaction.atomic():
        subjects_bulk_create(entries, now=T0)
    sql = SHORT_QUERY_SQL.format(visibility=" AND s.status = %s AND s.kind <> %s")
    params = ["科技", 0, 0, 0, "active", "natural_person", 21]
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [row[-1] for row in cur.fetchall()]
            assert plan[0].startswith(
                "SEARCH g USING PRIMARY KEY (gram=? AND (rank,length,subject_id)>(?,?,?))"
            )
            assert plan[1] == "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"
            assert not any(step.startswith("SCAN") or "TEMP B-TREE" in step for step in plan)
        else:
            cur.execute("ANALYZE subjects_name_gram")
            cur.execute("ANALYZE subjects_subject")
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cur.fetchall())
            assert "Index Only Scan using subjects_name_gram_pkey on subjects_name_gram g" in plan
            assert (
                "Index Cond: ((gram = '科技'::text) AND (ROW(rank, length, subject_id) > ROW(0, 0, 0)))"
                in plan
            )
            assert "Index Scan using subjects_subject_pkey on subjects_subject s" in plan
            assert "Seq Scan" not in plan and "Sort" not in plan
    assert len(subject_search(q="科技", include_persons=False, limit=20).hits) == 20
