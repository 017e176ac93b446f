"""core.roundtrips (issue 18, ADR 0029): reads sent together give each owner's rows; a pipelined transaction
commits what its body wrote, or nothing when a statement fails, and leaves the connection as Django expects."""

import pytest
from django.db import IntegrityError, connection, transaction

from xinyong.core.bulk import insert_many
from xinyong.core.roundtrips import (
    Read,
    Statement,
    Subquery,
    execute_prepared,
    pipelined_transaction,
    read_together,
)

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pipelines")


@pytest.fixture
def scratch(transactional_db):
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE rt_scratch (id integer PRIMARY KEY, label varchar(20) NOT NULL)")
        cur.execute("INSERT INTO rt_scratch (id, label) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    yield
    with connection.cursor() as cur:
        cur.execute("DROP TABLE rt_scratch")


def _labels() -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute("SELECT id, label FROM rt_scratch ORDER BY id")
        return cur.fetchall()


def test_reads_sent_together_give_each_its_own_rows(scratch):
    by_ids = Read.one(
        "SELECT id, label FROM rt_scratch WHERE id IN ({}) ORDER BY id", values=[3, 1], decode=dict
    )
    by_label = Read.one("SELECT id FROM rt_scratch WHERE label = %s", ["b"])
    nothing = Read.one("SELECT id FROM rt_scratch WHERE id IN ({})", values=[], decode=len)
    both = Read.combine([by_label, nothing], lambda a, b: (a, b))
    assert read_together(by_ids, both) == [{1: "a", 3: "c"}, ([(2,)], 0)]


def test_text_values_and_chunks(scratch):
    many = [f"x{i}" for i in range(1200)] + ["c"]
    read = Read.one("SELECT id FROM rt_scratch WHERE label IN ({})", values=many, array="varchar")
    assert read_together(read) == [[(3,)]]


@pytest.mark.parametrize("labels", [["c"], ["c", "a", "zz"]])
def test_a_subquery_selects_the_values_in_the_same_statement(scratch, labels):
    """ADR 0045: the IN list of one read selected by the database from another's (one value is sent as a
    scalar on PostgreSQL, several as an array: both inside the subquery)."""
    ids = Subquery(Statement("SELECT id FROM rt_scratch WHERE label IN ({})", values=labels, array="varchar"))
    others = Read.one(
        "SELECT label FROM rt_scratch WHERE id <> %s AND id IN ({}) ORDER BY id", [2], values=ids
    )
    assert read_together(others, ids.read()) == [
        [(label,) for label in sorted(set(labels) - {"zz"})],
        {1, 3} if len(labels) > 1 else {3},
    ]


@pg_only
def test_a_pipelined_transaction_commits_its_body(scratch):
    with transaction.atomic(), pipelined_transaction() as queued:
        assert queued
        execute_prepared("INSERT INTO rt_scratch (id, label) VALUES (%s, %s)", [4, "d"])
        [rows] = read_together(Read.one("SELECT count(*) FROM rt_scratch"))
        assert rows == [(4,)]
    assert _labels()[-1] == (4, "d")
    assert connection.connection.autocommit is True  # Django's autocommit, outside any atomic block


@pg_only
def test_bulk_rows_written_inside_the_pipeline_are_row_inserts_not_copy(scratch):
    """COPY cannot run in pipeline mode: core/bulk.py insert_many queues row inserts there (the check writes
    its results with it inside the pipelined transaction)."""
    with transaction.atomic(), pipelined_transaction() as queued:
        assert queued
        insert_many("rt_scratch", ["id", "label"], [(5, "e"), (6, "f"), (7, "g")])
    assert _labels()[-3:] == [(5, "e"), (6, "f"), (7, "g")]


@pg_only
def test_a_failing_statement_rolls_the_whole_body_back(scratch):
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined_transaction():
        execute_prepared("INSERT INTO rt_scratch (id, label) VALUES (%s, %s)", [5, "e"])
        execute_prepared("INSERT INTO rt_scratch (id, label) VALUES (%s, %s)", [1, "dup"])
    assert _labels() == [(1, "a"), (2, "b"), (3, "c")]
    with transaction.atomic():  # the connection works on, in Django's own transactions
        execute_prepared("INSERT INTO rt_scratch (id, label) VALUES (%s, %s)", [6, "f"])
    assert _labels()[-1] == (6, "f")


@pg_only
def test_an_error_of_the_body_rolls_back_too(scratch):
    with pytest.raises(ZeroDivisionError), transaction.atomic(), pipelined_transaction():
        execute_prepared("INSERT INTO rt_scratch (id, label) VALUES (%s, %s)", [7, "g"])
        1 / 0  # noqa: B018
    assert _labels() == [(1, "a"), (2, "b"), (3, "c")]


def test_inside_another_atomic_block_the_body_runs_as_usual(scratch):
    with transaction.atomic(), transaction.atomic(), pipelined_transaction() as queued:
        assert not queued
        execute_prepared("INSERT INTO rt_scratch (id, label) VALUES (%s, %s)", [8, "h"])
    assert _labels()[-1] == (8, "h")
