"""A real HTTP receiver on 127.0.0.1 for webhook tests, and the Standard Webhooks check a receiver makes.

Each request takes the next planned answer (the last one repeats): an HTTP status, ``("redirect", url)``
or ``"hang"`` (read the request, then answer nothing until released)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


def verify_standard_webhook(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (Standard Webhooks): recompute the HMAC and compare in constant time."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [
        part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")
    ]
    return any(hmac.compare_digest(expected, sig) for sig in offered)


class Receiver:
    def __init__(self, *answers) -> None:
        self.answers = list(answers) or [200]
        self.received: list[Received] = []
        self.release = threading.Event()
        self.got_request = threading.Event()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def plan(self, *answers) -> None:
        with self._lock:
            self.answers = list(answers)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _next(self, request: Received):
        with self._lock:
            self.received.append(request)
            answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        self.got_request.set()
        return answer

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = receiver._next(Received(path=self.path, headers=headers, body=body))
                if answer == "hang":
                    receiver.release.wait(60)
                    self.close_connection = True
                    return
                if isinstance(answer, tuple):
                    self.send_response(302)
                    self.send_header("Location", answer[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                reply = b"ok" if answer < 300 else b"receiver error"
                self.send_response(answer)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        return Handler
