"""The schema walk: every operation of ``openapi.json`` is called, and every answer — success
or problem — validates against what the document says of it (status, media type, schema)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from tests.web.api.support import token_for

ITEMS = dict.fromkeys(("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12"), 3)


def _public(walk: Any) -> None:
    page = walk("GET", "/api/v1/topics").json()
    assert {t["slug"] for t in page["items"]} >= {LDN_ALS_SLUG, LDN_DM_SLUG}
    assert walk("GET", "/api/v1/topics?species=dog").json()["count"] >= 1
    assert walk("GET", "/api/v1/topics?q=naltrexone&per_page=1").json()["next"]
    walk("GET", "/api/v1/topics?per_page=0")  # 422
    walk("GET", f"/api/v1/topics/{LDN_ALS_SLUG}")
    walk("GET", "/api/v1/topics/no-such-topic")  # 404
    for slug in (LDN_ALS_SLUG, LDN_DM_SLUG):
        panel = walk("GET", f"/api/v1/topics/{slug}/registry").json()
        assert panel["min_cell"] == 5 and panel["caveat"]
    walk("GET", "/api/v1/reviews")
    walk("GET", "/api/v1/reviews?species=dog&grade=U")
    walk("GET", "/api/v1/reviews?category=nonsense")  # 422
    review = walk("GET", f"/api/v1/reviews/{LDN_ALS_SLUG}").json()
    assert len(review["grades"]) == 5 and review["references"]
    versions = walk("GET", f"/api/v1/reviews/{LDN_ALS_SLUG}/versions").json()
    walk("GET", f"/api/v1/reviews/{LDN_ALS_SLUG}/versions/{versions[0]['version']}")
    walk("GET", f"/api/v1/reviews/{LDN_ALS_SLUG}/versions/999")  # 404
    walk("GET", "/api/v1/reviews/no-such-topic/versions")  # 404
    walk("GET", "/api/v1/rubric")
    hits = walk("GET", "/api/v1/literature?therapy=LDN&condition=ALS").json()
    assert hits["count"] > 0
    walk("GET", "/api/v1/literature?therapy=LDN&condition=ALS&year_from=2020&design=case_series")
    walk("GET", "/api/v1/literature?therapy=LDN")  # 422: no condition
    for qid in ("alsfrs-r", "dm-stage", "dm-gait"):
        Questionnaire.model_validate(walk("GET", f"/api/v1/fhir/Questionnaire/{qid}").json())
    walk("GET", "/api/v1/fhir/Questionnaire/nope")  # 404


def _records(walk: Any, world: Any) -> None:
    patient = token_for(world.patient)
    owner = token_for(world.owner)
    person, dog = world.person.public_id, world.dog.public_id
    walk("GET", "/api/v1/me")  # 401 without a token
    assert walk("GET", "/api/v1/me", patient).json()["scopes"] == ["records:read", "records:write"]
    walk("GET", "/api/v1/subjects", patient)
    walk("GET", f"/api/v1/subjects/{person}", patient)
    walk("GET", f"/api/v1/subjects/{dog}", patient)  # 404: not theirs
    created = walk(
        "POST",
        "/api/v1/subjects",
        owner,
        {
            "kind": "dog",
            "name": "Max",
            "breed": "Boxer",
            "sex": "male",
            "sod1": "unknown",
            "onset_date": "2024-05-01",
        },
    )
    assert created.status_code == 201, created.json()["errors"]
    walk("POST", "/api/v1/subjects", owner, {"kind": "dog", "onset_date": "soon"})  # 422
    walk("POST", "/api/v1/subjects", owner, {"kind": "cat"})  # 422
    course = walk(
        "POST",
        f"/api/v1/subjects/{dog}/courses",
        owner,
        {
            "therapy": "low-dose-naltrexone",
            "dose": 3,
            "dose_unit": "mg",
            "start_date": "2024-06-01",
        },
    )
    assert course.status_code == 201
    walk("POST", f"/api/v1/subjects/{dog}/courses", owner, {"start_date": "2024-06-01"})  # 422
    pk = course.json()["id"]
    evaluation = walk(
        "POST",
        f"/api/v1/subjects/{dog}/courses/{pk}/evaluations",
        owner,
        {"date": "2024-08-01", "efficacy": "slight", "side_effects": [{"name": "sleepy"}]},
    )
    assert evaluation.status_code == 201
    walk("POST", f"/api/v1/subjects/{dog}/courses/999999/evaluations", owner, {})  # 404
    assert (
        walk(
            "POST", f"/api/v1/subjects/{dog}/scores", owner, {"date": "2024-08-01", "stage": 1}
        ).status_code
        == 201
    )
    assert (
        walk(
            "POST",
            f"/api/v1/subjects/{person}/scores",
            patient,
            {"date": "2024-08-01", "items": ITEMS},
        ).status_code
        == 201
    )
    walk("POST", f"/api/v1/subjects/{person}/scores", patient, {"stage": 1})  # 422
    assert (
        walk(
            "POST",
            f"/api/v1/subjects/{dog}/milestones",
            owner,
            {"event": "non_ambulatory", "date": "2024-09-01"},
        ).status_code
        == 201
    )
    bundle = walk("GET", f"/api/v1/subjects/{dog}/fhir", owner)
    Bundle.model_validate(json.loads(bundle.content))
    zipped = walk("GET", "/api/v1/deidentified", token_for(world.reviewer, "deidentified:read"))
    assert "subjects.csv" in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    walk("GET", "/api/v1/deidentified", patient)  # 403: no such scope


def test_every_operation_is_walked_and_every_answer_matches_the_schema(
    demo_site: None, world: Any, walker: Any
) -> None:
    _public(walker)
    _records(walker, world)
    assert walker.unseen == set()
    statuses = {status for _, _, status in walker.statuses}
    assert {200, 201, 401, 403, 404, 422} <= statuses


def test_the_document_names_every_error_a_problem(walker: Any) -> None:
    for (method, path), operation in walker.operations.items():
        for status, response in operation["responses"].items():
            if status == "default" or int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (method, path)
