"""Constraints of where the records are stored, checked on every imported row.

The store (the web's database) describes each column a record is saved to with a
:class:`ColumnRule` — its longest text, its allowed values, its numeric range — and
:func:`~offlabel.registry.csv_read.read_registry_dir` checks every row against them, so an
import reports a value that would not fit with its file, line and column instead of failing
as it is saved. The web layer derives the rules from its models
(``offlabel.web.registry.services.importing.import_schema``); this module stays pure.
A NUL character is refused in every cell of every file whatever the rules say (no text column
of any database stores it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from offlabel.registry.problems import Problem, ProblemCode

__all__ = [
    "SEVERITY_OF_SIDE_EFFECTS",
    "ColumnRule",
    "SchemaRules",
    "nul_problems",
    "schema_problems",
]

#: The rule key of a side effect's severity (the rule ``side_effects`` is each effect's name).
SEVERITY_OF_SIDE_EFFECTS = "side_effects.severity"


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """What the store accepts for one column (``None``: no such constraint)."""

    max_length: int | None = None
    choices: frozenset[str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    stored_as: str = ""
    """Where the value goes (``"Subject.breed"``), for messages and tests."""


#: File name → column → rule.
SchemaRules = Mapping[str, Mapping[str, ColumnRule]]


def nul_problems(cells: Mapping[str, str]) -> list[Problem]:
    """A problem for each cell holding a NUL character."""
    return [
        Problem(column, "holds a NUL character (\\0), which text may not", ProblemCode.BAD_FORMAT)
        for column, text in cells.items()
        if "\x00" in text
    ]


def _text(value: object) -> str | None:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, str):
        return value
    return None


def _check(column: str, value: object, rule: ColumnRule, what: str = "") -> list[Problem]:
    if value is None or value == "":
        return []
    label = f"{what}{' ' if what else ''}"
    text = _text(value)
    if text is not None:
        if rule.max_length is not None and len(text) > rule.max_length:
            return [
                Problem(
                    column,
                    f"{label}is {len(text)} characters long; at most {rule.max_length} fit",
                    ProblemCode.OUT_OF_RANGE,
                )
            ]
        if rule.choices is not None and text not in rule.choices:
            allowed = ", ".join(sorted(rule.choices))
            return [
                Problem(
                    column,
                    f"{label}{text!r} is not one of: {allowed}",
                    ProblemCode.BAD_CHOICE,
                )
            ]
        return []
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem(column, f"{value!r} is not a finite number", ProblemCode.BAD_FORMAT)]
    low, high = rule.minimum, rule.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{'' if low is None else f'{low:g}'}…{'' if high is None else f'{high:g}'}"
        return [
            Problem(
                column,
                f"{value:g} is outside what can be stored ({span})",
                ProblemCode.OUT_OF_RANGE,
            )
        ]
    return []


def schema_problems(row: object, rules: Mapping[str, ColumnRule]) -> list[Problem]:
    """Every value of a parsed row (a record of :mod:`offlabel.registry.records`) that breaks
    its column's rule; a side effect's name and severity are checked one by one."""
    problems: list[Problem] = []
    for column, rule in rules.items():
        if column == SEVERITY_OF_SIDE_EFFECTS:
            continue
        value = getattr(row, column, None)
        if column == "side_effects" and isinstance(value, tuple):
            severity = rules.get(SEVERITY_OF_SIDE_EFFECTS)
            for effect in value:
                problems += _check(column, getattr(effect, "name", None), rule, "a side effect")
                if severity is not None:
                    problems += _check(
                        column, getattr(effect, "severity", None), severity, "a severity"
                    )
            continue
        problems += _check(column, value, rule)
    return problems
