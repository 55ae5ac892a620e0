"""Writes of a record's entries: treatment courses, evaluations, scores, milestones.

Every entry can be added, edited, deleted and restored, each in one transaction with an audit
row. Each write is checked against the registry's rules on the whole record
(:mod:`~offlabel.web.registry.services.checks`) and raises
:class:`~offlabel.web.registry.services.checks.RecordProblems` with the core's messages when it
breaks one (or needs a confirmation, given with ``confirm=True``); who may do it, and when a
reason is needed, is checked there too. A deletion is kept restorable for ``RESTORE_DAYS``
days; the owner is told of every change someone else makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.registry.scales import alsfrs_r_problems, score_alsfrs_r
from offlabel.registry.vocabulary import ItemValue, ScaleKey
from offlabel.web.accounts.models import User
from offlabel.web.registry import rows
from offlabel.web.registry.models import (
    RESTORE_DAYS,
    Evaluation,
    Milestone,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.services.checks import (
    Change,
    check_changes,
    checked_reason,
    may_add,
    may_change,
    reason_needed,
)
from offlabel.web.registry.services.common import Action, audit, entry_snapshot, tell_owner

Deleted = TreatmentCourse | Evaluation | ScoreRecord | Milestone


def _course_row(course: TreatmentCourse) -> Any:
    return rows.course_row(rows.values_of(course, rows.COURSE_VALUES), pooled=True)


def _evaluation_row(evaluation: Evaluation, effects: Iterable[tuple[str, str]]) -> Any:
    values = rows.values_of(evaluation, rows.EVALUATION_VALUES)
    return rows.evaluation_row(values, effects, pooled=True)


def _score_row(score: ScoreRecord) -> Any:
    return rows.score_row(rows.values_of(score, rows.SCORE_VALUES))


def _milestone_row(milestone: Milestone) -> Any:
    return rows.event_row(rows.values_of(milestone, rows.MILESTONE_VALUES))


def _set(instance: Any, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def _corrected(
    by: User,
    entry: Any,
    subject: Subject,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
    what: str,
) -> bool:
    """Audit a correction and tell the owner, when something did change."""
    if after == before:
        return False
    audit(by, Action.UPDATE, entry, subject, before, after, reason)
    tell_owner(subject, by, f"corrected {what}", reason)
    return True


# -- treatment courses ---------------------------------------------------------------------------


def _evaluation_changes(course: TreatmentCourse) -> list[Change]:
    """The course's evaluations as they read with the course changed (name, start)."""
    changes = []
    for evaluation in course.evaluations.all():
        evaluation.course = course
        row = _evaluation_row(evaluation, rows.side_effects_of(evaluation))
        changes.append(Change("evaluations", row, evaluation.pk, follows=True))
    return changes


@transaction.atomic
def course_create(
    *, subject: Subject, by: User, confirm: bool = False, **fields: Any
) -> TreatmentCourse:
    """Add a course; an unusual dose needs ``confirm`` (``dose_confirmed`` is the same)."""
    may_add(subject, by)
    confirm = bool(fields.pop("dose_confirmed", False)) or confirm
    course = TreatmentCourse(subject=subject, entered_by=by, **fields)
    course.dose_confirmed = check_changes(
        subject, [Change("treatments", _course_row(course))], confirm=confirm
    )
    course.save()
    audit(by, Action.CREATE, course, subject, None, entry_snapshot(course))
    tell_owner(subject, by, f"added the treatment course {course}")
    return course


@transaction.atomic
def course_update(
    *, course: TreatmentCourse, by: User, reason: str = "", confirm: bool = False, **fields: Any
) -> TreatmentCourse:
    subject = course.subject
    may_change(subject, course, by)
    reason = checked_reason(reason, needed=reason_needed(course, by), what="this correction")
    confirm = bool(fields.pop("dose_confirmed", False)) or confirm
    before = entry_snapshot(course)
    _set(course, fields)
    changes = [Change("treatments", _course_row(course), course.pk), *_evaluation_changes(course)]
    course.dose_confirmed = check_changes(subject, changes, confirm=confirm) or (
        course.dose_confirmed and "dose" not in fields
    )
    course.save()
    after = entry_snapshot(course)
    _corrected(by, course, subject, before, after, reason, f"the treatment course {course}")
    return course


# -- evaluations -------------------------------------------------------------------------------


def _side_effect_pairs(side_effects: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name.strip(), severity or "") for name, severity in side_effects if name.strip()]


