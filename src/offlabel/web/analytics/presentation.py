"""From analysis data to what a template shows: tables, figures, caveats, small-cell suppression.

**Small-cell suppression** (public pages and frozen snapshots): a count of people below
``settings.OFFLABEL_MIN_CELL`` (default 5) in a breakdown is shown as "<5" (the threshold):

* side effects: each side effect's count;
* dose and cost: a range (its minimum and maximum are single people's values) is shown only
  when at least the threshold of courses report it;
* trajectory bands: a bin of months since onset is drawn only when at least the threshold of
  subjects have a score in it;
* the efficacy levels are the analysis' result and are shown in full, but only when at least the
  threshold of subjects rated the therapy (otherwise the whole table is withheld).

Reviewers' pages (signed-in reviewers and editors, who may see de-identified data) show exact
counts.
"""

from __future__ import annotations

from typing import Any

from offlabel.outcomes.stability import stabilisation_sentence
from offlabel.registry.disclosure import public_summary, public_survival, rule_sentence
from offlabel.registry.disclosure import suppressed as suppressed
from offlabel.reports import charts
from offlabel.reports.svg import Svg

EVENT_WORDS = {
    "non_ambulatory": "non-ambulatory",
    "thoracic_limbs": "affecting the front legs",
    "euthanasia": "euthanised",
    "death": "dead",
    "euthanasia_or_death": "euthanised or dead",
}
LEVEL_ORDER = ("none", "slight", "moderate", "major", "cant_tell")


def p_text(p: float | None) -> str:
    """A p-value as a reader expects it: "p = 0.032", "p < 0.001", or "not computed"."""
    if p is None:
        return "not computed"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def level_rows(evaluations: dict[str, Any]) -> list[dict[str, Any]]:
    levels = evaluations.get("levels", {})
    return [
        {"label": name, "name": charts.LEVEL_LABELS[name], **levels[name]}
        for name in LEVEL_ORDER
        if name in levels
    ]


def efficacy_figure(
    evaluations: dict[str, Any], *, key: str, therapy: str, species_word: str
) -> Svg:
    return charts.efficacy_chart(
        [row for row in level_rows(evaluations) if not row.get("suppressed")],
        key=key,
        title=f"How {therapy} was rated by {species_word}",
        n_evaluating=int(evaluations.get("n_evaluating") or 0),
    )


def side_effect_rows(evaluations: dict[str, Any], threshold: int | None) -> list[dict[str, Any]]:
    rows = []
    for item in evaluations.get("side_effects", []):
        n = int(item["n"])
        rows.append(
            {
                "name": item["name"],
                "n": n,
                "shown": str(n) if threshold is None else suppressed(n, threshold),
            }
        )
    return rows


def dose_rows(evaluations: dict[str, Any], threshold: int | None) -> list[dict[str, Any]]:
    return [
        {**dose, "hidden": threshold is not None and int(dose["n"]) < threshold}
        for dose in evaluations.get("dose", [])
    ]


def species_word(species: str) -> str:
    return "owners of dogs with DM" if species == "dog" else "people with ALS"


def trajectory_caveats(trajectories: dict[str, Any], therapy: str, threshold: int) -> list[str]:
    return [
        f"Scores are self-reported by the {trajectories['n_subjects']} subjects who chose to join "
        f"the registry ({trajectories['n_scores']} scores) and are not blinded.",
        f"Those who took {therapy} chose to, often after a faster decline (confounding by "
        "indication): a difference between the bands is not an effect of the therapy.",
        "Each band shows where the middle 80% of subjects' scores lay (10th to 90th "
        "percentile), the line the median, in bins of 3 months since onset; bins with fewer "
        f"than {threshold} subjects are left out.",
    ]


def risk_caveats(n_evaluating: int, therapy: str, evaluation_caveats: list[str]) -> list[str]:
    """Caveats for side effects, dose and cost."""
    return [
        f"Side effects are as reported by the {n_evaluating} subjects who rated {therapy}; "
        "reports are unverified and without a comparison group, so a side effect listed here "
        "was not shown to be caused by the therapy, and rare harms may be missing.",
        *[c for c in evaluation_caveats if c.startswith("Self-selected")],
    ]


