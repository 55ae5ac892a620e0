"""The public, read-only part of the API: topics, reviews, the rubric, registry aggregates, the
literature index and the scales as FHIR Questionnaires.

Every read goes through the selectors the pages use, so the API shows what the pages show to the
same person: published versions to everyone, drafts to reviewers and editors, registry figures
with the same small-cell suppression and caveats.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from pydantic import Field

from offlabel.evidence.vocabulary import Category
from offlabel.web.api.auth import OptionalTokenAuth, caller
from offlabel.web.api.paging import PER_PAGE, paged
from offlabel.web.api.problems import ApiProblem
from offlabel.web.api.schemas import (
    LiteraturePage,
    Problem,
    RegistryPanelOut,
    ReviewOut,
    ReviewPage,
    RubricOut,
    TopicOut,
    TopicPage,
    VersionOut,
)
from offlabel.web.common.caching import public_api

router = Router(auth=OptionalTokenAuth(), tags=["public"])
ERRORS: dict[int, type[Schema]] = {401: Problem, 404: Problem, 422: Problem, 429: Problem}
PREFIX = "/api/v1"


def _review_url(slug: str, version: int | None = None) -> str:
    if version is None:
        return f"{PREFIX}/reviews/{slug}"
    return f"{PREFIX}/reviews/{slug}/versions/{version}"


def _topic(slug: str) -> Any:
    from offlabel.web.catalog.models import Topic
    from offlabel.web.catalog.selectors import topic_by_slug

    try:
        return topic_by_slug(slug)
    except Topic.DoesNotExist:
        raise ApiProblem(404, f"No topic {slug!r}.") from None


def _topic_out(topic: Any) -> dict[str, Any]:
    return {
        "slug": topic.slug,
        "therapy": topic.therapy.name,
        "condition": topic.condition.name,
        "species": topic.condition.species,
        "status": topic.status,
        "review_published_at": topic.review_published_at,
        "review": _review_url(topic.slug) if topic.review_published_at else None,
    }


class TopicFilter(Schema):
    q: str = Field("", description="Words of the therapy or condition name (or synonyms).")
    species: str = Field("", description="human or dog")
    page: int = 1
    per_page: int = PER_PAGE


@router.get("/topics", response={200: TopicPage, **ERRORS}, summary="Topics (therapy × condition)")
@decorate_view(public_api("topics"))
def topics(request: HttpRequest, filters: Query[TopicFilter]) -> Any:
    from offlabel.web.catalog.selectors import topic_list, topic_search

    rows = topic_search(filters.q) if filters.q.strip() else topic_list()
    if filters.species:
        rows = rows.filter(condition__species=filters.species)
    rows = rows.order_by("therapy__name", "condition__species", "id")
    return paged(request, rows, filters.page, filters.per_page, _topic_out)


@router.get("/topics/{slug}", response={200: TopicOut, **ERRORS}, summary="One topic")
@decorate_view(public_api("topic"))
def topic(request: HttpRequest, slug: str) -> Any:
    return _topic_out(_topic(slug))


@router.get(
    "/topics/{slug}/registry",
    response={200: RegistryPanelOut, **ERRORS},
    summary="What the registry shows for a topic (aggregates, small cells suppressed)",
)
@decorate_view(public_api("topic_registry"))
def topic_registry(request: HttpRequest, slug: str) -> Any:
    from offlabel.web.analytics.selectors import topic_panel

    panel = topic_panel(_topic(slug))
    out = {k: v for k, v in panel.items() if not k.endswith("_svg") and k != "key"}
    out["topic"] = slug
    out["caveat"] = (
        "Registry data are self-reported by people who chose to join, and unblinded. Counts "
        f"below {panel['min_cell']} are shown as <{panel['min_cell']}; efficacy levels only "
        f"when at least {panel['min_cell']} people rated the therapy."
    )
    if not out.get("cost_shown"):
        out["cost"] = None
    if "survival_groups" in panel or "km_rows" in panel:
        out["survival"] = {k: v for k, v in panel.items() if k.startswith(("survival", "km"))}
    else:
        out["survival"] = None
    return out


# -- reviews ----------------------------------------------------------------------------------


class ReviewFilter(Schema):
    species: str = Field("", description="human or dog")
    grade: str = Field("", description="A review with this grade (A–F, U) …")
    category: str = Field("", description="… in this category (default: any).")
    page: int = 1
    per_page: int = PER_PAGE


def _summary(review: Any) -> dict[str, Any]:
    from offlabel.web.reviews.selectors import review_grade_rows

    return {
        "topic": review.topic.slug,
        "version": review.version,
        "title": review.display_title,
        "status": review.status,
        "published": review.published_at.date() if review.published_at else None,
        "grades": {
            row.category.value: row.published.grade if row.published else None
            for row in review_grade_rows(review)
        },
        "url": _review_url(review.topic.slug, review.version),
    }


@router.get("/reviews", response={200: ReviewPage, **ERRORS}, summary="Published reviews")
@decorate_view(public_api("reviews"))
def reviews(request: HttpRequest, filters: Query[ReviewFilter]) -> Any:
    from offlabel.web.reviews.selectors import reviews_published

    if filters.category and filters.category not in {c.value for c in Category}:
        raise ApiProblem(
            422,
            "No such category.",
            errors={"category": [f"One of {', '.join(c.value for c in Category)}."]},
        )
    rows = reviews_published(
        species=filters.species, grade=filters.grade, category=filters.category
    )
    return paged(request, rows, filters.page, filters.per_page, _summary)


def _document(review: Any) -> dict[str, Any]:
    """The version's document, cached under the content version (every audited change, and
    every save outside the services, moves it on: a cached document is never stale)."""
    from django.core.cache import cache

    from offlabel.web.common.selectors import content_version

    versions = content_version()
    key = f"offlabel:api:review:{review.pk}:{versions.site}:{versions.registry}"
    data: dict[str, Any] | None = cache.get(key)
    if data is None:
        data = _document_of(review)
        cache.set(key, data, 60 * 60 * 24)
    return data


def _document_of(review: Any) -> dict[str, Any]:
    from offlabel.web.reviews.selectors import review_document

    doc = review_document(review)
    data = doc.as_dict()
    data["grades"] = [
        {
            "category": g.category.value,
            "label": g.category.label,
            "grade": g.grade,
            "suggested_grade": g.suggested_grade,
            "rule": g.rule,
            "basis": g.basis,
            "distribution": dict(g.votes) if g.published else {},
            "n_votes": g.n_votes,
        }
        for g in doc.grades
    ]
    data["sections"] = [
        {"name": s.name, "heading": s.heading, "text": s.text} for s in doc.sections
    ]
    return data


def _review(slug: str, version: int | None, request: HttpRequest) -> Any:
    from offlabel.web.reviews.models import Review
    from offlabel.web.reviews.selectors import review_for_page

    try:
        return review_for_page(slug, version, caller(request))
    except Review.DoesNotExist:
        what = "a published review" if version is None else f"a version {version}"
        raise ApiProblem(404, f"Topic {slug!r} has no {what} you may see.") from None


@router.get(
    "/reviews/{slug}",
    response={200: ReviewOut, **ERRORS},
    summary="A topic's published review: sections, grades with their spread and agreement, "
    "references with identifiers",
)
@decorate_view(public_api("review"))
def review(request: HttpRequest, slug: str) -> Any:
    return _document(_review(slug, None, request))


@router.get(
    "/reviews/{slug}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="A topic's review versions",
)
@decorate_view(public_api("review_versions"))
def review_versions(request: HttpRequest, slug: str) -> Any:
    from offlabel.web.reviews.selectors import reviews_visible_to

    rows = (
        reviews_visible_to(caller(request))
        .filter(topic__slug=slug)
        .only("id", "version", "status", "published_at", "change_summary", "topic_id")
        .order_by("-version")
    )
    versions = list(rows)
    if not versions:
        _topic(slug)
    return [
        {
            "version": r.version,
            "status": r.status,
            "published_at": r.published_at,
            "change_summary": r.change_summary,
            "url": _review_url(slug, r.version),
        }
        for r in versions
    ]


@router.get(
    "/reviews/{slug}/versions/{version}",
    response={200: ReviewOut, **ERRORS},
    summary="One review version (a permalink)",
)
@decorate_view(public_api("review_version"))
def review_version(request: HttpRequest, slug: str, version: int) -> Any:
    return _document(_review(slug, version, request))


@router.get("/rubric", response={200: RubricOut, **ERRORS}, summary="The grading rubric")
@decorate_view(public_api("rubric"))
def rubric(request: HttpRequest) -> Any:
    from offlabel.evidence.rubric import default_rubric
    from offlabel.web.reviews.selectors import rubric_table

    the_rubric = default_rubric()
    return {
        "version": the_rubric.version,
        "title": the_rubric.title,
        "categories": [
            {
                "category": category.value,
                "label": category.label,
                "levels": [
                    {
                        "grade": level.grade.value,
                        "description": level.description,
                        "rule": level.rule.describe(),
                    }
                    for level in levels
                ],
            }
            for category, levels in rubric_table(the_rubric)
        ],
    }


# -- the literature index ---------------------------------------------------------------------


class LiteratureQuery(Schema):
    therapy: str = Field(description='As a person types it ("LDN").')
    condition: str = Field(description='As a person types it ("ALS").')
    species: str = Field("", description="A species the record is classified with.")
    design: str = Field("", description="A study design (e.g. case_series, rct).")
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    per_page: int = PER_PAGE


#: Most records one literature query reads from the index before filtering.
LITERATURE_LIMIT = 2000


@router.get(
    "/literature",
    response={200: LiteraturePage, **ERRORS, 503: Problem},
    summary="Search the literature index (therapy, condition, design, species, year)",
)
def literature(request: HttpRequest, query: Query[LiteratureQuery]) -> Any:
    from offlabel.literature.index.layout import IndexFormatError
    from offlabel.literature.index.search import search
    from offlabel.web.literature.watch import default_index_dir

    try:
        hits = search(
            default_index_dir(),
            therapy=query.therapy,
            condition=query.condition,
            species=query.species or None,
            limit=LITERATURE_LIMIT,
        )
    except IndexFormatError:
        raise ApiProblem(503, "The literature index is not built on this site.") from None
    except ValueError as error:
        raise ApiProblem(422, str(error), errors={"query": [str(error)]}) from None
    if query.design:
        hits = [h for h in hits if h.design == query.design]
    if query.year_from is not None:
        hits = [h for h in hits if h.year is not None and h.year >= query.year_from]
    if query.year_to is not None:
        hits = [h for h in hits if h.year is not None and h.year <= query.year_to]

    def out(hit: Any) -> dict[str, Any]:
        data = hit.to_json_dict()
        data.pop("source_file", None)
        return dict(data)

    return paged(request, hits, query.page, query.per_page, out)


@router.get(
    "/fhir/Questionnaire/{questionnaire_id}",
    response={200: dict[str, Any], **ERRORS},
    summary="A progression scale (alsfrs-r, dm-stage, dm-gait) as a FHIR R4 Questionnaire",
)
def questionnaire(request: HttpRequest, questionnaire_id: str) -> HttpResponse:
    from offlabel.registry import fhir
    from offlabel.registry.scales import get_scale
    from offlabel.registry.vocabulary import ScaleKey
    from offlabel.web.registry.fhir import FHIR_JSON, fhir_base

    by_id = {fhir.questionnaire_id(key): key for key in ScaleKey}
    if questionnaire_id not in by_id:
        raise ApiProblem(
            404, f"No Questionnaire {questionnaire_id!r}; there are {', '.join(sorted(by_id))}."
        )
    resource = fhir.questionnaire(get_scale(by_id[questionnaire_id]), fhir_base())
    return HttpResponse(json.dumps(resource, ensure_ascii=False), content_type=FHIR_JSON)
