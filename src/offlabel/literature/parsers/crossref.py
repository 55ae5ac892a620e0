"""Crossref works JSON reader (the REST API's ``/works/{doi}`` and ``/works?query=`` answers).

Accepts ``{"message": {...work...}}``, ``{"message": {"items": [...]}}``, a bare work
(``{"DOI": ...}``) or a list of works.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers._common import (
    ProblemHandler,
    Source,
    clean,
    keep_or_refuse,
    nlm_abbreviation,
    year_of,
)
from offlabel.literature.parsers._json import load_json
from offlabel.literature.records import Author, Record, normalize_doi

__all__ = ["iter_crossref", "looks_like_crossref", "work_to_record"]

_SHAPE = 'a Crossref works response ({"message": {...}} or {"message": {"items": [...]}})'
_TAG = re.compile(r"<[^>]+>")
_JATS_TITLE = re.compile(r"<jats:title>.*?</jats:title>", re.S)


def looks_like_crossref(head: str) -> bool:
    return '"message-type"' in head or ('"DOI"' in head and '"container-title"' in head)


def iter_crossref(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the works of a Crossref JSON file.

    Raises
    ------
    LiteratureParseError
        Invalid JSON (with its line), a document of another shape, or (without
        ``on_problem``) a work with neither a title nor a DOI.
    """
    data, name = load_json(source, _SHAPE)
    works: list[Any]
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        message = data["message"]
        works = message["items"] if isinstance(message.get("items"), list) else [message]
    elif isinstance(data, dict) and "DOI" in data:
        works = [data]
    elif isinstance(data, list):
        works = data
    else:
        raise LiteratureParseError(f"wrong JSON shape: expected {_SHAPE}", file=name)
    for position, work in enumerate(works):
        try:
            yield work_to_record(work, name=name, position=position)
        except LiteratureParseError as exc:
            if on_problem is None:
                raise
            on_problem(exc)


def _plain(text: str | None) -> str | None:
    """Markup removed, entities decoded: ``"Big Data &amp; Society"`` → ``"Big Data & Society"``."""
    return clean(html.unescape(_TAG.sub("", text))) if text else None


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return clean(value) if isinstance(value, str | int) else None


def _date_year(work: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online", "published", "created"):
        parts = work.get(key)
        if isinstance(parts, dict):
            date_parts = parts.get("date-parts")
            if isinstance(date_parts, list) and date_parts and isinstance(date_parts[0], list):
                first = date_parts[0]
                if first:
                    year = year_of(first[0])
                    if year:
                        return year
    return None


def _author(person: Any) -> Author | None:
    if not isinstance(person, dict):
        return None
    family = clean(person.get("family"))
    if not family:
        group = clean(person.get("name"))
        return Author(last_name=group) if group else None
    given = clean(person.get("given")) or ""
    letters: list[str] = []
    for word in given.replace(".", " ").split():
        letters.extend(piece[0].upper() for piece in word.split("-") if piece[:1].isalpha())
    orcid = clean(person.get("ORCID"))
    return Author(
        last_name=family,
        initials="".join(letters),
        orcid=orcid.rstrip("/").rsplit("/", 1)[-1] if orcid else None,
    )


def work_to_record(work: Any, *, name: str = "", position: int = 0) -> Record:
    """Turn one Crossref work object into a Record."""
    if not isinstance(work, dict):
        raise LiteratureParseError(
            f"not a work object: expected {_SHAPE}", file=name, record=position + 1
        )
    title = _first(work.get("title")) or ""
    doi = normalize_doi(clean(work.get("DOI")))
    keep_or_refuse(title, doi, file=name, record=position + 1, field="title")
    subtitle = _first(work.get("subtitle"))
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    abstract_raw = work.get("abstract")
    abstract: tuple[tuple[str, str], ...] = ()
    if isinstance(abstract_raw, str):
        text = clean(html.unescape(_TAG.sub(" ", _JATS_TITLE.sub(" ", abstract_raw))))
        if text:
            abstract = (("", text),)
    authors = (
        tuple(a for a in (_author(p) for p in work.get("author") or [] if p is not None) if a)
        if isinstance(work.get("author"), list)
        else ()
    )
    work_type = clean(work.get("type"))
    return Record(
        title=_plain(title) or title,
        doi=doi,
        abstract=abstract,
        authors=authors,
        journal=_plain(_first(work.get("container-title"))),
        journal_abbrev=nlm_abbreviation(_plain(_first(work.get("short-container-title")))),
        year=_date_year(work),
        volume=clean(work.get("volume")),
        issue=clean(work.get("issue")),
        pages=clean(work.get("page")),
        language=clean(work.get("language")),
        publication_types=(work_type,) if work_type else (),
        keywords=tuple(str(s) for s in work.get("subject") or [] if isinstance(s, str))
        if isinstance(work.get("subject"), list)
        else (),
        source_format="crossref",
        source_file=name,
        position=position,
    )
