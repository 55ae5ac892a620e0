"""Demo registry: the demo patient's and owner's own records, plus a synthetic registry.

The synthetic part (a few hundred people and dogs, LDN with no true effect) comes from
:func:`offlabel.outcomes.simulate.simulate_demo_registry`, is written in the bulk CSV layout and
goes through the same import service as ``offlabel registry import`` (so the demo exercises
the real path). It belongs to the non-login "registry import" account.
"""

from __future__ import annotations

import datetime as dt
import tempfile

from offlabel.registry.vocabulary import ScaleKey
from offlabel.web.accounts.demo import demo_user
from offlabel.web.catalog.models import Therapy
from offlabel.web.registry import services
from offlabel.web.registry.models import CareAccess, Subject
from offlabel.web.registry.services import registry_import

D = dt.date


def _items(total_loss: int) -> dict[str, int]:
    """ALSFRS-R items losing ``total_loss`` points, limbs first (a limb-onset course)."""
    items = dict.fromkeys(("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12"), 4)
    order = ["8", "9", "4", "5a", "6", "7", "8", "9", "3", "1", "4", "5a", "6", "7", "10", "2"]
    for key in order[:total_loss]:
        items[key] -= 1
    return items


def _patient() -> Subject:
    patient = demo_user("patient@offlabel.demo")
    ldn = Therapy.objects.filter(slug="low-dose-naltrexone").first()
    person = services.subject_create(
        by=patient,
        kind=Subject.Kind.PERSON,
        sex="female",
        birth_year=1968,
        onset_date=D(2024, 3, 10),
        onset_region=Subject.OnsetRegion.LIMB,
        diagnosis_date=D(2024, 9, 2),
        diagnosis_confirmed_by="Neurologist at a specialist ALS clinic",
    )
    course = services.course_create(
        subject=person,
        by=patient,
        therapy=ldn,
        dose=4.5,
        dose_unit="mg",
        frequency="once a day",
        time_of_day="bedtime",
        start_date=D(2025, 1, 15),
        source="compounded",
        cost_per_month=35.0,
    )
    services.evaluation_create(
        course=course,
        by=patient,
        side_effects=[("vivid dreams", "mild")],
        date=D(2025, 4, 20),
        efficacy="slight",
        adherence="mostly",
        burden="low",
        notes="Sleep was worse for the first two weeks.",
    )
    for when, loss in ((D(2024, 10, 1), 5), (D(2025, 1, 10), 8), (D(2025, 4, 15), 11)):
        services.score_create(
            subject=person, by=patient, scale=ScaleKey.ALSFRS_R, date=when, items=_items(loss)
        )
    return person


def _dogs() -> list[Subject]:
    owner = demo_user("owner@offlabel.demo")
    vet = demo_user("vet@offlabel.demo")
    ldn = Therapy.objects.filter(slug="low-dose-naltrexone").first()
    bella = services.subject_create(
        by=owner,
        kind=Subject.Kind.DOG,
        name="Bella",
        breed="German Shepherd",
        sex="female_spayed",
        birth_year=2015,
        weight_kg=31.0,
        sod1="A/A",
        onset_date=D(2025, 2, 1),
        diagnosis_date=D(2025, 4, 3),
        diagnosis_method=Subject.DiagnosisMethod.GENOTYPE_EXCLUSION,
    )
    course = services.course_create(
        subject=bella,
        by=owner,
        therapy=ldn,
        dose=3.0,
        dose_unit="mg",
        frequency="once a day",
        time_of_day="bedtime",
        start_date=D(2025, 5, 1),
        source="compounded",
        cost_per_month=28.0,
    )
    services.evaluation_create(
        course=course, by=owner, date=D(2025, 7, 1), efficacy="cant_tell", burden="none"
    )
    for when, gait, stage in (
        (D(2025, 4, 3), 5, 1),
        (D(2025, 6, 1), 5, 1),
        (D(2025, 8, 2), 4, 1),
        (D(2025, 10, 4), 3, 2),
    ):
        services.score_create(
            subject=bella, by=owner, scale=ScaleKey.DM_GAIT, date=when, total=gait
        )
        services.score_create(
            subject=bella, by=owner, scale=ScaleKey.DM_STAGE, date=when, total=stage
        )
    services.milestone_create(subject=bella, by=owner, event="non_ambulatory", date=D(2025, 10, 4))
    access = services.access_invite(
        subject=bella, by=owner, email=vet.email, scope=CareAccess.Scope.CONTRIBUTE, notify=False
    )
    services.access_accept(token=access.token, user=vet)

    milo = services.subject_create(
        by=owner,
        kind=Subject.Kind.DOG,
        name="Milo",
        breed="Pembroke Welsh Corgi",
        sex="male_neutered",
        birth_year=2014,
        weight_kg=13.0,
        sod1="A/A",
        onset_date=D(2024, 11, 15),
        diagnosis_method=Subject.DiagnosisMethod.PRESUMPTIVE,
    )
    for when, gait in ((D(2025, 1, 10), 5), (D(2025, 6, 10), 5), (D(2025, 11, 12), 4)):
        services.score_create(subject=milo, by=owner, scale=ScaleKey.DM_GAIT, date=when, total=gait)
    return [bella, milo]


def load() -> str:
    _patient()
    _dogs()
    from offlabel.web.registry import demo_records

    corrections = demo_records.load()
    from offlabel.outcomes.simulate import simulate_demo_registry
    from offlabel.registry.csv_write import write_registry_dir

    with tempfile.TemporaryDirectory() as tmp:
        write_registry_dir(simulate_demo_registry().bundle, tmp)
        summary = registry_import(directory=tmp, by=None, confirm_implausible=True, synthetic=True)
    return (
        f"registry: 3 demo records (patient@, owner@ ×2, one shared with vet@); {corrections}; "
        f"+ {summary}"
    )
