"""Reading the registry's bulk CSV layout (:mod:`offlabel.registry.layout`).

UTF-8 (a byte-order mark is accepted), comma-separated, first line the header (columns in any
order, none repeated or unknown; one of :data:`~offlabel.registry.layout.OPTIONAL_COLUMNS` may
be left out), dates ISO ``YYYY-MM-DD``, empty cell = no value. Only ``subjects.csv`` is
required. Vocabularies: species ``human|dog``; sex ``male|female|unknown``
and, for dogs, ``male_neutered|female_spayed`` (empty = unknown); sod1 ``N/N|N/A|A/A|unknown``
for dogs, empty for people; dose_unit ``mg|mg/kg`` (dose per day, mg/kg dogs only); efficacy
``none|slight|moderate|major|cant_tell``; side_effects ``name[:severity];…`` with severity
``none|mild|moderate|severe``; scale ``alsfrs_r|dm_gait|dm_stage``; event
``non_ambulatory|thoracic_limbs|euthanasia|death|censored``.

:func:`read_registry_dir` reads and checks everything before returning anything; any problem
raises :class:`~offlabel.registry.problems.RegistryImportError` listing each with file, line
(1-based, header = line 1) and column. :func:`~offlabel.registry.csv_write.write_registry_dir`
writes the same layout in a deterministic order, so reading what it wrote gives
``bundle.canonical()`` back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from offlabel.registry.csv_rows import (
    Cells,
    DayCells,
    evaluation_row,
    event_row,
    score_row,
    subject_row,
    treatment_row,
)
from offlabel.registry.csv_write import unescape_formula
from offlabel.registry.layout import (
    COLUMNS,
    DEIDENTIFIED_COLUMNS,
    DEIDENTIFIED_OPTIONAL_COLUMNS,
    EVALUATIONS,
    EVENTS,
    FILE_OF_TABLE,
    OPTIONAL_COLUMNS,
    SCORES,
    SUBJECTS,
    TREATMENTS,
    today_local,
)
from offlabel.registry.problems import ImportProblem, Problem, ProblemCode, RegistryImportError
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    RegistryBundle,
    ScoreRow,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.schema import ColumnRule, SchemaRules, nul_problems, schema_problems
from offlabel.registry.validation import validate_records

__all__ = ["is_deidentified_dir", "read_deidentified_dir", "read_registry_dir"]

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

_FILE_ORDER = {name: i for i, name in enumerate(COLUMNS)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d{1,9}")
_FLOAT = re.compile(r"[+-]?(?:\d{1,15}(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


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
    schema_problems: list[ImportProblem] = field(default_factory=list)
    """Values the store could not hold (see :mod:`offlabel.registry.schema`)."""


def _records(
    layout: _Layout, name: str, text: str, problems: list[ImportProblem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: cell})`` for each data row, reporting layout problems."""
    expected = layout.columns[name]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last_line = 0
    header: list[str] | None = None
    absent: dict[str, str] = {}
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if not _header_ok(name, header, expected, layout.optional[name], problems):
                    return
                absent = dict.fromkeys((c for c in expected if c not in header), "")
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
            # cells written by csv_write carry a quote against spreadsheet formulas: undone
            yield (
                line,
                absent
                | {
                    column: unescape_formula(cell)
                    for column, cell in zip(header, cells, strict=True)
                },
            )
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
    name: str,
    header: list[str],
    expected: tuple[str, ...],
    optional: frozenset[str],
    problems: list[ImportProblem],
) -> bool:
    found = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            found.append((column, "appears twice in the header"))
        elif column not in expected:
            found.append((column, f"unknown column; expected {','.join(expected)}"))
        seen.add(column)
    found += [
        (column, "missing from the header")
        for column in expected
        if column not in seen and column not in optional
    ]
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


@dataclass(frozen=True)
class _Layout:
    """A CSV layout: its columns, those a header may leave out, and a parser per file."""

    columns: Mapping[str, tuple[str, ...]]
    optional: Mapping[str, frozenset[str]]
    cells: type[Cells] = Cells


_PARSERS: Mapping[str, Callable[[Cells], object | None]] = {
    SUBJECTS: subject_row,
    TREATMENTS: treatment_row,
    EVALUATIONS: evaluation_row,
    SCORES: score_row,
    EVENTS: event_row,
}
_BULK = _Layout(COLUMNS, OPTIONAL_COLUMNS)
_DEIDENTIFIED = _Layout(DEIDENTIFIED_COLUMNS, DEIDENTIFIED_OPTIONAL_COLUMNS, DayCells)


