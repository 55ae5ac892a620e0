"""The vectorised matched-controls code agrees with the plain per-subject reference."""

from __future__ import annotations

import math

import pytest

from offlabel.outcomes.matching import MatchedControls
from offlabel.outcomes.simulate import DEFAULT_THERAPY, simulate_registry
from offlabel.testing.matching_reference import reference_matched_controls


@pytest.mark.parametrize(("seed", "effect", "k"), [(1, 0.0, 3), (2, 0.4, 2), (3, 0.0, 5)])
def test_vectorised_and_reference_give_the_same_sets_effect_and_error(seed, effect, k):
    frames = simulate_registry(n_people=700, true_effect=effect, seed=seed)
    fast = MatchedControls(k=k, seed=seed).fit(frames, DEFAULT_THERAPY).result_
    ref = reference_matched_controls(frames, DEFAULT_THERAPY, k=k, seed=seed)
    assert fast.pairs.groupby("treated_id")["control_id"].agg(list).to_dict() == ref.sets
    assert (fast.n_treated, fast.n_controls) == (ref.n_treated, ref.n_controls)
    assert math.isclose(fast.effect, ref.effect, rel_tol=1e-8, abs_tol=1e-10)
    assert math.isclose(fast.se, ref.se, rel_tol=1e-8, abs_tol=1e-10)
