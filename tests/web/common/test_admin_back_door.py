"""The admin is no back door: editors are staff with explicit permissions (never superusers),
registry records are read-only there, a review's text changes through the service (checked,
audited), and the audit trail can be neither edited nor deleted — by the application or, on
PostgreSQL, by any query on its connection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from offlabel.web.accounts.models import User
from offlabel.web.common.models import AuditEvent, AuditTrailError
from offlabel.web.common.services import audit_record
from offlabel.web.registry.models import CareAccess, ScoreRecord, Subject
from offlabel.web.reviews import services as review_services
from offlabel.web.reviews.models import Review


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(email="ops@example.org", password="x-Strong-pass-1")


@pytest.fixture
def score(world):
    return ScoreRecord.objects.create(
        subject=world.person, date=dt.date(2024, 5, 1), scale="alsfrs_r", total=43
    )


def test_the_demo_editor_is_staff_with_explicit_permissions_and_no_superuser_exists(db):
    from offlabel.web.accounts import demo

    demo.load()
    editor = User.objects.get(email="editor@offlabel.demo")
    assert editor.is_staff and not editor.is_superuser
    assert editor.has_perm("catalog.change_therapy")
    assert not editor.has_perm("registry.view_subject")
    assert not editor.has_perm("accounts.view_user")
    assert not editor.has_perm("common.delete_auditevent")
    assert not User.objects.filter(is_superuser=True).exists()
    # a second load (an existing demo database) never turns one back into a superuser
    User.objects.filter(pk=editor.pk).update(is_superuser=True)
    demo.load()
    assert not User.objects.get(pk=editor.pk).is_superuser


def test_a_granted_editor_is_staff_but_sees_no_record_account_or_audit_row(
    world, client_for, score
):
    assert world.editor.is_staff and not world.editor.is_superuser
    client = client_for(world.editor)
    assert client.get("/admin/").status_code == 200
    for url in (
        "/admin/registry/subject/",
        f"/admin/registry/subject/{world.person.pk}/change/",
        f"/admin/registry/scorerecord/{score.pk}/change/",
        "/admin/registry/careaccess/",
        "/admin/accounts/user/",
        "/admin/common/auditevent/",
    ):
        assert client.get(url).status_code == 403, url


def test_not_even_a_superuser_changes_a_total_or_an_owner_or_deletes_a_consent(
    world, client_for, score, operator
):
    client = client_for(operator)
    page = client.get(f"/admin/registry/scorerecord/{score.pk}/change/")
    assert page.status_code == 200  # shown, read-only
    assert b'name="total"' not in page.content
    response = client.post(
        f"/admin/registry/scorerecord/{score.pk}/change/",
        {"subject": world.person.pk, "date": "2024-05-01", "scale": "alsfrs_r", "total": "7"},
    )
    assert response.status_code == 403
    score.refresh_from_db()
    assert score.total == 43
    response = client.post(
        f"/admin/registry/subject/{world.dog.pk}/change/", {"owner": world.other_owner.pk}
    )
    assert response.status_code == 403
    assert Subject.objects.get(pk=world.dog.pk).owner == world.owner
    consent = CareAccess.objects.filter(subject=world.dog).first()
    response = client.post(f"/admin/registry/careaccess/{consent.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert CareAccess.objects.filter(pk=consent.pk).exists()


def test_audit_rows_cannot_be_deleted_or_edited_in_the_admin(world, client_for, operator):
    event = audit_record(by=world.owner, action=AuditEvent.Action.OTHER, instance=world.dog)
    client = client_for(operator)
    assert (
        client.post(f"/admin/common/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(
        "/admin/common/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    response = client.post(f"/admin/common/auditevent/{event.pk}/change/", {"note": "rewritten"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


def test_the_model_refuses_to_change_or_delete_an_audit_row(world):
    event = audit_record(by=world.owner, action=AuditEvent.Action.OTHER, instance=world.dog)
    event.note = "rewritten"
    with pytest.raises(AuditTrailError):
        event.save()
    with pytest.raises(AuditTrailError):
        event.delete()
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.filter(pk=event.pk).update(action="create")
    # erasing what it holds when its records are deleted for good stays possible
    AuditEvent.objects.filter(pk=event.pk).update(before=None, object_repr="(deleted record)")
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "(deleted record)"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM common_auditevent WHERE id = %s",
        "UPDATE common_auditevent SET action = 'create' WHERE id = %s",
        "UPDATE common_auditevent SET note = 'forged' WHERE id = %s",
        "UPDATE common_auditevent SET object_repr = 'someone else' WHERE id = %s",
        "UPDATE common_auditevent SET after = '{\"total\": 7}' WHERE id = %s",
    ],
)
def test_on_postgresql_a_trigger_refuses_raw_updates_and_deletes(world, sql):
    event = audit_record(
        by=world.owner, action=AuditEvent.Action.UPDATE, instance=world.dog, after={"total": 43}
    )
    with (
        pytest.raises(DatabaseError, match="audit rows are never"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="update", note="").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_erasure_and_account_deletion_still_work(world):
    from offlabel.web.registry.services import account_delete
    from tests.support.accounts import PASSWORD

    audit_record(by=world.owner, action=AuditEvent.Action.OTHER, instance=world.owner)
    before, owner_pk = AuditEvent.objects.count(), world.owner.pk
    assert account_delete(user=world.owner, password=PASSWORD) == 1
    assert AuditEvent.objects.count() == before + 1  # rows erased and kept, one more added
    assert not AuditEvent.objects.filter(actor_id=owner_pk).exists()


def _draft(world, demo_topics):
    topic = demo_topics[0]
    Review.objects.filter(topic=topic).delete()
    return review_services.review_create_draft(topic=topic, by=world.editor, title="Draft")


def _review_form(review, **changes):
    data = {name: getattr(review, name) or "" for name in review_services.EDITABLE_FIELDS}
    data.update(changes)
    for prefix in ("reviewreference_set", "evidence_items", "published_grades"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_a_reviews_text_changes_through_the_service_with_an_audit_row(
    world, client_for, demo_topics
):
    review = _draft(world, demo_topics)
    client = client_for(world.editor)
    url = f"/admin/reviews/review/{review.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    formsets = {
        key.split("-TOTAL_FORMS")[0]
        for key in page.content.decode().split('name="')
        if "-TOTAL_FORMS" in key.split('"')[0]
    }
    data = _review_form(review, title="A better title")
    for prefix in formsets:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    review.refresh_from_db()
    assert review.title == "A better title"
    event = AuditEvent.objects.filter(object_id=str(review.pk), action="update").first()
    assert event is not None and event.actor == world.editor
    assert event.before == {"title": "Draft"} and event.after == {"title": "A better title"}


def test_a_published_review_and_its_votes_are_read_only_in_the_admin(
    world, client_for, demo_topics
):
    review = _draft(world, demo_topics)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.PUBLISHED)
    client = client_for(world.editor)
    url = f"/admin/reviews/review/{review.pk}/change/"
    response = client.post(url, _review_form(review, title="Rewritten after publication"))
    assert response.status_code == 403
    assert Review.objects.get(pk=review.pk).title == "Draft"
    assert client.get("/admin/reviews/review/add/").status_code == 403
    assert client.get(f"/admin/reviews/review/{review.pk}/delete/").status_code == 403
    assert client.get("/admin/reviews/gradevote/add/").status_code == 403
