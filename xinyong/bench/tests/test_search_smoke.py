"""A tiny run of the name-search benchmark keeps it working (the benchmark itself is not part of the tests)."""

import io
import json

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_search_benchmark_smoke():
    out = io.StringIO()
    call_command(
        "bench_search", "--subjects", "2000", "--queries", "20", "--long", "0", "--json",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["build"]["subjects"] == 2000 and not report["reused"]
    assert report["build"]["names"] > 2000 and report["build"]["gram_rows"] > 20 * 2000
    assert set(report["results"]) == {"2", "3", "4"}
    for result in report["results"].values():
        assert result["queries"] == 20 and result["mean_hits"] >= 1  # every query is part of a real name
        assert (
            0 < result["baseline"]["p50_ms"] and 0 < result["search"]["p50_ms"] <= result["search"]["p99_ms"]
        )
