"""The shape of the demo reviews' content (see ``demo.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ref:
    """A reference a demo review cites.

    ``cite`` names its record in the demo literature (``web/literature/demo_data``) by PMID,
    DOI, URL, title or "Firstauthor Year"; the bibliographic data lives only there. ``species``
    and ``design`` are the reviewers' reading of the source.
    """

    key: str
    cite: str
    species: str = ""
    design: str = ""


@dataclass(frozen=True)
class Item:
    ref: str
    category: str
    species: str
    design: str
    quality: str
    direction: str
    verified: bool = False
    n: int | None = None
    note: str = ""


@dataclass
class DemoReview:
    slug: str
    title: str
    author_names: str
    references: list[Ref]
    items: list[Item]
    sections: dict[str, str]
    # Each voter's grade per category, in VOTERS order; rationales where a vote is far from
    # the engine's suggestion.
    votes: dict[str, tuple[str, str, str, str]]
    rationales: dict[tuple[str, int], str] = field(default_factory=dict)
