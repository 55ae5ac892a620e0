"""A host-local copy of the content version, so that a cached page costs no database query.

The database row (:class:`~offlabel.web.common.models.ContentVersion`) is the truth: writers move
it on inside their transaction. Asking it on every request costs a round trip, which on a small
machine costs as much as serving the whole cached page. So every process of a site that shares
one var directory (gunicorn's workers, ``manage.py run_huey``, the ``offlabel`` commands) also
keeps the newest version it knows in one small file there:

* a writer, once its transaction has committed (before its response goes out), raises the file
  to the version it wrote, so the very next request, in any process on the host, sees it;
* a reader takes the version from the file (one ``pread``), and asks the database again when
  its process has not done so for ``OFFLABEL_CONTENT_RECHECK_SECONDS`` (default 1): changes made
  by processes that do not share the file (a second app server, a command run with another var
  directory) show within that time.

The record is ``site, registry, changed_at`` (microseconds) and a CRC of the three; a torn or
damaged record reads as missing, and the reader asks the database.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import struct
import threading
import zlib
from pathlib import Path

VALUES = struct.Struct("<qqq")
RECORD = struct.Struct("<qqqI")


class VersionFile:
    """The file at ``path``, opened once per process (the descriptor survives ``fork``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._lock = threading.Lock()

    def _descriptor(self) -> int:
        if self._fd is None:
            with self._lock:
                if self._fd is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def read(self) -> tuple[int, int, dt.datetime] | None:
        """``(site, registry, changed_at)``, or ``None`` when there is no valid record."""
        data = os.pread(self._descriptor(), RECORD.size, 0)
        if len(data) != RECORD.size:
            return None
        site, registry, micros, check = RECORD.unpack(data)
        if check != zlib.crc32(VALUES.pack(site, registry, micros)):
            return None
        return site, registry, dt.datetime.fromtimestamp(micros / 1e6, dt.UTC)

    def raise_to(self, site: int, registry: int, changed_at: dt.datetime) -> None:
        """Store this version unless the file already holds a newer one (commits race)."""
        fd = self._descriptor()
        micros = int(changed_at.timestamp() * 1e6)
        record = RECORD.pack(
            site, registry, micros, zlib.crc32(VALUES.pack(site, registry, micros))
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            current = self.read()
            if current is None or site > current[0]:
                os.pwrite(fd, record, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def reset(self) -> None:
        """Forget the stored version (after a restore, the database may hold an older one)."""
        fd = self._descriptor()
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


_files: dict[str, VersionFile] = {}


def version_file(path: str | os.PathLike[str] | None) -> VersionFile | None:
    """This process's handle on the file at ``path`` (``None`` or empty: none, ask the database)."""
    if not path:
        return None
    key = str(path)
    found = _files.get(key)
    if found is None:
        found = _files.setdefault(key, VersionFile(Path(key)))
    return found
