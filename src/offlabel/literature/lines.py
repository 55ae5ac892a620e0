"""The lines `offlabel literature parse` prints; a large PubMed file is read on every core.

One line per record, then one per deleted PMID: tab-separated, or JSON Lines (``--jsonl``:
:meth:`~offlabel.literature.records.Record.to_json_dict` with the classification).

A large PubMed file is read by several processes at once (:func:`pubmed_lines`): this one
decompresses it and cuts it into small well-formed documents of whole records
(:func:`~offlabel.literature.parsers.xml_chunks.iter_xml_chunks`, a few percent of the work),
a pool of worker processes reads each as a PubMed file of its own
(:func:`~offlabel.literature.parsers.pubmed.iter_pubmed`), classifies
(:func:`~offlabel.literature.classify_batch.classify_many`) and writes its lines, and this one
puts them back in file order, numbering the records across the file. Anything out of the
ordinary — a record that cannot be read, a truncated gzip, another layout — makes it return
``None``, and the caller reads the file the careful way
(:func:`~offlabel.literature.formats.parse_file`), whose messages and ``--skip-bad``
behaviour are those of a single reader. The two ways print the same bytes
(``tests/literature/test_lines.py``).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote  # json.dumps' own, in C
from pathlib import Path

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.literature.classify import Classification
from offlabel.literature.classify_batch import classify_many
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers.pubmed import iter_pubmed, open_maybe_gzip
from offlabel.literature.parsers.xml_chunks import iter_xml_chunks
from offlabel.literature.records import Deletion, MeshHeading, Record
from offlabel.untrusted import InputLimitError

__all__ = ["PARALLEL_FROM_BYTES", "PubmedLines", "deletion_line", "pubmed_lines", "record_line"]

#: Files smaller than this are read by one process (starting another costs more).
PARALLEL_FROM_BYTES = 4 * 1024 * 1024
_ROOT = "PubmedArticleSet"
_RECORDS = {_ROOT: ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")}
_READ_ERRORS = (LiteratureParseError, InputLimitError, EOFError, OSError, zlib.error)
# chunks (~30 records each) sent to a worker at a time
_CHUNKS_A_TASK = 4


def record_line(
    record: Record, verdict: Classification, jsonl: bool, position: int | None = None
) -> str:
    """The line printed for one record (``position`` overrides the record's own)."""
    if not jsonl:
        ident = record.pmid or record.doi or record.nct or "-"
        return (
            f"{ident}\t{record.year or ''}\t"
            f"{verdict.species or '?'}\t{verdict.design or '?'}\t"
            f"{(record.title or '(no title)')[:90]}"
        )
    return _record_json(record, verdict, record.position if position is None else position)


def _text(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _strings(values: Sequence[str]) -> str:
    """A JSON list of strings (``values`` holds no ``None``)."""
    return "[" + ", ".join(map(_quote, values)) + "]" if values else "[]"


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _heading(heading: MeshHeading) -> str:
    major = "true" if heading.major_topic else "false"
    return (
        f'{{"id": {_quote(heading.descriptor_id)}, "name": {_quote(heading.name)}, '
        f'"major_topic": {major}}}'
    )


def _record_json(record: Record, verdict: Classification, position: int) -> str:
    """``json.dumps(data, ensure_ascii=False)`` of the record's ``to_json_dict()`` and its
    classification, written directly: the same text, without building the dictionaries
    (a third of the command's time; ``tests/literature/test_lines.py`` compares the two)."""
    abstract = ", ".join(
        f'{{"label": {_quote(label)}, "text": {_quote(text)}}}' for label, text in record.abstract
    )
    authors = record.authors
    orcids = ", ".join(["null" if a.orcid is None else _quote(a.orcid) for a in authors])
    mesh = record.mesh
    species, design, category = verdict.species, verdict.design, verdict.category
    return (
        f'{{"pmid": {_text(record.pmid)}, "doi": {_text(record.doi)}, '
        f'"pmcid": {_text(record.pmcid)}, "nct": {_text(record.nct)}, '
        f'"title": {_quote(record.title)}, "abstract": [{abstract}], '
        f'"authors": {_strings([a.display for a in authors])}, "orcids": [{orcids}], '
        f'"journal": {_text(record.journal)}, "journal_abbrev": {_text(record.journal_abbrev)}, '
        f'"year": {_number(record.year)}, "volume": {_text(record.volume)}, '
        f'"issue": {_text(record.issue)}, "pages": {_text(record.pages)}, '
        f'"language": {_text(record.language)}, '
        f'"publication_types": {_strings(record.publication_types)}, '
        f'"mesh": {_strings([h.name for h in mesh])}, '
        f'"mesh_headings": [{", ".join(map(_heading, mesh))}], '
        f'"keywords": {_strings(record.keywords)}, "chemicals": {_strings(record.chemicals)}, '
        f'"url": {_text(record.url)}, "source_format": {_quote(record.source_format)}, '
        f'"source_file": {_quote(record.source_file)}, "position": {int(position)}, '
        f'"species": {_text(species.value if species else None)}, '
        f'"design": {_text(design.value if design else None)}, '
        f'"category": {_text(category.value if category else None)}, '
        f'"classification_reasons": {_strings(verdict.reasons)}}}'
    )


def deletion_line(deletion: Deletion, jsonl: bool, position: int | None = None) -> str:
    """The line printed for one deleted PMID (``position`` overrides the deletion's own)."""
    if not jsonl:
        return f"{deletion.pmid}\tdeleted"
    data = deletion.to_json_dict()
    if position is not None:
        data["position"] = position
    return json.dumps(data)


class _Named(io.BytesIO):
    """One chunk as a file that keeps the name of the file it was cut from."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def _read_chunks(
    documents: list[bytes], name: str, jsonl: bool, target: TargetSpecies | None
) -> list[list[tuple[bool, str, str]]] | None:
    """The items of some chunks, each as (a deletion?, its line before its position, after it).

    Runs in a worker process; ``None`` when a record cannot be read (the caller then reads
    the file the careful way).
    """
    found = []
    for document in documents:
        try:
            items = list(iter_pubmed(_Named(document, name), parse_ahead=False))
        except _READ_ERRORS:
            return None
        records = [item for item in items if isinstance(item, Record)]
        verdicts = iter(classify_many(records, target))
        lines: list[tuple[bool, str, str]] = []
        for item in items:
            if isinstance(item, Deletion):
                line = deletion_line(item, jsonl, _MARK)
                deletion = True
            else:
                line = record_line(item, next(verdicts), jsonl, _MARK)
                deletion = False
            head, _mark, tail = line.rpartition(_MARK_TEXT) if jsonl else (line, "", "")
            lines.append((deletion, head, tail))
        found.append(lines)
    return found


# a position no record has, written where the real one goes once the chunks are put together
_MARK = -987654321
_MARK_TEXT = f'"position": {_MARK}'


@dataclass(frozen=True)
class PubmedLines:
    """What :func:`pubmed_lines` read: the output, and how many records and deletions."""

    blocks: list[str]
    records: int
    deletions: int


def _processes() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - Linux has sched_getaffinity


def pubmed_lines(
    path: str | Path,
    *,
    jsonl: bool,
    target_species: TargetSpecies | str | None = None,
    processes: int | None = None,
) -> PubmedLines | None:
    """The output of a PubMed file, read by ``processes`` at once, as blocks of whole lines.

    Returns ``None`` when the file should be read the careful way instead (see the module
    docstring): it is small, one process is asked for, or anything in it is unusual.
    """
    count = processes if processes is not None else _processes()
    name = str(path)
    try:
        small = os.stat(name).st_size < PARALLEL_FROM_BYTES
    except OSError:
        return None
    if count < 2 or small or "fork" not in multiprocessing.get_all_start_methods():
        return None
    target = TargetSpecies(target_species) if target_species is not None else None
    unusual: list[str] = []

    def batches() -> Iterator[list[bytes]]:
        """The file's chunks, a few at a time (read in the pool's feeding thread)."""
        batch: list[bytes] = []
        try:
            stream, _name, to_close = open_maybe_gzip(name)
            try:
                for chunk in iter_xml_chunks(stream, _RECORDS):
                    if chunk.root != _ROOT:
                        unusual.append(f"root <{chunk.root}>")
                        return
                    batch.append(chunk.document)
                    if len(batch) == _CHUNKS_A_TASK:
                        yield batch
                        batch = []
            finally:
                for handle in to_close:
                    handle.close()
        except _READ_ERRORS as error:
            unusual.append(str(error))
            return
        if batch:
            yield batch

    blocks: list[str] = []
    deletions: list[str] = []
    position = n_deleted = 0
    context = multiprocessing.get_context("fork")
    with context.Pool(count) as pool:
        tasks = ((batch, name, jsonl, target) for batch in batches())
        for result in pool.imap(_read_task, tasks):
            if result is None:
                return None
            for chunk in result:
                block: list[str] = []
                for is_deletion, head, tail in chunk:
                    line = f'{head}"position": {position}{tail}\n' if jsonl else head + "\n"
                    (deletions if is_deletion else block).append(line)
                    position += 1
                    n_deleted += is_deletion
                blocks.append("".join(block))
    if unusual:
        return None
    return PubmedLines(
        [*blocks, "".join(deletions)] if deletions else blocks, position - n_deleted, n_deleted
    )


def _read_task(
    task: tuple[list[bytes], str, bool, TargetSpecies | None],
) -> list[list[tuple[bool, str, str]]] | None:
    return _read_chunks(*task)
