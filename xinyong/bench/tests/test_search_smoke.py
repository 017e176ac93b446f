"""A tiny run of the name-search benchmark keeps it working (the benchmark itself is not part of the tests).
On a PostgreSQL test run it runs on that server, in a database of its own that it drops (issue 18)."""

import io
import json
import os

import pytest
from django.core.management import call_command

from xinyong.bench.databases import BenchDatabases, server_url


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_search_benchmark_smoke():
    server = server_url()
    out = io.StringIO()
    call_command(
        "bench_search", "--subjects", "2000", "--queries", "20", "--max-length", "6", "--json",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["vendor"] == ("postgresql" if server else "sqlite")
    if server:  # its own database, dropped at the end
        own = BenchDatabases(what="search", root=".", server=server)
        assert own.existing(f"bench_search_{os.getpid()}_data") is None
    assert report["build"]["subjects"] == 2000 and not report["reused"]
    assert report["build"]["names"] > 2000 and report["build"]["gram_rows"] > 20 * 2000
    assert report["build"]["gram_counts"] > 2000
    assert set(report["results"]) == {"2", "3", "4", "5", "6"}
    for result in report["results"].values():
        assert result["queries"] == 20 and result["mean_hits"] >= 1  # every query is part of a real name
        assert result["refused"] == 0 and result["refused_share"] == 0
        assert (
            0 < result["baseline"]["p50_ms"] and 0 < result["search"]["p50_ms"] <= result["search"]["p99_ms"]
        )
