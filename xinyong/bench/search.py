"""The name-search benchmark (docs/performance.md: name search p99 ≤ 50 ms for 2 to 8 characters at 1 M
subjects, issue 18), run by `xinyong bench search` in a data directory of its own (SQLite) or in a database
of its own on the PostgreSQL server XINYONG_DATABASE_URL names (xinyong/bench/databases.py).

build   — N generated subjects of realistic shape (valid USCCs, registration numbers and resident IDs;
          Chinese names from district, stem, trade and suffix pieces; about one in ten legal entities with
          former names; one in ten a natural person), written with raw executemany in one transaction, and
          the search index built from exactly the rows `search_index.name_gram_rows` gives the services
          (PostgreSQL: COPY into a staging table), then the gram counts (`name_gram_counts_rebuild`).
measure — random 2- to 8-character substrings of existing names (Chinese characters only, as people
          type them), each timed through `subject_search` (anonymous: legal entities, first page of 20)
          and, alternately in the same run, as the raw-index baseline: the bare indexed SELECT of the
          gram table for the same text, or its first 4 characters (`WHERE gram = ? LIMIT 21`), no join,
          ranking or name check. A query refused (a DomainError) is counted per length: it should not be.

The name pieces come from `xinyong.subjects.samplenames`, shared with the demo data.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from xinyong.bench.buildmeta import settle_after_load
from xinyong.bench.codes import code_body
from xinyong.bench.stats import latency_ms
from xinyong.core.bulk import db_date, db_datetime, insert_many
from xinyong.core.errors import DomainError
from xinyong.ops.demo import KINDS  # subject kind, USCC prefix, weight: the demo population's
from xinyong.subjects.identifiers import regno_make, ric_make, ric_mask, uscc_make
from xinyong.subjects.identity import person_encrypt, person_hash
from xinyong.subjects.samplenames import (
    BRANDS,
    CROPS,
    DISTRICTS,
    GIVEN,
    INDUSTRIES,
    SHOPS,
    STEMS,
    SUFFIXES,
    SURNAMES,
)
from xinyong.subjects.search import subject_search
from xinyong.subjects.search_index import MAX_GRAM, name_gram_counts_rebuild, name_gram_rows

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
_PERMUTE = 1_000_003  # coprime with 31**8: spreads serial numbers over the code space, still unique
_SPACE = 31**8
_CJK = ("\u4e00", "\u9fff")


@dataclass
class BenchSubject:
    id: int
    kind: str
    name: str
    district: str
    industry: str
    uscc: str | None = None
    regno: str | None = None
    resident_id: str | None = None
    former: list[str] = field(default_factory=list)


def _body(serial: int) -> str:
    return code_body((serial * _PERMUTE) % _SPACE)[::-1]  # least significant digit first


def _stem(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(BRANDS)
    return "".join(rng.sample(STEMS, 3 if roll < 0.2 else 2))


def _trade(rng: random.Random, industry: str) -> str:
    return rng.choice(INDUSTRIES[industry])


def entity_name(rng: random.Random, kind: str, short: str, industry: str) -> str:
    """A realistic name for a legal entity of `kind` in district `short`."""
    stem, trade = _stem(rng), _trade(rng, industry)
    if kind == "enterprise":
        suffix, roll = rng.choice(SUFFIXES), rng.random()
        if roll < 0.45:
            return f"北京{stem}{trade}{suffix}"
        if roll < 0.55:
            return f"北京市{short}{stem}{trade}{suffix}"
        if roll < 0.70:
            return f"{stem}{trade}（北京）{suffix}"
        if roll < 0.80:
            return f"{stem}{trade}{suffix}"
        if roll < 0.90:
            return f"北京{stem}{trade}{suffix}{short}分公司"
        return f"北京{stem}{trade}集团{suffix}"
    if kind == "individual_business":
        if rng.random() < 0.6:
            return f"{short}区{rng.choice(SURNAMES)}记{rng.choice(SHOPS)}"
        return f"北京市{short}区{stem}{rng.choice(SHOPS)}"
    if kind == "farmer_coop":
        return f"北京市{short}区{stem}{rng.choice(CROPS)}专业合作社"
    if kind == "social_org":
        return f"北京市{short}区{stem}{trade}协会" if rng.random() < 0.7 else f"北京{trade}行业协会{stem}分会"
    return f"北京市{short}区{stem}{trade}服务中心"


def bench_subjects(n: int, seed: int) -> Iterator[BenchSubject]:
    """`n` subjects with ids 1…n; the same seed always gives the same set. Codes are unique by design."""
    rng = random.Random(seed)
    kinds = [(k, p) for k, p, weight in KINDS for _ in range(weight)]
    industries = list(INDUSTRIES)
    for serial in range(1, n + 1):
        kind, prefix = rng.choice(kinds)
        region, district, short = rng.choice(DISTRICTS)
        if kind == "natural_person":
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=(serial // 1000) % 18_000)
            number = ric_make(region, birth, f"{serial % 1000:03d}")
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
            yield BenchSubject(serial, kind, name, district, "", resident_id=number)
            continue
        industry = rng.choice(industries)
        subject = BenchSubject(serial, kind, entity_name(rng, kind, short, industry), district, industry)
        if kind == "individual_business" and rng.random() < 0.3:  # placeholder code: keyed by regno
            subject.regno = regno_make(region + f"{serial:08d}")
        else:
            subject.uscc = uscc_make(prefix + region + _body(serial))
            if kind == "enterprise" and rng.random() < 0.3:
                subject.regno = regno_make(region + f"{serial:08d}")
        roll = rng.random()
        if roll < 0.1:  # renamed once or twice (e.g. a new trade word or stem)
            count = 2 if roll < 0.02 else 1
            subject.former = [entity_name(rng, kind, short, industry) for _ in range(count)]
        yield subject


_SUBJECT_COLUMNS = ["id", "kind", "uscc", "name", "person_hash", "person_cipher", "person_masked", "district",
                    "industry", "status", "created_at"]  # fmt: skip
_NAME_COLUMNS = ["subject_id", "name", "valid_from", "valid_to", "source", "recorded_at"]
_IDENT_COLUMNS = ["subject_id", "kind", "value", "display", "status", "recorded_at"]


def _rows(batch: list[BenchSubject], at, dates) -> tuple[list, list, list, list]:
    subjects, idents, names, grams = [], [], [], []
    for s in batch:
        if s.resident_id:
            key, masked = person_hash(s.resident_id), ric_mask(s.resident_id)
            cipher = person_encrypt(s.resident_id)
            subjects.append((s.id, s.kind, None, s.name, key, cipher, masked, s.district, "", "active", at))
            idents.append((s.id, "ric_hash", key, masked, "active", at))
        else:
            subjects.append(
                (s.id, s.kind, s.uscc, s.name, None, "", "", s.district, s.industry, "active", at)
            )
            if s.uscc:
                idents.append((s.id, "uscc", s.uscc, s.uscc, "active", at))
                idents.append((s.id, "org_code", s.uscc[8:17], s.uscc[8:17], "active", at))
            if s.regno:
                idents.append((s.id, "regno", s.regno, s.regno, "active", at))
        history = [*s.former, s.name]
        for i, name in enumerate(history):  # consecutive periods, the last one open
            valid_to = dates[i + 1] - dt.timedelta(days=1) if i + 1 < len(history) else None
            names.append((s.id, name, db_date(dates[i]), db_date(valid_to) if valid_to else None, "基准", at))
        grams.extend(name_gram_rows(s.id, [(name, i == len(history) - 1) for i, name in enumerate(history)]))
    return subjects, idents, names, grams


def build(n: int, seed: int, *, chunk: int = 50_000, progress=None) -> dict:
    """Write the data set into the (migrated, empty) database; returns counts and timings."""
    at = db_datetime(NOW)
    dates = [dt.date(2008, 3, 1), dt.date(2015, 7, 1), dt.date(2021, 5, 1)]
    start = time.perf_counter()
    counts = {"subjects": 0, "names": 0, "identifiers": 0, "gram_rows": 0}
    _foreign_keys(False)  # generated rows, consistent by construction
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_gram_stage (gram TEXT, rank INTEGER, length INTEGER, subject_id BIGINT)"
        )
        batch: list[BenchSubject] = []
        for subject in bench_subjects(n, seed):
            batch.append(subject)
            if len(batch) == chunk:
                _write(cur, batch, at, dates, counts)
                batch = []
                if progress:
                    progress(counts["subjects"], time.perf_counter() - start)
        _write(cur, batch, at, dates, counts)
        rows_seconds = time.perf_counter() - start
        cur.execute(
            "INSERT INTO subjects_name_gram (gram, rank, length, subject_id) SELECT gram, rank, length, "
            "subject_id FROM bench_gram_stage ORDER BY gram, rank, length, subject_id"
        )
        cur.execute("DROP TABLE bench_gram_stage")
        counts["gram_counts"] = name_gram_counts_rebuild()
    total = time.perf_counter() - start
    _foreign_keys(True)
    settle_after_load()
    return {**counts, "build_seconds": round(total, 1), "rows_seconds": round(rows_seconds, 1),
            "index_sort_seconds": round(total - rows_seconds, 1)}  # fmt: skip


def _foreign_keys(on: bool) -> None:
    """SQLite: the foreign_keys pragma. PostgreSQL: the FK triggers, off for this session (replica role)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"SET session_replication_role = {'origin' if on else 'replica'}")
        else:
            cur.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _write(cur, batch: list[BenchSubject], at, dates, counts: dict) -> None:
    if not batch:
        return
    subjects, idents, names, grams = _rows(batch, at, dates)
    insert_many("subjects_subject", _SUBJECT_COLUMNS, subjects)
    insert_many("subjects_identifier", _IDENT_COLUMNS, idents)
    insert_many("subjects_name", _NAME_COLUMNS, names)
    if connection.vendor == "postgresql":
        with cur.copy("COPY bench_gram_stage (gram, rank, length, subject_id) FROM STDIN") as copy:
            for row in grams:
                copy.write_row(row)
    else:
        cur.executemany("INSERT INTO bench_gram_stage VALUES (%s, %s, %s, %s)", grams)
    counts["subjects"] += len(subjects)
    counts["identifiers"] += len(idents)
    counts["names"] += len(names)
    counts["gram_rows"] += len(grams)


