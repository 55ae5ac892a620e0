"""Registry pages. Every subject is fetched through ``selectors.subjects_visible_to`` (via
``subject_for``/``subject_owned``), so a record that is not yours, or no longer shared with you,
answers 404. Views read the form, call one service, and show the service's problems on the form.

- :mod:`.records` — the dashboard, a record's page, creating, editing, deleting a record;
- :mod:`.entries` — adding, correcting, deleting and restoring entries;
- :mod:`.sharing` — invitations, access, reminders, possible reversals;
- :mod:`.data` — exports, account deletion, the bulk import, the reviewers' pages.
"""

from offlabel.web.registry.views.data import (
    account_delete,
    deidentified,
    deidentified_export,
    export_csv,
    export_json,
    registry_import_page,
    reversals,
)
from offlabel.web.registry.views.entries import (
    course_edit,
    course_new,
    entry_delete,
    entry_restore,
    evaluation_edit,
    evaluation_new,
    milestone_edit,
    milestone_new,
    score_edit,
    score_new,
)
from offlabel.web.registry.views.records import (
    case_history_new,
    dashboard,
    subject_delete,
    subject_detail,
    subject_edit,
    subject_new,
    subject_restore,
)
from offlabel.web.registry.views.sharing import (
    access_invite,
    access_revoke,
    invitation,
    invitations,
    reminder_set,
    reversal_check,
)
from offlabel.web.registry.views.standards import subject_care, subject_fhir

__all__ = [
    "access_invite",
    "access_revoke",
    "account_delete",
    "case_history_new",
    "course_edit",
    "course_new",
    "dashboard",
    "deidentified",
    "deidentified_export",
    "entry_delete",
    "entry_restore",
    "evaluation_edit",
    "evaluation_new",
    "export_csv",
    "export_json",
    "invitation",
    "invitations",
    "milestone_edit",
    "milestone_new",
    "registry_import_page",
    "reminder_set",
    "reversal_check",
    "reversals",
    "score_edit",
    "score_new",
    "subject_care",
    "subject_delete",
    "subject_detail",
    "subject_edit",
    "subject_fhir",
    "subject_new",
    "subject_restore",
]
