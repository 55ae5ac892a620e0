"""A write through the API and the same write through the page give the same record and the
same audit rows; a refused write gives the same messages, field by field."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from offlabel.web.common.models import AuditEvent
from offlabel.web.registry.models import Subject
from tests.web.api.support import call, token_for

ITEMS = {"1": 4, "2": 3, "3": 4, "4": 3, "5a": 2, "6": 3, "7": 4, "8": 3, "9": 2}
ITEMS |= {"10": 4, "11": 4, "12": 4}
CASE = {
    "name": "Case T",
    "sex": "male",
    "birth_year": 1961,
    "onset_date": "2023-02-01",
    "onset_region": "limb",
    "diagnosis_date": "2023-07-01",
    "diagnosis_confirmed_by": "a neurologist",
    "consent_date": "2023-07-02",
    "consent_scope": "Recording this case history",
}
COURSE = {
    "therapy_text": "Low-dose naltrexone",
    "dose": 4.5,
    "dose_unit": "mg",
    "frequency": "once a day",
    "time_of_day": "bedtime",
    "start_date": "2023-08-01",
}
EVALUATION = {"date": "2023-11-01", "efficacy": "slight", "adherence": "mostly", "notes": "ok"}
SIDE_EFFECT = ("vivid dreams", "mild")
MILESTONE = {"event": "gastrostomy", "date": "2024-01-15"}
#: Fields that differ between any two rows (keys, times) or name the record.
VOLATILE = {"id", "subject", "course", "evaluation", "created", "updated", "public_id"}


def _normal(value: Any, public_id: str) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v, public_id) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_normal(v, public_id) for v in value]
    if isinstance(value, str):
        return value.replace(public_id, "<id>")
    return value


def _audit(public_id: str, since: int) -> list[tuple[Any, ...]]:
    rows = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    return [
        (
            e.action,
            e.content_type_id,
            e.actor_id,
            e.object_repr.replace(public_id, "<id>"),
            e.owner_key.replace(public_id, "<id>"),
            _normal(e.before, public_id),
            _normal(e.after, public_id),
            e.note,
        )
        for e in rows
    ]


def _record(subject: Subject) -> dict[str, Any]:
    from offlabel.web.api.routers.records import (
        course_out,
        milestone_out,
        score_out,
        subject_out,
    )
    from offlabel.web.registry.selectors import courses_of, milestones_of, scores_of

    data = {
        "subject": subject_out(subject, subject.owner),
        "courses": [course_out(c) for c in courses_of(subject)],
        "scores": [score_out(s) for s in scores_of(subject)],
        "milestones": [milestone_out(m) for m in milestones_of(subject)],
    }
    return _normal(data, subject.public_id)


def _by_page(client: Any) -> tuple[Subject, list[tuple[Any, ...]]]:
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert (
        client.post(reverse("registry:case_history_new", args=["person"]), CASE).status_code == 302
    )
    subject = Subject.objects.order_by("-pk").first()
    assert subject is not None
    pid = subject.public_id

    def post(name: str, data: dict[str, Any], *args: Any) -> None:
        response = client.post(reverse(f"registry:{name}", args=[pid, *args]), data)
        assert response.status_code == 302, response.context["form"].errors

    post("course_new", COURSE)
    course = subject.courses.get()
    evaluation = EVALUATION | {"side_effect_1": SIDE_EFFECT[0], "side_effect_1_severity": "mild"}
    post("evaluation_new", evaluation, course.pk)
    post("score_new", {"date": "2023-12-01", **{f"item_{k}": v for k, v in ITEMS.items()}})
    post("milestone_new", MILESTONE)
    return subject, _audit(pid, start)


def _by_api(client: Any, token: str) -> tuple[Subject, list[tuple[Any, ...]]]:
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    made = call(
        client, "POST", "/api/v1/subjects", token, {"kind": "person", "case_history": True, **CASE}
    )
    assert made.status_code == 201, made.json()
    pid = made.json()["public_id"]
    base = f"/api/v1/subjects/{pid}"
    course = call(client, "POST", f"{base}/courses", token, COURSE)
    assert course.status_code == 201, course.json()
    evaluation = EVALUATION | {"side_effects": [{"name": SIDE_EFFECT[0], "severity": "mild"}]}
    answer = call(
        client, "POST", f"{base}/courses/{course.json()['id']}/evaluations", token, evaluation
    )
    assert answer.status_code == 201, answer.json()
    answer = call(client, "POST", f"{base}/scores", token, {"date": "2023-12-01", "items": ITEMS})
    assert answer.status_code == 201, answer.json()
    assert call(client, "POST", f"{base}/milestones", token, MILESTONE).status_code == 201
    return Subject.objects.get(public_id=pid), _audit(pid, start)


def test_api_and_form_writes_give_identical_records_and_audit_rows(
    world: Any, client_for: Any
) -> None:
    page = client_for(world.clinician)
    by_page, page_audit = _by_page(page)
    by_api, api_audit = _by_api(page, token_for(world.clinician))
    assert len(page_audit) == 5  # the subject, course, evaluation, score and milestone
    assert _record(by_api) == _record(by_page)
    assert api_audit == page_audit
    assert by_api.scores.get().total == sum(ITEMS.values())


def test_a_refused_write_gives_the_forms_messages_field_by_field(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.patient)
    pid = world.person.public_id
    bad = {"date": "2023-13-45", "item_1": "9", "item_2": "3", "total": "x"}
    page = client.post(reverse("registry:score_new", args=[pid]), bad)
    form_errors = {k: list(v) for k, v in page.context["form"].errors.items()}
    body = {"date": "2023-13-45", "items": {"1": 9, "2": 3}, "total": "x"}
    answer = call(client, "POST", f"/api/v1/subjects/{pid}/scores", token_for(world.patient), body)
    assert answer.status_code == 422
    assert answer.json()["errors"] == form_errors
    assert set(form_errors) == {"date", "item_1", "total"}


def test_a_rule_of_the_whole_record_answers_on_its_field(world: Any, client_for: Any) -> None:
    client = client_for(world.patient)
    pid = world.person.public_id
    stopped_before_start = {
        "therapy_text": "LDN",
        "start_date": "2024-01-01",
        "stop_date": "2023-06-01",
    }
    page = client.post(reverse("registry:course_new", args=[pid]), stopped_before_start)
    form_errors = {k: list(v) for k, v in page.context["form"].errors.items()}
    answer = call(
        client,
        "POST",
        f"/api/v1/subjects/{pid}/courses",
        token_for(world.patient),
        stopped_before_start,
    )
    assert form_errors and answer.json()["errors"] == form_errors
    assert not world.person.courses.exists()
