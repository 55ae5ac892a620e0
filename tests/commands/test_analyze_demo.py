"""The demo registry's figures, read back from its export by the command line (finding 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.outcomes.simulate import simulate_demo_registry
from offlabel.registry.csv_write import write_registry_dir


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    write_registry_dir(simulate_demo_registry().bundle, directory)
    return directory


def _json(*args: object) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["analyze", *map(str, args), "--json"])
    assert result.exit_code == 0, result.output
    payload: dict = json.loads(result.output)  # type: ignore[type-arg]
    return payload


def test_demo_natural_history_matches_proact(demo_dir: Path) -> None:
    """PRO-ACT: 25% of people show no decline over 6 months, 16% over 12 (Bedlack 2016); the
    demo's linear courses gave about 7%."""
    six = _json("stability", demo_dir, "--months", "6")
    twelve = _json("stability", demo_dir, "--months", "12")
    print(f"\ndemo: {six['pct']:.1f}% stable over 6 months, {twelve['pct']:.1f}% over 12")
    assert 20 <= six["pct"] <= 30
    assert 11 <= twelve["pct"] <= 21


def test_demo_dogs_primary_hazard_ratio_holds_one(demo_dir: Path) -> None:
    """The demo's LDN has no effect and its uptake depends on recorded covariates only: the
    primary result must not claim LDN dogs go off their feet faster (it said HR 2.57)."""
    primary = _json("survival", demo_dir, "--therapy", "Low-dose naltrexone")["primary"]
    assert primary["ci_low"] < 1 < primary["ci_high"]


def test_demo_dogs_go_off_their_feet_in_about_a_year_and_corgis_later(demo_dir: Path) -> None:
    from lifelines import KaplanMeierFitter

    from offlabel.outcomes.survival import survival_table
    from offlabel.registry.csv_read import read_registry_dir
    from offlabel.registry.frames import RegistryFrames

    frames = RegistryFrames.from_bundle(read_registry_dir(demo_dir, confirm_implausible=True))
    table, _ = survival_table(frames, None)
    corgi = table["breed"] == "Pembroke Welsh Corgi"
    large = table["breed"].isin(["German Shepherd", "Boxer", "Bernese Mountain Dog"])
    medians = {
        name: KaplanMeierFitter()
        .fit(table.loc[rows, "duration_days"], table.loc[rows, "observed"])
        .median_survival_time_
        / 30.44
        for name, rows in (("large", large), ("corgi", corgi))
    }
    print(f"\nmedian onset → non-ambulatory: {medians}")
    assert 9 <= medians["large"] <= 15
    assert medians["corgi"] > medians["large"] + 4
