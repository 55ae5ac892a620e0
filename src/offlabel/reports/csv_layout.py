"""The registry's bulk CSV layout: one directory, five files, the same both ways.

Other tools (the synthetic registry generator, the analyses, the web import/export) read and
write this layout: keep it stable. ``CSV_LAYOUT.md`` beside this module documents it for people.

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

UTF-8 (a byte-order mark is accepted), comma-separated, first line the header (columns in any
order, none missing or extra), dates ISO ``YYYY-MM-DD``, empty cell = no value. Only
``subjects.csv`` is required. Vocabularies: species ``human|dog``; sex ``male|female|unknown``
and, for dogs, ``male_neutered|female_spayed`` (empty = unknown); sod1 ``N/N|N/A|A/A|unknown``
for dogs, empty for people; dose_unit ``mg|mg/kg`` (dose per day, mg/kg dogs only); efficacy
``none|slight|moderate|major|cant_tell``; side_effects ``name[:severity];…`` with severity
``none|mild|moderate|severe``; scale ``alsfrs_r|dm_gait|dm_stage``; event
``non_ambulatory|thoracic_limbs|euthanasia|death|censored``.

:func:`read_registry_dir` reads and checks everything before returning anything; any problem
raises :class:`~offlabel.reports.problems.RegistryImportError` listing each with file, line
(1-based, header = line 1) and column. :func:`write_registry_dir` writes the same layout in a
deterministic order, so ``read_registry_dir(write_registry_dir(b))`` equals ``b.canonical()``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.reports.problems import ImportProblem, Problem, ProblemCode, RegistryImportError
from offlabel.reports.records import (
    DoseUnit,
    EvaluationRow,
    EventKind,
    EventRow,
    RegistryBundle,
    ScaleKey,
    ScoreRow,
    Sex,
    SideEffect,
    Sod1Genotype,
    SubjectRow,
    TreatmentRow,
)
from offlabel.reports.validation import parse_choice, validate_records

__all__ = [
    "COLUMNS",
    "EVALUATIONS",
    "EVENTS",
    "SCORES",
    "SUBJECTS",
    "TREATMENTS",
    "format_number",
    "read_registry_dir",
    "today_local",
    "write_csv_files",
    "write_registry_dir",
]

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

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

_TABLE_FILES = {
    "subjects": SUBJECTS,
    "treatments": TREATMENTS,
    "evaluations": EVALUATIONS,
    "scores": SCORES,
    "events": EVENTS,
}
_FILE_ORDER = {name: i for i, name in enumerate(COLUMNS)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d{1,9}")
_FLOAT = re.compile(r"[+-]?(?:\d{1,15}(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


def today_local() -> dt.date:
    """Today's date in the machine's time zone."""
    return dt.datetime.now().astimezone().date()


# -- cells -----------------------------------------------------------------------------------


@dataclass
class _Cells:
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

    def _bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(column, message, ProblemCode.BAD_FORMAT))


def _subject(c: _Cells) -> SubjectRow | None:
    subject_id = c.text("subject_id", required=True)
    species = c.choice("species", TargetSpecies, required=True)
    onset = c.date("onset_date", required=True)
    birth_year = c.integer("birth_year")
    sex = c.choice("sex", Sex) or Sex.UNKNOWN
    breed = c.text("breed")
    sod1 = c.choice("sod1", Sod1Genotype)
    if c.problems or species is None or onset is None:
        return None
    return SubjectRow(subject_id, species, onset, birth_year, sex, breed, sod1)


def _treatment(c: _Cells) -> TreatmentRow | None:
    subject_id = c.text("subject_id", required=True)
    therapy = c.text("therapy", required=True)
    start = c.date("start_date", required=True)
    stop = c.date("stop_date")
    dose = c.number("dose")
    unit = c.choice("dose_unit", DoseUnit)
    cost = c.number("cost_per_month")
    if c.problems or start is None:
        return None
    return TreatmentRow(subject_id, therapy, start, stop, dose, unit, cost)


def _evaluation(c: _Cells) -> EvaluationRow | None:
    subject_id = c.text("subject_id", required=True)
    therapy = c.text("therapy", required=True)
    date = c.date("date", required=True)
    efficacy = c.choice("efficacy", Efficacy, required=True)
    effects = c.side_effects("side_effects")
    if c.problems or date is None or efficacy is None:
        return None
    return EvaluationRow(subject_id, therapy, date, efficacy, effects)


def _score(c: _Cells) -> ScoreRow | None:
    subject_id = c.text("subject_id", required=True)
    date = c.date("date", required=True)
    scale = c.choice("scale", ScaleKey, required=True)
    total = c.integer("total", required=True)
    if c.problems or date is None or scale is None or total is None:
        return None
    return ScoreRow(subject_id, date, scale, total)


def _event(c: _Cells) -> EventRow | None:
    subject_id = c.text("subject_id", required=True)
    event = c.choice("event", EventKind, required=True)
    date = c.date("date", required=True)
    if c.problems or event is None or date is None:
        return None
    return EventRow(subject_id, event, date)


# -- files -----------------------------------------------------------------------------------


@dataclass
class _Table:
    """The parsed rows of one file with their line numbers."""

    name: str
    rows: list[object] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    bad_subject_ids: set[str] = field(default_factory=set)
    layout_ok: bool = True
    """Header and encoding fine: every data line was looked at."""
    clean: bool = True
    """No problem at all while reading: the table holds every line of the file."""


def _records(
    name: str, text: str, problems: list[ImportProblem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: cell})`` for each data row, reporting layout problems."""
    expected = COLUMNS[name]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last_line = 0
    header: list[str] | None = None
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if not _header_ok(name, header, expected, problems):
                    return
                continue
            if len(cells) != len(header):
                problems.append(
                    ImportProblem(
                        name,
                        line,
                        "",
                        f"{len(cells)} cells, expected {len(header)} (one per column)",
                        ProblemCode.ROW_SHAPE,
                    )
                )
                continue
            yield line, dict(zip(header, cells, strict=True))
    except csv.Error as exc:
        problems.append(
            ImportProblem(
                name, reader.line_num, "", f"not valid CSV: {exc}", ProblemCode.UNREADABLE
            )
        )
        return
    if header is None:
        problems.append(
            ImportProblem(
                name,
                1,
                "",
                f"empty file; expected the header {','.join(expected)}",
                ProblemCode.HEADER,
            )
        )


