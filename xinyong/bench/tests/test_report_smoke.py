"""A tiny run of the report benchmark keeps it working (the benchmark itself is not part of the tests), on the
storage the test run uses (issue 18)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_report_benchmark_smoke():
    out = io.StringIO()
    call_command(
        "bench_report", "--records", "12", "--reports", "2", "--json", stdout=out, stderr=io.StringIO()
    )
    report = json.loads(out.getvalue())
    assert (report["records"], report["records_shown"], report["reports"]) == (12, 12, 2)
    assert report["sha256_check"] is True and report["pages"] >= 3
    # timings only have to exist: two samples on a busy machine say nothing about speed
    for key in ("issue", "issue_cpu", "compliance", "content", "render", "baseline_pdf", "baseline_write"):
        assert 0 <= report["seconds"][key]["median"] <= report["seconds"][key]["p90"]
    assert report["seconds"]["issue"]["median"] > 0 and report["ratio_issue_to_baseline_pdf"] > 0
    assert report["storage"] == connection.vendor
    commit = report["baseline_commit"]
    assert commit["n"] == 200 and 0 < commit["p50_ms"] <= commit["p99_ms"]
