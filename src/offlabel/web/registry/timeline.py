"""Everything the subject page shows about one subject's course, read in a handful of queries."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from offlabel.registry.scales import get_scale
from offlabel.registry.vocabulary import ScaleKey
from offlabel.reports.timeline import Mark, Period, Point, timeline_svg
from offlabel.web.registry.models import Subject
from offlabel.web.registry.selectors import courses_of, milestones_of, scores_of


def month_label(when: dt.date) -> str:
    """ "mar 2024" in the reader's language (Django's month names)."""
    return date_format(when, "M Y")


def _cached_svg(**data: Any) -> str:
    """Rendering takes most of a second; the same data (day and language) gives the same
    picture."""
    today = timezone.localdate()
    language = get_language()
    key = "registry-timeline:" + hashlib.sha256(repr((data, today, language)).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = timeline_svg(today=today, words=gettext, month=month_label, **data)
        cache.set(key, svg, timeout=24 * 3600)
    return str(svg)


def subject_timeline(subject: Subject, title: str | None = None) -> dict[str, Any]:
    """Courses (with evaluations), scores, milestones, the plot and its table alternative
    (``title``: the record's name as the viewer sees it)."""
    courses = list(courses_of(subject))
    scores = list(scores_of(subject))
    milestones = list(milestones_of(subject))
    plot = ""
    if scores or courses:
        plot = _cached_svg(
            points=[
                Point(ScaleKey(s.scale), s.date, s.total) for s in scores if s.total is not None
            ],
            periods=[Period(c.therapy_name, c.start_date, c.stop_date) for c in courses],
            marks=[Mark(m.get_event_display(), m.date) for m in milestones],
            title=gettext("%(record)s: scores and treatments") % {"record": title or subject.label},
        )
    rows = []
    for score in scores:
        on = [
            c.therapy_name
            for c in courses
            if c.start_date <= score.date and (c.stop_date is None or score.date <= c.stop_date)
        ]
        rows.append(
            {
                "score": score,
                "scale_name": get_scale(score.scale).name,
                "on_treatment": ", ".join(on),
            }
        )
    return {
        "courses": courses,
        "scores": scores,
        "score_rows": rows,
        "milestones": milestones,
        "plot": plot,
    }
