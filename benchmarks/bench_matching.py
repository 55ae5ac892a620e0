"""Matched controls at registry scale, and against a plain per-subject reference.

1. ``MatchedControls`` on a simulated registry of 100,000 people with about 12 ALSFRS-R scores
   each (target: under 30 s on the project machine).
2. The same analysis on 5,000 people by the plain reference
   (:mod:`offlabel.testing.matching_reference`), checking that both give the same matched
   sets, effect and standard error, and printing the speed ratio.

``tests/outcomes/test_matching_reference.py`` runs the agreement check on a small registry.
"""

from __future__ import annotations

import math
import time

from offlabel.outcomes.matching import MatchedControls
from offlabel.outcomes.simulate import simulate_registry
from offlabel.testing.matching_reference import reference_matched_controls

THERAPY = "Low-dose naltrexone"


def main() -> None:
    started = time.perf_counter()
    big = simulate_registry(n_people=100_000, visit_months=(1.0, 2.0), seed=42)
    simulated = time.perf_counter() - started
    n_scores = len(big.scores)
    print(
        f"simulated 100,000 people, {n_scores:,} ALSFRS-R scores "
        f"({n_scores / 100_000:.1f} per person) in {simulated:.1f} s"
    )
    started = time.perf_counter()
    fitted = MatchedControls(k=3, seed=1).fit(big, THERAPY).result_
    elapsed = time.perf_counter() - started
    print(
        f"matched controls, 100,000 people: {elapsed:.1f} s (target < 30 s); "
        f"{fitted.n_treated:,} treated, {fitted.n_controls:,} controls, "
        f"effect {fitted.effect:+.3f} (95% CI {fitted.ci_low:+.3f} to {fitted.ci_high:+.3f}; "
        "true effect 0)"
    )

    small = simulate_registry(n_people=5_000, seed=7)
    started = time.perf_counter()
    fast = MatchedControls(k=3, seed=1).fit(small, THERAPY).result_
    t_fast = time.perf_counter() - started
    started = time.perf_counter()
    ref = reference_matched_controls(small, THERAPY, k=3, seed=1)
    t_ref = time.perf_counter() - started
    fast_sets = fast.pairs.groupby("treated_id")["control_id"].agg(list).to_dict()
    assert fast.n_treated == ref.n_treated and fast.n_controls == ref.n_controls
    assert fast_sets == ref.sets, "matched sets differ from the reference"
    assert math.isclose(fast.effect, ref.effect, rel_tol=1e-8, abs_tol=1e-10)
    assert math.isclose(fast.se, ref.se, rel_tol=1e-8, abs_tol=1e-10)
    print(
        f"5,000 people: vectorised {t_fast:.2f} s, plain reference {t_ref:.2f} s, "
        f"ratio {t_ref / t_fast:.0f}x; same {ref.n_treated} matched sets, "
        f"effect {ref.effect:+.4f}, SE {ref.se:.4f} in both"
    )


if __name__ == "__main__":
    main()
