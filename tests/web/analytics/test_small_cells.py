"""Finding 9: the small-cell rule holds on every public count and curve, from one setting.

The audit found efficacy counts of 1 and 3 and Kaplan–Meier groups of 4 dogs on public pages
while the footer promised "<5". Every public figure (topic panels, snapshots frozen into a
review, the review's Markdown and JSON) goes through ``registry.disclosure``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from offlabel.registry.disclosure import public_summary
from offlabel.reports.snapshot import snapshot_entry, snapshot_markdown

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    return html[html.index('class="registry-panel"') :]


def _cells(html: str, table_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="{table_class}">(.*?)</table>', html, flags=re.S)
    assert table is not None, f"no {table_class} table"
    rows = re.findall(r"<tr><th scope=\"row\">[^<]*</th>(.*?)</tr>", table.group(1), flags=re.S)
    return [re.findall(r"<td>([^<]*)</td>", row) for row in rows]


def _small(cell: str, threshold: int) -> bool:
    return cell.isdigit() and 0 < int(cell) < threshold


def _threshold_with_small_levels(topic: Any, settings: Any) -> int:
    """A threshold the registry's raters pass as a whole while some rating level does not."""
    from django.core.cache import cache

    from offlabel.web.analytics.selectors import topic_summary

    settings.OFFLABEL_MIN_CELL = 1
    evaluations = topic_summary(topic)["evaluations"]
    cache.clear()
    counts = sorted(int(level["n"]) for level in evaluations["levels"].values() if level["n"])
    threshold = counts[0] + 1
    assert threshold <= int(evaluations["n_evaluating"])
    settings.OFFLABEL_MIN_CELL = threshold
    return threshold


@pytest.mark.parametrize("which", ["als_topic", "dm_topic"])
def test_efficacy_levels_below_the_threshold_show_neither_count_nor_percent(
    client: Any, registry: Any, which: str, request: Any, settings: Any
) -> None:
    topic = request.getfixturevalue(which)
    threshold = _threshold_with_small_levels(topic, settings)
    panel = _panel(client.get(topic.get_absolute_url()).content.decode())
    rows = _cells(panel, "levels")
    assert rows
    suppressed = [row for row in rows if row[0] == f"&lt;{threshold}"]
    assert suppressed  # the smallest level
    for row in rows:
        assert not _small(row[0], threshold)
    for _, pct, ci in suppressed:
        assert pct == "–" and ci == "–"  # a percent of the raters would give the count back
    assert f"Small-cell rule: a count of 1 to {threshold - 1} subjects" in panel


def test_kaplan_meier_groups_below_the_threshold_are_not_drawn(
    client: Any, registry: Any, dm_topic: Any, settings: Any
) -> None:
    settings.OFFLABEL_MIN_CELL = 1000  # every group is smaller
    panel = _panel(client.get(dm_topic.get_absolute_url()).content.decode())
    assert 'class="plot km-chart"' not in panel and 'id="km-treated"' not in panel
    assert "Log-rank test" not in panel and 'class="hr"' not in panel
    assert "fewer than 1000 dogs" in panel
    assert "Small-cell rule: a count of 1 to 999 subjects" in panel


def test_events_below_the_threshold_are_shown_as_less_than(
    client: Any, registry: Any, dm_topic: Any, settings: Any
) -> None:
    from django.core.cache import cache

    from offlabel.web.analytics.selectors import topic_summary

    settings.OFFLABEL_MIN_CELL = 1
    groups = topic_summary(dm_topic)["survival"]["groups"]
    cache.clear()
    smallest = min(int(g["n"]) for g in groups.values())
    # a threshold the groups pass but some event counts do not
    settings.OFFLABEL_MIN_CELL = max(
        2, min(smallest, max(int(g["events"]) for g in groups.values()))
    )
    panel = _panel(client.get(dm_topic.get_absolute_url()).content.decode())
    for _, n, events, *_ in _cells(panel, "survival"):
        assert not _small(n, settings.OFFLABEL_MIN_CELL)
        assert not _small(events, settings.OFFLABEL_MIN_CELL)


def test_a_frozen_snapshot_and_its_exports_follow_the_rule(
    client: Any, world: Any, registry: Any, als_topic: Any, published_review: Any, settings: Any
) -> None:
    from offlabel.web.analytics.services import snapshot_freeze

    t = _threshold_with_small_levels(als_topic, settings)
    frozen = snapshot_freeze(review=published_review, section="cases", by=world.reviewer)
    html = client.get(published_review.get_absolute_url()).content.decode()
    rows = _cells(html, "levels")
    assert any(row[0] == f"&lt;{t}" for row in rows)
    for n, pct, _ in rows:
        assert not _small(n, t)
        if n == f"&lt;{t}":
            assert pct == "–"
    entry = snapshot_entry(
        section="cases",
        data_date=dt.date(2026, 1, 1),
        n=frozen.n,
        figures=frozen.figures,
        min_cell=t,
    )
    for row in entry.levels:
        assert not _small(row.cells[1], t)
    markdown = "\n".join(snapshot_markdown(entry))
    assert f"Small-cell rule: a count of 1 to {t - 1} subjects" in markdown
    for level in entry.as_dict()["levels"] or []:
        assert not _small(str(level["n"]), t)


