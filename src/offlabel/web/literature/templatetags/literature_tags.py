"""``{% watch_flags_panel topic %}``: a topic's new watch flags, for reviewers only."""

from __future__ import annotations

from typing import Any

from django import template

from offlabel.web.accounts.roles import Role
from offlabel.web.literature.selectors import watch_flags_new

register = template.Library()

#: Most flags listed inline; the library page lists them all.
SHOWN = 20


@register.inclusion_tag("literature/_watch_flags_panel.html", takes_context=True)
def watch_flags_panel(context: template.Context, topic: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    show = bool(
        topic is not None
        and user is not None
        and user.is_authenticated
        and user.has_any_role(Role.REVIEWER, Role.EDITOR)
    )
    flags: list[Any] = []
    total = 0
    if show:
        total = watch_flags_new(topic).count()
        flags = list(watch_flags_new(topic)[:SHOWN])
    return {
        "show": show,
        "topic": topic,
        "flags": flags,
        "more": max(0, total - len(flags)),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.filter(name="identifier_links")
def identifier_links_filter(record: Any) -> list[Any]:
    """``{% for link in reference|identifier_links %}``: PubMed, DOI and ClinicalTrials.gov
    links of a reference or watch flag, from the one builder (:mod:`offlabel.literature.links`)."""
    from offlabel.literature.links import identifier_links

    return identifier_links(
        pmid=getattr(record, "pmid", "") or "",
        doi=getattr(record, "doi", "") or "",
        nct=getattr(record, "nct", "") or "",
    )
