"""What the benchmark commands share around their child processes: each runs `python -m xinyong.cli` with
XINYONG_HOME set to the benchmark's own data directory and its own database (bench/databases.py), and
answers with one JSON line last on its stdout."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from xinyong.bench.databases import BenchDatabase

HIDDEN = argparse.SUPPRESS  # the help of the internal --child option


def child_env(
    home: Path | str, *, database: BenchDatabase | None = None, extra: dict[str, str] | None = None
) -> dict:
    """The environment of a benchmark child: its own data directory and its own database — `database`
    (bench/databases.py), or else SQLite in `home` (the shell's XINYONG_DATABASE_URL is never passed on: the
    benchmark never works in the operator's database)."""
    env = {**os.environ, "XINYONG_HOME": str(home), **(extra or {})}
    env.pop("XINYONG_DATABASE_URL", None)
    if database is not None:
        env["XINYONG_DATABASE_URL"] = database.url
    return env


def child_command(args: list[str]) -> list[str]:
    """The command line of `xinyong <args>` run by this interpreter."""
    return [sys.executable, "-m", "xinyong.cli", *args]


def run_child(args: list[str], env: dict, *, stderr=None) -> subprocess.CompletedProcess:
    """`xinyong <args>` in a child process; stdout captured as text, stderr as given."""
    cmd = child_command(args)
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
