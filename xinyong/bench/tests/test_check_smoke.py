"""A tiny run of the check benchmark keeps it working (the benchmark itself is not part of the tests), on the
storage of the test run (issue 18): PostgreSQL when XINYONG_DATABASE_URL names a server (the benchmark builds a
database of its own there, kept for this module and dropped after it, also when the run fails), SQLite
otherwise. One full run covers every scenario, both servers (`xinyong up` and bare gunicorn) driven by wrk
(the Python client when wrk is missing; it is tested on its own in test_loadgen.py) and the targets table; a
second run reuses the built database and measures nothing, which proves the reuse without a second round of
servers. The benchmark waits for its servers by asking them (HTTP 200), never by sleeping."""

import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from xinyong.bench import checktargets
from xinyong.bench.databases import dropped_afterwards, storage_kind
from xinyong.bench.loadgen import wrk_path

TINY = ["--subjects", "500", "--records", "5000", "--samples", "20", "--batches", "1", "--batch-size", "50",
        "--seconds", "1", "--clients", "2", "--import-rows", "300", "--json"]  # fmt: skip
FIGURES = ("raw_lookup", "answer", "check", "check_listed", "raw_commit", "check_sync_normal")
ENDPOINTS = ("units_me", "subject_lookup", "check")
SERVERS = ("up", "bare")
TARGET_KEYS = [
    "check_p99",
    "raw_lookup",
    "batch",
    "http_check",
    "http_subject_lookup",
    "during_import",
    "cold",
]
CLIENT = "wrk" if wrk_path() else "python"


