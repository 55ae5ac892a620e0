"""Registry records made through the registry's own services, for tests of what shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

LDN = "Low-dose naltrexone"


def add_ldn_evaluations(world: Any, n: int, side_effect: str, *, kind: str = "") -> None:
    """``n`` new subjects on LDN (case histories of the world's clinician), each rating it
    ``major`` with one side effect: people and dogs in turn, or only ``kind`` ("person", "dog")."""
    from offlabel.web.catalog.models import Therapy
    from offlabel.web.registry import services

    ldn = Therapy.objects.get(name=LDN)
    for i in range(n):
        dog = kind == "dog" or (not kind and bool(i % 2))
        subject = services.subject_create(
            by=world.clinician,
            kind="dog" if dog else "person",
            origin="case_history",
            onset_date=dt.date(2024, 1, 1),
            birth_year=2016 if dog else 1960,  # a valid record: the services check it
            sod1="unknown" if dog else "",
            consent_date=dt.date(2024, 1, 2),
        )
        course = services.course_create(
            subject=subject,
            by=world.clinician,
            therapy=ldn,
            dose=4.5,
            dose_unit="mg",
            start_date=dt.date(2024, 3, 1),
        )
        services.evaluation_create(
            course=course,
            by=world.clinician,
            side_effects=[(side_effect, "mild")],
            date=dt.date(2024, 6, 1),
            efficacy="major",
        )
