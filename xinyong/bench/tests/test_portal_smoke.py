"""A tiny run of the portal benchmark keeps it working (the benchmark itself is not part of the tests), on the
storage of the test run: PostgreSQL when XINYONG_DATABASE_URL names a server (a database of its own there,
dropped after the run), SQLite otherwise (a temporary directory)."""

import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.bench.databases import BenchDatabases, server_url, storage_kind
from xinyong.bench.management.commands.bench_portal import text
from xinyong.bench.portalrun import PAGES

TINY = ["--subjects", "300", "--records", "3000", "--samples", "10", "--json"]


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_portal_benchmark_smoke():
    out = io.StringIO()
    call_command("bench_portal", *TINY, stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    assert report["storage"] == storage_kind() and (report["subjects"], report["records"]) == (300, 3000)
    assert report["reused"] is False and report["kept"] is False
    if server_url():  # its own database, dropped at the end
        own = BenchDatabases(what="portal", root=".", server=server_url())
        assert own.existing(f"bench_portal_{os.getpid()}_portal") is None
    assert set(PAGES) <= set(report)
    for key in PAGES:
        found = report[key]
        assert found["statuses"] == {"200": found["page"]["n"]}, key  # every page found and shown
        assert 0 < found["page"]["p50_ms"] <= found["page"]["p95_ms"] <= found["page"]["p99_ms"], key
        assert found["raw"]["n"] == found["page"]["n"] and found["raw"]["p50_ms"] > 0, key
        assert found["page_cpu"]["n"] == found["page"]["n"] and found["page_cpu"]["p50_ms"] > 0, key
        assert found["bytes_max"] >= found["bytes_median"] > 5000 and found["queries"] > 0, key
    assert report["subject_none"]["page"]["n"] == report["subject_many"]["page"]["n"] == 10
    assert report["search"]["page"]["n"] == 7 * 2  # two queries of each length 2–8
    rows = report["targets"]
    assert [r["key"] for r in rows] == list(PAGES)
    assert {r["verdict"] for r in rows} <= {"PASS", "MISS"}
    printed = text(report)
    for row in rows:
        assert f"| {row['label']} | " in printed and printed.count(row["verdict"]) >= 1


@pytest.mark.skipif(storage_kind() != "sqlite", reason="a SQLite directory")
def test_portal_benchmark_refuses_a_directory_it_did_not_keep(tmp_path):
    with pytest.raises(CommandError, match="不是 --keep 保留的基准数据目录$"):
        call_command("bench_portal", "--reuse", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
