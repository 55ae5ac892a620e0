"""The lines `offlabel literature parse` prints; a large PubMed file is read on every core.

One line per record, then one per deleted PMID: tab-separated, or JSON Lines (``--jsonl``:
:meth:`~offlabel.literature.records.Record.to_json_dict` with the classification).

A large PubMed file is read by several processes at once (:func:`pubmed_lines`): each opens
the file, cuts it into the same small well-formed documents of whole records
(:func:`~offlabel.literature.parsers.xml_chunks.iter_xml_chunks`) and reads, classifies
(:func:`~offlabel.literature.classify_batch.classify_many`) and prints every n-th of them,
each as a PubMed file of its own (:func:`~offlabel.literature.parsers.pubmed.iter_pubmed`);
the lines are put back in file order and the records numbered across the file. Cutting costs
a few percent of reading; the rest is shared by the cores. Anything out of the ordinary — a
record that cannot be read, a truncated gzip, another layout — makes it return ``None``, and
the caller reads the file the careful way (:func:`~offlabel.literature.formats.parse_file`),
whose messages and ``--skip-bad`` behaviour are those of a single reader. The two ways print
the same bytes (``tests/literature/test_lines.py``).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote  # json.dumps' own, in C
from pathlib import Path

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.literature.classify import Classification
from offlabel.literature.classify_batch import classify_many
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers.pubmed import iter_pubmed, open_maybe_gzip
from offlabel.literature.parsers.xml_chunks import iter_xml_chunks
from offlabel.literature.records import Deletion, Record

__all__ = ["PARALLEL_FROM_BYTES", "deletion_line", "pubmed_lines", "record_line"]

#: Files smaller than this are read by one process (starting another costs more).
PARALLEL_FROM_BYTES = 4 * 1024 * 1024
_ROOT = "PubmedArticleSet"
_RECORDS = {_ROOT: ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")}
_READ_ERRORS = (LiteratureParseError, EOFError, OSError, zlib.error)


def record_line(
    record: Record, verdict: Classification, jsonl: bool, position: int | None = None
) -> str:
    """The line printed for one record (``position`` overrides the record's own)."""
    if not jsonl:
        ident = record.pmid or record.doi or record.nct or "-"
        return (
            f"{ident}\t{record.year or ''}\t"
            f"{verdict.species or '?'}\t{verdict.design or '?'}\t"
            f"{record.title[:90]}"
        )
    return _record_json(record, verdict, record.position if position is None else position)


def _text(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _texts(values: Iterable[str | None]) -> str:
    return "[" + ", ".join("null" if v is None else _quote(v) for v in values) + "]"


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _record_json(record: Record, verdict: Classification, position: int) -> str:
    """``json.dumps(data, ensure_ascii=False)`` of the record's ``to_json_dict()`` and its
    classification, written directly: the same text, without building the dictionaries
    (a third of the command's time; ``tests/literature/test_lines.py`` compares the two)."""
    abstract = ", ".join(
        f'{{"label": {_quote(label)}, "text": {_quote(text)}}}' for label, text in record.abstract
    )
    headings = ", ".join(
        f'{{"id": {_quote(h.descriptor_id)}, "name": {_quote(h.name)}, '
        f'"major_topic": {"true" if h.major_topic else "false"}}}'
        for h in record.mesh
    )
    species, design, category = verdict.species, verdict.design, verdict.category
    return (
        f'{{"pmid": {_text(record.pmid)}, "doi": {_text(record.doi)}, '
        f'"pmcid": {_text(record.pmcid)}, "nct": {_text(record.nct)}, '
        f'"title": {_quote(record.title)}, "abstract": [{abstract}], '
        f'"authors": {_texts(a.display for a in record.authors)}, '
        f'"orcids": {_texts(a.orcid for a in record.authors)}, '
        f'"journal": {_text(record.journal)}, "journal_abbrev": {_text(record.journal_abbrev)}, '
        f'"year": {_number(record.year)}, "volume": {_text(record.volume)}, '
        f'"issue": {_text(record.issue)}, "pages": {_text(record.pages)}, '
        f'"language": {_text(record.language)}, '
        f'"publication_types": {_texts(record.publication_types)}, '
        f'"mesh": {_texts(h.name for h in record.mesh)}, "mesh_headings": [{headings}], '
        f'"keywords": {_texts(record.keywords)}, "chemicals": {_texts(record.chemicals)}, '
        f'"url": {_text(record.url)}, "source_format": {_quote(record.source_format)}, '
        f'"source_file": {_quote(record.source_file)}, "position": {int(position)}, '
        f'"species": {_text(species.value if species else None)}, '
        f'"design": {_text(design.value if design else None)}, '
        f'"category": {_text(category.value if category else None)}, '
        f'"classification_reasons": {_texts(verdict.reasons)}}}'
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


def _items_in(document: bytes) -> int:
    """How many items (records, deleted PMIDs) a chunk holds, counted without parsing it.

    Each process counts every chunk so that it can number its own records; it checks the
    count of each chunk it reads against what it read, so a wrong count (markup hidden in a
    comment, say) sends the file to the careful reader instead of misnumbering it.
    """
    count = document.count(b"</PubmedArticle>") + document.count(b"</PubmedBookArticle>")
    start = document.find(b"<DeleteCitation")
    while start >= 0:
        end = document.find(b"</DeleteCitation>", start)
        if end < 0:
            return -1
        count += document.count(b"<PMID", start, end)
        start = document.find(b"<DeleteCitation", end)
    return count


@dataclass
class _Part:
    """What one process made of its chunks: per chunk read, its record and deletion lines."""

    chunks: list[int]
    records: list[str]  # per chunk, its record lines joined (with a final newline)
    deletions: list[str]


def _read_part(
    path: str, part: int, parts: int, jsonl: bool, target: TargetSpecies | None
) -> _Part | None:
    """Read every ``parts``-th chunk of ``path`` from the ``part``-th; ``None`` if unusual."""
    result = _Part([], [], [])
    position = 0
    try:
        stream, _name, to_close = open_maybe_gzip(path)
        try:
            for number, chunk in enumerate(iter_xml_chunks(stream, _RECORDS)):
                if chunk.root != _ROOT:
                    return None
                counted = _items_in(chunk.document)
                if number % parts != part:
                    position += counted
                    continue
                items = list(iter_pubmed(_Named(chunk.document, path), parse_ahead=False))
                if len(items) != counted:
                    return None
                records = [item for item in items if isinstance(item, Record)]
                verdicts = iter(classify_many(records, target))
                record_lines, deletion_lines = [], []
                for item in items:
                    if isinstance(item, Deletion):
                        deletion_lines.append(deletion_line(item, jsonl, position))
                    else:
                        record_lines.append(record_line(item, next(verdicts), jsonl, position))
                    position += 1
                result.chunks.append(number)
                result.records.append("".join(line + "\n" for line in record_lines))
                result.deletions.append("".join(line + "\n" for line in deletion_lines))
        finally:
            for handle in to_close:
                handle.close()
    except _READ_ERRORS:
        return None
    return result


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
) -> list[str] | None:
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
    context = multiprocessing.get_context("fork")
    with context.Pool(count - 1) as pool:
        others = [
            pool.apply_async(_read_part, (name, part, count, jsonl, target))
            for part in range(1, count)
        ]
        parts: Sequence[_Part | None] = [
            _read_part(name, 0, count, jsonl, target),
            *(other.get() for other in others),
        ]
    if any(part is None for part in parts):
        return None
    records: dict[int, str] = {}
    deletions: dict[int, str] = {}
    for part in parts:
        assert part is not None  # noqa: S101 - checked just above
        records.update(zip(part.chunks, part.records, strict=True))
        deletions.update(zip(part.chunks, part.deletions, strict=True))
    order = sorted(records)
    return [records[n] for n in order] + [deletions[n] for n in order if deletions[n]]
