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

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from offlabel.outcomes.stability import stabilisation_sentence
from offlabel.registry.disclosure import public_summary, public_survival, rule_sentence
from offlabel.registry.disclosure import suppressed as suppressed
from offlabel.reports import charts
from offlabel.reports.svg import Svg
from offlabel.web.common.wording import sentence

EVENT_WORDS = {
    "non_ambulatory": _("non-ambulatory"),
    "thoracic_limbs": _("affecting the front legs"),
    "euthanasia": _("euthanised"),
    "death": _("dead"),
    "euthanasia_or_death": _("euthanised or dead"),
}
LEVEL_ORDER = ("none", "slight", "moderate", "major", "cant_tell")


def p_text(p: float | None) -> str:
    """A p-value as a reader expects it: "p = 0.032", "p < 0.001", or "not computed"."""
    if p is None:
        return gettext("not computed")
    # Rounded as before (str.format), then written with the reader's decimal separator.
    return "p < " + number_format("0.001") if p < 0.001 else "p = " + number_format(f"{p:.3f}")


def scale_words(label: str) -> str:
    """A scale's label ("Pelvic-limb gait score (0–6, 6 = normal)") in the reader's language."""
    return gettext(label)


def level_rows(evaluations: dict[str, Any]) -> list[dict[str, Any]]:
    levels = evaluations.get("levels", {})
    return [
        {"label": name, "name": gettext(charts.LEVEL_LABELS[name]), **levels[name]}
        for name in LEVEL_ORDER
        if name in levels
    ]


def efficacy_figure(
    evaluations: dict[str, Any], *, key: str, therapy: str, species_word: str
) -> Svg:
    return charts.efficacy_chart(
        [row for row in level_rows(evaluations) if not row.get("suppressed")],
        key=key,
        title=gettext("How %(therapy)s was rated by %(who)s")
        % {"therapy": therapy, "who": species_word},
        n_evaluating=int(evaluations.get("n_evaluating") or 0),
        words=gettext,
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
    return gettext("owners of dogs with DM") if species == "dog" else gettext("people with ALS")


def trajectory_caveats(trajectories: dict[str, Any], therapy: str, threshold: int) -> list[str]:
    n_subjects, n_scores = int(trajectories["n_subjects"]), int(trajectories["n_scores"])
    return [
        ngettext(
            "Scores are self-reported by the %(n)d subject who chose to join the registry "
            "(%(scores)s) and are not blinded.",
            "Scores are self-reported by the %(n)d subjects who chose to join the registry "
            "(%(scores)s) and are not blinded.",
            n_subjects,
        )
        % {
            "n": n_subjects,
            "scores": ngettext("%(n)d score", "%(n)d scores", n_scores) % {"n": n_scores},
        },
        gettext(
            "Those who took %(therapy)s chose to, often after a faster decline (confounding by "
            "indication): a difference between the bands is not an effect of the therapy."
        )
        % {"therapy": therapy},
        gettext(
            "Each band shows where the middle 80%% of subjects' scores lay (10th to 90th "
            "percentile), the line the median, in bins of 3 months since onset; bins with fewer "
            "than %(threshold)d subjects are left out."
        )
        % {"threshold": threshold},
    ]


def risk_caveats(n_evaluating: int, therapy: str, evaluation_caveats: list[str]) -> list[str]:
    """Caveats for side effects, dose and cost."""
    return [
        ngettext(
            "Side effects are as reported by the %(n)d subject who rated %(therapy)s; reports "
            "are unverified and without a comparison group, so a side effect listed here was not "
            "shown to be caused by the therapy, and rare harms may be missing.",
            "Side effects are as reported by the %(n)d subjects who rated %(therapy)s; reports "
            "are unverified and without a comparison group, so a side effect listed here was not "
            "shown to be caused by the therapy, and rare harms may be missing.",
            n_evaluating,
        )
        % {"n": n_evaluating, "therapy": therapy},
        *[c for c in evaluation_caveats if c.startswith("Self-selected")],
    ]


def band_table(trajectories: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for label, band in trajectories["groups"].items():
        for i, month in enumerate(band["months"]):
            rows.append(
                {
                    "group": sentence(label),
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
            {
                sentence(label): charts.Band(**band)
                for label, band in trajectories["groups"].items()
            },
            key=f"{key}-trajectories",
            title=gettext("%(scale)s by months since onset")
            % {"scale": scale_words(trajectories["scale_label"]).split(" (")[0]},
            y_label=scale_words(trajectories["scale_label"]),
            y_max=float(trajectories["y_max"]),
            words=gettext,
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
    return gettext(
        "Synthetic data: %(n)d of the registry's subjects are simulated demo records, not real "
        "patients or dogs; the figures here describe that simulation, not any treatment."
    ) % {"n": n_synthetic}


def _cost_n(summary: dict[str, Any]) -> int:
    """Courses with a reported cost (0 when none)."""
    cost = summary["evaluations"].get("cost_per_month") or {}
    return int(cost.get("n") or 0)


def effect_text(effect: dict[str, Any] | None) -> str:
    """A hazard ratio line: "hazard ratio 0.92 (95% CI 0.61–1.38), p = 0.690"."""
    if not effect:
        return ""
    return gettext("hazard ratio %(hr)s (95%% CI %(low)s–%(high)s), %(p)s") % {
        "hr": number_format(f"{effect['hr']:.2f}"),
        "low": number_format(f"{effect['ci_low']:.2f}"),
        "high": number_format(f"{effect['ci_high']:.2f}"),
        "p": p_text(effect.get("p")),
    }


def survival_context(
    survival: dict[str, Any], *, key: str, therapy: str, threshold: int | None = None
) -> dict[str, Any]:
    """The survival block: primary result first; the ever/never curves as description only.

    Under the small-cell rule with a ``threshold`` (public pages), exact without (reviewers'
    analysis runs).
    """
    if threshold is not None:
        survival = public_survival(survival, threshold)
    event = str(EVENT_WORDS.get(str(survival.get("endpoint")), str(survival.get("endpoint"))))
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
            title=gettext(
                "Time from onset to %(event)s: dogs ever on %(therapy)s and never (description)"
            )
            % {"event": event, "therapy": therapy},
            event=event,
            words=gettext,
        )
    return out
