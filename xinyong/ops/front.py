"""The buffering front (issue 12, ADR 0016): an asyncio HTTP/1.1 server in front of gunicorn's sync workers.

A sync worker serves one connection at a time, so three clients that send their request slowly (slowloris)
or read the answer slowly used to hold both workers. The front takes that wait on itself — thousands of
slow connections cost it a few KB each — and hands gunicorn only whole requests:

- the request head must arrive within `header_timeout` (408), the body within `body_timeout` with no read
  idle longer than `idle_timeout` (408); heads over `max_header_bytes` answer 431, bodies over
  `max_body_bytes` 413 (Content-Length checked before reading);
- the whole request goes to gunicorn over its unix socket, preceded by a PROXY protocol v1 line, so that
  gunicorn sets REMOTE_ADDR (and its access log) to the real client; the front also sets a single-valued
  `X-Forwarded-For: <client ip>` and `X-Forwarded-Proto`, replacing whatever the client sent;
- gunicorn's answer is read whole (spooled to disk past 4 MiB), which frees the worker at once, then
  written to the client with `write_timeout` per chunk;
- gunicorn down or starting → 503, a broken or late answer → 502; all as application/problem+json.

Sync workers close each connection after one answer (gunicorn: "until someone shows a buffering proxy
that supports Keep-Alive to the backend"), so the front opens one upstream connection per request — a
unix-socket connect costs microseconds — and keeps the *client* connections alive instead.
Run: `python -m xinyong.ops.front --bind 127.0.0.1:8000 --upstream HOME/run/gunicorn.sock`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import signal
import sys
import tempfile
from dataclasses import dataclass
from http import HTTPStatus

import h11

from xinyong.ops.front_upstream import (
    CHUNK,
    SPOOL_IN_MEMORY,
    Answer,
    _proxy_line,
    _unmapped,
    _upstream_answer,
)

log = logging.getLogger("xinyong.front")

HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"proxy-connection",
    b"te",
    b"trailer",
    b"transfer-encoding",
    b"upgrade",
    b"expect",
    b"content-length",
}
CLIENT_FORWARDING = {
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"x-real-ip",
    b"forwarded",
}

PROBLEMS = {
    400: ("front.bad_request", "请求格式无效"),
    408: ("front.request_timeout", "请求未在限定时间内发送完毕，连接已关闭"),
    413: ("front.body_too_large", "请求体超过允许的大小"),
    431: ("front.header_too_large", "请求头过大"),
    502: ("front.bad_gateway", "应用服务未能给出有效应答，请稍后重试"),
    503: ("front.unavailable", "服务暂不可用（正在启动或繁忙），请稍后重试"),
}


@dataclass(frozen=True)
class Limits:
    header_timeout: float = 10.0
    idle_timeout: float = 15.0
    body_timeout: float = 300.0
    keepalive_timeout: float = 15.0
    write_timeout: float = 30.0
    upstream_timeout: float = 150.0  # longer than gunicorn's own worker timeout (120 s)
    max_header_bytes: int = 64 * 1024
    max_body_bytes: int = 202 * 1024 * 1024
    max_connections: int = 4096


class Refuse(Exception):
    """Answer the client with a problem and close the connection."""

    def __init__(self, status: int, detail: str | None = None):
        self.status = status
        self.detail = detail or PROBLEMS[status][1]


def problem_bytes(status: int, detail: str, instance: str = "") -> tuple[list[tuple[bytes, bytes]], bytes]:
    code = PROBLEMS[status][0]
    body = json.dumps(
        {
            "type": f"https://xinyong.example/problems/{code}",
            "title": code,
            "status": status,
            "detail": detail,
            "code": code,
            "instance": instance,
            "errors": [],
        },
        ensure_ascii=False,
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json; charset=utf-8"),
        (b"content-length", b"%d" % len(body)),
    ]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    return headers, body


@dataclass
class Request:
    head: h11.Request
    body: tempfile.SpooledTemporaryFile
    size: int


class Front:
    def __init__(self, upstream: str, limits: Limits, scheme: str = "http"):
        self.upstream = upstream
        self.limits = limits
        self.scheme = scheme.encode()
        self.open = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        try:
            if self.open > self.limits.max_connections:
                await self._refuse_raw(writer, 503)
                return
            await self._connection(reader, writer)
        except (TimeoutError, ConnectionError, h11.LocalProtocolError):
            pass
        except Exception:  # noqa: BLE001 - one bad connection must not stop the front
            log.exception("front: connection failed")
        finally:
            self.open -= 1
            writer.close()

    async def _connection(self, reader, writer) -> None:
        peer = writer.get_extra_info("peername") or ("127.0.0.1", 0)
        local = writer.get_extra_info("sockname") or ("127.0.0.1", 0)
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_header_bytes)
        first = True
        while True:
            try:
                request = await self._read_request(conn, reader, writer, first)
            except Refuse as refusal:
                await self._answer_problem(conn, writer, refusal.status, refusal.detail)
                return
            if request is None:
                return
            first = False
            try:
                await self._forward(conn, writer, request, peer, local)
            finally:
                request.body.close()
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()

    async def _read_request(self, conn, reader, writer, first: bool) -> Request | None:
        """The whole request, or None when the client closed (or idled out) between requests."""
        limits = self.limits
        loop = asyncio.get_running_loop()
        wait = limits.header_timeout if first else limits.keepalive_timeout
        head = await self._next_event(
            conn, reader, deadline=loop.time() + wait, quiet_if_empty=True, cap=limits.max_header_bytes
        )
        if head is None:
            return None
        if not isinstance(head, h11.Request):
            raise Refuse(400)
        declared = _content_length(head)
        if declared is not None and declared > limits.max_body_bytes:
            raise Refuse(413, f"请求体 {declared} 字节，超过上限 {limits.max_body_bytes} 字节")
        if conn.client_is_waiting_for_100_continue:
            writer.write(conn.send(h11.InformationalResponse(status_code=100, headers=[])))
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        try:
            size = await self._read_body(conn, reader, body, deadline=loop.time() + limits.body_timeout)
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return Request(head, body, size)

    async def _read_body(self, conn, reader, body, *, deadline: float) -> int:
        size = 0
        while True:
            event = await self._next_event(conn, reader, deadline=deadline)
            if isinstance(event, h11.EndOfMessage):
                return size
            size += len(event.data)
            if size > self.limits.max_body_bytes:
                raise Refuse(413, f"请求体超过上限 {self.limits.max_body_bytes} 字节")
            body.write(event.data)

    async def _next_event(self, conn, reader, *, deadline: float, quiet_if_empty: bool = False, cap=None):
        """The next h11 event within `deadline`; `cap` bounds the bytes read for it (h11 bounds only an
        event still incomplete after a read, so a big head arriving in one read would pass)."""
        loop = asyncio.get_running_loop()
        received = 0
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                raise Refuse(431 if exc.error_status_hint == 431 else 400) from exc
            if event is not h11.NEED_DATA:
                if isinstance(event, h11.ConnectionClosed):
                    if quiet_if_empty and not conn.trailing_data[0]:
                        return None
                    raise Refuse(400)
                return event
            timeout = min(deadline - loop.time(), self.limits.idle_timeout)
            try:
                async with asyncio.timeout(max(0.0, timeout)):  # no extra task, unlike wait_for on 3.11
                    data = await reader.read(CHUNK)
            except TimeoutError:
                if quiet_if_empty and conn.their_state is h11.IDLE and not conn.trailing_data[0]:
                    return None
                raise Refuse(408) from None
            received += len(data)
            if cap is not None and received > cap:
                raise Refuse(431)
            conn.receive_data(data)

    async def _forward(self, conn, writer, request: Request, peer, local) -> None:
        try:
            async with asyncio.timeout(self.limits.upstream_timeout):
                response, body = await self._upstream(request, peer, local)
        except (FileNotFoundError, ConnectionRefusedError):
            await self._answer_problem(conn, writer, 503)
            return
        except (
            TimeoutError,
            OSError,
            ValueError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
        ) as exc:
            log.warning("front: upstream failed for %s %s: %r", request.head.method, request.head.target, exc)
            await self._answer_problem(conn, writer, 502)
            return
        try:
            await self._answer(conn, writer, request.head, response, body)
        finally:
            body.close()

    async def _upstream(self, request: Request, peer, local):
        """One request to gunicorn and its whole answer. Written and read by hand, not with h11: the request
        was validated by h11 on the client side, and h11 cost twice the rest of the front's work here."""
        reader, writer = await asyncio.open_unix_connection(
            self.upstream, limit=self.limits.max_header_bytes * 2
        )
        try:
            out = [_proxy_line(peer, local), self._upstream_head(request, _unmapped(peer[0]))]
            while data := request.body.read(CHUNK):  # one write (one syscall) for a small request
                out.append(data)
                writer.write(b"".join(out))
                out = []
                await writer.drain()
            writer.write(b"".join(out))
            await writer.drain()
            return await _upstream_answer(reader, request.head.method)
        finally:
            writer.close()

    def _upstream_head(self, request: Request, client_ip: str) -> bytes:
        head = request.head
        lines = [b"%s %s HTTP/1.1" % (head.method, head.target)]
        has_host = False
        for name, value in head.headers.raw_items():
            lowered = name.lower()
            if lowered not in HOP_BY_HOP and lowered not in CLIENT_FORWARDING:
                has_host = has_host or lowered == b"host"
                lines.append(name + b": " + value)
        if not has_host:  # HTTP/1.0 without Host
            lines.append(b"Host: localhost")
        lines += [
            b"Content-Length: %d" % request.size,
            b"X-Forwarded-For: " + client_ip.encode(),
            b"X-Forwarded-Proto: " + self.scheme,
            b"Connection: close",
        ]
        return b"\r\n".join(lines) + b"\r\n\r\n"

    async def _answer(self, conn, writer, head: h11.Request, response: Answer, body) -> None:
        status, headers = response.status_code, response.headers  # gunicorn's own casing
        body.seek(0, 2)
        size = body.tell()
        body.seek(0)
        kept = [(n, v) for n, v in headers if n.lower() not in HOP_BY_HOP]
        no_body = head.method == b"HEAD" or status in (204, 304) or status < 200
        if head.method == b"HEAD":
            kept += [(n, v) for n, v in headers if n.lower() == b"content-length"]
        elif not no_body:
            kept.append((b"Content-Length", b"%d" % size))
        answer = h11.Response(status_code=status, headers=kept, reason=response.reason)
        out = [conn.send(answer)]
        while not no_body and (data := body.read(CHUNK)):  # one write for a small answer
            out.append(conn.send(h11.Data(data=data)))
            await self._write(writer, b"".join(out))
            out = []
        out.append(conn.send(h11.EndOfMessage()))
        await self._write(writer, b"".join(out))

    async def _write(self, writer, data: bytes) -> None:
        writer.write(data)
        if writer.transport.get_write_buffer_size():  # drain only when the kernel did not take it all
            async with asyncio.timeout(self.limits.write_timeout):
                await writer.drain()

    async def _answer_problem(self, conn, writer, status: int, detail: str | None = None) -> None:
        if conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return  # an answer has started: nothing better to do than close
        headers, body = problem_bytes(status, detail or PROBLEMS[status][1])
        if status >= 500 and status != 503 or status in (400, 408, 413, 431):
            headers.append((b"connection", b"close"))
        try:
            answer = h11.Response(status_code=status, headers=headers, reason=HTTPStatus(status).phrase)
            await self._write(writer, conn.send(answer))
            await self._write(writer, conn.send(h11.Data(data=body)))
            await self._write(writer, conn.send(h11.EndOfMessage()))
        except h11.LocalProtocolError:
            await self._refuse_raw(writer, status, detail)

    async def _refuse_raw(self, writer, status: int, detail: str | None = None) -> None:
        """A problem answer outside any h11 state (over the connection limit, or a request h11 refused)."""
        headers, body = problem_bytes(status, detail or PROBLEMS[status][1])
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode()]
        lines += [n + b": " + v for n, v in headers] + [b"connection: close", b"", body]
        await self._write(writer, b"\r\n".join(lines))


