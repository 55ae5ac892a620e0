"""A word-level difference between two versions of a text, for readers (not a patch).

Words, spaces and punctuation are compared as tokens, so a change reads as the words that went
and came (``<del>``/``<ins>`` on a page) and wraps like ordinary text on a phone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Change", "word_diff"]

_TOKEN = re.compile(r"\s+|\w+(?:[’'-]\w+)*|[^\w\s]")

Op = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Change:
    """One run of text: unchanged, added in the new version, or removed from the old one."""

    op: Op
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Change]:
    """The runs of text from ``old`` to ``new``; empty when they are equal.

    Examples
    --------
    >>> [(c.op, c.text) for c in word_diff("No trial in ALS.", "One small trial in ALS.")]
    [('removed', 'No'), ('added', 'One small'), ('same', ' trial in ALS.')]
    """
    if old == new:
        return []
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    changes: list[Change] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if changes and changes[-1].op == op:
            changes[-1] = Change(op, changes[-1].text + text)
        else:
            changes.append(Change(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", "".join(a[i1:i2]))
        else:
            add("removed", "".join(a[i1:i2]))
            add("added", "".join(b[j1:j2]))
    return changes
