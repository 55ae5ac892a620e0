"""Reviews in the admin: an open version's text changes through ``services.review_update``
(the same checks as the site, and an audit row); everything else — votes, grades, evidence,
citations, statements, publication — is shown read-only and changes on the site's pages."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from offlabel.web.accounts.roles import Role
from offlabel.web.common.admin import ReadOnlyAdmin, ReadOnlyInline
from offlabel.web.reviews import services
from offlabel.web.reviews.models import (
    ConflictStatement,
    EvidenceItem,
    GradeVote,
    PublishedGrade,
    Review,
    ReviewReference,
)


class EvidenceInline(ReadOnlyInline):
    model = EvidenceItem
    raw_id_fields = ["reference"]


class CitationInline(ReadOnlyInline):
    model = ReviewReference
    raw_id_fields = ["reference"]


class PublishedGradeInline(ReadOnlyInline):
    model = PublishedGrade
    readonly_fields = [
        "category",
        "grade",
        "suggested_grade",
        "rule",
        "basis",
        "distribution",
        "n_votes",
    ]


class ReviewAdminForm(forms.ModelForm):
    """The editable text of a version; checked as ``review_update`` checks it before saving."""

    user: Any = None

    class Meta:
        model = Review
        fields = list(services.EDITABLE_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.is_open:
            raise ValidationError(
                _("A published or withdrawn version never changes; start a new version.")
            )
        if self.user is None or not self.user.has_role(Role.REVIEWER):
            raise ValidationError(_("Only reviewers change a review's text."))
        return data


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["topic", "version", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["topic__slug", "title"]
    form = ReviewAdminForm
    inlines = [CitationInline, EvidenceInline, PublishedGradeInline]
    readonly_fields = [
        "topic",
        "version",
        "status",
        "based_on",
        "published_at",
        "published_by",
        "agreement_alpha",
    ]

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields, *services.EDITABLE_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def has_add_permission(self, request):  # a draft starts on the topic's page
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        try:
            services.review_update(review=Review.objects.get(pk=obj.pk), by=request.user, **fields)
        except (ValidationError, PermissionDenied) as error:  # pragma: no cover - form checked
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))

    def save_related(self, request, form, formsets, change):
        """The inlines are read-only (their formsets hold no change); authors are the service's."""
        for formset in formsets:
            formset.save(commit=False)


@admin.register(GradeVote)
class GradeVoteAdmin(ReadOnlyAdmin):
    list_display = ["review", "reviewer", "category", "grade", "carried_over"]
    list_filter = ["category", "grade"]


@admin.register(ConflictStatement)
class ConflictStatementAdmin(ReadOnlyAdmin):
    list_display = ["review", "reviewer", "updated"]
    raw_id_fields = ["review", "reviewer"]
