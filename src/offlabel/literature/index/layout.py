"""The on-disk layout of a literature index, and how versions of a PMID are resolved.

An index directory holds::

    manifest.json          what was scanned: per input file its size, mtime, counts
    records/<file>.parquet one partition per input file (RECORD_SCHEMA), never edited
    terms/<file>.parquet   the partition's term postings (see offlabel.literature.index.terms)
    segments/<n>.parquet   the postings of many partitions merged, sorted by term (see
                           offlabel.literature.index.compact); the manifest says which
    deletions/<file>.parquet  PMIDs withdrawn by that file's DeleteCitation (if any)
    overrides.parquet      (pmid, keep_file) for every PMID with more than one version or
                           a deletion: the partition whose row is current, NULL if deleted

Partitions are immutable, so scanning an update file never rewrites older partitions;
versions are resolved at query time by joining against ``overrides.parquet``, which is
rebuilt (one DuckDB pass over two narrow columns) at the end of every scan. The rule is
NCBI's: files are applied in file-name order (``pubmed25n0001`` … ``pubmed25n1400``), the
latest file holding a PMID wins, and a deletion removes every version in its own or an
earlier file. If a scan was interrupted before the rebuild, :func:`current_rows_sql`
resolves versions inline instead (slower, same answer).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
RECORDS_DIR = "records"
TERMS_DIR = "terms"
SEGMENTS_DIR = "segments"
DELETIONS_DIR = "deletions"
OVERRIDES = "overrides.parquet"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class FileEntry:
    """One scanned input file as the manifest remembers it."""

    name: str
    size: int
    mtime_ns: int
    records: int
    deletions: int
    problems: int
    partition: str
    #: the file holding its term postings when merged into a segment ("" = terms/<file>)
    segment: str = ""

    def matches(self, path: Path) -> bool:
        """``path`` looks unchanged since it was scanned (same size and modification time)."""
        stat = path.stat()
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass
class Manifest:
    """``manifest.json`` of an index directory."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    overrides_current: bool = True

    @classmethod
    def load(cls, index_dir: Path) -> Manifest:
        path = index_dir / MANIFEST
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT:
                raise ValueError(f"unknown manifest format {data.get('format')!r}")
            files = {name: FileEntry(**entry) for name, entry in data["files"].items()}
            return cls(files=files, overrides_current=bool(data["overrides_current"]))
        except (ValueError, KeyError, TypeError) as error:
            raise IndexFormatError(f"{path}: not a literature index manifest ({error})") from None

    def save(self, index_dir: Path) -> None:
        """Write atomically (temporary file, then rename), so a crash never leaves half a file."""
        data: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "overrides_current": self.overrides_current,
            "files": {name: vars(entry) for name, entry in sorted(self.files.items())},
        }
        write_atomically(index_dir / MANIFEST, json.dumps(data, indent=1).encode("utf-8"))


class IndexFormatError(ValueError):
    """The directory is not a literature index, or a file in it is damaged."""


def write_atomically(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _glob(index_dir: Path, sub: str) -> str:
    return str(index_dir / sub / "*.parquet").replace("'", "''")


def sql_literal(value: str | Path) -> str:
    """``value`` as a quoted SQL string literal (a path, a term), quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def connect() -> Any:
    """A DuckDB connection for reading or writing an index (no progress bar on stderr)."""
    import duckdb

    db = duckdb.connect()
    db.execute("SET enable_progress_bar = false")
    return db


def postings_sql(index_dir: Path) -> str:
    """``read_parquet`` of every term posting: the per-file postings and the segments."""
    globs = [
        f"'{_glob(index_dir, sub)}'"
        for sub in (TERMS_DIR, SEGMENTS_DIR)
        if any((index_dir / sub).glob("*.parquet"))
    ]
    if not globs:
        raise IndexFormatError(f"{index_dir}: no term postings ({TERMS_DIR}/, {SEGMENTS_DIR}/)")
    return f"read_parquet([{', '.join(globs)}])"


def has_deletions(index_dir: Path) -> bool:
    return any((index_dir / DELETIONS_DIR).glob("*.parquet"))


def overrides_sql(index_dir: Path) -> str:
    """SQL for the ``(pmid, keep_file)`` table described in the module docstring."""
    records = f"read_parquet('{_glob(index_dir, RECORDS_DIR)}')"
    deletions = (
        f"SELECT pmid, max(source_file) AS deleted_in FROM read_parquet('"  # noqa: S608 - quoted
        f"{_glob(index_dir, DELETIONS_DIR)}') GROUP BY pmid"
        if has_deletions(index_dir)
        else "SELECT NULL::BIGINT AS pmid, NULL::VARCHAR AS deleted_in WHERE false"
    )
    return f"""
        WITH versions AS (
            SELECT pmid, max(source_file) AS latest, count(*) AS n FROM {records} GROUP BY pmid
        ), deleted AS ({deletions})
        SELECT coalesce(v.pmid, d.pmid) AS pmid,
               CASE WHEN d.deleted_in IS NOT NULL
                         AND (v.latest IS NULL OR d.deleted_in >= v.latest) THEN NULL
                    ELSE v.latest END AS keep_file
        FROM versions v FULL OUTER JOIN deleted d ON v.pmid = d.pmid
        WHERE v.n > 1 OR d.pmid IS NOT NULL
    """  # noqa: S608 - only index paths (quotes escaped) are interpolated


def current_rows_sql(index_dir: Path, columns: str = "r.*") -> str:
    """SQL selecting the current version of every live record (``r`` aliases a partition row)."""
    records = f"read_parquet('{_glob(index_dir, RECORDS_DIR)}')"
    manifest = Manifest.load(index_dir)
    overrides_path = index_dir / OVERRIDES
    if manifest.overrides_current and overrides_path.exists():
        overrides = f"read_parquet({sql_literal(overrides_path)})"
    else:
        overrides = f"({overrides_sql(index_dir)})"
    return (
        f"SELECT {columns} FROM {records} r LEFT JOIN {overrides} o ON r.pmid = o.pmid "  # noqa: S608 - quoted
        f"WHERE o.pmid IS NULL OR r.source_file = o.keep_file"
    )
