"""One CSV row to one record: the cell readers shared by the bulk and de-identified layouts.

A :class:`Cells` object reads a row's text cells as typed values (dates, numbers, choices,
side effects), collecting a :class:`~offlabel.registry.problems.Problem` for each bad cell; the
``*_row`` functions build one record of each file, or ``None`` when a cell was bad.
:class:`DayCells` reads a row of the de-identified layout into the same records.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.deidentify import DEIDENTIFIED_EPOCH
from offlabel.registry.fields import parse_choice
from offlabel.registry.layout import ALSFRS_R_ITEM_COLUMNS, DEIDENTIFIED_NAME, SUBSCORE_COLUMNS
from offlabel.registry.problems import Problem, ProblemCode
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    ScoreRow,
    SideEffect,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.scales import alsfrs_r_items, alsfrs_r_problems, score_alsfrs_r
from offlabel.registry.vocabulary import (
    Adherence,
    Burden,
    CourseSource,
    DiagnosisMethod,
    DoseUnit,
    EventKind,
    ItemMissing,
    ItemValue,
    OnsetRegion,
    ReversalStatus,
    ScaleKey,
    Sex,
    Sod1Genotype,
    TimeOfDay,
)

E = TypeVar("E", bound=StrEnum)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d{1,9}")
_FLOAT = re.compile(r"[+-]?(?:\d{1,15}(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


# -- cells -----------------------------------------------------------------------------------


@dataclass
class Cells:
    """One CSV row as a column → text mapping, collecting problems while cells are read."""

    values: Mapping[str, str]
    problems: list[Problem] = field(default_factory=list)

    def _raw(self, column: str, required: bool) -> str | None:
        text = self.values[column].strip()
        if not text:
            if required:
                self.problems.append(Problem(column, "a value is required", ProblemCode.REQUIRED))
            return None
        return text

    def text(self, column: str, *, required: bool = False) -> str:
        return self._raw(column, required) or ""

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        text = self._raw(column, required)
        if text is None:
            return None
        if _DATE.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self._bad(column, f"{text!r} is not a date (YYYY-MM-DD)")
        return None

    def integer(self, column: str, *, required: bool = False) -> int | None:
        text = self._raw(column, required)
        if text is None:
            return None
        if _INT.fullmatch(text):
            return int(text)
        self._bad(column, f"{text!r} is not a whole number")
        return None

    def number(self, column: str) -> float | None:
        text = self._raw(column, False)
        if text is None:
            return None
        if _FLOAT.fullmatch(text):
            value = float(text)
            if math.isfinite(value):
                return value
        self._bad(column, f"{text!r} is not a number")
        return None

    def choice(self, column: str, enum: type[E], *, required: bool = False) -> E | None:
        text = self._raw(column, required)
        if text is None:
            return None
        value, problems = parse_choice(column, text, enum)
        self.problems += problems
        return value

    def side_effects(self, column: str) -> tuple[SideEffect, ...]:
        effects = []
        for piece in self.text(column).split(";"):
            name, sep, severity_text = piece.strip().rpartition(":")
            if not sep:
                name, severity_text = severity_text, ""
            name = name.strip()
            if not name:
                if piece.strip():
                    self._bad(column, f"side effect {piece.strip()!r} has no name")
                continue
            severity = None
            if severity_text.strip():
                severity, problems = parse_choice(column, severity_text.strip(), Severity)
                self.problems += problems
            effects.append(SideEffect(name, severity))
        return tuple(effects)

    def items(self) -> tuple[tuple[str, ItemValue], ...]:
        """ALSFRS-R item cells: a score 0–4, ``not_done`` or ``unknown``; empty = not recorded."""
        items: dict[str, ItemValue] = {}
        for column in ALSFRS_R_ITEM_COLUMNS:
            text = self.values.get(column, "").strip()
            if not text:
                continue
            key = column.removeprefix("item_")
            if _INT.fullmatch(text):
                items[key] = int(text)
            elif text in {m.value for m in ItemMissing}:
                items[key] = ItemMissing(text)
            else:
                self._bad(column, f"{text!r} is not a score 0–4, not_done or unknown")
        return alsfrs_r_items(items)

    def subscores(self, items: tuple[tuple[str, ItemValue], ...]) -> None:
        """Subscore cells, when filled in, must be what the items add up to."""
        given = {c: self.values.get(c, "").strip() for c in SUBSCORE_COLUMNS}
        if not any(given.values()):
            return
        mapping = dict(items)
        if not items or alsfrs_r_problems(mapping):
            for column, text in given.items():
                if text:
                    self.problems.append(
                        Problem(
                            column,
                            "a subscore is written only with every ALSFRS-R item answered",
                            ProblemCode.NOT_ALLOWED,
                        )
                    )
            return
        computed = score_alsfrs_r(mapping).subscores
        for column, text in given.items():
            expected = computed[column]
            if text != ("" if expected is None else str(expected)):
                shown = "empty (an item is missing)" if expected is None else str(expected)
                self.problems.append(
                    Problem(
                        column,
                        f"subscore {text or 'empty'} does not match its items ({shown})",
                        ProblemCode.TOTAL_MISMATCH,
                    )
                )

    def _bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(column, message, ProblemCode.BAD_FORMAT))


def subject_row(c: Cells) -> SubjectRow | None:
    subject_id = c.text("subject_id", required=True)
    species = c.choice("species", TargetSpecies, required=True)
    onset = c.date("onset_date", required=True)
    birth_year = c.integer("birth_year")
    sex = c.choice("sex", Sex) or Sex.UNKNOWN
    breed = c.text("breed")
    sod1 = c.choice("sod1", Sod1Genotype)
    diagnosis_date = c.date("diagnosis_date")
    onset_region = c.choice("onset_region", OnsetRegion)
    diagnosis_method = c.choice("diagnosis_method", DiagnosisMethod)
    confirmed_by = c.text("diagnosis_confirmed_by")
    weight = c.number("weight_kg")
    consent_date = c.date("consent_date")
    consent_scope = c.text("consent_scope")
    reversal = c.choice("reversal", ReversalStatus)
    if c.problems or species is None or onset is None:
        return None
    return SubjectRow(
        subject_id,
        species,
        onset,
        birth_year,
        sex,
        breed,
        sod1,
        diagnosis_date=diagnosis_date,
        onset_region=onset_region,
        diagnosis_method=diagnosis_method,
        diagnosis_confirmed_by=confirmed_by,
        weight_kg=weight,
        consent_date=consent_date,
        consent_scope=consent_scope,
        reversal=reversal,
    )


def treatment_row(c: Cells) -> TreatmentRow | None:
    subject_id = c.text("subject_id", required=True)
    therapy = c.text("therapy", required=True)
    start = c.date("start_date", required=True)
    stop = c.date("stop_date")
    dose = c.number("dose")
    unit = c.choice("dose_unit", DoseUnit)
    cost = c.number("cost_per_month")
    frequency = c.text("frequency")
    time_of_day = c.choice("time_of_day", TimeOfDay)
    source = c.choice("source", CourseSource)
    reason = c.text("reason_stopped")
    if c.problems or start is None:
        return None
    return TreatmentRow(
        subject_id, therapy, start, stop, dose, unit, cost, frequency, time_of_day, source, reason
    )


def evaluation_row(c: Cells) -> EvaluationRow | None:
    subject_id = c.text("subject_id", required=True)
    therapy = c.text("therapy", required=True)
    date = c.date("date", required=True)
    efficacy = c.choice("efficacy", Efficacy, required=True)
    effects = c.side_effects("side_effects")
    course_start = c.date("course_start")
    adherence = c.choice("adherence", Adherence)
    burden = c.choice("burden", Burden)
    notes = c.text("notes")
    if c.problems or date is None or efficacy is None:
        return None
    return EvaluationRow(
        subject_id, therapy, date, efficacy, effects, course_start, adherence, burden, notes
    )


def score_row(c: Cells) -> ScoreRow | None:
    subject_id = c.text("subject_id", required=True)
    date = c.date("date", required=True)
    scale = c.choice("scale", ScaleKey, required=True)
    items = c.items()
    c.subscores(items)
    total = c.integer("total", required=not items)
    if c.problems or date is None or scale is None:
        return None
    return ScoreRow(subject_id, date, scale, total, items)


def event_row(c: Cells) -> EventRow | None:
    subject_id = c.text("subject_id", required=True)
    event = c.choice("event", EventKind, required=True)
    date = c.date("date", required=True)
    if c.problems or event is None or date is None:
        return None
    return EventRow(subject_id, event, date)


# -- the de-identified layout: days since onset instead of dates ------------------------------


@dataclass
class DayCells(Cells):
    """A row of the de-identified layout, read into the same records as the bulk layout.

    Each date column is read from its day column (:data:`~offlabel.registry.layout.
    DEIDENTIFIED_NAME`) as that many days after :data:`~offlabel.registry.deidentify.
    DEIDENTIFIED_EPOCH`, and the birth year from the age at onset, counted back from the
    epoch's year, so the row parsers above serve both layouts. Problems name the file's own
    columns.
    """

    def _raw(self, column: str, required: bool) -> str | None:
        name = DEIDENTIFIED_NAME.get(column, column)
        if name not in self.values:  # withheld from the de-identified layout: no value
            if required:
                self.problems.append(Problem(name, "a value is required", ProblemCode.REQUIRED))
            return None
        return super()._raw(name, required)

    def _bad(self, column: str, message: str) -> None:
        super()._bad(DEIDENTIFIED_NAME.get(column, column), message)

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        day = super().integer(column, required=required)
        if day is None:
            return None
        if abs(day) > MAX_DAYS:
            self._bad(column, f"{day} days is more than {MAX_DAYS // 365} years from onset")
            return None
        return DEIDENTIFIED_EPOCH + dt.timedelta(days=day)

    def integer(self, column: str, *, required: bool = False) -> int | None:
        value = super().integer(column, required=required)
        if column != "birth_year" or value is None:
            return value
        if not 0 <= value <= MAX_AGE_YEARS:
            self._bad(column, f"{value} is not an age in years (0 to {MAX_AGE_YEARS})")
            return None
        return DEIDENTIFIED_EPOCH.year - value


#: Limits of the de-identified layout's numbers (anything beyond is a broken file, not a record).
MAX_DAYS = 150 * 365
MAX_AGE_YEARS = 130
