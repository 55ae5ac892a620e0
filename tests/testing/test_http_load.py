"""The load client used by the web benchmark and the dropped-connection test."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.server
import threading
from collections.abc import Iterator

import pytest

from offlabel.testing.http_load import request_bytes, run_load


class _Ok(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _load(port: int) -> int:
    request = request_bytes("/", host=f"127.0.0.1:{port}")
    result = run_load("127.0.0.1", port, lambda n: request, connections=2, max_requests=20)
    assert result.errors == 0
    return result.statuses[200]


def test_counts_every_response(port: int) -> None:
    assert _load(port) == 20


def test_runs_where_an_event_loop_is_already_running(port: int) -> None:
    """Playwright's sync API leaves a running loop in a test process; the load still runs."""

    async def inside_a_loop() -> int:
        return _load(port)

    # On a thread of its own: this worker may already hold a loop left by a browser test.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == 20


def test_refuses_a_host_other_than_the_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_load("192.0.2.1", 80, lambda n: b"", max_requests=1)
