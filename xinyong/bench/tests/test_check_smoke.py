"""A tiny run of the check benchmark keeps it working (the benchmark itself is not part of the tests). The
in-process part builds a tiny database in a directory of its own; the HTTP part reuses it."""

import io
import json
import os

import pytest
from django.core.management import call_command

TINY = [
    "--subjects",
    "500",
    "--records",
    "5000",
    "--samples",
    "20",
    "--batches",
    "1",
    "--batch-size",
    "50",
    "--json",
]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return str(tmp_path_factory.mktemp("bench-check"))


def _bench(*args) -> dict:
    out = io.StringIO()
    call_command("bench_check", *TINY, *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.mark.slow
def test_check_benchmark_smoke(home):
    report = _bench("--home", home, "--no-http")
    assert (report["subjects"], report["records"]) == (500, 5000)
    inproc = report["inproc"]
    for figure in ("raw_lookup", "answer", "check", "check_listed", "raw_commit", "check_sync_normal"):
        assert inproc[figure]["n"] > 0 and inproc[figure]["p99_ms"] > 0
    assert inproc["batch_last_known"] == 50 and len(inproc["batch_seconds"]) == 1
    assert "http" not in report


def _wrk_or_skip():
    from xinyong.bench.loadgen import wrk_path

    if wrk_path() is None:
        if os.environ.get("XINYONG_WRK_REQUIRED") == "1":
            pytest.fail("XINYONG_WRK_REQUIRED=1 but wrk is not installed")
        pytest.skip("wrk not installed (Debian: apt-get install wrk); the Python client is tested below")


@pytest.mark.slow
@pytest.mark.parametrize("client", ["python", "wrk"])
def test_check_benchmark_http_smoke(home, client):
    if client == "wrk":
        _wrk_or_skip()
    report = _bench("--home", home, "--no-inproc", "--seconds", "1", "--clients", "2", "--client", client)
    assert "inproc" not in report
    assert report["http"]["client"] == client
    for endpoint in ("units_me", "subject_lookup", "check"):
        assert report["http"][endpoint]["requests_per_s"] > 0, report["http"]
        assert set(report["http"][endpoint]["statuses"]) <= {"200", "201"}, report["http"]
        assert report["http"][endpoint]["server_cpu_ms"] > 0, report["http"]


def test_check_benchmark_refuses_nonsense_sizes_before_building_anything():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="^--workers、--connections、--clients 至少为 1$"):
        call_command("bench_check", "--workers", "0", stdout=io.StringIO(), stderr=io.StringIO())