@transaction.atomic
def evaluation_create(
    *,
    course: TreatmentCourse,
    by: User,
    side_effects: Sequence[tuple[str, str]] = (),
    **fields: Any,
) -> Evaluation:
    """Record an evaluation of a course; ``side_effects`` are ``(name, severity)`` pairs."""
    subject = course.subject
    may_add(subject, by)
    effects = _side_effect_pairs(side_effects)
    evaluation = Evaluation(course=course, entered_by=by, **fields)
    check_changes(subject, [Change("evaluations", _evaluation_row(evaluation, effects))])
    evaluation.save()
    SideEffect.objects.bulk_create(
        SideEffect(evaluation=evaluation, name=name, severity=severity)
        for name, severity in effects
    )
    after = entry_snapshot(evaluation, side_effects=[list(pair) for pair in effects])
    audit(by, Action.CREATE, evaluation, subject, None, after)
    tell_owner(subject, by, f"added an evaluation of {course.therapy_name}")
    return evaluation


@transaction.atomic
def evaluation_update(
    *,
    evaluation: Evaluation,
    by: User,
    reason: str = "",
    side_effects: Sequence[tuple[str, str]] | None = None,
    **fields: Any,
) -> Evaluation:
    subject = evaluation.course.subject
    may_change(subject, evaluation, by)
    reason = checked_reason(reason, needed=reason_needed(evaluation, by), what="this correction")
    old_effects = rows.side_effects_of(evaluation)
    effects = old_effects if side_effects is None else _side_effect_pairs(side_effects)
    before = entry_snapshot(evaluation, side_effects=[list(p) for p in old_effects])
    _set(evaluation, fields)
    row = _evaluation_row(evaluation, effects)
    check_changes(subject, [Change("evaluations", row, evaluation.pk)])
    evaluation.save()
    if effects != old_effects:
        evaluation.side_effects.all().delete()
        SideEffect.objects.bulk_create(
            SideEffect(evaluation=evaluation, name=name, severity=severity)
            for name, severity in effects
        )
    after = entry_snapshot(evaluation, side_effects=[list(p) for p in effects])
    _corrected(by, evaluation, subject, before, after, reason, str(evaluation).lower())
    return evaluation


# -- scores ------------------------------------------------------------------------------------


def _fill_score(score: ScoreRecord, given: Mapping[str, Any] | None) -> None:
    """Store the items, and the total and subscores they give when they can be scored."""
    items = rows.item_values(given)
    score.items = rows.items_to_store(items)
    score.subscores = None
    if items and not alsfrs_r_problems(items):
        result = score_alsfrs_r(items)
        score.subscores = result.subscores
        if score.total is None:
            score.total = result.total


@transaction.atomic
def scores_record(
    *,
    subject: Subject,
    by: User,
    date: dt.date,
    entries: Sequence[tuple[ScaleKey | str, int | None, Mapping[str, ItemValue] | None]],
    confirm: bool = False,
) -> list[ScoreRecord]:
    """Record scores of one day together (a DM stage and a gait score are checked against each
    other): each entry is ``(scale, total, items)``; ALSFRS-R items give the total."""
    may_add(subject, by)
    scores = []
    for scale, total, items in entries:
        score = ScoreRecord(
            subject=subject, date=date, scale=ScaleKey(scale).value, total=total, entered_by=by
        )
        _fill_score(score, items)
        scores.append(score)
    changes = [Change("scores", _score_row(score)) for score in scores]
    confirmed = check_changes(subject, changes, confirm=confirm)
    for score in scores:
        score.confirmed = confirmed
        score.save()
        audit(by, Action.CREATE, score, subject, None, entry_snapshot(score))
    tell_owner(subject, by, "added " + " and ".join(f"the score {s}" for s in scores))
    _reversal_refresh(subject, by)
    return scores


def score_create(
    *,
    subject: Subject,
    by: User,
    scale: ScaleKey | str,
    date: dt.date,
    total: int | None = None,
    items: Mapping[str, ItemValue] | None = None,
    confirm: bool = False,
) -> ScoreRecord:
    """Record one score; for ALSFRS-R with ``items`` the total and subscores are computed."""
    [score] = scores_record(
        subject=subject, by=by, date=date, entries=[(scale, total, items)], confirm=confirm
    )
    return score


@transaction.atomic
def score_update(
    *,
    score: ScoreRecord,
    by: User,
    reason: str = "",
    confirm: bool = False,
    date: dt.date | None = None,
    total: int | None = None,
    items: Mapping[str, ItemValue] | None = None,
) -> ScoreRecord:
    """Correct a score's date, total or items (items give the total, as on entry)."""
    subject = score.subject
    may_change(subject, score, by)
    reason = checked_reason(reason, needed=reason_needed(score, by), what="this correction")
    before = entry_snapshot(score)
    if date is not None:
        score.date = date
    if items is not None:
        score.total = total
        _fill_score(score, items)
    elif total is not None:
        score.total = total
    score.confirmed = check_changes(
        subject, [Change("scores", _score_row(score), score.pk)], confirm=confirm
    ) or (score.confirmed and items is None and total is None)
    score.save()
    if _corrected(by, score, subject, before, entry_snapshot(score), reason, f"the score {score}"):
        _reversal_refresh(subject, by)
    return score


def _reversal_refresh(subject: Subject, by: User | None) -> None:
    from offlabel.web.registry.services.reversals import reversal_refresh

    reversal_refresh(subject=subject, by=by)


