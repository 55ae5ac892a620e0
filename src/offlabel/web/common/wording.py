"""The core's English sentences in the reader's language, at the web's edge.

Analyses, snapshots and the registry's rules keep their sentences in English, as the core wrote
them (stored results and frozen snapshots never change). Every such sentence comes from a
template of the core (see :mod:`offlabel.evidence.wording`), and each template is a msgid of
the catalogue: :func:`sentence` reads a stored sentence back against its template and fills the
translated template with the same numbers, its words (a reason, an endpoint) translated too.
A text no template wrote is looked up as a msgid of its own (vocabulary, fixed sentences) and
otherwise shown as it is -- a therapy's name, a free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.utils.translation import get_language, gettext

from offlabel.evidence import wording
from offlabel.outcomes import runner, stability, survival_models
from offlabel.outcomes.caveats import CAVEAT_TEMPLATES
from offlabel.registry import disclosure
from offlabel.registry.progress import progression_templates
from offlabel.reports import snapshot


@cache
def templates() -> tuple[str, ...]:
    """Every template whose filled sentences the web translates, longest first (the most
    specific wins where two could read one sentence)."""
    known = {
        *CAVEAT_TEMPLATES.values(),
        disclosure.RULE_TEMPLATE,
        disclosure.WITHHELD_TEMPLATE,
        stability.REFERENCE_TEMPLATE,
        *survival_models.MODEL_TEMPLATES,
        *snapshot.TEMPLATES,
        runner.TOOK,
        runner.DID_NOT_TAKE,
        *progression_templates(),
    }
    return tuple(sorted(known, key=len, reverse=True))


def _english() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] == "en"


def sentence(text: object, *, depth: int = 0) -> str:
    """``text`` (an English sentence of the core) in the active language."""
    plain = str(text)
    if not plain or _english():
        return plain
    translated = gettext(plain)
    if translated != plain or depth > 2:
        return translated
    for template in templates():
        if not plain.startswith(template[:4]) and template[:1] != "{":
            continue  # cheap test before the regular expression
        values = wording.parse(template, plain)
        if values is None:
            continue
        words = {
            name: sentence(value, depth=depth + 1) if isinstance(value, str) else value
            for name, value in values.items()
        }
        try:
            return wording.fill(gettext(template), words)
        except (KeyError, ValueError, IndexError):  # a translation that lost a placeholder
            return plain
    return plain


def sentences(texts: Iterable[object]) -> list[str]:
    return [sentence(text) for text in texts]
