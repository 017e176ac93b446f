"""Adversarial kill loops (issue 12): `kill -9` the importer and the server at random moments, on the test
database (SQLite file or PostgreSQL), and count what survives.

* importer: `xinyong import FILE` of a few thousand valid rows is killed after its write transaction has
  begun; the database must then hold none or all of that file's rows, and a re-run imports exactly all;
* server: gunicorn serves while a client thread submits records; every submission acknowledged with a 2xx
  must be in the database after any number of kills.

Each loop is bounded by time and kill count. The random moments come from `random.Random(seed)`; the seed
is printed and named in every failure (set XINYONG_KILL_SEED to replay one).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import free_port as _free_port
from tests.processes import test_database_url as _database_url
from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_create
from xinyong.audit.selectors import audit_chain_verify
from xinyong.bench.importing import generate_rows, write_csv
from xinyong.catalog.services import catalog_load, rules_load
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.intake.models import Submission
from xinyong.records.models import Record
from xinyong.records.publication import clear_caches
from xinyong.workdays.services import calendar_load_builtin

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]  # subprocesses see committed rows
UNIT = "bj-gongshangju"
ROWS_PER_FILE = 2000
IMPORT_BUDGET_S, IMPORT_MAX_KILLS = 20.0, 12
SERVER_BUDGET_S, SERVER_MAX_KILLS = 20.0, 10
MIN_KILLS = 3  # below this a loop proves little: it may run past its budget (up to 3×) to reach it


@dataclass
class Budget:
    """A loop's bound: stop at `max_kills` or after `seconds`, but not before MIN_KILLS (hard stop at 3×)."""

    seconds: float
    max_kills: int
    start: float = field(default_factory=time.monotonic)

    def more(self, kills: int) -> bool:
        elapsed = time.monotonic() - self.start
        if kills < MIN_KILLS:
            return elapsed < 3 * self.seconds
        return kills < self.max_kills and elapsed < self.seconds


@pytest.fixture
def seed() -> int:
    value = int(os.environ.get("XINYONG_KILL_SEED") or time.time_ns() % 2**31)
    print(f"kill loop seed={value} (XINYONG_KILL_SEED={value} to replay)")
    return value


@pytest.fixture
def reference(db):
    system = Actor.system()
    units_load(actor=system, now=now())
    rules_load(actor=system, now=now())
    catalog_load(actor=system, now=now())
    calendar_load_builtin(actor=system, now=now(), years=[2025, 2026])
    clear_caches()
    yield
    clear_caches()


def _env(tmp_path: Path) -> dict:
    return {
        **os.environ,
        "XINYONG_HOME": str(tmp_path / "home"),
        "XINYONG_DATABASE_URL": _database_url(),
        "XINYONG_SECRET_KEY": settings.SECRET_KEY,
        "XINYONG_IDENTITY_KEY": settings.IDENTITY_KEY,  # the same keyed hash of resident IDs as the test
        # the loop measures durability, not the rate limiter (issue 12's rate limits: "0" turns a class off)
        "XINYONG_RATE_TOKEN": "0",
        "XINYONG_RATE_ANON": "0",
    }