def _read_table(
    directory: Path,
    name: str,
    problems: list[ImportProblem],
    layout: _Layout = _BULK,
    rules: Mapping[str, ColumnRule] | None = None,
) -> _Table | None:
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
    for line, values in _records(layout, name, text, problems):
        nul = nul_problems(values)
        if nul:  # nothing with a NUL goes further (not even to a look-up of existing ids)
            problems.extend(_locate(name, line, p, layout) for p in nul)
            if name == SUBJECTS:
                table.bad_subject_ids.add(values["subject_id"].strip())
            continue
        cells = layout.cells(values)
        row = _PARSERS[name](cells)
        if row is None:
            problems.extend(_locate(name, line, p, layout) for p in cells.problems)
            if name == SUBJECTS:
                table.bad_subject_ids.add(values["subject_id"].strip())
            continue
        table.rows.append(row)
        table.lines.append(line)
        if rules:
            table.schema_problems += (
                _locate(name, line, p, layout) for p in schema_problems(row, rules)
            )
    found = problems[before:]
    table.clean = not found
    table.layout_ok = not any(p.code in _LAYOUT_CODES for p in found)
    return table


_LAYOUT_CODES = frozenset({ProblemCode.HEADER, ProblemCode.UNREADABLE})


def _locate(name: str, line: int, problem: Problem, layout: _Layout = _BULK) -> ImportProblem:
    column = problem.field if problem.field in layout.columns[name] else ""
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
    taken: Callable[[Sequence[str]], Set[str]] | None = None,
    schema: SchemaRules | None = None,
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
    taken
        Given the file's subject ids, returns those that already exist where the records are
        going (an import never overwrites a record): each is reported on its own line.
    schema
        What the store accepts per file and column (:mod:`offlabel.registry.schema`): every
        value that would not fit is reported with its file, line and column.

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
    tables = {
        name: _read_table(directory, name, problems, rules=(schema or {}).get(name))
        for name in COLUMNS
    }
    bundle = RegistryBundle(
        subjects=tuple(_rows(tables[SUBJECTS], SubjectRow)),
        treatments=tuple(_rows(tables[TREATMENTS], TreatmentRow)),
        evaluations=tuple(_rows(tables[EVALUATIONS], EvaluationRow)),
        scores=tuple(_rows(tables[SCORES], ScoreRow)),
        events=tuple(_rows(tables[EVENTS], EventRow)),
    )
    subjects_table = tables[SUBJECTS]
    treatments_table = tables[TREATMENTS]
    if taken is not None and subjects_table is not None:
        existing = taken([row.subject_id for row in bundle.subjects])
        problems += [
            ImportProblem(
                SUBJECTS,
                line,
                "subject_id",
                f"subject {row.subject_id!r} is already in the registry; "
                "an import never overwrites records",
                ProblemCode.DUPLICATE,
            )
            for row, line in zip(subjects_table.rows, subjects_table.lines, strict=True)
            if isinstance(row, SubjectRow) and row.subject_id in existing
        ]
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
            name = FILE_OF_TABLE[located.table]
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
    # the store's constraints, where no rule of the registry already said the same cell is wrong
    reported = {(p.file, p.line, p.column) for p in problems}
    problems += [
        p
        for table in tables.values()
        if table is not None
        for p in table.schema_problems
        if (p.file, p.line, p.column) not in reported
    ]
    if confirm_implausible:
        problems = [p for p in problems if not p.needs_confirmation]
    if problems:
        problems.sort(key=lambda p: (_FILE_ORDER.get(p.file, -1), p.line))
        raise RegistryImportError(problems)
    return bundle.canonical()


def _subject_id_of(row: object) -> str:
    return str(getattr(row, "subject_id", ""))


# -- the de-identified layout ------------------------------------------------------------------


def is_deidentified_dir(path: str | os.PathLike[str]) -> bool:
    """Whether a directory's ``subjects.csv`` has the de-identified header (``onset_day``)."""
    subjects = Path(path) / SUBJECTS
    try:
        with subjects.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return "onset_day" in (cell.strip() for cell in header)


def read_deidentified_dir(path: str | os.PathLike[str]) -> RegistryBundle:
    """Read a de-identified directory (what ``registry export --deidentified`` writes).

    The records come back dated as :func:`~offlabel.registry.deidentify.dated_on_epoch` dates
    them (every onset on the same epoch, ids the pseudonyms). Every cell is checked here, with
    file, line and column; the rules across records run when the records become frames
    (:func:`~offlabel.registry.frames.load_registry`).

    Raises
    ------
    RegistryImportError
        With every problem found, if there is any.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise RegistryImportError(
            [ImportProblem(str(directory), 0, "", "not a directory", ProblemCode.MISSING_FILE)]
        )
    problems: list[ImportProblem] = []
    tables = {
        name: _read_table(directory, name, problems, _DEIDENTIFIED) for name in DEIDENTIFIED_COLUMNS
    }
    if problems:
        problems.sort(key=lambda p: (_FILE_ORDER.get(p.file, -1), p.line))
        raise RegistryImportError(problems)
    return RegistryBundle(
        subjects=tuple(_rows(tables[SUBJECTS], SubjectRow)),
        treatments=tuple(_rows(tables[TREATMENTS], TreatmentRow)),
        evaluations=tuple(_rows(tables[EVALUATIONS], EvaluationRow)),
        scores=tuple(_rows(tables[SCORES], ScoreRow)),
        events=tuple(_rows(tables[EVENTS], EventRow)),
    )
