"""Exports carry the frozen registry snapshots the review page shows (chart, Wilson table,
side effects, caveats), checked against an independent Wilson interval (statsmodels)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from pypdf import PdfReader
from statsmodels.stats.proportion import proportion_confint

from offlabel.web.reviews import exports
from tests.web.analytics.conftest import registry  # noqa: F401 - a fixture used below

LABELS = {"none": "No effect", "slight": "Slight", "moderate": "Moderate", "major": "Major",
          "cant_tell": "Can't tell"}  # fmt: skip


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def frozen(published: Any, registry: Any, stage: Any) -> dict[str, Any]:  # noqa: F811
    from offlabel.web.analytics.services import snapshot_freeze

    return {
        section: snapshot_freeze(review=published, section=section, by=stage.world.reviewer)
        for section in ("cases", "risks")
    }


def _wilson_rows(figures: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    """(label, n, percent, interval) per level, the interval from statsmodels."""
    total = int(figures["n_evaluating"])
    rows = []
    for level, values in figures["levels"].items():
        if values.get("suppressed"):  # a small cell: "<5" and no percent (tests/web/analytics)
            continue
        n = int(values["n"])
        low, high = proportion_confint(n, total, alpha=0.05, method="wilson")
        rows.append(
            (LABELS[level], n, f"{100 * n / total:.0f}%", f"{100 * low:.0f}–{100 * high:.0f}%")
        )
    return rows


def test_pdf_of_a_review_with_a_snapshot_has_its_wilson_table_and_caveats(
    published: Any, frozen: dict[str, Any]
) -> None:
    cases, risks = frozen["cases"].figures, frozen["risks"].figures
    text = re.sub(r"[ \t]+", " ", _pdf_text(exports.review_export(published, "pdf")))
    assert "Registry snapshot of" in text
    assert f"{cases['n_evaluating']} evaluating of {cases['n_reporting']} reporting" in text
    rows = _wilson_rows(cases)
    assert rows, "the simulated registry has ratings"
    for label, n, pct, interval in rows:
        assert f"{label} {n} {pct} {interval}" in text, (label, n, pct, interval)
    for side_effect in risks["side_effects"][:3]:
        assert side_effect["name"] in text
    # the caveats travel with the figures (their first words; the PDF wraps lines)
    for caveat in [*cases["caveats"][:2], *risks["caveats"][:1]]:
        assert " ".join(caveat.split()[:5]) in text.replace("\n", " ")
    # the chart is drawn into the PDF from the stored figures (its title wraps at phone width)
    title = "How Low-dose naltrexone was rated by people with ALS"
    assert title in " ".join(text.split())


def test_markdown_and_json_carry_the_same_snapshot(published: Any, frozen: dict[str, Any]) -> None:
    cases = frozen["cases"].figures
    markdown = exports.review_as_markdown(published)
    assert "### Registry snapshot of" in markdown
    for label, n, pct, interval in _wilson_rows(cases):
        assert f"| {label} | {n} | {pct} | {interval} |" in markdown
    assert "**Read with care:**" in markdown
    data = json.loads(exports.review_as_json(published))
    by_section = {s["section"]: s for s in data["registry_snapshots"]}
    assert set(by_section) == {"cases", "risks"}
    levels = {row["level"]: row for row in by_section["cases"]["levels"]}
    for level, values in cases["levels"].items():
        if values.get("suppressed"):
            assert levels[level]["n"] == "<5" and levels[level]["ci_low"] is None
            assert f"| {LABELS[level]} | <5 | – | – |" in markdown
            continue
        assert levels[level]["n"] == values["n"]
        assert levels[level]["ci_low"] == pytest.approx(values["ci_low"])
    assert by_section["risks"]["caveats"] == frozen["risks"].figures["caveats"]


def test_page_and_exports_show_the_same_snapshot_counts(
    published: Any, frozen: dict[str, Any], client: Any
) -> None:
    html = client.get(published.get_absolute_url()).content.decode()
    markdown = exports.review_as_markdown(published)
    n = frozen["cases"].n
    assert f'<strong class="snapshot-n">{n}</strong>' in html
    assert f"{n} subjects reporting" in markdown
    for side_effect in frozen["risks"].figures["side_effects"]:
        shown = side_effect["n"] if side_effect["n"] >= 5 else "<5"
        assert (
            f'<th scope="row">{side_effect["name"]}</th><td>{shown}</td>'.replace("<5", "&lt;5")
            in html
        )
        assert f"| {side_effect['name']} | {shown} |" in markdown
