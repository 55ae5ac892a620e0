"""Two versions of a review side by side: grades with the evidence added and removed per
category, and a word-level difference of each section (reads only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from offlabel.evidence.vocabulary import Category
from offlabel.reports.textdiff import Change, word_diff
from offlabel.web.reviews.models import SECTIONS, EvidenceItem, Review
from offlabel.web.reviews.selectors import review_evidence, review_grade_rows, review_suggestions

# What an evidence item says about its reference; a change in any of these is a change.
ASSESSMENT = ("species", "design", "quality", "direction", "verified", "n")


def _describe(item: EvidenceItem) -> str:
    reference = item.reference
    first = reference.authors[0] if reference.authors else ""
    source = " ".join(str(p) for p in (first, reference.year) if p) or reference.title[:60]
    parts = [
        item.get_design_display(),
        item.get_quality_display().lower(),
        item.get_direction_display().lower(),
        item.get_species_display().lower(),
    ]
    if item.n:
        parts.append(f"n={item.n}")
    return f"{source}: {', '.join(parts)}"


@dataclass
class ItemChange:
    kind: str  # "added", "removed" or "changed"
    text: str
    before: str = ""


@dataclass
class CategoryComparison:
    category: Category
    old_grade: str
    new_grade: str
    old_published: bool
    new_published: bool
    changes: list[ItemChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.category.label

    @property
    def grade_changed(self) -> bool:
        return self.old_grade != self.new_grade


@dataclass
class SectionComparison:
    name: str
    heading: str
    changes: list[Change]


@dataclass
class Comparison:
    old: Review
    new: Review
    categories: list[CategoryComparison]
    sections: list[SectionComparison]

    @property
    def text_unchanged(self) -> bool:
        return not any(s.changes for s in self.sections)


def _grades(review: Review) -> dict[str, tuple[str, bool]]:
    """Category → (grade, published?): the consensus once published, else the suggestion."""
    published = {
        row.category.value: row.published.grade
        for row in review_grade_rows(review)
        if row.published is not None
    }
    if len(published) == len(Category):
        return {c: (g, True) for c, g in published.items()}
    return {
        row.category.value: (
            published.get(row.category.value, row.suggestion.grade.value),
            row.category.value in published,
        )
        for row in review_suggestions(review)
    }


def _items(review: Review) -> dict[tuple[int, str], EvidenceItem]:
    return {(item.reference_id, item.category): item for item in review_evidence(review)}


def review_comparison(old: Review, new: Review) -> Comparison:
    """What changed from ``old`` to ``new``: grades, evidence per category, and the text."""
    old_grades, new_grades = _grades(old), _grades(new)
    old_items, new_items = _items(old), _items(new)
    categories = []
    for category in Category:
        changes: list[ItemChange] = []
        for key, item in new_items.items():
            if key[1] != category.value:
                continue
            before = old_items.get(key)
            if before is None:
                changes.append(ItemChange("added", _describe(item)))
            elif any(getattr(before, f) != getattr(item, f) for f in ASSESSMENT):
                changes.append(ItemChange("changed", _describe(item), _describe(before)))
        changes += [
            ItemChange("removed", _describe(item))
            for key, item in old_items.items()
            if key[1] == category.value and key not in new_items
        ]
        old_grade, old_pub = old_grades[category.value]
        new_grade, new_pub = new_grades[category.value]
        categories.append(
            CategoryComparison(category, old_grade, new_grade, old_pub, new_pub, changes)
        )
    sections = [
        SectionComparison(name, heading, word_diff(getattr(old, name), getattr(new, name)))
        for name, heading, _ in (("plain_summary", "What this means for you", ""), *SECTIONS)
    ]
    return Comparison(old, new, categories, sections)


def comparison_context(old: Any, new: Any) -> dict[str, Any]:
    return {"comparison": review_comparison(old, new), "old": old, "new": new, "topic": old.topic}
