from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from offlabel.web.catalog.forms import TopicSearchForm
from offlabel.web.catalog.models import Topic
from offlabel.web.catalog.selectors import topic_by_slug, topic_list, topic_search
from offlabel.web.common.extensions import topic_panels_for


def home(request: HttpRequest) -> HttpResponse:
    form = TopicSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    topics = topic_search(query) if query else topic_list()
    return render(request, "catalog/home.html", {"form": form, "query": query, "topics": topics})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        topic = topic_by_slug(slug)
    except Topic.DoesNotExist:
        raise Http404("No such topic.") from None
    panels = topic_panels_for(request, topic)
    return render(request, "catalog/topic_detail.html", {"topic": topic, "panels": panels})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/about.html")
