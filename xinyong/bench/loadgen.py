"""Load generators for the check benchmark. The client shares the machine's two cores with the server, so what
it costs per request comes off the server's throughput:

* `wrk` (Debian package `wrk`, C, event loop; used when installed): one thread keeping N connections busy,
  the requests cycled from a generated Lua script; the standard tool, and no Python per request.
* the Python client (standard library only, the fallback): several processes, each sending pre-built request
  bytes one after another.

Both open a fresh loopback connection per request, as gunicorn's sync workers close every connection after
the response, and count only 2xx answers.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable

from xinyong.bench.stats import percentile


def wait_ready(port: int, path: str, timeout: float = 90.0, alive: Callable[[], bool] | None = None) -> None:
    """Poll until the server answers 200 on `path`; fail at once if `alive` says the server has exited."""
    deadline = time.monotonic() + timeout
    while True:
        if alive is not None and not alive():
            raise RuntimeError("服务进程已退出，见其日志")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"服务未在 {timeout:.0f} 秒内就绪")
        time.sleep(0.2)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def client_for(choice: str) -> str:
    """`auto` → wrk when installed, else python; `wrk` without wrk installed is an error."""
    if choice == "auto":
        return "wrk" if wrk_path() else "python"
    if choice == "wrk" and not wrk_path():
        raise RuntimeError("未安装 wrk（Debian：apt-get install wrk），可改用 --client python")
    return choice


def get_request(port: int, path: str, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Connection: close\r\n\r\n".encode()


def post_request(port: int, path: str, body: dict, token: str) -> bytes:
    data = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + data


def _one(port: int, request: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    head = b"".join(chunks)[:12]
    return int(head[9:12]) if head.startswith(b"HTTP/") else 0


def _client(args) -> dict:
    port, requests, start_at, seconds = args
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    statuses: dict[int, int] = {}
    latencies = []
    i = 0
    while time.time() < end:
        t0 = time.perf_counter()
        try:
            status = _one(port, requests[i % len(requests)])
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - t0)
        statuses[status] = statuses.get(status, 0) + 1
        i += 1
    return {"statuses": statuses, "latencies": latencies}


def drive(port: int, requests: list[bytes], *, seconds: float, clients: int) -> dict:
    """Send `requests` (cycled) from `clients` processes for `seconds`; requests/s of the expected answers."""
    start_at = time.time() + 0.3  # let every client process start first
    parts = [(port, requests[i::clients] or requests, start_at, seconds) for i in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, parts)
    statuses: dict[int, int] = {}
    latencies = sorted(x for r in results for x in r["latencies"])
    for r in results:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    total = sum(statuses.values())
    ok = sum(count for status, count in statuses.items() if 200 <= status < 300)
    return {
        "requests": total,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "requests_per_s": round(ok / seconds),  # answered 2xx; errors do not count
        "p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
    }


_WRK_SCRIPT = """
local requests = {%s}
local i = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  i = i + 1
  return requests[(i %% #requests) + 1]
end
function response(status, headers, body)
  local name = "s" .. status
  _G[name] = (_G[name] or 0) + 1
end
function done(summary, latency, requests_)
  local parts = {}
  for status = 100, 599 do
    local n = 0
    for _, t in ipairs(threads) do n = n + (t:get("s" .. status) or 0) end
    if n > 0 then table.insert(parts, string.format('"%%d": %%d', status, n)) end
  end
  local e = summary.errors
  io.write(string.format(
    'XINYONG {"requests": %%d, "seconds": %%.3f, "socket_errors": %%d, "p50_ms": %%.2f, "p99_ms": %%.2f, '
    .. '"statuses": {%%s}}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ", ")))
end
"""


def _lua_string(data: bytes) -> str:
    """A Lua string literal holding exactly these bytes (long brackets would turn CRLF into LF)."""
    out = []
    for byte in data:
        char = chr(byte)
        out.append(char if 32 <= byte < 127 and char not in '"\\' else f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def drive_wrk(port: int, requests: list[bytes], *, seconds: float, connections: int) -> dict:
    """Send `requests` (pre-built HTTP/1.1 bytes, cycled) with wrk over `connections` connections for
    `seconds`; the same figures as `drive`. Requests/s counts 2xx answers only."""
    entries = ", ".join(_lua_string(r) for r in requests)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8", delete=False) as script:
        script.write(_WRK_SCRIPT % entries)
    try:
        done = subprocess.run(
            [wrk_path(), "-t1", f"-c{connections}", f"-d{max(seconds, 1):g}s", "--timeout", "30s",
             "-s", script.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    found = re.search(r"^XINYONG (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not found:
        raise RuntimeError(
            f"wrk 失败（退出码 {done.returncode}）：{done.stderr.strip() or done.stdout[-500:]}"
        )
    run = json.loads(found.group(1))
    statuses = {str(k): v for k, v in sorted((int(k), v) for k, v in run["statuses"].items())}
    if run["socket_errors"]:
        statuses["0"] = run["socket_errors"]
    ok = sum(v for k, v in statuses.items() if k.startswith("2"))
    return {
        "requests": sum(statuses.values()),
        "statuses": statuses,
        "requests_per_s": round(ok / run["seconds"]),
        "p50_ms": run["p50_ms"],
        "p99_ms": run["p99_ms"],
    }


def server_cpu_seconds(root_pid: int) -> float | None:
    """CPU time (user + system) used so far by every process below `root_pid` — gunicorn's workers under its
    master; under `xinyong up`, the front, gunicorn and its workers and the background worker (Linux /proc;
    else None). Processes that already exited are not counted."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        parent, cpu = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(entry)] = int(fields[1])  # ppid
            cpu[int(entry)] = int(fields[11]) + int(fields[12])  # utime, stime
        below = {root_pid}
        for _ in range(4):  # up → gunicorn → workers: a few levels
            below |= {pid for pid, ppid in parent.items() if ppid in below}
        return sum(cpu[pid] for pid in below - {root_pid}) / tick
    except (OSError, ValueError, IndexError):
        return None


def cpu_ms_per_request(master_pid: int, before: float | None, run: dict) -> float | None:
    """Server CPU per answered request during a run: steadier than requests/s on a machine shared with the
    client processes (and anything else running)."""
    after = server_cpu_seconds(master_pid)
    if before is None or after is None or not run["requests"]:
        return None
    return round((after - before) * 1000 / run["requests"], 3)
