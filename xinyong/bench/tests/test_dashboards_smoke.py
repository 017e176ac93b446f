"""A tiny run of the dashboards benchmark keeps it working (the benchmark itself is not part of the tests), on
the storage the test run uses."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_dashboards_benchmark_smoke():
    out = io.StringIO()
    call_command(
        "bench_dashboards", "--months", "2", "--units", "9", "--repeat", "1", "--json",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    result = json.loads(out.getvalue())
    assert (result["units"], result["months"], result["storage"]) == (9, 2, connection.vendor)
    # per month, each of 9 units: (districts + the city-wide '') × (2 categories + objections + repairs) and
    # 5 + 2 + 3 + 3 + 8 rows of its own; each of the 2 units deciding a list type: × 3 list types × 2
    places = result["districts"] + 1
    assert result["rows"] == 2 * (9 * (places * 4 + 21) + 2 * places * 6)
    names = {f"{slug}/{scope}" for slug in ("publicity", "submissions", "checks", "remedies", "lists")
             for scope in ("city", "district")}  # fmt: skip
    assert set(result["dashboards"]) == names
    for timing in result["dashboards"].values():
        assert 0 < timing["page"]["median"] <= timing["page"]["p90"]
        assert 0 < timing["raw"]["median"]
