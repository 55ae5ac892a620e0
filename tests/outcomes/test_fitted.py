"""Every estimator exposes its fitted result's table and caveats the same way (results.Fitted)."""

import pandas as pd
import pytest

from offlabel.outcomes.evaluations import EvaluationSummary
from offlabel.outcomes.matching import MatchedControls
from offlabel.outcomes.power import SlopeTrialPlanner, SurvivalTrialPlanner
from offlabel.outcomes.progression import SlopeChange
from offlabel.outcomes.simulate import simulate_registry
from offlabel.outcomes.stability import NaturalHistory
from offlabel.outcomes.survival import SurvivalAnalysis

LDN = "Low-dose naltrexone"


@pytest.fixture(scope="module")
def frames():
    return simulate_registry(n_people=400, n_dogs=200, seed=7)


@pytest.mark.parametrize(
    "estimator",
    [
        lambda f: EvaluationSummary(LDN).fit(f),
        lambda f: SlopeChange(LDN).fit(f),
        lambda f: NaturalHistory(6).fit(f),
        lambda f: SurvivalAnalysis(LDN).fit(f),
        lambda f: SlopeTrialPlanner(relative_effect=0.25).fit(f),
        lambda f: SurvivalTrialPlanner(hazard_ratio=0.7).fit(f),
        lambda f: MatchedControls(seed=1).fit(f, LDN),
    ],
    ids=[
        "evaluations",
        "slope_change",
        "stability",
        "survival",
        "slope_plan",
        "survival_plan",
        "matched",
    ],
)
def test_fitted_estimators_share_summary_and_caveats(frames, estimator):
    fitted = estimator(frames)
    assert isinstance(fitted.summary, pd.DataFrame)
    assert fitted.summary is fitted.result_.summary or fitted.summary.equals(fitted.result_.summary)
    assert fitted.caveats == fitted.result_.caveats


def test_an_unfitted_estimator_has_no_result():
    with pytest.raises(AttributeError):
        _ = NaturalHistory(6).summary
