import datetime as dt

import pytest
from django.db import IntegrityError

from offlabel.web.registry.models import Subject, TreatmentCourse

pytestmark = pytest.mark.django_db


def test_a_course_without_any_therapy_name_is_refused_by_the_database(world):
    subject = Subject.objects.filter(owner=world.patient).first() or Subject.objects.create(
        owner=world.patient, kind="person", onset_date=dt.date(2020, 1, 1)
    )
    with pytest.raises(IntegrityError):
        TreatmentCourse.objects.create(subject=subject, start_date=dt.date(2021, 1, 1))


def test_subject_page_links_to_the_comparison_with_similar_subjects(world, client_for):
    from django.urls import reverse

    from offlabel.web.registry.models import ScoreRecord

    subject = world.person
    ScoreRecord.objects.create(
        subject=subject, date=dt.date(2023, 6, 1), scale="alsfrs_r", total=40
    )
    page = client_for(world.patient).get(reverse("registry:subject", args=[subject.public_id]))
    assert reverse("analytics:me", args=[subject.public_id]) in page.content.decode()
