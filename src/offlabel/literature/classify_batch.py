"""Classify many records at once: every text rule matched in one pass, decided one by one.

:func:`~offlabel.literature.classify.classify` asks each text rule of
``classify_rules.toml`` in turn whether it occurs in a record's title or text (up to twenty
RE2 searches a record, each a Python call that converts the text to UTF-8 again). Here all
the rules are compiled into one ``RE2::Set``, which finds in a single linear pass over the
UTF-8 bytes which of them occur anywhere; each record costs two such passes (title, text).

The decisions are then taken by the very same :func:`classify`, given rules whose patterns
already know the answers for the record being decided (:class:`_Answered`): a rule the set
found absent answers ``None`` at once; a rule it found present runs its real search, so the
caller gets the real match object. A pattern asked about any other string (a decision rule
added later that looks at another field) simply runs its real search. So every change to the
decision code applies here too, and the result is the one ``classify`` gives, record by record
(``tests/literature/test_classify_batch.py`` compares them on every record of the test
corpora).

Measured on 30,000 baseline records (``benchmarks/``): one ``RE2::Set`` pass per text costs
about as much as two single searches, and beats Arrow's column kernels
(``pyarrow.compute.match_substring_regex``), which make one pass over the column per rule.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from typing import Any

import re2

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.literature.classify import Classification, Rules, classify, load_rules
from offlabel.literature.records import Record

__all__ = ["classify_many"]

# the set's automaton may grow beyond a single rule's default budget (8 MiB); with too little
# memory RE2::Set reports no match at all, so it gets plenty
_SET_MEMORY = 256 * 1024 * 1024


class _Current:
    """The record being decided: its title and text, and which rules occur in each."""

    __slots__ = ("text", "text_bytes", "text_hits", "title", "title_bytes", "title_hits")

    def __init__(self) -> None:
        self.title = self.text = ""
        self.title_bytes = self.text_bytes = b""
        self.title_hits: frozenset[int] = frozenset()
        self.text_hits: frozenset[int] = frozenset()


class _Answered:
    """A text rule that answers from the set's findings for the current record."""

    __slots__ = ("_current", "_real", "_slot", "pattern")

    def __init__(self, real: Any, slot: int, current: _Current) -> None:
        self._real = real
        self._slot = slot
        self._current = current
        self.pattern: str = real.pattern

    def _hit(self, text: str) -> tuple[bool, bytes] | None:
        """Whether the set found this rule in ``text``; ``None`` when ``text`` is not known."""
        current = self._current
        if text == current.text:
            return self._slot in current.text_hits, current.text_bytes
        if text == current.title:
            return self._slot in current.title_hits, current.title_bytes
        return None

    def search(self, text: str) -> Any:
        known = self._hit(text)
        if known is None:
            return self._real.search(text)
        return _LazyMatch(self._real, text) if known[0] else None

    def findall(self, text: str) -> list[Any]:
        known = self._hit(text)
        if known is None:
            return list(self._real.findall(text))
        found, data = known
        return _findall_utf8(self._real, data) if found else []


