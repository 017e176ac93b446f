"""XINYONG_DATABASE_URL → Django's DATABASES entry (config/envdb.py): PostgreSQL's query options."""

import os

import pytest

from xinyong.config.envdb import PREPARE_ONLY_ASKED, admin_url, database_from_url, libpq_url, with_database


def test_postgres_keeps_one_persistent_connection_per_process_by_default():
    db = database_from_url("postgresql://app:s%40cret@db.example:5433/xinyong")
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "xinyong", "app", "s@cret", "db.example", "5433"
    )  # fmt: skip
    assert db["CONN_MAX_AGE"] is None and db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"] == {"prepare_threshold": PREPARE_ONLY_ASKED}


def test_prepare_threshold_none_turns_server_side_prepares_off():
    db = database_from_url("postgresql://h/x?prepare_threshold=none&sslmode=require")
    assert db["OPTIONS"] == {"prepare_threshold": None, "sslmode": "require"}


@pytest.mark.parametrize("value", ["1", "4"])
def test_pool_gives_a_psycopg_pool_of_that_size_without_persistent_connections(value):
    db = database_from_url(f"postgresql://h/x?pool={value}")
    assert db["OPTIONS"]["pool"] == {"min_size": int(value), "max_size": int(value)}
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections


@pytest.mark.parametrize("value", ["0", "off", ""])
def test_pool_off(value):
    db = database_from_url(f"postgresql://h/x?pool={value}")
    assert "pool" not in db["OPTIONS"] and db["CONN_MAX_AGE"] is None


@pytest.mark.parametrize("value", ["yes-please", "-1", "101", "2.5"])
def test_pool_of_no_clear_size_is_refused_with_the_reason(value):
    with pytest.raises(ValueError, match=r"pool=.* must be a number of connections from 1 to 100"):
        database_from_url(f"postgresql://h/x?pool={value}")


def test_libpq_url_drops_only_the_platforms_own_options():
    url = "postgresql://app@h:5432/x?pool=2&sslmode=require&prepare_threshold=none"
    assert libpq_url(url) == "postgresql://app@h:5432/x?sslmode=require"
    assert libpq_url("postgresql://app@h/x") == "postgresql://app@h/x"


def test_another_database_keeps_the_options_and_the_admin_one_only_libpqs():
    url = "postgresql://app@h:5432/x?pool=2&sslmode=require"
    assert with_database(url, "y") == "postgresql://app@h:5432/y?pool=2&sslmode=require"
    assert admin_url(url) == "postgresql://app@h:5432/postgres?sslmode=require"


@pytest.mark.skipif(
    not os.environ.get("XINYONG_DATABASE_URL", "").startswith("postgres"), reason="a PostgreSQL server"
)
@pytest.mark.django_db
def test_a_pooled_connection_is_handed_back_and_reused_on_postgresql():
    """Django takes a connection from the pool at each request's first query and hands it back at its end
    (close()): the next request gets the same server session, its prepared statements included."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings = database_from_url(os.environ["XINYONG_DATABASE_URL"].split("?")[0] + "?pool=1")
    settings.update(TIME_ZONE=None, ATOMIC_REQUESTS=False, AUTOCOMMIT=True, TEST={})
    wrapper = DatabaseWrapper(settings, alias="pooled_test")
    try:
        pids = []
        for _ in range(2):
            with wrapper.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                pids.append(cur.fetchone()[0])
            wrapper.close()  # back into the pool
        assert pids[0] == pids[1]
        assert wrapper.pool.get_stats()["pool_size"] == 1
    finally:
        wrapper.close_pool()
