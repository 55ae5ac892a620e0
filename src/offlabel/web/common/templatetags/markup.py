from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from offlabel.web.common.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """``{{ review.mechanism|markdown }}``: sanitized HTML from user Markdown."""
    return render_markdown(text)
