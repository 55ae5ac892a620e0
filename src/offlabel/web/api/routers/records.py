"""The caller's registry records, with a personal access token.

Reads go through the registry's gate (:func:`~offlabel.web.registry.selectors.subjects_visible_to`):
an owner sees their records, a clinician or vet those shared with them by an active consent,
anyone else none (404, as the pages answer). Writes bind the registry's own forms to the JSON
body and call the same services the pages call: the same checks, the same messages field by
field (422), the same audit rows and notifications, the same permissions. Reviewers download the
de-identified registry, made by the one exporter through the one de-identification function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from offlabel.registry.vocabulary import ScaleKey
from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import Role
from offlabel.web.api.auth import TokenAuth, require
from offlabel.web.api.models import AccessToken, Scope
from offlabel.web.api.paging import PER_PAGE, paged
from offlabel.web.api.problems import ApiProblem
from offlabel.web.api.schemas import (
    CourseIn,
    CourseOut,
    EvaluationIn,
    EvaluationOut,
    MeOut,
    MilestoneIn,
    MilestoneOut,
    Problem,
    RecordOut,
    ScoreIn,
    ScoreOut,
    SubjectIn,
    SubjectOut,
    SubjectPage,
)

router = Router(auth=TokenAuth(), tags=["records"])
ERRORS: dict[int, type[Schema]] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}
T = TypeVar("T")
PREFIX = "/api/v1"
MAX_SIDE_EFFECTS = 3


# -- reading ------------------------------------------------------------------------------------


def subject_out(subject: Any, user: User) -> dict[str, Any]:
    return {
        "public_id": subject.public_id,
        "kind": subject.kind,
        "origin": subject.origin,
        "label": subject.label_for(user),
        "yours": subject.owner_id == user.pk,
        "sex": subject.sex,
        "birth_year": subject.birth_year,
        "onset_date": subject.onset_date,
        "onset_region": subject.onset_region,
        "diagnosis_date": subject.diagnosis_date,
        "diagnosis_confirmed_by": subject.diagnosis_confirmed_by,
        "diagnosis_method": subject.diagnosis_method,
        "breed": subject.breed,
        "weight_kg": subject.weight_kg,
        "sod1": subject.sod1,
        "consent_date": subject.consent_date,
        "url": f"{PREFIX}/subjects/{subject.public_id}",
    }


def evaluation_out(evaluation: Any) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "course": evaluation.course_id,
        "date": evaluation.date,
        "efficacy": evaluation.efficacy,
        "adherence": evaluation.adherence,
        "burden": evaluation.burden,
        "notes": evaluation.notes,
        "side_effects": [
            {"name": e.name, "severity": e.severity} for e in evaluation.side_effects.all()
        ],
    }


def course_out(course: Any) -> dict[str, Any]:
    return {
        "id": course.pk,
        "therapy": course.therapy_name,
        "therapy_slug": course.therapy.slug if course.therapy is not None else None,
        "dose": course.dose,
        "dose_unit": course.dose_unit,
        "dose_confirmed": course.dose_confirmed,
        "frequency": course.frequency,
        "time_of_day": course.time_of_day,
        "start_date": course.start_date,
        "stop_date": course.stop_date,
        "reason_stopped": course.reason_stopped,
        "source": course.source,
        "cost_per_month": course.cost_per_month,
        "evaluations": [evaluation_out(e) for e in course.evaluations.all()],
    }


def score_out(score: Any) -> dict[str, Any]:
    return {
        "id": score.pk,
        "date": score.date,
        "scale": score.scale,
        "total": score.total,
        "items": score.items,
        "subscores": score.subscores,
        "confirmed": score.confirmed,
    }


def milestone_out(milestone: Any) -> dict[str, Any]:
    return {"id": milestone.pk, "event": milestone.event, "date": milestone.date}


def _subject(user: User, public_id: str, *, contribute: bool = False) -> Any:
    from offlabel.web.registry.selectors import subject_for

    return subject_for(user, public_id, contribute=contribute)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The token's account and scopes")
def me(request: HttpRequest) -> Any:
    token: AccessToken = request.auth  # type: ignore[attr-defined]
    return {
        "display_name": token.user.display_name,
        "roles": sorted(token.user.granted_roles()),
        "token": token.prefix,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
    }


class PageQuery(Schema):
    page: int = 1
    per_page: int = PER_PAGE


@router.get(
    "/subjects",
    response={200: SubjectPage, **ERRORS},
    summary="The records you own or that are shared with you",
)
def subjects(request: HttpRequest, query: Query[PageQuery]) -> Any:
    from offlabel.web.registry.selectors import subjects_visible_to

    user = require(request, Scope.RECORDS_READ)
    rows = subjects_visible_to(user).select_related("owner").order_by("created", "id")
    return paged(request, rows, query.page, query.per_page, lambda s: subject_out(s, user))


@router.get(
    "/subjects/{public_id}",
    response={200: RecordOut, **ERRORS},
    summary="One record: its treatments with evaluations, scores and milestones",
)
def subject(request: HttpRequest, public_id: str) -> Any:
    from offlabel.web.registry.selectors import courses_of, milestones_of, scores_of

    user = require(request, Scope.RECORDS_READ)
    record = _subject(user, public_id)
    return {
        "subject": subject_out(record, user),
        "courses": [course_out(c) for c in courses_of(record)],
        "scores": [score_out(s) for s in scores_of(record)],
        "milestones": [milestone_out(m) for m in milestones_of(record)],
    }


@router.get(
    "/subjects/{public_id}/fhir",
    response={200: dict[str, Any], **ERRORS},
    summary="One record as a FHIR R4 Bundle (pseudonymous Patient, MedicationStatement, "
    "QuestionnaireResponse)",
)
def subject_fhir(request: HttpRequest, public_id: str) -> HttpResponse:
    from offlabel.web.registry.fhir import FHIR_JSON, subject_bundle_json

    user = require(request, Scope.RECORDS_READ)
    return HttpResponse(subject_bundle_json(_subject(user, public_id)), content_type=FHIR_JSON)


@router.get(
    "/deidentified",
    response={200: bytes, **ERRORS},
    summary="The de-identified registry as a .zip of CSV files (reviewers and editors)",
)
def deidentified(request: HttpRequest) -> HttpResponse:
    from offlabel.web.registry.export import registry_zip

    user = require(request, Scope.DEIDENTIFIED_READ)
    if not user.has_any_role(Role.REVIEWER, Role.EDITOR):
        raise ApiProblem(403, "The de-identified registry is for reviewers and editors.")
    response = HttpResponse(registry_zip(deidentified=True), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="offlabel-registry-deidentified.zip"'
    return response


# -- writing, through the registry's forms and services ---------------------------------------


def form_errors(form: Any) -> dict[str, list[str]]:
    """A bound form's errors as JSON: field name (``__all__`` for the whole) → messages."""
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def form_write(form: Any, call: Callable[[], T]) -> T:
    """Validate ``form``, then run the service ``call`` as the page does (its problems go onto
    the form); 422 with the form's messages when either refuses, 403 when not allowed."""
    from offlabel.web.registry.views.records import saved

    if not form.is_valid():
        raise ApiProblem(422, "The record was not saved.", errors=form_errors(form))
    try:
        result = saved(form, call)
    except PermissionDenied as error:
        raise ApiProblem(403, str(error) or "You may not do this.") from None
    if result is None:
        raise ApiProblem(422, "The record was not saved.", errors=form_errors(form))
    return result


