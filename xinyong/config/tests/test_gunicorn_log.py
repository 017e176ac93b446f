"""No resident ID in gunicorn's access log (issue 12): gunicorn started with the platform's config file, a
request carrying a full ID in its path, query and referer, and the log file read back."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port as _free_port

PERSON = "11010519491231002X"


def _wait(ready, what: str, timeout: float = 60.0) -> None:
    """Poll `ready` until it is true (readiness, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture
def server(tmp_path: Path):
    port, log = _free_port(), tmp_path / "access.log"
    env = {**os.environ, "XINYONG_HOME": str(tmp_path)}
    # The server answers an unknown path (404) without the database, whose tables live in pytest's test
    # database, not in the one XINYONG_DATABASE_URL names: rate-limit counters (a table on PostgreSQL) off.
    env.update(
        {f"XINYONG_RATE_{name}": "0" for name in ("ANON", "LOOKUP", "TOKEN", "FILING", "UPLOAD_BYTES")}
    )
    argv = [sys.executable, "-m", "gunicorn", "-c", "python:xinyong.config.gunicorn",
            "xinyong.config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--access-logfile", str(log)]  # fmt: skip
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: _listening(port) or process.poll() is not None, "gunicorn to listen")
        assert process.poll() is None, "gunicorn exited"
        yield port, log
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: nothing is in flight
        process.wait(timeout=30)


def test_the_access_log_masks_resident_ids(server):
    port, log = server
    url = f"http://127.0.0.1:{port}/api/v1/nothing/{PERSON}?subject={PERSON}"
    request = urllib.request.Request(url, headers={"Referer": f"http://x/?q={PERSON}"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=30)
    assert answer.value.code == 404
    _wait(lambda: log.exists() and "/api/v1/nothing/" in log.read_text(), "the access log line")
    line = log.read_text()
    assert PERSON not in line and PERSON.lower() not in line
    assert "/api/v1/nothing/110105********002X?subject=110105********002X" in line
    assert "http://x/?q=110105********002X" in line
