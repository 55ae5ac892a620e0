"""Table-of-Evidence rubrics: load, validate and expose a rubric file.

A rubric is data (TOML), not code: one entry per category and level (A, B, C, D, F, U), each
with a plain description for people and a machine rule over evidence items. The default
rubric ships as ``offlabel/evidence/rubrics/default-v1.toml``; its header comments define the
rule language and the reasoning behind every level. In short, a rule is one of::

    { min_count = N, max_count = M, where = { field = value-or-list, ... } }
    { all = [rule, ...] }
    { any = [rule, ...] }
    { otherwise = true }        # only, and always, for U

Filter fields are ``species``, ``relation`` (``target``/``model``), ``design``, ``quality``,
``direction`` and ``verified`` (a boolean). A ``[scope.<category>]`` filter says which items
are usable evidence for a category at all.

Grading (:mod:`offlabel.evidence.grading`) tries A, B, C, D, F in that order and takes the
first level whose rule holds, else U, so exactly one level applies. This module only checks
that a file can be read that way: a file with a missing level, two entries for the same level
("two rules firing at the same level"), an unknown field, category or value, or invalid TOML
is rejected with a :class:`RubricError` naming the entry and the problem.

Examples
--------
>>> rubric = default_rubric()
>>> rubric.version
'default-v1'
>>> rubric.level("trials", "D").id
'trials.D'
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TypeAlias, TypeVar

from offlabel.evidence.vocabulary import (
    ORDINAL_GRADES,
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Relation,
    Species,
)

__all__ = [
    "DEFAULT_RUBRIC_FILE",
    "EVALUATION_ORDER",
    "SCHEMA",
    "AllOf",
    "AnyOf",
    "Condition",
    "Count",
    "Filter",
    "Level",
    "Otherwise",
    "Rubric",
    "RubricError",
    "default_rubric",
    "load_rubric",
    "parse_rubric",
]

SCHEMA = 1
"""The rubric file format this module reads (the file's ``schema`` key)."""

DEFAULT_RUBRIC_FILE = "default-v1.toml"

EVALUATION_ORDER: tuple[Grade, ...] = (*ORDINAL_GRADES, Grade.U)
"""Levels are tried in this order; U (``otherwise``) is the fallback and always last."""

_ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "species": Species,
    "relation": Relation,
    "design": Design,
    "quality": Quality,
    "direction": Direction,
}
_FILTER_FIELDS = (*_ENUM_FIELDS, "verified")
_TOP_KEYS = ("schema", "version", "title", "scope", "level")
_LEVEL_KEYS = ("category", "grade", "description", "when")
_COUNT_KEYS = ("min_count", "max_count", "where")
_COMBINATORS = ("all", "any")

_E = TypeVar("_E", bound=StrEnum)


class RubricError(ValueError):
    """A rubric file that cannot be used; the message names the file, entry and problem."""


@dataclass(frozen=True)
class Filter:
    """Which evidence items a count (or a category's scope) looks at.

    ``None`` means the field is not constrained; otherwise the item's value must be one of the
    listed values.
    """

    species: frozenset[Species] | None = None
    relation: frozenset[Relation] | None = None
    design: frozenset[Design] | None = None
    quality: frozenset[Quality] | None = None
    direction: frozenset[Direction] | None = None
    verified: bool | None = None

    def describe(self) -> str:
        """The filter in words, e.g. ``quality=well_designed, direction=no_benefit|harm``."""
        parts: list[str] = []
        for name in _ENUM_FIELDS:
            values: frozenset[StrEnum] | None = getattr(self, name)
            if values is not None:
                parts.append(f"{name}={'|'.join(sorted(v.value for v in values))}")
        if self.verified is not None:
            parts.append(f"verified={'true' if self.verified else 'false'}")
        return ", ".join(parts) or "any item"


