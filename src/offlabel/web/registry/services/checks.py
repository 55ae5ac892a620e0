"""Checking a change to a record before it is saved: the core's rules, on the whole record.

A change (an entry added, edited or restored; the record's details edited) is checked by
running every rule of :func:`offlabel.registry.validation.validate_records` over the subject's
records as they would be after the change, and keeping the problems that the change brings
(those already there before are not the change's fault). So the same rules, and the same
messages, hold for a form, a CSV import and an API call; a problem found on another entry
(a course this one now overlaps) names that entry.

Who may change what:

- the owner adds, edits, deletes and restores anything in their record;
- a clinician or vet with "see and add" access adds entries and edits or deletes the entries
  they made themselves; never the owner's, nor another clinician's;
- an edit needs a reason when made after the day the entry was entered, or by anyone but its
  author; a deletion always does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.registry.problems import ProblemCode
from offlabel.registry.scales import get_scale
from offlabel.registry.validation import validate_records
from offlabel.web.accounts.models import User
from offlabel.web.accounts.services import require_verified
from offlabel.web.registry.models import Subject
from offlabel.web.registry.rows import Records
from offlabel.web.registry.selectors import subject_records, subjects_contributable_by

#: The longest reason an edit or a deletion may give (it is kept in the history).
MAX_REASON = 300


@dataclass(frozen=True)
class RecordProblem:
    """One problem with a change, for a form field or an API response.

    ``field`` is the core's field name (the CSV column: ``date``, ``total``, ``item_5a`` …) or
    ``reason``; ``on_entry`` is false when the problem sits on another entry of the record,
    which ``about`` then names; ``row`` is the checked record it sits on.
    """

    field: str
    message: str
    code: ProblemCode
    needs_confirmation: bool = False
    on_entry: bool = True
    about: str = ""
    row: Any = None

    def __str__(self) -> str:
        where = f"{self.about}: " if self.about else ""
        return f"{where}{self.message}"


class RecordProblems(Exception):
    """A change breaks the registry's rules (or needs a confirmation); nothing was saved."""

    def __init__(self, problems: Iterable[RecordProblem]) -> None:
        self.problems: tuple[RecordProblem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def needs_confirmation_only(self) -> bool:
        return bool(self.problems) and all(p.needs_confirmation for p in self.problems)


@dataclass(frozen=True)
class Change:
    """A record of ``table`` replaced (``pk`` and ``row``), added (``row``) or removed (``pk``).

    ``follows`` marks a row that changes only because another one does (a course's evaluations
    when its start moves): its problems are reported as about that other entry.
    """

    table: str
    row: Any = None
    pk: int | None = None
    follows: bool = False


def describe(table: str, row: Any) -> str:
    """An entry in a few words, for a message about another entry than the one changed."""
    if table == "treatments":
        return f"The course of {row.therapy} from {row.start_date.isoformat()}"
    if table == "evaluations":
        return f"The evaluation of {row.therapy} on {row.date.isoformat()}"
    if table == "scores":
        name = get_scale(row.scale).name
        name = name if name.endswith("score") else f"{name} score"
        return f"The {name} of {row.date.isoformat()}"
    if table == "events":
        return f"The {row.event.value.replace('_', ' ')} milestone of {row.date.isoformat()}"
    return "The record's details"


def _validate(
    records: dict[str, list[Any]], keys: dict[str, list[object]]
) -> list[tuple[str, object, Any, Any]]:
    """``(table, key, row, problem)`` of every problem; ``key`` is the row's pk (or a marker
    for a row not saved yet), so a problem an entry already had is recognised after an edit."""
    found = validate_records(
        subjects=records["subjects"],
        treatments=records["treatments"],
        evaluations=records["evaluations"],
        scores=records["scores"],
        events=records["events"],
        today=timezone.localdate(),
    )
    return [(p.table, keys[p.table][p.index], records[p.table][p.index], p.problem) for p in found]


def change_problems(
    subject: Subject | None, changes: Sequence[Change], *, records: Records | None = None
) -> list[RecordProblem]:
    """The problems ``changes`` would bring to ``subject``'s records (``None``: a new subject)."""
    current = records or (subject_records(subject) if subject is not None else Records())
    after = {table: list(rows) for table, rows in current.rows.items()}
    keys: dict[str, list[object]] = {table: list(pks) for table, pks in current.pks.items()}
    candidates: list[Any] = []
    removed: dict[str, list[int]] = {}
    for change in changes:
        if change.pk is not None and change.pk in current.pks[change.table]:
            index = current.pks[change.table].index(change.pk)
            if change.row is None:
                removed.setdefault(change.table, []).append(index)
            else:
                after[change.table][index] = change.row
        elif change.row is not None:
            after[change.table].append(change.row)
            keys[change.table].append(object())
        if change.row is not None and not change.follows:
            candidates.append(change.row)
    for table, indices in removed.items():
        for index in sorted(indices, reverse=True):
            del after[table][index]
            del keys[table][index]
    known: dict[str, list[object]] = {table: list(pks) for table, pks in current.pks.items()}
    before = {(table, key, problem) for table, key, _row, problem in _validate(current.rows, known)}
    problems = []
    for table, key, row, problem in _validate(after, keys):
        if (table, key, problem) in before:
            continue
        mine = any(row is candidate for candidate in candidates)
        problems.append(
            RecordProblem(
                problem.field,
                problem.message,
                problem.code,
                problem.needs_confirmation,
                on_entry=mine,
                about="" if mine else describe(table, row),
                row=row,
            )
        )
    return problems


def check_changes(
    subject: Subject | None, changes: Sequence[Change], *, confirm: bool = False
) -> bool:
    """Raise :class:`RecordProblems` unless the changes keep every rule; ``True`` when they
    needed (and got) a confirmation."""
    problems = change_problems(subject, changes)
    if not problems:
        return False
    if confirm and all(p.needs_confirmation for p in problems):
        return True
    raise RecordProblems(problems)


# -- who may change what -------------------------------------------------------------------


def may_add(subject: Subject, by: User) -> None:
    require_verified(by, "add to a record")
    if not subjects_contributable_by(by).filter(pk=subject.pk).exists():
        raise PermissionDenied(_("You may not add to this record."))


def may_change(subject: Subject, entry: Any, by: User) -> None:
    """The owner changes anything; a contributor only the entries they made themselves."""
    require_verified(by, "change a record")
    if subject.owner_id == by.pk:
        return
    may_add(subject, by)
    if entry.entered_by_id != by.pk:
        raise PermissionDenied(
            _(
                "Only the record's owner changes or deletes entries someone else made; "
                "you may change the entries you made yourself."
            )
        )


def may_own(subject: Subject, by: User) -> None:
    require_verified(by, "change a record")
    if subject.owner_id != by.pk:
        raise PermissionDenied(_("Only the record's owner may do this."))


def can_change(subject: Subject, entry: Any, by: User) -> bool:
    try:
        may_change(subject, entry, by)
    except PermissionDenied:
        return False
    return True


@dataclass(frozen=True)
class Permissions:
    """What one person may do to one record, read once for a page full of entries (the same
    rule as :func:`may_change`)."""

    is_owner: bool
    can_add: bool
    user_pk: int | None

    def can_change(self, entry: Any) -> bool:
        return self.is_owner or (self.can_add and entry.entered_by_id == self.user_pk)


def permissions_for(subject: Subject, by: User) -> Permissions:
    verified = by.email_verified
    return Permissions(
        is_owner=verified and subject.owner_id == by.pk,
        can_add=verified and subjects_contributable_by(by).filter(pk=subject.pk).exists(),
        user_pk=by.pk,
    )


def reason_needed(entry: Any, by: User) -> bool:
    """After the day it was entered, or by anyone but its author, an edit needs a reason."""
    if entry.entered_by_id != by.pk:
        return True
    return bool(timezone.localtime(entry.created).date() < timezone.localdate())


def checked_reason(reason: str, *, needed: bool, what: str = "this change") -> str:
    text = " ".join((reason or "").split())
    if needed and not text:
        raise RecordProblems(
            [
                RecordProblem(
                    "reason",
                    f"Say why you make {what}: it is kept in the record's history.",
                    ProblemCode.REQUIRED,
                )
            ]
        )
    if len(text) > MAX_REASON:
        raise RecordProblems(
            [
                RecordProblem(
                    "reason",
                    f"Keep the reason to {MAX_REASON} characters (it has {len(text)}).",
                    ProblemCode.OUT_OF_RANGE,
                )
            ]
        )
    return text
