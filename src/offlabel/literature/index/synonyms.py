"""Synonyms that turn what a person types ("LDN", "ALS") into what records contain.

The built-in table is data (``synonyms.toml`` next to this module), so an editor can add
a therapy or condition without touching code; callers can merge their own on top.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,7}$")


@dataclass(frozen=True)
class Terms:
    """What to look for: MeSH descriptor names, case-insensitive phrases, exact acronyms."""

    mesh: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.mesh or self.phrases or self.acronyms)

    def merged(self, other: Terms) -> Terms:
        return Terms(
            mesh=_unique((*self.mesh, *other.mesh)),
            phrases=_unique((*self.phrases, *other.phrases)),
            acronyms=_unique((*self.acronyms, *other.acronyms)),
        )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def terms_for_text(text: str) -> Terms:
    """A term as typed, with no synonyms: an acronym if it looks like one, else a phrase.

    Examples
    --------
    >>> terms_for_text("ALS")
    Terms(mesh=(), phrases=(), acronyms=('ALS',))
    >>> terms_for_text("Riluzole")
    Terms(mesh=('Riluzole',), phrases=('riluzole',), acronyms=())
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return Terms()
    if _ACRONYM.match(cleaned) and not cleaned.isdigit():
        return Terms(acronyms=(cleaned,))
    return Terms(mesh=(cleaned,), phrases=(cleaned.lower(),))


class SynonymTable:
    """Concepts keyed by every name they may be typed as (lower case).

    Parameters
    ----------
    entries
        ``{name: Terms}``; names are matched case-insensitively.

    Examples
    --------
    >>> table = SynonymTable.builtin()
    >>> "Naltrexone" in table.expand("LDN").mesh
    True
    >>> table.expand("motor neurone disease").acronyms
    ('ALS', 'MND')
    """

    def __init__(self, entries: Mapping[str, Terms]) -> None:
        self.entries = {name.strip().lower(): terms for name, terms in entries.items()}

    @classmethod
    def builtin(cls) -> SynonymTable:
        return _builtin()

    @classmethod
    def from_toml(cls, text: str) -> SynonymTable:
        """Read a table in the ``synonyms.toml`` layout (``[therapy.x]``/``[condition.x]``)."""
        data = tomllib.loads(text)
        entries: dict[str, Terms] = {}
        for kind in ("therapy", "condition"):
            for key, concept in data.get(kind, {}).items():
                terms = Terms(
                    mesh=_unique(concept.get("mesh", [])),
                    phrases=_unique(p.lower() for p in concept.get("phrases", [])),
                    acronyms=_unique(concept.get("acronyms", [])),
                )
                for name in (key.replace("_", " "), *concept.get("names", [])):
                    entries[name] = terms
        return cls(entries)

    def with_extra(self, extra: Mapping[str, Sequence[str]]) -> SynonymTable:
        """A copy where each ``name`` also matches the given terms (``{"ldn": ["LDN-1"]}``)."""
        entries = dict(self.entries)
        for name, more in extra.items():
            key = name.strip().lower()
            base = entries.get(key, terms_for_text(name))
            for term in more:
                base = base.merged(terms_for_text(term))
            entries[key] = base
        return SynonymTable(entries)

    def expand(self, text: str) -> Terms:
        """Every term ``text`` stands for: the table's entry merged with ``text`` itself."""
        own = terms_for_text(text)
        known = self.entries.get(" ".join(text.split()).lower())
        if known is None:
            return own
        # the known entry already covers an acronym typed as-is; keep typed phrases too
        return known.merged(Terms(phrases=own.phrases))


@cache
def _builtin() -> SynonymTable:
    text = resources.files(__package__).joinpath("synonyms.toml").read_text(encoding="utf-8")
    return SynonymTable.from_toml(text)
