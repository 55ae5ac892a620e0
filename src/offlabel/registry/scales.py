"""Progression scales and milestones, defined as data and validated when loaded.

The definitions live in ``registry/definitions/*.toml`` (a file per scale, ``milestones.toml``):

- ``alsfrs_r`` (people): twelve items scored 0–4, total 0–48; item 5 is scored as 5a (no
  gastrostomy) or 5b (with gastrostomy), never both; subscores bulbar (items 1–3), limb (4–9)
  and respiratory (10–12). An item may be "not done" or "unknown"
  (:class:`~offlabel.registry.vocabulary.ItemMissing`), which is not a 0: the total then has no
  value, and a subscore has one only when all of its items are scored.
- ``dm_stage`` (dogs): degenerative myelopathy stage 1–4.
- ``dm_gait`` (dogs): pelvic-limb gait score 0–6 (4–6 ambulatory).
- milestones: ``non_ambulatory`` (people and dogs), ``thoracic_limbs`` and ``euthanasia`` (dogs),
  ``death`` and ``censored`` (people and dogs).

Each scale names the species it belongs to; :func:`scales_for_species` and
:func:`milestones_for_species` give a form its choices. The level wording in the files is
offlabel's own. A malformed definition file raises :class:`ScaleDefinitionError` on loading, so a
bad edit fails every test at once instead of mis-scoring quietly.

Examples
--------
>>> items = {str(n): 4 for n in range(1, 13) if n != 5} | {"5a": 3}
>>> score_alsfrs_r(items)
AlsfrsResult(total=47, bulbar=12, limb=23, respiratory=12, gastrostomy=False)
>>> score_alsfrs_r(items | {"10": ItemMissing.NOT_DONE})
AlsfrsResult(total=None, bulbar=12, limb=23, respiratory=None, gastrostomy=False)
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.problems import Problem, ProblemCode, ScaleDefinitionError
from offlabel.registry.vocabulary import EventKind, ItemMissing, ItemValue, ScaleKey

__all__ = [
    "AlsfrsResult",
    "Level",
    "Milestone",
    "ScaleDefinition",
    "ScaleItem",
    "ScaleKind",
    "ScoreError",
    "Subscore",
    "alsfrs_r_items",
    "alsfrs_r_problems",
    "check_total",
    "get_scale",
    "load_milestones",
    "load_scale_file",
    "load_scales",
    "milestones_for_species",
    "scales_for_species",
    "score_alsfrs_r",
]


class ScaleKind(StrEnum):
    ITEM_SUM = "item_sum"
    """The total is the sum of item scores (ALSFRS-R)."""
    LEVELS = "levels"
    """A single ordered level is chosen (DM stage, gait score)."""


@dataclass(frozen=True, slots=True)
class Level:
    score: int
    text: str


@dataclass(frozen=True, slots=True)
class ScaleItem:
    """One item of an item-sum scale. Items sharing a ``number`` are alternatives (5a/5b)."""

    key: str
    number: int
    short_name: str
    levels: tuple[Level, ...]
    condition: str = ""

    @property
    def field(self) -> str:
        """Form field name for this item, e.g. ``item_5a``."""
        return f"item_{self.key}"


@dataclass(frozen=True, slots=True)
class Subscore:
    key: str
    title: str
    items: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ScaleDefinition:
    """A progression scale loaded from its definition file."""

    key: ScaleKey
    name: str
    title: str
    species: frozenset[TargetSpecies]
    kind: ScaleKind
    minimum: int
    maximum: int
    higher_is_better: bool
    items: tuple[ScaleItem, ...] = ()
    subscores: tuple[Subscore, ...] = ()
    levels: tuple[Level, ...] = ()
    ambulatory_from: int | None = None

    def applies_to(self, species: TargetSpecies) -> bool:
        return species in self.species

    def item(self, key: str) -> ScaleItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def level(self, score: int) -> Level:
        """The level with this score (for ``levels`` scales)."""
        for level in self.levels:
            if level.score == score:
                return level
        raise KeyError(score)

    def total_problems(self, total: int, field: str = "total") -> list[Problem]:
        """Problems with a total recorded on this scale (range only)."""
        if self.minimum <= total <= self.maximum:
            return []
        return [
            Problem(
                field,
                f"{self.name} must be between {self.minimum} and {self.maximum}, got {total}",
                ProblemCode.OUT_OF_RANGE,
            )
        ]


@dataclass(frozen=True, slots=True)
class Milestone:
    key: EventKind
    title: str
    description: str
    species: frozenset[TargetSpecies]
    ends_follow_up: bool

    def applies_to(self, species: TargetSpecies) -> bool:
        return species in self.species


@dataclass(frozen=True, slots=True)
class AlsfrsResult:
    """ALSFRS-R total and subscores; ``gastrostomy`` is ``True`` when item 5b was answered.

    The total is ``None`` when any item is missing (not done, unknown), a subscore when one of
    its own items is.
    """

    total: int | None
    bulbar: int | None
    limb: int | None
    respiratory: int | None
    gastrostomy: bool = False

    @property
    def subscores(self) -> dict[str, int | None]:
        return {"bulbar": self.bulbar, "limb": self.limb, "respiratory": self.respiratory}


class ScoreError(ValueError):
    """Raised by :func:`score_alsfrs_r` when the items cannot be scored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in problems))