def form_data(payload: Schema, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON body as a form's data (absent and null values left out)."""
    return {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None and name not in drop
    }


@router.post(
    "/subjects",
    response={201: SubjectOut, **ERRORS},
    summary="Start a record (a person, a dog) or, for clinicians and vets, a case history",
)
def subject_create(request: HttpRequest, payload: SubjectIn) -> Any:
    from offlabel.web.registry import services
    from offlabel.web.registry.models import Subject
    from offlabel.web.registry.views.records import _subject_form_class, model_fields

    user = require(request, Scope.RECORDS_WRITE)
    if payload.kind not in Subject.Kind.values:
        raise ApiProblem(422, "No such kind of record.", errors={"kind": ["person or dog."]})
    form_class = _subject_form_class(payload.kind, case_history=payload.case_history)
    form = form_class(form_data(payload, drop=("kind", "case_history")))
    origin = Subject.Origin.CASE_HISTORY if payload.case_history else Subject.Origin.SELF
    if payload.case_history and not user.has_any_role(Role.CLINICIAN, Role.VETERINARIAN):
        raise ApiProblem(403, "Only clinicians and vets enter case histories.")
    created = form_write(
        form,
        lambda: services.subject_create(
            by=user, kind=payload.kind, origin=origin, **model_fields(form)
        ),
    )
    return Status(201, subject_out(created, user))


@router.post(
    "/subjects/{public_id}/courses",
    response={201: CourseOut, **ERRORS},
    summary="Add a treatment course",
)
def course_create(request: HttpRequest, public_id: str, payload: CourseIn) -> Any:
    from offlabel.web.catalog.models import Therapy
    from offlabel.web.registry import forms, services
    from offlabel.web.registry.views.records import model_fields

    user = require(request, Scope.RECORDS_WRITE)
    record = _subject(user, public_id, contribute=True)
    data = form_data(payload)
    if "therapy" in data:
        found = Therapy.objects.filter(slug=str(data["therapy"])).values_list("pk", flat=True)
        data["therapy"] = found[0] if found else data["therapy"]
    form = forms.CourseForm(data, subject=record)
    course = form_write(
        form,
        lambda: services.course_create(
            subject=record, by=user, confirm=form.confirmed, **model_fields(form)
        ),
    )
    return Status(201, course_out(course))


@router.post(
    "/subjects/{public_id}/courses/{course_id}/evaluations",
    response={201: EvaluationOut, **ERRORS},
    summary="Record how a course worked",
)
def evaluation_create(
    request: HttpRequest, public_id: str, course_id: int, payload: EvaluationIn
) -> Any:
    from offlabel.web.registry import forms, services

    user = require(request, Scope.RECORDS_WRITE)
    record = _subject(user, public_id, contribute=True)
    course = record.courses.select_related("therapy").filter(pk=course_id).first()
    if course is None:
        raise ApiProblem(404, f"Record {public_id} has no treatment course {course_id}.")
    if len(payload.side_effects) > MAX_SIDE_EFFECTS:
        raise ApiProblem(
            422,
            "The record was not saved.",
            errors={"side_effects": [f"At most {MAX_SIDE_EFFECTS} side effects."]},
        )
    data = form_data(payload, drop=("side_effects",))
    for i, effect in enumerate(payload.side_effects, start=1):
        if effect.name is not None:
            data[f"side_effect_{i}"] = effect.name
        if effect.severity is not None:
            data[f"side_effect_{i}_severity"] = effect.severity
    form = forms.EvaluationForm(data, course=course)
    evaluation = form_write(
        form,
        lambda: services.evaluation_create(
            course=course,
            by=user,
            side_effects=form.side_effects(),
            **form.fields_for_service(),
        ),
    )
    return Status(201, evaluation_out(evaluation))


def _score_form(record: Any, payload: ScoreIn, user: User) -> tuple[Any, Callable[[], Any]]:
    """The page's form for this record's scale, bound to the body, and its service call."""
    from offlabel.web.registry import forms, services

    if record.is_dog:
        if payload.items is not None or payload.total is not None:
            raise ApiProblem(
                422,
                "A dog's record takes a DM stage and/or gait score.",
                errors={"items": ["Give stage and/or gait for a dog."]},
            )
        data = form_data(payload, drop=("confirm",))
        dm = forms.DmScoreForm(data, subject=record)

        def call_dm() -> Any:
            entries = [(scale, total, None) for scale, total in dm.totals().items()]
            date = dm.cleaned_data["date"]
            return services.scores_record(subject=record, by=user, date=date, entries=entries)

        return dm, call_dm
    if payload.stage is not None or payload.gait is not None:
        raise ApiProblem(
            422,
            "A person's record takes ALSFRS-R items.",
            errors={"stage": ["Give ALSFRS-R items for a person."]},
        )
    data = form_data(payload, drop=("items", "confirm"))
    for key, value in (payload.items or {}).items():
        data[f"item_{key}"] = "" if value is None else str(value)
    if payload.confirm:
        data["confirm_change"] = True
    form = forms.AlsfrsForm(data, subject=record)
    unknown = sorted(set(payload.items or {}) - {i.key for i in form.scale.items})
    if unknown:
        raise ApiProblem(
            422,
            "The record was not saved.",
            errors={"items": [f"No ALSFRS-R item {', '.join(unknown)}."]},
        )

    def call() -> Any:
        return [
            services.score_create(
                subject=record,
                by=user,
                scale=ScaleKey.ALSFRS_R,
                date=form.cleaned_data["date"],
                total=form.cleaned_data.get("total"),
                items=form.items,
                confirm=form.confirmed,
            )
        ]

    return form, call


@router.post(
    "/subjects/{public_id}/scores",
    response={201: list[ScoreOut], **ERRORS},
    summary="Record a score: ALSFRS-R items for a person, DM stage and/or gait for a dog",
)
def score_create(request: HttpRequest, public_id: str, payload: ScoreIn) -> Any:
    user = require(request, Scope.RECORDS_WRITE)
    record = _subject(user, public_id, contribute=True)
    form, call = _score_form(record, payload, user)
    scores = form_write(form, call)
    return Status(201, [score_out(s) for s in scores])


@router.post(
    "/subjects/{public_id}/milestones",
    response={201: MilestoneOut, **ERRORS},
    summary="Record a milestone",
)
def milestone_create(request: HttpRequest, public_id: str, payload: MilestoneIn) -> Any:
    from offlabel.web.registry import forms, services

    user = require(request, Scope.RECORDS_WRITE)
    record = _subject(user, public_id, contribute=True)
    form = forms.MilestoneForm(form_data(payload), subject=record)
    milestone = form_write(
        form,
        lambda: services.milestone_create(
            subject=record,
            by=user,
            event=form.cleaned_data["event"],
            date=form.cleaned_data["date"],
        ),
    )
    return Status(201, milestone_out(milestone))
