"""Everything the registry gives out as files: one module for every export.

- :func:`registry_export` writes the whole registry (or some subjects) as a CSV directory, in
  the bulk layout or de-identified (``offlabel registry export [--deidentified]``);
- :func:`registry_zip` is the same as a .zip download (an owner's own records; the reviewers'
  de-identified data);
- :func:`own_data_json` is everything an account holder entered, with every field, as JSON:
  the records with their labels, entries (deleted ones still restorable too), each record's
  history with the reasons given, the consents given, and the account's policy agreements.

Reads only: the records come from :mod:`offlabel.web.registry.selectors`, de-identified through
the core's one function, and are written by the core's writers.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from offlabel.registry.csv_write import write_deidentified_dir, write_registry_dir
from offlabel.web.accounts.models import User
from offlabel.web.common.selectors import audit_for_owner
from offlabel.web.common.services import snapshot
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ReversalFlag,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.selectors import registry_bundle, registry_deidentified


def registry_export(
    directory: str | os.PathLike[str],
    *,
    subjects: QuerySet[Subject] | None = None,
    deidentified: bool = False,
) -> int:
    """Write the registry (default: every subject) into ``directory``; returns the subjects.

    De-identified exports always cover the whole registry (they are for reviewers).
    """
    if deidentified:
        bundle = registry_deidentified()
        write_deidentified_dir(bundle, directory)
        return len(bundle.subjects)
    plain = registry_bundle(subjects)
    write_registry_dir(plain, directory)
    _note_synthetic(directory, subjects)
    return len(plain.subjects)


#: Written beside the CSV files of an export that holds simulated (demo) subjects.
SYNTHETIC_NOTE = "SYNTHETIC.txt"


def _note_synthetic(directory: str | os.PathLike[str], subjects: QuerySet[Subject] | None) -> None:
    chosen = Subject.objects.all() if subjects is None else subjects
    n = chosen.filter(origin=Subject.Origin.SYNTHETIC).count()
    if n:
        Path(directory, SYNTHETIC_NOTE).write_text(
            f"{n} of the subjects in this export are synthetic: simulated demo data, not real "
            "patients or dogs. Figures computed from them describe the simulation only.\n",
            encoding="utf-8",
        )


def registry_zip(*, subjects: QuerySet[Subject] | None = None, deidentified: bool = False) -> bytes:
    """:func:`registry_export` as the bytes of a .zip holding the five files."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        registry_export(tmp, subjects=subjects, deidentified=deidentified)
        for path in sorted([*Path(tmp).glob("*.csv"), *Path(tmp).glob(SYNTHETIC_NOTE)]):
            archive.write(path, path.name)
    return buffer.getvalue()


def _history(subject: Subject) -> list[dict[str, Any]]:
    return [
        {
            "at": event.at.isoformat(),
            "by": event.actor.display_name if event.actor else None,
            "action": event.action,
            "what": event.object_repr,
            "before": event.before,
            "after": event.after,
            "reason": event.note,
        }
        for event in audit_for_owner(subject.public_id)
    ]


def own_data_json(user: User) -> dict[str, Any]:
    """Every registry record the user owns, with every field (deleted entries still restorable
    too, marked by ``deleted_at``), its history with reasons, plus the consents they gave."""
    subjects = Subject.all_objects.filter(owner=user).order_by("created", "pk")
    out = []
    for subject in subjects:
        record = snapshot(subject)
        record["label"] = subject.label
        record["owner"] = user.email
        record["courses"] = []
        for course in TreatmentCourse.all_objects.filter(subject=subject).select_related("therapy"):
            data = snapshot(course)
            data["therapy_name"] = course.therapy_name
            data["evaluations"] = [
                snapshot(e) | {"side_effects": [snapshot(s) for s in e.side_effects.all()]}
                for e in Evaluation.all_objects.filter(course=course).prefetch_related(
                    "side_effects"
                )
            ]
            record["courses"].append(data)
        record["scores"] = [snapshot(s) for s in ScoreRecord.all_objects.filter(subject=subject)]
        record["milestones"] = [snapshot(m) for m in Milestone.all_objects.filter(subject=subject)]
        record["consents"] = [snapshot(a, exclude=("token",)) for a in subject.access.all()]
        flag = ReversalFlag.objects.filter(subject=subject).first()
        record["reversal"] = None if flag is None else snapshot(flag)
        record["history"] = _history(subject)
        out.append(record)
    agreements = [
        {"document": c.document, "version": c.version, "agreed_at": c.agreed_at.isoformat()}
        for c in user.policy_consents.all()
    ]
    account = {
        "email": user.email,
        "display_name": user.display_name,
        "email_verified_at": None
        if user.email_verified_at is None
        else user.email_verified_at.isoformat(),
        "agreements": agreements,
    }
    return {"account": account, "subjects": out}
