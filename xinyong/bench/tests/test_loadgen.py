"""The check benchmark's Python load generator (bench/loadgen.py), on its own against a real HTTP server on
loopback: the check smoke test drives its servers with wrk when installed, so the fallback client is proved
here, in a fraction of a second instead of a second round of benchmark servers."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xinyong.bench import loadgen


class _Handler(BaseHTTPRequestHandler):
    """200 for GET /ok, 201 for POST /ok (its body read), 503 anywhere else; one connection per request."""

    def do_GET(self):
        self._answer(200 if self.path == "/ok" else 503)

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer(201 if self.path == "/ok" and self.headers["Authorization"] == "Bearer t" else 503)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_python_client_counts_only_2xx_answers_per_second(port):
    ok = [loadgen.get_request(port, "/ok"), loadgen.post_request(port, "/ok", {"主体": "京"}, "t")]
    run = loadgen.drive(port, ok + [loadgen.get_request(port, "/busy")], seconds=0.5, clients=2)
    statuses = run["statuses"]
    assert set(statuses) == {"200", "201", "503"}, run
    assert run["requests"] == sum(statuses.values())
    assert run["requests_per_s"] == round((statuses["200"] + statuses["201"]) / 0.5)
    assert 0 < run["p50_ms"] <= run["p99_ms"]


def test_a_server_that_answers_nothing_counts_as_zero_per_second(port):
    run = loadgen.drive(port, [loadgen.get_request(port, "/busy")], seconds=0.2, clients=1)
    assert set(run["statuses"]) == {"503"} and run["requests"] > 0 and run["requests_per_s"] == 0
