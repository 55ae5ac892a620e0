"""Writes of the registry: each in one transaction, each leaving an audit row.

The same services serve the forms, the CSV import and (later) the API: they check who may
write, run the core's rules on the whole record and raise :class:`RecordProblems` with the
core's messages (field by field) when a change breaks one.

- :mod:`.checks` — checking a change, who may change what, reasons;
- :mod:`.subjects` — records (a person, a dog) and the account that owns them;
- :mod:`.entries` — courses, evaluations, scores, milestones: add, correct, delete, restore;
- :mod:`.sharing` — consent for clinicians and vets, labels, reminders;
- :mod:`.reversals` — possible reversals, flagged and checked;
- :mod:`.upkeep` — the daily purge of old deletions and the re-score reminders;
- :mod:`.importing` — the bulk import.
"""

from offlabel.web.registry.services.checks import (
    MAX_REASON,
    Change,
    Permissions,
    RecordProblem,
    RecordProblems,
    can_change,
    change_problems,
    permissions_for,
    reason_needed,
)
from offlabel.web.registry.services.entries import (
    course_create,
    course_update,
    entry_delete,
    entry_restore,
    evaluation_create,
    evaluation_update,
    milestone_create,
    milestone_update,
    score_create,
    score_update,
    scores_record,
)
from offlabel.web.registry.services.importing import (
    IMPORTER_EMAIL,
    ImportSummary,
    registry_import,
)
from offlabel.web.registry.services.reversals import reversal_check, reversal_refresh
from offlabel.web.registry.services.sharing import (
    REMINDER_CHOICES,
    access_accept,
    access_invite,
    access_revoke,
    reminder_set,
)
from offlabel.web.registry.services.subjects import (
    account_delete,
    subject_create,
    subject_delete,
    subject_restore,
    subject_update,
)
from offlabel.web.registry.services.upkeep import registry_purge, reminders_send

__all__ = [
    "IMPORTER_EMAIL",
    "MAX_REASON",
    "REMINDER_CHOICES",
    "Change",
    "ImportSummary",
    "Permissions",
    "RecordProblem",
    "RecordProblems",
    "access_accept",
    "access_invite",
    "access_revoke",
    "account_delete",
    "can_change",
    "change_problems",
    "course_create",
    "course_update",
    "entry_delete",
    "entry_restore",
    "evaluation_create",
    "evaluation_update",
    "milestone_create",
    "milestone_update",
    "permissions_for",
    "reason_needed",
    "registry_import",
    "registry_purge",
    "reminder_set",
    "reminders_send",
    "reversal_check",
    "reversal_refresh",
    "score_create",
    "score_update",
    "scores_record",
    "subject_create",
    "subject_delete",
    "subject_restore",
    "subject_update",
]
