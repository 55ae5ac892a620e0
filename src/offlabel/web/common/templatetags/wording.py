"""``{{ caveat|sentence }}``: a sentence of the core in the reader's language."""

from __future__ import annotations

from django import template

from offlabel.web.common.wording import sentence as translate_sentence

register = template.Library()


@register.filter(name="sentence")
def sentence_filter(text: object) -> str:
    return translate_sentence(text)