def _header_ok(
    name: str, header: list[str], expected: tuple[str, ...], problems: list[ImportProblem]
) -> bool:
    found = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            found.append((column, "appears twice in the header"))
        elif column not in expected:
            found.append((column, f"unknown column; expected {','.join(expected)}"))
        seen.add(column)
    found += [(column, "missing from the header") for column in expected if column not in seen]
    problems.extend(
        ImportProblem(name, 1, column, message, ProblemCode.HEADER) for column, message in found
    )
    return not found


def _decode(name: str, data: bytes, problems: list[ImportProblem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            ImportProblem(
                name, line, "", "not UTF-8 text (save the file as UTF-8)", ProblemCode.UNREADABLE
            )
        )
        return None


_PARSERS: Mapping[str, Callable[[_Cells], object | None]] = {
    SUBJECTS: _subject,
    TREATMENTS: _treatment,
    EVALUATIONS: _evaluation,
    SCORES: _score,
    EVENTS: _event,
}


def _read_table(directory: Path, name: str, problems: list[ImportProblem]) -> _Table | None:
    """Parse one file; ``None`` if it does not exist (problems go to ``problems``)."""
    path = directory / name
    if not path.exists():
        if name == SUBJECTS:
            problems.append(
                ImportProblem(name, 0, "", "subjects.csv is required", ProblemCode.MISSING_FILE)
            )
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(
            ImportProblem(
                name, 0, "", f"cannot read: {exc.strerror or exc}", ProblemCode.UNREADABLE
            )
        )
        return _Table(name, layout_ok=False, clean=False)
    text = _decode(name, data, problems)
    if text is None:
        return _Table(name, layout_ok=False, clean=False)
    table = _Table(name)
    before = len(problems)
    for line, values in _records(name, text, problems):
        cells = _Cells(values)
        row = _PARSERS[name](cells)
        if row is None:
            problems.extend(_locate(name, line, p) for p in cells.problems)
            if name == SUBJECTS:
                table.bad_subject_ids.add(values["subject_id"].strip())
            continue
        table.rows.append(row)
        table.lines.append(line)
    found = problems[before:]
    table.clean = not found
    table.layout_ok = not any(p.code in _LAYOUT_CODES for p in found)
    return table


_LAYOUT_CODES = frozenset({ProblemCode.HEADER, ProblemCode.UNREADABLE})


def _locate(name: str, line: int, problem: Problem) -> ImportProblem:
    column = problem.field if problem.field in COLUMNS[name] else ""
    message = problem.message if column else f"{problem.field}: {problem.message}"
    return ImportProblem(name, line, column, message, problem.code, problem.needs_confirmation)


def _rows(table: _Table | None, kind: type[T]) -> list[T]:
    if table is None:
        return []
    return [row for row in table.rows if isinstance(row, kind)]


def read_registry_dir(
    path: str | os.PathLike[str],
    today: dt.date | None = None,
    *,
    confirm_implausible: bool = False,
) -> RegistryBundle:
    """Read and check a registry directory; return its records only if all are valid.

    Parameters
    ----------
    path
        Directory holding ``subjects.csv`` and optionally the other four files.
    today
        The date against which "not in the future" is checked (default: today, local time).
    confirm_implausible
        Accept values that only need confirmation (implausible doses) instead of reporting them.

    Returns
    -------
    RegistryBundle
        Every record, in canonical order (see :meth:`RegistryBundle.canonical`).

    Raises
    ------
    RegistryImportError
        With every problem found (file, line, column, message), if there is any.
    """
    today = today or today_local()
    directory = Path(path)
    problems: list[ImportProblem] = []
    if not directory.is_dir():
        raise RegistryImportError(
            [ImportProblem(str(directory), 0, "", "not a directory", ProblemCode.MISSING_FILE)]
        )
    tables = {name: _read_table(directory, name, problems) for name in COLUMNS}
    bundle = RegistryBundle(
        subjects=tuple(_rows(tables[SUBJECTS], SubjectRow)),
        treatments=tuple(_rows(tables[TREATMENTS], TreatmentRow)),
        evaluations=tuple(_rows(tables[EVALUATIONS], EvaluationRow)),
        scores=tuple(_rows(tables[SCORES], ScoreRow)),
        events=tuple(_rows(tables[EVENTS], EventRow)),
    )
    subjects_table = tables[SUBJECTS]
    treatments_table = tables[TREATMENTS]
    # Cross-file rules need every subject; a course file with bad lines would make evaluations
    # of the courses on those lines look unknown, so they are checked once it is clean.
    if subjects_table is not None and subjects_table.layout_ok:
        for located in validate_records(
            subjects=bundle.subjects,
            treatments=bundle.treatments,
            evaluations=bundle.evaluations,
            scores=bundle.scores,
            events=bundle.events,
            today=today,
            check_courses=treatments_table is None or treatments_table.clean,
        ):
            name = _TABLE_FILES[located.table]
            table = tables[name]
            if table is None:  # pragma: no cover - rows exist only for files that were read
                continue
            problem = located.problem
            if (
                problem.code is ProblemCode.UNKNOWN_REFERENCE
                and problem.field == "subject_id"
                and _subject_id_of(table.rows[located.index]) in subjects_table.bad_subject_ids
            ):
                continue  # the subject's own line is already reported
            problems.append(_locate(name, table.lines[located.index], problem))
    if confirm_implausible:
        problems = [p for p in problems if not p.needs_confirmation]
    if problems:
        problems.sort(key=lambda p: (_FILE_ORDER.get(p.file, -1), p.line))
        raise RegistryImportError(problems)
    return bundle.canonical()


def _subject_id_of(row: object) -> str:
    return str(getattr(row, "subject_id", ""))


# -- writing ---------------------------------------------------------------------------------


def format_number(value: float | None) -> str:
    """Shortest text that reads back to the same float (``4.5``, ``10``, ``0.05``)."""
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def write_csv_files(
    tables: Mapping[str, tuple[Sequence[str], Sequence[Sequence[object]]]],
    path: str | os.PathLike[str],
) -> None:
    """Write ``{file name: (columns, rows)}`` into ``path``, each file atomically replaced."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the rename below
            "w", encoding="utf-8", newline="", dir=directory, prefix=f".{name}.", delete=False
        )
        try:
            with handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                writer.writerows([_cell(v) for v in row] for row in rows)
            os.replace(handle.name, directory / name)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise


def write_registry_dir(bundle: RegistryBundle, path: str | os.PathLike[str]) -> None:
    """Write all five files of the layout into ``path`` (created if needed), sorted.

    Every file is written, with its header, even when it has no rows. Only bundles that
    :func:`read_registry_dir` would accept read back unchanged.
    """
    b = bundle.canonical()
    write_csv_files(
        {
            SUBJECTS: (
                COLUMNS[SUBJECTS],
                [
                    (s.subject_id, s.species, s.onset_date, s.birth_year, s.sex, s.breed, s.sod1)
                    for s in b.subjects
                ],
            ),
            TREATMENTS: (
                COLUMNS[TREATMENTS],
                [
                    (
                        t.subject_id,
                        t.therapy,
                        t.start_date,
                        t.stop_date,
                        t.dose,
                        t.dose_unit,
                        t.cost_per_month,
                    )
                    for t in b.treatments
                ],
            ),
            EVALUATIONS: (
                COLUMNS[EVALUATIONS],
                [
                    (e.subject_id, e.therapy, e.date, e.efficacy, e.side_effects)
                    for e in b.evaluations
                ],
            ),
            SCORES: (COLUMNS[SCORES], [(s.subject_id, s.date, s.scale, s.total) for s in b.scores]),
            EVENTS: (COLUMNS[EVENTS], [(e.subject_id, e.event, e.date) for e in b.events]),
        },
        path,
    )
