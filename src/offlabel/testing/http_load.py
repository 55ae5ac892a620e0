"""A bounded keep-alive HTTP/1.1 load client in plain asyncio, for the web benchmark and tests.

``connections`` clients each send one request, read the whole response, and send the next on
the same connection (re-connecting when the server closes it), until ``seconds`` pass or
``max_requests`` are sent: the loops are bounded in count and in time and stop by themselves.
Only loopback addresses are accepted. Latency is measured from sending (or connecting, when a
new connection is needed) to the last byte of the body.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Called with (request number, status, headers, body) for each complete response.
OnResponse = Callable[[int, int, dict[str, str], bytes], None]


@dataclass
class LoadResult:
    """What one load run saw; latencies in seconds, one per complete response."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Responses other than 2xx/3xx/304, plus requests without a complete response."""
        bad = sum(n for status, n in self.statuses.items() if status >= 400)
        return bad + self.transport_errors

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile latency (nearest rank), in seconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))
        return ordered[rank]


def request_bytes(
    path: str,
    *,
    host: str = "127.0.0.1",
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """One HTTP/1.1 request, keep-alive, as a client behind a TLS proxy would send it."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method not in ("GET", "HEAD"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        return status, headers, b"".join(chunks)
    length = int(headers.get("content-length", "0"))
    body = await reader.readexactly(length) if length else b""
    return status, headers, body


def _check_loopback(host: str) -> None:
    if host == "localhost":
        return
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the load client only talks to loopback addresses, not {host}")


async def _run(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    *,
    connections: int,
    seconds: float,
    max_requests: int,
    timeout: float,
    on_response: OnResponse | None,
) -> LoadResult:
    result = LoadResult(seconds=seconds)
    deadline = time.perf_counter() + seconds
    counter = iter(range(max_requests))

    async def client() -> None:
        stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        for number in counter:
            if time.perf_counter() >= deadline:
                break
            started = time.perf_counter()
            try:
                if stream is None:
                    stream = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
                reader, writer = stream
                writer.write(make_request(number))
                status, headers, body = await asyncio.wait_for(_read_response(reader), timeout)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                result.transport_errors += 1
                if stream is not None:
                    stream[1].close()
                stream = None
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            if on_response is not None:
                on_response(number, status, headers, body)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                stream = None
        if stream is not None:
            stream[1].close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


def _run_to_end(coroutine: Any) -> Any:
    """``asyncio.run``, in a thread of its own when this thread already runs an event loop
    (a caller driving a browser through Playwright's sync API keeps one running)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_load(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    *,
    connections: int = 32,
    seconds: float = 20.0,
    max_requests: int = 2_000_000,
    timeout: float = 10.0,
    on_response: OnResponse | None = None,
) -> LoadResult:
    """Drive ``host:port`` with ``connections`` keep-alive clients; see the module docstring.

    ``make_request(n)`` gives the bytes of request number ``n`` (see :func:`request_bytes`).
    """
    _check_loopback(host)
    return _run_to_end(
        _run(
            host,
            port,
            make_request,
            connections=connections,
            seconds=seconds,
            max_requests=max_requests,
            timeout=timeout,
            on_response=on_response,
        )
    )
