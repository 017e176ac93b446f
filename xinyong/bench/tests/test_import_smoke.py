"""A tiny run of each benchmark keeps it working (the benchmarks themselves are not part of the tests)."""

import io
import json

import pytest
from django.core.management import call_command


@pytest.mark.slow
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
