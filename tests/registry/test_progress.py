"""One record's ALSFRS-R slope and ΔFS, and the possible-reversal flag (definitions as data)."""

import datetime as dt

import numpy as np
import pytest

from offlabel.registry.progress import alsfrs_progress, find_reversal
from offlabel.registry.records import ScoreRow
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ItemMissing, ScaleKey

ONSET = dt.date(2020, 1, 1)


def alsfrs(*points):
    return [ScoreRow("p", ONSET + dt.timedelta(days=d), ScaleKey.ALSFRS_R, t) for d, t in points]


def test_slope_is_numpys_least_squares_line_in_points_per_month():
    points = [(40, 44), (100, 43), (190, 39), (300, 37), (420, 30)]
    summary = alsfrs_progress(alsfrs(*points), ONSET)
    months = [(d - 40) / DAYS_PER_MONTH for d, _ in points]
    expected = np.polyfit(months, [t for _, t in points], 1)[0]
    assert summary.slope == pytest.approx(expected)
    assert summary.n_scores == 5 and "5 complete ALSFRS-R totals" in summary.slope_text
    assert "a decline" in summary.slope_text


def test_delta_fs_is_points_lost_per_month_from_onset_to_the_first_score():
    summary = alsfrs_progress(alsfrs((182, 43), (300, 40)), ONSET)
    assert summary.delta_fs == pytest.approx(5 / (182 / DAYS_PER_MONTH))
    assert summary.band is not None and summary.band.name == "intermediate"
    assert "(48 − 43) ÷ 6.0 = 0.84" in summary.delta_fs_text
    assert "Labra" in summary.source


@pytest.mark.parametrize(("first", "band"), [(46, "slower"), (44, "intermediate"), (30, "faster")])
def test_delta_fs_bands(first, band):
    assert alsfrs_progress(alsfrs((240, first)), ONSET).band.name == band


def test_incomplete_assessments_and_too_few_scores_give_no_figures():
    incomplete = ScoreRow("p", ONSET + dt.timedelta(days=90), ScaleKey.ALSFRS_R, None,
                          (("1", ItemMissing.UNKNOWN),))  # fmt: skip
    summary = alsfrs_progress([incomplete, *alsfrs((120, 40))], ONSET)
    assert summary.n_scores == 1 and summary.slope is None and summary.slope_text == ""
    empty = alsfrs_progress([], ONSET)
    assert empty.delta_fs is None and empty.delta_fs_text == ""


def test_a_rise_of_four_points_sustained_twelve_months_is_a_possible_reversal():
    finding = find_reversal(alsfrs((0, 30), (90, 31), (180, 35), (400, 36), (560, 35)))
    assert finding is not None
    assert (finding.low, finding.high, finding.scale) == (30, 35, ScaleKey.ALSFRS_R)
    assert "rose from 30" in finding.text and "stayed at 35 or more" in finding.text
    assert finding.as_dict()["high_date"] == "2020-06-29"


@pytest.mark.parametrize(
    "points",
    [
        [(0, 30), (180, 35), (300, 36)],  # sustained only 4 months
        [(0, 30), (180, 35), (400, 33), (600, 36)],  # fell back below 34 in between
        [(0, 30), (180, 33), (600, 33)],  # a rise of 3
    ],
)
def test_short_lived_or_small_rises_are_not_flagged(points):
    assert find_reversal(alsfrs(*points)) is None


def test_a_dog_walking_again_after_a_non_walking_gait_score_is_flagged():
    gait = [
        ScoreRow("d", dt.date(2024, 1, 1), ScaleKey.DM_GAIT, 5),
        ScoreRow("d", dt.date(2024, 4, 1), ScaleKey.DM_GAIT, 3),
        ScoreRow("d", dt.date(2024, 7, 1), ScaleKey.DM_GAIT, 4),
    ]
    finding = find_reversal(gait)
    assert finding is not None and (finding.low, finding.high) == (3, 4)
    assert "walking unaided again" in finding.text
    assert find_reversal(gait[:2]) is None
