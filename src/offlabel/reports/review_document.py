"""A review version as plain data, and its JSON and Markdown renderings.

The web layer reads a review from the database and hands a :class:`ReviewDocument` in;
everything here is pure. :mod:`offlabel.reports.review_pdf` renders the same document as a
journal-style PDF, so the three exports cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from offlabel.evidence.vocabulary import Category, Grade
from offlabel.literature.links import IdentifierLink, identifier_links
from offlabel.reports.citations import link_citations
from offlabel.reports.snapshot import SnapshotEntry, snapshot_markdown

__all__ = [
    "EXPORT_FORMATS",
    "ConflictEntry",
    "GradeEntry",
    "ReferenceEntry",
    "ReviewDocument",
    "SectionText",
    "review_json",
    "review_markdown",
]

#: The formats a review is exported in.
EXPORT_FORMATS = ("pdf", "md", "json")


@dataclass(frozen=True)
class GradeEntry:
    """One row of the Table of Evidence: the published consensus of one category, if any."""

    category: Category
    grade: str | None = None
    suggested_grade: str | None = None
    rule: str = ""
    basis: str = ""
    distribution: Mapping[str, int] = field(default_factory=dict)
    n_votes: int = 0

    @property
    def published(self) -> bool:
        return self.grade is not None

    @property
    def votes(self) -> list[tuple[str, int]]:
        """``(grade, votes)`` for every grade A–U, in order."""
        return [(g.value, int(self.distribution.get(g.value, 0))) for g in Grade]


@dataclass(frozen=True)
class SectionText:
    name: str
    heading: str
    text: str


@dataclass(frozen=True)
class ReferenceEntry:
    number: int
    citation: str
    doi: str = ""
    pmid: str = ""
    nct: str = ""
    url: str = ""

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    @property
    def links(self) -> list[IdentifierLink]:
        """PubMed, DOI and ClinicalTrials.gov links from the identifiers (one builder)."""
        return identifier_links(pmid=self.pmid, doi=self.doi, nct=self.nct)


@dataclass(frozen=True)
class ConflictEntry:
    """One reviewer's conflict-of-interest statement for this version."""

    reviewer: str
    statement: str


