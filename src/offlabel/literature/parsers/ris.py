"""RIS reader (EndNote, Zotero, Mendeley, Ovid, Embase, Scopus, ProQuest, Cochrane, RefWorks,
Rayyan, Covidence, EPPI-Reviewer exports).

Record boundaries are checked here, line by line, so a record without ``ER`` is reported with
its line number (:mod:`rispy` silently drops it); the text of each complete record is then
handed to :func:`rispy.loads`, which knows the tag vocabulary. What export tools write between
records — Ovid's ``1.`` numbering, Cochrane's ``Record #3 of 18`` headers, provider notes,
blank lines — is passed over, as rispy does. Tags separated by a tab or one space
(``A1\\t- ``) are read too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import rispy

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.names import parse_name
from offlabel.literature.parsers._common import (
    ProblemHandler,
    Source,
    clean,
    identifiers_in,
    keep_or_refuse,
    pages_of,
    read_text,
    year_of,
)
from offlabel.literature.records import Record, normalize_doi

__all__ = ["iter_ris", "looks_like_ris"]

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])[ \t]{1,4}-(?:[ \t]+(.*?))?[ \t]*$")


def looks_like_ris(head: str) -> bool:
    """True if ``head`` has a RIS ``TY`` line, or (a file missing its ``TY``) RIS tag lines."""
    tags = [m.group(1) for m in map(_TAG_LINE.match, head.lstrip("\ufeff").splitlines()) if m]
    return "TY" in tags or ("ER" in tags and len(tags) >= 3)


def iter_ris(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the records of a RIS file.

    Parameters
    ----------
    source : str, Path or binary file object
    on_problem : callable, optional
        Receives the error for each bad record (no ``ER``, neither title nor identifier, a tag
        outside a record) and reading goes on at the next ``TY``; without it the first
        problem is raised.

    Raises
    ------
    LiteratureParseError
        Naming the file, record and line.
    """
    text, name = read_text(source)
    position = 0
    start_line = 0
    chunk: list[str] = []
    only_type = False  # the open record has only TY lines so far
    skipping = False  # after a stray tag: ignore lines until the next TY

    def problem(message: str, line: int) -> None:
        error = LiteratureParseError(message, file=name, record=position + 1, line=line)
        if on_problem is None:
            raise error
        on_problem(error)

    for number, raw_line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        match = _TAG_LINE.match(raw_line)
        tag = match.group(1) if match else None
        line = f"{tag}  - {match.group(2) or ''}" if match else raw_line.rstrip()
        if not chunk:
            if tag == "TY":
                chunk, start_line, skipping, only_type = [line], number, False, True
            elif tag is not None and not skipping and tag != "ER" and position == 0:
                problem(f"RIS tag {tag} outside a record: no TY line before it", number)
                position += 1
                skipping = True
            # anything else between records (numbering, headers, notes such as Ovid's
            # "NL  - " journal line after the ER) is passed over
            continue
        if tag == "TY":
            if only_type:
                chunk.append(line)  # "TY  - BOOK" then "TY  - JOUR": one record, first type
                continue
            problem(f"record starting at line {start_line} has no ER line before this TY", number)
            position += 1
            chunk, start_line = [line], number
            continue
        only_type = False
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
        problem("no RIS records found (no 'TY  - ' line starts a record)", 1)


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        text = clean(value)
        if text:
            return html.unescape(text)
    return None


def _record(lines: list[str], name: str, position: int, start_line: int) -> Record:
    first_type = [line for line in lines if line.startswith("TY  -")][:1]
    body = first_type + [line for line in lines if not line.startswith("TY  -")]
    try:
        entries = rispy.loads("\n".join(body) + "\n", skip_unknown_tags=True)
    except Exception as exc:  # rispy raises bare Exceptions on odd input
        raise LiteratureParseError(
            f"unreadable RIS record: {exc}", file=name, record=position + 1, line=start_line
        ) from None
    if len(entries) != 1:
        raise LiteratureParseError(
            "unreadable RIS record", file=name, record=position + 1, line=start_line
        )
    entry = entries[0]
    found = identifiers_in(lines)
    accession = _first(entry, "accession_number")
    pmid = accession if accession and accession.isdigit() else found.pmid
    doi = normalize_doi(_first(entry, "doi")) or found.doi
    title = _first(entry, "title", "primary_title", "translated_title", "short_title")
    keep_or_refuse(
        title, pmid, doi, found.nct, file=name, record=position + 1, line=start_line, field="TI"
    )
    names = entry.get("authors") or entry.get("first_authors") or []
    authors = tuple(a for a in (parse_name(str(n)) for n in names) if a.last_name)
    urls = [str(u) for u in entry.get("urls") or []]
    keywords = tuple(k for k in (clean(k) for k in entry.get("keywords") or []) if k)
    abstract_text = _first(entry, "abstract", "notes_abstract")
    return Record(
        title=title or "",
        pmid=pmid,
        doi=doi,
        pmcid=found.pmcid,
        nct=found.nct,
        abstract=(("", abstract_text),) if abstract_text else (),
        authors=authors,
        journal=_first(entry, "journal_name", "secondary_title", "alternate_title3"),
        journal_abbrev=_first(entry, "alternate_title1", "alternate_title2"),
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
