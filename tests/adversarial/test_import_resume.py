"""An import killed between chunks (issue 18, ADR 0026): `xinyong import FILE` of several chunks is SIGKILLed
once a chunk has committed; none of its records is visible; the same command run again completes it, with the
totals of a clean single run and every record written once.

The child is held after its first chunk without a sleep: its stderr is a pipe the test filled beforehand, so
the progress line it writes after the chunk's commit blocks until the test kills it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.adversarial.test_kill_loops import UNIT, reference  # noqa: F401 - the fixture
from tests.processes import test_database_url
from xinyong.accounts.models import Unit
from xinyong.bench.importing import generate_rows, write_csv
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.intake.models import RejectedRow, Submission
from xinyong.intake.services import submission_import_file
from xinyong.records.models import Record

ROWS, CHUNK = 1200, 150  # a cap below the first chunk's 200 rows (ADR 0041): every chunk holds CHUNK rows
COUNTED = ("total", "accepted", "rejected", "subjects_created", "late", "versions")


class _Rollback(Exception):
    pass


def _clean_run(path: Path) -> dict:
    """The same file imported in one transaction (one chunk), rolled back: the totals to expect."""
    unit = Unit.objects.get(code=UNIT)
    actor = Actor(label="cli", unit_code=unit.code, roles=frozenset({"data_officer"}))
    found = {}
    try:
        with override_settings(XINYONG_IMPORT_CHUNK_ROWS=ROWS), transaction.atomic():
            outcome, _ = submission_import_file(
                actor=actor, unit=unit, category=Category.objects.get(code="XK"), path=path, now=now()
            )
            found = {name: getattr(outcome.submission, name) for name in COUNTED}
            found["records"] = Record.objects.count()
            raise _Rollback
    except _Rollback:
        pass
    assert not Submission.objects.exists()
    return found


def _env(tmp_path: Path) -> dict:
    return {
        **os.environ,
        "XINYONG_HOME": str(tmp_path / "home"),
        "XINYONG_DATABASE_URL": test_database_url(),
        "XINYONG_SECRET_KEY": settings.SECRET_KEY,
        "XINYONG_IDENTITY_KEY": settings.IDENTITY_KEY,
        "XINYONG_IMPORT_CHUNK_ROWS": str(CHUNK),
    }


def _full_pipe() -> tuple[int, int]:
    """A pipe whose buffer is already full: the next write to it blocks."""
    read, write = os.pipe()
    os.set_blocking(write, False)
    try:
        while True:
            os.write(write, b"x" * 4096)
    except BlockingIOError:
        pass
    os.set_blocking(write, True)
    return read, write


def _wait_for_chunk(proc: subprocess.Popen) -> Submission:
    deadline = time.monotonic() + 120
    while True:
        submission = Submission.objects.filter(rows_done__gt=0).first()
        if submission is not None:
            return submission
        assert proc.poll() is None, "the importer ended before its first chunk committed"
        assert time.monotonic() < deadline, "no chunk committed within two minutes"
        time.sleep(0.01)  # polling for the row, not waiting a fixed time


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_an_import_killed_after_a_chunk_shows_nothing_and_its_rerun_completes_it_once(tmp_path):
    path = tmp_path / "许可.csv"
    write_csv(path, list(generate_rows(ROWS, seed=18, bad_share=0.05)))
    expected = _clean_run(path)
    assert expected["total"] == ROWS and expected["rejected"] > 0
    argv = [sys.executable, "-m", "xinyong.cli", "import", str(path), "--category", "XK", "--unit", UNIT]
    read, write = _full_pipe()
    with (tmp_path / "out.log").open("wb") as out:
        proc = subprocess.Popen(argv, env=_env(tmp_path), stdout=out, stderr=write, start_new_session=True)
    os.close(write)
    try:
        submission = _wait_for_chunk(proc)  # committed, and held writing its progress line
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        os.close(read)
    submission.refresh_from_db()
    assert (submission.state, submission.rows_done) == ("receiving", CHUNK)
    assert Record.objects.count() == 0  # nothing of it is visible
    assert Record.with_staged.filter(submission=submission).count() == submission.accepted > 0

    rerun = subprocess.run([*argv, "--quiet"], env=_env(tmp_path), capture_output=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr.decode()  # some rows rejected (exit status 1), as a clean run
    submission.refresh_from_db()
    assert submission.state == "done" and Submission.objects.count() == 1
    assert {name: getattr(submission, name) for name in COUNTED} | {
        "records": Record.objects.count()
    } == expected
    assert Record.with_staged.count() == expected["records"]  # each record written once
    assert RejectedRow.objects.count() == expected["rejected"]
