"""Between the core's :class:`~offlabel.literature.records.Record` and the Reference model.

An import preview keeps each record as the plain dict :func:`reference_fields` returns (it goes
into a JSON field), so the commit writes exactly what the reviewer saw.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from offlabel.literature.records import Author, MeshHeading, Record, split_name
from offlabel.web.literature.models import Reference

# Column widths of Reference, so a long journal name or page range never breaks the commit on
# a database that enforces them (PostgreSQL).
_WIDTHS: dict[str, int] = {
    field.name: int(getattr(field, "max_length", 0) or 0)
    for field in Reference._meta.get_fields()
    if getattr(field, "max_length", None) and field.name not in ("species", "design", "kind")
}

_URL = URLValidator(schemes=["http", "https"])
SOURCE_TO_KIND = {"ctgov": Reference.Kind.TRIAL}


# Control characters (NUL above all) are refused by PostgreSQL text and JSON columns.
_CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])


def clean_text(value: Any) -> str:
    """``value`` as text without control characters (tabs and newlines kept)."""
    return "" if value is None else str(value).translate(_CONTROL)


def _fit(name: str, value: Any) -> str:
    text = clean_text(value).strip()
    width = _WIDTHS.get(name)
    return text[:width] if width else text


def reference_fields(record: Record) -> dict[str, Any]:
    """The Reference field values of a parsed record (without species and design)."""
    kind = SOURCE_TO_KIND.get(record.source_format, Reference.Kind.ARTICLE)
    if kind == Reference.Kind.ARTICLE and record.nct and not (record.pmid or record.doi):
        kind = Reference.Kind.TRIAL
    url = (record.url or "").strip()
    try:
        _URL(url)
    except ValidationError:
        url = ""
    return {
        "kind": str(kind),
        "authors": [
            _fit("", author.display) for author in record.authors if author.display.strip()
        ][:200],
        "title": clean_text(record.title).strip(),
        # Vancouver lists cite the journal's abbreviation (MEDLINE's "N Engl J Med").
        "journal": _fit("journal", record.journal_abbrev or record.journal),
        "year": record.year if record.year and 0 < record.year < 10000 else None,
        "volume": _fit("volume", record.volume),
        "issue": _fit("issue", record.issue),
        "pages": _fit("pages", record.pages),
        "doi": _fit("doi", record.doi),
        "pmid": _fit("pmid", record.pmid),
        # The NCT number identifies a trial *registration*; an article reporting the trial is a
        # separate reference, so it does not take the number (else the two would merge).
        "nct": _fit("nct", (record.nct or "").upper()) if kind == Reference.Kind.TRIAL else "",
        "url": url if len(url) <= (_WIDTHS.get("url") or 500) else "",
        "abstract": clean_text(record.abstract_text),
        "mesh": [clean_text(name) for name in record.mesh_names],
        "publication_types": [clean_text(name) for name in record.publication_types],
        "source": _fit("source", record.source_format),
    }


def author_from_display(name: str) -> Author:
    """Read back a stored ``"Lastname Initials"``; a name without initials (a group such as
    "The ALSUntangled Group") stays whole."""
    parts = name.split()
    if not parts:
        return Author(last_name="")
    if "," in name:
        return split_name(name)
    last = parts[-1]
    if len(parts) > 1 and last.isalpha() and last.isupper() and len(last) <= 4:
        return Author(last_name=" ".join(parts[:-1]), initials=last)
    return Author(last_name=" ".join(parts))


def reference_record(reference: Reference) -> Record:
    """A core Record carrying what a Reference stores, for the classifier and citations."""
    authors = tuple(author_from_display(str(name)) for name in reference.authors or [])
    return Record(
        title=reference.title,
        pmid=reference.pmid or None,
        doi=reference.doi or None,
        nct=reference.nct or None,
        abstract=(("", reference.abstract),) if reference.abstract else (),
        authors=tuple(a for a in authors if isinstance(a, Author) and a.last_name),
        journal=reference.journal or None,
        journal_abbrev=reference.journal or None,
        year=reference.year,
        volume=reference.volume or None,
        issue=reference.issue or None,
        pages=reference.pages or None,
        publication_types=tuple(str(t) for t in reference.publication_types or []),
        mesh=tuple(MeshHeading("", str(name)) for name in reference.mesh or []),
        url=reference.url or None,
        source_format=reference.source or "",
    )