# ── measuring ─────────────────────────────────────────────────────────────────────────────────────────

BASELINE_SQL = "SELECT subject_id FROM subjects_name_gram WHERE gram = %s LIMIT 21"


def _is_cjk(text: str) -> bool:
    return all(_CJK[0] <= ch <= _CJK[1] for ch in text)


def sample_queries(n: int, lengths: tuple[int, ...], per_length: int, seed: int) -> dict[int, list[str]]:
    """Random substrings of the names (current or former) of random legal entities, CJK characters only."""
    rng = random.Random(seed)
    out: dict[int, list[str]] = {length: [] for length in lengths}
    with connection.cursor() as cur:
        for length in lengths:
            while len(out[length]) < per_length:
                cur.execute(
                    "SELECT n.name FROM subjects_name n JOIN subjects_subject s ON s.id = n.subject_id "
                    "WHERE n.subject_id = %s AND s.kind <> 'natural_person'",
                    [rng.randint(1, n)],
                )
                names = [r[0] for r in cur.fetchall()]
                if not names:
                    continue
                name = rng.choice(names)
                starts = [i for i in range(len(name) - length + 1) if _is_cjk(name[i : i + length])]
                if starts:
                    i = rng.choice(starts)
                    out[length].append(name[i : i + length])
    return out