@dataclass(frozen=True)
class ReviewDocument:
    """Everything a reader of one review version sees."""

    topic: str
    title: str
    therapy: str
    condition: str
    condition_species: str
    target_species: str
    version: int
    status: str
    status_label: str
    published: dt.date | None
    authors: str
    rubric_version: str
    change_summary: str
    based_on_version: int | None
    grades: Sequence[GradeEntry]
    agreement_alpha: float | None
    agreement_note: str
    sections: Sequence[SectionText]
    evidence: Sequence[Mapping[str, Any]] = ()
    references: Sequence[ReferenceEntry] = ()
    plain_summary: str = ""
    reading_level: float | None = None
    snapshots: Sequence[SnapshotEntry] = ()
    conflicts: Sequence[ConflictEntry] = ()
    #: The language of the texts (an ISO 639-1 code): "en", or a translation's.
    language: str = "en"

    def filename(self, fmt: str) -> str:
        return f"{self.topic}-v{self.version}.{fmt}"

    def section_markdown(self, text: str, href: Any = None) -> str:
        """A section's Markdown with its citations linked to the reference list."""
        numbers = {r.number for r in self.references}
        if href is None:
            return link_citations(text, numbers)
        return link_citations(text, numbers, href)

    def snapshots_of(self, section: str) -> list[SnapshotEntry]:
        """The frozen registry snapshots shown under one section (``cases`` or ``risks``)."""
        return [s for s in self.snapshots if s.section == section]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values with stable keys."""
        return {
            "topic": self.topic,
            "title": self.title,
            "language": self.language,
            "therapy": self.therapy,
            "condition": self.condition,
            "target_species": self.target_species,
            "version": self.version,
            "status": self.status,
            "published": self.published.isoformat() if self.published else None,
            "authors": self.authors,
            "rubric_version": self.rubric_version,
            "change_summary": self.change_summary,
            "based_on_version": self.based_on_version,
            "grades": {
                g.category.value: (
                    {
                        "grade": g.grade,
                        "suggested_grade": g.suggested_grade,
                        "rule": g.rule,
                        "basis": g.basis,
                        "distribution": dict(g.votes),
                        "n_votes": g.n_votes,
                    }
                    if g.published
                    else None
                )
                for g in self.grades
            },
            "agreement": {
                "statistic": "Krippendorff's alpha (ordinal)",
                "alpha": self.agreement_alpha,
                "note": self.agreement_note,
            },
            "plain_summary": {
                "text": self.plain_summary,
                "reading_level": {
                    "grade": self.reading_level,
                    "measure": "Flesch-Kincaid grade level (textstat)",
                },
            },
            "sections": {s.name: s.text for s in self.sections},
            "registry_snapshots": [s.as_dict() for s in self.snapshots],
            "conflicts_of_interest": [
                {"reviewer": c.reviewer, "statement": c.statement} for c in self.conflicts
            ],
            "evidence": [dict(item) for item in self.evidence],
            "references": [
                {
                    "number": r.number,
                    "citation": r.citation,
                    "doi": r.doi,
                    "pmid": r.pmid,
                    "nct": r.nct,
                    "url": r.url,
                    "links": {link.kind: link.href for link in r.links},
                }
                for r in self.references
            ],
        }


def review_json(doc: ReviewDocument) -> str:
    """The review as indented JSON (UTF-8 text, trailing newline)."""
    return json.dumps(doc.as_dict(), indent=2, ensure_ascii=False) + "\n"


def review_markdown(doc: ReviewDocument) -> str:
    """The review as one Markdown document (sections are already Markdown)."""
    lines = [
        f"# {doc.title}",
        "",
        f"Version {doc.version} · "
        + (doc.published.isoformat() if doc.published else doc.status_label)
        + (f" · {doc.authors}" if doc.authors else ""),
        "",
        "## Table of Evidence",
        "",
        "| Category | Grade | Votes (A/B/C/D/F/U) |",
        "|---|---|---|",
    ]
    for entry in doc.grades:
        if not entry.published:
            lines.append(f"| {entry.category.label} | not published | |")
        else:
            votes = "/".join(str(n) for _, n in entry.votes)
            lines.append(f"| {entry.category.label} | {entry.grade} | {votes} |")
    alpha = doc.agreement_alpha
    lines += [
        "",
        "Agreement between reviewers (Krippendorff's alpha, ordinal): "
        + (f"{alpha:.2f}" if alpha is not None else "not defined")
        + (f" ({doc.agreement_note})" if doc.agreement_note else ""),
        "",
    ]
    if doc.plain_summary.strip():
        lines += ["## What this means for you", "", doc.plain_summary.strip(), ""]
    if doc.change_summary:
        lines += ["**What changed:** " + doc.change_summary, ""]
    for section in doc.sections:
        snapshots = doc.snapshots_of(section.name)
        if section.text.strip() or snapshots:
            lines += [f"## {section.heading}", ""]
            if section.text.strip():
                lines += [doc.section_markdown(section.text.strip()), ""]
            for snapshot in snapshots:
                lines += snapshot_markdown(snapshot)
    if doc.conflicts:
        lines += ["## Conflicts of interest", ""]
        lines += [f"- **{c.reviewer}:** {c.statement}" for c in doc.conflicts]
        lines.append("")
    if doc.references:
        lines += ["## References", ""]
        for r in doc.references:
            links = " ".join(f"[{link.label}]({link.href})" for link in r.links)
            lines.append(
                f"{r.number}. {r.citation}"
                + (f" {links}" if links else "")
                # an anchor for the citations' [n](#ref-n) links
                + f' <a id="{r.anchor}"></a>'
            )
        lines.append("")
    return "\n".join(lines)
