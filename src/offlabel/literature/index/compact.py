"""Merge the term postings of many partitions into a few large segments sorted by term.

A scan writes one postings file per input file. A search filters every postings file by
term, and each file costs DuckDB about half a millisecond to open and plan however few rows
it holds: over the ~1,300 files of a PubMed baseline that alone is most of a second.
Compaction merges the per-file postings, up to :data:`FILES_PER_SEGMENT` files at a time, into
``segments/<n>.parquet`` sorted by term, where row-group statistics let a search read only
the few row groups holding its terms. The partitions themselves (``records/``) are not
touched, and a posting keeps its ``source_file``, so versions resolve as before.

Each file's manifest entry names its segment. When the file changes and is scanned again,
its old postings are dropped from the segment (:func:`drop_from_segment`), so no stale term
can make a record match. A crash part-way leaves postings at most twice (a segment and the
per-file file), which a search counts once.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from offlabel.literature.index.layout import (
    MANIFEST,
    SEGMENTS_DIR,
    TERMS_DIR,
    FileEntry,
    IndexFormatError,
    Manifest,
    connect,
    sql_literal,
)
from offlabel.literature.index.rows import partition_name

__all__ = [
    "COMPACT_AT",
    "FILES_PER_SEGMENT",
    "CompactSummary",
    "compact",
    "drop_from_segment",
    "pending_files",
]

#: Most per-file postings merged into one segment (a baseline file has ~3M postings).
FILES_PER_SEGMENT = 100
#: A scan compacts by itself once this many per-file postings files have accumulated.
COMPACT_AT = 64
_ROW_GROUP = 100_000


@dataclass
class CompactSummary:
    files_merged: int = 0
    segments_written: int = 0
    postings: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.files_merged} postings file(s) merged into {self.segments_written} "
            f"segment(s), {self.postings} posting(s) ({self.seconds:.1f} s)"
        )


def pending_files(index_dir: Path) -> list[Path]:
    """Per-file postings not yet merged into a segment, in file-name order."""
    return sorted((index_dir / TERMS_DIR).glob("*.parquet"))


def compact(index_dir: str | Path, *, files_per_segment: int = FILES_PER_SEGMENT) -> CompactSummary:
    """Merge every per-file postings file of ``index_dir`` into new segments.

    Parameters
    ----------
    index_dir
        An index written by :func:`~offlabel.literature.index.scan.scan`.
    files_per_segment
        Most per-file postings files merged into one segment.

    Returns
    -------
    CompactSummary

    Raises
    ------
    IndexFormatError
        ``index_dir`` is not an index (nothing in it is touched).
    """
    if files_per_segment < 1:
        raise ValueError(f"files_per_segment must be at least 1, got {files_per_segment}")
    started = time.perf_counter()
    directory = Path(index_dir)
    if not (directory / MANIFEST).exists():
        raise IndexFormatError(f"{directory}: not a literature index (no {MANIFEST})")
    manifest = Manifest.load(directory)
    by_partition = {partition_name(Path(name)): name for name in manifest.files}
    summary = CompactSummary()
    pending = pending_files(directory)
    segments = directory / SEGMENTS_DIR
    segments.mkdir(exist_ok=True)
    number = 1 + max(
        (int(p.stem) for p in segments.glob("*.parquet") if p.stem.isdigit()), default=0
    )
    spill = directory / ".compact-tmp"  # a sort larger than memory spills beside the index
    with connect() as db:
        db.execute(f"SET temp_directory = {sql_literal(spill)}")
        for start in range(0, len(pending), files_per_segment):
            batch = pending[start : start + files_per_segment]
            target = segments / f"{number:06d}.parquet"
            temporary = segments / f".{target.name}.tmp"
            sources = ", ".join(sql_literal(path) for path in batch)
            db.execute(
                f"COPY (SELECT term, pmid, source_file FROM read_parquet([{sources}]) "  # noqa: S608 - quoted paths
                f"ORDER BY term, pmid) TO {sql_literal(temporary)} "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {_ROW_GROUP})"
            )
            os.replace(temporary, target)
            row = db.execute(
                f"SELECT count(*) FROM read_parquet({sql_literal(target)})"  # noqa: S608 - quoted
            ).fetchone()
            summary.postings += int(row[0]) if row else 0
            # the manifest first, then the merged files: a crash in between only duplicates
            for path in batch:
                name = by_partition.get(path.name)
                if name is not None:
                    manifest.files[name] = replace(
                        manifest.files[name], segment=f"{SEGMENTS_DIR}/{target.name}"
                    )
            manifest.save(directory)
            for path in batch:
                path.unlink()
            summary.files_merged += len(batch)
            summary.segments_written += 1
            number += 1
    shutil.rmtree(spill, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def drop_from_segment(index_dir: Path, entry: FileEntry) -> None:
    """Remove ``entry``'s postings from its segment (before its new postings count)."""
    if not entry.segment:
        return
    segment = index_dir / entry.segment
    if not segment.exists():
        return
    temporary = segment.with_name(f".{segment.name}.tmp")
    with connect() as db:
        db.execute(
            f"COPY (SELECT * FROM read_parquet({sql_literal(segment)}) "  # noqa: S608 - quoted
            f"WHERE source_file <> {sql_literal(entry.name)} ORDER BY term, pmid) "
            f"TO {sql_literal(temporary)} "
            f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {_ROW_GROUP})"
        )
    os.replace(temporary, segment)
