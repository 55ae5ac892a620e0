"""The literature file formats by name, format sniffing, and whole-file parsing.

``parse_file`` is what an import (CLI or web upload) calls: it refuses files over a size
limit, picks the reader (or sniffs one), and either returns every record or — by default,
when any record is bad — raises, so that nothing from a bad file is imported. With
``skip_bad=True`` it keeps the good records and lists the bad ones.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from offlabel.literature.errors import FileTooLargeError, LiteratureParseError
from offlabel.literature.parsers._common import Source, source_name
from offlabel.literature.parsers.bibtex import iter_bibtex, looks_like_bibtex
from offlabel.literature.parsers.crossref import iter_crossref, looks_like_crossref
from offlabel.literature.parsers.ctgov import iter_ctgov, looks_like_ctgov
from offlabel.literature.parsers.pubmed import iter_pubmed, open_maybe_gzip
from offlabel.literature.parsers.ris import iter_ris, looks_like_ris
from offlabel.literature.records import Deletion, Record

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "ParseResult",
    "iter_records",
    "parse_file",
    "sniff",
]

DEFAULT_MAX_BYTES = 2 * 1024**3  # 2 GiB: larger than any PubMed baseline file
_SNIFF_BYTES = 64 * 1024


class Reader(Protocol):
    def __call__(
        self,
        source: Source,
        *,
        on_problem: Callable[[LiteratureParseError], None] | None = ...,
    ) -> Iterator[Record | Deletion] | Iterator[Record]: ...


@dataclass(frozen=True, slots=True)
class Format:
    """A registered reader: its name, what it reads, and how to recognise its files."""

    name: str
    label: str
    reader: Reader
    looks_like: Callable[[str], bool]
    suffixes: tuple[str, ...]


def _looks_like_pubmed(head: str) -> bool:
    return any(
        marker in head
        for marker in (
            "<PubmedArticleSet",
            "<MedlineCitationSet",
            "<PubmedArticle>",
            "<MedlineCitation ",
        )
    )


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format(
            "pubmed",
            "PubMed/MEDLINE XML",
            iter_pubmed,
            _looks_like_pubmed,
            (".xml", ".xml.gz", ".gz"),
        ),
        Format("ris", "RIS", iter_ris, looks_like_ris, (".ris", ".txt")),
        Format("bibtex", "BibTeX", iter_bibtex, looks_like_bibtex, (".bib", ".bibtex")),
        Format("ctgov", "ClinicalTrials.gov API v2 JSON", iter_ctgov, looks_like_ctgov, (".json",)),
        Format("crossref", "Crossref works JSON", iter_crossref, looks_like_crossref, (".json",)),
    )
}


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a file gave: its records, PubMed deletions, and the problems met.

    ``problems`` is empty unless ``skip_bad`` was asked for (otherwise the first problem is
    raised instead).
    """

    format: str
    records: tuple[Record, ...]
    deletions: tuple[Deletion, ...] = ()
    problems: tuple[LiteratureParseError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _head(source: Source) -> str:
    """The first 64 KiB of a file as text (decompressed if gzip), the stream rewound."""
    if isinstance(source, str | Path):
        stream, _name, to_close = open_maybe_gzip(source)
        try:
            data = stream.read(_SNIFF_BYTES)
        finally:
            for handle in to_close:
                handle.close()
    else:
        if not source.seekable():
            raise LiteratureParseError(
                "cannot detect the format of a stream; name the format",
                file=source_name(source),
            )
        start = source.tell()
        stream, _name, _to_close = open_maybe_gzip(source)
        data = stream.read(_SNIFF_BYTES)
        source.seek(start)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def sniff(source: Source) -> str:
    """Name of the format of ``source`` (``"pubmed"``, ``"ris"``, ...), from its content.

    Raises
    ------
    LiteratureParseError
        When no registered format recognises the file.

    Examples
    --------
    >>> sniff("pubmed-29768149.xml")  # doctest: +SKIP
    'pubmed'
    """
    try:
        head = _head(source)
    except (OSError, EOFError) as exc:
        raise LiteratureParseError(
            f"cannot read the start of the file: {exc}", file=source_name(source)
        ) from None
    stripped = head.lstrip()
    if stripped.startswith("<"):
        if _looks_like_pubmed(head):
            return "pubmed"
    elif stripped.startswith(("{", "[")):
        for name in ("ctgov", "crossref"):
            if FORMATS[name].looks_like(head):
                return name
    else:
        for name in ("ris", "bibtex"):
            if FORMATS[name].looks_like(head):
                return name
    raise LiteratureParseError(
        "unknown file format; expected one of: "
        + ", ".join(f"{f.name} ({f.label})" for f in FORMATS.values()),
        file=source_name(source),
    )


def _size_of(source: Source) -> int | None:
    if isinstance(source, str | Path):
        try:
            return os.stat(source).st_size
        except OSError as exc:
            raise LiteratureParseError(
                f"cannot open file: {exc.strerror}", file=str(source)
            ) from None
    size = getattr(source, "size", None)  # e.g. an uploaded file
    if isinstance(size, int):
        return size
    if source.seekable():
        here = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(here)
        return end - here
    return None


def check_size(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse a file larger than ``max_bytes`` before reading any of it."""
    size = _size_of(source)
    if size is not None and size > max_bytes:
        raise FileTooLargeError(
            f"file is {size / 1024**2:,.0f} MiB, over the limit of "
            f"{max_bytes / 1024**2:,.0f} MiB; split it or use `offlabel literature scan`",
            file=source_name(source),
        )


def iter_records(
    source: Source,
    format: str = "auto",
    *,
    on_problem: Callable[[LiteratureParseError], None] | None = None,
) -> Iterator[Record | Deletion]:
    """Stream the records of a file of any registered format (``"auto"`` sniffs)."""
    name = sniff(source) if format == "auto" else format
    if name not in FORMATS:
        raise LiteratureParseError(
            f"unknown format {name!r}; choose from {', '.join(FORMATS)} or auto",
            file=source_name(source),
        )
    yield from FORMATS[name].reader(source, on_problem=on_problem)


def parse_file(
    source: str | Path | IO[bytes],
    format: str = "auto",
    *,
    skip_bad: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """Read a whole literature file, all or nothing unless ``skip_bad``.

    Parameters
    ----------
    source : str, Path or binary file object
        A file path or an open binary file (e.g. an upload; its ``name`` is used in
        messages, its ``size`` checked).
    format : {"auto", "pubmed", "ris", "bibtex", "ctgov", "crossref"}
    skip_bad : bool
        Keep the good records and report the bad ones in ``problems``; an error that stops
        the reading (malformed XML, truncated gzip) is reported too, after the records read
        before it.
    max_bytes : int
        Refuse larger files (default 2 GiB) with :class:`FileTooLargeError`.

    Returns
    -------
    ParseResult

    Raises
    ------
    LiteratureParseError
        Without ``skip_bad``, on the first problem, naming file and record/line; nothing
        is returned. With it, only when the file cannot be opened, is too large or is of
        an unknown format.
    """
    check_size(source, max_bytes)
    name = sniff(source) if format == "auto" else format
    records: list[Record] = []
    deletions: list[Deletion] = []
    problems: list[LiteratureParseError] = []
    try:
        for item in iter_records(source, name, on_problem=problems.append if skip_bad else None):
            if isinstance(item, Deletion):
                deletions.append(item)
            else:
                records.append(item)
    except LiteratureParseError as exc:
        if not skip_bad:
            raise
        problems.append(exc)
    return ParseResult(
        format=name,
        records=tuple(records),
        deletions=tuple(deletions),
        problems=tuple(problems),
    )
