"""Scan a directory of PubMed baseline/update files into a partitioned Parquet index.

Each input file becomes one Parquet partition, written by a Dask worker: local processes
by default (a :class:`distributed.LocalCluster`), or the workers of a running
``dask.distributed`` scheduler when its address is given (they must see the input and
index directories at the same paths, e.g. on a shared file system). Scans are
incremental: a file already in the manifest with the same size and modification time is
skipped. Once many files' term postings have accumulated, the scan merges them into segments
(:mod:`offlabel.literature.index.compact`). Update files, deletions and the resolution of
PMID versions are described in :mod:`offlabel.literature.index.layout`.

A worker reads a file :data:`BATCH_RECORDS` records at a time: the batch is classified
(:func:`~offlabel.literature.classify_batch.classify_many`), built into Arrow columns
(:func:`~offlabel.literature.index.rows.records_table`), sorted by PMID and appended to the
partition, and its term postings are added (:class:`~offlabel.literature.index.postings.
Postings`, about 10 bytes a posting, the only thing kept until the file ends). So a worker's
memory does not grow with the file's records, only with its postings. A baseline file holds
its PMIDs in ascending order, so its partition is sorted by PMID throughout; an update file's
partition is sorted within each batch.

A file that cannot be read (truncated gzip, malformed XML) gets no partition at all — the
other files are still indexed — and is reported in :attr:`ScanSummary.failed`; the next
scan tries it again. Articles without a usable PMID or title are skipped and counted in
:attr:`ScanSummary.problems`.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from offlabel.literature.classify_batch import classify_many
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.index.compact import (
    COMPACT_AT,
    compact,
    drop_from_segment,
    pending_files,
)
from offlabel.literature.index.layout import (
    DELETIONS_DIR,
    OVERRIDES,
    RECORDS_DIR,
    TERMS_DIR,
    FileEntry,
    Manifest,
    connect,
    overrides_sql,
    sql_literal,
)
from offlabel.literature.index.postings import Postings
from offlabel.literature.index.rows import (
    RECORD_SCHEMA,
    deletion_table,
    partition_name,
    records_table,
)
from offlabel.literature.index.terms import TERM_SCHEMA
from offlabel.literature.parsers.pubmed import iter_pubmed
from offlabel.literature.records import Deletion, Record

#: Input files: today's baseline/update names end in ``.xml.gz``; plain ``.xml`` also works.
PATTERNS = ("*.xml.gz", "*.xml")
#: A scheduler value meaning "no Dask: scan in this process, one file after another".
SYNCHRONOUS = "synchronous"


@dataclass(frozen=True)
class FileResult:
    """What one worker did with one input file."""

    name: str
    size: int
    mtime_ns: int
    records: int = 0
    deletions: int = 0
    problems: int = 0
    seconds: float = 0.0
    error: str | None = None
    #: CPU time of the worker process while it read the file (less sensitive to other load)
    cpu_seconds: float = 0.0


@dataclass
class ScanSummary:
    """The outcome of :func:`scan`."""

    index_dir: Path
    files_scanned: int = 0
    files_skipped: int = 0
    records: int = 0
    deletions: int = 0
    problems: int = 0
    live_records: int = 0
    segments_written: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        text = (
            f"{self.files_scanned} file(s) scanned, {self.files_skipped} skipped; "
            f"{self.records} record(s), {self.deletions} deletion(s)"
        )
        if self.problems:
            text += f", {self.problems} unusable article(s) skipped"
        text += f"; {self.live_records} live record(s) in {self.index_dir}"
        if self.segments_written:
            text += f"; postings merged into {self.segments_written} new segment(s)"
        if self.failed:
            text += f"; {len(self.failed)} file(s) FAILED"
        return f"{text} ({self.seconds:.1f} s)"


def input_files(baseline_dir: Path) -> list[Path]:
    """The input files under ``baseline_dir`` in NCBI's order (file name order).

    Raises
    ------
    FileNotFoundError
        ``baseline_dir`` is not a directory.
    ValueError
        Two files would share a partition (``x.xml`` and ``x.xml.gz``).
    """
    if not baseline_dir.is_dir():
        raise FileNotFoundError(f"{baseline_dir}: not a directory")
    found = {path for pattern in PATTERNS for path in baseline_dir.glob(pattern) if path.is_file()}
    files = sorted(found, key=lambda path: path.name)
    partitions: dict[str, Path] = {}
    for path in files:
        other = partitions.setdefault(partition_name(path), path)
        if other != path:
            raise ValueError(f"{other.name} and {path.name} are the same file twice; keep one")
    return files


# the postings' columns Parquet dictionary-encodes: not the PMIDs, which repeat only as often
# as a record has terms (plain, they halve the file and its writing time; measured)
_TERM_DICTIONARY = ["term", "source_file"]

#: Records parsed, classified and written at a time: memory stays flat whatever the file's size.
BATCH_RECORDS = 4_096


class _PartitionWriter:
    """A partition's rows, written batch by batch, and what the postings need of them."""

    def __init__(self, source: Path, out: Path) -> None:
        self.name = source.name
        self.target = out / RECORDS_DIR / partition_name(source)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.temporary = self.target.with_name(f".{self.target.name}.{os.getpid()}.tmp")
        self.writer: pq.ParquetWriter | None = None
        self.postings = Postings(source_file=self.name)
        self.pmids: list[np.ndarray] = []
        self.batches: list[int] = []  # rows written per batch

    def add(self, records: list[Record]) -> None:
        """Classify, tabulate and write one batch (sorted by PMID, a PMID's last row kept)."""
        abstracts = [record.abstract_text for record in records]
        table = records_table(records, abstracts, classify_many(records), self.name)
        keep = _last_row_per_pmid(table)
        table = table.take(pa.array(keep))
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.temporary, RECORD_SCHEMA, compression="zstd")
        # small row groups sorted by PMID: a search reads only the groups it needs
        self.writer.write_table(table, row_group_size=2_000)
        self.postings.add(table.column("title"), table.column("abstract"), table.column("mesh"))
        self.pmids.append(table.column("pmid").to_numpy())
        self.batches.append(table.num_rows)

    def finish(self, out: Path) -> int:
        """Put the partition and its postings in place; return the number of records kept."""
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.temporary, RECORD_SCHEMA, compression="zstd")
        self.writer.close()
        pmids = np.concatenate(self.pmids) if self.pmids else np.zeros(0, np.int64)
        keep = _kept_across_batches(pmids, self.batches)
        if keep is not None:  # a PMID in two batches of one file: only its last row stays
            self._drop_rows(keep)
        terms = out / TERMS_DIR / partition_name(Path(self.name))
        terms.parent.mkdir(parents=True, exist_ok=True)
        temporary = terms.with_name(f".{terms.name}.{os.getpid()}.tmp")
        try:
            with pq.ParquetWriter(
                temporary, TERM_SCHEMA, compression="zstd", use_dictionary=_TERM_DICTIONARY
            ) as writer:
                for table in self.postings.tables(pmids, keep):
                    writer.write_table(table, row_group_size=20_000)
            os.replace(temporary, terms)
        finally:
            temporary.unlink(missing_ok=True)
        os.replace(self.temporary, self.target)
        return len(pmids) if keep is None else int(keep.sum())

    def _drop_rows(self, keep: np.ndarray) -> None:
        """Rewrite the written rows without those ``keep`` marks False (one batch at a time)."""
        source = pq.ParquetFile(self.temporary)
        rewritten = self.temporary.with_name(self.temporary.name + ".2")
        with pq.ParquetWriter(rewritten, RECORD_SCHEMA, compression="zstd") as writer:
            start = 0
            for group in range(source.num_row_groups):
                part = source.read_row_group(group)
                mask = keep[start : start + part.num_rows]
                start += part.num_rows
                writer.write_table(part.filter(pa.array(mask)), row_group_size=2_000)
        source.close()
        os.replace(rewritten, self.temporary)

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.temporary.unlink(missing_ok=True)


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Python's cycle collector off while a file is read: records form no cycles, and its
    passes over hundreds of thousands of live objects cost ~7% of a scan (measured)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def scan_file(path: str, index_dir: str) -> FileResult:
    """Parse one input file and write its partition (and deletions) under ``index_dir``.

    Records are read, classified (:func:`~offlabel.literature.classify_batch.classify_many`),
    turned into Arrow columns and written :data:`BATCH_RECORDS` at a time; only the term
    postings of the whole file are kept until the end (as integers, about 10 bytes each), to
    be written sorted by term.

    Runs on a Dask worker, so it takes and returns plain, picklable values and never
    raises for bad input: a file that cannot be read comes back with ``error`` set and
    leaves nothing behind.
    """
    with _without_cycle_collector():
        return _scan_file(Path(path), Path(index_dir))