# -- milestones -------------------------------------------------------------------------------


@transaction.atomic
def milestone_create(*, subject: Subject, by: User, event: str, date: dt.date) -> Milestone:
    may_add(subject, by)
    milestone = Milestone(subject=subject, event=event, date=date, entered_by=by)
    check_changes(subject, [Change("events", _milestone_row(milestone))])
    milestone.save()
    audit(by, Action.CREATE, milestone, subject, None, entry_snapshot(milestone))
    tell_owner(subject, by, f"added the milestone {milestone}")
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by: User, reason: str = "", **fields: Any
) -> Milestone:
    subject = milestone.subject
    may_change(subject, milestone, by)
    reason = checked_reason(reason, needed=reason_needed(milestone, by), what="this correction")
    before = entry_snapshot(milestone)
    _set(milestone, fields)
    check_changes(subject, [Change("events", _milestone_row(milestone), milestone.pk)])
    milestone.save()
    after = entry_snapshot(milestone)
    _corrected(by, milestone, subject, before, after, reason, f"the milestone {milestone}")
    return milestone


# -- deleting and restoring any entry -----------------------------------------------------------


def _subject_of(entry: Deleted) -> Subject:
    return entry.course.subject if isinstance(entry, Evaluation) else entry.subject


def _entry_change(entry: Deleted) -> list[Change]:
    """The entry (and what comes back with it) as rows to add."""
    if isinstance(entry, TreatmentCourse):
        changes = [Change("treatments", _course_row(entry))]
        for evaluation in Evaluation.all_objects.filter(course=entry, deleted_at=entry.deleted_at):
            evaluation.course = entry
            changes.append(
                Change("evaluations", _evaluation_row(evaluation, rows.side_effects_of(evaluation)))
            )
        return changes
    if isinstance(entry, Evaluation):
        return [Change("evaluations", _evaluation_row(entry, rows.side_effects_of(entry)))]
    if isinstance(entry, ScoreRecord):
        return [Change("scores", _score_row(entry))]
    return [Change("events", _milestone_row(entry))]


@transaction.atomic
def entry_delete(*, entry: Deleted, by: User, reason: str) -> Deleted:
    """Delete an entry with a reason; it can be restored for ``RESTORE_DAYS`` days (a course
    takes its evaluations with it, and brings them back)."""
    subject = _subject_of(entry)
    may_change(subject, entry, by)
    reason = checked_reason(reason, needed=True, what="this deletion")
    now = timezone.now()
    before = entry_snapshot(entry)
    entry.deleted_at, entry.deleted_by, entry.delete_reason = now, by, reason
    entry.save(update_fields=["deleted_at", "deleted_by", "delete_reason"])
    if isinstance(entry, TreatmentCourse):
        Evaluation.objects.filter(course=entry).update(
            deleted_at=now, deleted_by=by, delete_reason=reason
        )
    audit(by, Action.DELETE, entry, subject, before, None, reason)
    tell_owner(subject, by, f"deleted {_what(entry)}", reason)
    if isinstance(entry, ScoreRecord):
        _reversal_refresh(subject, by)
    return entry


@transaction.atomic
def entry_restore(*, entry: Deleted, by: User) -> Deleted:
    """Bring back a deleted entry within ``RESTORE_DAYS`` days, if the record still allows it
    (a score of the same day entered since, for example, does not)."""
    subject = _subject_of(entry)
    may_change(subject, entry, by)
    if entry.deleted_at is None:
        return entry
    if entry.deleted_at < timezone.now() - dt.timedelta(days=RESTORE_DAYS):
        raise PermissionDenied(
            _("Deleted entries can be restored for %(days)s days only.") % {"days": RESTORE_DAYS}
        )
    if isinstance(entry, Evaluation) and entry.course.deleted_at is not None:
        raise PermissionDenied(
            _("Restore the treatment course: its evaluations come back with it.")
        )
    check_changes(subject, _entry_change(entry))
    when = entry.deleted_at
    entry.deleted_at, entry.deleted_by, entry.delete_reason = None, None, ""
    entry.save(update_fields=["deleted_at", "deleted_by", "delete_reason"])
    if isinstance(entry, TreatmentCourse):
        Evaluation.all_objects.filter(course=entry, deleted_at=when).update(
            deleted_at=None, deleted_by=None, delete_reason=""
        )
    audit(by, Action.UPDATE, entry, subject, None, entry_snapshot(entry), "Restored.")
    tell_owner(subject, by, f"restored {_what(entry)}")
    if isinstance(entry, ScoreRecord):
        _reversal_refresh(subject, by)
    return entry


def _what(entry: Deleted) -> str:
    if isinstance(entry, TreatmentCourse):
        return f"the treatment course {entry}"
    if isinstance(entry, ScoreRecord):
        return f"the score {entry}"
    if isinstance(entry, Milestone):
        return f"the milestone {entry}"
    return str(entry).lower()
