"""Writes of the analytics app: start and execute analysis runs, freeze registry snapshots."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from offlabel.outcomes import runner
from offlabel.outcomes.runner import Analysis
from offlabel.registry.disclosure import public_summary, rule_sentence
from offlabel.registry.problems import RegistryError
from offlabel.reports.svg import Svg
from offlabel.web.accounts.models import User
from offlabel.web.analytics import presentation, selectors
from offlabel.web.analytics.models import AnalysisRun, RegistrySnapshot
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot

ANALYST_ROLES = ("reviewer", "editor")


def _check_analyst(by: User) -> None:
    if by is None or not by.is_authenticated or not by.has_any_role(*ANALYST_ROLES):
        raise PermissionDenied(_("Only reviewers and editors run analyses and freeze snapshots."))


@transaction.atomic
def analysis_run_create(
    *, topic: Any, kind: Analysis | str, params: dict[str, Any], by: User
) -> AnalysisRun:
    """Record a pending run (the task fills in the result)."""
    _check_analyst(by)
    run = AnalysisRun.objects.create(
        topic=topic,
        kind=Analysis(kind).value,
        params=params,
        created_by=by,
        registry_version=selectors.registry_fingerprint(),
    )
    audit_record(by=by, action=AuditEvent.Action.CREATE, instance=run, after=snapshot(run))
    return run


def analysis_run_execute(*, run: AnalysisRun) -> AnalysisRun:
    """Run the analysis on the current de-identified registry and store the result or error.

    The result is written in one update; a failed analysis stores its message, never a partial
    result.
    """
    species = selectors.topic_species(run.topic)
    kind = Analysis(run.kind)
    # Matched controls and slope change concern people's ALSFRS-R, survival dogs; trial
    # planning reads the topic's own species.
    fingerprint = selectors.registry_fingerprint()
    try:
        frames = selectors.registry_frames(species)
        result = runner.run(kind, frames, therapy=run.topic.therapy.name, params=dict(run.params))
    except (runner.AnalysisError, RegistryError) as error:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.FAILED,
            error=str(error),
            registry_version=fingerprint,
            finished_at=timezone.now(),
        )
    else:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.DONE,
            result=result,
            error="",
            registry_version=fingerprint,
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def snapshot_figures(topic: Any, section: str, summary: dict[str, Any]) -> dict[str, Any]:
    """The numbers a snapshot keeps for one section (plain JSON)."""
    evaluations = summary.get("evaluations", {})
    figures: dict[str, Any] = {
        "therapy": summary["therapy"],
        "species": summary["species"],
        "n_reporting": evaluations.get("n_reporting", 0),
        "n_evaluating": evaluations.get("n_evaluating", 0),
        "synthetic": summary.get("synthetic", 0),
    }
    if section == RegistrySnapshot.Section.CASES:
        figures["levels"] = evaluations.get("levels", {})
        figures["caveats"] = list(evaluations.get("caveats", []))
        if "stability" in summary:
            figures["stability_sentence"] = summary["stability"]["sentence"]
        if "survival" in summary:
            survival = summary["survival"]
            figures["survival"] = {
                key: survival.get(key)
                for key in (
                    "endpoint",
                    "groups",
                    "primary",
                    "sensitivity",
                    "competing",
                    "landmark_days",
                    "withheld",
                )
                if key in survival
            }
            figures["caveats"] += list(survival.get("caveats", []))
    else:
        figures["side_effects"] = evaluations.get("side_effects", [])
        figures["dose"] = evaluations.get("dose", [])
        figures["cost_per_month"] = evaluations.get("cost_per_month", {})
        figures["caveats"] = presentation.risk_caveats(
            int(figures["n_evaluating"]), summary["therapy"], evaluations.get("caveats", [])
        )
    return figures


@transaction.atomic
def snapshot_freeze(*, review: Any, section: str, by: User) -> RegistrySnapshot:
    """Freeze the registry's current figures for the review's topic into one section.

    Raises
    ------
    PermissionDenied
        ``by`` is not a reviewer or editor.
    ValueError
        ``section`` is not ``cases`` or ``risks``, or the registry has no report of the
        therapy.
    """
    _check_analyst(by)
    if section not in RegistrySnapshot.Section.values:
        raise ValueError(f"section must be cases or risks, got {section!r}")
    fingerprint = selectors.registry_fingerprint()
    summary = selectors.topic_summary(review.topic)
    if not summary.get("known"):
        raise ValueError(
            f"the registry has no course or evaluation of {review.topic.therapy.name} yet"
        )
    figures = snapshot_figures(review.topic, section, summary)
    frozen = RegistrySnapshot.objects.create(
        review=review,
        section=section,
        n=int(figures["n_reporting"]),
        figures=figures,
        data_date=timezone.localdate(),
        registry_version=fingerprint,
        created_by=by,
    )
    with translation.override(settings.LANGUAGE_CODE):  # stored as drawn, in English
        frozen.rendered = {name: vars(svg) for name, svg in snapshot_svgs(frozen).items()}
    frozen.save(update_fields=["rendered"])
    audit_record(
        by=by,
        action=AuditEvent.Action.CREATE,
        instance=frozen,
        after={"review": review.pk, "section": section, "n": frozen.n},
        note=f"registry snapshot frozen into v{review.version} {section}",
    )
    return frozen


def snapshot_svgs(frozen: RegistrySnapshot) -> dict[str, Svg]:
    """Draw a snapshot's figures from its stored numbers (at freezing; see ``rendered``)."""
    figures = frozen.figures
    if frozen.section != RegistrySnapshot.Section.CASES:
        return {}
    evaluations = {
        "levels": figures.get("levels", {}),
        "n_evaluating": figures.get("n_evaluating", 0),
    }
    return {
        "efficacy_svg": presentation.efficacy_figure(
            evaluations,
            key=f"snapshot-{frozen.pk}",
            therapy=figures["therapy"],
            species_word=presentation.species_word(figures["species"]),
        )
    }


