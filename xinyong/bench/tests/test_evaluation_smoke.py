"""A tiny run of the evaluation benchmark keeps it working (the benchmark itself is not part of the tests), on
the storage the test run uses (issue 18)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.slow
@pytest.mark.usefixtures("bench_template")
def test_evaluation_benchmark_smoke():
    out = io.StringIO()
    call_command("bench_evaluation", "--dimensions", "1", "--json", stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert result["storage"] == connection.vendor
    assert result["figure_rows"] == 77 * 17 * 11  # every unit × 16 districts and none × every metric
    unit, district = result["kinds"]["unit"], result["kinds"]["district"]
    assert (unit["entities"], district["entities"], district["ranked"]) == (61, 16, 16)
    assert unit["ranked"] == unit["entities"]  # every unit has figures in every metric
    for kind in (unit, district):
        assert kind["seconds"] > 0 and kind["baseline_seconds"] > 0
