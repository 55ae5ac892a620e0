"""The content version: every kind of write moves it on, reads that change nothing do not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _versions() -> Any:
    from offlabel.web.common.selectors import content_version

    return content_version()


def test_a_registry_service_write_moves_both_counters(world: Any) -> None:
    from offlabel.web.registry import services

    before = _versions()
    services.score_create(
        subject=world.person, by=world.patient, scale="alsfrs_r", date=dt.date(2024, 1, 1), total=40
    )
    after = _versions()
    assert after.site > before.site
    assert after.registry > before.registry
    assert after.changed_at >= before.changed_at


def test_a_write_elsewhere_moves_only_the_site_counter(world: Any, demo_topics: list[Any]) -> None:
    from offlabel.web.network import services

    before = _versions()
    services.thread_create(topic=demo_topics[0], author=world.clinician, title="Dosing", body="Hi")
    after = _versions()
    assert after.site > before.site
    assert after.registry == before.registry


def test_a_save_outside_the_services_moves_the_counters(world: Any) -> None:
    """The admin or a shell saves models directly: the model signals still count it."""
    before = _versions()
    world.dog.breed = "Boxer cross"
    world.dog.save()
    after = _versions()
    assert (after.site, after.registry) > (before.site, before.registry)
    world.dog.delete()
    assert _versions().registry > after.registry


def test_a_bulk_write_counts_through_its_audit_rows(world: Any) -> None:
    """``registry_import`` bulk-creates (no model signals) and audits each subject."""
    import tempfile

    from offlabel.outcomes.simulate import simulate_registry
    from offlabel.registry.csv_write import write_registry_dir
    from offlabel.web.registry.services import registry_import

    frames = simulate_registry(n_people=3, n_dogs=2, seed=1)
    before = _versions()
    with tempfile.TemporaryDirectory() as tmp:
        write_registry_dir(frames.bundle, tmp)
        registry_import(directory=tmp, by=None, confirm_implausible=True)
    assert _versions().registry > before.registry


def test_signing_in_and_notifications_change_nothing_a_page_shows(world: Any) -> None:
    from django.utils import timezone

    from offlabel.web.network.services import notify

    before = _versions()
    world.patient.last_login = timezone.now()
    world.patient.save(update_fields=["last_login"])
    notify(recipient=world.patient, kind="mention", title="You were mentioned")
    assert _versions() == before


def test_a_rolled_back_write_leaves_the_version_as_it_was(world: Any) -> None:
    from django.db import transaction

    before = _versions()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.dog.breed = "Corgi"
        world.dog.save()
        raise RuntimeError("undo")
    assert _versions() == before


def test_a_flushed_database_gets_its_row_back_at_the_first_change(world: Any) -> None:
    from offlabel.web.common.models import ContentVersion
    from offlabel.web.common.services import content_changed

    ContentVersion.objects.all().delete()
    assert _versions().site == 0
    content_changed()
    assert _versions().site == 1