# -- loading ---------------------------------------------------------------------------------


def _scale_dir() -> Path:
    return Path(str(resources.files("offlabel.registry") / "definitions"))


def _get(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise ScaleDefinitionError(f"{where}: missing key {key!r}")
    value = table[key]
    if kind is int and isinstance(value, bool):
        raise ScaleDefinitionError(f"{where}: {key!r} must be an integer")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind):
        raise ScaleDefinitionError(f"{where}: {key!r} must be {kind.__name__}, got {value!r}")
    return value


def _species(table: Mapping[str, Any], where: str) -> frozenset[TargetSpecies]:
    values = _get(table, "species", list, where)
    try:
        species = frozenset(TargetSpecies(v) for v in values)
    except ValueError as exc:
        raise ScaleDefinitionError(f"{where}: {exc}") from None
    if not species:
        raise ScaleDefinitionError(f"{where}: 'species' is empty")
    return species


def _levels(table: Mapping[str, Any], low: int, high: int, where: str) -> tuple[Level, ...]:
    raw = _get(table, "levels", dict, where)
    levels: list[Level] = []
    for key, text in raw.items():
        if not key.isdigit() or not isinstance(text, str) or not text.strip():
            raise ScaleDefinitionError(f"{where}: level {key!r} needs a number and its wording")
        levels.append(Level(int(key), text.strip()))
    scores = sorted(level.score for level in levels)
    if scores != list(range(low, high + 1)):
        raise ScaleDefinitionError(f"{where}: levels must be exactly {low}..{high}, got {scores}")
    return tuple(sorted(levels, key=lambda level: level.score))


def load_scale_file(path: Path) -> ScaleDefinition:
    """Load and validate one scale definition file.

    Raises
    ------
    ScaleDefinitionError
        If the file is not valid TOML or does not describe a consistent scale.
    """
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScaleDefinitionError(f"{where}: {exc}") from None
    try:
        key = ScaleKey(_get(data, "key", str, where))
        kind = ScaleKind(_get(data, "kind", str, where))
    except ValueError as exc:
        raise ScaleDefinitionError(f"{where}: {exc}") from None
    minimum = _get(data, "minimum", int, where)
    maximum = _get(data, "maximum", int, where)
    common: dict[str, Any] = {
        "key": key,
        "name": _get(data, "name", str, where),
        "title": _get(data, "title", str, where),
        "species": _species(data, where),
        "kind": kind,
        "minimum": minimum,
        "maximum": maximum,
        "higher_is_better": _get(data, "higher_is_better", bool, where),
    }
    if kind is ScaleKind.LEVELS:
        ambulatory = data.get("ambulatory_from")
        if ambulatory is not None and not (
            isinstance(ambulatory, int) and minimum <= ambulatory <= maximum
        ):
            raise ScaleDefinitionError(f"{where}: 'ambulatory_from' must be a level")
        return ScaleDefinition(
            **common, levels=_levels(data, minimum, maximum, where), ambulatory_from=ambulatory
        )
    items = tuple(
        _item(raw, f"{where} item {i + 1}")
        for i, raw in enumerate(_get(data, "items", list, where))
    )
    subscores = tuple(
        Subscore(
            _get(raw, "key", str, where),
            _get(raw, "title", str, where),
            tuple(_get(raw, "items", list, where)),
        )
        for raw in data.get("subscores", [])
    )
    _check_item_sum(items, subscores, minimum, maximum, where)
    return ScaleDefinition(**common, items=items, subscores=subscores)