@dataclass(frozen=True)
class Count:
    """True when the number of items matching ``where`` lies in [min_count, max_count]."""

    where: Filter
    min_count: int | None = None
    max_count: int | None = None

    def describe(self) -> str:
        if self.max_count == 0:
            return f"no item with {self.where.describe()}"
        bounds = []
        if self.min_count is not None:
            bounds.append(f"at least {self.min_count}")
        if self.max_count is not None:
            bounds.append(f"at most {self.max_count}")
        return f"{' and '.join(bounds)} item(s) with {self.where.describe()}"


@dataclass(frozen=True)
class AllOf:
    """True when every condition is true."""

    conditions: tuple[Condition, ...]

    def describe(self) -> str:
        return "(" + " and ".join(c.describe() for c in self.conditions) + ")"


@dataclass(frozen=True)
class AnyOf:
    """True when at least one condition is true."""

    conditions: tuple[Condition, ...]

    def describe(self) -> str:
        return "(" + " or ".join(c.describe() for c in self.conditions) + ")"


@dataclass(frozen=True)
class Otherwise:
    """Always true: the U level's rule, reached when no other level fired."""

    def describe(self) -> str:
        return "otherwise"


Condition: TypeAlias = Count | AllOf | AnyOf | Otherwise
"""A rule: a count, a combination of rules, or the U fallback."""


@dataclass(frozen=True)
class Level:
    """One rubric entry: a category's level, its plain description and its rule."""

    category: Category
    grade: Grade
    description: str
    rule: Condition

    @property
    def id(self) -> str:
        """``"<category>.<grade>"``, e.g. ``"preclinical.A"``: how a fired rule is named."""
        return f"{self.category.value}.{self.grade.value}"


@dataclass(frozen=True)
class Rubric:
    """A validated, immutable rubric.

    Attributes
    ----------
    version : str
        The rubric's version id (``"default-v1"``); reviews record it.
    title : str
        A human-readable title.
    levels : tuple of Level
        Every category's levels, categories in vocabulary order, grades in
        :data:`EVALUATION_ORDER`.
    scopes : tuple of (Category, Filter)
        Which items are usable evidence per category.
    source : str
        Where the rubric was read from (for messages).
    """

    version: str
    title: str
    levels: tuple[Level, ...]
    scopes: tuple[tuple[Category, Filter], ...]
    source: str = "<rubric>"

    def level(self, category: Category | str, grade: Grade | str) -> Level:
        """The entry for one category and level; ``KeyError`` if there is none."""
        category, grade = Category(category), Grade(grade)
        for level in self.levels:
            if level.category is category and level.grade is grade:
                return level
        raise KeyError(f"{category.value}.{grade.value}")

    def description(self, category: Category | str, grade: Grade | str) -> str:
        """The plain-words definition of a level, as shown to readers."""
        return self.level(category, grade).description

    def rule(self, category: Category | str, grade: Grade | str) -> Condition:
        """The machine rule of a level."""
        return self.level(category, grade).rule

    def ladder(self, category: Category | str) -> tuple[Level, ...]:
        """A category's levels in evaluation order (A, B, C, D, F, U)."""
        category = Category(category)
        return tuple(level for level in self.levels if level.category is category)

    def scope(self, category: Category | str) -> Filter:
        """The filter of items usable as evidence for ``category`` (all items if unset)."""
        category = Category(category)
        return dict(self.scopes).get(category, Filter())


