"""Numbered references in Vancouver style.

The literature core's ``format_vancouver`` (CSL, via citeproc-py) formats them; the small
hand-written formatter below is the fallback for a reference the core cannot format (it only
covers the fields a :class:`~offlabel.web.literature.models.Reference` holds).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

MAX_AUTHORS = 6  # Vancouver: list six authors, then "et al."


def reference_dict(reference: Any) -> dict[str, Any]:
    """The plain fields of a Reference, as the citation formatter takes them."""
    return {
        "authors": list(reference.authors or []),
        "title": reference.title,
        "journal": reference.journal,
        "year": reference.year,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "doi": reference.doi,
        "url": reference.url,
        "pmid": reference.pmid,
        "nct": reference.nct,
    }


def _fallback_vancouver(data: dict[str, Any]) -> str:
    authors = [a for a in data.get("authors") or [] if a]
    parts: list[str] = []
    if authors:
        shown = authors[:MAX_AUTHORS]
        names = ", ".join(shown) + (", et al" if len(authors) > MAX_AUTHORS else "")
        parts.append(names + ".")
    title = (data.get("title") or "").strip().rstrip(".")
    if title:
        parts.append(title + ".")
    journal = (data.get("journal") or "").strip().rstrip(".")
    year = data.get("year")
    if journal:
        where = f"{journal}."
        if year:
            where += f" {year}"
            volume, issue, pages = data.get("volume"), data.get("issue"), data.get("pages")
            if volume:
                where += f";{volume}"
                if issue:
                    where += f"({issue})"
            if pages:
                where += f":{pages}"
            where += "."
        parts.append(where)
    elif year:
        parts.append(f"{year}.")
    if data.get("doi"):
        parts.append(f"doi:{data['doi']}")
    elif data.get("url"):
        parts.append(f"Available from: {data['url']}")
    return " ".join(parts)


_INITIALS = re.compile(r"^[A-Z]{1,4}$")


def _personal_authors(data: dict[str, Any]) -> bool:
    """True when every author reads "Lastname Initials" (the core's name splitter expects it;
    it turns a group author such as "US Food and Drug Administration" into initials)."""
    for author in data.get("authors") or []:
        parts = str(author).split()
        if len(parts) > 1 and not _INITIALS.match(parts[-1]):
            return False
    return True


def _core_formatter() -> Callable[[list[dict[str, Any]]], list[str]] | None:
    try:
        module = importlib.import_module("offlabel.literature.citations")
    except ImportError:
        return None
    found = getattr(module, "format_vancouver", None)
    return found if callable(found) else None


def format_references(references: list[Any]) -> list[str]:
    """Each reference in Vancouver style (without numbers), in the order given."""
    data = [reference_dict(reference) for reference in references]
    core = _core_formatter()
    texts: list[str] = []
    if core is not None and data:
        try:
            texts = [str(text).strip() for text in core(data)]
        except (AttributeError, TypeError, ValueError, KeyError):
            texts = []
    if len(texts) != len(data):
        texts = [""] * len(data)
    return [
        text if text and _personal_authors(item) else _fallback_vancouver(item)
        for text, item in zip(texts, data, strict=True)
    ]


def format_reference(reference: Any) -> str:
    """One reference in Vancouver style (without its number)."""
    return format_references([reference])[0]
