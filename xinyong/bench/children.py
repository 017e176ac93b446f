"""What the benchmark commands share around their child processes: each runs `python -m xinyong.cli` with
XINYONG_HOME set to the benchmark's own data directory (SQLite there, whatever the shell says), and
answers with one JSON line last on its stdout. The search benchmark may instead name a PostgreSQL database
of its own (`database_url`, xinyong/bench/pgdb.py)."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HIDDEN = argparse.SUPPRESS  # the help of the internal --child option


def child_env(home: Path | str, *, database_url: str | None = None, **extra: str) -> dict:
    """The child's environment: SQLite in `home`, or the benchmark's own database `database_url`."""
    env = {**os.environ, "XINYONG_HOME": str(home), **extra}
    env.pop("XINYONG_DATABASE_URL", None)  # never the operator's database
    if database_url:
        env["XINYONG_DATABASE_URL"] = database_url
    return env


def run_child(args: list[str], env: dict, *, stderr=None) -> subprocess.CompletedProcess:
    """`xinyong <args>` in a child process; stdout captured as text, stderr as given."""
    cmd = [sys.executable, "-m", "xinyong.cli", *args]
    return subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False)


def last_line(stdout: str) -> str:
    return stdout.strip().splitlines()[-1] if stdout.strip() else ""


def in_home(home: str | None, prefix: str, run: Callable[[Path], dict]) -> dict:
    """`run` in the directory given (kept, reusable), or in a temporary one removed afterwards."""
    if home:
        return run(Path(home).resolve())
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        return run(Path(tmp))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
