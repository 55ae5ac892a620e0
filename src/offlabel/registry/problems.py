"""Problems found while checking registry data.

A :class:`Problem` belongs to one field of one record (a form, or a row of a CSV file). The
bulk importer adds where it was found (file, line, column) in an :class:`ImportProblem`.
Problems are values, never exceptions: every check returns a list of them so that a form can show
all of them at once and an import can report every bad line in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    """Machine-readable reason for a problem (stable: forms and tests key on it)."""

    REQUIRED = "required"
    """A required value is empty."""
    NOT_ALLOWED = "not_allowed"
    """A value is given where none may be (e.g. a SOD1 genotype for a person)."""
    BAD_FORMAT = "bad_format"
    """The text cannot be read as the expected type (date, number, identifier)."""
    BAD_CHOICE = "bad_choice"
    """The value is not in the vocabulary."""
    OUT_OF_RANGE = "out_of_range"
    """A number lies outside its scale or allowed range."""
    FUTURE_DATE = "future_date"
    DATE_ORDER = "date_order"
    """Two dates of one record are in the wrong order (onset after diagnosis, start after stop)."""
    BEFORE_ONSET = "before_onset"
    BEFORE_BIRTH = "before_birth"
    AFTER_END = "after_end"
    """Something is dated after the subject's death, euthanasia or last contact."""
    WRONG_SPECIES = "wrong_species"
    """A scale, unit, sex or milestone that does not apply to the subject's species."""
    ITEM_MISSING = "item_missing"
    ITEM_UNKNOWN = "item_unknown"
    ITEM_CONFLICT = "item_conflict"
    """Both ALSFRS-R 5a and 5b were scored."""
    TOTAL_MISMATCH = "total_mismatch"
    IMPLAUSIBLE_DOSE = "implausible_dose"
    """Outside the plausible range: needs the user's confirmation, not an error."""
    IMPLAUSIBLE_CHANGE = "implausible_change"
    """A score changed more than is plausible in the time: needs confirmation, not an error."""
    OVERLAP = "overlap"
    """Two courses of one therapy run at the same time."""
    INCONSISTENT = "inconsistent"
    """Two fields of one day contradict each other (a DM stage and a gait score)."""
    PERSONAL_DATA = "personal_data"
    """Free text looks like an e-mail address, which the registry files never hold."""
    DUPLICATE = "duplicate"
    UNKNOWN_REFERENCE = "unknown_reference"
    """A row names a subject (or a treatment) that does not exist."""
    HEADER = "header"
    """Missing, unknown or repeated column in a CSV header."""
    ROW_SHAPE = "row_shape"
    """A CSV row with more or fewer cells than the header."""
    UNREADABLE = "unreadable"
    """The file cannot be read or decoded as UTF-8 CSV."""
    MISSING_FILE = "missing_file"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with one field of a record.

    Parameters
    ----------
    field
        Name of the field (the CSV column name, which forms reuse as field name).
    message
        Plain-words explanation, naming the offending value.
    code
        Machine-readable reason.
    needs_confirmation
        ``True`` when the value is unusual rather than wrong: the form asks the user to confirm
        it (e.g. an implausible dose) instead of rejecting it.
    """

    field: str
    message: str
    code: ProblemCode
    needs_confirmation: bool = False

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A problem located in a registry directory.

    ``line`` is 1-based and counts the header as line 1; it is 0 when the problem concerns the
    file as a whole (missing, unreadable). ``column`` is empty when no single column is at fault.
    """

    file: str
    line: int
    column: str
    message: str
    code: ProblemCode
    needs_confirmation: bool = False

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}"
        column = f" [{self.column}]" if self.column else ""
        confirm = " (confirm to accept)" if self.needs_confirmation else ""
        return f"{where}{column}: {self.message}{confirm}"


class RegistryError(ValueError):
    """Registry data cannot be used as asked; the message names the file, record and field."""


class RegistryImportError(RegistryError):
    """Raised when records are checked and any problem is found; nothing was read.

    Attributes
    ----------
    problems
        Every problem found, in file then line order.
    """

    def __init__(self, problems: list[ImportProblem] | tuple[ImportProblem, ...]) -> None:
        self.problems: tuple[ImportProblem, ...] = tuple(problems)
        super().__init__(self._summary())

    @property
    def needs_confirmation_only(self) -> bool:
        """``True`` when every problem is an implausible value the user may confirm."""
        return bool(self.problems) and all(p.needs_confirmation for p in self.problems)

    def _summary(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the registry records; nothing read"
        shown = "\n".join(f"  {p}" for p in self.problems[:50])
        more = f"\n  … and {count - 50} more" if count > 50 else ""
        return f"{head}\n{shown}{more}"


class ScaleDefinitionError(Exception):
    """A file under ``registry/definitions`` is malformed (a packaging bug, not user input)."""
