"""Vancouver references, rendered from a CSL style with :mod:`citeproc`.

The style (``styles/vancouver.csl``) prints references the way the ALSUntangled reviews do:
``Cree BA, Kornyeieva E, Goodin DS. Pilot trial of low dose naltrexone and quality of life
in multiple sclerosis. Ann Neurol. 2010;68:145–50.`` — up to six authors, then "et al.";
the journal's abbreviation when known; year;volume:pages with the page range shortened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from offlabel.literature.parsers._common import nlm_abbreviation
from offlabel.literature.records import Record, split_name

__all__ = ["Reference", "format_vancouver", "minimal_pages", "to_csl"]

Reference = Record | Mapping[str, Any]
_RANGE = re.compile(r"^\s*([A-Za-z]?)(\d+)\s*[-–—]+\s*([A-Za-z]?)(\d+)\s*$")


@cache
def _style() -> CitationStylesStyle:
    path = resources.files("offlabel.literature").joinpath("styles/vancouver.csl")
    with resources.as_file(path) as style_path:
        return CitationStylesStyle(str(style_path), validate=False)


def minimal_pages(pages: str | None) -> str | None:
    """Shorten a page range the Vancouver way: ``"145-150"`` → ``"145–50"``.

    Examples
    --------
    >>> minimal_pages("1865-1876")
    '1865–76'
    >>> minimal_pages("393-404")
    '393–404'
    """
    if not pages:
        return None
    match = _RANGE.match(pages)
    if not match:
        return pages.strip()
    prefix, start, prefix_end, end = match.groups()
    if prefix_end and prefix_end != prefix:
        return f"{prefix}{start}–{prefix_end}{end}"
    if len(end) == len(start) and int(end) > int(start):
        common = 0
        while common < len(start) - 1 and start[common] == end[common]:
            common += 1
        end = end[common:]
    return f"{prefix}{start}–{end}"


# "Cree BA": a family name, then up to four capital initials (how MEDLINE and our model store
# authors). Anything else without a comma ("US Food and Drug Administration", "ALSUntangled
# Group") is a group author and is printed as written.
_MEDLINE_NAME = re.compile(r"^\S.*\s[A-Z]{1,4}$")


def _person(display: str) -> dict[str, str]:
    text = " ".join(display.split())
    if "," not in text and not _MEDLINE_NAME.match(text):
        return {"literal": text}
    author = split_name(text)
    if not author.initials:
        return {"literal": author.last_name}
    return {"family": author.last_name, "given": " ".join(author.initials)}


def to_csl(reference: Reference, item_id: str = "ref") -> dict[str, Any]:
    """CSL-JSON for a Record or a plain dict.

    The dict form takes ``authors`` (list of ``"Lastname Initials"``), ``title``,
    ``journal``, ``journal_abbrev``, ``year``, ``volume``, ``issue``, ``pages``, ``doi``,
    ``url``, ``pmid``, ``nct``. A trial registration (an NCT number without PMID or DOI) is
    cited with its NCT number.
    """
    if isinstance(reference, Record):
        authors = [
            {"family": a.last_name, "given": " ".join(a.initials)}
            if a.initials
            else {"literal": a.last_name}
            for a in reference.authors
        ]
        data: dict[str, Any] = {
            "title": reference.title,
            "container-title": reference.journal,
            "container-title-short": reference.journal_abbrev,
            "year": reference.year,
            "volume": reference.volume,
            "issue": reference.issue,
            "page": reference.pages,
            "DOI": reference.doi,
            "URL": reference.url,
        }
        nct = (
            reference.nct
            if _is_registration(reference.journal, reference.pmid, reference.doi)
            else None
        )
    else:
        authors = [_person(str(a)) for a in reference.get("authors") or [] if str(a).strip()]
        data = {
            "title": reference.get("title"),
            "container-title": reference.get("journal"),
            "container-title-short": reference.get("journal_abbrev"),
            "year": reference.get("year"),
            "volume": reference.get("volume"),
            "issue": reference.get("issue"),
            "page": reference.get("pages"),
            "DOI": reference.get("doi"),
            "URL": reference.get("url"),
        }
        nct = reference.get("nct")
        if not _is_registration(
            reference.get("journal"), reference.get("pmid"), reference.get("doi")
        ):
            nct = None
    csl: dict[str, Any] = {"id": item_id, "type": "article-journal", "author": authors}
    title = str(data.pop("title") or "").strip()
    csl["title"] = title[:-1] if title.endswith(".") else title
    year = data.pop("year")
    if year:
        csl["issued"] = {"date-parts": [[int(year)]]}
    page = minimal_pages(data.pop("page"))
    if page:
        csl["page"] = page
    short = nlm_abbreviation(str(data.pop("container-title-short") or ""))
    if short:
        csl["container-title-short"] = short  # NLM abbreviations carry no dots
    for key, value in data.items():
        if value not in (None, ""):
            csl[key] = str(value).rstrip(".") if key.startswith("container") else str(value)
    if nct:
        csl["number"] = str(nct).upper()
    return csl


def _is_registration(journal: object, pmid: object, doi: object) -> bool:
    """A trial registration (cited by its NCT number), not an article that reports a trial."""
    return not pmid and not doi and journal in (None, "", "ClinicalTrials.gov")


def format_vancouver(references: Iterable[Reference]) -> list[str]:
    """Render references in Vancouver style, in the order given.

    Parameters
    ----------
    references : iterable of Record or dict
        See :func:`to_csl` for the dict keys.

    Returns
    -------
    list of str
        One plain-text reference per input (numbering is left to the caller).

    Examples
    --------
    >>> format_vancouver([{"authors": ["Cree BA", "Kornyeieva E", "Goodin DS"],
    ...     "title": "Pilot trial of low dose naltrexone and quality of life in multiple "
    ...     "sclerosis", "journal": "Ann Neurol", "year": 2010, "volume": "68",
    ...     "pages": "145-150"}])[0].endswith("sclerosis. Ann Neurol. 2010;68:145–50.")
    True
    """
    items = [to_csl(ref, f"ref{i}") for i, ref in enumerate(references)]
    if not items:
        return []
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    out = []
    for item, text in zip(items, rendered, strict=True):
        if "container-title" not in item and item.get("URL"):
            text = f"{text} Available from: {item['URL']}"
        if item.get("number") and item["number"] not in text:
            registry = "" if "ClinicalTrials.gov" in text else "ClinicalTrials.gov "
            text = f"{text} {registry}Identifier: {item['number']}."
        out.append(text)
    return out
