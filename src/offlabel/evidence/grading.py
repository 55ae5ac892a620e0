"""Suggested Table-of-Evidence grades from a review's evidence items.

The engine applies a :class:`~offlabel.evidence.rubric.Rubric` to a list of
:class:`EvidenceItem` and returns, per category, the suggested grade, the rule that fired
(``"preclinical.A"``) and the indices of the items that rule counted. Reviewers see the
suggestion beside their own vote; it never replaces their judgement.

How items are counted
---------------------
1. Each item has a *relation* to the review: ``target`` when its species is the review's target
   species, ``model`` otherwise (dog evidence in an ALS review, human, mouse or cell evidence in
   a DM review).
2. Model evidence is never counted as cases or trials in the target species: an item filed
   under ``cases`` or ``trials`` with relation ``model`` is counted under ``preclinical``. This
   is an invariant of the engine, not a rubric choice, so no rubric file can break it.
3. Items outside the rubric's scope for a category (for example narrative reviews in Trials)
   are not usable evidence there.
4. For each category the levels are tried in the order A, B, C, D, F; the first whose rule holds
   is suggested, else U. The items reported are those matched by the satisfied ``min_count``
   conditions of the rule that fired (a ``max_count = 0`` guard counts no item).

Examples
--------
>>> items = [EvidenceItem.from_dict({
...     "category": "trials", "species": "human", "target_species": "human",
...     "design": "uncontrolled_trial", "quality": "flawed", "direction": "benefit",
...     "verified": False, "n": 12})]
>>> suggestion = suggest_grades(items)["trials"]
>>> suggestion.grade.value, suggestion.rule, suggestion.items
('D', 'trials.D', (0,))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from offlabel.evidence.rubric import (
    AllOf,
    Condition,
    Count,
    Filter,
    Otherwise,
    Rubric,
    default_rubric,
)
from offlabel.evidence.vocabulary import (
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Relation,
    Species,
    TargetSpecies,
)

__all__ = [
    "EvidenceError",
    "EvidenceItem",
    "Suggestion",
    "items_from_records",
    "suggest_grades",
]

_E = TypeVar("_E", bound=StrEnum)

_REQUIRED = ("category", "species", "target_species", "design", "quality", "direction", "verified")
_OPTIONAL = ("n", "ref", "label")

# Categories whose evidence must come from the target species; model evidence filed there is
# counted as pre-clinical instead.
_TARGET_ONLY = frozenset({Category.CASES, Category.TRIALS})


class EvidenceError(ValueError):
    """An evidence record that is not valid; names the item index and the field.

    Attributes
    ----------
    index : int or None
        Position of the record in its list (``None`` for a lone record).
    field : str or None
        The offending key, when one is to blame.
    """

    def __init__(self, problem: str, *, index: int | None = None, field: str | None = None):
        self.index, self.field, self.problem = index, field, problem
        where = [] if index is None else [f"item {index}"]
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {problem}" if where else problem)


@dataclass(frozen=True)
class EvidenceItem:
    """One reference's contribution to one category of a review.

    Vocabulary fields accept the enum or its string value (``"rct"``); they are stored as
    enums. ``verified`` means the diagnosis was verified and the outcome objective (in Risks:
    the harm was objectively confirmed). ``ref`` and ``label`` are free identifiers carried
    through for display (a reference id, a short citation).
    """

    category: Category
    species: Species
    target_species: TargetSpecies
    design: Design
    quality: Quality
    direction: Direction
    verified: bool
    n: int | None = None
    ref: str | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        for name, enum in _ENUMS.items():
            object.__setattr__(self, name, enum(getattr(self, name)))
        if not isinstance(self.verified, bool):
            raise TypeError("verified must be a bool")
        if self.n is not None and (
            isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0
        ):
            raise ValueError("n must be a whole number >= 0 or None")

    @property
    def relation(self) -> Relation:
        """``target`` when the item's species is the review's target species, else ``model``."""
        same = self.species.value == self.target_species.value
        return Relation.TARGET if same else Relation.MODEL

    @property
    def counts_as(self) -> Category:
        """The category the item is graded under (model cases and trials become pre-clinical)."""
        if self.category in _TARGET_ONLY and self.relation is Relation.MODEL:
            return Category.PRECLINICAL
        return self.category

    @classmethod
    def from_dict(cls, data: object, *, index: int | None = None) -> EvidenceItem:
        """Build an item from a JSON-like mapping, checking every key and value.

        Parameters
        ----------
        data : mapping
            Keys ``category, species, target_species, design, quality, direction, verified``
            (required), ``n``, ``ref``, ``label`` (optional).
        index : int, optional
            The record's position, used in error messages.

        Raises
        ------
        EvidenceError
            Naming the index and field: a missing or unknown key, a value outside the
            vocabulary, ``verified`` not a boolean, ``n`` not a whole number >= 0.
        """
        if not isinstance(data, Mapping):
            raise EvidenceError(
                f"expected an object with keys {', '.join(_REQUIRED)}, got {_kind(data)}",
                index=index,
            )
        unknown = sorted(str(k) for k in data if k not in _REQUIRED and k not in _OPTIONAL)
        if unknown:
            raise EvidenceError(
                f"unknown key (expected {', '.join(_REQUIRED + _OPTIONAL)})",
                index=index,
                field=unknown[0],
            )
        for key in _REQUIRED:
            if key not in data:
                raise EvidenceError("missing", index=index, field=key)
        values: dict[str, Any] = {
            name: _enum(enum, data[name], index, name) for name, enum in _ENUMS.items()
        }
        if not isinstance(data["verified"], bool):
            raise EvidenceError(
                f"must be true or false, got {data['verified']!r}", index=index, field="verified"
            )
        n = data.get("n")
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise EvidenceError(
                f"must be a whole number >= 0 or null, got {n!r}", index=index, field="n"
            )
        for key in ("ref", "label"):
            value = data.get(key)
            if value is not None and not isinstance(value, str | int):
                raise EvidenceError(f"must be a string, got {_kind(value)}", index=index, field=key)
            values[key] = None if value is None else str(value)
        return cls(verified=data["verified"], n=n, **values)

    def to_dict(self) -> dict[str, object]:
        """The item as JSON-ready values (the inverse of :meth:`from_dict`)."""
        out: dict[str, object] = {name: getattr(self, name).value for name in _ENUMS}
        out.update(verified=self.verified, n=self.n)
        out.update({k: v for k in ("ref", "label") if (v := getattr(self, k)) is not None})
        return out


_ENUMS: dict[str, type[StrEnum]] = {
    "category": Category,
    "species": Species,
    "target_species": TargetSpecies,
    "design": Design,
    "quality": Quality,
    "direction": Direction,
}


def items_from_records(records: object) -> list[EvidenceItem]:
    """Validate a JSON-like list of evidence records (as in ``offlabel grade``'s input file).

    Raises
    ------
    EvidenceError
        When ``records`` is not a list, or naming the first bad record's index and field.
    """
    if not isinstance(records, list):
        raise EvidenceError(f"expected a list of evidence items, got {_kind(records)}")
    return [EvidenceItem.from_dict(record, index=i) for i, record in enumerate(records)]


@dataclass(frozen=True)
class Suggestion:
    """The engine's suggested grade for one category.

    Attributes
    ----------
    category : Category
    grade : Grade
    rule : str
        The id of the level whose rule fired, ``"<category>.<grade>"``.
    description : str
        That level's plain-words definition from the rubric.
    items : tuple of int
        Indices (into the list given to :func:`suggest_grades`) of the items the rule counted.
    considered : tuple of int
        Indices of every item usable in this category (after re-routing and scope).
    rubric_version : str
    """

    category: Category
    grade: Grade
    rule: str
    description: str
    items: tuple[int, ...]
    considered: tuple[int, ...] = field(default=())
    rubric_version: str = ""

    def as_dict(self) -> dict[str, object]:
        """``{"grade": ..., "rule": ..., "items": [...]}``, the CLI's JSON shape."""
        return {"grade": self.grade.value, "rule": self.rule, "items": list(self.items)}


def suggest_grades(
    items: Sequence[EvidenceItem], rubric: Rubric | None = None
) -> dict[Category, Suggestion]:
    """Suggest a grade for every category of the Table of Evidence.

    Parameters
    ----------
    items : sequence of EvidenceItem
        The review's evidence items (any categories, any order).
    rubric : Rubric, optional
        The rubric to apply; the default rubric when omitted.

    Returns
    -------
    dict of Category to Suggestion
        One entry per category, in vocabulary order (categories without evidence get U).
    """
    rubric = rubric or default_rubric()
    suggestions: dict[Category, Suggestion] = {}
    for category in Category:
        scope = rubric.scope(category)
        pool = [
            (i, item)
            for i, item in enumerate(items)
            if item.counts_as is category and _matches(scope, item)
        ]
        for level in rubric.ladder(category):
            fired, counted = _evaluate(level.rule, pool)
            if fired:
                suggestions[category] = Suggestion(
                    category=category,
                    grade=level.grade,
                    rule=level.id,
                    description=level.description,
                    items=tuple(sorted(counted)),
                    considered=tuple(i for i, _ in pool),
                    rubric_version=rubric.version,
                )
                break
        else:  # pragma: no cover - a validated rubric always ends with U = otherwise
            raise AssertionError(f"rubric {rubric.version} has no fallback for {category}")
    return suggestions


def _matches(where: Filter, item: EvidenceItem) -> bool:
    return (
        (where.species is None or item.species in where.species)
        and (where.relation is None or item.relation in where.relation)
        and (where.design is None or item.design in where.design)
        and (where.quality is None or item.quality in where.quality)
        and (where.direction is None or item.direction in where.direction)
        and (where.verified is None or item.verified is where.verified)
    )


def _evaluate(
    rule: Condition, pool: Sequence[tuple[int, EvidenceItem]]
) -> tuple[bool, frozenset[int]]:
    """Whether ``rule`` holds over ``pool``, and the indices its satisfied counts matched."""
    if isinstance(rule, Otherwise):
        return True, frozenset()
    if isinstance(rule, Count):
        matched = frozenset(i for i, item in pool if _matches(rule.where, item))
        holds = (rule.min_count is None or len(matched) >= rule.min_count) and (
            rule.max_count is None or len(matched) <= rule.max_count
        )
        positive = rule.min_count is not None and rule.min_count > 0
        return holds, matched if holds and positive else frozenset()
    # Evaluate every branch (no short-circuit) so all supporting items are reported.
    results = [_evaluate(part, pool) for part in rule.conditions]
    if isinstance(rule, AllOf):
        holds = all(ok for ok, _ in results)
    else:
        holds = any(ok for ok, _ in results)
    counted = frozenset().union(*(c for ok, c in results if ok)) if holds else frozenset()
    return holds, counted


def _enum(enum: type[_E], value: object, index: int | None, name: str) -> _E:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise EvidenceError(f"{value!r} is not one of {allowed}", index=index, field=name) from None


def _kind(value: object) -> str:
    """A JSON-flavoured name for a value's type, for messages."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__
