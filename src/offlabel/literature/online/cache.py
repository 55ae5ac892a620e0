"""A small on-disk cache of HTTP answers, keyed by URL, with a time to live.

SQLite from the standard library: one file, safe across processes, nothing to install.
Keys are :func:`~offlabel.literature.online.transport.public_url` of the request, so an
API key never lands in the cache file. Only successful (HTTP 200) answers are stored.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from offlabel.literature.online.transport import public_url

DEFAULT_TTL_SECONDS = 7 * 24 * 3600


def default_cache_dir() -> Path:
    """``$OFFLABEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/offlabel``, else ``~/.cache/offlabel``."""
    explicit = os.environ.get("OFFLABEL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "offlabel"


class ResponseCache:
    """Cached response bodies in ``directory/lookups.sqlite3``.

    Parameters
    ----------
    directory
        Where the cache file lives; created if missing.
    ttl_seconds
        Entries older than this are ignored (and replaced on the next store).
    clock
        Wall clock in seconds; tests pass a fake.

    Examples
    --------
    >>> import tempfile
    >>> cache = ResponseCache(Path(tempfile.mkdtemp()), ttl_seconds=60, clock=lambda: 0.0)
    >>> cache.put("https://x.test/a?api_key=k", b"body")
    >>> cache.get("https://x.test/a")
    b'body'
    """

    def __init__(
        self,
        directory: Path,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "lookups.sqlite3"
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS response "
                "(url TEXT PRIMARY KEY, stored_at REAL NOT NULL, body BLOB NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, url: str) -> bytes | None:
        """The stored body for ``url`` if it is younger than the TTL, else ``None``."""
        with self._connect() as db:
            row = db.execute(
                "SELECT stored_at, body FROM response WHERE url = ?", (public_url(url),)
            ).fetchone()
        if row is None or self._clock() - float(row[0]) > self.ttl_seconds:
            return None
        return bytes(row[1])

    def put(self, url: str, body: bytes) -> None:
        """Store ``body`` for ``url`` (replacing any older entry)."""
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO response (url, stored_at, body) VALUES (?, ?, ?)",
                (public_url(url), self._clock(), body),
            )

    def clear(self) -> None:
        """Forget everything."""
        with self._connect() as db:
            db.execute("DELETE FROM response")
