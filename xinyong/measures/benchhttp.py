"""A small load generator for the check benchmark: several client processes, each sending requests one after
another over fresh loopback connections (gunicorn's sync workers close every connection after the response)
for a bounded time. Pure standard library; the requests are pre-built bytes so the client spends as little as
possible of the machine's CPU, which it shares with the server.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import time
import urllib.request


def wait_ready(port: int, path: str, timeout: float = 90.0) -> None:
    """Poll until the server answers 200 on `path`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"服务未在 {timeout:.0f} 秒内就绪")
        time.sleep(0.2)


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
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2) if latencies else None,
    }


def server_cpu_seconds(master_pid: int) -> float | None:
    """CPU time (user + system) used so far by the server's worker processes (Linux /proc; else None)."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master_pid:  # ppid
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick
    except (OSError, ValueError, IndexError):
        return None


def cpu_ms_per_request(master_pid: int, before: float | None, run: dict) -> float | None:
    """Server CPU per answered request during a run: steadier than requests/s on a machine shared with the
    client processes (and anything else running)."""
    after = server_cpu_seconds(master_pid)
    if before is None or after is None or not run["requests"]:
        return None
    return round((after - before) * 1000 / run["requests"], 3)
