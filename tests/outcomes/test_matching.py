"""Matched controls: exact on a hand-built registry, unbiased on simulated ones, clear errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from offlabel.outcomes.matching import MatchedControls, MatchingError
from offlabel.outcomes.simulate import DEFAULT_THERAPY, simulate_registry
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.problems import RegistryError
from tests.outcomes.builders import frames_of

ONSET = pd.Timestamp("2020-01-01")
MONTH = 30.44


def _person(
    sid: str, months: list[float], slope_before: float, slope_after: float, start: float | None
):
    """Linear ALSFRS-R scores with a change of slope at ``start``, rounded to whole points as
    every ALSFRS-R total is (the rounding moves a fitted slope by a few hundredths)."""
    rows = []
    for m in months:
        day = round(m * MONTH)
        t = day / MONTH
        kink = round(start * MONTH) / MONTH if start is not None else np.inf
        y = 47 - slope_before * min(t, kink) - slope_after * max(0.0, t - kink)
        rows.append(
            {
                "subject_id": sid,
                "date": ONSET + pd.Timedelta(days=day),
                "scale": "alsfrs_r",
                "total": round(y),
            }
        )
    return rows


def _hand_built() -> RegistryFrames:
    visits = [4, 6, 8, 10, 12, 14, 16, 18, 20]
    scores = _person("T1", visits, 1.0, 0.5, 8)
    for c in ("C1", "C2", "C3", "C4"):
        scores += _person(c, visits, 1.0, 1.0, None)
    scores += _person("C5", visits, 1.0, 0.0, 14)  # starts later; flat afterwards
    ids = ["T1", "C1", "C2", "C3", "C4", "C5"]
    subjects = pd.DataFrame(
        {
            "subject_id": ids,
            "species": "human",
            "onset_date": ONSET,
            "birth_year": 1960,
            "sex": "male",
        }
    )
    treatments = pd.DataFrame(
        {
            "subject_id": ["T1", "C5"],
            "therapy": DEFAULT_THERAPY,
            "start_date": [
                ONSET + pd.Timedelta(days=round(8 * MONTH)),
                ONSET + pd.Timedelta(days=round(14 * MONTH)),
            ],
        }
    )
    return frames_of(subjects, treatments, scores=pd.DataFrame(scores))


def test_hand_built_registry_gives_the_exact_difference_and_cuts_later_starters_at_start():
    result = (
        MatchedControls(k=5, followup_months=12, seed=0)
        .fit(_hand_built(), "low-dose NALTREXONE")
        .result_
    )
    sets = result.sets.set_index("treated_id")
    # T1 declines 0.5/month after starting, its five controls 1.0/month — C5 included, whose
    # flat course after its own start (month 14) must not count as untreated follow-up
    assert sets.loc["T1", "post_slope"] == pytest.approx(-0.5, abs=0.06)
    assert sets.loc["T1", "counterfactual_slope"] == pytest.approx(-1.0, abs=0.06)
    assert sets.loc["T1", "n_controls"] == 5
    assert set(result.pairs.loc[result.pairs["treated_id"] == "T1", "control_id"]) == {
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
    }
    # C5 is itself treated from month 14: flat afterwards, against controls at 1.0/month
    assert sets.loc["C5", "difference"] == pytest.approx(1.0, abs=0.06)
    assert result.effect == pytest.approx(0.75, abs=0.06)
    assert result.n_treated == 2


@pytest.fixture(scope="module")
def null_fit():
    frames = simulate_registry(n_people=6000, true_effect=0.0, seed=21)
    return frames, MatchedControls(seed=1).fit(frames, DEFAULT_THERAPY).result_


def test_recovers_a_large_simulated_effect():
    frames = simulate_registry(n_people=6000, true_effect=0.5, seed=22)
    result = MatchedControls(seed=1).fit(frames, DEFAULT_THERAPY).result_
    assert result.ci_low <= 0.5 <= result.ci_high
    assert result.ci_low > 0.3 and result.p_value < 1e-6


def test_shows_no_effect_when_there_is_none(null_fit):
    _, result = null_fit
    assert result.ci_low <= 0.0 <= result.ci_high
    assert abs(result.effect) < 0.05


def test_balance_improves_after_matching(null_fit):
    _, result = null_fit
    balance = result.balance
    for covariate in ("time_since_onset", "baseline_score", "pre_slope"):
        before, after = balance.loc[covariate, ["smd_before", "smd_after"]]
        assert abs(after) < 0.1
        assert abs(after) < abs(before)
    assert abs(balance.loc["pre_slope", "smd_before"]) > 0.2  # the treated did differ
    assert "age_at_onset" in balance.index


def test_onset_region_is_balanced_when_the_registry_records_it():
    frames = simulate_registry(n_people=1500, seed=4)
    regions = np.random.default_rng(0).choice(["bulbar", "limb"], size=len(frames.subjects))
    subjects = frames.subjects.assign(onset_region=regions)
    frames = frames_of(
        subjects, frames.treatments, frames.evaluations, frames.scores, frames.events
    )
    result = MatchedControls(seed=0).fit(frames, DEFAULT_THERAPY).result_
    assert {"onset_region=bulbar", "onset_region=limb"} <= set(result.balance.index)


def test_the_same_seed_gives_the_same_answer():
    frames = simulate_registry(n_people=800, seed=9)
    a = MatchedControls(seed=3).fit(frames, DEFAULT_THERAPY).result_
    b = MatchedControls(seed=3).fit(frames, DEFAULT_THERAPY).result_
    assert a.to_dict() == b.to_dict()
    pd.testing.assert_frame_equal(a.pairs, b.pairs)


def test_to_dict_gives_the_cli_contract_as_plain_json(null_fit):
    _, result = null_fit
    payload = result.to_dict()
    assert set(payload) == {
        "n_treated",
        "n_controls",
        "effect",
        "ci_low",
        "ci_high",
        "p_value",
        "balance",
        "caveats",
    }
    assert json.loads(json.dumps(payload, allow_nan=False)) == payload
    assert payload["n_treated"] == result.n_treated > 100
    assert {row["covariate"] for row in payload["balance"]} >= {"baseline_score", "pre_slope"}
    assert any("Confounding by indication" in c for c in payload["caveats"])
    summary = result.summary
    assert summary.loc[summary.index[0], "effect"] == pytest.approx(result.effect)


def test_bootstrap_interval_is_available_and_seeded():
    frames = simulate_registry(n_people=2000, seed=5)
    a = (
        MatchedControls(ci="bootstrap", n_bootstrap=500, seed=1)
        .fit(frames, DEFAULT_THERAPY)
        .result_
    )
    b = (
        MatchedControls(ci="bootstrap", n_bootstrap=500, seed=1)
        .fit(frames, DEFAULT_THERAPY)
        .result_
    )
    assert a.ci_method == "bootstrap" and (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert a.ci_low < a.effect < a.ci_high


def test_an_unknown_therapy_names_the_ones_present():
    with pytest.raises(RegistryError, match="therapies present: Low-dose naltrexone"):
        MatchedControls().fit(simulate_registry(n_people=50, seed=1), "Lithium")


def test_too_few_scores_around_the_start_is_a_clear_error():
    frames = _hand_built()
    scores = frames.scores.loc[frames.scores["date"] <= pd.Timestamp("2020-10-01")]
    sparse = frames_of(frames.subjects, frames.treatments, scores=scores.astype({"total": int}))
    with pytest.raises(MatchingError, match="none of the 2 people who started"):
        MatchedControls().fit(sparse, DEFAULT_THERAPY)


def test_a_registry_without_alsfrs_r_scores_is_a_clear_error():
    frames = simulate_registry(n_people=0, n_dogs=50, seed=1)
    with pytest.raises(MatchingError, match="no ALSFRS-R scores"):
        MatchedControls().fit(frames, DEFAULT_THERAPY)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be"),
        ({"k": 1.5}, "k must be"),
        ({"followup_months": 0}, "followup_months"),
        ({"caliper_months": -1}, "caliper_months"),
        ({"scales": (1.0, 0.0, 1.0, 1.0)}, "scales"),
        ({"scales": (1.0, 1.0, 1.0)}, "four positive"),
        ({"min_pre_scores": 1}, "slope needs two"),
        ({"ci": "exact"}, "ci must be"),
        ({"n_bootstrap": 10}, "n_bootstrap"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MatchedControls(**kwargs)


def test_matching_uses_the_last_visit_to_visit_change_before_the_start() -> None:
    """Finding 3: uptake after a bad recent visit; the treated and their controls are matched
    (and bias-corrected) on the last change too, not only level and least-squares slope."""
    import tests.outcomes.independent_sim as independent

    frames = independent.people_registry(600, 0.0, "drop", np.random.default_rng(11))
    result = MatchedControls(seed=1).fit(frames, independent.THERAPY).result_
    balance = result.balance
    assert "last_change" in balance.index
    row = balance.loc["last_change"]
    assert abs(row["smd_after"]) < abs(row["smd_before"])  # the treated did drop more
    assert abs(row["smd_after"]) < 0.3  # the regression adjustment takes the rest


def test_loss_of_follow_up_after_the_start_is_stated_with_its_count() -> None:
    """Finding 3: treated people dropped for lacking scores after the start are named."""
    import tests.outcomes.independent_sim as independent

    frames = independent.people_registry(600, 0.0, "rate", np.random.default_rng(12))
    fitted = MatchedControls(seed=1).fit(frames, independent.THERAPY)
    lost = fitted._n_lost
    assert lost > 0
    sentence = next(c for c in fitted.result_.caveats if c.startswith("Follow-up lost"))
    assert f"{lost} of the {fitted.result_.n_candidates} people who started" in sentence


def test_estimands_doc_does_not_claim_the_trigger_effect_is_removed() -> None:
    """Finding 3: a bad score that prompts a start is *reduced* by matching, not removed."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "estimands.md").read_text(encoding="utf-8")
    assert "is allowed and removed" not in text
    assert "last visit-to-visit change" in text
    assert "loss of follow-up after the start" in text.lower()
