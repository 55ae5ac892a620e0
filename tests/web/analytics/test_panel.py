"""The public registry panel on topic pages: real figures, caveats, suppression, caching."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.registry_records import add_ldn_evaluations

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    start = html.index('class="registry-panel"')
    return html[start:]


def _figure_blocks(html: str) -> list[str]:
    return re.findall(r'<section class="figure-block".*?</section>', html, flags=re.S)


def test_als_topic_panel_shows_efficacy_chart_and_trajectories(
    client: Any, registry: Any, als_topic: Any
) -> None:
    html = client.get(als_topic.get_absolute_url()).content.decode()
    panel = _panel(html)
    assert 'class="plot efficacy-chart"' in panel
    assert 'class="plot trajectory-chart"' in panel
    assert "<title id=" in panel and "<desc id=" in panel
    assert "Natural history:" in panel  # next to the uncontrolled ratings
    assert 'class="plot km-chart"' not in panel  # people: no Kaplan–Meier panel


def test_dm_topic_panel_draws_kaplan_meier_curves_with_bands(
    client: Any, registry: Any, dm_topic: Any
) -> None:
    html = client.get(dm_topic.get_absolute_url()).content.decode()
    panel = _panel(html)
    assert "<svg" in panel
    for group in ("treated", "untreated"):
        curve = re.search(rf'<g id="km-{group}">\s*<path d="M [^"]+"', panel)
        assert curve, f"no Kaplan–Meier path for {group}"
        assert f'id="km-band-{group}"' in panel
    assert 'class="hr"' in panel  # the primary hazard ratio shown


def test_dm_panel_shows_the_primary_result_and_no_test_on_the_naive_curves(
    client: Any, registry: Any, dm_topic: Any
) -> None:
    """Finding 1: the public dog panel prints no log-rank p-value or hazard ratio beside the
    ever/never curves; it shows the adjusted time-varying Cox result, the same numbers as
    ``offlabel analyze survival --json`` (both call the one runner)."""
    from offlabel.outcomes.runner import Analysis, run
    from offlabel.web.analytics.selectors import registry_frames

    panel = _panel(client.get(dm_topic.get_absolute_url()).content.decode())
    assert "Log-rank" not in panel and "log-rank" not in panel
    assert "Description only" in panel
    payload = run(Analysis.SURVIVAL, registry_frames(), therapy=dm_topic.therapy.name)
    primary = payload["primary"]
    assert "time-varying" in primary["method"] and "breed" in primary["method"]
    shown = (
        f"hazard ratio {primary['hr']:.2f} (95% CI {primary['ci_low']:.2f}–"
        f"{primary['ci_high']:.2f})"
    )
    assert shown in panel
    assert "Primary result" in panel


@pytest.mark.parametrize("which", ["als_topic", "dm_topic"])
def test_every_figure_comes_with_caveats(
    client: Any, registry: Any, which: str, request: Any
) -> None:
    topic = request.getfixturevalue(which)
    html = client.get(topic.get_absolute_url()).content.decode()
    blocks = _figure_blocks(_panel(html))
    assert len(blocks) >= 2
    for block in blocks:
        if "<svg" in block:
            assert 'class="caveats"' in block
            assert "<li>" in block.split('class="caveats"')[1]


def test_side_effects_below_the_threshold_are_shown_as_less_than(
    client: Any, registry: Any, als_topic: Any, world: Any
) -> None:
    add_ldn_evaluations(world, 2, "tingling fingers")
    panel = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    row = re.search(r"<th scope=\"row\">tingling fingers</th><td>([^<]*)</td>", panel)
    assert row is not None and row.group(1) == "&lt;5"


def test_side_effects_at_the_threshold_are_shown_exactly(
    client: Any, registry: Any, als_topic: Any, world: Any
) -> None:
    add_ldn_evaluations(world, 12, "tingling fingers")  # 6 people, 6 dogs
    panel = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    row = re.search(r"<th scope=\"row\">tingling fingers</th><td>([^<]*)</td>", panel)
    assert row is not None and row.group(1) == "6"


def test_the_threshold_comes_from_settings(
    client: Any, registry: Any, als_topic: Any, world: Any, settings: Any
) -> None:
    settings.OFFLABEL_MIN_CELL = 1
    add_ldn_evaluations(world, 2, "tingling fingers")
    panel = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    row = re.search(r"<th scope=\"row\">tingling fingers</th><td>([^<]*)</td>", panel)
    assert row is not None and row.group(1) == "1"


def test_ratings_of_fewer_evaluators_than_the_threshold_are_withheld(
    client: Any, demo_topics: list[Any], world: Any
) -> None:
    add_ldn_evaluations(world, 6, "tingling fingers")  # 3 people rate it
    panel = _panel(client.get(demo_topics[0].get_absolute_url()).content.decode())
    assert "Fewer than 5 subjects rated" in panel
    assert 'class="plot efficacy-chart"' not in panel


def test_topic_without_registry_reports_says_so(client: Any, als_topic: Any) -> None:
    panel = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    assert "No one in the registry has reported taking Low-dose naltrexone yet" in panel


def test_panel_is_cached_until_the_registry_changes(
    client: Any, registry: Any, als_topic: Any, world: Any
) -> None:
    first = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    again = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    assert first == again
    add_ldn_evaluations(world, 2, "tingling fingers")
    changed = _panel(client.get(als_topic.get_absolute_url()).content.decode())
    assert "tingling fingers" in changed and "tingling fingers" not in first


def test_cached_panel_costs_one_query(
    rf: Any, registry: Any, als_topic: Any, django_assert_num_queries: Any
) -> None:
    from django.apps import apps
    from django.contrib.auth.models import AnonymousUser

    config = apps.get_app_config("analytics")
    request = rf.get(als_topic.get_absolute_url())
    request.user = AnonymousUser()
    config.topic_panels(request, als_topic)  # fills the cache
    with django_assert_num_queries(1):  # the registry version
        (panel,) = config.topic_panels(request, als_topic)
    assert panel.context["known"]


def test_cached_topic_page_query_count_is_pinned(
    client: Any, registry: Any, dm_topic: Any, django_assert_max_num_queries: Any
) -> None:
    client.get(dm_topic.get_absolute_url())
    # 5 today (session-less page, other apps' panels included); the registry panel adds 1.
    with django_assert_max_num_queries(8):
        response = client.get(dm_topic.get_absolute_url())
    assert response.status_code == 200


def test_figures_are_deterministic(registry: Any, als_topic: Any) -> None:
    from offlabel.web.analytics import presentation, selectors

    summary = selectors.topic_summary(als_topic)
    one = presentation.panel_context(summary, key="x", threshold=5)["efficacy_svg"].markup
    two = presentation.panel_context(summary, key="x", threshold=5)["efficacy_svg"].markup
    assert one == two


@pytest.mark.parametrize(
    ("n", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (40, "40"), (None, "–")]
)
def test_suppressed_counts(n: int | None, shown: str) -> None:
    from offlabel.web.analytics.presentation import suppressed

    assert suppressed(n, 5) == shown


def test_reviewers_get_a_link_to_the_analysis_page(
    client_for: Any, world: Any, registry: Any, als_topic: Any
) -> None:
    link = f'href="/analytics/{als_topic.slug}/"'
    assert link in client_for(world.reviewer).get(als_topic.get_absolute_url()).content.decode()
    assert link not in client_for(world.patient).get(als_topic.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("p", "text"), [(None, "not computed"), (0.0321, "p = 0.032"), (0.00001, "p < 0.001")]
)
def test_p_values_read_as_written_in_papers(p: float | None, text: str) -> None:
    from offlabel.web.analytics.presentation import p_text

    assert p_text(p) == text


def test_an_unreadable_registry_row_does_not_break_the_topic_page(
    client: Any, registry: Any, als_topic: Any, world: Any, monkeypatch: Any
) -> None:
    from offlabel.registry.problems import RegistryError
    from offlabel.web.registry import selectors as registry_selectors

    def unreadable(**_: Any) -> Any:
        raise RegistryError("treatments: a course names no therapy")

    monkeypatch.setattr(registry_selectors, "registry_frames", unreadable)
    response = client.get(als_topic.get_absolute_url())
    assert response.status_code == 200
    assert "registry figures cannot be computed" in response.content.decode()
