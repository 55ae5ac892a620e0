"""Everything the registry gives out as files: one module for every export.

- :func:`registry_export` writes the whole registry (or some subjects) as a CSV directory, in
  the bulk layout or de-identified (``offlabel registry export [--deidentified]``);
- :func:`registry_zip` is the same as a .zip download (an owner's own records; the reviewers'
  de-identified data);
- :func:`own_data_json` is everything an account holder entered, with every field, as JSON.

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
from offlabel.web.common.services import snapshot
from offlabel.web.registry.models import Subject
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
    return len(plain.subjects)


def registry_zip(*, subjects: QuerySet[Subject] | None = None, deidentified: bool = False) -> bytes:
    """:func:`registry_export` as the bytes of a .zip holding the five files."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        registry_export(tmp, subjects=subjects, deidentified=deidentified)
        for path in sorted(Path(tmp).glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


def own_data_json(user: User) -> dict[str, Any]:
    """Every registry record the user owns, with every field, plus the consents they gave."""
    subjects = Subject.objects.filter(owner=user).prefetch_related(
        "courses__therapy",
        "courses__evaluations__side_effects",
        "scores",
        "milestones",
        "access",
    )
    out = []
    for subject in subjects:
        record = snapshot(subject)
        record["owner"] = user.email
        record["courses"] = []
        for course in subject.courses.all():
            data = snapshot(course)
            data["therapy_name"] = course.therapy_name
            data["evaluations"] = [
                snapshot(e) | {"side_effects": [snapshot(s) for s in e.side_effects.all()]}
                for e in course.evaluations.all()
            ]
            record["courses"].append(data)
        record["scores"] = [snapshot(s) for s in subject.scores.all()]
        record["milestones"] = [snapshot(m) for m in subject.milestones.all()]
        record["consents"] = [snapshot(a, exclude=("token",)) for a in subject.access.all()]
        out.append(record)
    return {"account": {"email": user.email, "display_name": user.display_name}, "subjects": out}
