"""RIS reader (EndNote, Zotero, Mendeley, Ovid, Scopus exports).

Record boundaries are checked here, line by line, so a missing ``TY`` or ``ER`` is reported
with its line number (:mod:`rispy` silently drops such records); the text of each complete
record is then handed to :func:`rispy.loads`, which knows the tag vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import rispy

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers._common import (
    ProblemHandler,
    Source,
    clean,
    pages_of,
    read_text,
    year_of,
)
from offlabel.literature.records import Record, normalize_doi, split_name

__all__ = ["iter_ris", "looks_like_ris"]

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_PMID_URL = re.compile(r"pubmed\D*(\d{1,9})|/(\d{1,9})/?$")
_NCT = re.compile(r"\bNCT\d{8}\b", re.IGNORECASE)


def looks_like_ris(head: str) -> bool:
    """True if the first non-blank line of ``head`` is a RIS ``TY`` line."""
    for line in head.splitlines():
        if line.strip():
            return bool(re.match(r"^TY  -", line.lstrip("\ufeff")))
    return False


def iter_ris(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the records of a RIS file.

    Parameters
    ----------
    source : str, Path or binary file object
    on_problem : callable, optional
        Receives the error for each bad record (no ``ER``, no title, text outside a record)
        and reading goes on at the next ``TY``; without it the first problem is raised.

    Raises
    ------
    LiteratureParseError
        Naming the file, record and line.
    """
    text, name = read_text(source)
    position = 0
    start_line = 0
    chunk: list[str] = []
    skipping = False  # after a stray tag: ignore lines until the next TY

    def problem(message: str, line: int) -> None:
        error = LiteratureParseError(message, file=name, record=position + 1, line=line)
        if on_problem is None:
            raise error
        on_problem(error)

    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.rstrip()
        match = _TAG_LINE.match(line)
        tag = match.group(1) if match else None
        if not chunk:
            if not line.strip():
                continue
            if tag == "TY":
                chunk, start_line, skipping = [line], number, False
            elif skipping:
                continue
            elif tag is not None:
                problem(f"RIS tag {tag} outside a record: no TY line before it", number)
                position += 1
                skipping = True
            else:
                problem("not a RIS line (expected 'TY  - ' to start a record)", number)
                return
            continue
        if tag == "TY":
            problem(f"record starting at line {start_line} has no ER line before this TY", number)
            position += 1
            chunk, start_line = [line], number
            continue
        chunk.append(line)
        if tag == "ER":
            try:
                yield _record(chunk, name, position, start_line)
            except LiteratureParseError as exc:
                if on_problem is None:
                    raise
                on_problem(exc)
            position += 1
            chunk = []
    if chunk:
        problem(f"record starting at line {start_line} has no ER line (file ends)", start_line)
    elif position == 0:
        problem("no RIS records found (no 'TY  - ' line)", 1)


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        text = clean(value)
        if text:
            return text
    return None


def _record(lines: list[str], name: str, position: int, start_line: int) -> Record:
    try:
        entries = rispy.loads("\n".join(lines) + "\n", skip_unknown_tags=True)
    except Exception as exc:  # rispy raises bare Exceptions on odd input
        raise LiteratureParseError(
            f"unreadable RIS record: {exc}", file=name, record=position + 1, line=start_line
        ) from None
    if len(entries) != 1:
        raise LiteratureParseError(
            "unreadable RIS record", file=name, record=position + 1, line=start_line
        )
    entry = entries[0]
    title = _first(entry, "title", "primary_title", "translated_title", "short_title")
    if not title:
        raise LiteratureParseError(
            "record has no title (TI or T1)",
            file=name,
            record=position + 1,
            line=start_line,
            field="TI",
        )
    names = entry.get("authors") or entry.get("first_authors") or []
    authors = tuple(a for a in (split_name(str(n)) for n in names) if a.last_name)
    journal = _first(entry, "journal_name", "secondary_title", "alternate_title3")
    abbrev = _first(entry, "alternate_title1", "alternate_title2")
    urls = [str(u) for u in entry.get("urls") or []]
    pmid = None
    accession = _first(entry, "accession_number")
    if accession and accession.isdigit():
        pmid = accession
    nct = None
    for candidate in [accession or "", *urls, _first(entry, "notes") or ""]:
        found = _NCT.search(candidate)
        if found:
            nct = found.group(0).upper()
            break
    keywords = tuple(k for k in (clean(k) for k in entry.get("keywords") or []) if k)
    abstract_text = _first(entry, "abstract", "notes_abstract")
    return Record(
        title=title,
        pmid=pmid,
        doi=normalize_doi(_first(entry, "doi")),
        nct=nct,
        abstract=(("", abstract_text),) if abstract_text else (),
        authors=authors,
        journal=journal,
        journal_abbrev=abbrev,
        year=year_of(_first(entry, "year", "publication_year", "date")),
        volume=_first(entry, "volume"),
        issue=_first(entry, "number"),
        pages=pages_of(_first(entry, "start_page"), _first(entry, "end_page")),
        language=_first(entry, "language"),
        publication_types=tuple(t for t in [_first(entry, "type_of_reference")] if t),
        keywords=keywords,
        url=urls[0] if urls else None,
        source_format="ris",
        source_file=name,
        position=position,
    )
