"""Writing the registry's CSV layouts: the bulk layout and the de-identified one.

Files are written whole and atomically replaced, rows in a deterministic order, so that
:func:`~offlabel.registry.csv_read.read_registry_dir` reads back ``bundle.canonical()``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

from offlabel.registry.deidentify import DeidentifiedBundle
from offlabel.registry.layout import (
    ALSFRS_R_ITEM_COLUMNS,
    COLUMNS,
    DEIDENTIFIED_COLUMNS,
    FILE_OF_TABLE,
    SUBSCORE_COLUMNS,
)
from offlabel.registry.records import RegistryBundle
from offlabel.registry.scales import alsfrs_r_problems, score_alsfrs_r
from offlabel.registry.vocabulary import ItemValue

__all__ = [
    "escape_formula",
    "format_number",
    "unescape_formula",
    "write_csv_files",
    "write_deidentified_dir",
    "write_registry_dir",
]

#: A cell a spreadsheet would run as a formula starts with one of these (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def escape_formula(text: str) -> str:
    """``text`` made inert for a spreadsheet: a cell starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (as OWASP recommends), and so does one that already
    starts with quotes before such a character, so that :func:`unescape_formula` is exact."""
    return "'" + text if _FORMULA.match(text) else text


def unescape_formula(text: str) -> str:
    """The text :func:`escape_formula` was given (``unescape_formula(escape_formula(t)) == t``
    for every ``t``)."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


def format_number(value: float | None) -> str:
    """Shortest text that reads back to the same float (``4.5``, ``10``, ``0.05``)."""
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _cell(value: object) -> str:
    """A value as its cell; free text (and side effects) escaped against spreadsheet formulas,
    numbers, dates and vocabulary values written as they are (they cannot start a formula)."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, tuple):
        return escape_formula(";".join(str(v) for v in value))
    if isinstance(value, str):
        return escape_formula(value)
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


def _item_cells(items: tuple[tuple[str, ItemValue], ...]) -> list[object]:
    """The ALSFRS-R item cells and the subscores they add up to (empty without items)."""
    by_key = dict(items)
    cells: list[object] = [by_key.get(c.removeprefix("item_")) for c in ALSFRS_R_ITEM_COLUMNS]
    subscores: dict[str, int | None] = {}
    if items and not alsfrs_r_problems(by_key):
        subscores = score_alsfrs_r(by_key).subscores
    return cells + [subscores.get(c) for c in SUBSCORE_COLUMNS]


_ITEM_COLUMNS = (*ALSFRS_R_ITEM_COLUMNS, *SUBSCORE_COLUMNS)


def _rows(records: Sequence[object], columns: Sequence[str]) -> list[tuple[object, ...]]:
    """Each record's values in column order: record attributes carry the column names, and a
    score's items fill the item and subscore columns."""
    rows = []
    for record in records:
        items = getattr(record, "items", None)
        cells = (
            dict(zip(_ITEM_COLUMNS, _item_cells(items), strict=True)) if items is not None else {}
        )
        rows.append(tuple(cells[c] if c in cells else getattr(record, c) for c in columns))
    return rows


def _tables(
    bundle: RegistryBundle | DeidentifiedBundle, columns: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[Sequence[str], Sequence[Sequence[object]]]]:
    return {
        name: (columns[name], _rows(getattr(bundle, table), columns[name]))
        for table, name in FILE_OF_TABLE.items()
    }


def write_registry_dir(bundle: RegistryBundle, path: str | os.PathLike[str]) -> None:
    """Write all five files of the layout into ``path`` (created if needed), sorted.

    Every file is written, with its header and every column, even when it has no rows. Only
    bundles that :func:`~offlabel.registry.csv_read.read_registry_dir` would accept read back
    unchanged.
    """
    write_csv_files(_tables(bundle.canonical(), COLUMNS), path)


def write_deidentified_dir(bundle: DeidentifiedBundle, path: str | os.PathLike[str]) -> None:
    """Write a de-identified bundle in the de-identified layout (all five files, sorted)."""
    write_csv_files(_tables(bundle, DEIDENTIFIED_COLUMNS), path)
