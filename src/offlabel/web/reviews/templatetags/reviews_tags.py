"""Template filters of the reviews app."""

from __future__ import annotations

from collections.abc import Collection

from django import template
from django.utils.safestring import SafeString

from offlabel.reports.citations import link_citations
from offlabel.web.common.markup import render_markdown

register = template.Library()


@register.filter(name="cited")
def cited_markdown(text: str, numbers: Collection[int]) -> SafeString:
    """``{{ section.text|cited:cited }}``: a section's Markdown as safe HTML, each citation such
    as ``[1, 4]`` linked to its entry in the reference list (``#ref-1``)."""
    return render_markdown(link_citations(text or "", numbers or ()))
