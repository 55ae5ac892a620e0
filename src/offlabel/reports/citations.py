"""Numbered citations in a review's Markdown, such as ``[1, 4]`` or ``[11–13]``, made into links.

Reviews cite their numbered reference list the journal way, in square brackets. CommonMark keeps
such brackets as text, so :func:`link_citations` rewrites each number that is in the list into
a Markdown link to its entry (``#ref-<n>`` by default); numbers not in the list, and brackets
that are not citations (``[see above]``), stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

__all__ = ["cited_numbers", "link_citations"]

# "[1]", "[1, 4]", "[11–13]", "[2-4, 7]": numbers and ranges inside one pair of brackets, not
# part of a Markdown link ("[1](…)" or "[1][ref]") and not an escaped bracket.
_CITATION = re.compile(
    r"(?<![\\\]!])\[(\s*\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*\s*)\](?![(\[:])"
)
_PART = re.compile(r"(\d+)(?:\s*([–-])\s*(\d+))?")
_CODE = re.compile(r"(`+)(?:.|\n)*?\1")


def _anchor(number: int) -> str:
    return f"#ref-{number}"


def cited_numbers(markdown: str) -> list[int]:
    """Every reference number cited in ``markdown`` (ranges expanded), in order, once each.

    Examples
    --------
    >>> cited_numbers("as shown [5, 6] and [11–13]; again [5]")
    [5, 6, 11, 12, 13]
    """
    seen: dict[int, None] = {}
    for match in _CITATION.finditer(markdown):
        for part in _PART.finditer(match.group(1)):
            first = int(part.group(1))
            last = int(part.group(3) or first)
            for number in range(first, max(first, last) + 1):
                seen.setdefault(number, None)
    return list(seen)


def link_citations(
    markdown: str, numbers: Collection[int], href: Callable[[int], str] = _anchor
) -> str:
    """``markdown`` with each cited number in ``numbers`` linked to its reference entry.

    Text inside code spans is left alone.

    Examples
    --------
    >>> link_citations("Crohn's disease [7]; MS [8, 9]; none [42].", {7, 8, 9})
    "Crohn's disease [[7](#ref-7)]; MS [[8](#ref-8), [9](#ref-9)]; none [42]."
    >>> link_citations("trials [11–13]", {11, 12, 13})
    'trials [[11](#ref-11)–[13](#ref-13)]'
    """
    known = set(numbers)

    def one(number: str) -> str:
        return f"[{number}]({href(int(number))})" if int(number) in known else number

    def replace(match: re.Match[str]) -> str:
        inner = _PART.sub(
            lambda part: (
                one(part.group(1))
                + (f"{part.group(2)}{one(part.group(3))}" if part.group(3) else "")
            ),
            match.group(1),
        )
        return f"[{inner}]"

    out, last = [], 0
    for code in _CODE.finditer(markdown):
        out.append(_CITATION.sub(replace, markdown[last : code.start()]))
        out.append(code.group(0))
        last = code.end()
    out.append(_CITATION.sub(replace, markdown[last:]))
    return "".join(out)
