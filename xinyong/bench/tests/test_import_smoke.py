"""A tiny run of each benchmark keeps it working (the benchmarks themselves are not part of the tests), on the
storage the test run uses (issue 18: a run on PostgreSQL benchmarks PostgreSQL)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_import_benchmark_smoke():
    out = io.StringIO()
    call_command(
        "bench", "import", "--rows", "200", "--runs", "1", "--json", stdout=out, stderr=io.StringIO()
    )
    report = json.loads(out.getvalue())
    run = report["runs"][0]
    assert run["rows"] == 200
    assert run["accepted"] + run["rejected"] == 200
    assert run["rejected"] > 0 and run["accepted"] > 150
    assert report["median"]["import_rows_per_s"] > 0 and report["median"]["raw_rows_per_s"] > 0
    assert report["storage"] == run["storage"] == connection.vendor
    # the baselines of the same run: the raw write of the same rows, a durable one-row commit, the row size
    assert run["raw_seconds"] > 0 and run["ratio"] > 0
    assert 0 < run["commit_p50_ms"] <= run["commit_p99_ms"]
    assert 800 <= run["record_bytes"] <= 1300  # ~1 KB records (payload + fields)