def _stored_svg(frozen: RegistrySnapshot, name: str) -> Svg:
    """A figure drawn at freezing (in English); one frozen before figures were stored, or read
    in another language, is drawn from the same stored numbers once per language, cached."""
    language = get_language() or settings.LANGUAGE_CODE
    stored = frozen.rendered.get(name) if frozen.rendered else None
    if stored and language == settings.LANGUAGE_CODE:
        return Svg(**stored)
    drawn = selectors.cached(f"snapshot-svgs:{frozen.pk}:{language}", lambda: snapshot_svgs(frozen))
    svg: Svg = drawn[name]
    return svg


def snapshot_context(frozen: RegistrySnapshot, threshold: int) -> dict[str, Any]:
    """What the review shows for one frozen snapshot (drawn from the stored figures only)."""
    figures = public_summary(frozen.figures, threshold)
    context: dict[str, Any] = {
        "snapshot": frozen,
        "figures": figures,
        "min_cell": threshold,
        "small_cell_rule": rule_sentence(threshold),
        "caveats": figures.get("caveats", []),
        "section": frozen.section,
        "synthetic_note": presentation.synthetic_note(figures.get("synthetic")),
    }
    evaluations = {
        "levels": figures.get("levels", {}),
        "n_evaluating": figures.get("n_evaluating", 0),
        "side_effects": figures.get("side_effects", []),
        "dose": figures.get("dose", []),
    }
    if frozen.section == RegistrySnapshot.Section.CASES:
        context["levels"] = presentation.level_rows(evaluations)
        context["levels_shown"] = int(figures.get("n_evaluating") or 0) >= threshold
        if context["levels_shown"]:
            context["efficacy_svg"] = _stored_svg(frozen, "efficacy_svg")
        context["stability_sentence"] = figures.get("stability_sentence", "")
        if figures.get("survival"):
            context.update(
                presentation.survival_context(
                    figures["survival"],
                    key=f"snapshot-{frozen.pk}-km",
                    therapy=figures["therapy"],
                    threshold=threshold,
                )
            )
    else:
        context["side_effects"] = presentation.side_effect_rows(evaluations, threshold)
        context["doses"] = presentation.dose_rows(evaluations, threshold)
        cost = figures.get("cost_per_month") or {}
        context["cost"] = cost
        context["cost_shown"] = int(cost.get("n") or 0) >= threshold
    return context
