"""The registry's bulk CSV layout: one directory, five files, the same both ways.

Other tools (the synthetic registries, the analyses, the web import and export) read and write
this layout: keep it stable. ``CSV_LAYOUT.md`` beside this module documents it for people;
:mod:`offlabel.registry.csv_read` reads it, :mod:`offlabel.registry.csv_write` writes it.

========================  =================================================================
file                      columns
========================  =================================================================
``subjects.csv``          subject_id, species, onset_date, birth_year, sex, breed, sod1,
                          diagnosis_date, onset_region, diagnosis_method,
                          diagnosis_confirmed_by, weight_kg, consent_date, consent_scope,
                          reversal
``treatments.csv``        subject_id, therapy, start_date, stop_date, dose, dose_unit,
                          cost_per_month, frequency, time_of_day, source, reason_stopped
``evaluations.csv``       subject_id, therapy, date, efficacy, side_effects, course_start,
                          adherence, burden, notes
``scores.csv``            subject_id, date, scale, total, item_1 … item_12 (with item_5a and
                          item_5b), bulbar, limb, respiratory
``events.csv``            subject_id, event, date
========================  =================================================================

Every column after the first line of each file's list above (the layout's first version) is
optional in a header, so files written before they existed still read. The de-identified
layout (:mod:`offlabel.registry.deidentify`) keeps the file names, with ``day`` columns (days
since onset) instead of dates and without free text that could name someone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from offlabel.registry.scales import get_scale
from offlabel.registry.vocabulary import ScaleKey

__all__ = [
    "ALSFRS_R_ITEM_COLUMNS",
    "COLUMNS",
    "DEIDENTIFIED_COLUMNS",
    "DEIDENTIFIED_NAME",
    "DEIDENTIFIED_OPTIONAL_COLUMNS",
    "EVALUATIONS",
    "EVENTS",
    "FILE_OF_TABLE",
    "OPTIONAL_COLUMNS",
    "SCORES",
    "SUBJECTS",
    "SUBSCORE_COLUMNS",
    "TEXT_LIMITS",
    "TREATMENTS",
    "WITHHELD_COLUMNS",
    "today_local",
]

SUBJECTS = "subjects.csv"
TREATMENTS = "treatments.csv"
EVALUATIONS = "evaluations.csv"
SCORES = "scores.csv"
EVENTS = "events.csv"

_ALSFRS_R = get_scale(ScaleKey.ALSFRS_R)
#: One column per ALSFRS-R item, in the scale's order (``item_1`` … ``item_5a``, ``item_5b`` …).
ALSFRS_R_ITEM_COLUMNS: tuple[str, ...] = tuple(item.field for item in _ALSFRS_R.items)
#: The ALSFRS-R subscores, computed from the items (written for readers, checked on reading).
SUBSCORE_COLUMNS: tuple[str, ...] = tuple(sub.key for sub in _ALSFRS_R.subscores)

_FIRST: Mapping[str, tuple[str, ...]] = {
    SUBJECTS: ("subject_id", "species", "onset_date", "birth_year", "sex", "breed", "sod1"),
    TREATMENTS: (
        "subject_id",
        "therapy",
        "start_date",
        "stop_date",
        "dose",
        "dose_unit",
        "cost_per_month",
    ),
    EVALUATIONS: ("subject_id", "therapy", "date", "efficacy", "side_effects"),
    SCORES: ("subject_id", "date", "scale", "total"),
    EVENTS: ("subject_id", "event", "date"),
}
_ADDED: Mapping[str, tuple[str, ...]] = {
    SUBJECTS: (
        "diagnosis_date",
        "onset_region",
        "diagnosis_method",
        "diagnosis_confirmed_by",
        "weight_kg",
        "consent_date",
        "consent_scope",
        "reversal",
    ),
    TREATMENTS: ("frequency", "time_of_day", "source", "reason_stopped"),
    EVALUATIONS: ("course_start", "adherence", "burden", "notes"),
    SCORES: (*ALSFRS_R_ITEM_COLUMNS, *SUBSCORE_COLUMNS),
    EVENTS: (),
}

COLUMNS: Mapping[str, tuple[str, ...]] = {name: (*_FIRST[name], *_ADDED[name]) for name in _FIRST}
"""File name → columns, in the order files are written."""

#: The de-identified layout's name for a bulk column: dates become whole days since the
#: subject's onset, the birth year the age at onset in whole years; every other column keeps its
#: name.
DEIDENTIFIED_NAME: Mapping[str, str] = {
    "onset_date": "onset_day",
    "birth_year": "onset_age_years",
    "diagnosis_date": "diagnosis_day",
    "start_date": "start_day",
    "stop_date": "stop_day",
    "course_start": "course_start_day",
    "date": "day",
}

#: Bulk columns the de-identified layout never carries: free text a person wrote (which may
#: name people or places) and the details of a case history's consent.
WITHHELD_COLUMNS: Mapping[str, frozenset[str]] = {
    SUBJECTS: frozenset({"diagnosis_confirmed_by", "consent_date", "consent_scope"}),
    TREATMENTS: frozenset({"frequency", "reason_stopped"}),
    EVALUATIONS: frozenset({"notes"}),
    SCORES: frozenset(),
    EVENTS: frozenset(),
}

DEIDENTIFIED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    name: tuple(DEIDENTIFIED_NAME.get(c, c) for c in columns if c not in WITHHELD_COLUMNS[name])
    for name, columns in COLUMNS.items()
}
"""File name → columns of the de-identified layout."""

OPTIONAL_COLUMNS: Mapping[str, frozenset[str]] = {
    SUBJECTS: frozenset({"birth_year", "sex", "breed", "sod1", *_ADDED[SUBJECTS]}),
    TREATMENTS: frozenset(
        {"stop_date", "dose", "dose_unit", "cost_per_month", *_ADDED[TREATMENTS]}
    ),
    EVALUATIONS: frozenset({"side_effects", *_ADDED[EVALUATIONS]}),
    SCORES: frozenset(_ADDED[SCORES]),
    EVENTS: frozenset(),
}
"""Columns a file may leave out of its header: every cell of a column left out is empty."""

DEIDENTIFIED_OPTIONAL_COLUMNS: Mapping[str, frozenset[str]] = {
    name: frozenset(DEIDENTIFIED_NAME.get(c, c) for c in columns if c not in WITHHELD_COLUMNS[name])
    for name, columns in OPTIONAL_COLUMNS.items()
}
"""The de-identified layout's columns a file may leave out of its header."""

TEXT_LIMITS: Mapping[str, int] = {
    "subject_id": 64,
    "breed": 80,
    "diagnosis_confirmed_by": 120,
    "consent_scope": 200,
    "therapy": 120,
    "frequency": 60,
    "reason_stopped": 200,
    "side_effects": 80,
    "notes": 4000,
}
"""Longest text each free-text column may hold (a side effect: each name). The web models take
their lengths from here, so a value the files accept always fits the database."""

#: Table name (as in :class:`~offlabel.registry.records.RegistryBundle`) → file name.
FILE_OF_TABLE: Mapping[str, str] = {
    "subjects": SUBJECTS,
    "treatments": TREATMENTS,
    "evaluations": EVALUATIONS,
    "scores": SCORES,
    "events": EVENTS,
}


def today_local() -> dt.date:
    """Today's date in the machine's time zone."""
    return dt.datetime.now().astimezone().date()
