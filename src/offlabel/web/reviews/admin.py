from django.contrib import admin

from offlabel.web.reviews.models import (
    ConflictStatement,
    EvidenceItem,
    GradeVote,
    PublishedGrade,
    Review,
    ReviewReference,
)


class EvidenceInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0
    raw_id_fields = ["reference"]


class CitationInline(admin.TabularInline):
    model = ReviewReference
    extra = 0
    raw_id_fields = ["reference"]


class PublishedGradeInline(admin.TabularInline):
    model = PublishedGrade
    extra = 0
    can_delete = False
    readonly_fields = [
        "category",
        "grade",
        "suggested_grade",
        "rule",
        "basis",
        "distribution",
        "n_votes",
    ]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["topic", "version", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["topic__slug", "title"]
    raw_id_fields = ["based_on"]
    filter_horizontal = ["authors"]
    inlines = [CitationInline, EvidenceInline, PublishedGradeInline]
    # Publication goes through services.review_publish (votes, consensus, audit), never here.
    readonly_fields = ["status", "published_at", "published_by", "agreement_alpha"]


@admin.register(GradeVote)
class GradeVoteAdmin(admin.ModelAdmin):
    list_display = ["review", "reviewer", "category", "grade", "carried_over"]
    list_filter = ["category", "grade"]


@admin.register(ConflictStatement)
class ConflictStatementAdmin(admin.ModelAdmin):
    list_display = ["review", "reviewer", "updated"]
    raw_id_fields = ["review", "reviewer"]
