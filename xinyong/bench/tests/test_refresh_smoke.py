"""A tiny run of the month refresh benchmark keeps it working (the benchmark itself is not part of the tests),
on the storage the test run uses (issue 18): it builds the check benchmark's data set in a database of its
own (dropped after it), refreshes one month, evaluates it and checks the plan of the month's record read."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from xinyong.bench.databases import dropped_afterwards

SUBJECTS, RECORDS = 200, 2400


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_refresh_benchmark_smoke(tmp_path):
    out = io.StringIO()
    with dropped_afterwards("refresh", "check", str(tmp_path)):
        call_command("bench_refresh", "--subjects", str(SUBJECTS), "--records", str(RECORDS), "--json",
                     stdout=out, stderr=io.StringIO())  # fmt: skip
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["storage"] == connection.vendor
    assert (result["subjects"], result["records"], result["month"]) == (SUBJECTS, RECORDS, "2026-11")
    assert result["month_records"] == RECORDS // 12  # an equal share of the records in each of 12 months
    steps = result["steps"]
    assert steps["refresh"]["figure_rows"] > 0
    assert (steps["evaluation_district"]["entities"], steps["govintegrity"]["districts"]) == (16, 16)
    assert steps["evaluation_unit"]["entities"] == 61
    if connection.vendor == "sqlite":  # PostgreSQL's planner rightly scans tables this small (statistics)
        assert result["record_read"]["uses_index"], result["record_read"]["plan"]
    assert result["verdict"] == "PASS" and result["total_seconds"] > 0 and result["baseline_seconds"] > 0
