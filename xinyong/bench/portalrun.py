"""The in-process part of the portal benchmark (`bench portal --child measure`, issue 15): server time of the
public pages through the whole Django stack (middleware, rate counter, view, template) with Django's test
Client, in one warm process on the benchmark's own database, beside the same run's raw query the page rests
on; the page weight (the HTML and the CSS, JS and images it links, fonts excluded); the queries per page.

  * subject pages — random organisations with no record, with a typical number (~10) and with many (~200);
    raw: the indexed identifier lookup and the subject's current records read by `record_subject_idx`;
  * search results — 2- to 8-character parts of real names (current or former), the first page of 20;
    raw: the name index's own lookup (`bench.search.BASELINE_SQL`, the text's first 4 characters);
  * record pages — random shown records; raw: the record read by its primary key.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xinyong.bench import pagecache, portaldata
from xinyong.bench.checkdata import uscc_for
from xinyong.bench.search import BASELINE_SQL, sample_queries
from xinyong.bench.stats import percentile
from xinyong.subjects.search_index import MAX_GRAM

TARGET_MS = 50.0
TARGET_BYTES = 150 * 1024
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf", ".eot")
ASSET = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src|img[^>]*src)="(/static/[^"?#]+)')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")?#]+)")
RAW_SUBJECT = (
    "SELECT subject_id FROM subjects_identifier WHERE kind = %s AND value = %s",
    "SELECT id, category_id, status, decision_date, publish_max_end, payload FROM records_record "
    "WHERE subject_id = %s AND is_current = %s",
)
RAW_RECORD = "SELECT id, subject_id, category_id, status, payload FROM records_record WHERE id = %s"


def summary(seconds: list[float]) -> dict:
    """n, p50, p95, p99, maximum (ms) of timings in seconds."""
    ms = sorted(x * 1000 for x in seconds)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(ms[-1], 3),
    }


class Pages:
    """Requests the pages and times them; weighs each page once per distinct set of assets."""

    def __init__(self) -> None:
        self.client = Client(HTTP_HOST="localhost")  # an allowed host; no test environment set up
        self.assets: dict[str, int] = {}

    def get(self, url: str) -> tuple[float, float, int, bytes]:
        """Wall-clock and CPU seconds of one request (CPU: this process's, SQLite's work included — what a
        loaded machine inflates least), its status and body."""
        started, cpu = time.perf_counter(), time.process_time()
        response = self.client.get(url)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return seconds, cpu, response.status_code, response.content

    def weight(self, html: bytes) -> int:
        """Bytes of the page and of the static files it links (CSS with what it links), fonts excluded."""
        return len(html) + sum(self._asset(p) for p in set(ASSET.findall(html.decode(errors="replace"))))

    def _asset(self, url: str) -> int:
        if url not in self.assets:
            self.assets[url] = _asset_bytes(url, set())
        return self.assets[url]


def _asset_bytes(url: str, seen: set[str]) -> int:
    if url in seen or url.lower().endswith(FONT_SUFFIXES):
        return 0
    seen.add(url)
    found = finders.find(url.removeprefix("/static/"))
    if not found:
        return 0
    data = Path(found).read_bytes()
    total = len(data)
    if url.endswith(".css"):
        base = url.rsplit("/", 1)[0]
        for ref in CSS_URL.findall(data.decode(errors="replace")):
            if not ref.startswith(("data:", "http:", "https:")):
                total += _asset_bytes(ref if ref.startswith("/") else f"{base}/{ref}", seen)
    return total


def _timed(pages: Pages, urls: list[str], raw: Callable[[int], None]) -> dict:
    """Each page, then (alternating which goes first) its raw query; timings, statuses, weights."""
    page_s: list[float] = []
    cpu_s: list[float] = []
    raw_s: list[float] = []
    weights: list[int] = []
    statuses: dict[str, int] = {}
    for i, url in enumerate(urls):
        if i % 2:
            t0 = time.perf_counter()
            raw(i)
            raw_s.append(time.perf_counter() - t0)
        seconds, cpu, status, html = pages.get(url)
        page_s.append(seconds)
        cpu_s.append(cpu)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        weights.append(pages.weight(html))
        if not i % 2:
            t0 = time.perf_counter()
            raw(i)
            raw_s.append(time.perf_counter() - t0)
    with CaptureQueriesContext(connection) as queries:  # once more, outside the timings
        pages.get(urls[len(urls) // 2])
    return {
        "page": summary(page_s),
        "page_cpu": summary(cpu_s),
        "raw": summary(raw_s),
        "statuses": statuses,
        "bytes_max": max(weights),
        "bytes_median": round(statistics.median(weights)),
        "queries": len(queries),
        "example": urls[0],
    }


def _raw_subject(cur, codes: list[str], ids: list[int]) -> Callable[[int], None]:
    def run(i: int) -> None:
        cur.execute(RAW_SUBJECT[0], ["uscc", codes[i]])
        cur.fetchone()
        cur.execute(RAW_SUBJECT[1], [ids[i], True])
        cur.fetchall()

    return run


def _shown_records(cur, rng: random.Random, top: int, n: int) -> list[int]:
    out: list[int] = []
    for _ in range(n * 20):
        if len(out) == n:
            break
        record_id = rng.randint(1, top)
        cur.execute("SELECT status FROM records_record WHERE id = %s", [record_id])
        row = cur.fetchone()
        if row and row[0] in ("published", "under_objection"):
            out.append(record_id)
    return out


def measure(*, subjects: int, samples: int, seed: int) -> dict:
    """Every page kind, `samples` requests each (search: per query length 2–8), after a warm-up."""
    warmed = pagecache.warm(pagecache.database_files()[0])
    rng = random.Random(seed)
    with_records = portaldata.record_subjects(subjects)
    groups = {
        "subject_none": [rng.randint(with_records + 1, subjects) for _ in range(samples)]
        if with_records < subjects
        else [],
        "subject_typical": [rng.randint(1, with_records) for _ in range(samples)],
        "subject_many": [rng.choice(portaldata.many_ids(subjects)) for _ in range(samples)],
    }
    pages = Pages()
    load = os.getloadavg()
    out: dict = {"storage": connection.vendor, "page_cache_warm_seconds": warmed, "samples": samples}
    with connection.cursor() as cur:
        for name, ids in groups.items():
            if not ids:
                continue
            codes = [uscc_for(i - 1, subjects) for i in ids]
            urls = [f"/subjects/{c}/" for c in codes]
            _timed(pages, urls[: min(50, len(urls))], _raw_subject(cur, codes, ids))  # warm-up
            out[name] = _timed(pages, urls, _raw_subject(cur, codes, ids))
        per_length = max(2, samples // 7)
        queries = sample_queries(subjects, tuple(range(2, 9)), per_length, seed)
        texts = [q for length in sorted(queries) for q in queries[length]]
        rng.shuffle(texts)

        def raw_search(i: int) -> None:
            cur.execute(BASELINE_SQL, [texts[i][:MAX_GRAM]])
            cur.fetchall()

        urls = [f"/search/?q={q}" for q in texts]
        _timed(pages, urls[: min(50, len(urls))], raw_search)
        out["search"] = _timed(pages, urls, raw_search)
        out["search"]["per_length"] = per_length
        cur.execute("SELECT max(id) FROM records_record")
        record_ids = _shown_records(cur, rng, cur.fetchone()[0] or 1, samples)

        def raw_record(i: int) -> None:
            cur.execute(RAW_RECORD, [record_ids[i]])
            cur.fetchone()

        if record_ids:
            urls = [f"/records/{r}/" for r in record_ids]
            _timed(pages, urls[: min(50, len(urls))], raw_record)
            out["record"] = _timed(pages, urls, raw_record)
    out["load_average"] = [round(x, 2) for x in (*load, *os.getloadavg())]
    return out


PAGES = {
    "subject_none": "主体页（无信息）",
    "subject_typical": "主体页（一般，约 10 条）",
    "subject_many": f"主体页（多，约 {portaldata.MANY_RECORDS} 条）",
    "search": "信用查询结果页（2–8 字）",
    "record": "信息详情页",
}


def verdicts(report: dict) -> list[dict]:
    """Per page measured: p95 against TARGET_MS and the heaviest page against TARGET_BYTES."""
    rows = []
    for key, label in PAGES.items():
        found = report.get(key)
        if not found:
            continue
        p95, size = found["page"]["p95_ms"], found["bytes_max"]
        ok = p95 <= TARGET_MS and size <= TARGET_BYTES and set(found["statuses"]) == {"200"}
        rows.append(
            {
                "key": key,
                "label": label,
                "p95_ms": p95,
                "bytes_max": size,
                "verdict": "PASS" if ok else "MISS",
            }
        )
    return rows
