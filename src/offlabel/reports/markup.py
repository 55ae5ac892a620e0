"""User-written Markdown to safe HTML.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 (the ammonia sanitizer) then
keeps only an allow-list of tags and attributes, drops every event handler and script, and lets
links use only http, https and mailto, opened with ``rel="nofollow noopener noreferrer"``.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table")

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and link schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def markdown_html(text: str) -> str:
    """Markdown written by a user, rendered and sanitized: HTML safe to put in a page."""
    return sanitize_html(_markdown.render(text or ""))
