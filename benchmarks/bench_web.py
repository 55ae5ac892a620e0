"""The web site under load, as in production: gunicorn on 127.0.0.1, production settings.

For each code tree measured (this one, and the tree named by ``BENCH_WEB_BASELINE`` when set:
a ``src`` directory of an earlier commit, e.g. from ``git archive``), the benchmark

1. creates a scratch database (PostgreSQL beside ``DATABASE_URL`` when that names one,
   otherwise a SQLite file in a temporary directory) and loads the demo into it with that
   tree's own ``offlabel demo``;
2. starts the server as in production: ``offlabel serve --production`` for this tree; for the
   baseline, which may have no such command, gunicorn with the very arguments
   ``serve --production`` uses (:func:`offlabel.commands.site.gunicorn_argv`);
3. drives it with the bounded asyncio keep-alive client (:mod:`offlabel.testing.http_load`),
   ``BENCH_WEB_CONNECTIONS`` (32) connections for ``BENCH_WEB_SECONDS`` (20) s each, after a
   short warm-up, against (c) a bare Django view returning a constant page under the same
   server, settings and middleware (``benchmarks/web_reference``), (a) the published LDN-for-ALS
   review page, (b) the DM topic page with its registry panels and (d) the same review from the
   JSON API (``/api/v1/reviews/…``), as an anonymous reader behind a TLS proxy
   (``X-Forwarded-Proto: https``);
4. prints throughput, p50, p99 and errors (any response but 200, or none), and the
   throughput ratios a/c, b/c and d/c from the same run.

The load average is printed before each tree: the machine is shared, so compare runs made
under similar load. Nothing here asserts a time.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from offlabel.commands.site import default_workers, gunicorn_argv
from offlabel.testing.http_load import LoadResult, request_bytes, run_load

HERE = Path(__file__).resolve().parent
THIS_SRC = HERE.parent / "src"
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("BENCH_WEB_CONNECTIONS", "32"))
WARMUP_SECONDS = 2.0
#: How long the server may take to start: checks, migrations, static files, and the warm-up
#: (offlabel.web.config.warmup) gunicorn runs once before forking, slower on a loaded machine.
START_SECONDS = 180.0
#: gunicorn workers; by default what ``serve --production`` picks (2 × CPUs + 1).
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "0")) or default_workers()
THREADS = int(os.environ.get("BENCH_WEB_THREADS", "1"))
TARGETS = [
    ("bare view (c)", "/bench/bare/"),
    ("review page (a)", "/reviews/low-dose-naltrexone-als/"),
    ("topic page (b)", "/topics/low-dose-naltrexone-degenerative-myelopathy/"),
    ("review API (d)", "/api/v1/reviews/low-dose-naltrexone-als"),
]
HEADERS = {"X-Forwarded-Proto": "https", "Accept": "text/html"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _database(label: str, workdir: Path) -> Iterator[str]:
    """A scratch database URL, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / f'{label}.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'offlabel'}_bench_{label}"
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(src: Path, database_url: str, var: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "REDIS_URL")
    }
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(src), str(HERE)]),
            "DATABASE_URL": database_url,
            "OFFLABEL_VAR_DIR": str(var),
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")


def _wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    probe = request_bytes("/bench/bare/", headers=HEADERS)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(probe)
                if sock.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    tail = log.read_text()[-3000:]
    raise SystemExit(f"the server did not answer within {START_SECONDS:.0f} s:\n{tail}")


@contextlib.contextmanager
def _server(src: Path, label: str, workdir: Path, database_url: str) -> Iterator[int]:
    """The demo in a scratch database, served by gunicorn as in production, on a free port."""
    var = workdir / f"var-{label}"
    env = _environment(src, database_url, var)
    offlabel = [sys.executable, "-m", "offlabel"]
    _run([*offlabel, "demo"], {**env, "DJANGO_SETTINGS_MODULE": "web_reference.settings"}, workdir)
    port = _free_port()
    env["DJANGO_SETTINGS_MODULE"] = "web_reference.settings"
    if src == THIS_SRC:
        argv = [*offlabel, "serve", "--production", "--host", "127.0.0.1", "--port", str(port)]
        argv += ["--workers", str(WORKERS), "--threads", str(THREADS)]
    else:
        _run([sys.executable, "-m", "django", "collectstatic", "--noinput"], env, workdir)
        argv = gunicorn_argv(host="127.0.0.1", port=port, workers=WORKERS, threads=THREADS)
    log = workdir / f"server-{label}.log"
    with log.open("wb") as out:
        server = subprocess.Popen(argv, env=env, cwd=workdir, stdout=out, stderr=out)
    try:
        _wait_until_up(port, server, log)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _load(port: int, path: str, seconds: float) -> LoadResult:
    request = request_bytes(path, headers=HEADERS)
    return run_load("127.0.0.1", port, lambda _n: request, connections=CONNECTIONS, seconds=seconds)


def _errors(result: LoadResult) -> int:
    return result.transport_errors + sum(n for s, n in result.statuses.items() if s != 200)


def _measure(label: str, src: Path, workdir: Path) -> dict[str, LoadResult]:
    print(f"\n[{label}] code: {src}; load average before: {os.getloadavg()}", flush=True)
    results: dict[str, LoadResult] = {}
    with (
        _database(label, workdir) as database_url,
        _server(src, label, workdir, database_url) as port,
    ):
        for name, path in TARGETS:
            _load(port, path, WARMUP_SECONDS)
            results[name] = _load(port, path, SECONDS)
            r = results[name]
            print(
                f"  {name:<16} {r.throughput:8.1f} req/s  p50 {r.percentile(50) * 1000:7.1f} ms"
                f"  p99 {r.percentile(99) * 1000:7.1f} ms  errors {_errors(r)}"
                f"  ({r.requests} responses, statuses {dict(r.statuses)})",
                flush=True,
            )
    bare = results[TARGETS[0][0]].throughput
    for name, _ in TARGETS[1:]:
        print(f"  ratio {name} / bare view: {results[name].throughput / bare:.2f}")
    print(f"  load average after: {os.getloadavg()}", flush=True)
    return results


def main() -> None:
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    print(
        f"{CONNECTIONS} connections, {SECONDS:.0f} s per page after {WARMUP_SECONDS:.0f} s warm-up;"
        f" gunicorn {WORKERS} workers; {database}; {os.cpu_count()} CPUs"
    )
    workdir = Path(tempfile.mkdtemp(prefix="offlabel-bench-web-"))
    try:
        trees = [("after", THIS_SRC)]
        baseline = os.environ.get("BENCH_WEB_BASELINE")
        if baseline:
            trees.insert(0, ("before", Path(baseline).resolve()))
        measured = {label: _measure(label, src, workdir) for label, src in trees}
        if len(measured) == 2:
            print("\n  page              before req/s  after req/s   before p99   after p99")
            for name, _ in TARGETS:
                b, a = measured["before"][name], measured["after"][name]
                print(
                    f"  {name:<16} {b.throughput:12.1f} {a.throughput:12.1f}"
                    f" {b.percentile(99) * 1000:9.1f} ms {a.percentile(99) * 1000:8.1f} ms"
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
