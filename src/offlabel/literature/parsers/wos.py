"""Web of Science tagged text reader ("Plain text" / "Other file formats" export).

Two-letter tags followed by a space (``PT J``, ``AU Cree, BA``), values continued on lines
indented by three spaces, each record ending with ``ER``, the file framed by ``FN``/``VR`` and
``EF``. Clarivate's tags: ``TI`` title, ``AU`` authors (``CA`` groups), ``SO`` source,
``JI`` ISO abbreviation, ``PY`` year, ``VL``/``IS``/``BP``/``EP`` volume, issue, pages,
``DI`` DOI, ``PM`` PubMed ID, ``DE`` author keywords, ``DT`` document type.
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
    pages_of,
    read_text,
    year_of,
)
from offlabel.literature.records import Author, Record, normalize_doi

__all__ = ["iter_wos", "looks_like_wos"]

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_FRAME = {"FN", "VR", "EF"}
_LIST_TAGS = {"AU", "AF", "CA", "DE", "ID", "DT"}


def looks_like_wos(head: str) -> bool:
    """True for a Web of Science export: it starts with ``FN `` (or ``PT `` when trimmed)."""
    lines = [line for line in head.lstrip("\ufeff").splitlines() if line.strip()]
    return bool(lines) and (
        lines[0].startswith("FN ")
        or (lines[0].startswith("PT ") and any(line.startswith("ER") for line in lines))
    )


def iter_wos(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the records of a Web of Science tagged file.

    Raises
    ------
    LiteratureParseError
        A record without ``ER`` or (without ``on_problem``) one with neither a title nor an
        identifier, naming file, record and line.
    """
    text, name = read_text(source)
    position = 0
    fields: list[tuple[str, list[str]]] = []
    start = 0

    def problem(error: LiteratureParseError) -> None:
        if on_problem is None:
            raise error
        on_problem(error)

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        if raw.startswith("   ") and fields:
            fields[-1][1].append(raw.strip())
            continue
        match = _TAG.match(raw.rstrip())
        if not match:
            problem(
                LiteratureParseError(
                    "not a Web of Science line (expected a two-letter tag)",
                    file=name,
                    record=position + 1,
                    line=number,
                )
            )
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag in _FRAME:
            continue
        if tag == "ER":
            try:
                yield _record(fields, name, position, start)
            except LiteratureParseError as exc:
                problem(exc)
            position += 1
            fields = []
            continue
        if not fields:
            start = number
        fields.append((tag, [value]))
    if fields:
        problem(
            LiteratureParseError(
                f"record starting at line {start} has no ER line (file ends)",
                file=name,
                record=position + 1,
                line=start,
            )
        )
    elif position == 0:
        problem(LiteratureParseError("no Web of Science records found", file=name))


def _record(fields: list[tuple[str, list[str]]], name: str, position: int, start: int) -> Record:
    values: dict[str, list[str]] = {}
    for tag, lines in fields:
        if tag in _LIST_TAGS:
            values.setdefault(tag, []).extend(lines)
        else:
            values.setdefault(tag, []).append(" ".join(lines))

    def one(*tags: str) -> str | None:
        for tag in tags:
            for value in values.get(tag, []):
                if text := clean(value):
                    return text
        return None

    title = one("TI")
    doi = normalize_doi(one("DI"))
    pmid = one("PM")
    found = identifiers_in([one("AB") or "", one("FU") or ""])
    keep_or_refuse(title, doi, pmid, found.nct, file=name, record=position + 1, line=start)
    authors = [parse_name(n) for n in values.get("AU", [])]
    authors += [Author(last_name=n) for n in values.get("CA", []) if n]
    keywords = [k.strip() for k in ";".join(values.get("DE", [])).split(";") if k.strip()]
    abstract = one("AB")
    return Record(
        title=title or "",
        pmid=pmid if pmid and pmid.isdigit() else None,
        doi=doi,
        nct=found.nct,
        abstract=(("", abstract),) if abstract else (),
        authors=tuple(a for a in authors if a.last_name),
        journal=one("SO"),
        journal_abbrev=one("JI", "J9"),
        year=year_of(one("PY", "PD", "EA")),
        volume=one("VL"),
        issue=one("IS"),
        pages=pages_of(one("BP"), one("EP")) or one("AR"),
        language=one("LA"),
        publication_types=tuple(values.get("DT", [])),
        keywords=tuple(keywords),
        source_format="wos",
        source_file=name,
        position=position,
    )
