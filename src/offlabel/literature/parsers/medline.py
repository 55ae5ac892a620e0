"""MEDLINE/nbib text reader: PubMed's default export ("PubMed format", ``.nbib``, ``.txt``).

Each record is a block of ``TAG - value`` lines (the tag padded to four characters, values
continued on lines indented by six spaces), records separated by blank lines, starting with
``PMID- ``. The tags are NLM's (``TI`` title, ``AU`` author, ``CN`` group author, ``DP`` date,
``MH`` MeSH heading, ``AID`` article identifiers, ``SI`` databank numbers ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.names import parse_name
from offlabel.literature.parsers._common import (
    ProblemHandler,
    Source,
    clean,
    identifiers_in,
    keep_or_refuse,
    read_text,
    year_of,
)
from offlabel.literature.records import Author, MeshHeading, Record, normalize_doi

__all__ = ["iter_medline", "looks_like_medline"]

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-\s?(.*)$")
_ID_KIND = re.compile(r"^(\S+)\s*\[(\w+)\]$")
_JOINED = {"TI", "BTI", "AB"}
_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")


def looks_like_medline(head: str) -> bool:
    """True when the first tag line of ``head`` is ``PMID- `` (PubMed's text export)."""
    for line in head.lstrip("\ufeff").splitlines():
        if line.strip():
            return line.startswith("PMID-")
    return False


def _blocks(text: str) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """(first line, [(tag, value), ...]) for each record, continuation lines joined."""
    fields: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not raw.strip():
            if fields:
                yield start, fields
                fields = []
            continue
        match = None if raw[:1].isspace() else _TAG_LINE.match(raw)
        if match:
            if match.group(1) == "PMID" and fields:
                yield start, fields
                fields = []
            if not fields:
                start = number
            fields.append((match.group(1), match.group(2).strip()))
        elif fields:  # a continuation line (indented by six spaces)
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value} {raw.strip()}")
        # a line of text between records is passed over, as PubMed's own importers do
    if fields:
        yield start, fields


def iter_medline(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the records of a MEDLINE/nbib text file.

    Raises
    ------
    LiteratureParseError
        No record at all, or (without ``on_problem``) a record with neither a title nor an
        identifier; the message names file, record and line.
    """
    text, name = read_text(source)
    position = 0
    for start, fields in _blocks(text):
        try:
            yield _record(fields, name, position, start)
        except LiteratureParseError as exc:
            if on_problem is None:
                raise
            on_problem(exc)
        position += 1
    if position == 0:
        error = LiteratureParseError("no MEDLINE records found (no 'PMID- ' line)", file=name)
        if on_problem is None:
            raise error
        on_problem(error)


def _record(fields: list[tuple[str, str]], name: str, position: int, start: int) -> Record:
    values: dict[str, list[str]] = {}
    authors: list[Author] = []
    for tag, value in fields:
        values.setdefault(tag, []).append(value)
        if tag == "AU":
            authors.append(parse_name(value))
        elif tag == "CN":
            authors.append(Author(last_name=value))

    def one(*tags: str) -> str | None:
        for tag in tags:
            if tag in _JOINED:  # a title or abstract written on repeated lines: one text
                if text := clean(" ".join(values.get(tag, []))):
                    return text
                continue
            for value in values.get(tag, []):
                if text := clean(value):
                    return text
        return None

    pmid = one("PMID")
    doi = pmcid = None
    for value in values.get("AID", []) + values.get("LID", []):
        match = _ID_KIND.match(value)
        if match and match.group(2) == "doi" and doi is None:
            doi = normalize_doi(match.group(1))
        elif match and match.group(2) == "pmc" and pmcid is None:
            pmcid = match.group(1)
    found = identifiers_in(values.get("SI", []))
    title = one("TI", "BTI")
    keep_or_refuse(title, pmid, doi, found.nct, file=name, record=position + 1, line=start)
    mesh = []
    for heading in values.get("MH", []):
        descriptor = heading.split("/")[0]
        mesh.append(MeshHeading("", descriptor.strip().lstrip("*"), "*" in heading))
    abstract = one("AB")
    chemicals = []
    for value in values.get("RN", []):
        match = _IN_PARENS.search(value)
        chemicals.append(match.group(1) if match else value)
    return Record(
        title=title or "",
        pmid=pmid if pmid and pmid.isdigit() else None,
        doi=doi,
        pmcid=pmcid or one("PMC"),
        nct=found.nct,
        abstract=(("", abstract),) if abstract else (),
        authors=tuple(a for a in authors if a.last_name),
        journal=one("JT", "BTI"),
        journal_abbrev=one("TA"),
        year=year_of(one("DP", "DEP")),
        volume=one("VI"),
        issue=one("IP"),
        pages=one("PG"),
        language=one("LA"),
        publication_types=tuple(values.get("PT", [])),
        mesh=tuple(mesh),
        keywords=tuple(values.get("OT", [])),
        chemicals=tuple(chemicals),
        source_format="medline",
        source_file=name,
        position=position,
    )
