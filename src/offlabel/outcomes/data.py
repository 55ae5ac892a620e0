"""The registry as data frames: load a registry CSV directory or wrap frames built elsewhere.

A registry export is a directory of five CSV files (the layout is a stable contract shared with
the registry and the web layer):

``subjects.csv``
    ``subject_id, species, onset_date, birth_year, sex, breed, sod1``
``treatments.csv``
    ``subject_id, therapy, start_date, stop_date, dose, dose_unit, cost_per_month``
``evaluations.csv``
    ``subject_id, therapy, date, efficacy, side_effects`` (side effects ``;``-separated)
``scores.csv``
    ``subject_id, date, scale, total`` (scale ``alsfrs_r | dm_gait | dm_stage``)
``events.csv``
    ``subject_id, event, date``
    (event ``non_ambulatory | thoracic_limbs | euthanasia | death | censored``)

Dates are ISO 8601. Only ``subjects.csv`` must exist; a missing optional file reads as an empty
table. Descriptive columns (``birth_year``, ``sex``, ``breed``, ``sod1``, ``stop_date``, ``dose``,
``dose_unit``, ``cost_per_month``, ``side_effects``) may be absent and read as missing values;
every other column is required. Extra columns of ``subjects.csv`` are kept (they can serve as
model covariates).

The web layer builds the same frames from the database and calls
:meth:`RegistryFrames.from_frames`, so both paths go through one validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies

__all__ = [
    "DAYS_PER_MONTH",
    "EFFICACY_ORDER",
    "RegistryError",
    "RegistryEvent",
    "RegistryFrames",
    "Scale",
    "factorize_ids",
    "ids_in",
    "load_registry",
]

#: Average days per month used to express time in months (365.25 / 12).
DAYS_PER_MONTH = 30.44

#: Efficacy levels from lowest to highest: a person's highest rating is the maximum.
EFFICACY_ORDER: tuple[Efficacy, ...] = (
    Efficacy.CANT_TELL,
    Efficacy.NONE,
    Efficacy.SLIGHT,
    Efficacy.MODERATE,
    Efficacy.MAJOR,
)


class Scale(StrEnum):
    """A progression scale recorded in ``scores.csv``."""

    ALSFRS_R = "alsfrs_r"
    DM_GAIT = "dm_gait"
    DM_STAGE = "dm_stage"


class RegistryEvent(StrEnum):
    """A milestone recorded in ``events.csv``."""

    NON_AMBULATORY = "non_ambulatory"
    THORACIC_LIMBS = "thoracic_limbs"
    EUTHANASIA = "euthanasia"
    DEATH = "death"
    CENSORED = "censored"


class RegistryError(ValueError):
    """The registry cannot be read: names the file, the line and the field at fault."""


@dataclass(frozen=True)
class _Table:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    dates: tuple[str, ...]
    required_values: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] | None = None


_TABLES: dict[str, _Table] = {
    "subjects": _Table(
        "subjects",
        required=("subject_id", "species", "onset_date"),
        optional=("birth_year", "sex", "breed", "sod1"),
        dates=("onset_date",),
        required_values=("subject_id", "species"),
        numbers=("birth_year",),
        choices={"species": tuple(s.value for s in TargetSpecies)},
    ),
    "treatments": _Table(
        "treatments",
        required=("subject_id", "therapy", "start_date"),
        optional=("stop_date", "dose", "dose_unit", "cost_per_month"),
        dates=("start_date", "stop_date"),
        required_values=("subject_id", "therapy", "start_date"),
        numbers=("dose", "cost_per_month"),
    ),
    "evaluations": _Table(
        "evaluations",
        required=("subject_id", "therapy", "date", "efficacy"),
        optional=("side_effects",),
        dates=("date",),
        required_values=("subject_id", "therapy", "date", "efficacy"),
        choices={"efficacy": tuple(e.value for e in EFFICACY_ORDER)},
    ),
    "scores": _Table(
        "scores",
        required=("subject_id", "date", "scale", "total"),
        optional=(),
        dates=("date",),
        required_values=("subject_id", "date", "scale", "total"),
        numbers=("total",),
        choices={"scale": tuple(s.value for s in Scale)},
    ),
    "events": _Table(
        "events",
        required=("subject_id", "event", "date"),
        optional=(),
        dates=("date",),
        required_values=("subject_id", "event", "date"),
        choices={"event": tuple(e.value for e in RegistryEvent)},
    ),
}

_STRING_COLUMNS = {"subject_id", "sex", "breed", "sod1", "dose_unit", "side_effects"}
_CATEGORY_COLUMNS = {"therapy"}


def arrow_strings(column: pd.Series) -> pa.Array:
    """A string column as one contiguous Arrow array.

    pandas keeps Arrow-backed strings in several chunks after a concat; Arrow's compute
    functions then return chunked results, which lack ``.indices`` and friends.
    """
    values = pa.array(column.astype("string"))
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values


def ids_in(column: pd.Series, ids: pd.Index | pd.Series) -> pd.Series:
    """Boolean mask: which values of a subject-id column are in ``ids``.

    Uses Arrow's hash-based ``is_in``: pandas' own ``isin`` on Arrow-backed strings loops in
    Python and takes seconds on a million rows.
    """
    if len(column) == 0:
        return pd.Series(np.zeros(0, dtype=bool), index=column.index)
    values = arrow_strings(column)
    value_set = arrow_strings(pd.Series(ids, dtype="string"))
    mask = pc.fill_null(pc.is_in(values, value_set=value_set), False)
    return pd.Series(np.asarray(mask, dtype=bool), index=column.index)


def factorize_ids(column: pd.Series) -> tuple[npt.NDArray[np.intp], pd.Index]:
    """Integer codes ``0..k-1`` for a subject-id column and the ``k`` distinct ids.

    Order of first appearance; a missing id gets code ``-1``. Arrow's ``dictionary_encode`` is
    about twice as fast as ``pandas.factorize`` on Arrow-backed strings. For analyses that
    aggregate per subject with numpy (``np.maximum.at``, ``np.bincount``).
    """
    if len(column) == 0:
        return np.zeros(0, dtype=np.intp), pd.Index([], dtype="string")
    encoded = pc.dictionary_encode(arrow_strings(column))
    codes = np.asarray(encoded.indices.fill_null(-1), dtype=np.intp)
    return codes, pd.Index(pd.Series(encoded.dictionary, dtype="string"))


def _line(index: object) -> int:
    """CSV line number of a row: the header is line 1 and rows keep their read order."""
    return int(str(index)) + 2


def _first_bad(
    mask: pd.Series, frame: pd.DataFrame, column: str, table: _Table, source: str
) -> str:
    position = int(np.flatnonzero(mask.to_numpy())[0])
    value = frame[column].iloc[position]
    return (
        f"{source}{table.name}.csv line {_line(position)}, field {column!r}: "
        f"{'missing value' if pd.isna(value) else repr(str(value))}"
    )


def _normalise(frame: pd.DataFrame, table: _Table, source: str) -> pd.DataFrame:
    """Check columns and values of one table and return a typed copy (row order kept)."""
    missing = [c for c in table.required if c not in frame.columns]
    if missing:
        raise RegistryError(
            f"{source}{table.name}.csv: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, frame.columns)) or 'none'})"
        )
    out = frame.reset_index(drop=True).copy()
    for column in table.optional:
        if column not in out.columns:
            out[column] = pd.NA
    for column in table.required_values:
        empty = out[column].isna()
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            empty |= out[column].astype("string").str.strip().eq("").fillna(False)
        if empty.any():
            raise RegistryError(_first_bad(empty, out, column, table, source) + " is required")
    for column in (c for c in _STRING_COLUMNS if c in out.columns):
        out[column] = out[column].astype("string").str.strip()
    for column in table.dates:
        raw = out[column]
        if pd.api.types.is_datetime64_any_dtype(raw):
            parsed = raw.dt.tz_localize(None) if raw.dt.tz is not None else raw
        else:
            text = raw.astype("string").str.strip()
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
            bad = parsed.isna() & text.notna() & text.ne("").fillna(False)
            if bad.any():
                raise RegistryError(
                    _first_bad(bad, out, column, table, source) + " is not an ISO date (YYYY-MM-DD)"
                )
        out[column] = parsed.dt.normalize().astype("datetime64[ns]")
    for column in table.numbers:
        raw = out[column]
        numbers = pd.to_numeric(raw, errors="coerce")
        bad = numbers.isna() & raw.notna()
        if bad.any():
            text = raw.astype("string").str.strip()
            bad &= text.ne("").fillna(False)
        if bad.any():
            raise RegistryError(_first_bad(bad, out, column, table, source) + " is not a number")
        out[column] = numbers.astype("float64")
    for column, allowed in (table.choices or {}).items():
        text = out[column].astype("string").str.strip().str.lower()
        bad = ~text.isin(allowed)
        if bad.any():
            raise RegistryError(
                _first_bad(bad, out, column, table, source)
                + f" is not one of {' | '.join(allowed)}"
            )
        ordered = column == "efficacy"
        categories = [e.value for e in EFFICACY_ORDER] if ordered else list(allowed)
        out[column] = pd.Categorical(text, categories=categories, ordered=ordered)
    for column in (c for c in _CATEGORY_COLUMNS if c in out.columns):
        out[column] = out[column].astype("string").str.strip().astype("category")
    return out


def _empty(table: _Table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in table.required + table.optional})


@dataclass(frozen=True)
class RegistryFrames:
    """The five registry tables as typed pandas data frames.

    Build it with :func:`load_registry` or :meth:`from_frames`; both validate. Dates are
    ``datetime64[ns]`` (midnight), ``efficacy`` is an ordered categorical
    (``cant_tell < none < slight < moderate < major``), ``species``, ``scale`` and ``event`` are
    categoricals, ``therapy`` is a categorical of the names as written.

    Attributes
    ----------
    subjects, treatments, evaluations, scores, events : pandas.DataFrame
        One frame per CSV file, row order as read.
    source : str
        Where the data came from (a directory, or ``"<memory>"``), used in messages.
    """

    subjects: pd.DataFrame
    treatments: pd.DataFrame
    evaluations: pd.DataFrame
    scores: pd.DataFrame
    events: pd.DataFrame
    source: str = "<memory>"

    @classmethod
    def from_frames(
        cls,
        subjects: pd.DataFrame,
        treatments: pd.DataFrame | None = None,
        evaluations: pd.DataFrame | None = None,
        scores: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        *,
        source: str = "<memory>",
    ) -> RegistryFrames:
        """Validate and type frames built in memory (for example from the database).

        Parameters
        ----------
        subjects, treatments, evaluations, scores, events : pandas.DataFrame
            Columns as in the CSV layout; dates may be strings, ``date`` objects or datetimes.
            A table left out is empty.
        source : str
            A name for messages.

        Returns
        -------
        RegistryFrames

        Raises
        ------
        RegistryError
            A required column or value is missing or a value is not valid; the message names
            the table, the row (as a CSV line number) and the field.

        Examples
        --------
        >>> subjects = {"subject_id": ["p1"], "species": ["human"], "onset_date": ["2020-01-01"]}
        >>> frames = RegistryFrames.from_frames(pd.DataFrame(subjects))
        >>> len(frames.subjects)
        1
        """
        prefix = "" if source == "<memory>" else f"{source}/"
        given = {
            "subjects": subjects,
            "treatments": treatments,
            "evaluations": evaluations,
            "scores": scores,
            "events": events,
        }
        tables = {
            name: _normalise(
                _empty(_TABLES[name]) if frame is None else frame, _TABLES[name], prefix
            )
            for name, frame in given.items()
        }
        known = pd.Index(tables["subjects"]["subject_id"])
        duplicated = known.duplicated()
        if duplicated.any():
            position = int(np.flatnonzero(duplicated)[0])
            raise RegistryError(
                f"{prefix}subjects.csv line {_line(position)}, field 'subject_id': "
                f"{known[position]!r} appears more than once"
            )
        for name in ("treatments", "evaluations", "scores", "events"):
            unknown = ~ids_in(tables[name]["subject_id"], known)
            if unknown.any():
                raise RegistryError(
                    _first_bad(unknown, tables[name], "subject_id", _TABLES[name], prefix)
                    + " is not in subjects.csv"
                )
        return cls(source=source, **tables)

    # -- look-ups shared by the analyses -------------------------------------------------------

    def therapies(self) -> list[str]:
        """Distinct therapy names in treatments and evaluations, as written, sorted."""
        names = set(self.treatments["therapy"].dropna().unique()) | set(
            self.evaluations["therapy"].dropna().unique()
        )
        # Case-insensitive order, ties broken by the exact spelling so the order is stable.
        return sorted(map(str, names), key=lambda t: (t.casefold(), t))

    def resolve_therapy(self, name: str) -> list[str]:
        """The spellings in this registry that match ``name`` case-insensitively.

        Raises
        ------
        RegistryError
            No course or evaluation names the therapy; the message lists the ones present.
        """
        wanted = name.strip().casefold()
        found = [t for t in self.therapies() if t.strip().casefold() == wanted]
        if not found:
            present = ", ".join(self.therapies()) or "none"
            raise RegistryError(
                f"{self.source}: no course or evaluation of therapy {name!r} "
                f"(therapies present: {present})"
            )
        return found

    def therapy_mask(self, table: pd.DataFrame, name: str) -> pd.Series:
        """Boolean mask of ``table`` rows whose therapy matches ``name`` (case-insensitive).

        Compares the categorical's categories, not every row, so it stays fast on large tables.
        """
        column = table["therapy"]
        wanted = name.strip().casefold()
        if isinstance(column.dtype, pd.CategoricalDtype):
            hits = [c for c in column.cat.categories if str(c).strip().casefold() == wanted]
            return column.isin(hits)
        return column.astype("string").str.strip().str.casefold().eq(wanted).fillna(False)

    def subjects_of_species(self, species: TargetSpecies | str | None) -> pd.Index:
        """Subject ids of one species (all subjects when ``species`` is ``None``)."""
        chosen: pd.Series = self.subjects["subject_id"]
        if species is not None:
            chosen = chosen.loc[self.subjects["species"] == TargetSpecies(species).value]
        ids: pd.Index = pd.Index(chosen)
        return ids

    def species_mask(self, table: pd.DataFrame, species: TargetSpecies | str | None) -> pd.Series:
        """Boolean mask of ``table`` rows belonging to subjects of one species (all if None)."""
        if species is None:
            return pd.Series(np.ones(len(table), dtype=bool), index=table.index)
        return ids_in(table["subject_id"], self.subjects_of_species(species))

    def first_start(self, therapy: str) -> pd.Series:
        """Earliest start date of ``therapy`` per subject (index ``subject_id``)."""
        courses = self.treatments.loc[self.therapy_mask(self.treatments, therapy)]
        return courses.groupby("subject_id")["start_date"].min()

    def last_contact(self) -> pd.Series:
        """Latest dated record per subject: any score, evaluation or event (including censored).

        Subjects with no dated record are absent from the result.
        """
        dated = pd.concat(
            [
                self.scores[["subject_id", "date"]],
                self.evaluations[["subject_id", "date"]],
                self.events[["subject_id", "date"]],
            ],
            ignore_index=True,
        )
        return dated.groupby("subject_id")["date"].max()


def _read_csv(path: Path, table: _Table) -> pd.DataFrame:
    try:
        # Only an empty cell is missing: "N/A" is a SOD1 genotype, not a missing value.
        return pd.read_csv(
            path, engine="pyarrow", dtype="string", keep_default_na=False, na_values=[""]
        )
    except (ValueError, OSError) as error:  # pyarrow's ArrowInvalid is a ValueError
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        if path.stat().st_size == 0:
            text = "the file is empty (no header line)"
        raise RegistryError(f"{path}: cannot read {table.name}.csv: {text}") from error


def load_registry(directory: str | Path) -> RegistryFrames:
    """Read a registry CSV directory into typed, validated frames.

    Parameters
    ----------
    directory : str or pathlib.Path
        A directory holding ``subjects.csv`` and any of ``treatments.csv``,
        ``evaluations.csv``, ``scores.csv``, ``events.csv``.

    Returns
    -------
    RegistryFrames

    Raises
    ------
    RegistryError
        The directory or ``subjects.csv`` is missing, or a file has a missing column or a bad
        value (the message names the file, line and field).
    """
    root = Path(directory)
    if not root.is_dir():
        raise RegistryError(f"{root}: not a directory (expected a registry CSV export)")
    if not (root / "subjects.csv").is_file():
        raise RegistryError(f"{root}: subjects.csv is missing (every registry export has one)")
    frames: dict[str, pd.DataFrame | None] = {}
    for name, table in _TABLES.items():
        path = root / f"{name}.csv"
        frames[name] = _read_csv(path, table) if path.is_file() else None
    subjects = frames.pop("subjects")
    if subjects is None:  # checked above; this keeps the type checker informed
        raise RegistryError(f"{root}: subjects.csv is missing")
    return RegistryFrames.from_frames(subjects, **frames, source=str(root))
