"""The core's vocabulary for forms and model fields, its labels in the reader's language.

The labels are the core's English (``offlabel.evidence.vocabulary.choices``), each a msgid of
the catalogue; :func:`choices` hands them out lazily translated, so ``get_…_display`` and every
form's options read in the language of the request that shows them.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from offlabel.evidence import vocabulary


def choices(enum: type[StrEnum]) -> list[tuple[str, Promise]]:
    """``(value, label)`` pairs, the label translated when shown."""
    return [(value, gettext_lazy(label)) for value, label in vocabulary.choices(enum)]
