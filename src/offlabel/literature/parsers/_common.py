"""Helpers shared by the text-format readers (RIS, BibTeX, JSON)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO

from offlabel.literature.errors import LiteratureParseError

Source = str | Path | IO[bytes]
ProblemHandler = Callable[[LiteratureParseError], None]

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b")


def source_name(source: Source) -> str:
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "<stream>"))


def read_text(source: Source) -> tuple[str, str]:
    """Read a whole text file (UTF-8, BOM allowed); a decoding error names the line.

    Returns
    -------
    text, name
    """
    name = source_name(source)
    try:
        data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    except OSError as exc:
        raise LiteratureParseError(f"cannot read file: {exc.strerror or exc}", file=name) from exc
    if isinstance(data, str):  # a text stream was passed; accept it
        return data.lstrip("\ufeff"), name
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LiteratureParseError(
            f"not UTF-8 text (byte {exc.start}: {exc.reason})", file=name, line=line
        ) from None


def year_of(value: object) -> int | None:
    """First plausible 4-digit year in a value like ``"2010///"`` or ``"2010-07-01"``."""
    if isinstance(value, int) and 1500 <= value < 2200:
        return value
    if value is None:
        return None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def clean(value: object) -> str | None:
    """A stripped string with runs of white space collapsed; ``None`` for blanks."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def pages_of(start: str | None, end: str | None) -> str | None:
    start, end = clean(start), clean(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start
