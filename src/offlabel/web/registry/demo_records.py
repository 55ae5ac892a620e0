"""Demo records that show how the registry keeps records trustworthy (beside ``demo.py``).

- Pat's own record, labelled "Pat", is shared with Dr Chen (see and add): Dr Chen records an
  ALSFRS-R score, then corrects one item of it with a reason. Pat is notified, and the record's
  history shows the item before and after, who, when and why.
- Dr Chen's case history "Case R" has an ALSFRS-R rise of 5 points held for over a year: it is
  flagged as a possible reversal, on Dr Chen's registry page and on the reviewers' list, waiting
  to be checked against the clinical records.
- Dr Vega's (vet@) case history "Case M", a corgi with degenerative myelopathy treated with LDN:
  consent, diagnosis, a course with its dose, stage and gait scores, evaluations with the owner's
  words — what its CARE case report is drawn from.
"""

from __future__ import annotations

import datetime as dt

from offlabel.registry.vocabulary import ScaleKey
from offlabel.web.accounts.demo import demo_user
from offlabel.web.registry import services
from offlabel.web.registry.models import CareAccess, Subject
from offlabel.web.registry.selectors import subject_own_person

D = dt.date
ITEMS = ("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12")


def _items(**levels: int) -> dict[str, int]:
    return {key: levels.get(f"i{key}", 4) for key in ITEMS}


def _shared_and_corrected() -> Subject | None:
    patient = demo_user("patient@offlabel.demo")
    clinician = demo_user("clinician@offlabel.demo")
    pat = subject_own_person(patient)
    if pat is None:
        return None
    access = services.access_invite(
        subject=pat,
        by=patient,
        email=clinician.email,
        scope=CareAccess.Scope.CONTRIBUTE,
        label="Pat",
        notify=False,
    )
    services.access_accept(token=access.token, user=clinician)
    clinic = _items(i4=3, i5a=3, i6=3, i7=3, i8=2, i9=2, i3=3, i10=3)
    score = services.score_create(
        subject=pat, by=clinician, scale=ScaleKey.ALSFRS_R, date=D(2025, 7, 21), items=clinic
    )
    services.score_update(
        score=score,
        by=clinician,
        reason="Item 8 (walking) was copied from the wrong clinic visit; corrected from the "
        "visit of 21 July.",
        items={**clinic, "8": 3},
    )
    return pat


def _reversal_case() -> Subject:
    clinician = demo_user("clinician@offlabel.demo")
    case = services.subject_create(
        by=clinician,
        kind=Subject.Kind.PERSON,
        origin=Subject.Origin.CASE_HISTORY,
        name="Case R",
        sex="male",
        birth_year=1958,
        onset_date=D(2022, 3, 1),
        onset_region=Subject.OnsetRegion.LIMB,
        diagnosis_date=D(2022, 8, 15),
        consent_date=D(2022, 9, 1),
        consent_scope="Recording this case history in the offlabel registry",
    )
    for when, total in (
        (D(2022, 9, 1), 33),
        (D(2023, 1, 10), 34),
        (D(2023, 5, 2), 38),
        (D(2023, 11, 15), 39),
        (D(2024, 6, 20), 38),
    ):
        services.score_create(
            subject=case, by=clinician, scale=ScaleKey.ALSFRS_R, date=when, total=total
        )
    return case


def _vet_case() -> Subject:
    from offlabel.web.catalog.models import Therapy

    vet = demo_user("vet@offlabel.demo")
    case = services.subject_create(
        by=vet,
        kind=Subject.Kind.DOG,
        origin=Subject.Origin.CASE_HISTORY,
        name="Case M",
        breed="Pembroke Welsh Corgi",
        sex="male_neutered",
        birth_year=2014,
        weight_kg=12.5,
        sod1="A/A",
        onset_date=D(2024, 9, 1),
        diagnosis_date=D(2024, 11, 20),
        diagnosis_method=Subject.DiagnosisMethod.GENOTYPE_EXCLUSION,
        consent_date=D(2024, 11, 20),
        consent_scope="Recording this case history in the offlabel registry and reporting it",
    )
    course = services.course_create(
        subject=case,
        by=vet,
        therapy=Therapy.objects.filter(slug="low-dose-naltrexone").first(),
        therapy_text="" if Therapy.objects.filter(slug="low-dose-naltrexone").exists() else "LDN",
        dose=1.5,
        dose_unit="mg",
        frequency="once a day",
        time_of_day="bedtime",
        start_date=D(2024, 12, 1),
        source="compounded",
    )
    for when, stage, gait in (
        (D(2024, 11, 20), 1, 5),
        (D(2025, 3, 1), 1, 4),
        (D(2025, 7, 1), 2, 2),
    ):
        services.scores_record(
            subject=case,
            by=vet,
            date=when,
            entries=[(ScaleKey.DM_STAGE, stage, None), (ScaleKey.DM_GAIT, gait, None)],
        )
    services.evaluation_create(
        course=course,
        by=vet,
        date=D(2025, 3, 1),
        efficacy="cant_tell",
        adherence="always",
        burden="none",
        notes="The owner says he seems brighter on walks, but the wobble is the same.",
    )
    services.evaluation_create(
        course=course,
        by=vet,
        side_effects=[("restless nights", "mild")],
        date=D(2025, 7, 1),
        efficacy="none",
        adherence="always",
        burden="low",
        notes="The owner sees no change in how fast he is losing his hind legs.",
    )
    return case


def load() -> str:
    # As in the community demo: its notifications wait for the morning digest, so loading the
    # demo prints no mail.
    from offlabel.web.accounts.demo import DEMO_ACCOUNTS
    from offlabel.web.network.models import NotificationSetting

    for account in DEMO_ACCOUNTS:
        NotificationSetting.objects.update_or_create(
            user=demo_user(account.email),
            defaults={"email_frequency": NotificationSetting.Frequency.DAILY},
        )
    pat = _shared_and_corrected()
    _reversal_case()
    _vet_case()
    shared = "Pat (shared with clinician@, one score corrected with a reason)" if pat else ""
    return (
        f"{shared}; Case R (a possible reversal to check, clinician@); "
        "Case M (a vet's case history with its CARE report, vet@)"
    )
