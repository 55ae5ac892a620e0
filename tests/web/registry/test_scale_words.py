"""The scales' words reach a Spanish reader: the derived msgid list matches the definitions,
each word has a translation, and the ALSFRS-R and milestone forms read in Spanish."""

from __future__ import annotations

import datetime as dt
import gettext
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import offlabel.web
from offlabel.web.registry import scale_words

CATALOGUE = Path(offlabel.web.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.mo"


def test_the_msgid_list_is_the_definitions_words() -> None:
    """`make messages` writes the list from the scale and milestone TOML files; a definition
    edited without it would show its new words in English on every Spanish page."""
    assert list(scale_words.WORDS) == scale_words.definition_words()
    assert len(scale_words.WORDS) > 100


def test_every_scale_word_has_a_spanish_translation() -> None:
    with CATALOGUE.open("rb") as handle:
        spanish = gettext.GNUTranslations(handle)
    missing = [w for w in scale_words.WORDS if w not in spanish._catalog]  # type: ignore[attr-defined]
    assert missing == []


@pytest.mark.django_db
def test_the_alsfrs_and_milestone_forms_read_in_spanish(world: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(world.patient)
    person = world.person.public_id
    page = client.get(reverse("registry:score_new", kwargs={"public_id": person})).content.decode()
    assert "1. Habla" in page and "4 – Habla como antes." in page
    assert "Speaks as before" not in page and "Salivation" not in page
    page = client.get(
        reverse("registry:milestone_new", kwargs={"public_id": person})
    ).content.decode()
    assert "Muerte" in page and "Lost to follow-up" not in page


@pytest.mark.django_db
def test_the_progression_sentences_read_in_spanish(world: Any) -> None:
    """The slope and ΔFS sentences and the Labra band are the definitions' templates, filled
    by the core; a Spanish reader gets them filled in Spanish with the same numbers."""
    from offlabel.web.registry import services

    items = dict.fromkeys(("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12"), 4)
    for date, lower in (
        (dt.date(2024, 6, 1), ("8", "9")),
        (dt.date(2024, 12, 1), ("8", "9", "10")),
    ):
        scored = {**items, **dict.fromkeys(lower, 2)}
        services.score_create(
            subject=world.person, by=world.patient, scale="alsfrs_r", date=date, items=scored
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(world.patient)
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert "La pendiente es la recta que pasa por sus 2 totales completos" in page
    assert "(un descenso)" in page and "El ΔFS es (48 − su primer total)" in page
    assert "The slope is" not in page and "points a month: in the" not in page
