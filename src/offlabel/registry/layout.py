"""The registry's bulk CSV layout: one directory, five files, the same both ways.

Other tools (the synthetic registries, the analyses, the web import and export) read and write
this layout: keep it stable. ``CSV_LAYOUT.md`` beside this module documents it for people;
:mod:`offlabel.registry.csv_read` reads it, :mod:`offlabel.registry.csv_write` writes it.

========================  =================================================================
file                      columns
========================  =================================================================
``subjects.csv``          subject_id, species, onset_date, birth_year, sex, breed, sod1
``treatments.csv``        subject_id, therapy, start_date, stop_date, dose, dose_unit,
                          cost_per_month
``evaluations.csv``       subject_id, therapy, date, efficacy, side_effects
``scores.csv``            subject_id, date, scale, total
``events.csv``            subject_id, event, date
========================  =================================================================

The de-identified layout (:mod:`offlabel.registry.deidentify`) keeps the file names, with
``day`` columns (days since onset) instead of dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

__all__ = [
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
    "TREATMENTS",
    "today_local",
]

SUBJECTS = "subjects.csv"
TREATMENTS = "treatments.csv"
EVALUATIONS = "evaluations.csv"
SCORES = "scores.csv"
EVENTS = "events.csv"

COLUMNS: Mapping[str, tuple[str, ...]] = {
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
"""File name → columns, in the order files are written."""

#: The de-identified layout's name for a bulk column: dates become whole days since the
#: subject's onset, the birth year the age at onset in whole years; every other column keeps its
#: name.
DEIDENTIFIED_NAME: Mapping[str, str] = {
    "onset_date": "onset_day",
    "birth_year": "onset_age_years",
    "start_date": "start_day",
    "stop_date": "stop_day",
    "date": "day",
}

DEIDENTIFIED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    name: tuple(DEIDENTIFIED_NAME.get(c, c) for c in columns) for name, columns in COLUMNS.items()
}
"""File name → columns of the de-identified layout."""

OPTIONAL_COLUMNS: Mapping[str, frozenset[str]] = {
    SUBJECTS: frozenset({"birth_year", "sex", "breed", "sod1"}),
    TREATMENTS: frozenset({"stop_date", "dose", "dose_unit", "cost_per_month"}),
    EVALUATIONS: frozenset({"side_effects"}),
    SCORES: frozenset(),
    EVENTS: frozenset(),
}
"""Columns a file may leave out of its header: every cell of a column left out is empty."""

DEIDENTIFIED_OPTIONAL_COLUMNS: Mapping[str, frozenset[str]] = {
    name: frozenset(DEIDENTIFIED_NAME.get(c, c) for c in columns)
    for name, columns in OPTIONAL_COLUMNS.items()
}
"""The de-identified layout's columns a file may leave out of its header."""

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
