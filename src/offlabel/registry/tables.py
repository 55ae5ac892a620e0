"""Records from typed tables: how simulations and tests hand the registry data they built.

A program that makes registry data in bulk (a simulation, a test's builder) has columns, not
records. :func:`bundle_from_tables` turns data frames with the columns of the CSV layout
(:mod:`offlabel.registry.layout`) into a :class:`~offlabel.registry.records.RegistryBundle`,
row order kept. It converts types only and checks nothing: the rules run when the bundle is
validated (:meth:`offlabel.registry.frames.RegistryFrames.from_bundle`), exactly as for records
read from files or from the database. Values of the wrong type raise ``ValueError`` (a
programming error, not user input: people's files go through
:func:`~offlabel.registry.csv_read.read_registry_dir`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any, TypeVar

import pandas as pd

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.layout import ALSFRS_R_ITEM_COLUMNS
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    RegistryBundle,
    ScoreRow,
    SideEffect,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.scales import alsfrs_r_items
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

__all__ = ["bundle_from_tables"]

E = TypeVar("E", bound=StrEnum)


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _date(value: object) -> dt.date | None:
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def _float(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def _int(value: Any) -> int | None:
    number = _float(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _text(value: object) -> str:
    return "" if _missing(value) else str(value).strip()


def _enum(enum: type[E], value: object) -> E | None:
    return None if _missing(value) else enum(str(value).strip())


def _side_effects(value: object) -> tuple[SideEffect, ...]:
    effects = []
    for piece in _text(value).split(";"):
        name, sep, severity = piece.strip().rpartition(":")
        if not sep:
            name, severity = severity, ""
        if name.strip():
            effects.append(SideEffect(name.strip(), _enum(Severity, severity)))
    return tuple(effects)


def _rows(frame: pd.DataFrame | None) -> Iterator[Mapping[str, Any]]:
    if frame is None or frame.empty:
        return iter(())
    columns = list(frame.columns)
    return (dict(zip(columns, values, strict=True)) for values in frame.itertuples(index=False))


def _subject(r: Mapping[str, Any]) -> SubjectRow:
    onset = _date(r["onset_date"])
    if onset is None:
        raise ValueError(f"subject {r['subject_id']!r} has no onset date")
    return SubjectRow(
        subject_id=_text(r["subject_id"]),
        species=TargetSpecies(_text(r["species"])),
        onset_date=onset,
        birth_year=_int(r.get("birth_year")),
        sex=_enum(Sex, r.get("sex")) or Sex.UNKNOWN,
        breed=_text(r.get("breed")),
        sod1=_enum(Sod1Genotype, r.get("sod1")) if not _missing(r.get("sod1")) else None,
        diagnosis_date=_date(r.get("diagnosis_date")),
        onset_region=_enum(OnsetRegion, r.get("onset_region")),
        diagnosis_method=_enum(DiagnosisMethod, r.get("diagnosis_method")),
        diagnosis_confirmed_by=_text(r.get("diagnosis_confirmed_by")),
        weight_kg=_float(r.get("weight_kg")),
        consent_date=_date(r.get("consent_date")),
        consent_scope=_text(r.get("consent_scope")),
        reversal=_enum(ReversalStatus, r.get("reversal")),
    )


def _treatment(r: Mapping[str, Any]) -> TreatmentRow:
    start = _date(r["start_date"])
    if start is None:
        raise ValueError(f"a course of {r['therapy']!r} has no start date")
    return TreatmentRow(
        subject_id=_text(r["subject_id"]),
        therapy=_text(r["therapy"]),
        start_date=start,
        stop_date=_date(r.get("stop_date")),
        dose=_float(r.get("dose")),
        dose_unit=_enum(DoseUnit, r.get("dose_unit")),
        cost_per_month=_float(r.get("cost_per_month")),
        frequency=_text(r.get("frequency")),
        time_of_day=_enum(TimeOfDay, r.get("time_of_day")),
        source=_enum(CourseSource, r.get("source")),
        reason_stopped=_text(r.get("reason_stopped")),
    )


def _evaluation(r: Mapping[str, Any]) -> EvaluationRow:
    return EvaluationRow(
        subject_id=_text(r["subject_id"]),
        therapy=_text(r["therapy"]),
        date=_required_date(r["date"]),
        efficacy=Efficacy(_text(r["efficacy"])),
        side_effects=_side_effects(r.get("side_effects")),
        course_start=_date(r.get("course_start")),
        adherence=_enum(Adherence, r.get("adherence")),
        burden=_enum(Burden, r.get("burden")),
        notes=_text(r.get("notes")),
    )


def _item(value: object) -> ItemValue | None:
    if _missing(value):
        return None
    text = str(value).strip()
    if text in {m.value for m in ItemMissing}:
        return ItemMissing(text)
    return _int(value)


def _score(r: Mapping[str, Any]) -> ScoreRow:
    items: dict[str, ItemValue] = {}
    for column in ALSFRS_R_ITEM_COLUMNS:
        value = _item(r.get(column))
        if value is not None:
            items[column.removeprefix("item_")] = value
    total = _int(r.get("total"))
    if total is None and not items:
        raise ValueError("a score has neither a total nor items")
    return ScoreRow(
        subject_id=_text(r["subject_id"]),
        date=_required_date(r["date"]),
        scale=ScaleKey(_text(r["scale"])),
        total=total,
        items=alsfrs_r_items(items),
    )


def _event(r: Mapping[str, Any]) -> EventRow:
    return EventRow(
        subject_id=_text(r["subject_id"]),
        event=EventKind(_text(r["event"])),
        date=_required_date(r["date"]),
    )


def _required_date(value: object) -> dt.date:
    date = _date(value)
    if date is None:
        raise ValueError("a required date is missing")
    return date


def _convert(
    frame: pd.DataFrame | None, row: Callable[[Mapping[str, Any]], Any]
) -> tuple[Any, ...]:
    return tuple(row(r) for r in _rows(frame))


def bundle_from_tables(
    subjects: pd.DataFrame,
    treatments: pd.DataFrame | None = None,
    evaluations: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
) -> RegistryBundle:
    """Records from data frames with the CSV layout's columns (optional columns may be absent).

    Parameters
    ----------
    subjects, treatments, evaluations, scores, events : pandas.DataFrame
        Dates may be ``datetime64``, ``date`` objects or ISO strings; an empty or missing
        value is ``None``/``NaN``/``NaT``/``""``. A table left out is empty.

    Returns
    -------
    RegistryBundle
        Row order as given (not validated: see the module docstring).

    Examples
    --------
    >>> people = pd.DataFrame({"subject_id": ["p1"], "species": ["human"],
    ...                        "onset_date": ["2020-01-01"]})
    >>> bundle_from_tables(people).subjects[0].onset_date
    datetime.date(2020, 1, 1)
    """
    return RegistryBundle(
        subjects=_convert(subjects, _subject),
        treatments=_convert(treatments, _treatment),
        evaluations=_convert(evaluations, _evaluation),
        scores=_convert(scores, _score),
        events=_convert(events, _event),
    )
