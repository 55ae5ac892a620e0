"""ALSFRS-R slopes, ΔFS and the change in slope after a treatment starts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from offlabel.outcomes.progression import (
    SlopeChange,
    alsfrs_slopes,
    delta_fs,
    per_subject_slopes,
)
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.problems import RegistryImportError
from tests.outcomes.builders import alsfrs_frames, frames_of


def _frames(scores: list[tuple[str, str, float]], onset: str = "2020-01-01") -> RegistryFrames:
    ids = sorted({s for s, _, _ in scores})
    return frames_of(
        pd.DataFrame({"subject_id": ids, "species": "human", "onset_date": onset}),
        scores=pd.DataFrame(
            [(s, d, "alsfrs_r", t) for s, d, t in scores],
            columns=["subject_id", "date", "scale", "total"],
        ),
    )


def test_per_subject_slopes_match_numpy_polyfit() -> None:
    rng = np.random.default_rng(1)
    subject = pd.Series(rng.choice(["a", "b", "c", "d"], 200), dtype="string")
    months = rng.uniform(0, 24, 200)
    total = 40 - 0.8 * months + rng.normal(0, 2, 200)
    fitted = per_subject_slopes(subject, months, total)
    for sid in ["a", "b", "c", "d"]:
        chosen = (subject == sid).to_numpy()
        slope, intercept = np.polyfit(months[chosen], total[chosen], 1)
        assert fitted.loc[sid, "slope"] == pytest.approx(slope)
        assert fitted.loc[sid, "intercept"] == pytest.approx(intercept)


def test_slope_is_points_per_month_of_30_44_days() -> None:
    frames = _frames([("p", "2020-01-01", 40), ("p", "2020-03-02", 38), ("p", "2020-05-02", 36)])
    slopes = alsfrs_slopes(frames)
    days = (pd.Timestamp("2020-05-02") - pd.Timestamp("2020-01-01")).days
    assert slopes.loc["p", "slope"] == pytest.approx(-4 / (days / 30.44), rel=1e-3)
    assert slopes.loc["p", "n_scores"] == 3
    assert (slopes.loc["p", "first_total"], slopes.loc["p", "last_total"]) == (40, 36)


def test_a_single_score_has_no_slope() -> None:
    frames = _frames([("p", "2020-01-01", 40)])
    assert np.isnan(alsfrs_slopes(frames).loc["p", "slope"])


def test_delta_fs_from_onset_to_first_score() -> None:
    frames = _frames([("p", "2020-07-01", 42), ("p", "2020-09-01", 40)], onset="2020-01-01")
    months = (pd.Timestamp("2020-07-01") - pd.Timestamp("2020-01-01")).days / 30.44
    assert delta_fs(frames)["p"] == pytest.approx(6 / months)


def test_a_score_before_onset_never_reaches_delta_fs() -> None:
    # ΔFS counts months since onset: the registry's rules refuse a score dated before it.
    with pytest.raises(
        RegistryImportError, match=r"scores.csv:2 \[date\]: 2019-07-01 is before onset"
    ):
        _frames([("p", "2019-07-01", 42)], onset="2020-01-01")


def test_slopes_before_and_after_are_each_subjects_ols_slopes() -> None:
    frames = frames_of(**alsfrs_frames(60, seed=11, change_after_start=0.4))
    fitted = SlopeChange("ldn").fit(frames)
    result, data = fitted.result_, fitted.data_
    for sid, rows in list(data.groupby("subject_id"))[:10]:
        before, after = rows[~rows["after"]], rows[rows["after"]]
        expected_before = np.polyfit(before["months"], before["total"], 1)[0]
        expected_after = np.polyfit(after["months"], after["total"], 1)[0]
        assert result.per_subject.loc[sid, "slope_before"] == pytest.approx(expected_before)
        assert result.per_subject.loc[sid, "slope_after"] == pytest.approx(expected_after)
    assert result.slope_before == pytest.approx(result.per_subject["slope_before"].mean())
    assert result.slope_before == pytest.approx(-1.0, abs=0.15)
    assert result.slope_after - result.slope_before == pytest.approx(0.4, abs=0.2)
    assert result.n_subjects == 60


def test_before_after_is_a_description_without_p_value_interval_or_effect() -> None:
    """Finding 2: the before/after change is never shown as inference."""
    frames = frames_of(**alsfrs_frames(60, seed=5, change_after_start=0.0))
    result = SlopeChange("LDN").fit(frames).result_
    payload = result.to_dict()
    assert payload["description_only"] is True
    forbidden = {"p_value", "p", "ci_low", "ci_high", "change", "effect", "model"}
    assert not forbidden & set(payload)
    assert list(result.summary.index) == ["before_start", "after_start"]
    assert "without a p-value or an effect" in result.caveats[0]
    assert "(60 subjects, " in result.caveats[0]


def test_subjects_without_scores_on_both_sides_are_left_out_and_said_so() -> None:
    data = alsfrs_frames(10, seed=2)
    scores = data["scores"]
    start = data["treatments"].set_index("subject_id")["start_date"]["p000"]
    # p000 keeps only the scores from its start on
    data["scores"] = scores[~((scores["subject_id"] == "p000") & (scores["date"] < start))]
    result = SlopeChange("LDN").fit(frames_of(**data)).result_
    assert result.n_subjects == 9
    assert "p000" not in result.per_subject.index
    assert any("1 of 10 subjects was left out" in c for c in result.caveats)


def test_too_few_subjects_is_a_clear_error() -> None:
    frames = frames_of(**alsfrs_frames(2, seed=1))
    with pytest.raises(ValueError, match="too few subjects"):
        SlopeChange("LDN").fit(frames)
