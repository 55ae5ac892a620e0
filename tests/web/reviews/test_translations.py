"""A review version's Spanish translation: kept by editors, read by Spanish readers, exported."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from offlabel.web.common.models import AuditEvent
from offlabel.web.reviews import exports
from offlabel.web.reviews.models import ReviewTranslation
from offlabel.web.reviews.translations import review_translation_save

SPANISH = {
    "title": "Naltrexona en dosis bajas para la ELA",
    "plain_summary": "Nadie la ha probado en personas con ELA.",
    "mechanism": "Las células inmunitarias tienen receptores opioides.",
}


def _spanish(review: Any, editor: Any) -> ReviewTranslation:
    return review_translation_save(review=review, language="es", by=editor, **SPANISH)


def test_an_editor_keeps_a_translation_with_an_audit_row(published: Any, stage: Any) -> None:
    editor = stage.world.editor
    saved = _spanish(published, editor)
    assert (saved.language, saved.updated_by) == ("es", editor)
    again = review_translation_save(
        review=published, language="es", by=editor, cases="Quince personas la valoraron."
    )
    assert again.pk == saved.pk and again.mechanism == SPANISH["mechanism"]
    rows = AuditEvent.objects.filter(
        object_id=str(saved.pk), content_type__model="reviewtranslation"
    )
    actions = rows.values_list("action", flat=True)
    assert sorted(actions) == sorted([AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE])


def test_only_editors_translate_and_only_into_known_languages(published: Any, stage: Any) -> None:
    with pytest.raises(PermissionDenied):
        review_translation_save(review=published, language="es", by=stage.world.reviewer)
    with pytest.raises(ValidationError, match="not 'fr'"):
        review_translation_save(review=published, language="fr", by=stage.world.editor)
    with pytest.raises(ValidationError, match="grades"):
        review_translation_save(review=published, language="es", by=stage.world.editor, grades="A")
    assert not ReviewTranslation.objects.exists()


def test_a_spanish_reader_reads_the_translation_and_an_english_reader_the_original(
    published: Any, stage: Any
) -> None:
    _spanish(published, stage.world.editor)
    url = published.get_absolute_url()
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(url).content.decode()
    assert "<h1>Naltrexona en dosis bajas para la ELA</h1>" in spanish
    assert "Las células inmunitarias tienen receptores opioides." in spanish
    assert "Nadie la ha probado en personas con ELA." in spanish
    assert "Traducido del original en inglés" in spanish
    assert "Qué significa esto para usted" in spanish and "Tabla de pruebas" in spanish
    # a section the translation leaves empty shows the English text
    assert "Fifteen people rated it." in spanish
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "Opioid receptors sit on immune cells." in english
    assert "receptores opioides" not in english


def test_exports_in_spanish_carry_the_translation(published: Any, stage: Any) -> None:
    _spanish(published, stage.world.editor)
    with translation.override("es"):
        pdf = exports.review_export(published, "pdf")
        data = json.loads(exports.review_export(published, "json"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Tabla de pruebas" in text and "Mecanismo" in text
    assert "receptores opioides" in text
    assert data["language"] == "es" and data["title"] == SPANISH["title"]
    with translation.override("en"):
        english = exports.review_export(published, "pdf")
    english_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(english)).pages)
    assert "Table of Evidence" in english_text and "receptores" not in english_text


def test_the_translation_page_is_for_editors(published: Any, stage: Any, client_for: Any) -> None:
    url = f"/reviews/workspace/{published.pk}/translation/es/"
    assert client_for(stage.world.reviewer).get(url).status_code == 403
    editor = client_for(stage.world.editor)
    assert "El original" not in editor.get(url).content.decode()  # English interface
    response = editor.post(url, {"title": "Título", "plain_summary": "Nadie lo sabe aún."})
    assert response.status_code == 302
    assert ReviewTranslation.objects.get(review=published).title == "Título"
    assert editor.get(f"/reviews/workspace/{published.pk}/translation/fr/").status_code == 404
    page = editor.get(url).content.decode()
    assert "reading ease" in page  # the Spanish summary's Fernández-Huerta ease is shown