def _scan_file(source: Path, out: Path) -> FileResult:
    started = time.perf_counter()
    started_cpu = time.process_time()
    stat = source.stat()
    name = source.name
    partition = _PartitionWriter(source, out)
    batch: list[Record] = []
    deleted: list[int] = []
    problems: list[LiteratureParseError] = []
    try:
        # one thread per file: the scan's parallelism is its worker processes
        for item in iter_pubmed(source, on_problem=problems.append, parse_ahead=False):
            if isinstance(item, Deletion):
                if item.pmid.isdigit():
                    deleted.append(int(item.pmid))
                else:
                    problems.append(LiteratureParseError("DeleteCitation with a non-numeric PMID"))
            elif item.pmid is not None and item.pmid.isdigit():
                batch.append(item)
                if len(batch) == BATCH_RECORDS:
                    partition.add(batch)
                    batch = []
            else:
                problems.append(LiteratureParseError(f"non-numeric PMID {item.pmid!r}"))
        if batch:
            partition.add(batch)
        records = partition.finish(out)
        deletions_path = out / DELETIONS_DIR / partition_name(source)
        if deleted:
            _write_parquet(deletion_table(deleted, name), deletions_path)
        else:
            deletions_path.unlink(missing_ok=True)
    except (LiteratureParseError, OSError) as error:
        partition.discard()
        return FileResult(name, stat.st_size, stat.st_mtime_ns, error=str(error))
    return FileResult(
        name,
        stat.st_size,
        stat.st_mtime_ns,
        records=records,
        deletions=len(deleted),
        problems=len(problems),
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - started_cpu,
    )


