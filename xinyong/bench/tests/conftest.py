"""The benchmarks' smoke runs start from one migrated database per test session (XINYONG_BENCH_TEMPLATE,
bench/databases.py) instead of each migrating its own: the same `migrate`, run once."""

import os

import pytest

from xinyong.bench.databases import TEMPLATE_ENV, template_drop, template_prepare


@pytest.fixture(scope="session")
def bench_template(tmp_path_factory):
    """The session's migrated template on the test run's storage, named in XINYONG_BENCH_TEMPLATE while the
    session lasts (each benchmark checks it before copying it); the PostgreSQL one dropped afterwards."""
    db = template_prepare(tmp_path_factory.mktemp("bench-template"))
    previous = os.environ.get(TEMPLATE_ENV)
    os.environ[TEMPLATE_ENV] = db.url
    try:
        yield db
    finally:
        if previous is None:
            os.environ.pop(TEMPLATE_ENV, None)
        else:
            os.environ[TEMPLATE_ENV] = previous
        template_drop(db)
