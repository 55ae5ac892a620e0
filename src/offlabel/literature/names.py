"""People's names, as every reader meets them, turned into one :class:`Author` shape.

One function reads the free-text names of RIS, Web of Science, EndNote, ClinicalTrials.gov and
Vancouver strings; BibTeX names are split by bibtexparser's own BibTeX-grammar splitter and
then finished here (:func:`author_from_parts`). The rules:

- surname first, initials without dots: ``"Cree, Bruce A. C."``, ``"Bruce A. C. Cree"``,
  ``"Cree BAC"`` and ``"Cree B.A.C."`` all become ``Cree BAC``;
- particles kept with the surname: ``"Rogério de Paula"`` → ``de Paula R``;
- degrees and generational suffixes dropped: ``"Jane Doe, MD"`` → ``Doe J``;
- organisations and roles kept whole as a group author, never split into a person:
  ``"ALS Study Group"``, ``"Bayer Study Director"`` (:func:`is_organisation` tells which).

The word lists are data (``names.toml``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from offlabel.literature.records import Author

__all__ = ["author_from_parts", "initials_of", "is_organisation", "parse_name"]

# "BA", "B.A.", "B.-A.", "R." — the initials of a surname-first name
_INITIALS = re.compile(r"^(?:[A-Z]{1,4}|(?:[A-Z]\.?-?){1,4}\.)$")
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True, slots=True)
class _Words:
    degrees: frozenset[str]
    particles: frozenset[str]
    organisation: frozenset[str]


@cache
def _words() -> _Words:
    raw = tomllib.loads(
        resources.files("offlabel.literature").joinpath("names.toml").read_text("utf-8")
    )
    return _Words(
        degrees=frozenset(w.lower() for w in [*raw["degrees"], *raw["suffixes"]]),
        particles=frozenset(raw["particles"]),
        organisation=frozenset(raw["organisation_words"]),
    )


def is_organisation(text: str) -> bool:
    """True when ``text`` names an organisation or a role rather than a person."""
    words = _words().organisation
    return any(word.lower() in words for word in _WORD.findall(text))


def _is_degree(part: str) -> bool:
    tokens = part.replace(".", "").split()
    return bool(tokens) and all(token.lower() in _words().degrees for token in tokens)


def initials_of(given: str) -> str:
    """Initials of given names: ``"Bruce A. C."`` → ``"BAC"``, ``"Jean-Paul"`` → ``"JP"``.

    ``"BA"`` (initials already) stays ``"BA"``.
    """
    letters = []
    for word in given.replace(".", " ").split():
        if word.isupper() and word.isalpha() and len(word) <= 4:
            letters.append(word)  # "BA": already initials
            continue
        for piece in word.split("-"):
            if piece and piece[0].isalpha():
                letters.append(piece[0].upper())
    return "".join(letters)


def _strip_degrees(text: str) -> str:
    parts = [p.strip() for p in text.split(",")]
    # "Jane Doe, MD, PhD": trailing parts that are degrees, once a full name precedes them
    # ("Doe, MD" is a surname and initials, not a degree)
    while len(parts) > 1 and _is_degree(parts[-1]) and (len(parts) > 2 or " " in parts[0]):
        parts.pop()
    words = ", ".join(parts).split(" ")
    # "Jane Doe PhD": a trailing degree that cannot be initials (has lower case or dots)
    while (
        len(words) > 2
        and _is_degree(words[-1].rstrip(","))
        and not _INITIALS.match(words[-1].rstrip(","))
    ):
        words.pop()
    return " ".join(words).rstrip(", ")


def parse_name(text: str) -> Author:
    """One person (or organisation) written any common way, as an :class:`Author`.

    Examples
    --------
    >>> parse_name("Adler D.G.").display
    'Adler DG'
    >>> parse_name("Rogério de Paula").display
    'de Paula R'
    >>> parse_name("Jane Doe, MD").display
    'Doe J'
    >>> parse_name("ALS Study Group").display
    'ALS Study Group'
    """
    name = " ".join(text.replace("{", "").replace("}", "").split()).strip(" ,;")
    if not name:
        return Author(last_name="")
    if is_organisation(name):
        return Author(last_name=name)
    name = _strip_degrees(name)
    if "," in name:
        last, _, given = name.partition(",")
        given = given.strip()
        if _is_degree(given.split(",")[-1]) and "," in given:
            given = given.rsplit(",", 1)[0]
        return Author(last_name=last.strip(), initials=initials_of(given.replace(",", " ")))
    tokens = name.split(" ")
    if len(tokens) == 1:
        return Author(last_name=tokens[0])
    if _INITIALS.match(tokens[-1]):
        # MEDLINE/Embase style, surname first: "Goodin DS", "Liu R.", "Adler D.G."
        return Author(last_name=" ".join(tokens[:-1]), initials=initials_of(tokens[-1]))
    return author_from_parts(first=tokens[:-1], von=[], last=tokens[-1:])


def author_from_parts(
    *, first: Sequence[str], von: Sequence[str], last: Sequence[str], jr: Sequence[str] = ()
) -> Author:
    """An :class:`Author` from a name already split into given/particle/surname parts.

    Particles left among the given names (``"Rogério de"`` + ``"Paula"``) move to the surname.
    """
    given = list(first)
    particles = list(von)
    known = _words().particles
    for index, word in enumerate(given):
        if index and word in known:
            particles = given[index:] + particles
            given = given[:index]
            break
    surname = " ".join([*particles, *last]).strip()
    given_text = " ".join(g for g in given if not _is_degree(g))
    return Author(last_name=surname, initials=initials_of(given_text))