def _last_row_per_pmid(table: pa.Table) -> np.ndarray:
    """Row numbers to keep, in PMID order: the last row of a PMID that occurs twice."""
    pmids = table.column("pmid").to_numpy()
    _, reversed_first = np.unique(pmids[::-1], return_index=True)
    return len(pmids) - 1 - reversed_first  # np.unique sorts by PMID


def _kept_across_batches(pmids: np.ndarray, batches: list[int]) -> np.ndarray | None:
    """Which written rows to keep when a PMID is in more than one batch (``None``: all).

    Each batch holds a PMID once; of a PMID in several batches the last batch's row stays.
    """
    if len(batches) < 2 or len(np.unique(pmids)) == len(pmids):
        return None
    batch_of = np.repeat(np.arange(len(batches)), batches)
    order = np.lexsort((batch_of, pmids))  # by PMID, then batch
    ordered = pmids[order]
    last = np.ones(len(pmids), bool)
    last[:-1] = ordered[1:] != ordered[:-1]
    keep = np.zeros(len(pmids), bool)
    keep[order[last]] = True
    return keep


def _write_parquet(table: pa.Table, path: Path, row_group_size: int = 50_000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, temporary, compression="zstd", row_group_size=row_group_size)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def rebuild_overrides(index_dir: Path) -> int:
    """Rewrite ``overrides.parquet``; return the number of live records in the index."""
    records_glob = index_dir / RECORDS_DIR
    if not any(records_glob.glob("*.parquet")):
        (index_dir / OVERRIDES).unlink(missing_ok=True)
        return 0
    target = index_dir / OVERRIDES
    temporary = index_dir / f".{OVERRIDES}.tmp"
    with connect() as db:
        # sorted: DuckDB's parallel join returns rows in any order, and the same index must
        # come out of the same files however the scan was scheduled
        db.execute(
            f"COPY (SELECT * FROM ({overrides_sql(index_dir)}) ORDER BY pmid) "  # noqa: S608 - quoted
            f"TO {sql_literal(temporary)} (FORMAT parquet, COMPRESSION zstd)"
        )
        os.replace(temporary, target)
        from offlabel.literature.index.layout import current_rows_sql

        manifest = Manifest.load(index_dir)
        manifest.overrides_current = True
        manifest.save(index_dir)
        row = db.execute(
            f"SELECT count(*) FROM ({current_rows_sql(index_dir, 'r.pmid')})"  # noqa: S608 - quoted
        ).fetchone()
    return int(row[0]) if row else 0


