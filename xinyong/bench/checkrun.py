"""The in-process part of the check benchmark (run by `bench_check --child inproc` in the benchmark's own data
directory): every figure is measured in the same process, on the same database and connection, in one run."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from xinyong.accounts.roles import Role
from xinyong.bench.checkdata import LISTED_EVERY, uscc_for
from xinyong.bench.stats import latency_ms
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, now
from xinyong.measures import rulebook
from xinyong.measures.services import check_run
from xinyong.measures.services.checks import _answers


def _timed(fn: Callable[[str], object], codes: list[str]) -> dict:
    times = []
    for code in codes:
        started = time.perf_counter()
        fn(code)
        times.append(time.perf_counter() - started)
    return latency_ms(times)


def warm_page_cache(path: str | None = None) -> float:
    """Read the database file once, as a server that has been answering for a while holds it in the OS page
    cache (the file fits in memory): a just-built database is partly cold, and cold reads measure the disk."""
    started = time.perf_counter()
    with open(path or settings.DATABASES["default"]["NAME"], "rb", buffering=0) as db:
        while db.read(8 << 20):
            pass
    return round(time.perf_counter() - started, 1)


@contextmanager
def synchronous_normal():
    """This connection with PRAGMA synchronous=NORMAL (no fsync at commit; the WAL is synced at checkpoints):
    measured beside the platform's FULL for ADR 0010 only, then set back."""
    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous=FULL")


def measure(
    *, subjects: int, samples: int, batches: int, batch_size: int, seed: int, unit: str, matter: str
) -> dict:
    warmed = warm_page_cache()
    rng = random.Random(seed)
    codes = [uscc_for(rng.randrange(subjects), subjects) for _ in range(samples)]
    listed_indexes = range(LISTED_EVERY - 1, subjects, LISTED_EVERY)  # subject ids divisible by LISTED_EVERY
    # as many listed subjects as random ones: a p99 of their own, not the fifth-worst of a few hundred
    listed = [uscc_for(rng.choice(listed_indexes), subjects) for _ in range(samples)]
    actor = Actor(label="bench", unit_code=unit, roles=frozenset({Role.CASE_OFFICER}))
    book = rulebook.current()
    ref = book.matter(matter)
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM accounts_unit WHERE code = %s", [unit])
        unit_id = cur.fetchone()[0]
        cur.execute("CREATE TABLE IF NOT EXISTS bench_commit (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")

    def lookup(code: str) -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT subject_id FROM subjects_identifier WHERE kind = %s AND value = %s", ["uscc", code]
            )
            cur.fetchone()

    def answer(code: str) -> None:
        _answers(book, unit_id, ref.id, [code], business_date(now()))

    def check(code: str) -> None:
        check_run(actor=actor, matter_code=matter, case_number="BENCH", identifiers=[code], now=now())

    def commit(code: str) -> None:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO bench_commit (value) VALUES (%s)", [code])

    warm = codes[: min(300, len(codes))]
    for fn in (lookup, answer, check, commit):  # warm caches (page cache, rulebook, calendar, statements)
        _timed(fn, warm)
    result = {
        "page_cache_warm_seconds": warmed,
        "raw_lookup": _timed(lookup, codes),
        "answer": _timed(answer, codes),
        "check": _timed(check, codes),
        "check_listed": _timed(check, listed),
        "raw_commit": _timed(commit, codes),
    }
    with synchronous_normal():  # not the platform's setting: the durability trade of ADR 0010, measured
        result["check_sync_normal"] = _timed(check, codes)
    seconds = []
    for _ in range(batches):
        batch = [uscc_for(rng.randrange(subjects), subjects) for _ in range(batch_size)]
        started = time.perf_counter()
        done = check_run(
            actor=actor, matter_code=matter, case_number="BENCH-BATCH", identifiers=batch, now=now()
        )
        seconds.append(round(time.perf_counter() - started, 3))
    result.update(
        batch_size=batch_size,
        batch_seconds=seconds,
        batch_median_s=statistics.median(seconds),
        batch_last_applicable=done.applicable_count,
        batch_last_known=done.known_count,
    )
    return result
