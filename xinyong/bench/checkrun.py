"""The in-process parts of the check benchmark (run by `bench_check --child inproc|cold|during` on the
benchmark's own database, SQLite or PostgreSQL): every figure of one part is measured in the same process, on
the same database and connection, in one run (issue 18).

  * measure        — warm: the raw indexed lookup, the answer alone, whole checks, the durable one-row commit,
                     relaxed durability (for comparison), batches;
  * measure_cold   — a fresh process after the database's files left the OS page cache (bench/pagecache.py);
  * measure_during — checks before, and while another process imports a file into the same database.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction

from xinyong.accounts.roles import Role
from xinyong.bench import pagecache
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


def warm_page_cache() -> float:
    """Read the database's files once, as a server that has been answering for a while holds them in the OS
    page cache (they fit in memory): a just-built database is partly cold, and cold reads measure the disk."""
    return pagecache.warm(pagecache.database_files()[0])


@contextmanager
def synchronous_normal():
    """This connection without the flush at commit — SQLite's synchronous=NORMAL (the WAL synced at
    checkpoints), PostgreSQL's synchronous_commit=off: measured beside the platform's durable setting for
    ADR 0010 only, then set back."""
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off" if pg else "PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET synchronous_commit" if pg else "PRAGMA synchronous=FULL")


class Probe:
    """The measured operations on the benchmark's database, for one unit and one matter."""

    def __init__(self, unit: str, matter: str) -> None:
        self.matter = matter
        self.actor = Actor(label="bench", unit_code=unit, roles=frozenset({Role.CASE_OFFICER}))
        self.book = rulebook.current()
        self.ref = self.book.matter(matter)
        pg = connection.vendor == "postgresql"
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM accounts_unit WHERE code = %s", [unit])
            self.unit_id = cur.fetchone()[0]
            key = "id BIGSERIAL PRIMARY KEY" if pg else "id INTEGER PRIMARY KEY"
            cur.execute(f"CREATE TABLE IF NOT EXISTS bench_commit ({key}, value TEXT NOT NULL)")

    def lookup(self, code: str) -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT subject_id FROM subjects_identifier WHERE kind = %s AND value = %s", ["uscc", code]
            )
            cur.fetchone()

    def answer(self, code: str) -> None:
        _answers(self.book, self.unit_id, self.ref.id, [code], business_date(now()))

    def check(self, code: str) -> None:
        check_run(
            actor=self.actor, matter_code=self.matter, case_number="BENCH", identifiers=[code], now=now()
        )

    def commit(self, code: str) -> None:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO bench_commit (value) VALUES (%s)", [code])


def _codes(rng: random.Random, subjects: int, n: int) -> list[str]:
    return [uscc_for(rng.randrange(subjects), subjects) for _ in range(n)]


def measure(
    *, subjects: int, samples: int, batches: int, batch_size: int, seed: int, unit: str, matter: str
) -> dict:
    warmed = warm_page_cache()
    rng = random.Random(seed)
    codes = _codes(rng, subjects, samples)
    listed_indexes = range(LISTED_EVERY - 1, subjects, LISTED_EVERY)  # subject ids divisible by LISTED_EVERY
    # as many listed subjects as random ones: a p99 of their own, not the fifth-worst of a few hundred
    listed = [uscc_for(rng.choice(listed_indexes), subjects) for _ in range(samples)]
    probe = Probe(unit, matter)
    warm = codes[: min(300, len(codes))]
    for fn in (probe.lookup, probe.answer, probe.check, probe.commit):  # warm caches (rulebook, statements)
        _timed(fn, warm)
    result = {
        "storage": connection.vendor,
        "page_cache_warm_seconds": warmed,
        "raw_lookup": _timed(probe.lookup, codes),
        "answer": _timed(probe.answer, codes),
        "check": _timed(probe.check, codes),
        "check_listed": _timed(probe.check, listed),
        "raw_commit": _timed(probe.commit, codes),
    }
    with synchronous_normal():  # not the platform's setting: the durability trade of ADR 0010, measured
        result["check_sync_normal"] = _timed(probe.check, codes)
    actor = probe.actor
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


def measure_cold(*, subjects: int, samples: int, seed: int, unit: str, matter: str) -> dict:
    """Checks in a fresh process right after the database's files were evicted from the OS page cache: the
    first check (rulebook, calendar and statements loaded; pages read from disk) and the first `samples`."""
    files, why = pagecache.database_files()
    evicted = pagecache.evict(files)
    rng = random.Random(seed + 7)  # subjects the warm part did not just read
    codes = _codes(rng, subjects, samples)
    started = time.perf_counter()
    probe = Probe(unit, matter)
    probe.check(codes[0])
    first = time.perf_counter() - started
    return {
        "storage": connection.vendor,
        **evicted,
        "os_cache_evicted": bool(evicted["files_evicted"]),
        "not_evicted": why,
        "shared_buffers_kept": connection.vendor == "postgresql",
        "first_check_ms": round(first * 1000, 3),
        "check": _timed(probe.check, codes[1:]),
    }


def measure_during(
    *, subjects: int, samples: int, seed: int, unit: str, matter: str, window_file: Path
) -> dict:
    """Checks without, then while another process imports a file into the same database (issue 18): a
    baseline of `samples` checks, then "READY" on stdout; checks one after another until `window_file`
    appears, holding the import's start and end (time.time()); only checks started inside that window
    count. A check that fails (a lock wait past its timeout) is counted, not retried."""
    warm_page_cache()
    rng = random.Random(seed + 11)
    probe = Probe(unit, matter)
    _timed(probe.check, _codes(rng, subjects, min(300, samples)))
    baseline = _timed(probe.check, _codes(rng, subjects, samples))
    print("READY", flush=True)
    timings: list[tuple[float, float]] = []
    failed: dict[str, int] = {}
    codes = _codes(rng, subjects, 5000)
    i = 0
    while not window_file.exists():
        at, started = time.time(), time.perf_counter()
        try:
            probe.check(codes[i % len(codes)])
        except Exception as exc:  # noqa: BLE001 — a refused check is a result of this scenario
            failed[type(exc).__name__] = failed.get(type(exc).__name__, 0) + 1
        timings.append((at, time.perf_counter() - started))
        i += 1
    window = json.loads(window_file.read_text())
    during = [t for at, t in timings if window["start"] <= at < window["end"]]
    if not during:
        print("导入期间没有完成任何核查", file=sys.stderr)
    return {
        "storage": connection.vendor,
        "without": baseline,
        "during": latency_ms(during) if during else None,
        "failed": failed,
    }
