"""Views of the analytics app: reviewers' analysis page and runs, and one's own trajectory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.runner import LABELS, Analysis
from offlabel.reports import charts
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.analytics import presentation, selectors, services, tasks
from offlabel.web.analytics.forms import FORMS, FreezeForm
from offlabel.web.analytics.models import AnalysisRun
from offlabel.web.common.selectors import min_cell

ANALYSTS = ("reviewer", "editor")


def _topic(slug: str) -> Any:
    from offlabel.web.catalog.models import Topic
    from offlabel.web.catalog.selectors import topic_by_slug

    try:
        return topic_by_slug(slug)
    except Topic.DoesNotExist:
        raise Http404(_("No such topic.")) from None


def _kinds_for(topic: Any) -> list[Analysis]:
    if selectors.topic_species(topic) is TargetSpecies.DOG:
        return [Analysis.SURVIVAL, Analysis.POWER]
    return [Analysis.MATCHED, Analysis.SLOPE_CHANGE, Analysis.POWER]


def _initial_power(topic: Any) -> dict[str, Any]:
    dog = selectors.topic_species(topic) is TargetSpecies.DOG
    return {"outcome": "survival" if dog else "slope"}


@role_required(*ANALYSTS)
def index(request: HttpRequest) -> HttpResponse:
    from offlabel.web.catalog.selectors import topic_list

    return render(request, "analytics/index.html", {"topics": topic_list()})


@role_required(*ANALYSTS)
def analysis_page(request: HttpRequest, topic_slug: str) -> HttpResponse:
    topic = _topic(topic_slug)
    return _render_analysis(request, topic, {})


def _render_analysis(
    request: HttpRequest, topic: Any, bound: dict[Analysis, Any], status: int = 200
) -> HttpResponse:
    forms = []
    for kind in _kinds_for(topic):
        form = bound.get(kind) or FORMS[kind](
            initial=_initial_power(topic) if kind is Analysis.POWER else None,
            prefix=kind.value,
        )
        forms.append({"kind": kind.value, "label": gettext(LABELS[kind]), "form": form})
    context = {
        "topic": topic,
        "forms": forms,
        "runs": selectors.runs_recent(topic),
        "review": selectors.review_freezable(topic),
        "freeze_form": FreezeForm(),
    }
    return render(request, "analytics/analysis.html", context, status=status)


@require_POST
@role_required(*ANALYSTS)
def run_start(request: HttpRequest, topic_slug: str, kind: str) -> HttpResponse:
    topic = _topic(topic_slug)
    try:
        chosen = Analysis(kind)
    except ValueError:
        raise Http404(_("No such analysis.")) from None
    if chosen not in _kinds_for(topic):
        raise Http404(_("This analysis does not apply to this topic."))
    form = FORMS[chosen](request.POST, prefix=chosen.value)
    if not form.is_valid():
        return _render_analysis(request, topic, {chosen: form}, status=400)
    run = tasks.analysis_run_start(
        topic=topic,
        kind=chosen,
        params=form.params(),  # type: ignore[attr-defined]
        by=signed_in_user(request),
    )
    return redirect(run)


@role_required(*ANALYSTS)
def run_detail(request: HttpRequest, topic_slug: str, pk: int) -> HttpResponse:
    topic = _topic(topic_slug)
    try:
        run = selectors.run_for_topic(topic, pk)
    except AnalysisRun.DoesNotExist:
        raise Http404(_("No such run.")) from None
    context: dict[str, Any] = {"topic": topic, "run": run, "result": run.result or {}}
    result = run.result or {}
    key = f"run-{run.pk}"
    if run.status == AnalysisRun.Status.DONE:
        if run.kind == Analysis.MATCHED and result.get("pairs"):
            context["pair_svg"] = charts.matched_pair_chart(
                [tuple(p) for p in result["pairs"]],
                key=key,
                title=gettext("Treated vs matched controls: ALSFRS-R slope"),
                effect=float(result["effect"]),
                words=gettext,
            )
        if run.kind == Analysis.SURVIVAL:
            context.update(
                presentation.survival_context(result, key=key, therapy=topic.therapy.name)
            )
    return render(request, "analytics/run.html", context)


@require_POST
@role_required(*ANALYSTS)
def freeze(request: HttpRequest, topic_slug: str) -> HttpResponse:
    topic = _topic(topic_slug)
    review = selectors.review_freezable(topic)
    form = FreezeForm(request.POST)
    if review is None or not form.is_valid():
        messages.error(request, _("There is no review of this topic to freeze figures into."))
        return redirect("analytics:topic", topic_slug=topic.slug)
    section = form.cleaned_data["section"]
    try:
        services.snapshot_freeze(review=review, section=section, by=signed_in_user(request))
    except ValueError as error:
        messages.error(request, _("Nothing frozen: %(error)s.") % {"error": error})
        return redirect("analytics:topic", topic_slug=topic.slug)
    except PermissionDenied:
        raise
    messages.success(
        request,
        _("Registry figures frozen into version %(version)s, section %(section)s.")
        % {"version": review.version, "section": section},
    )
    return redirect(f"{review.get_absolute_url()}#{section}")


@login_required
def my_trajectory(request: HttpRequest, public_id: str) -> HttpResponse:
    """One's own (or a shared subject's) scores against the range of similar subjects."""
    from offlabel.web.registry.selectors import scores_of, subject_for

    subject = subject_for(request.user, public_id)  # 404 for anyone else's record
    species = subject.species
    population = selectors.population_band(species, selectors.registry_version())
    scale = "dm_gait" if species is TargetSpecies.DOG else "alsfrs_r"
    own = [
        ((score.date - subject.onset_date).days / 30.44, float(score.total))
        for score in scores_of(subject)
        if score.scale == scale and score.total is not None  # an incomplete ALSFRS-R has none
    ]
    dog = species is TargetSpecies.DOG
    word = gettext("dogs with DM") if dog else gettext("people with ALS")
    record = subject.label_for(request.user)  # a clinician never sees "My record"
    band = charts.Band(**population["band"])
    scale_label = presentation.scale_words(population["scale_label"])
    figure = charts.trajectory_chart(
        {gettext("registered %(who)s") % {"who": word}: band},
        key=f"me-{subject.public_id}",
        title=gettext("%(record)s: %(scale)s against other %(who)s")
        % {"record": record, "scale": scale_label.split(" (")[0], "who": word},
        y_label=scale_label,
        y_max=float(population["y_max"]),
        own=own,
        own_label=str(record),
        words=gettext,
    )
    n_subjects = int(population["n_subjects"])
    context = {
        "subject": subject,
        "record_title": record,
        "figure": figure,
        "own": own,
        "band_rows": [
            {
                "months": band.months[i],
                "low": band.low[i],
                "median": band.median[i],
                "high": band.high[i],
                "n": band.n[i],
            }
            for i in range(len(band.months))
        ],
        "n_subjects": population["n_subjects"],
        "word": word,
        "min_cell": min_cell(),
        "caveats": [
            (
                ngettext(
                    "The range comes from the %(n)d dog with DM whose people chose to join the "
                    "registry and enter scores themselves; it describes them, it does not "
                    "predict one course.",
                    "The range comes from the %(n)d dogs with DM whose people chose to join the "
                    "registry and enter scores themselves; it describes them, it does not "
                    "predict one course.",
                    n_subjects,
                )
                if dog
                else ngettext(
                    "The range comes from the %(n)d person with ALS who chose to join the "
                    "registry and enter scores themselves; it describes them, it does not "
                    "predict one course.",
                    "The range comes from the %(n)d people with ALS who chose to join the "
                    "registry and enter scores themselves; it describes them, it does not "
                    "predict one course.",
                    n_subjects,
                )
            )
            % {"n": n_subjects},
            gettext(
                "Courses differ a great deal: being above or below the band does not show that a "
                "treatment works or fails."
            ),
            gettext(
                "Months since onset with fewer than %(n)d subjects are left out of the band so "
                "that no one can be recognised."
            )
            % {"n": min_cell()},
        ],
    }
    return render(request, "analytics/me.html", context)
