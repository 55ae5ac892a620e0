from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from offlabel.web.catalog.forms import TopicSearchForm
from offlabel.web.catalog.models import Topic
from offlabel.web.catalog.selectors import (
    therapy_species_topics,
    topic_by_slug,
    topic_has_other_species,
    topic_list,
    topic_search,
)
from offlabel.web.common.caching import public_page
from offlabel.web.common.extensions import topic_panels_for


@public_page
def home(request: HttpRequest) -> HttpResponse:
    form = TopicSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    topics = topic_search(query) if query else topic_list()
    return render(request, "catalog/home.html", {"form": form, "query": query, "topics": topics})


@public_page
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        topic = topic_by_slug(slug)
    except Topic.DoesNotExist:
        raise Http404(_("No such topic.")) from None
    panels = topic_panels_for(request, topic)
    return render(
        request,
        "catalog/topic_detail.html",
        {"topic": topic, "panels": panels, "side_by_side": topic_has_other_species(topic)},
    )


#: The panels the side-by-side page puts in each species' column: the review's Table of
#: Evidence and the registry's summary (other panels, such as the community's, stay on the
#: topic pages).
COMPARED_PANELS = ("reviews/_topic_panel.html", "analytics/_topic_panel.html")


def side_by_side(request: HttpRequest, therapy_slug: str) -> HttpResponse:
    """One therapy's topics in parallel columns, one per species, never pooled."""
    try:
        topics = therapy_species_topics(therapy_slug)
    except Topic.DoesNotExist:
        raise Http404(_("No such therapy.")) from None
    if len({t.condition.species for t in topics}) < 2:
        raise Http404(_("This therapy has topics in one species only."))
    columns = [
        {
            "topic": topic,
            "panels": [
                p for p in topic_panels_for(request, topic) if p.template in COMPARED_PANELS
            ],
        }
        for topic in topics
    ]
    return render(
        request,
        "catalog/side_by_side.html",
        {"therapy": topics[0].therapy, "columns": columns},
    )


@public_page
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/about.html")
