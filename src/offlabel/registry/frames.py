"""The registry as data frames, built from validated records only: what the analyses read.

Every path into the analyses goes through the registry's one set of rules
(:mod:`offlabel.registry.validation`):

- :func:`load_registry` reads a CSV directory with
  :func:`~offlabel.registry.csv_read.read_registry_dir` (which names file, line and column of
  each problem) and turns the records into frames;
- :meth:`RegistryFrames.from_deidentified` re-dates a de-identified bundle (what reviewers'
  analyses read) and checks it like any other;
- :meth:`RegistryFrames.from_bundle` checks records built elsewhere (the web layer's database
  rows, a simulation, a test) with :func:`~offlabel.registry.validation.validate_records` first.

The frames have the columns of the CSV layout's first version (:mod:`offlabel.registry.layout`)
and, for subjects, ``diagnosis_date``, ``onset_region``, ``diagnosis_method``, ``weight_kg`` and
``reversal``; ``scores`` holds only assessments with a total (one with a missing item has none,
and the ALSFRS-R items stay in the records). Columns are typed: dates
``datetime64[ns]`` at midnight; ``efficacy`` an ordered categorical
(``cant_tell < none < slight < moderate < major``); ``species``, ``scale`` and ``event``
categoricals of their vocabularies; ``therapy`` a categorical of the names as written;
``birth_year``, ``dose``, ``cost_per_month`` and ``total`` ``float64``; text columns pandas
strings with ``<NA>`` for an empty value; ``side_effects`` ``name[:severity];…`` as in the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.csv_read import (
    is_deidentified_dir,
    read_deidentified_dir,
    read_registry_dir,
)
from offlabel.registry.deidentify import DEIDENTIFIED_EPOCH, DeidentifiedBundle, dated_on_epoch
from offlabel.registry.layout import COLUMNS, FILE_OF_TABLE, today_local
from offlabel.registry.problems import ImportProblem, RegistryError, RegistryImportError
from offlabel.registry.records import RegistryBundle
from offlabel.registry.validation import validate_records
from offlabel.registry.vocabulary import EFFICACY_ORDER, EventKind, ScaleKey

__all__ = [
    "RegistryFrames",
    "arrow_strings",
    "factorize_ids",
    "ids_in",
    "load_registry",
]


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


# -- records → typed columns --------------------------------------------------------------------


def _text(values: Sequence[str | None]) -> pd.Series:
    """Pandas strings, an empty text read as missing (as an empty CSV cell is)."""
    return pd.Series([v if v else None for v in values], dtype="string")


def _dates(values: Sequence[dt.date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(list(values), dtype=object)), dtype="datetime64[ns]")


def _numbers(values: Sequence[float | int | None]) -> pd.Series:
    return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")


def _choices(values: Sequence[str], categories: Sequence[str], *, ordered: bool = False) -> object:
    return pd.Categorical(list(values), categories=list(categories), ordered=ordered)


def _therapies(values: Sequence[str]) -> pd.Series:
    return pd.Series(list(values), dtype="string").astype("category")


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def _frames_of(bundle: RegistryBundle) -> dict[str, pd.DataFrame]:
    # An assessment with a missing item has no total: there is nothing to analyse in it.
    complete = [r for r in bundle.scores if r.total is not None]
    s, t, e, sc, ev = (
        bundle.subjects,
        bundle.treatments,
        bundle.evaluations,
        complete,
        bundle.events,
    )
    species = [x.value for x in TargetSpecies]
    subjects = pd.DataFrame(
        {
            "subject_id": _text([r.subject_id for r in s]),
            "species": _choices([r.species.value for r in s], species),
            "onset_date": _dates([r.onset_date for r in s]),
            "birth_year": _numbers([r.birth_year for r in s]),
            "sex": _text([r.sex.value for r in s]),
            "breed": _text([r.breed for r in s]),
            "sod1": _text([None if r.sod1 is None else r.sod1.value for r in s]),
            "diagnosis_date": _dates([r.diagnosis_date for r in s]),
            "onset_region": _text([_value(r.onset_region) for r in s]),
            "diagnosis_method": _text([_value(r.diagnosis_method) for r in s]),
            "weight_kg": _numbers([r.weight_kg for r in s]),
            "reversal": _text([_value(r.reversal) for r in s]),
        }
    )
    treatments = pd.DataFrame(
        {
            "subject_id": _text([r.subject_id for r in t]),
            "therapy": _therapies([r.therapy for r in t]),
            "start_date": _dates([r.start_date for r in t]),
            "stop_date": _dates([r.stop_date for r in t]),
            "dose": _numbers([r.dose for r in t]),
            "dose_unit": _text([None if r.dose_unit is None else r.dose_unit.value for r in t]),
            "cost_per_month": _numbers([r.cost_per_month for r in t]),
        }
    )
    evaluations = pd.DataFrame(
        {
            "subject_id": _text([r.subject_id for r in e]),
            "therapy": _therapies([r.therapy for r in e]),
            "date": _dates([r.date for r in e]),
            "efficacy": _choices(
                [r.efficacy.value for r in e], [x.value for x in EFFICACY_ORDER], ordered=True
            ),
            "side_effects": _text([";".join(map(str, r.side_effects)) for r in e]),
        }
    )
    scores = pd.DataFrame(
        {
            "subject_id": _text([r.subject_id for r in sc]),
            "date": _dates([r.date for r in sc]),
            "scale": _choices([r.scale.value for r in sc], [x.value for x in ScaleKey]),
            "total": _numbers([r.total for r in sc]),
        }
    )
    events = pd.DataFrame(
        {
            "subject_id": _text([r.subject_id for r in ev]),
            "event": _choices([r.event.value for r in ev], [x.value for x in EventKind]),
            "date": _dates([r.date for r in ev]),
        }
    )
    return {
        "subjects": subjects,
        "treatments": treatments,
        "evaluations": evaluations,
        "scores": scores,
        "events": events,
    }


@dataclass(frozen=True)
class RegistryFrames:
    """The five registry tables as typed pandas data frames, and the records behind them.

    Build it with :func:`load_registry` or :meth:`from_bundle`; both validate.

    Attributes
    ----------
    subjects, treatments, evaluations, scores, events : pandas.DataFrame
        One frame per CSV file, rows in the order of the records.
    bundle : RegistryBundle
        The validated records the frames were made from.
    source : str
        Where the data came from (a directory, or ``"<memory>"``), used in messages.
    """

    subjects: pd.DataFrame
    treatments: pd.DataFrame
    evaluations: pd.DataFrame
    scores: pd.DataFrame
    events: pd.DataFrame
    bundle: RegistryBundle
    source: str = "<memory>"

    @classmethod
    def from_bundle(
        cls,
        bundle: RegistryBundle,
        *,
        source: str = "<memory>",
        today: dt.date | None = None,
    ) -> RegistryFrames:
        """Check records with the registry's rules, then type them as frames.

        Implausible values that only need a person's confirmation (a dose outside the usual
        range) are accepted: the records reach this point after someone confirmed them.

        Parameters
        ----------
        bundle : RegistryBundle
            The records, for example built from the database or by a simulation.
        source : str
            A name for messages.
        today : datetime.date, optional
            The date against which "not in the future" is checked (default: today).

        Raises
        ------
        RegistryImportError
            Any record breaks a rule; each problem names the table, the record's position
            (1-based, counted like CSV lines after the header) and the field.

        Examples
        --------
        >>> import datetime as dt
        >>> from offlabel.evidence.vocabulary import TargetSpecies
        >>> from offlabel.registry.records import RegistryBundle, SubjectRow
        >>> subject = SubjectRow("p1", TargetSpecies.HUMAN, dt.date(2020, 1, 1))
        >>> len(RegistryFrames.from_bundle(RegistryBundle(subjects=(subject,))).subjects)
        1
        """
        located = validate_records(
            subjects=bundle.subjects,
            treatments=bundle.treatments,
            evaluations=bundle.evaluations,
            scores=bundle.scores,
            events=bundle.events,
            today=today or today_local(),
        )
        problems = [
            ImportProblem(
                FILE_OF_TABLE[p.table],
                p.index + 2,
                p.problem.field if p.problem.field in COLUMNS[FILE_OF_TABLE[p.table]] else "",
                p.problem.message,
                p.problem.code,
                p.problem.needs_confirmation,
            )
            for p in located
            if not p.problem.needs_confirmation
        ]
        if problems:
            raise RegistryImportError(problems)
        return cls._of(bundle, source)

    @classmethod
    def from_deidentified(
        cls, bundle: DeidentifiedBundle, *, source: str = "<de-identified>"
    ) -> RegistryFrames:
        """Frames of a de-identified bundle, every subject's onset on the same epoch.

        See :func:`~offlabel.registry.deidentify.dated_on_epoch`. The rules that compare with
        today compare with the latest re-dated day, the epoch's stand-in for today.
        """
        return cls._from_epoch_dated(dated_on_epoch(bundle), source)

    @classmethod
    def _from_epoch_dated(cls, dated: RegistryBundle, source: str) -> RegistryFrames:
        days = [e.date for e in dated.evaluations] + [s.date for s in dated.scores]
        days += [e.date for e in dated.events]
        days += [t.stop_date or t.start_date for t in dated.treatments]
        days += [s.diagnosis_date for s in dated.subjects if s.diagnosis_date is not None]
        return cls.from_bundle(dated, source=source, today=max(days, default=DEIDENTIFIED_EPOCH))

    @classmethod
    def _of(cls, bundle: RegistryBundle, source: str) -> RegistryFrames:
        return cls(**_frames_of(bundle), bundle=bundle, source=source)

    def with_covariates(self, covariates: pd.DataFrame) -> RegistryFrames:
        """These frames with extra per-subject columns that analyses may adjust for.

        Covariates are not registry records (a study's own variables, a published data set's
        columns): they join ``subjects`` by ``subject_id`` and go no further.

        Parameters
        ----------
        covariates : pandas.DataFrame
            A ``subject_id`` column and one column per covariate; every id must be a subject.

        Raises
        ------
        RegistryError
            An id is not a subject, appears twice, or a column would replace a layout column.
        """
        if "subject_id" not in covariates.columns:
            raise RegistryError("covariates need a subject_id column")
        clash = sorted(set(covariates.columns) & set(self.subjects.columns) - {"subject_id"})
        if clash:
            raise RegistryError(f"covariate column(s) {', '.join(clash)} are registry columns")
        ids = covariates["subject_id"].astype("string")
        if ids.duplicated().any():
            raise RegistryError(f"covariates: subject {ids[ids.duplicated()].iloc[0]!r} twice")
        unknown = ~ids_in(ids, pd.Index(self.subjects["subject_id"]))
        if unknown.any():
            raise RegistryError(f"covariates: {ids[unknown].iloc[0]!r} is not a subject")
        extra = covariates.assign(subject_id=ids)
        subjects = self.subjects.merge(extra, on="subject_id", how="left", validate="one_to_one")
        return replace(self, subjects=subjects)

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


def load_registry(directory: str | Path) -> RegistryFrames:
    """Read a registry CSV directory into typed, validated frames.

    Parameters
    ----------
    directory : str or pathlib.Path
        A directory holding ``subjects.csv`` and any of ``treatments.csv``,
        ``evaluations.csv``, ``scores.csv``, ``events.csv``: the bulk layout, or the
        de-identified one (days since onset), which is read as
        :meth:`RegistryFrames.from_deidentified` reads it.

    Returns
    -------
    RegistryFrames

    Raises
    ------
    RegistryImportError
        The directory or ``subjects.csv`` is missing, or a file has a bad header, line or
        value (each problem names the file, line and column).
    """
    if is_deidentified_dir(directory):
        return RegistryFrames._from_epoch_dated(read_deidentified_dir(directory), str(directory))
    bundle = read_registry_dir(directory, confirm_implausible=True)
    return RegistryFrames._of(bundle, str(directory))