def measure(n: int, per_length: int, seed: int, *, max_length: int = 8) -> dict:
    """Time `subject_search` and the raw-index baseline on the same queries, alternating, per length."""
    lengths = tuple(range(2, max_length + 1))
    queries = sample_queries(n, lengths, per_length, seed)
    warm = sample_queries(n, lengths, max(per_length // 5, 5), seed + 1)
    for texts in warm.values():
        for q in texts:
            _search(q)
    load = os.getloadavg()
    with connection.cursor() as cur:
        results = {str(length): _measure_length(cur, texts) for length, texts in queries.items()}
    return {"queries_per_length": per_length, "results": results, "vendor": connection.vendor,
            "load": [round(x, 2) for x in (*load, *os.getloadavg())]}  # fmt: skip


def _search(q: str):
    try:
        return subject_search(q=q, include_persons=False, limit=20)
    except DomainError as exc:  # a refusal (e.g. too broad): counted, never expected of a real name part
        return exc


def _measure_length(cur, texts: list[str]) -> dict:
    search_s, raw_s, hits, full, refused = [], [], [], 0, []
    clock = time.perf_counter
    for i, q in enumerate(texts):
        for step in (0, 1) if i % 2 == 0 else (1, 0):  # alternate which runs first
            t0 = clock()
            if step == 0:
                cur.execute(BASELINE_SQL, [q[:MAX_GRAM]])
                cur.fetchall()
                raw_s.append(clock() - t0)
                continue
            page = _search(q)
            search_s.append(clock() - t0)
            if isinstance(page, DomainError):
                refused.append(f"{q}：{page.code}")
            else:
                hits.append(len(page.hits))
                full += page.next_cursor is not None
    slowest = sorted(zip(search_s, texts, strict=True), reverse=True)[:3]
    return {
        "queries": len(texts),
        "search": latency_ms(search_s),
        "baseline": latency_ms(raw_s),
        "mean_hits": round(statistics.fmean(hits), 1) if hits else 0,
        "with_next_page": full,
        "refused": len(refused),
        "refused_share": round(len(refused) / len(texts), 4) if texts else 0,
        "refused_examples": refused[:5],
        "examples": texts[:5],
        "slowest": [[q, round(t * 1000, 1)] for t, q in slowest],
    }


def database_mb() -> float:
    from django.conf import settings

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return round(cur.fetchone()[0] / 1e6, 1)
    path = settings.DATABASES["default"]["NAME"]
    return round(sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p)) / 1e6, 1)