def scan(
    baseline_dir: str | Path,
    out_dir: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    *,
    on_file: Callable[[FileResult], None] | None = None,
    compact_at: int = COMPACT_AT,
) -> ScanSummary:
    """Index every new or changed PubMed XML file of ``baseline_dir`` into ``out_dir``.

    Parameters
    ----------
    baseline_dir
        Directory of ``*.xml.gz`` / ``*.xml`` files (baseline and update files together).
    out_dir
        Index directory; created if missing.
    workers
        Worker processes of the local cluster (default: the machine's CPU count, at most
        one per file to scan). Ignored when ``scheduler`` is an address.
    scheduler
        ``None`` for a local cluster of processes; a ``dask.distributed`` scheduler address
        (``tcp://host:8786``) to use its workers; ``"synchronous"`` to scan in this process.
    progress
        Show a progress bar (on stderr) as files complete.
    on_file
        Called in this process with each file's :class:`FileResult` as it completes.
    compact_at
        Merge the per-file term postings into segments
        (:func:`~offlabel.literature.index.compact.compact`) once this many await it.

    Returns
    -------
    ScanSummary

    Examples
    --------
    >>> summary = scan("baseline/", "index/", workers=2)  # doctest: +SKIP
    >>> print(summary.line())  # doctest: +SKIP
    2 file(s) scanned, 0 skipped; 60000 record(s), 0 deletion(s); 60000 live record(s) ...
    """
    started = time.perf_counter()
    source_dir, index_dir = Path(baseline_dir), Path(out_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(index_dir)
    summary = ScanSummary(index_dir=index_dir)
    todo: list[Path] = []
    for path in input_files(source_dir):
        entry = manifest.files.get(path.name)
        partition = index_dir / RECORDS_DIR / partition_name(path)
        if entry is not None and entry.matches(path) and partition.exists():
            summary.files_skipped += 1
        else:
            todo.append(path)

    if todo:
        manifest.overrides_current = False
        manifest.save(index_dir)
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="file", desc="scan", disable=not progress)
        with bar:
            for result in _run(todo, index_dir, workers, scheduler):
                _record(result, manifest, summary, index_dir)
                bar.update(1)
                bar.set_postfix(records=summary.records, refresh=False)
                if on_file is not None:
                    on_file(result)
    if todo or not manifest.overrides_current or not (index_dir / OVERRIDES).exists():
        summary.live_records = rebuild_overrides(index_dir)
    else:
        summary.live_records = _count_live(index_dir)
    if len(pending_files(index_dir)) >= compact_at:
        summary.segments_written = compact(index_dir).segments_written
    summary.seconds = time.perf_counter() - started
    return summary


def _record(result: FileResult, manifest: Manifest, summary: ScanSummary, index_dir: Path) -> None:
    if result.error is not None:
        summary.failed.append((result.name, result.error))
        return
    previous = manifest.files.get(result.name)
    if previous is not None:
        drop_from_segment(index_dir, previous)  # its new postings replace the merged ones
    summary.files_scanned += 1
    summary.records += result.records
    summary.deletions += result.deletions
    summary.problems += result.problems
    manifest.files[result.name] = FileEntry(
        name=result.name,
        size=result.size,
        mtime_ns=result.mtime_ns,
        records=result.records,
        deletions=result.deletions,
        problems=result.problems,
        partition=f"{RECORDS_DIR}/{partition_name(Path(result.name))}",
    )
    # saved after every file, so an interrupted scan resumes where it stopped
    manifest.save(index_dir)


def _count_live(index_dir: Path) -> int:
    from offlabel.literature.index.layout import current_rows_sql

    with connect() as db:
        row = db.execute(
            f"SELECT count(*) FROM ({current_rows_sql(index_dir, 'r.pmid')})"  # noqa: S608 - quoted
        ).fetchone()
    return int(row[0]) if row else 0


def _run(
    todo: list[Path], index_dir: Path, workers: int | None, scheduler: str | None
) -> Iterator[FileResult]:
    if scheduler == SYNCHRONOUS:
        for path in todo:
            yield scan_file(str(path), str(index_dir))
        return
    from distributed import as_completed

    with _client(len(todo), workers, scheduler) as client:
        futures = client.map(
            scan_file,
            [str(path.resolve()) for path in todo],
            index_dir=str(index_dir.resolve()),
            pure=False,
        )
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()


# A worker's statistical profiler samples its stack every 10 ms and its monitors wake several
# times a second: with every core scanning, that costs each file ~15% (measured, 2 workers)
_QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


@contextmanager
def _client(n_files: int, workers: int | None, scheduler: str | None) -> Iterator[Any]:
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if n_workers < 1:
        raise ValueError(f"workers must be at least 1, got {n_workers}")
    with (
        dask.config.set(_QUIET_WORKERS),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=max(1, min(n_workers, n_files)),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            # a worker's heartbeat can race the cluster's shutdown and log a harmless
            # traceback (dask/distributed issue 7105); a file's own failure comes back in
            # its FileResult, and a lost worker raises from its future
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client
