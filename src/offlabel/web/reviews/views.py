"""Views of the reviews app: public pages, exports, and the reviewer workspace."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offlabel.evidence.vocabulary import Category
from offlabel.reports.readability import (
    TARGET_EASE_ES,
    TARGET_GRADE,
    reading_level,
    spanish_reading_ease,
)
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.common.caching import public_page
from offlabel.web.common.extensions import (
    review_actions_for,
    review_section_extras_for,
    review_workspace_panels_for,
)
from offlabel.web.common.selectors import audit_for_object
from offlabel.web.reviews import exports, selectors, services
from offlabel.web.reviews.forms import (
    ConflictForm,
    EvidenceItemForm,
    NewVersionForm,
    ReviewForm,
    ReviewIndexFilterForm,
    StartReviewForm,
    VoteForm,
)
from offlabel.web.reviews.models import EvidenceItem, Review
from offlabel.web.reviews.translations import (
    review_translation_for,
    review_translation_save,
    translated_text,
)

REVIEW_ROLES = (Role.REVIEWER, Role.EDITOR)
WATCH_FLAGS_TEMPLATE = "literature/_watch_flags.html"


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# -- public pages ------------------------------------------------------------------------------


@public_page
def index(request: HttpRequest) -> HttpResponse:
    form = ReviewIndexFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    reviews = list(selectors.reviews_published(**filters))
    rows = [(review, selectors.review_grade_rows(review)) for review in reviews]
    return render(
        request,
        "reviews/index.html",
        {"form": form, "rows": rows, "categories": list(Category), "filtered": bool(filters)},
    )


def rubric(request: HttpRequest) -> HttpResponse:
    from offlabel.evidence.rubric import default_rubric

    the_rubric = default_rubric()
    return render(
        request,
        "reviews/rubric.html",
        {"rubric": the_rubric, "table": selectors.rubric_table(the_rubric)},
    )


def _render_review(request: HttpRequest, review: Review) -> HttpResponse:
    translation = review_translation_for(review, get_language())
    sections = selectors.review_sections(review, translation)
    for section in sections:
        section.extras = review_section_extras_for(
            request, review, section.category or section.name
        )
    citations = selectors.review_citations(review)
    context = {
        "review": review,
        "translation": translation,
        "title": translated_text(review, translation, "title") or review.display_title,
        "plain_summary": translated_text(review, translation, "plain_summary"),
        "grades": selectors.review_grade_rows(review),
        "sections": sections,
        "citations": citations,
        "cited": {c.number for c in citations},
        "conflicts": selectors.review_conflicts(review),
        "actions": review_actions_for(request, review),
        "history": selectors.review_history(review, request.user),
        "formats": exports.FORMATS,
        "can_review": selectors.user_sees_unpublished(request.user),
    }
    return render(request, "reviews/review.html", context)


@public_page
def review_latest(request: HttpRequest, topic_slug: str) -> HttpResponse:
    try:
        review = selectors.review_for_page(topic_slug, None, request.user)
    except Review.DoesNotExist:
        raise Http404(_("No published review of this topic.")) from None
    return _render_review(request, review)


@public_page
def review_version(request: HttpRequest, topic_slug: str, version: int) -> HttpResponse:
    try:
        review = selectors.review_for_page(topic_slug, version, request.user)
    except Review.DoesNotExist:
        raise Http404(_("No such version.")) from None
    return _render_review(request, review)


@public_page
def review_export(request: HttpRequest, topic_slug: str, version: int, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404(_("Unknown format."))
    try:
        review = selectors.review_for_page(topic_slug, version, request.user)
    except Review.DoesNotExist:
        raise Http404(_("No such version.")) from None
    response = HttpResponse(
        exports.review_export(review, fmt), content_type=exports.CONTENT_TYPES[fmt]
    )
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{exports.export_filename(review, fmt)}"'
    )
    return response


@public_page
def review_diff(request: HttpRequest, topic_slug: str, a: int, b: int) -> HttpResponse:
    """Two versions compared: grades and evidence per category, a word-level text diff."""
    from offlabel.web.reviews.compare import comparison_context

    try:
        old = selectors.review_for_page(topic_slug, a, request.user)
        new = selectors.review_for_page(topic_slug, b, request.user)
    except Review.DoesNotExist:
        raise Http404(_("No such version.")) from None
    return render(request, "reviews/diff.html", comparison_context(old, new))


# -- reviewer workspace ------------------------------------------------------------------------


@role_required(*REVIEW_ROLES)
def workspace(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = StartReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create_draft(topic=form.cleaned_data["topic"], by=user)
        except ValidationError as exc:
            for message in _messages_of(exc):
                form.add_error("topic", message)
        else:
            messages.success(
                request, _("Draft version %(version)s started.") % {"version": review.version}
            )
            return redirect(review.get_workspace_url())
    published = selectors.reviews_published()
    return render(
        request,
        "reviews/workspace.html",
        {
            "form": form,
            "open_reviews": selectors.reviews_in_workspace(),
            "published": published,
            "new_version_form": NewVersionForm(),
        },
    )


def _open_review(pk: int) -> Review:
    return get_object_or_404(
        Review.objects.select_related("topic__therapy", "topic__condition"), pk=pk
    )


def _watch_flags_available() -> bool:
    try:
        select_template([WATCH_FLAGS_TEMPLATE])
    except TemplateDoesNotExist:
        return False
    return True


def _workspace_page(
    request: HttpRequest,
    review: Review,
    *,
    edit_form: ReviewForm | None = None,
    vote_form: VoteForm | None = None,
    conflict_form: ConflictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    items = selectors.review_evidence(review)
    suggestions = selectors.review_suggestions(review, items)
    suggested = {row.category.value: row.suggestion.grade.value for row in suggestions}
    votes = selectors.review_votes(review)
    mine = {v.category: v for v in votes if v.reviewer_id == user.pk}
    if vote_form is None:
        vote_form = VoteForm(suggestions=suggested, current=mine)
    check_votes: dict[str, list[str]] = {c.value: [] for c in Category}
    for vote in votes:
        check_votes[vote.category].append(vote.grade)
    from offlabel.evidence.consensus import publish_check

    conflicts = selectors.review_conflicts(review)
    my_conflict = next((c for c in conflicts if c.reviewer_id == user.pk), None)
    context = {
        "review": review,
        "edit_form": edit_form or ReviewForm(instance=review),
        "items": items,
        "suggestions": suggestions,
        "vote_form": vote_form,
        "tally": selectors.review_vote_tally(review, user, votes),
        "conflicts": conflicts,
        "my_conflict": my_conflict,
        "conflict_form": conflict_form
        or ConflictForm(initial={"statement": my_conflict.statement if my_conflict else ""}),
        "reading_level": reading_level(review.plain_summary),
        "target_grade": TARGET_GRADE,
        "extra_panels": review_workspace_panels_for(request, review),
        "publish_check": publish_check(check_votes, services.min_votes()),
        "citations": selectors.review_citations(review),
        "library": selectors.topic_library_references(review),
        "history": audit_for_object(review)[:20],
        "is_reviewer": user.has_role(Role.REVIEWER),
        "is_editor": user.has_role(Role.EDITOR),
        "has_spanish": review.translations.filter(language="es").exists(),
        "watch_flags": _watch_flags_available(),
    }
    return render(request, "reviews/workspace_review.html", context, status=status)


@role_required(*REVIEW_ROLES)
def workspace_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _workspace_page(request, _open_review(pk))


@require_POST
@role_required(*REVIEW_ROLES)
def workspace_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _open_review(pk)
    form = ReviewForm(request.POST, instance=Review.objects.get(pk=review.pk))
    if form.is_valid():
        try:
            services.review_update(review=review, by=signed_in_user(request), **form.cleaned_data)
        except ValidationError as exc:
            for message in _messages_of(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Sections saved."))
            return redirect(review.get_workspace_url())
    return _workspace_page(request, review, edit_form=form, status=400)


def _relevance_message(request: HttpRequest, item: EvidenceItem) -> None:
    if not item.counts:
        messages.warning(
            request,
            _("Not counted yet: %(warning)s") % {"warning": item.relevance_warning},
        )


def _evidence_form_page(
    request: HttpRequest,
    review: Review,
    form: EvidenceItemForm,
    item: EvidenceItem | None,
    reasons: tuple[str, ...] = (),
) -> HttpResponse:
    return render(
        request,
        "reviews/evidence_form.html",
        {"review": review, "form": form, "item": item, "reasons": reasons},
        status=400 if form.is_bound else 200,
    )


@role_required(*REVIEW_ROLES)
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _open_review(pk)
    references = selectors.topic_library_references(review)
    if request.method == "POST":
        form = EvidenceItemForm(request.POST, references=references)
        if form.is_valid():
            try:
                item = services.evidence_item_add(
                    review=review, by=signed_in_user(request), **form.cleaned_data
                )
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Evidence item added."))
                _relevance_message(request, item)
                return redirect(review.get_workspace_url())
        return _evidence_form_page(request, review, form, None)
    initial: dict[str, Any] = {}
    reasons: tuple[str, ...] = ()
    reference_id = request.GET.get("reference", "")
    if reference_id.isdigit():
        reference = references.filter(pk=int(reference_id)).first()
        if reference is not None:
            initial, reasons = selectors.evidence_prefill(review, reference)
    form = EvidenceItemForm(initial=initial, references=references)
    return _evidence_form_page(request, review, form, None, reasons)


@role_required(*REVIEW_ROLES)
def evidence_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    review = _open_review(pk)
    item = get_object_or_404(EvidenceItem, pk=item_pk, review=review)
    references = selectors.topic_library_references(review)
    if request.method == "POST":
        form = EvidenceItemForm(request.POST, instance=item, references=references)
        if form.is_valid():
            try:
                item = services.evidence_item_update(
                    item=item, by=signed_in_user(request), **form.cleaned_data
                )
            except ValidationError as exc:
                for message in _messages_of(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Evidence item saved."))
                _relevance_message(request, item)
                return redirect(review.get_workspace_url())
        return _evidence_form_page(request, review, form, item)
    form = EvidenceItemForm(instance=item, references=references)
    return _evidence_form_page(request, review, form, item)


def _act(request: HttpRequest, review: Review, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    except PermissionDenied:
        raise
    else:
        messages.success(request, success)
    return redirect(review.get_workspace_url())


@require_POST
@role_required(*REVIEW_ROLES)
def evidence_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    review = _open_review(pk)
    item = get_object_or_404(EvidenceItem, pk=item_pk, review=review)
    user = signed_in_user(request)
    return _act(
        request,
        review,
        lambda: services.evidence_item_delete(item=item, by=user),
        "Evidence item removed.",
    )


@require_POST
@role_required(*REVIEW_ROLES)
def evidence_confirm(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    review = _open_review(pk)
    item = get_object_or_404(EvidenceItem, pk=item_pk, review=review)
    user = signed_in_user(request)
    return _act(
        request,
        review,
        lambda: services.evidence_item_confirm_relevance(item=item, by=user),
        _("Relevance confirmed: the item now counts."),
    )


@require_POST
@role_required(*REVIEW_ROLES)
def conflict_save(request: HttpRequest, pk: int) -> HttpResponse:
    review = _open_review(pk)
    user = signed_in_user(request)
    if not user.has_role(Role.REVIEWER):
        raise PermissionDenied(_("Only reviewers state conflicts of interest for their votes."))
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_statement_save(
                review=review, by=user, statement=form.cleaned_data["statement"]
            )
        except ValidationError as exc:
            for message in _messages_of(exc):
                form.add_error("statement", message)
        else:
            messages.success(request, _("Your conflict-of-interest statement is saved."))
            return redirect(f"{review.get_workspace_url()}#votes-h")
    return _workspace_page(request, review, conflict_form=form, status=400)


@require_POST
@role_required(*REVIEW_ROLES)
def circulate(request: HttpRequest, pk: int) -> HttpResponse:
    review = _open_review(pk)
    user = signed_in_user(request)
    return _act(
        request,
        review,
        lambda: services.review_circulate(review=review, by=user),
        "Circulated to reviewers for votes.",
    )


@require_POST
@role_required(*REVIEW_ROLES)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    review = _open_review(pk)
    user = signed_in_user(request)
    if not user.has_role(Role.REVIEWER):
        raise PermissionDenied(_("Only reviewers vote."))
    suggested = {
        row.category.value: row.suggestion.grade.value
        for row in selectors.review_suggestions(review)
    }
    form = VoteForm(request.POST, suggestions=suggested)
    if not form.is_valid():
        return _workspace_page(request, review, vote_form=form, status=400)
    try:
        for category, grade, rationale in form.cast():
            services.grade_vote_cast(
                review=review, by=user, category=category, grade=grade, rationale=rationale
            )
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
        return _workspace_page(request, review, vote_form=form, status=400)
    messages.success(request, _("Votes saved."))
    return redirect(review.get_workspace_url())


@require_POST
@role_required(*REVIEW_ROLES)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    review = _open_review(pk)
    user = signed_in_user(request)
    if not user.has_role(Role.EDITOR):
        raise PermissionDenied(_("Only editors publish."))
    try:
        services.review_publish(review=review, by=user)
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
        return redirect(review.get_workspace_url())
    messages.success(request, _("Version %(version)s published.") % {"version": review.version})
    return redirect(review.get_absolute_url())


@require_POST
@role_required(*REVIEW_ROLES)
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(Review, pk=pk, status=Review.Status.PUBLISHED)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the new-version form."))
        return redirect("reviews:workspace")
    try:
        new = services.review_new_version(
            review=review, by=signed_in_user(request), **form.cleaned_data
        )
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
        return redirect("reviews:workspace")
    messages.success(
        request,
        _("Version %(new)s started from version %(old)s.")
        % {"new": new.version, "old": review.version},
    )
    return redirect(new.get_workspace_url())


@role_required("editor")
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """An editor keeps one version's translation (title, summary, sections) into ``language``."""
    from offlabel.web.reviews.forms import ReviewTranslationForm
    from offlabel.web.reviews.models import ReviewTranslation
    from offlabel.web.reviews.translations import LANGUAGES

    review = get_object_or_404(Review.objects.select_related("topic"), pk=pk)
    if language not in LANGUAGES:
        raise Http404(_("No such language."))
    existing = ReviewTranslation.objects.filter(review=review, language=language).first()
    form = ReviewTranslationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            review_translation_save(
                review=review, language=language, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Translation saved."))
            return redirect(review.get_workspace_url())
    return render(
        request,
        "reviews/translation_form.html",
        {
            "review": review,
            "form": form,
            "language_name": LANGUAGES[language],
            "original": selectors.review_sections(review),
            "ease": spanish_reading_ease(existing.plain_summary) if existing else None,
            "target_ease": TARGET_EASE_ES,
        },
    )
