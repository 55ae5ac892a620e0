"""Checks a clinician would make across fields and records of one subject, defined as data.

The kinds of check are fixed here; their parameters and wording are data in
``definitions/consistency.toml`` (like the scales), and every message names both fields it
compares:

- **course overlap**: two courses of one therapy running at the same time;
- **after the end**: a course started or stopped, a score or a milestone dated after death,
  euthanasia or the last contact (evaluations may follow: an owner judges a treatment after the
  dog has died);
- **DM stage and gait**: a stage and a gait score of the same day that describe different dogs
  (stage 1 "walks on its own" with gait 0 "paralysed");
- **ALSFRS-R change**: a rise or fall between two complete assessments a few weeks apart that is
  too large to take on trust: the person is asked to confirm it (``needs_confirmation``).

Each function takes one subject's records and returns ``(index, problem)`` pairs, the index
into the sequence it was given; :func:`offlabel.registry.validation.validate_records` runs them
for every subject.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from offlabel.registry.problems import Problem, ProblemCode, ScaleDefinitionError
from offlabel.registry.records import EventRow, ScoreRow, TreatmentRow
from offlabel.registry.scales import get_scale, load_milestones
from offlabel.registry.vocabulary import EventKind, ScaleKey

__all__ = [
    "Consistency",
    "after_end_problems",
    "alsfrs_change_problems",
    "course_overlap_problems",
    "load_consistency",
    "stage_gait_problems",
]


@dataclass(frozen=True, slots=True)
class _Check:
    message: str
    confirm: bool

    def problem(self, column: str, code: ProblemCode, /, **values: object) -> Problem:
        return Problem(column, self.message.format(**values), code, needs_confirmation=self.confirm)


@dataclass(frozen=True, slots=True)
class ChangeLimit:
    """A change of at least ``points`` within ``within_days``, ``above`` or ``below``."""

    direction: str
    points: int
    within_days: int


@dataclass(frozen=True, slots=True)
class Consistency:
    """The loaded ``consistency.toml``."""

    course_overlap: _Check
    after_end: _Check
    after_end_events: Mapping[str, frozenset[EventKind]]
    """``table.field`` → the events after which it may not be dated."""
    stage_gait: _Check
    gait_of_stage: Mapping[int, tuple[int, int]]
    alsfrs_change: _Check
    change_limits: tuple[ChangeLimit, ...]


_PLACEHOLDERS = {
    "course_overlap": {"therapy", "start", "other_start", "other_stop"},
    "after_end": {"field", "when", "event", "end"},
    "dm_stage_gait": {"gait", "gait_text", "stage", "stage_text", "low", "high"},
    "alsfrs_r_change": {"total", "points", "direction", "other_total", "other_date", "days"},
}
_AFTER_END_FIELDS = {
    "treatments.start_date",
    "treatments.stop_date",
    "scores.date",
    "events.date",
    "evaluations.date",
}


def _check(data: Mapping[str, Any], key: str) -> _Check:
    where = f"consistency.toml [{key}]"
    table = data.get(key)
    if not isinstance(table, dict):
        raise ScaleDefinitionError(f"{where} is missing")
    message, confirm = table.get("message"), table.get("confirm")
    if not isinstance(message, str) or not isinstance(confirm, bool):
        raise ScaleDefinitionError(f"{where} needs a message and confirm = true/false")
    used = {name for _, name, _, _ in string.Formatter().parse(message) if name}
    if unknown := used - _PLACEHOLDERS[key]:
        raise ScaleDefinitionError(f"{where}: unknown placeholder(s) {sorted(unknown)}")
    return _Check(message, confirm)


def _path() -> Path:
    return Path(str(resources.files("offlabel.registry") / "definitions" / "consistency.toml"))


def parse_consistency(text: str) -> Consistency:
    """Read a ``consistency.toml`` text; a malformed one raises ``ScaleDefinitionError``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScaleDefinitionError(f"consistency.toml: {exc}") from None
    after_end = _check(data, "after_end")
    after_end_events: dict[str, frozenset[EventKind]] = {}
    for rule in data["after_end"].get("rules", []):
        field = rule.get("field")
        try:
            kinds = frozenset(EventKind(e) for e in rule.get("events", []))
        except ValueError as exc:
            raise ScaleDefinitionError(f"consistency.toml: after_end {exc}") from None
        if field not in _AFTER_END_FIELDS or not all(k.ends_follow_up for k in kinds):
            raise ScaleDefinitionError(f"consistency.toml: after_end rule {rule}")
        after_end_events[field] = kinds
    stage_scale, gait_scale = get_scale(ScaleKey.DM_STAGE), get_scale(ScaleKey.DM_GAIT)
    gait_of_stage: dict[int, tuple[int, int]] = {}
    for row in data["dm_stage_gait"].get("stages", []):
        stage, (low, high) = row["stage"], row["gait"]
        if not (
            stage_scale.minimum <= stage <= stage_scale.maximum
            and gait_scale.minimum <= low <= high <= gait_scale.maximum
        ):
            raise ScaleDefinitionError(f"consistency.toml: stage {stage} gait {low}..{high}")
        gait_of_stage[stage] = (low, high)
    limits = []
    for row in data["alsfrs_r_change"].get("limits", []):
        if row["direction"] not in {"above", "below"} or row["points"] < 1:
            raise ScaleDefinitionError(f"consistency.toml: ALSFRS-R change limit {row}")
        limits.append(ChangeLimit(row["direction"], int(row["points"]), int(row["within_days"])))
    return Consistency(
        course_overlap=_check(data, "course_overlap"),
        after_end=after_end,
        after_end_events=after_end_events,
        stage_gait=_check(data, "dm_stage_gait"),
        gait_of_stage=gait_of_stage,
        alsfrs_change=_check(data, "alsfrs_r_change"),
        change_limits=tuple(limits),
    )