def band_table(trajectories: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for label, band in trajectories["groups"].items():
        for i, month in enumerate(band["months"]):
            rows.append(
                {
                    "group": label,
                    "months": month,
                    "n": band["n"][i],
                    "low": band["low"][i],
                    "median": band["median"][i],
                    "high": band["high"][i],
                }
            )
    return rows


def panel_context(summary: dict[str, Any], *, key: str, threshold: int) -> dict[str, Any]:
    """The public topic panel (everything here may be cached and shown to anyone)."""
    summary = public_summary(summary, threshold)
    therapy, species = summary["therapy"], summary["species"]
    context: dict[str, Any] = {
        "therapy": therapy,
        "species": species,
        "known": summary.get("known", False),
        "error": summary.get("error", False),
        "key": key,
        "min_cell": threshold,
        "small_cell_rule": rule_sentence(threshold),
        "stability_sentence": stabilisation_sentence(6) if species == "human" else "",
        "synthetic_note": synthetic_note(summary.get("synthetic")),
    }
    if not context["known"]:
        return context
    evaluations = summary["evaluations"]
    n_eval = int(evaluations["n_evaluating"])
    context.update(
        {
            "n_reporting": evaluations["n_reporting"],
            "n_evaluating": n_eval,
            "levels_shown": n_eval >= threshold,
            "levels": level_rows(evaluations),
            "evaluation_caveats": evaluations["caveats"],
            "side_effects": side_effect_rows(evaluations, threshold),
            "doses": dose_rows(evaluations, threshold),
            "cost": evaluations["cost_per_month"],
            "cost_shown": _cost_n(summary) >= threshold,
            "risk_caveats": risk_caveats(n_eval, therapy, evaluations["caveats"]),
        }
    )
    if context["levels_shown"]:
        context["efficacy_svg"] = efficacy_figure(
            evaluations, key=f"{key}-efficacy", therapy=therapy, species_word=species_word(species)
        )
    if "stability" in summary:
        context["stability_sentence"] = summary["stability"]["sentence"]
    trajectories = summary["trajectories"]
    if any(band["months"] for band in trajectories["groups"].values()):
        context["trajectory_svg"] = charts.trajectory_chart(
            {label: charts.Band(**band) for label, band in trajectories["groups"].items()},
            key=f"{key}-trajectories",
            title=f"{trajectories['scale_label'].split(' (')[0]} by months since onset",
            y_label=trajectories["scale_label"],
            y_max=float(trajectories["y_max"]),
        )
        context["trajectory_rows"] = band_table(trajectories)
    context["trajectory_caveats"] = trajectory_caveats(trajectories, therapy, threshold)
    if "survival" in summary:
        context.update(
            survival_context(
                summary["survival"], key=f"{key}-km", therapy=therapy, threshold=threshold
            )
        )
    context["survival_error"] = summary.get("survival_error", "")
    return context


def synthetic_note(n_synthetic: int | None) -> str:
    """The sentence every page or export showing synthetic registry figures carries."""
    if not n_synthetic:
        return ""
    return (
        f"Synthetic data: {n_synthetic} of the registry's subjects are simulated demo records, "
        "not real patients or dogs; the figures here describe that simulation, not any "
        "treatment."
    )


def _cost_n(summary: dict[str, Any]) -> int:
    """Courses with a reported cost (0 when none)."""
    cost = summary["evaluations"].get("cost_per_month") or {}
    return int(cost.get("n") or 0)


def effect_text(effect: dict[str, Any] | None) -> str:
    """A hazard ratio line: "hazard ratio 0.92 (95% CI 0.61–1.38), p = 0.690"."""
    if not effect:
        return ""
    return (
        f"hazard ratio {effect['hr']:.2f} (95% CI {effect['ci_low']:.2f}–"
        f"{effect['ci_high']:.2f}), {p_text(effect.get('p'))}"
    )


def survival_context(
    survival: dict[str, Any], *, key: str, therapy: str, threshold: int | None = None
) -> dict[str, Any]:
    """The survival block: primary result first; the ever/never curves as description only.

    Under the small-cell rule with a ``threshold`` (public pages), exact without (reviewers'
    analysis runs).
    """
    if threshold is not None:
        survival = public_survival(survival, threshold)
    event = EVENT_WORDS.get(str(survival.get("endpoint")), str(survival.get("endpoint")))
    groups = [
        {"name": name, **values}
        for name, values in (survival.get("groups") or {}).items()
        if name in ("treated", "untreated")
    ]
    primary = survival.get("primary")
    sensitivity = survival.get("sensitivity")
    out: dict[str, Any] = {
        "survival": survival,
        "survival_groups": groups,
        "survival_event": event,
        "survival_caveats": survival.get("caveats", []),
        "survival_primary": primary,
        "survival_primary_text": effect_text(primary),
        "survival_sensitivity": sensitivity,
        "survival_sensitivity_text": effect_text(sensitivity),
    }
    risk = survival.get("risk_table") or {}
    if risk and not survival.get("withheld"):
        months = sorted({int(m) for row in risk.values() for m in row.get("months") or []})
        out["km_risk_months"] = months
        out["km_risk_rows"] = [
            {
                "name": name,
                "cells": [
                    dict(zip(row.get("months") or [], row.get("at_risk") or [], strict=False)).get(
                        m, "–"
                    )
                    for m in months
                ],
            }
            for name, row in risk.items()
            if name in ("treated", "untreated")
        ]
    if survival.get("curves") and not survival.get("withheld"):
        out["km_svg"] = charts.km_chart(
            survival["curves"],
            key=key,
            title=f"Time from onset to {event}: dogs ever on {therapy} and never (description)",
            event=event,
        )
    return out
