"""Natural history: untreated subjects with no ALSFRS-R decline, beside PRO-ACT."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from offlabel.outcomes.stability import (
    PROACT_REFERENCE,
    NaturalHistory,
    stabilisation_sentence,
)
from offlabel.registry.frames import RegistryFrames
from tests.outcomes.builders import frames_of


def _registry() -> RegistryFrames:
    scores = [
        # a: untreated, stable over 6 months (same total 6.5 months later), declines by 12
        ("a", "2020-01-01", 40), ("a", "2020-07-15", 40), ("a", "2021-01-15", 35),
        # b: untreated, declines
        ("b", "2020-01-01", 40), ("b", "2020-07-10", 37), ("b", "2021-02-01", 30),
        # c: untreated but no score six months after the first
        ("c", "2020-01-01", 40), ("c", "2020-03-01", 41),
        # d: starts a therapy two months in: no untreated window
        ("d", "2020-01-01", 40), ("d", "2020-08-01", 44),
        # e: treated a year in; improves over its untreated window (6 months), but not 12
        ("e", "2020-01-01", 30), ("e", "2020-07-05", 31), ("e", "2021-03-01", 20),
        # f: only a dog gait score, not ALSFRS-R
    ]  # fmt: skip
    subjects = pd.DataFrame(
        {
            "subject_id": list("abcdef"),
            "species": ["human"] * 5 + ["dog"],
            "onset_date": "2019-06-01",
            "sod1": [""] * 5 + ["unknown"],
        }
    )
    treatments = pd.DataFrame(
        {
            "subject_id": ["d", "e"],
            "therapy": ["LDN", "Lithium"],
            "start_date": ["2020-03-01", "2021-01-01"],
        }
    )
    return frames_of(
        subjects,
        treatments,
        scores=pd.DataFrame(
            [(s, d, "alsfrs_r", t) for s, d, t in scores] + [("f", "2020-01-01", "dm_gait", 4)],
            columns=["subject_id", "date", "scale", "total"],
        ),
    )


def test_share_without_decline_over_six_months() -> None:
    result = NaturalHistory(6).fit(_registry()).result_
    assert list(result.per_subject.index) == ["a", "b", "e"]
    assert (result.n, result.n_stable) == (3, 2)
    low, high = proportion_confint(2, 3, method="wilson")
    assert result.pct == pytest.approx(200 / 3)
    assert (result.ci_low, result.ci_high) == (pytest.approx(100 * low), pytest.approx(100 * high))
    assert result.per_subject.loc["a", "end_date"] == pd.Timestamp("2020-07-15")


def test_twelve_month_windows_use_the_first_score_a_year_later() -> None:
    result = NaturalHistory(12).fit(_registry()).result_
    # e's later score falls after its course started, so e has no untreated 12-month window
    assert list(result.per_subject.index) == ["a", "b"]
    assert result.n_stable == 0
    assert result.reference is not None and result.reference.share == 0.16


def test_proact_reference_is_data() -> None:
    assert PROACT_REFERENCE[6].share == 0.25
    assert PROACT_REFERENCE[12].share == 0.16
    assert "Neurology" in PROACT_REFERENCE[6].source


def test_sentence_shows_registry_and_proact_figures() -> None:
    result = NaturalHistory(6).fit(_registry()).result_
    assert result.sentence.startswith(
        "Natural history: 2 of 3 untreated subjects in this registry (67%, 95% CI"
    )
    assert "one 6–9 months later" in result.sentence
    assert "in the PRO-ACT trial database 25% showed none over 6 months" in result.sentence
    assert any("2 of 5 subjects were left out" in c for c in result.caveats)


def test_a_six_month_window_is_never_a_fifteen_month_gap() -> None:
    """Finding 6: "stable over 6 months" counted 6–15-month windows; now 6–9 and said so."""
    frames = frames_of(
        pd.DataFrame(
            {
                "subject_id": ["near", "far"],
                "species": "human",
                "onset_date": "2019-06-01",
                "birth_year": 1960,
            }
        ),
        scores=pd.DataFrame(
            {
                "subject_id": ["near", "near", "far", "far"],
                "date": ["2020-01-01", "2020-08-01", "2020-01-01", "2021-04-01"],
                "scale": "alsfrs_r",
                "total": [40, 40, 40, 41],
            }
        ),
    )
    result = NaturalHistory(6).fit(frames).result_
    assert list(result.per_subject.index) == ["near"]
    assert result.max_months == 9
    assert any(
        "no untreated ALSFRS-R score 6–9 months after their first" in c for c in result.caveats
    )
    assert NaturalHistory(6, max_months=18).fit(frames).result_.n == 2


def test_sentence_without_registry_data_uses_proact_alone() -> None:
    sentence = stabilisation_sentence(12)
    assert "16% of people with ALS showed no ALSFRS-R decline over 12 months" in sentence


def test_months_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        NaturalHistory(0)


def test_a_registry_without_alsfrs_r_scores_has_no_windows_and_no_crash():
    import pandas as pd

    from offlabel.outcomes.stability import NaturalHistory

    frames = frames_of(
        pd.DataFrame({"subject_id": ["a"], "species": ["human"], "onset_date": ["2020-01-01"]}),
        treatments=pd.DataFrame(
            {"subject_id": ["a"], "therapy": ["LDN"], "start_date": ["2020-03-01"]}
        ),
    )
    result = NaturalHistory(months=6).fit(frames).result_
    assert result.n == 0
    assert "25%" in result.sentence