def _spawn(argv: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _kill9(proc: subprocess.Popen) -> None:
    """SIGKILL the whole process group (gunicorn's master and its workers together)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


# ── the importer ─────────────────────────────────────────────────────────────────────────────────────────


def _write_file(tmp_path: Path, number: int, seed: int) -> Path:
    """ROWS_PER_FILE valid licence rows; document numbers unique to the file (no row updates another's)."""
    rows = list(generate_rows(ROWS_PER_FILE, seed=seed * 100 + number, bad_share=0.0))
    for i, row in enumerate(rows):
        row["XK_WSH"] = f"京许字〔2026〕第{number:02d}{i:05d}号"
    path = tmp_path / f"许可-{number:02d}.csv"
    write_csv(path, rows)
    return path


def _writer_active() -> bool:
    """The importer's write transaction has begun (it holds the write lock / has a transaction id)."""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # database is locked: the importer writes
            return True
        finally:
            probe.close()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cur.fetchone()[0] > 0


def _wait_writing(proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while not _writer_active():
        if proc.poll() is not None:
            return  # finished (or failed) before we saw it write: the caller checks the exit code
        assert time.monotonic() < deadline, f"importer never started writing:\n{log.read_text()}"
        time.sleep(0.01)


@dataclass
class ImportTally:
    kills: int = 0
    completed: int = 0


def _state(done_files: int) -> tuple[int, int]:
    """Finished submissions and visible records beyond the files done: a file larger than one chunk that was
    killed part-way is a `receiving` submission whose records nobody sees (ADR 0026); its re-run resumes it."""
    done = Submission.objects.filter(state="done").count()
    return done - done_files, Record.objects.count() - done_files * ROWS_PER_FILE


def _import_once(path: Path, env: dict, log: Path, kill_after: float | None) -> tuple[bool, float]:
    """Run one import; kill -9 it `kill_after` seconds after it began writing. (killed?, seconds ran)."""
    argv = [sys.executable, "-m", "xinyong.cli", "import", str(path), "--category", "XK", "--unit", UNIT]
    proc = _spawn([*argv, "--quiet"], env, log)
    _wait_writing(proc, log)
    began = time.monotonic()
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        _kill9(proc)
        return True, time.monotonic() - began
    assert proc.returncode == 0, log.read_text()
    return False, time.monotonic() - began


def test_importer_killed_at_random_moments_leaves_none_or_all(tmp_path, reference, seed):
    rng, env, tally = random.Random(seed), _env(tmp_path), ImportTally()
    log, number, budget = tmp_path / "import.log", 1, Budget(IMPORT_BUDGET_S, IMPORT_MAX_KILLS)
    path = _write_file(tmp_path, number, seed)
    guess = 1.0  # seconds from the first write to the commit: learnt, so that some kills land after it
    while budget.more(tally.kills):
        killed, ran = _import_once(path, env, log, rng.uniform(0.0, guess * 1.3))
        submissions, records = _state(tally.completed)
        if killed and (submissions, records) == (0, 0):
            tally.kills += 1
            guess = max(guess, ran * 1.2)
            continue
        # finished, or killed after its commit: all of the file's rows, exactly once
        assert (submissions, records) == (1, ROWS_PER_FILE), f"partial import, seed={seed}: {records} rows"
        tally.kills += killed
        tally.completed += 1
        guess = guess if killed else ran
        number += 1
        path = _write_file(tmp_path, number, seed)
    killed, _ = _import_once(path, env, log, None)  # the re-run of the file last killed completes
    assert _state(tally.completed) == (1, ROWS_PER_FILE), f"seed={seed}"
    print(f"importer: {tally.kills} kills, {tally.completed + 1} files imported whole, 0 partial")
    assert tally.kills >= MIN_KILLS, f"too few kills within the budget to mean anything, seed={seed}"
    assert audit_chain_verify().ok, f"seed={seed}"


# ── the server ───────────────────────────────────────────────────────────────────────────────────────────


def _gunicorn(port: int, env: dict, log: Path) -> subprocess.Popen:
    # --preload: Django is loaded once, in the master, so a restart costs one start rather than one a worker
    argv = [sys.executable, "-m", "gunicorn", "xinyong.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--worker-class", "sync", "--timeout", "30", "--preload"]  # fmt: skip
    return _spawn(argv, env, log)


def _wait_serving(proc: subprocess.Popen, base: str, token: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            request = urllib.request.Request(
                base + "/api/v1/units/me", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(request, timeout=2) as answer:
                assert answer.status == 200
                return
        except OSError:
            assert time.monotonic() < deadline, f"server did not start:\n{log.read_text()}"
            time.sleep(0.05)


class Submitter(threading.Thread):
    """Submits one valid licence row per request, each with its own Idempotency-Key; keeps the ids that
    were acknowledged (201 with a submission id), counts the attempts that were not (connection refused or
    cut: the server was down) and keeps any HTTP error answer, which a kill should never cause."""

    def __init__(self, base: str, token: str, seed: int):
        super().__init__(daemon=True)
        self.base, self.token, self.rows = base, token, generate_rows(20_000, seed=seed, bad_share=0.0)
        self.acked: dict[int, str] = {}
        self.failed, self.errors, self.stop = 0, [], threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            row = {**next(self.rows), "XK_WSH": f"京许字〔2026〕第9{n:06d}号"}
            if not self._submit(f"kill-loop-{n}", row):
                self.failed += 1
                self.stop.wait(0.02)  # the server is down: try again shortly

    def _submit(self, key: str, row: dict) -> bool:
        body = json.dumps({"category": "XK", "rows": [row]}).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key,
                   "Content-Type": "application/json"}  # fmt: skip
        request = urllib.request.Request(self.base + "/api/v1/submissions", data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status, result = answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            self.errors.append((exc.code, exc.read()[:300]))
            return False
        except (OSError, ValueError, http.client.HTTPException):  # refused, reset, timed out, cut mid-answer
            # (IncompleteRead when the kill lands between the head and the body): not acknowledged
            return False
        if (status, result.get("accepted")) != (201, 1):
            self.errors.append((status, result))
            return False
        self.acked[result["submission_id"]] = key
        return True


def test_no_acknowledged_submission_is_lost_when_the_server_is_killed(tmp_path, reference, seed):
    rng, env, log, port = random.Random(seed), _env(tmp_path), tmp_path / "server.log", _free_port()
    unit = Unit.objects.get(code=UNIT)
    token = api_token_create(actor=Actor.system(), unit=unit, role="data_officer", now=now()).secret
    base, kills = f"http://127.0.0.1:{port}", 0
    client = Submitter(base, token, seed)
    budget = Budget(SERVER_BUDGET_S, SERVER_MAX_KILLS)
    while budget.more(kills):
        server = _gunicorn(port, env, log)
        try:
            _wait_serving(server, base, token, log)
            if not client.is_alive():
                client.start()
            time.sleep(rng.uniform(0.2, 2.5))  # a random moment while the client is submitting
        finally:
            _kill9(server)
        kills += 1
    client.stop.set()
    client.join(timeout=30)
    kept = set(Submission.objects.filter(pk__in=client.acked).values_list("pk", flat=True))
    lost = sorted(set(client.acked) - kept)
    print(f"server: {kills} kills, {len(client.acked)} acknowledged, {len(kept)} kept, {len(lost)} lost, "
          f"{client.failed} attempts unacknowledged, {len(client.errors)} error answers")  # fmt: skip
    assert lost == [], f"acknowledged but lost: {lost}, seed={seed}"
    assert [e for e in client.errors if e[0] >= 500 or e[0] == 201] == [], f"seed={seed}"
    assert Record.objects.filter(submission__in=kept).count() == len(kept), f"seed={seed}"
    assert kills >= MIN_KILLS and len(client.acked) >= 5, f"too little happened to mean anything, seed={seed}"
    assert audit_chain_verify().ok, f"seed={seed}"
