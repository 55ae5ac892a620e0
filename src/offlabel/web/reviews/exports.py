"""A review version as JSON, Markdown and a journal-style PDF.

The PDF is WeasyPrint's rendering of an HTML template with print CSS (``reviews/pdf.html``).
Rendering takes about a second, so a published or superseded version's PDF, which never
changes, is kept in the cache keyed by the version and its publication time.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from offlabel.evidence.vocabulary import Category, Grade
from offlabel.web.reviews.models import Review
from offlabel.web.reviews.selectors import (
    grade_rows,
    review_citations,
    review_evidence,
    review_sections,
)

FORMATS = ("pdf", "md", "json")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
PDF_CACHE_SECONDS = 24 * 3600


def _date(value: Any) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def _authors(review: Review) -> str:
    if review.author_names:
        return review.author_names
    return ", ".join(str(user) for user in review.authors.all())


def review_as_dict(review: Review) -> dict[str, Any]:
    """Everything a reader sees, as JSON-ready values (stable keys)."""
    grades = {}
    for row in grade_rows(review):
        published = row.published
        grades[row.category.value] = (
            None
            if published is None
            else {
                "grade": published.grade,
                "suggested_grade": published.suggested_grade,
                "rule": published.rule,
                "basis": published.basis,
                "distribution": {g.value: published.distribution.get(g.value, 0) for g in Grade},
                "n_votes": published.n_votes,
            }
        )
    return {
        "topic": review.topic.slug,
        "title": review.display_title,
        "therapy": review.topic.therapy.name,
        "condition": review.topic.condition.name,
        "target_species": review.target_species,
        "version": review.version,
        "status": review.status,
        "published": _date(review.published_at),
        "authors": _authors(review),
        "rubric_version": review.rubric_version,
        "change_summary": review.change_summary,
        "based_on_version": review.based_on.version if review.based_on is not None else None,
        "grades": grades,
        "agreement": {
            "statistic": "Krippendorff's alpha (ordinal)",
            "alpha": review.agreement_alpha,
            "note": review.agreement_note,
        },
        "sections": {s.name: s.text for s in review_sections(review)},
        "evidence": [
            {
                "reference": item.reference_id,
                "category": item.category,
                "species": item.species,
                "design": item.design,
                "quality": item.quality,
                "direction": item.direction,
                "verified": item.verified,
                "n": item.n,
                "note": item.note,
            }
            for item in review_evidence(review)
        ],
        "references": [
            {
                "number": c.number,
                "citation": c.text,
                "doi": c.reference.doi,
                "pmid": c.reference.pmid,
                "nct": c.reference.nct,
                "url": c.reference.url,
            }
            for c in review_citations(review)
        ],
    }


def review_as_json(review: Review) -> str:
    return json.dumps(review_as_dict(review), indent=2, ensure_ascii=False) + "\n"


def review_as_markdown(review: Review) -> str:
    """The review as one Markdown document (sections are already Markdown)."""
    data = review_as_dict(review)
    lines = [
        f"# {data['title']}",
        "",
        f"Version {data['version']} · {data['published'] or review.get_status_display()}"
        + (f" · {data['authors']}" if data["authors"] else ""),
        "",
        "## Table of Evidence",
        "",
        "| Category | Grade | Votes (A/B/C/D/F/U) |",
        "|---|---|---|",
    ]
    for category in Category:
        entry = data["grades"][category.value]
        if entry is None:
            lines.append(f"| {category.label} | not published | |")
        else:
            votes = "/".join(str(entry["distribution"][g.value]) for g in Grade)
            lines.append(f"| {category.label} | {entry['grade']} | {votes} |")
    alpha = data["agreement"]["alpha"]
    lines += [
        "",
        "Agreement between reviewers (Krippendorff's alpha, ordinal): "
        + (f"{alpha:.2f}" if alpha is not None else "not defined")
        + (f" ({data['agreement']['note']})" if data["agreement"]["note"] else ""),
        "",
    ]
    if data["change_summary"]:
        lines += ["**What changed:** " + data["change_summary"], ""]
    for section in review_sections(review):
        if section.text.strip():
            lines += [f"## {section.heading}", "", section.text.strip(), ""]
    if data["references"]:
        lines += ["## References", ""]
        lines += [f"{r['number']}. {r['citation']}" for r in data["references"]]
        lines.append("")
    return "\n".join(lines)


def _pdf_cache_key(review: Review) -> str | None:
    if not review.is_public or review.published_at is None:
        return None
    return f"reviews:pdf:{review.pk}:{review.published_at.timestamp()}"


def review_as_pdf(review: Review) -> bytes:
    """A journal-style PDF: title, date, version, grade table, sections, references."""
    key = _pdf_cache_key(review)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return bytes(cached)
    from weasyprint import HTML  # heavy import, only needed here

    html = render_to_string(
        "reviews/pdf.html",
        {
            "review": review,
            "authors": _authors(review),
            "grades": grade_rows(review),
            "sections": review_sections(review),
            "citations": review_citations(review),
            "generated": timezone.now(),
        },
    )
    pdf = HTML(string=html).write_pdf()
    if key is not None:
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return bytes(pdf)


def review_export(review: Review, fmt: str) -> bytes:
    """The review in one of :data:`FORMATS`, as bytes."""
    if fmt == "pdf":
        return review_as_pdf(review)
    if fmt == "md":
        return review_as_markdown(review).encode("utf-8")
    if fmt == "json":
        return review_as_json(review).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


def export_filename(review: Review, fmt: str) -> str:
    return f"{review.topic.slug}-v{review.version}.{fmt}"