# -- loading -----------------------------------------------------------------------------------


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Read and validate a rubric file; the default rubric when ``path`` is ``None``.

    Parameters
    ----------
    path : str or Path, optional
        A TOML rubric file.

    Returns
    -------
    Rubric

    Raises
    ------
    RubricError
        The file cannot be read, is not valid TOML (the message gives the line), or is not a
        valid, unambiguous rubric (the message names the entry and the problem).
    """
    if path is None:
        return default_rubric()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{path}: cannot read the rubric file ({exc})") from exc
    return parse_rubric(text, source=str(path))


@functools.cache
def default_rubric() -> Rubric:
    """The rubric shipped with offlabel (``rubrics/default-v1.toml``), loaded once."""
    resource = resources.files("offlabel.evidence.rubrics").joinpath(DEFAULT_RUBRIC_FILE)
    return parse_rubric(resource.read_text(encoding="utf-8"), source=DEFAULT_RUBRIC_FILE)


def parse_rubric(text: str, *, source: str = "<rubric>") -> Rubric:
    """Validate rubric TOML text and build a :class:`Rubric` (see :func:`load_rubric`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)".
        raise RubricError(f"{source}: not valid TOML: {exc}") from exc
    return _Parser(source).rubric(data)


class _Parser:
    """Turns parsed TOML into a Rubric, raising RubricError with the entry named."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> RubricError:
        return RubricError(f"{self.source}: {where}: {problem}")

    def rubric(self, data: Mapping[str, object]) -> Rubric:
        self.unknown_keys(data, _TOP_KEYS, "top level")
        schema = data.get("schema")
        if schema != SCHEMA:
            raise self.fail("top level", f"'schema' must be {SCHEMA} (got {schema!r})")
        version = data.get("version")
        if not isinstance(version, str) or not version.strip():
            raise self.fail("top level", "'version' must be a non-empty string")
        title = data.get("title", version)
        if not isinstance(title, str):
            raise self.fail("top level", "'title' must be a string")
        scopes = self.scopes(data.get("scope", {}))
        levels = self.levels(data.get("level"))
        return Rubric(
            version=version.strip(),
            title=title,
            levels=levels,
            scopes=scopes,
            source=self.source,
        )

    def scopes(self, raw: object) -> tuple[tuple[Category, Filter], ...]:
        if not isinstance(raw, dict):
            raise self.fail("scope", "must be a table of categories")
        scopes: dict[Category, Filter] = {}
        for name, table in raw.items():
            category = self.enum(Category, name, f"scope.{name}", "category")
            scopes[category] = self.filter(table, f"scope.{name}")
        return tuple((c, scopes[c]) for c in Category if c in scopes)

    def levels(self, raw: object) -> tuple[Level, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("top level", "needs [[level]] entries (one per category and grade)")
        found: dict[tuple[Category, Grade], tuple[int, Level]] = {}
        for number, entry in enumerate(raw, start=1):
            level = self.level(entry, number)
            key = (level.category, level.grade)
            if key in found:
                first = found[key][0]
                raise self.fail(
                    f"level entry {number} ({level.id})",
                    f"two rules firing at the same level: entry {first} is also {level.id}",
                )
            found[key] = (number, level)
        ordered: list[Level] = []
        for category in Category:
            missing = [g.value for g in EVALUATION_ORDER if (category, g) not in found]
            if missing:
                raise self.fail(
                    f"category {category.value}",
                    f"level {', '.join(missing)} missing (every category needs A, B, C, D, F, U)",
                )
            ordered.extend(found[(category, g)][1] for g in EVALUATION_ORDER)
        return tuple(ordered)

    def level(self, entry: object, number: int) -> Level:
        where = f"level entry {number}"
        if not isinstance(entry, dict):
            raise self.fail(where, "must be a table")
        # Name the entry by category.grade as soon as both are known.
        if isinstance(entry.get("category"), str) and isinstance(entry.get("grade"), str):
            where = f"{where} ({entry['category']}.{entry['grade']})"
        self.unknown_keys(entry, _LEVEL_KEYS, where)
        for key in _LEVEL_KEYS:
            if key not in entry:
                raise self.fail(where, f"'{key}' is missing")
        category = self.enum(Category, entry["category"], where, "category")
        grade = self.enum(Grade, entry["grade"], where, "grade")
        description = entry["description"]
        if not isinstance(description, str) or not description.strip():
            raise self.fail(where, "'description' must be a non-empty string")
        rule = self.condition(entry["when"], f"{where}, when")
        if grade is Grade.U and not isinstance(rule, Otherwise):
            raise self.fail(where, "the U level must be 'when = { otherwise = true }'")
        if grade is not Grade.U and self.uses_otherwise(rule):
            raise self.fail(where, "'otherwise' is only allowed at level U")
        return Level(category, grade, " ".join(description.split()), rule)

    def condition(self, raw: object, where: str) -> Condition:
        if not isinstance(raw, dict) or not raw:
            raise self.fail(where, "a rule must be a non-empty table")
        keys = set(raw)
        kinds = [k for k in (*_COMBINATORS, "otherwise") if k in keys]
        counts = keys & set(_COUNT_KEYS)
        unknown = keys - set(_COUNT_KEYS) - {*_COMBINATORS, "otherwise"}
        if unknown:
            raise self.fail(
                where,
                f"unknown field {sorted(unknown)[0]!r} "
                "(expected min_count/max_count/where, all, any or otherwise)",
            )
        if len(kinds) + bool(counts) > 1:
            raise self.fail(where, f"cannot combine {', '.join(sorted(keys))} in one rule")
        if kinds == ["otherwise"]:
            if raw["otherwise"] is not True:
                raise self.fail(where, "'otherwise' must be true")
            return Otherwise()
        if kinds:
            kind = kinds[0]
            parts = raw[kind]
            if not isinstance(parts, list) or not parts:
                raise self.fail(where, f"'{kind}' must be a non-empty list of rules")
            conditions = tuple(
                self.condition(part, f"{where}.{kind}[{i}]") for i, part in enumerate(parts)
            )
            return AllOf(conditions) if kind == "all" else AnyOf(conditions)
        return self.count(raw, where)

    def count(self, raw: Mapping[str, object], where: str) -> Count:
        bounds: dict[str, int | None] = {}
        for key in ("min_count", "max_count"):
            value = raw.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0
            ):
                raise self.fail(where, f"'{key}' must be a whole number >= 0 (got {value!r})")
            bounds[key] = value
        low, high = bounds["min_count"], bounds["max_count"]
        if low is None and high is None:
            raise self.fail(where, "a count needs 'min_count', 'max_count' or both")
        if low is not None and high is not None and low > high:
            raise self.fail(where, f"'min_count' ({low}) is greater than 'max_count' ({high})")
        return Count(self.filter(raw.get("where", {}), f"{where}.where"), low, high)

    def filter(self, raw: object, where: str) -> Filter:
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table of field = value(s)")
        self.unknown_keys(raw, _FILTER_FIELDS, where)
        fields: dict[str, object] = {}
        for name, enum in _ENUM_FIELDS.items():
            if name not in raw:
                continue
            value = raw[name]
            values = value if isinstance(value, list) else [value]
            if not values:
                raise self.fail(f"{where}.{name}", "an empty list matches nothing")
            fields[name] = frozenset(self.enum(enum, v, f"{where}.{name}", name) for v in values)
        if "verified" in raw:
            if not isinstance(raw["verified"], bool):
                raise self.fail(f"{where}.verified", "must be true or false")
            fields["verified"] = raw["verified"]
        return Filter(**fields)  # type: ignore[arg-type]  # keys and types checked above

    def enum(self, enum: type[_E], value: object, where: str, field: str) -> _E:
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise self.fail(
                where, f"unknown {field} {value!r} (expected one of {allowed})"
            ) from None

    def unknown_keys(
        self, table: Mapping[str, object], allowed: tuple[str, ...], where: str
    ) -> None:
        unknown = [k for k in table if k not in allowed]
        if unknown:
            raise self.fail(
                where, f"unknown field {unknown[0]!r} (expected one of {', '.join(allowed)})"
            )

    def uses_otherwise(self, rule: Condition) -> bool:
        if isinstance(rule, Otherwise):
            return True
        if isinstance(rule, AllOf | AnyOf):
            return any(self.uses_otherwise(c) for c in rule.conditions)
        return False
