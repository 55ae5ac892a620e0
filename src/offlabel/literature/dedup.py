"""De-duplicate records: same PMID, DOI or NCT number, then same normalised title + year +
first author. The first record seen is kept; later ones are reported against it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from offlabel.literature.records import Record

__all__ = ["Duplicate", "dedupe", "normalize_title"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``duplicate`` was dropped because it is the same work as ``kept``; ``reason`` says how
    (``"pmid"``, ``"doi"``, ``"nct"`` or ``"title+year+first_author"``)."""

    duplicate: Record
    kept: Record
    reason: str


def normalize_title(title: str) -> str:
    """Lower-case ASCII words of a title, punctuation and accents dropped.

    Examples
    --------
    >>> normalize_title("Pilot trial of low-dose naltrexone: Quality of life in MS.")
    'pilot trial of low dose naltrexone quality of life in ms'
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", ascii_title.lower()).strip()


def _author_key(record: Record) -> str:
    first = record.first_author
    return normalize_title(first.last_name) if first else ""


def dedupe(records: Iterable[Record]) -> tuple[list[Record], list[Duplicate]]:
    """Keep the first of each set of records describing the same work.

    Parameters
    ----------
    records : iterable of Record

    Returns
    -------
    kept, duplicates
        The records kept, in input order, and one :class:`Duplicate` per dropped record.
    """
    kept: list[Record] = []
    duplicates: list[Duplicate] = []
    seen: dict[tuple[str, str], Record] = {}
    for record in records:
        keys = [
            ("pmid", record.pmid),
            ("doi", record.doi),
            ("nct", record.nct.upper() if record.nct else None),
        ]
        title = normalize_title(record.title)
        if title and record.year is not None:
            keys.append(("title+year+first_author", f"{title}|{record.year}|{_author_key(record)}"))
        match = next(
            (
                (kind, seen[(kind, value)])
                for kind, value in keys
                if value and (kind, value) in seen
            ),
            None,
        )
        if match is not None:
            duplicates.append(Duplicate(duplicate=record, kept=match[1], reason=match[0]))
            # learn the duplicate's other identifiers so a third copy is caught too
            for kind, value in keys:
                if value:
                    seen.setdefault((kind, value), match[1])
            continue
        kept.append(record)
        for kind, value in keys:
            if value:
                seen.setdefault((kind, value), record)
    return kept, duplicates