def _item(raw: Mapping[str, Any], where: str) -> ScaleItem:
    key = _get(raw, "key", str, where)
    return ScaleItem(
        key=key,
        number=_get(raw, "number", int, where),
        short_name=_get(raw, "short_name", str, where),
        levels=_levels(raw, 0, 4, f"{where} ({key})"),
        condition=str(raw.get("condition", "")),
    )


def _check_item_sum(
    items: tuple[ScaleItem, ...],
    subscores: tuple[Subscore, ...],
    minimum: int,
    maximum: int,
    where: str,
) -> None:
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise ScaleDefinitionError(f"{where}: item keys repeat")
    numbers = sorted({item.number for item in items})
    if numbers != list(range(1, len(numbers) + 1)):
        raise ScaleDefinitionError(f"{where}: item numbers must run 1..n, got {numbers}")
    covered = sorted(n for sub in subscores for n in sub.items)
    if subscores and covered != numbers:
        raise ScaleDefinitionError(f"{where}: subscores must cover every item number once")
    if minimum != 0 or maximum != 4 * len(numbers):
        raise ScaleDefinitionError(f"{where}: range must be 0..{4 * len(numbers)}")


@cache
def load_scales() -> Mapping[ScaleKey, ScaleDefinition]:
    """Every scale shipped with offlabel, keyed by :class:`ScaleKey` (loaded once)."""
    scales = {}
    for key in ScaleKey:
        scale = load_scale_file(_scale_dir() / f"{key.value}.toml")
        if scale.key is not key:
            raise ScaleDefinitionError(f"{key.value}.toml declares key {scale.key.value!r}")
        scales[key] = scale
    return scales


def get_scale(key: ScaleKey | str) -> ScaleDefinition:
    """The definition of one scale."""
    return load_scales()[ScaleKey(key)]


def scales_for_species(species: TargetSpecies | str) -> tuple[ScaleDefinition, ...]:
    """The scales that may be recorded for a species, in :class:`ScaleKey` order."""
    target = TargetSpecies(species)
    return tuple(s for s in load_scales().values() if s.applies_to(target))


@cache
def load_milestones() -> Mapping[EventKind, Milestone]:
    """Every milestone definition, keyed by :class:`EventKind` (loaded once)."""
    path = _scale_dir() / "milestones.toml"
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        milestones = {}
        for raw in _get(data, "milestones", list, where):
            key = EventKind(_get(raw, "key", str, where))
            milestones[key] = Milestone(
                key=key,
                title=_get(raw, "title", str, where),
                description=_get(raw, "description", str, where),
                species=_species(raw, f"{where} {key.value}"),
                ends_follow_up=_get(raw, "ends_follow_up", bool, where),
            )
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise ScaleDefinitionError(f"{where}: {exc}") from None
    if set(milestones) != set(EventKind):
        raise ScaleDefinitionError(f"{where}: must define exactly {[e.value for e in EventKind]}")
    for key, milestone in milestones.items():
        if milestone.ends_follow_up != key.ends_follow_up:
            raise ScaleDefinitionError(f"{where}: {key.value} ends_follow_up disagrees with code")
    return milestones


def milestones_for_species(species: TargetSpecies | str) -> tuple[Milestone, ...]:
    """The milestones that may be recorded for a species."""
    target = TargetSpecies(species)
    return tuple(m for m in load_milestones().values() if m.applies_to(target))


# -- ALSFRS-R scoring ------------------------------------------------------------------------


