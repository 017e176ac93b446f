"""The machine's own baselines that every benchmark prints beside its figures (issue 18), measured in the same
run on the same storage: what the storage itself costs, so that figures from noisy machines compare."""

from __future__ import annotations

import time

from django.db import connection, transaction

from xinyong.bench.stats import latency_ms

_TABLE = "bench_commit_baseline"


def storage() -> str:
    """The storage this process works on: "sqlite" or "postgresql"."""
    return connection.vendor


def durable_commit(samples: int = 200, *, warm: int = 20) -> dict:
    """A durable one-row commit (a transaction holding one INSERT, committed with the platform's settings:
    SQLite `synchronous=FULL`, PostgreSQL `synchronous_commit` on), `samples` times: p50/p99 in ms
    (stats.latency_ms). Works in a scratch table of its own, dropped afterwards."""
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {_TABLE} (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
    seconds = []
    try:
        for i in range(warm + samples):
            start = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f"INSERT INTO {_TABLE} (id, value) VALUES (%s, %s)", [i, "基准提交" * 8])
            seconds.append(time.perf_counter() - start)
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE {_TABLE}")
    return latency_ms(seconds[warm:])
