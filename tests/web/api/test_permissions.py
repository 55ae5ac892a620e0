"""The API's permission table: every endpoint × every kind of caller → the expected status,
and nothing of a record reaches anyone who may not see it (0 leaks).

The target is the owner's dog Rex (shared with ``vet`` to see, with ``care_vet`` to see and
add); ``clinician`` holds a consent to the patient's record only, ``stranger_vet`` none.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from tests.web.api.support import call, expired_token_for, revoked_token_for, token_for

READ, WRITE, DEID = "records:read", "records:write", "deidentified:read"

#: caller → (account in the World, how its token is made: scopes, or "revoked"/"expired").
CALLERS: dict[str, tuple[str | None, Any]] = {
    "anonymous": (None, None),
    "owner": ("owner", (READ, WRITE)),
    "second_owner": ("other_owner", (READ, WRITE)),
    "vet_with_consent_to_add": ("care_vet", (READ, WRITE)),
    "vet_with_consent_to_see": ("vet", (READ, WRITE)),
    "clinician_with_consent_elsewhere": ("clinician", (READ, WRITE)),
    "vet_without_consent": ("stranger_vet", (READ, WRITE)),
    "reviewer": ("reviewer", (READ, WRITE, DEID)),
    "editor": ("editor", (READ, WRITE, DEID)),
    "revoked_token": ("owner", "revoked"),
    "expired_token": ("owner", "expired"),
    "wrong_scope_read_only": ("owner", (READ,)),
    "wrong_scope_write_only": ("owner", (WRITE,)),
}

ENDPOINTS = [
    ("GET", "/api/v1/topics"),
    ("GET", "/api/v1/rubric"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/subjects"),
    ("GET", "/api/v1/subjects/{dog}"),
    ("GET", "/api/v1/subjects/{dog}/fhir"),
    ("POST", "/api/v1/subjects"),
    ("POST", "/api/v1/subjects/{dog}/courses"),
    ("POST", "/api/v1/subjects/{dog}/courses/{course}/evaluations"),
    ("POST", "/api/v1/subjects/{dog}/scores"),
    ("POST", "/api/v1/subjects/{dog}/milestones"),
    ("GET", "/api/v1/deidentified"),
]

_PUBLIC = {"GET /api/v1/topics": 200, "GET /api/v1/rubric": 200, "GET /api/v1/me": 200}
_SEES = {
    **_PUBLIC,
    "GET /api/v1/subjects": 200,
    "GET /api/v1/subjects/{dog}": 200,
    "GET /api/v1/subjects/{dog}/fhir": 200,
}
_HIDDEN = {
    **_PUBLIC,
    "GET /api/v1/subjects": 200,  # their own records only: checked for leaks below
    "GET /api/v1/subjects/{dog}": 404,
    "GET /api/v1/subjects/{dog}/fhir": 404,
    "POST /api/v1/subjects/{dog}/courses": 404,
    "POST /api/v1/subjects/{dog}/courses/{course}/evaluations": 404,
    "POST /api/v1/subjects/{dog}/scores": 404,
    "POST /api/v1/subjects/{dog}/milestones": 404,
    "GET /api/v1/deidentified": 403,
}
_ADDS = {
    "POST /api/v1/subjects/{dog}/courses": 201,
    "POST /api/v1/subjects/{dog}/courses/{course}/evaluations": 201,
    "POST /api/v1/subjects/{dog}/scores": 201,
    "POST /api/v1/subjects/{dog}/milestones": 201,
}
_NO_WRITE_HERE = dict.fromkeys(_ADDS, 404)
_ALL_401 = {f"{m} {p}": 401 for m, p in ENDPOINTS}

EXPECTED: dict[str, dict[str, int]] = {
    "anonymous": {
        **_ALL_401,
        "GET /api/v1/topics": 200,
        "GET /api/v1/rubric": 200,
    },
    "owner": {
        **_SEES,
        **_ADDS,
        "POST /api/v1/subjects": 201,
        "GET /api/v1/deidentified": 403,
    },
    "second_owner": {**_HIDDEN, "POST /api/v1/subjects": 201},
    "vet_with_consent_to_add": {
        **_SEES,
        **_ADDS,
        "POST /api/v1/subjects": 403,  # a vet keeps case histories, not their own dogs
        "GET /api/v1/deidentified": 403,
    },
    "vet_with_consent_to_see": {
        **_SEES,
        **_NO_WRITE_HERE,
        "POST /api/v1/subjects": 403,
        "GET /api/v1/deidentified": 403,
    },
    "clinician_with_consent_elsewhere": {**_HIDDEN, "POST /api/v1/subjects": 403},
    "vet_without_consent": {**_HIDDEN, "POST /api/v1/subjects": 403},
    "reviewer": {**_HIDDEN, "POST /api/v1/subjects": 403, "GET /api/v1/deidentified": 200},
    "editor": {**_HIDDEN, "POST /api/v1/subjects": 403, "GET /api/v1/deidentified": 200},
    "revoked_token": _ALL_401,
    "expired_token": _ALL_401,
    "wrong_scope_read_only": {
        **_SEES,
        **dict.fromkeys(_ADDS, 403),
        "POST /api/v1/subjects": 403,
        "GET /api/v1/deidentified": 403,
    },
    "wrong_scope_write_only": {
        **_PUBLIC,
        **_ADDS,
        "GET /api/v1/subjects": 403,
        "GET /api/v1/subjects/{dog}": 403,
        "GET /api/v1/subjects/{dog}/fhir": 403,
        "POST /api/v1/subjects": 201,
        "GET /api/v1/deidentified": 403,
    },
}

BODIES = {
    "POST /api/v1/subjects": {
        "kind": "dog",
        "name": "Nala",
        "breed": "Beagle",
        "sex": "female",
        "sod1": "unknown",
        "onset_date": "2024-03-01",
    },
    "POST /api/v1/subjects/{dog}/courses": {
        "therapy_text": "Physiotherapy",
        "start_date": "2024-06-01",
    },
    "POST /api/v1/subjects/{dog}/courses/{course}/evaluations": {
        "date": "2024-07-01",
        "efficacy": "slight",
    },
    "POST /api/v1/subjects/{dog}/scores": {"date": "2024-07-01", "stage": 1, "gait": 5},
    "POST /api/v1/subjects/{dog}/milestones": {"event": "non_ambulatory", "date": "2024-09-01"},
}


def _token(world: Any, name: str) -> str | None:
    account, how = CALLERS[name]
    if account is None:
        return None
    user = world.by_name(account)
    if how == "revoked":
        return revoked_token_for(user, READ, WRITE)
    if how == "expired":
        return expired_token_for(user, READ, WRITE)
    return token_for(user, *how)


def test_the_table_covers_every_endpoint_and_caller() -> None:
    keys = {f"{m} {p}" for m, p in ENDPOINTS}
    assert set(EXPECTED) == set(CALLERS)
    for caller, row in EXPECTED.items():
        assert set(row) == keys, caller


@pytest.mark.parametrize("caller", list(CALLERS))
def test_permission_table(world: Any, client: Any, caller: str) -> None:
    from offlabel.web.registry import services

    course = services.course_create(
        subject=world.dog, by=world.owner, therapy_text="LDN", start_date=dt.date(2024, 3, 1)
    )
    token = _token(world, caller)
    dog = world.dog.public_id
    got = {}
    leaks = []
    for method, template in ENDPOINTS:
        key = f"{method} {template}"
        path = template.format(dog=dog, course=course.pk)
        response = call(client, method, path, token, BODIES.get(key) if method == "POST" else None)
        got[key] = response.status_code
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", key
        text = response.content.decode(errors="replace")
        sees_dog = EXPECTED[caller].get("GET /api/v1/subjects/{dog}") == 200
        # the de-identified data keep a breed, never a name or the record's id
        marks = ["Rex", dog] if key == "GET /api/v1/deidentified" else ["Rex", "Boxer", f'"{dog}"']
        if not sees_dog and any(mark in text for mark in marks):
            leaks.append(key)
    assert got == EXPECTED[caller]
    assert leaks == []


#: The public reads, with the demo's ids: every caller reads them alike; a token that is
#: revoked or expired is refused even here (a client must learn its token is dead).
PUBLIC_ENDPOINTS = {
    ("GET", "/api/v1/topics/{slug}"): {"slug": LDN_DM_SLUG},
    ("GET", "/api/v1/topics/{slug}/registry"): {"slug": LDN_DM_SLUG},
    ("GET", "/api/v1/reviews"): {},
    ("GET", "/api/v1/reviews/{slug}"): {"slug": LDN_ALS_SLUG},
    ("GET", "/api/v1/reviews/{slug}/versions"): {"slug": LDN_ALS_SLUG},
    ("GET", "/api/v1/reviews/{slug}/versions/{version}"): {"slug": LDN_ALS_SLUG, "version": 1},
    ("GET", "/api/v1/literature"): {},
    ("GET", "/api/v1/fhir/Questionnaire/{questionnaire_id}"): {"questionnaire_id": "alsfrs-r"},
}
PUBLIC_QUERY = {"/api/v1/literature": "?therapy=LDN&condition=ALS"}


def test_the_tables_cover_every_operation_of_the_schema(walker: Any) -> None:
    """A new endpoint fails here until the permission table says who may call it."""
    tabled = {(m, p.replace("{dog}", "{public_id}")) for m, p in ENDPOINTS} | set(PUBLIC_ENDPOINTS)
    documented = {(method, _same_names(path)) for method, path in walker.operations}
    assert {(m, _same_names(p)) for m, p in tabled} == documented


def _same_names(template: str) -> str:
    """A path template with its parameters' names dropped: /a/{x}/b and /a/{y}/b are one."""
    return re.sub(r"\{[^}]+\}", "{}", template)


def test_public_reads_answer_every_caller_alike(demo_site: None, world: Any, client: Any) -> None:
    for caller in CALLERS:
        token = _token(world, caller)
        dead = CALLERS[caller][1] in ("revoked", "expired")
        for (method, template), values in PUBLIC_ENDPOINTS.items():
            path = template.format(**values) + PUBLIC_QUERY.get(template, "")
            status = call(client, method, path, token, None).status_code
            assert status == (401 if dead else 200), (caller, path, status)