def alsfrs_r_problems(items: Mapping[str, object]) -> list[Problem]:
    """Check a set of ALSFRS-R item scores; an empty list means it can be scored.

    Parameters
    ----------
    items
        Item key (``"1"`` … ``"12"``, ``"5a"`` or ``"5b"``) to score 0–4, or to an
        :class:`~offlabel.registry.vocabulary.ItemMissing` reason.

    Returns
    -------
    list of Problem
        Each names the item in ``field`` (``item_5a``) and in the message.
    """
    scale = get_scale(ScaleKey.ALSFRS_R)
    known = {item.key: item for item in scale.items}
    problems: list[Problem] = []
    for key, value in items.items():
        item = known.get(key)
        if item is None:
            problems.append(
                Problem(
                    f"item_{key}",
                    f"ALSFRS-R has no item {key!r} (items are 1–12, with 5a or 5b)",
                    ProblemCode.ITEM_UNKNOWN,
                )
            )
        elif isinstance(value, ItemMissing):
            continue
        elif not isinstance(value, int) or isinstance(value, bool):
            problems.append(
                Problem(
                    item.field,
                    f"ALSFRS-R item {key} ({item.short_name}) must be a whole number 0–4, "
                    f"got {value!r}",
                    ProblemCode.BAD_FORMAT,
                )
            )
        elif not 0 <= value <= 4:
            problems.append(
                Problem(
                    item.field,
                    f"ALSFRS-R item {key} ({item.short_name}) must be 0–4, got {value}",
                    ProblemCode.OUT_OF_RANGE,
                )
            )
    for number in sorted({item.number for item in scale.items}):
        alternatives = [item for item in scale.items if item.number == number]
        given = [item for item in alternatives if item.key in items]
        if not given:
            names = " or ".join(item.key for item in alternatives)
            problems.append(
                Problem(
                    alternatives[0].field,
                    f"ALSFRS-R item {names} ({alternatives[0].short_name}) is missing",
                    ProblemCode.ITEM_MISSING,
                )
            )
        elif len(given) > 1:
            problems.append(
                Problem(
                    given[-1].field,
                    f"ALSFRS-R items {' and '.join(i.key for i in given)} are alternatives: "
                    "score 5a without a gastrostomy or 5b with one, not both",
                    ProblemCode.ITEM_CONFLICT,
                )
            )
    return problems


def _sum(values: list[ItemValue]) -> int | None:
    scored = [v for v in values if not isinstance(v, ItemMissing)]
    return sum(scored) if len(scored) == len(values) else None


def score_alsfrs_r(items: Mapping[str, ItemValue]) -> AlsfrsResult:
    """Total and subscores of one ALSFRS-R assessment (``None`` where an item is missing).

    Raises
    ------
    ScoreError
        With the problems of :func:`alsfrs_r_problems` when an item is not answered at all
        (neither scored nor marked not done/unknown) or is invalid.
    """
    problems = alsfrs_r_problems(items)
    if problems:
        raise ScoreError(problems)
    scale = get_scale(ScaleKey.ALSFRS_R)
    by_number = {scale.item(key).number: value for key, value in items.items()}
    sub = {s.key: _sum([by_number[n] for n in s.items]) for s in scale.subscores}
    return AlsfrsResult(
        total=_sum(list(by_number.values())),
        bulbar=sub["bulbar"],
        limb=sub["limb"],
        respiratory=sub["respiratory"],
        gastrostomy="5b" in items,
    )


def alsfrs_r_items(items: Mapping[str, ItemValue]) -> tuple[tuple[str, ItemValue], ...]:
    """The items in the scale's order (``1``, ``2`` … ``5a``, ``5b`` … ``12``), as records hold
    them; unknown keys keep their place at the end, for the checks to report."""
    order = {item.key: i for i, item in enumerate(get_scale(ScaleKey.ALSFRS_R).items)}
    return tuple(sorted(items.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def check_total(items: Mapping[str, ItemValue], total: int | None) -> list[Problem]:
    """Problems when a recorded ALSFRS-R total disagrees with its items (or they are invalid).

    With a missing item the total must be empty: an incomplete assessment has no total.
    """
    problems = alsfrs_r_problems(items)
    if problems:
        return problems
    computed = score_alsfrs_r(items).total
    if computed is None and total is not None:
        missing = ", ".join(k for k, v in alsfrs_r_items(items) if isinstance(v, ItemMissing))
        return [
            Problem(
                "total",
                f"ALSFRS-R total {total} is given, but item {missing} is not scored: "
                "an assessment with a missing item has no total",
                ProblemCode.TOTAL_MISMATCH,
            )
        ]
    if computed is not None and total is None:
        return [
            Problem(
                "total",
                f"ALSFRS-R total is empty, but every item is scored (sum {computed})",
                ProblemCode.TOTAL_MISMATCH,
            )
        ]
    if computed != total:
        return [
            Problem(
                "total",
                f"ALSFRS-R total {total} does not match the sum of its items ({computed})",
                ProblemCode.TOTAL_MISMATCH,
            )
        ]
    return []
