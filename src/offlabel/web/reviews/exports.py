"""A review version's downloads (PDF, Markdown, JSON), rendered by the core from plain data.

:func:`~offlabel.web.reviews.selectors.review_document` reads the version into a
:class:`~offlabel.reports.review_document.ReviewDocument`; :mod:`offlabel.reports` renders it.
Rendering the PDF takes about a second, so a published or superseded version's PDF, which
never changes, is kept in the cache keyed by the version and its publication time.
"""

from __future__ import annotations

from django.core.cache import cache

from offlabel.reports.review_document import EXPORT_FORMATS, review_json, review_markdown
from offlabel.reports.review_pdf import review_pdf
from offlabel.web.reviews.models import Review
from offlabel.web.reviews.selectors import review_document

FORMATS = EXPORT_FORMATS
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
PDF_CACHE_SECONDS = 24 * 3600


def _pdf_cache_key(review: Review) -> str | None:
    if not review.is_public or review.published_at is None:
        return None
    return f"reviews:pdf:{review.pk}:{review.published_at.timestamp()}"


def review_as_pdf(review: Review) -> bytes:
    """The version as a journal-style PDF (cached once the version is public)."""
    key = _pdf_cache_key(review)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return bytes(cached)
    pdf = review_pdf(review_document(review))
    if key is not None:
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def review_as_markdown(review: Review) -> str:
    return review_markdown(review_document(review))


def review_as_json(review: Review) -> str:
    return review_json(review_document(review))


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