class _LazyMatch:
    """The match of a rule the set found: true, and the real match object when looked into.

    The decisions only ask whether a rule matched; the real search (which converts the text
    to UTF-8 once more) runs only if a caller reads the match (``.group()``, ``.span()``).
    """

    __slots__ = ("_match", "_pattern", "_text")

    def __init__(self, pattern: Any, text: str) -> None:
        self._pattern = pattern
        self._text = text
        self._match: Any = None

    def __bool__(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        if self._match is None:
            self._match = self._pattern.search(self._text)
        return getattr(self._match, name)


_UNANCHORED = re2._Anchor.UNANCHORED


def _findall_utf8(pattern: Any, data: bytes) -> list[Any]:
    """``pattern.findall(data.decode())``, matched on the UTF-8 bytes without decoding them first.

    The loop is google-re2's own (``_Regexp._match`` for ``str``): RE2 matches a ``str``
    through its UTF-8 bytes, from the end of each match, one character on after an empty one;
    the items are decoded as ``findall`` builds them (group 1 alone, or the tuple of groups).
    """
    regexp = pattern._regexp
    groups = regexp.NumberOfCapturingGroups()
    items: list[Any] = []
    position, end = 0, len(data)
    while True:
        spans = regexp.Match(_UNANCHORED, data, position, end)
        start, stop = spans[0]
        if start == -1:
            return items
        if groups == 0:
            items.append(data[start:stop].decode("utf-8"))
        elif groups == 1:
            low, high = spans[1]
            items.append(data[low:high].decode("utf-8") if low != -1 else "")
        else:
            items.append(
                tuple(
                    data[low:high].decode("utf-8") if low != -1 else "" for low, high in spans[1:]
                )
            )
        if position == end:
            return items
        if position == stop:  # an empty match: on by one character
            lead = data[position]
            position += 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        else:
            position = stop


def _patterns_in(value: Any, found: list[Any]) -> None:
    if hasattr(value, "pattern") and hasattr(value, "search"):
        found.append(value)
    elif isinstance(value, tuple | list):
        for item in value:
            _patterns_in(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _patterns_in(item, found)


def _replaced(value: Any, table: dict[int, _Answered]) -> Any:
    if hasattr(value, "pattern") and hasattr(value, "search"):
        return table[id(value)]
    if isinstance(value, tuple):
        return tuple(_replaced(item, table) for item in value)
    if isinstance(value, list):
        return [_replaced(item, table) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, table) for key, item in value.items()}
    return value


@dataclasses.dataclass(frozen=True)
class _Compiled:
    """The text rules of one rules object, compiled into a set (slot ``i`` = ``patterns[i]``)."""

    rules: Rules
    patterns: tuple[Any, ...]
    match: Any  # RE2::Set's Match: UTF-8 bytes -> the slots that occur


_COMPILED: dict[int, _Compiled] = {}


def _compiled(rules: Rules) -> _Compiled:
    cached = _COMPILED.get(id(rules))
    if cached is not None and cached.rules is rules:
        return cached
    found: list[Any] = []
    for spec in dataclasses.fields(rules):
        if spec.init:  # not the caches
            _patterns_in(getattr(rules, spec.name), found)
    patterns = tuple({id(pattern): pattern for pattern in found}.values())
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = _SET_MEMORY
    set_ = re2.Set.SearchSet(options)
    for pattern in patterns:
        # the set matches every rule case-insensitively, as load_rules compiles them
        if getattr(getattr(pattern, "options", None), "case_sensitive", False):
            raise ValueError(f"text rule {pattern.pattern!r} is case-sensitive")
        set_.Add(pattern.pattern)
    set_.Compile()
    compiled = _Compiled(rules, patterns, set_._set.Match)
    _COMPILED[id(rules)] = compiled
    return compiled


def _answering(compiled: _Compiled, current: _Current) -> Rules:
    """``compiled.rules`` with every text rule replaced by one answering for ``current``."""
    table = {
        id(pattern): _Answered(pattern, slot, current)
        for slot, pattern in enumerate(compiled.patterns)
    }
    rules = compiled.rules
    return dataclasses.replace(
        rules,
        **{
            spec.name: _replaced(getattr(rules, spec.name), table)
            for spec in dataclasses.fields(rules)
            if spec.init
        },
    )


_THREAD = threading.local()


def _answering_rules(compiled: _Compiled) -> tuple[_Current, Rules]:
    """This thread's answering rules for ``compiled`` and the record they answer for.

    Made once (it costs ~0.15 ms, as much as classifying two records, and ``lines`` calls
    :func:`classify_many` for every chunk of ~30 records), kept with their caches (the species
    of each MeSH name). A call sets the current record right before deciding it, so a call
    made while another one reads its records (a generator that classifies) is harmless.
    """
    states: dict[int, tuple[_Compiled, _Current, Rules]] | None = getattr(_THREAD, "states", None)
    if states is None:
        states = _THREAD.states = {}
    state = states.get(id(compiled))
    if state is None or state[0] is not compiled:
        current = _Current()
        state = states[id(compiled)] = (compiled, current, _answering(compiled, current))
    return state[1], state[2]


def classify_many(
    records: Iterable[Record],
    target_species: TargetSpecies | str | None = None,
    *,
    rules: Rules | None = None,
) -> list[Classification]:
    """:func:`~offlabel.literature.classify.classify` of each record, in order.

    Parameters
    ----------
    records
        Any records (PubMed, RIS, ...).
    target_species, rules
        As for :func:`~offlabel.literature.classify.classify`.
    """
    compiled = _compiled(rules or load_rules())
    current, answered = _answering_rules(compiled)
    match = compiled.match
    results = []
    for record in records:
        title = record.title
        text = f"{title} {title} {record.abstract_text}"  # as classify() builds it
        current.title = title
        current.text = text
        current.title_bytes = title_bytes = title.encode("utf-8")
        current.text_bytes = text_bytes = text.encode("utf-8")
        current.title_hits = frozenset(match(title_bytes))
        current.text_hits = frozenset(match(text_bytes))
        results.append(classify(record, target_species, rules=answered))
    return results
