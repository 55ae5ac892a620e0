"""The synthetic registry: realistic shape, known truth, valid by the import rules, repeatable."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from offlabel.evidence.vocabulary import Efficacy
from offlabel.outcomes.simulate import (
    DEFAULT_THERAPY,
    simulate_demo_registry,
    simulate_registry,
    simulate_registry_with_truth,
)
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.csv_write import write_registry_dir
from offlabel.registry.frames import load_registry

SEED_SIDE_EFFECTS = {
    "vivid dreams",
    "sleepiness",
    "increased spasms",
    "diarrhea",
    "headache",
    "nausea",
    "hot flushes",
}


@pytest.fixture(scope="module")
def large():
    return simulate_registry_with_truth(n_people=6000, n_dogs=3000, seed=11)


def _months(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a - b).dt.days / 30.44


def test_same_seed_gives_the_same_registry_and_another_seed_does_not():
    a = simulate_registry(n_people=120, n_dogs=60, seed=5)
    b = simulate_registry(n_people=120, n_dogs=60, seed=5)
    c = simulate_registry(n_people=120, n_dogs=60, seed=6)
    for name in ("subjects", "treatments", "evaluations", "scores", "events"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert not a.scores["total"].equals(c.scores["total"])


def test_people_decline_about_one_point_a_month_with_realistic_spread(large):
    frames, truth = large
    assert 0.9 <= truth.slopes.mean() <= 1.0
    assert 0.4 <= truth.slopes.std() <= 0.8
    scores = frames.scores.loc[frames.scores["scale"] == "alsfrs_r"]
    onset = frames.subjects.set_index("subject_id")["onset_date"]
    t = _months(scores["date"], scores["subject_id"].map(onset))
    slopes = (
        pd.DataFrame({"s": scores["subject_id"], "t": t, "y": scores["total"]})
        .groupby("s")
        .filter(lambda g: len(g) >= 4)
        .groupby("s")
        .apply(lambda g: np.polyfit(g["t"], g["y"], 1)[0])
    )
    assert -1.1 <= slopes.mean() <= -0.7


def test_scores_are_integer_totals_in_range_and_visits_two_to_four_months_apart(large):
    frames, _ = large
    scores = frames.scores
    als = scores.loc[scores["scale"] == "alsfrs_r"].sort_values(["subject_id", "date"])
    assert als["total"].between(0, 48).all() and (als["total"] % 1 == 0).all()
    gaps = als.groupby("subject_id")["date"].diff().dt.days.dropna() / 30.44
    assert gaps.min() >= 1.9 and gaps.max() <= 4.1
    assert 4 <= als.groupby("subject_id").size().mean() <= 12
    gait = scores.loc[scores["scale"] == "dm_gait", "total"]
    stage = scores.loc[scores["scale"] == "dm_stage", "total"]
    assert gait.between(0, 6).all() and stage.between(1, 4).all()


def test_large_breeds_go_off_their_feet_within_a_year_and_corgis_later(large):
    frames, _ = large
    dogs = frames.subjects.loc[frames.subjects["species"] == "dog"].set_index("subject_id")
    na = frames.events.loc[frames.events["event"] == "non_ambulatory"].set_index("subject_id")
    months = _months(na["date"], dogs.loc[na.index, "onset_date"])
    breed = dogs.loc[na.index, "breed"]
    large_breeds = ["German Shepherd", "Boxer", "Chesapeake Bay Retriever", "Bernese Mountain Dog"]
    median_large = months[breed.isin(large_breeds)].median()
    median_corgi = months[breed == "Pembroke Welsh Corgi"].median()
    assert 6 <= median_large <= 12
    assert median_corgi > median_large + 4
    assert (dogs["sod1"] == "A/A").mean() > 0.75
    kinds = set(frames.events["event"].astype(str))
    assert {"euthanasia", "censored", "thoracic_limbs", "death"} <= kinds


def test_uptake_favours_faster_progressors_when_it_depends_on_progression():
    def excess_slope_of_treated(depends: bool) -> float:
        frames, truth = simulate_registry_with_truth(
            n_people=6000, uptake_depends_on_progression=depends, seed=3
        )
        on = truth.slopes.index.isin(frames.treatments["subject_id"].unique())
        return float(truth.slopes[on].mean() - truth.slopes[~on].mean())

    depends, flat = excess_slope_of_treated(True), excess_slope_of_treated(False)
    assert depends > 0.1  # the treated decline faster than the untreated
    # with a flat uptake rate the treated are, if anything, slower (longer follow-up, more
    # visits at which to start): the dependence is what makes them faster
    assert flat < 0.05
    assert depends > flat + 0.2


def test_evaluations_follow_the_patient_community_figures(large):
    frames = simulate_registry(n_people=20_000, n_dogs=1000, seed=2)
    people = frames.subjects.loc[frames.subjects["species"] == "human", "subject_id"]
    ev = frames.evaluations.loc[frames.evaluations["subject_id"].isin(people)]
    highest = ev.groupby("subject_id")["efficacy"].max()  # ordered categorical
    share = highest.value_counts(normalize=True)
    assert share[Efficacy.NONE] + share[Efficacy.CANT_TELL] == pytest.approx(0.47, abs=0.05)
    assert share[Efficacy.SLIGHT] == pytest.approx(0.20, abs=0.05)
    assert share[Efficacy.MODERATE] == pytest.approx(0.27, abs=0.05)
    takers = frames.treatments.loc[frames.treatments["subject_id"].isin(people)]
    assert 0.35 <= highest.size / takers["subject_id"].nunique() <= 0.65
    effects = set(ev["side_effects"].dropna().str.split(";").explode())
    assert effects and effects <= SEED_SIDE_EFFECTS
    assert takers["cost_per_month"].between(25, 49).all()
    assert (takers["dose"] == 4.5).mean() > 0.4 and (takers["dose_unit"] == "mg").all()
    dog_courses = frames.treatments.loc[~frames.treatments["subject_id"].isin(people)]
    assert (dog_courses["dose_unit"] == "mg/kg").all() and dog_courses["dose"].le(0.3).all()


def test_the_demo_registry_passes_the_import_rules_and_round_trips(tmp_path):
    frames = simulate_demo_registry()
    assert frames.subjects["species"].value_counts().to_dict() == {"human": 300, "dog": 200}
    write_registry_dir(frames.bundle, tmp_path)
    bundle = read_registry_dir(tmp_path, today=dt.date(2026, 7, 1))
    assert len(bundle.subjects) == 500 and len(bundle.scores) == len(frames.scores)
    again = load_registry(tmp_path)
    assert again.therapies() == [DEFAULT_THERAPY]
    for name in ("treatments", "evaluations", "scores", "events"):
        left = getattr(frames, name).reset_index(drop=True)
        right = getattr(again, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_categorical=False)


def test_subjects_round_trip_including_the_sod1_genotype_n_a(tmp_path):
    frames = simulate_demo_registry()
    assert (frames.subjects["sod1"] == "N/A").any()
    write_registry_dir(frames.bundle, tmp_path)
    again = load_registry(tmp_path)
    pd.testing.assert_frame_equal(
        frames.subjects.reset_index(drop=True),
        again.subjects.reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_people": -1}, "0 or more"),
        ({"dog_hazard_ratio": 0.0}, "positive"),
        ({"therapy": "  "}, "non-empty"),
        ({"visit_months": (3.0, 2.0)}, "visit_months"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate_registry(**kwargs)
