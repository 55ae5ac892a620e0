"""Names of therapies and conditions compared the way people write them.

:func:`fold` makes "Curcumin", "curcumin" and "CURCUMÍN", or "low-dose naltrexone" and
"Low dose  naltrexone", one key; :func:`mentions` tells whether a text names a term as a whole
word. Short upper-case abbreviations (``ALS``, ``DM``, ``LDN``) are matched as written, so "als"
inside a German sentence or "dm" in "10 dm" do not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["fold", "mentioned", "mentions"]

_DASHES = re.compile(r"[\u2010-\u2015\u2212\-_/]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})
_SPACE = re.compile(r"\s+")
_ABBREVIATION_MAX = 5


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _plain(text: str) -> str:
    text = _strip_accents(text).translate(_QUOTES)
    return _SPACE.sub(" ", _DASHES.sub(" ", text)).strip()


def fold(text: str) -> str:
    """A comparison key: accents, case, hyphens and repeated spaces removed.

    Examples
    --------
    >>> fold("  Low-Dose  Naltrexone ") == fold("low dose naltrexone")
    True
    >>> fold("Curcumín × ALS")
    'curcumin × als'
    """
    return _plain(text).casefold()


def _is_abbreviation(term: str) -> bool:
    letters = term.replace(".", "").replace(" ", "")
    return 1 < len(letters) <= _ABBREVIATION_MAX and letters.isupper()


def mentions(text: str, term: str) -> bool:
    """Whether ``text`` names ``term`` as a whole word (or phrase).

    Examples
    --------
    >>> mentions("Naltrexone in amyotrophic lateral sclerosis (ALS)", "ALS")
    True
    >>> mentions("Das als Modell", "ALS")
    False
    >>> mentions("Lou Gehrig’s Disease", "Lou Gehrig's disease")
    True
    """
    term = term.strip()
    if not term:
        return False
    if _is_abbreviation(term):
        haystack, needle = _plain(text), _plain(term)
    else:
        haystack, needle = fold(text), fold(term)
    return re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack) is not None


def mentioned(text: str, terms: Iterable[str]) -> list[str]:
    """The terms ``text`` names, in the order given."""
    return [term for term in terms if mentions(text, term)]
