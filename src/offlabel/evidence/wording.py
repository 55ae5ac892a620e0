"""Sentences the core writes, kept as templates the web can translate.

The core writes English and knows no Django. A sentence it builds from numbers (a caveat, the
small-cell rule, a chart's axis) comes from a *template* with named placeholders in
:meth:`str.format` syntax. Each template is wrapped in :func:`gettext_noop`, which returns it
unchanged; Django's ``makemessages`` extracts calls by that name, so the templates are msgids
of the web's catalogue and their Spanish is written there.

Two ways to translate:

* code that draws in the web's request (a chart) takes a ``words`` callable -- the web passes
  ``gettext`` -- and fills ``words(template)`` with :func:`fill`;
* a sentence already written and stored in English (an analysis result, a frozen snapshot) is
  read back with :func:`parse` against its template, and its numbers fill the translated
  template: the stored data stays as it was, the reader sees their language.

Plural forms are handled once, here, by two format specs: ``{n:count:subject}`` gives
"1 subject" or "3 subjects", ``{n:word:was|were}`` gives the word alone; an irregular plural
is written after a bar (``{n:count:person|people}``), and the word may itself be a
placeholder (``{n:count:{unit}}``, whose value may carry its own ``singular|plural``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from functools import lru_cache

__all__ = ["Words", "english", "fill", "gettext_noop", "parse", "placeholder_names"]

#: Translates one template (the web passes ``gettext``; the core's default keeps English).
Words = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the web's catalogue (Django's ``makemessages`` extracts calls by
    this name) and return it unchanged."""
    return message


def english(message: str) -> str:
    """The :data:`Words` of the core itself: the template as written."""
    return message


def _plural(value: object, words: str) -> str:
    singular, _, plural = words.partition("|")
    return singular if value == 1 else (plural or f"{singular}s")


class _PluralFormatter(string.Formatter):
    """``str.format`` plus the ``count:`` and ``word:`` specs (see the module docstring)."""

    def format_field(self, value: object, format_spec: str) -> str:
        kind, _, words = format_spec.partition(":")
        if kind in {"count", "word"} and words:
            word = _plural(value, words)
            return f"{value} {word}" if kind == "count" else word
        return str(super().format_field(value, format_spec))


_FORMATTER = _PluralFormatter()


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with its placeholders filled (plural specs included).

    Examples
    --------
    >>> fill("{n_excluded} of {n_total:count:subject} {n_excluded:word:was|were} left out", {
    ...     "n_excluded": 1, "n_total": 3})
    '1 of 3 subjects was left out'
    """
    return _FORMATTER.format(template, **values)


def placeholder_names(template: str) -> frozenset[str]:
    """The names a template needs (including those inside a format spec)."""
    names: set[str] = set()
    for _, name, spec, _ in _FORMATTER.parse(template):
        if name:
            names.add(name)
        if spec:
            names |= placeholder_names(spec)
    return frozenset(names)


_NUMBER = r"-?\d+(?:\.\d+)?"


@lru_cache(maxsize=512)
def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that reads a filled ``template`` back into its values."""
    seen: set[str] = set()
    parts: list[str] = []

    def group(name: str, body: str) -> str:
        if name in seen:
            return f"(?P={name})"
        seen.add(name)
        return f"(?P<{name}>{body})"

    for literal, name, spec, _ in _FORMATTER.parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        kind, _, words = (spec or "").partition(":")
        if kind in {"count", "word"} and words:
            nested = re.fullmatch(r"\{(\w+)\}", words)
            if nested:
                word = group(nested.group(1), r"[^\s,;.()]+")
            else:
                singular, _, plural = words.partition("|")
                word = "(?:" + "|".join(map(re.escape, {singular, plural or singular + "s"})) + ")"
            number = group(name, r"\d+")
            parts.append(f"{number} {word}" if kind == "count" else word)
        elif spec:
            parts.append(group(name, _NUMBER))
        else:
            parts.append(group(name, ".+?"))
    return re.compile("".join(parts), re.S)


def _value(text: str) -> object:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(_NUMBER, text):
        return float(text)
    return text


def parse(template: str, text: str) -> dict[str, object] | None:
    """The values that filled ``template`` to give ``text``; ``None`` if it did not.

    Numbers come back as ``int`` or ``float``; a word that stood in a ``count`` spec comes back
    singular.

    Examples
    --------
    >>> parse("{n_excluded} of {n_total:count:subject} were left out: {reason}.",
    ...       "2 of 10 subjects were left out: no onset date.")
    {'n_excluded': 2, 'n_total': 10, 'reason': 'no onset date'}
    """
    match = _pattern(template).fullmatch(text)
    if match is None:
        return None
    values: dict[str, object] = {k: _value(v) for k, v in match.groupdict().items()}
    for _, name, spec, _ in _FORMATTER.parse(template):
        nested = re.fullmatch(r"count:\{(\w+)\}", spec or "")
        word = values.get(nested.group(1)) if nested else None
        if nested and name and values.get(name) != 1 and isinstance(word, str):
            values[nested.group(1)] = word.removesuffix("s")
    return values
