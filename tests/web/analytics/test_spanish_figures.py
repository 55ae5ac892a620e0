"""Spanish pages show the core's words in Spanish: caveats, the small-cell rule, model names,
chart labels and vocabulary. The English looked for is taken from the core's own templates and
labels (every one whose Spanish differs), not picked by hand."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from offlabel.evidence.vocabulary import Category, TargetSpecies
from offlabel.outcomes import survival_models
from offlabel.outcomes.bands import trajectory_scale
from offlabel.outcomes.caveats import CAVEAT_TEMPLATES
from offlabel.registry import disclosure
from offlabel.reports import charts, snapshot
from offlabel.web.common.wording import templates

pytestmark = pytest.mark.django_db


def _opening(template: str) -> str:
    """A template's words before its first placeholder (what any sentence of it starts with)."""
    return template.split("{")[0].strip(" :(")


def english_words() -> list[str]:
    """English the core writes onto pages: each template's opening words and each label, where
    the Spanish translation differs."""
    sources = {
        *templates(),
        *CAVEAT_TEMPLATES.values(),
        *survival_models.MODEL_TEMPLATES,
        disclosure.RULE_TEMPLATE,
        *snapshot.TEMPLATES,
        *charts.LEVEL_LABELS.values(),
        charts.MONTHS_SINCE_ONSET,
        *(trajectory_scale(s)[0] for s in TargetSpecies),
        *(c.label for c in Category),
        *(s.label for s in TargetSpecies),
    }
    with translation.override("es"):
        words = {
            _opening(source)
            for source in sources
            if _opening(source) != _opening(gettext(source)) and len(_opening(source)) >= 5
        }
    return sorted(words)


def _english_left(page: str) -> list[str]:
    """The core's English still on ``page`` (people's own English -- the topic's overview, a
    review's text without a translation -- is content, not the site's words, and left out)."""
    page = re.sub(r'<section class="overview".*?</section>', "", page, flags=re.S)
    page = re.sub(r"<h2 id=\"\w+-h\">[^<]*</h2>\s*<p>[^<]*</p>", "", page)
    text = html.unescape(re.sub(r"<script.*?</script>", "", page, flags=re.S))
    text = re.sub(r'\s(?:id|class|href|data-[\w-]+|aria-[\w-]+)="[^"]*"', "", text)
    return [word for word in english_words() if word in text]


def _spanish(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_the_list_of_english_words_is_long_enough_to_mean_something() -> None:
    words = english_words()
    assert len(words) > 25
    assert "Months since onset" in words and "No effect" in words


def test_topic_panels_read_in_spanish(client: Any, registry: Any, demo_topics: list[Any]) -> None:
    for topic in demo_topics:  # ALS in people and DM in dogs
        page = _spanish(client).get(topic.get_absolute_url()).content.decode()
        assert "Léase con cautela" in page
        assert _english_left(page) == [], topic.slug
    dm = _spanish(client).get(demo_topics[1].get_absolute_url()).content.decode()
    assert "Meses desde el inicio" in dm and "Regla de celdas pequeñas" in dm
    assert "tomaron Low-dose naltrexone" in dm  # the trajectory groups, chart and table


def test_the_reviewers_analysis_page_reads_in_spanish(
    client_for: Any, world: Any, registry: Any, demo_topics: list[Any]
) -> None:
    client = _spanish(client_for(world.reviewer))
    page = client.get(f"/analytics/{demo_topics[1].slug}/").content.decode()
    assert "Supervivencia (Cox variable en el tiempo" in page and "Inicio → eutanasia" in page
    assert "Survival (time-varying" not in page and "Age at onset" not in page
    assert _english_left(page) == []


def test_a_review_with_a_registry_snapshot_reads_in_spanish(
    client_for: Any, world: Any, registry: Any, published_review: Any
) -> None:
    from offlabel.web.analytics.services import snapshot_freeze

    for section in ("cases", "risks"):
        snapshot_freeze(review=published_review, section=section, by=world.reviewer)
    client = _spanish(client_for(None))
    page = client.get(published_review.get_absolute_url()).content.decode()
    assert "Gráfico de barras" in page  # the stored English chart is redrawn in Spanish
    assert _english_left(page) == []
    english = client_for(None)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Bar chart" in english.get(published_review.get_absolute_url()).content.decode()


def test_ones_own_chart_and_timeline_read_in_spanish(
    client_for: Any, world: Any, registry: Any, patient_record: Any
) -> None:
    client = _spanish(client_for(world.patient))
    for url in (f"/analytics/me/{patient_record.public_id}/", patient_record.get_absolute_url()):
        page = client.get(url).content.decode()
        assert _english_left(page) == [], url
    timeline = client.get(patient_record.get_absolute_url()).content.decode()
    assert "Puntuaciones a lo largo del tiempo; las bandas sombreadas" in timeline
