"""The buffering front (issue 12) before a real gunicorn with sync workers on a unix socket: slow clients
(slowloris) no longer stop the server; limits answer 408/413/431/503 as problem+json; gunicorn sees the
client's address (PROXY line) and one X-Forwarded-For value that the client cannot forge."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time

import pytest

from xinyong.ops.tests.test_up import _free_port, _wait_for

pytestmark = pytest.mark.slow
HEADER_TIMEOUT = 4.0


def _connectable(family: int, address) -> bool:
    with socket.socket(family) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(address) == 0


@pytest.fixture(scope="module", params=["uvloop", "asyncio"])
def stack(tmp_path_factory, request):
    """gunicorn (2 sync workers, as `xinyong up` starts it) behind the front, on each event loop it offers
    (ADR 0048: uvloop by default); yields (port, socket path)."""
    run = tmp_path_factory.mktemp("front")
    sock = run / "gunicorn.sock"
    port = _free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xinyong.ops.tests.echo_app:app", "--bind", f"unix:{sock}",
         "--workers", "2", "--worker-class", "sync", "--proxy-protocol", "v1", "--no-control-socket",
         "--timeout", "60"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    front = subprocess.Popen(
        [sys.executable, "-m", "xinyong.ops.front", "--bind", f"127.0.0.1:{port}", "--upstream", str(sock),
         "--header-timeout", str(HEADER_TIMEOUT), "--max-body-bytes", "1000", "--loop", request.param],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(lambda: _connectable(socket.AF_UNIX, str(sock)), timeout=60, what="gunicorn", proc=gunicorn)
        _wait_for(
            lambda: _connectable(socket.AF_INET, ("127.0.0.1", port)), timeout=60, what="front", proc=front
        )
        _wait_for(lambda: _echo(port)[0] == 200, timeout=60, what="a first answer")
        yield port, sock
    finally:
        for proc in (front, gunicorn):
            proc.terminate()
            proc.wait(timeout=30)


def _echo(
    port: int, method="GET", path="/echo", body=None, headers=None, timeout=10.0
) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"{}")
    except OSError:
        return 0, {}, {}
    finally:
        conn.close()


def _slow_client(address, family=socket.AF_INET) -> socket.socket:
    slow = socket.socket(family)
    slow.connect(address)
    slow.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\n")
    return slow


def test_fifty_slow_clients_do_not_stop_normal_requests(stack):
    """50 slowloris connections (a header byte every second) against 2 sync workers: every normal request
    answers promptly; the slow ones get 408 after the header timeout. Straight to gunicorn, two slow
    clients are enough to block a normal request — the failure of issue 12."""
    port, sock = stack
    slow = [_slow_client(("127.0.0.1", port)) for _ in range(50)]
    started = time.monotonic()
    worst = 0.0
    while time.monotonic() - started < 2.5:
        for s in slow:
            s.send(b"X")  # a header byte every ~second keeps each one alive
        for _ in range(5):
            t0 = time.monotonic()
            assert _echo(port, timeout=5)[0] == 200
            worst = max(worst, time.monotonic() - t0)
        time.sleep(0.5)
    assert worst < 1.0, worst
    answers = [_read_all(s, timeout=HEADER_TIMEOUT + 5) for s in slow]
    assert all(a.startswith(b"HTTP/1.1 408 Request Timeout\r\n") for a in answers), answers[0]
    assert b"application/problem+json" in answers[0] and b'"code": "front.request_timeout"' in answers[0]
    for s in slow:
        s.close()

    direct = [_slow_client(str(sock), socket.AF_UNIX) for _ in range(2)]
    try:
        with socket.socket(socket.AF_UNIX) as normal:
            normal.settimeout(1.5)
            normal.connect(str(sock))
            normal.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            with pytest.raises(TimeoutError):
                normal.recv(4096)
    finally:
        for s in direct:
            s.close()


def _read_all(s: socket.socket, timeout: float) -> bytes:
    s.settimeout(timeout)
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    return data


def test_gunicorn_sees_the_client_address_and_one_forwarded_for(stack):
    port, _ = stack
    status, _, seen = _echo(port, headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"})
    assert status == 200
    assert seen["remote_addr"] == "127.0.0.1"
    assert (seen["x_forwarded_for"], seen["x_forwarded_proto"], seen["scheme"]) == (
        "127.0.0.1",
        "http",
        "http",
    )


def test_keep_alive_bodies_and_limits(stack):
    port, _ = stack
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for n in (0, 10, 1000):  # three requests on one client connection, bodies up to the limit
        conn.request("POST", "/echo", body=b"x" * n)
        response = conn.getresponse()
        assert (response.status, json.loads(response.read())["length"]) == (200, n)
    conn.close()

    status, headers, problem = _echo(port, "POST", body=b"x" * 1001)
    assert (status, headers["content-type"], problem["code"]) == (
        413, "application/problem+json; charset=utf-8", "front.body_too_large"
    )  # fmt: skip
    chunked = iter([b"x" * 600, b"x" * 600])  # no Content-Length: counted as it arrives
    assert _echo(port, "POST", body=chunked)[0] == 413
    status, _, problem = _echo(port, headers={"X-Big": "y" * 70_000})
    assert (status, problem["code"]) == (431, "front.header_too_large")


def test_streamed_and_head_answers_pass_whole(stack):
    port, _ = stack
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/stream")
    response = conn.getresponse()
    body = response.read()
    assert (response.status, response.getheader("Content-Length")) == (200, str(len(body)))
    assert body == b"".join(b"%d\n" % i for i in range(1000))
    conn.request("HEAD", "/echo")
    response = conn.getresponse()
    assert (response.status, response.read(), int(response.getheader("Content-Length")) > 0) == (
        200,
        b"",
        True,
    )
    conn.close()


def test_upstream_missing_is_503_and_the_default_loop_is_uvloop(tmp_path):
    port = _free_port()
    front = subprocess.Popen(
        [sys.executable, "-m", "xinyong.ops.front", "--bind", f"127.0.0.1:{port}", "--upstream",
         str(tmp_path / "absent.sock")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert front.stdout.readline().rstrip().endswith("（事件循环 uvloop）")
        _wait_for(
            lambda: _connectable(socket.AF_INET, ("127.0.0.1", port)), timeout=60, what="front", proc=front
        )
        status, headers, problem = _echo(port)
        assert (status, headers["retry-after"], problem["code"]) == (503, "1", "front.unavailable")
        assert problem["detail"] == "服务暂不可用（正在启动或繁忙），请稍后重试"
    finally:
        front.terminate()
        front.wait(timeout=30)
