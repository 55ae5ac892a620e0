"""Evaluation summary: the seed's published figures, Wilson intervals, counting rules."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.outcomes.evaluations import EvaluationSummary, summarize_evaluations
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.problems import RegistryError
from tests.outcomes.builders import courses_for, frames_of, seed_frames


@pytest.fixture(scope="module")
def seed() -> RegistryFrames:
    return frames_of(**seed_frames())


def test_seed_figures_are_reproduced(seed: RegistryFrames) -> None:
    result = summarize_evaluations(seed, "LDN", species="human")
    assert (result.n_reporting, result.n_evaluating) == (31, 15)
    no_effect_or_unsure = result.share(Efficacy.NONE, Efficacy.CANT_TELL)
    assert (no_effect_or_unsure.n, round(no_effect_or_unsure.pct)) == (7, 47)
    assert (result.level("slight").n, round(result.level("slight").pct)) == (3, 20)
    assert (result.level("moderate").n, round(result.level("moderate").pct)) == (4, 27)
    assert result.level("major").n == 1  # the evaluator the paper leaves unaccounted for


def test_intervals_are_wilson_intervals_from_statsmodels(seed: RegistryFrames) -> None:
    result = summarize_evaluations(seed, "LDN", species="human")
    for share in result.levels:
        low, high = proportion_confint(share.n, 15, alpha=0.05, method="wilson")
        assert share.ci_low == pytest.approx(100 * low)
        assert share.ci_high == pytest.approx(100 * high)


def test_each_person_counts_once_at_their_highest_rating() -> None:
    evaluations = pd.DataFrame(
        {
            "subject_id": ["a", "a", "b", "b", "c"],
            "therapy": "LDN",
            "date": ["2021-01-01", "2021-02-01", "2021-01-01", "2021-02-01", "2021-01-01"],
            "efficacy": ["major", "none", "cant_tell", "none", "cant_tell"],
        }
    )
    frames = frames_of(
        pd.DataFrame(
            {"subject_id": ["a", "b", "c"], "species": "human", "onset_date": "2020-01-01"}
        ),
        courses_for(evaluations, start="2020-06-01"),
        evaluations,
    )
    result = summarize_evaluations(frames, "ldn")
    assert [result.level(level).n for level in ("major", "none", "cant_tell")] == [1, 1, 1]
    assert result.n_multiple == 2
    assert result.n_reporting == 3


def test_side_effects_are_counted_once_per_person(seed: RegistryFrames) -> None:
    result = summarize_evaluations(seed, "LDN", species="human")
    assert dict(result.side_effects) == {
        "diarrhea": 1,
        "headaches": 1,
        "hot flushes": 1,
        "increased spasms": 1,
        "nausea": 1,
        "sleepiness": 1,
        "vivid dreams": 1,
    }


def test_cost_and_dose_ranges(seed: RegistryFrames) -> None:
    result = summarize_evaluations(seed, "LDN", species="human")
    cost = result.cost_per_month
    assert (cost.min, cost.max, cost.n) == (25.0, 49.0, 31)
    (mg,) = result.doses
    assert (mg.unit, mg.min, mg.median, mg.max) == ("mg", 1.5, 4.5, 4.5)


def test_species_are_summarised_separately(seed: RegistryFrames) -> None:
    dogs = summarize_evaluations(seed, "LDN", species=TargetSpecies.DOG)
    assert (dogs.n_reporting, dogs.n_evaluating) == (3, 2)
    assert dogs.doses[0].unit == "mg/kg"
    pooled = summarize_evaluations(seed, "LDN")
    assert (pooled.n_reporting, pooled.n_evaluating) == (34, 17)
    estimator = EvaluationSummary("ldn").fit(seed)
    assert set(estimator.by_species_) == {TargetSpecies.HUMAN, TargetSpecies.DOG}
    assert estimator.by_species_[TargetSpecies.HUMAN].n_evaluating == 15


def test_unknown_therapy_is_an_error(seed: RegistryFrames) -> None:
    with pytest.raises(RegistryError, match="lithium"):
        summarize_evaluations(seed, "lithium")


def test_caveats_carry_the_numbers(seed: RegistryFrames) -> None:
    caveats = summarize_evaluations(seed, "LDN", species="human").caveats
    text = " ".join(caveats)
    assert "15 of the 31 subjects" in text  # self-selected
    assert "8 of 15 (53%) reported some benefit" in text  # placebo response
    assert "4 of 15 evaluators rated LDN more than once" in text
    assert "Small numbers: with 15 evaluators" in text


def test_summary_table_and_json_shape(seed: RegistryFrames) -> None:
    result = summarize_evaluations(seed, "LDN", species="human")
    assert list(result.summary.index) == ["none", "slight", "moderate", "major", "cant_tell"]
    payload = result.to_dict()
    assert {"n_reporting", "n_evaluating", "levels", "side_effects", "cost_per_month"} <= set(
        payload
    )
    assert set(payload["levels"]["slight"]) == {"n", "pct", "ci_low", "ci_high"}
    assert payload["cost_per_month"] == {"min": 25.0, "median": 37.0, "max": 49.0}


def _reference(evaluations: pd.DataFrame) -> dict[str, int]:
    """A plain-Python highest-rating count, independent of the vectorised code."""
    rank = {"cant_tell": 0, "none": 1, "slight": 2, "moderate": 3, "major": 4}
    best: dict[str, str] = {}
    for subject, level in zip(evaluations["subject_id"], evaluations["efficacy"], strict=True):
        if subject not in best or rank[level] > rank[best[subject]]:
            best[subject] = level
    counts: dict[str, int] = defaultdict(int)
    for level in best.values():
        counts[level] += 1
    return dict(counts)


def test_vectorised_counts_match_a_plain_reference_on_random_data() -> None:
    rng = np.random.default_rng(7)
    ids = [f"s{i}" for i in range(300)]
    evaluations = pd.DataFrame(
        {
            "subject_id": rng.choice(ids, 2000),
            "therapy": rng.choice(["LDN", "Other"], 2000),
            # every rating on its own day: the rules refuse two of one therapy on one day
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(2000), unit="D"),
            "efficacy": rng.choice(["none", "slight", "moderate", "major", "cant_tell"], 2000),
        }
    )
    frames = frames_of(
        pd.DataFrame({"subject_id": ids, "species": "human", "onset_date": "2019-01-01"}),
        courses_for(evaluations),
        evaluations,
    )
    result = summarize_evaluations(frames, "LDN")
    expected = _reference(evaluations[evaluations["therapy"] == "LDN"])
    assert {s.label: s.n for s in result.levels if s.n} == expected


def test_side_effects_with_a_severity_count_by_name_once_per_person():
    import pandas as pd

    from offlabel.outcomes.evaluations import summarize_evaluations

    evaluations = pd.DataFrame(
        {
            "subject_id": ["a", "a", "b"],
            "therapy": ["LDN"] * 3,
            "date": ["2021-01-01", "2021-02-01", "2021-01-01"],
            "efficacy": ["none", "slight", "none"],
            "side_effects": [
                "Vivid dreams:mild;nausea",
                "vivid dreams: severe",
                "Nausea:moderate",
            ],
        }
    )
    frames = frames_of(
        pd.DataFrame(
            {
                "subject_id": ["a", "b"],
                "species": ["human", "human"],
                "onset_date": ["2020-01-01"] * 2,
            }
        ),
        courses_for(evaluations),
        evaluations,
    )
    result = summarize_evaluations(frames, "ldn")
    assert dict(result.side_effects) == {"vivid dreams": 1, "nausea": 2}


def test_wilson_bounds_are_exact_at_zero_and_at_all():
    from offlabel.outcomes.intervals import wilson_interval

    low, high = wilson_interval([0, 12], [12, 12])
    assert low[0] == 0.0
    assert high[1] == 1.0
    assert 0 < high[0] < 1 and 0 < low[1] < 1


def test_highest_rating_caveat_states_the_inflation_with_the_latest_rating(
    seed: RegistryFrames,
) -> None:
    """Finding 6: counting the best of several ratings inflates benefit, and the caveat says so
    with the figure at each subject's latest rating."""
    result = summarize_evaluations(seed, "LDN", species="human")
    evaluations = seed.evaluations
    mask = seed.therapy_mask(evaluations, "LDN") & seed.species_mask(evaluations, "human")
    ldn = evaluations.loc[mask].sort_values("date")
    latest = ldn.groupby("subject_id")["efficacy"].last()
    benefit_latest = int(latest.isin(["slight", "moderate", "major"]).sum())
    assert result.n_benefit_latest == benefit_latest
    text = next(c for c in result.caveats if c.startswith("Each subject is counted once"))
    assert "inflates benefit" in text
    assert f"Counted at their latest rating, {benefit_latest} (" in text
    assert "two independent ratings at 40% benefit give 64%" in text
    assert pytest.approx(0.64) == 1 - (1 - 0.4) ** 2


def test_plural_forms_are_handled_once_in_the_caveat_data() -> None:
    """Finding 6: "1 evaluators", "all 1 ratings" and "1 of 1 subjects were" are gone."""
    from offlabel.outcomes.caveats import CaveatKind, caveat, placeholders

    one = caveat(CaveatKind.UNBLINDED, n_evaluating=1, therapy="LDN")
    assert "(1 evaluator)" in one and "all 1" not in one
    assert "(3 evaluators)" in caveat(CaveatKind.UNBLINDED, n_evaluating=3, therapy="LDN")
    small = caveat(CaveatKind.SMALL_N, n=1, unit="evaluator", width=95.0, step=100.0)
    assert small.startswith("Small numbers: with 1 evaluator,")
    assert "unit" in placeholders(CaveatKind.SMALL_N)
    excluded = caveat(CaveatKind.EXCLUDED, n_excluded=1, n_total=1, reason="x")
    assert excluded == "1 of 1 subject was left out: x."
    lost = caveat(CaveatKind.FOLLOW_UP_LOST, n_lost=2, n_started=5, therapy="LDN")
    assert "5 people who started" in lost
