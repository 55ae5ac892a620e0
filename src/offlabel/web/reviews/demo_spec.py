"""The shape of the demo reviews' content (see ``demo.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from offlabel.web.literature.models import Reference


@dataclass(frozen=True)
class Ref:
    key: str
    title: str
    authors: tuple[str, ...] = ()
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    kind: str = Reference.Kind.ARTICLE
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
