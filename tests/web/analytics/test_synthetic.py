"""Synthetic (simulated) registry records are said to be synthetic wherever their figures show."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def synthetic_registry(demo_topics: list[Any]) -> Any:
    from offlabel.outcomes.simulate import simulate_registry
    from offlabel.registry.csv_write import write_registry_dir
    from offlabel.web.registry.services import registry_import

    frames = simulate_registry(n_people=60, n_dogs=60, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        write_registry_dir(frames.bundle, tmp)
        return registry_import(directory=tmp, by=None, confirm_implausible=True, synthetic=True)


@pytest.mark.parametrize("which", [0, 1])
def test_topic_panel_says_the_figures_are_synthetic(
    client: Any, synthetic_registry: Any, demo_topics: list[Any], which: int
) -> None:
    html = client.get(demo_topics[which].get_absolute_url()).content.decode()
    panel = html[html.index('class="registry-panel"') :]
    assert "Synthetic data: 120 of the registry&#x27;s subjects are simulated demo records" in panel


def test_a_real_registry_carries_no_synthetic_note(
    client: Any, registry: Any, demo_topics: list[Any]
) -> None:
    html = client.get(demo_topics[1].get_absolute_url()).content.decode()
    assert "Synthetic data" not in html


def test_export_of_synthetic_records_carries_a_note(
    synthetic_registry: Any, tmp_path: Path
) -> None:
    from offlabel.web.registry.export import SYNTHETIC_NOTE, registry_export, registry_zip

    registry_export(tmp_path)
    assert (
        "120 of the subjects in this export are synthetic"
        in (tmp_path / SYNTHETIC_NOTE).read_text()
    )
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(registry_zip())).namelist()
    assert SYNTHETIC_NOTE in names


def test_frozen_snapshot_keeps_the_synthetic_note(
    synthetic_registry: Any, demo_topics: list[Any]
) -> None:
    from offlabel.reports.snapshot import snapshot_entry
    from offlabel.web.analytics import selectors, services

    summary = selectors.topic_summary(demo_topics[1])
    figures = services.snapshot_figures(demo_topics[1], "cases", summary)
    import datetime as dt

    entry = snapshot_entry(
        section="cases", data_date=dt.date(2025, 6, 30), n=1, figures=figures, min_cell=5
    )
    assert entry.caveats[0].startswith("Synthetic data: 120 of the registry's subjects")


def test_demo_dm_topic_page_primary_hazard_ratio_holds_one(demo_site: None, client: Any) -> None:
    """Finding 5: the public DM page said "hazard ratio 2.57 (1.74–3.79)" from synthetic data."""
    from offlabel.web.catalog.models import Topic

    topic = next(t for t in Topic.objects.all() if "myelopathy" in str(t).lower())
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Synthetic data:" in html
    found = re.search(r'class="hr">hazard ratio ([\d.]+) \(95% CI ([\d.]+)–([\d.]+)\)', html)
    assert found, "no primary hazard ratio on the DM page"
    hr, low, high = (float(v) for v in found.groups())
    print(f"\ndemo DM page: primary hazard ratio {hr} ({low}–{high})")
    assert low < 1 < high
