"""A review version's downloads (PDF, Markdown, JSON), rendered by the core from plain data.

:func:`~offlabel.web.reviews.selectors.review_document` reads the version into a
:class:`~offlabel.reports.review_document.ReviewDocument`; :mod:`offlabel.reports` renders it.
Rendering the PDF takes about a second, so a published or superseded version's PDF, which
never changes, is kept in the cache keyed by the version and its publication time.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import formats
from django.utils.translation import get_language

from offlabel.reports.review_document import EXPORT_FORMATS, review_json, review_markdown
from offlabel.reports.review_pdf import review_pdf
from offlabel.web.common.wording import sentence
from offlabel.web.reviews.models import Review
from offlabel.web.reviews.selectors import review_document
from offlabel.web.reviews.translations import review_translation_for

FORMATS = EXPORT_FORMATS
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
PDF_CACHE_SECONDS = 24 * 3600


def _pdf_cache_key(review: Review, translation: Any) -> str | None:
    if not review.is_public or review.published_at is None:
        return None
    # A translation may be corrected after publication: its last change is part of the key.
    edited = f"{translation.updated.timestamp()}" if translation is not None else ""
    return f"reviews:pdf:{review.pk}:{review.published_at.timestamp()}:{get_language()}:{edited}"


def _document(review: Review) -> tuple[Any, Any]:
    """The version as the reader's language shows it, and its translation if it has one."""
    translation = review_translation_for(review, get_language())
    return review_document(review, translation), translation


def _longdate(value: Any) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


def _number(text: str) -> str:
    return str(formats.number_format(text)) if text else text


def review_as_pdf(review: Review) -> bytes:
    """The version as a journal-style PDF in the reader's language (cached once public)."""
    doc, translation = _document(review)
    key = _pdf_cache_key(review, translation)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return bytes(cached)
    pdf = review_pdf(doc, sentence, _longdate, _number)  # the core's sentences translated too
    if key is not None:
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def review_as_markdown(review: Review) -> str:
    return review_markdown(_document(review)[0])


def review_as_json(review: Review) -> str:
    return review_json(_document(review)[0])


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
