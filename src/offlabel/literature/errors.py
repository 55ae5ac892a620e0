"""Errors raised while reading literature files."""

from __future__ import annotations

from pathlib import Path


class LiteratureParseError(ValueError):
    """A literature file (or one record in it) could not be read.

    The message always names the file and, when known, the record (1-based ordinal in the
    file), the line and the field, so a person can find the problem.

    Parameters
    ----------
    problem : str
        What is wrong, in plain words.
    file : str or Path, optional
        The file being read.
    record : int, optional
        1-based ordinal of the record in the file.
    line : int, optional
        1-based line number in the (decompressed) file.
    field : str, optional
        The field or element at fault.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        record: int | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.record = record
        self.line = line
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.record is not None:
            where.append(f"record {self.record}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field}")
        prefix = self.file or "<input>"
        if where:
            prefix += f" ({', '.join(where)})"
        return f"{prefix}: {self.problem}"

    def located(
        self,
        *,
        file: str | Path | None = None,
        record: int | None = None,
        line: int | None = None,
    ) -> LiteratureParseError:
        """Return a copy with missing location details filled in."""
        return type(self)(
            self.problem,
            file=self.file if self.file is not None else file,
            record=self.record if self.record is not None else record,
            line=self.line if self.line is not None else line,
            field=self.field,
        )


class FileTooLargeError(LiteratureParseError):
    """A file is larger than the configured limit; nothing was read."""
