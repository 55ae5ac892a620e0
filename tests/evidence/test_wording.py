"""Templates of the core read back from the sentences they wrote (what the web translates)."""

from __future__ import annotations

import pytest

from offlabel.evidence.wording import fill, parse
from offlabel.outcomes.caveats import CAVEAT_TEMPLATES, CaveatKind, caveat, placeholders

#: A value for every placeholder any caveat needs (words kept free of the template's own text).
_VALUES: dict[str, object] = {
    "n": 7,
    "n_evaluating": 14,
    "n_reporting": 48,
    "therapy": "Low-dose naltrexone",
    "pct": 29.0,
    "n_benefit": 10,
    "pct_benefit": 71.4,
    "unit": "evaluator",
    "width": 45.2,
    "step": 7.1,
    "n_treated": 75,
    "n_untreated": 127,
    "median_days": 58.0,
    "landmark_days": 180,
    "n_at_risk": 135,
    "n_late": 1,
    "n_multiple": 5,
    "n_benefit_latest": 8,
    "pct_latest": 57.1,
    "n_excluded": 1,
    "n_total": 203,
    "reason": "no follow-up after onset",
    "n_stable": 33,
    "ci_low": 17.0,
    "ci_high": 30.0,
    "months": 6,
    "max_months": 9,
    "reference_pct": 25.0,
    "model": "Cox model",
    "what": "SD of slopes",
    "n_subjects": 12,
    "n_scores": 40,
    "n_competing": 24,
    "endpoint": "non-ambulatory",
    "pct_aj": 39.0,
    "days": 365,
    "pct_km": 43.0,
    "n_lost": 2,
    "n_started": 1,
}


@pytest.mark.parametrize("kind", list(CaveatKind))
def test_every_caveat_reads_back_into_the_numbers_that_wrote_it(kind: CaveatKind) -> None:
    values = {name: _VALUES[name] for name in placeholders(kind)}
    written = caveat(kind, **values)
    read = parse(CAVEAT_TEMPLATES[kind], written)
    assert read is not None, written
    # Refilled from what was read, the sentence is the same sentence.
    assert fill(CAVEAT_TEMPLATES[kind], read) == written


def test_a_word_in_a_count_comes_back_singular() -> None:
    template = "Small: with {n:count:{unit}}, wide."
    assert parse(template, "Small: with 3 evaluators, wide.") == {"n": 3, "unit": "evaluator"}
    assert parse(template, "Small: with 1 evaluator, wide.") == {"n": 1, "unit": "evaluator"}


def test_a_sentence_no_template_wrote_reads_as_none() -> None:
    assert parse(CAVEAT_TEMPLATES[CaveatKind.UNBLINDED], "Something else entirely.") is None


def test_irregular_and_spanish_plurals_come_from_the_one_formatter() -> None:
    assert fill("{n:count:persona|personas}", {"n": 1}) == "1 persona"
    assert fill("{n:count:evaluador|evaluadores}", {"n": 2}) == "2 evaluadores"
    assert fill("{n:word:quedó|quedaron}", {"n": 2}) == "quedaron"