def _bench(*args) -> dict:
    out = io.StringIO()
    call_command("bench_check", *TINY, *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def built(tmp_path_factory, bench_template):
    """The full benchmark once at smoke size: its report, and the arguments that reuse its database. On
    PostgreSQL the database is kept (`--keep`) for the reuse test and dropped by name afterwards, also when
    the run fails after its build (then no report names it)."""
    home = str(tmp_path_factory.mktemp("bench-check"))
    pg = storage_kind() == "postgresql"
    with dropped_afterwards("check", "check", home):
        report = _bench("--home", home, "--servers", ",".join(SERVERS), "--client", CLIENT,
                        *(["--keep"] if pg else []))  # fmt: skip
        yield report, ["--home", home, *(["--reuse", report["database"]] if pg else [])]


@pytest.mark.slow
def test_check_benchmark_runs_every_scenario_on_the_test_runs_storage(built):
    report, _ = built
    assert report["storage"] == connection.vendor == storage_kind()
    assert (report["subjects"], report["records"]) == (500, 5000)
    assert report["kept"] is True
    inproc = report["inproc"]
    assert inproc["storage"] == report["storage"]
    for figure in FIGURES:
        assert inproc[figure]["n"] == 20 and inproc[figure]["p99_ms"] > 0, figure
    assert inproc["batch_last_known"] == 50 and len(inproc["batch_seconds"]) == 1

    cold = report["cold"]
    assert cold["check"]["n"] == 19 and cold["first_check_ms"] > 0
    assert cold["shared_buffers_kept"] is (report["storage"] == "postgresql")
    if report["storage"] == "sqlite":  # the file is ours: always evicted
        assert cold["os_cache_evicted"] is True and cold["files_evicted"] >= 1
    else:  # a server elsewhere (a container) keeps its files: then the report says why
        assert cold["os_cache_evicted"] or cold["not_evicted"]

    http = report["http"]
    assert http["client"] == CLIENT and http["seconds"] == 1
    for server in SERVERS:
        for endpoint in ENDPOINTS:
            row = http[server][endpoint]
            assert row["requests_per_s"] > 0 and row["server_cpu_ms"] > 0, (server, row)
            assert set(row["statuses"]) <= {"200", "201"}, (server, row)

    during = report["during_import"]
    assert during["storage"] == report["storage"]
    assert during["without"]["n"] == 20
    assert during["during"]["n"] >= 1 and during["during"]["p99_ms"] > 0
    assert during["import"]["rows"] == 300
    assert during["import"]["accepted"] + during["import"]["rejected"] == 300
    assert during["import"]["accepted"] > 0 and during["import"]["seconds"] > 0


@pytest.mark.slow
def test_check_benchmark_prints_every_target_beside_its_baseline(built):
    report, _ = built
    rows = report["targets"]
    assert [r["key"] for r in rows] == TARGET_KEYS
    for row in rows:
        assert row["result"] and row["baseline"] and row["target"], row
    verdicts = {r["key"]: r["verdict"] for r in rows}
    assert verdicts["raw_lookup"] == verdicts["cold"] == "—"
    assert verdicts["batch"] == "n/a"  # a batch of 50, not 1,000: the target does not apply
    for key in ("check_p99", "http_check", "http_subject_lookup", "during_import"):
        assert verdicts[key] in ("PASS", "MISS"), key
    # with both servers measured, the HTTP targets are judged on the one `xinyong up` starts
    labels = {r["key"]: r["label"] for r in rows}
    assert labels["http_check"] == "POST /api/v1/checks（up）"
    assert labels["http_subject_lookup"] == "GET /api/v1/subjects/{code}（up）"
    text = checktargets.text(report)
    storage = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[report["storage"]]
    assert text.startswith(f"联合奖惩核查基准（{storage}，500 个主体，5,000 条信息")
    assert "  HTTP（xinyong up：" in text and "  HTTP（裸 gunicorn，" in text
    for row in rows:
        assert f"| {row['label']} | {row['result']} | {row['baseline']} |" in text


@pytest.mark.slow
def test_check_benchmark_drives_both_servers_with_wrk_when_installed(built):
    if wrk_path() is None:
        if os.environ.get("XINYONG_WRK_REQUIRED") == "1":
            pytest.fail("XINYONG_WRK_REQUIRED=1 but wrk is not installed")
        pytest.skip("wrk not installed (Debian: apt-get install wrk); the Python client drove the servers")
    http = built[0]["http"]
    assert (http["client"], http["connections"]) == ("wrk", 8) and "clients" not in http
    assert set(SERVERS) <= set(http)


@pytest.mark.slow
def test_check_benchmark_reuses_its_database_without_building_again(built):
    first, reuse = built
    report = _bench(*reuse, "--no-inproc", "--no-cold", "--no-http", "--no-import")
    assert (report["database"], report["storage"]) == (first["database"], first["storage"])
    assert report["kept"] is True
    # what the database says it holds, written by the first run's build (a rebuild would time it anew)
    assert (report["subjects"], report["records"]) == (500, 5000)
    assert report["build_seconds"] == first["build_seconds"]
    assert {"inproc", "cold", "http", "during_import"}.isdisjoint(report) and report["targets"] == []


def test_check_benchmark_refuses_nonsense_before_building_anything():
    with pytest.raises(CommandError, match="^--workers、--connections、--clients 至少为 1$"):
        call_command("bench_check", "--workers", "0", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="^--servers 取值为 up、bare 或 up,bare$"):
        call_command("bench_check", "--servers", "nginx", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.skipif(storage_kind() != "sqlite", reason="SQLite keeps its database with --home")
def test_check_benchmark_keep_and_reuse_are_for_postgresql():
    with pytest.raises(
        CommandError, match="^--keep / --reuse 用于 PostgreSQL；SQLite 用 --home 目录保留并复用数据库$"
    ):
        call_command("bench_check", "--keep", stdout=io.StringIO(), stderr=io.StringIO())


def _report(storage: str, *, check: float, commit: float, me: int, checks: int, lookups: int, during: float):
    latency = {"n": 1, "p50_ms": 0.1, "p99_ms": 0.1, "max_ms": 0.1}
    return {
        "storage": storage,
        "inproc": {"check": {**latency, "p99_ms": check}, "raw_commit": {**latency, "p99_ms": commit},
                   "answer": latency, "raw_lookup": latency, "batch_size": 1000, "batch_median_s": 1.2},
        "http": {"up": {"units_me": {"requests_per_s": me}, "check": {"requests_per_s": checks},
                        "subject_lookup": {"requests_per_s": lookups}}},
        "during_import": {"without": latency, "during": {**latency, "p99_ms": during, "max_ms": during},
                          "failed": {}},
    }  # fmt: skip


def test_targets_are_judged_against_the_same_runs_baselines_per_storage():
    """SQLite: p99 ≤ 2.5 × the raw commit's, ≥ 2/3 of units/me, ≤ 50 ms during an import; PostgreSQL: ≤ 3 ms,
    ≥ 1/2, ≤ 10 ms; a batch of 1,000 ≤ 1 s on both."""

    def verdicts(report):
        return {r["key"]: r["verdict"] for r in checktargets.targets(report)}

    sqlite = _report("sqlite", check=2.5, commit=1.0, me=900, checks=600, lookups=599, during=50.0)
    assert verdicts(sqlite) == {"check_p99": "PASS", "raw_lookup": "—", "batch": "MISS", "http_check": "PASS",
                                "http_subject_lookup": "MISS", "during_import": "PASS"}  # fmt: skip
    sqlite = _report("sqlite", check=2.51, commit=1.0, me=900, checks=601, lookups=601, during=50.1)
    judged = verdicts(sqlite)
    assert [judged[k] for k in ("check_p99", "http_check", "during_import")] == ["MISS", "PASS", "MISS"]
    pg = _report("postgresql", check=3.0, commit=5.0, me=900, checks=450, lookups=449, during=10.0)
    assert verdicts(pg) == {"check_p99": "PASS", "raw_lookup": "—", "batch": "MISS", "http_check": "PASS",
                            "http_subject_lookup": "MISS", "during_import": "PASS"}  # fmt: skip
    pg["during_import"]["failed"] = {"OperationalError": 1}
    assert verdicts(pg)["during_import"] == "MISS"
