"""User-written Markdown on pages: the core's sanitized rendering, marked safe for templates."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from offlabel.reports.markup import markdown_html


def render_markdown(text: str) -> SafeString:
    """Markdown written by a user, rendered and sanitized for a page."""
    # markdown_html sanitizes with nh3 (an allow-list), so marking the result safe is sound.
    return mark_safe(markdown_html(text))  # noqa: S308
