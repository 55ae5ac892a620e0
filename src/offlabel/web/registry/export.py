"""An account holder's own data, complete, as JSON (the CSV zip holds the bulk layout only)."""

from __future__ import annotations

from typing import Any

from offlabel.web.common.services import snapshot
from offlabel.web.registry.models import Subject


def own_data_json(user: Any) -> dict[str, Any]:
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
