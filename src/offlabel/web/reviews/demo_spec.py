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
    # "What this means for you": plain words for patients and owners (grade 8 or below).
    plain_summary: str = ""
    # The editors' Spanish translation: title, plain_summary and any section.
    spanish: dict[str, str] = field(default_factory=dict)


# What each demo voter declares before voting (in VOTERS order); the same for both reviews.
DEMO_CONFLICTS = (
    "None. I have no financial ties to naltrexone's makers or to compounding pharmacies.",
    "None.",
    "I prescribed low-dose naltrexone to two patients in 2019 at their request; no payments.",
    "None. As editor I publish but my vote counts like any other.",
)
