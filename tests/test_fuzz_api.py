"""Issue 13: a property-based OpenAPI fuzzer (schemathesis) against the platform as `xinyong up` serves it, with
demo data, anonymous and with a token per role: 0 server errors and 0 answers that break their own schema.

The server is a real one (`xinyong up` in a subprocess, its own data directory, and on PostgreSQL its own
database); schemathesis runs as its command-line tool with a fixed seed and a time budget per caller
(`XINYONG_FUZZ_SECONDS`, default 6 s; anonymous callers get twice that). The run prints the seed; a failure
shows schemathesis's own report with a curl line that reproduces each case.

schemathesis runs with one worker: Python 3.11.7's AST module races when two threads parse source at once
(CPython gh-106905), and hypothesis parses lambdas to describe strategies."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port as _free_port
from xinyong.config.envdb import admin_url, with_database

# Who calls: anonymous, then a token per role. The credit office holds the office-only roles; a municipal
# department holds the rest. `institution` and `public` are the roles of outside bodies.
CALLERS = [
    ("anonymous", None, None),
    ("credit_office_reviewer", "bj-jingxinwei", "reviewer"),
    ("credit_office_admin", "bj-jingxinwei", "admin"),
    ("credit_office_auditor", "bj-jingxinwei", "auditor"),
    ("unit_data_officer", "bj-fagaiwei", "data_officer"),
    ("unit_case_officer", "bj-fagaiwei", "case_officer"),
    ("institution", "bj-fagaiwei", "institution"),
    ("public", "bj-fagaiwei", "public"),
]
CHECKS = "not_a_server_error,response_schema_conformance"
SEED = int(os.environ.get("XINYONG_FUZZ_SEED", "20261206"))


def _seconds() -> int:
    return int(os.environ.get("XINYONG_FUZZ_SECONDS", "6"))


def _xinyong(env: dict, *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "xinyong.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"xinyong {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _database_env(env: dict) -> tuple[dict, str | None]:
    """On PostgreSQL, a fresh database of the same server for the live platform (dropped afterwards)."""
    url = os.environ.get("XINYONG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("XINYONG_DATABASE_URL", None)
        return env, None
    import psycopg

    name = f"xinyong_fuzz_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["XINYONG_DATABASE_URL"] = with_database(url, name)
    return env, name


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url(os.environ["XINYONG_DATABASE_URL"]), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _token(env: dict, unit: str, role: str) -> str:
    out = _xinyong(env, "token", "create", "--unit", unit, "--role", role, "--name", f"fuzz {role}")
    found = re.findall(r"^(xy_\S+)$", out, re.MULTILINE)
    assert found, out
    return found[-1]


def _wait_until_served(base: str, proc: subprocess.Popen, log: Path, budget: float = 300) -> None:
    """Readiness: the plan's task list answers (a cheap API read; the server process must stay alive)."""
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"xinyong up stopped:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(base + "/api/v1/plan/tasks", timeout=10) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"xinyong up did not serve within {budget} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def live_platform(tmp_path_factory):
    """`xinyong up --demo` on a fresh data directory, tokens for every caller, served on a free port."""
    home = tmp_path_factory.mktemp("fuzz-home")
    env, database = _database_env({**os.environ, "XINYONG_HOME": str(home)})
    for name in ("ANON", "LOOKUP", "TOKEN", "FILING", "UPLOAD_BYTES"):  # answers are measured, not the limits
        env[f"XINYONG_RATE_{name}"] = "0"
    _xinyong(env, "up", "--demo", "--demo-size", "200", "--no-serve")
    tokens = {name: _token(env, unit, role) for name, unit, role in CALLERS if unit}
    port = _free_port()
    log = home / "up.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "xinyong.cli", "up", "--port", str(port), "--no-worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_served(base, proc, log)
        yield base, tokens, home
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        if database:
            _drop_database(database)


def _schemathesis() -> str:
    found = Path(sys.executable).with_name("st")
    return str(found) if found.exists() else shutil.which("st") or "st"


@pytest.mark.slow
@pytest.mark.parametrize("caller", [name for name, _, _ in CALLERS])
def test_fuzzing_finds_no_server_error_and_no_schema_violation(live_platform, caller):
    base, tokens, home = live_platform
    seconds = _seconds() * (2 if caller == "anonymous" else 1)
    argv = [
        _schemathesis(),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-time",
        str(seconds),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        "--report-dir",
        str(home / f"schemathesis-{caller}"),
    ]
    if caller in tokens:
        argv += ["--header", f"Authorization: Bearer {tokens[caller]}"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 240, cwd=home)
    summary = re.search(r"(\d+) generated, (\d+) passed", done.stdout)
    assert done.returncode == 0 and summary, f"seed {SEED}, caller {caller}:\n{done.stdout[-20000:]}"
    generated, passed = map(int, summary.groups())
    assert generated == passed > 0, done.stdout[-5000:]
