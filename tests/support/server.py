"""``offlabel serve --production`` in a subprocess on a free loopback port, for tests."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    port: int
    log: Path
    secret_key: str

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def run_offlabel(
    args: list[str], env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``offlabel ARGS`` in a subprocess with exactly ``env``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "offlabel", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return sock.recv(12).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


@contextlib.contextmanager
def production_server(
    workdir: Path,
    env: dict[str, str],
    *,
    workers: int = 2,
    secret_key: str | None = None,
    migrate: bool = False,
) -> Iterator[Server]:
    """Start the production server with ``env`` added to ours; stop it on leaving."""
    port = free_port()
    key = secret_key or secrets.token_urlsafe(48)
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(
        {
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "OFFLABEL_VAR_DIR": str(workdir / "var"),
            **env,
        }
    )
    argv = [sys.executable, "-m", "offlabel", "serve", "--production"]
    argv.append("--migrate" if migrate else "--no-migrate")
    argv += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=environment, stdout=out, stderr=subprocess.STDOUT)
    server = Server(port, log, key)
    try:
        deadline = time.monotonic() + 90
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{server.log_text()[-4000:]}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
