"""The HTTP part of the check benchmark (issue 18): the server started exactly as `xinyong up` starts it — the
same command, so the same gunicorn configuration (the redacting access log, on), the buffering front before
gunicorn's unix socket and the background worker, all under `up`'s supervisor — and, for comparison, bare
gunicorn on a TCP port (no front, no access log), as the benchmark measured before issue 18.

Each endpoint is driven for `seconds` by wrk or the Python client (bench/loadgen.py): GET /api/v1/units/me
(authenticated, trivial: the baseline), GET /api/v1/subjects/{code}, POST /api/v1/checks with one subject.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from xinyong.bench import loadgen
from xinyong.bench.checkdata import uscc_for

SERVERS = ("up", "bare")


def server_argv(kind: str, port: int, workers: int) -> list[str]:
    """`xinyong up` itself (its own gunicorn and front command lines, ops/management/commands/up.py), or bare
    gunicorn as before issue 18."""
    if kind == "up":
        return [sys.executable, "-m", "xinyong.cli", "up", "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers)]  # fmt: skip
    return [sys.executable, "-m", "gunicorn", "xinyong.config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
            "--timeout", "120"]  # fmt: skip


@contextmanager
def serving(kind: str, env: dict, log: Path, *, workers: int, timeout: float = 300.0) -> Iterator[tuple]:
    """The server on a free loopback port, ready (it answers 200), stopped afterwards with everything it
    started; yields (port, root pid). `up` migrates, loads reference data and collects static files first."""
    from xinyong.bench.children import free_port

    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(server_argv(kind, port, workers), env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        try:
            loadgen.wait_ready(port, "/api/v1/matters", timeout, alive=lambda: server.poll() is None)
            yield port, server.pid
        finally:
            _stop(server, kind)


def _stop(server: subprocess.Popen, kind: str) -> None:
    """SIGTERM: `up` stops its children in order (issue 13); bare gunicorn's master stops its workers."""
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # the group this benchmark started
        server.wait()


def requests_for(port: int, token: str, *, subjects: int, seed: int, matter: str) -> dict[str, list[bytes]]:
    rng = random.Random(seed + 1)
    codes = [uscc_for(rng.randrange(subjects), subjects) for _ in range(2000)]
    return {
        "units_me": [loadgen.get_request(port, "/api/v1/units/me", token)],
        "subject_lookup": [loadgen.get_request(port, f"/api/v1/subjects/{c}") for c in codes],
        "check": [
            loadgen.post_request(
                port,
                "/api/v1/checks",
                {"matter": matter, "case_number": f"BENCH-{i}", "subjects": [c]},
                token,
            )
            for i, c in enumerate(codes)
        ],
    }


def drive_all(
    port: int, root_pid: int, requests: dict[str, list[bytes]], opts: dict, client: str, say: Callable
) -> dict:
    """Each endpoint in turn for `seconds`; requests/s of 2xx answers, latency, the server's CPU/request."""
    out = {}
    for name, batch in requests.items():
        cpu = loadgen.server_cpu_seconds(root_pid)
        if client == "wrk":
            out[name] = loadgen.drive_wrk(
                port, batch, seconds=opts["seconds"], connections=opts["connections"]
            )
        else:
            out[name] = loadgen.drive(port, batch, seconds=opts["seconds"], clients=opts["clients"])
        out[name]["server_cpu_ms"] = loadgen.cpu_ms_per_request(root_pid, cpu, out[name])
        say(f"  {name}: {out[name]['requests_per_s']:,} 请求/秒 {out[name]['statuses']}")
    return out
