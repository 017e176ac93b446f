"""gunicorn's side of the buffering front (ops/front.py, ADR 0016): the PROXY protocol line that tells
gunicorn the client's address, and gunicorn's answer read whole — its head, and its body spooled (to disk
past SPOOL_IN_MEMORY) whether it comes with a Content-Length, chunked, or up to the close."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 4 * 1024 * 1024


@dataclass
class Answer:
    status_code: int
    reason: bytes
    headers: list[tuple[bytes, bytes]]


async def _upstream_answer(reader: asyncio.StreamReader, method: bytes) -> tuple[Answer, object]:
    """gunicorn's answer: its head, and its body spooled whole (Content-Length, chunked, or to the close)."""
    answer = _answer_head(await reader.readuntil(b"\r\n\r\n"))
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        if not (method == b"HEAD" or answer.status_code in (204, 304) or answer.status_code < 200):
            await _answer_body(reader, answer, body)
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return answer, body


def _answer_head(raw: bytes) -> Answer:
    lines = raw[:-4].split(b"\r\n")
    version, status, *reason = lines[0].split(b" ", 2)
    if not version.startswith(b"HTTP/1.") or not status.isdigit():
        raise ValueError(f"not an HTTP answer: {lines[0][:80]!r}")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon:
            raise ValueError(f"bad header line: {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    return Answer(int(status), reason[0] if reason else b"", headers)


async def _answer_body(reader: asyncio.StreamReader, answer: Answer, body) -> None:
    fields = {name.lower(): value for name, value in answer.headers}
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16):
            await _copy(reader, body, size)
            await reader.readexactly(2)
        while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, dropped
            pass
    elif b"content-length" in fields:
        await _copy(reader, body, int(fields[b"content-length"]))
    else:  # gunicorn closes the connection after each answer
        while data := await reader.read(CHUNK):
            body.write(data)


async def _copy(reader: asyncio.StreamReader, body, size: int) -> None:
    while size > 0:
        data = await reader.read(min(CHUNK, size))
        if not data:
            raise asyncio.IncompleteReadError(b"", size)
        body.write(data)
        size -= len(data)


def _unmapped(ip: str) -> str:
    """The address without an IPv6 zone, and an IPv4 client on a dual-stack socket as plain IPv4."""
    ip = ip.split("%")[0]
    return ip[7:] if ip.startswith("::ffff:") and "." in ip else ip


def _proxy_line(peer, local) -> bytes:
    """PROXY protocol v1: gunicorn (--proxy-protocol v1) takes the client address from it."""
    client, server = _unmapped(peer[0]), _unmapped(local[0])
    if (":" in client) != (":" in server):  # one side mapped and the other not: say both in IPv6
        client, server = (ip if ":" in ip else f"::ffff:{ip}" for ip in (client, server))
    family = "TCP6" if ":" in client else "TCP4"
    return f"PROXY {family} {client} {server} {peer[1]} {local[1]}\r\n".encode()