@cache
def load_consistency() -> Consistency:
    """The shipped checks (loaded once)."""
    return parse_consistency(_path().read_text(encoding="utf-8"))


# -- the checks ----------------------------------------------------------------------------------


def course_overlap_problems(courses: Sequence[TreatmentRow]) -> list[tuple[int, Problem]]:
    """Courses of one therapy (case-insensitively) that start while an earlier one still runs.

    The later course gets the problem, on ``start_date``. Two courses with the same start are
    a duplicate, reported by the duplicate rule instead.
    """
    check = load_consistency().course_overlap
    out = []
    by_therapy: dict[str, list[int]] = {}
    for i, course in enumerate(courses):
        by_therapy.setdefault(course.therapy.casefold(), []).append(i)
    for indices in by_therapy.values():
        ordered = sorted(indices, key=lambda i: (courses[i].start_date, i))
        for earlier, later in itertools.pairwise(ordered):
            first, second = courses[earlier], courses[later]
            if first.start_date == second.start_date:
                continue
            if first.stop_date is None or first.stop_date > second.start_date:
                out.append(
                    (
                        later,
                        check.problem(
                            "start_date",
                            ProblemCode.OVERLAP,
                            therapy=second.therapy,
                            start=second.start_date.isoformat(),
                            other_start=first.start_date.isoformat(),
                            other_stop=(
                                "none, still running"
                                if first.stop_date is None
                                else first.stop_date.isoformat()
                            ),
                        ),
                    )
                )
    return out


def after_end_problems(
    table: str, field: str, when: dt.date | None, events: Sequence[EventRow]
) -> list[Problem]:
    """``when`` (``table.field``) dated after an end of follow-up that the field's rule in
    ``consistency.toml`` names (``events``: the subject's milestones)."""
    rules = load_consistency()
    kinds = rules.after_end_events.get(f"{table}.{field}", frozenset())
    ends = [e for e in events if e.event in kinds]
    if when is None or not ends:
        return []
    end = min(ends, key=lambda e: (e.date, e.event.value))
    if when <= end.date:
        return []
    return [
        rules.after_end.problem(
            field,
            ProblemCode.AFTER_END,
            field=field,
            when=when.isoformat(),
            event=load_milestones()[end.event].title.lower(),
            end=end.date.isoformat(),
        )
    ]


def stage_gait_problems(scores: Sequence[ScoreRow]) -> list[tuple[int, Problem]]:
    """A DM stage and a gait score of one day that do not fit; the gait score gets it (total)."""
    rules = load_consistency()
    stage_scale, gait_scale = get_scale(ScaleKey.DM_STAGE), get_scale(ScaleKey.DM_GAIT)
    stages = {
        s.date: s.total for s in scores if s.scale is ScaleKey.DM_STAGE and s.total is not None
    }
    out = []
    for i, score in enumerate(scores):
        if score.scale is not ScaleKey.DM_GAIT or score.total is None:
            continue
        stage = stages.get(score.date)
        if stage is None or stage not in rules.gait_of_stage:
            continue
        low, high = rules.gait_of_stage[stage]
        if low <= score.total <= high:
            continue
        if not (gait_scale.minimum <= score.total <= gait_scale.maximum):
            continue  # out of range: the range rule reports it
        out.append(
            (
                i,
                rules.stage_gait.problem(
                    "total",
                    ProblemCode.INCONSISTENT,
                    gait=score.total,
                    gait_text=_short(gait_scale.level(score.total).text),
                    stage=stage,
                    stage_text=_short(stage_scale.level(stage).text),
                    low=low,
                    high=high,
                ),
            )
        )
    return out


def _short(text: str) -> str:
    """A level's wording up to its first colon or full stop, lower-cased at the start."""
    head = text.split(":")[0].split(".")[0].strip()
    return head[:1].lower() + head[1:]


def alsfrs_change_problems(scores: Sequence[ScoreRow]) -> list[tuple[int, Problem]]:
    """A complete ALSFRS-R total too far from the previous complete one within a few weeks."""
    rules = load_consistency()
    scale = get_scale(ScaleKey.ALSFRS_R)
    complete = sorted(
        (
            (s.date, i)
            for i, s in enumerate(scores)
            if s.scale is ScaleKey.ALSFRS_R
            and s.total is not None
            and scale.minimum <= s.total <= scale.maximum  # out of range: the range rule says so
        ),
    )
    out = []
    for (before_date, before), (after_date, after) in itertools.pairwise(complete):
        old, new = scores[before].total, scores[after].total
        if old is None or new is None:  # pragma: no cover - filtered above
            continue
        days = (after_date - before_date).days
        if days == 0:
            continue
        for limit in rules.change_limits:
            change = new - old if limit.direction == "above" else old - new
            if change >= limit.points and days <= limit.within_days:
                out.append(
                    (
                        after,
                        rules.alsfrs_change.problem(
                            "total",
                            ProblemCode.IMPLAUSIBLE_CHANGE,
                            total=new,
                            points=change,
                            direction=limit.direction,
                            other_total=old,
                            other_date=before_date.isoformat(),
                            days=days,
                        ),
                    )
                )
                break
    return out