def _content_length(head: h11.Request) -> int | None:
    for name, value in head.headers:
        if name == b"content-length":
            return int(value)
    return None


def _raise_fd_limit(wanted: int) -> None:
    """Each open client costs a descriptor: lift the soft limit (often 1,024) toward the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


async def front_serve(host: str, port: int, upstream: str, limits: Limits, scheme: str = "http") -> None:
    _raise_fd_limit(limits.max_connections * 2 + 64)  # a client and its upstream connection each
    front = Front(upstream, limits, scheme)
    server = await asyncio.start_server(front.serve, host, port, backlog=1024, limit=CHUNK * 4)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    kind = "uvloop" if type(loop).__module__.startswith("uvloop") else "asyncio"
    print(f"前置服务监听 {host}:{port} → {upstream}（事件循环 {kind}）", flush=True)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m xinyong.ops.front", description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True, help="HOST:PORT")
    parser.add_argument("--upstream", required=True, help="gunicorn 的 unix socket 路径")
    parser.add_argument("--scheme", default="http", choices=["http", "https"])
    parser.add_argument("--max-body-bytes", type=int, default=Limits.max_body_bytes)
    parser.add_argument("--header-timeout", type=float, default=Limits.header_timeout)
    parser.add_argument("--body-timeout", type=float, default=Limits.body_timeout)
    parser.add_argument("--write-timeout", type=float, default=Limits.write_timeout)
    parser.add_argument(
        "--loop", default="uvloop", choices=sorted(LOOPS), help="事件循环：uvloop（默认，C 实现）或 asyncio"
    )
    args = parser.parse_args(argv)
    host, _, port = args.bind.rpartition(":")
    limits = Limits(
        max_body_bytes=args.max_body_bytes,
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        write_timeout=args.write_timeout,
    )
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    with asyncio.Runner(loop_factory=LOOPS[args.loop]()) as runner:
        runner.run(front_serve(host.strip("[]"), int(port), args.upstream, limits, args.scheme))


def _uvloop():
    import uvloop

    return uvloop.new_event_loop


# The event loop (ADR 0048): uvloop does the front's many system calls per request from C; asyncio's own loop
# stays selectable.
LOOPS = {"uvloop": _uvloop, "asyncio": lambda: asyncio.new_event_loop}


if __name__ == "__main__":
    main()