def test_the_rule_on_stored_figures_that_predate_it() -> None:
    """A snapshot frozen before the rule (raw counts stored) is shown under it all the same."""
    raw = {
        "therapy": "LDN",
        "species": "dog",
        "n_evaluating": 12,
        "levels": {
            "none": {"n": 8, "pct": 66.7, "ci_low": 39.1, "ci_high": 86.2},
            "major": {"n": 1, "pct": 8.3, "ci_low": 1.5, "ci_high": 35.4},
            "slight": {"n": 3, "pct": 25.0, "ci_low": 8.9, "ci_high": 53.2},
        },
        "survival": {
            "endpoint": "non_ambulatory",
            "groups": {"treated": {"n": 4, "events": 3}, "untreated": {"n": 30, "events": 20}},
            "logrank_p": 0.2,
            "cox": {"hr": 0.8},
        },
    }
    shown = public_summary(raw, 5)
    assert shown["levels"]["major"]["n"] is None and shown["levels"]["major"]["pct"] is None
    assert shown["levels"]["slight"]["shown"] == "<5"
    assert shown["levels"]["none"]["n"] == 8
    assert "groups" not in shown["survival"] and "cox" not in shown["survival"]
    assert public_summary(shown, 5) == shown  # idempotent
    entry = snapshot_entry(
        section="cases", data_date=dt.date(2026, 1, 1), n=12, figures=raw, min_cell=5
    )
    assert [row.cells[1] for row in entry.levels] == ["8", "<5", "<5"]
    assert entry.survival == () and "fewer than 5 dogs" in entry.survival_text


def _exact_survival(dm_topic: Any, settings: Any) -> dict[str, Any]:
    """The DM topic's survival figures with the rule off (a threshold of 1), cache cleared."""
    from django.core.cache import cache

    from offlabel.web.analytics.selectors import topic_summary

    settings.OFFLABEL_MIN_CELL = 1
    survival: dict[str, Any] = topic_summary(dm_topic)["survival"]
    cache.clear()
    return survival


def _tail_threshold(survival: dict[str, Any]) -> int:
    """A threshold every group passes while each curve's tail has fewer dogs at risk."""
    threshold = min(int(g["n"]) for g in survival["groups"].values())
    for curve in survival["curves"].values():
        assert min(curve["at_risk"]) < threshold  # the tail is a small cell
    return threshold


def test_kaplan_meier_curves_and_risk_tables_end_where_too_few_remain_at_risk(
    client: Any, registry: Any, dm_topic: Any, settings: Any
) -> None:
    """Each public curve stops where fewer than the threshold remain at risk, in the page's
    figure and risk table and in the API; the reviewers' exact curve goes on past it."""
    exact = _exact_survival(dm_topic, settings)
    threshold = _tail_threshold(exact)
    settings.OFFLABEL_MIN_CELL = threshold

    api = client.get(f"/api/v1/topics/{dm_topic.slug}/registry").json()
    public = api["survival"]["survival"]
    assert set(public["curves"]) == set(exact["curves"])
    for name, curve in public["curves"].items():
        full = exact["curves"][name]
        assert curve["at_risk"] and min(curve["at_risk"]) >= threshold
        assert len(curve["days"]) == len(curve["survival"]) == len(curve["at_risk"])
        assert curve["days"] == full["days"][: len(curve["days"])]  # the same curve, cut
        assert curve["days"][-1] < full["days"][-1]
    for name, row in public["risk_table"].items():
        assert row["at_risk"] and min(row["at_risk"]) >= threshold
        assert len(row["months"]) < len(exact["risk_table"][name]["months"])
    for row in api["survival"]["km_risk_rows"]:
        assert all(cell == "–" or int(cell) >= threshold for cell in row["cells"])

    panel = _panel(client.get(dm_topic.get_absolute_url()).content.decode())
    assert 'class="plot km-chart"' in panel  # the curves are drawn, only shorter
    risk = re.search(r'<table class="risk-table">(.*?)</table>', panel, flags=re.S)
    assert risk is not None
    cells = re.findall(r"<td>([^<]*)</td>", risk.group(1))
    numbers = [int(c) for c in cells if c.isdigit()]
    assert numbers and min(numbers) >= threshold
    assert "–" in cells  # the columns past a curve's end
    # the chart's description ends each curve at its last month with enough dogs at risk
    for name, curve in public["curves"].items():
        assert f"{name}: " in panel
        last = curve["days"][-1] / 30.44
        assert re.search(rf"{name}: \d+% still free of the event at {last:.0f} months", panel)
    assert f"fewer than {threshold} dogs remain at risk" in panel


def test_a_stored_curve_without_numbers_at_risk_is_not_shown() -> None:
    from offlabel.registry.disclosure import public_survival

    curve = {"days": [0.0, 30.0], "survival": [1.0, 0.5], "ci_low": [1, 0.2], "ci_high": [1, 0.8]}
    survival = {
        "groups": {"treated": {"n": 9, "events": 5}, "untreated": {"n": 9, "events": 5}},
        "curves": {"treated": curve, "untreated": {**curve, "at_risk": [9, 4]}},
        "risk_table": {"untreated": {"months": [0, 6, 12], "at_risk": [9, 6, 2]}},
    }
    shown = public_survival(survival, 5)
    assert set(shown["curves"]) == {"untreated"}
    assert shown["curves"]["untreated"]["days"] == [0.0]
    assert shown["risk_table"]["untreated"] == {"months": [0, 6], "at_risk": [9, 6]}
    assert public_survival(shown, 5) == shown  # idempotent
