"""Pages of the literature app: topic libraries, the import flow, watch flags."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.catalog.models import Topic
from offlabel.web.catalog.selectors import topic_by_slug
from offlabel.web.literature import importing, services
from offlabel.web.literature.citations import vancouver_for
from offlabel.web.literature.forms import (
    ImportForm,
    LibraryFilterForm,
    ReferenceForm,
    SavedSearchForm,
)
from offlabel.web.literature.models import ImportBatch, SavedSearch, WatchFlag
from offlabel.web.literature.selectors import (
    import_batch_for,
    library_filtered,
    library_years,
    saved_searches_for,
    topics_with_library,
    watch_flags_new,
)
from offlabel.web.literature.uploads import SizeLimitUploadHandler

LITERATURE_ROLES = (Role.REVIEWER, Role.EDITOR)
FLAGS_SHOWN = 100


def _topic(slug: str) -> Topic:
    try:
        return topic_by_slug(slug)
    except Topic.DoesNotExist:
        raise Http404(_("No such topic.")) from None


def _is_reviewer(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.has_any_role(*LITERATURE_ROLES))


@role_required(*LITERATURE_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "literature/index.html", {"topics": topics_with_library()})


def library(
    request: HttpRequest,
    topic_slug: str,
    *,
    reference_form: ReferenceForm | None = None,
    search_form: SavedSearchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A topic's references; reviewers also get the add form, saved searches and flags."""
    topic = _topic(topic_slug)
    filters = LibraryFilterForm(request.GET or None, years=library_years(topic))
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    references = list(
        library_filtered(
            topic,
            species=chosen.get("species") or "",
            design=chosen.get("design") or "",
            year=chosen.get("year"),
        )
    )
    reviewer = _is_reviewer(request)
    context: dict[str, Any] = {
        "topic": topic,
        "filters": filters,
        "rows": list(zip(references, vancouver_for(references), strict=True)),
        "is_reviewer": reviewer,
    }
    if reviewer:
        context.update(
            {
                "reference_form": reference_form or ReferenceForm(),
                "search_form": search_form or SavedSearchForm(),
                "saved_searches": saved_searches_for(topic),
                "flags": list(watch_flags_new(topic)[:FLAGS_SHOWN]),
                "flag_count": watch_flags_new(topic).count(),
            }
        )
    return render(request, "literature/library.html", context, status=status)


@require_POST
@role_required(*LITERATURE_ROLES)
def reference_add(request: HttpRequest, topic_slug: str) -> HttpResponse:
    topic = _topic(topic_slug)
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        return library(request, topic_slug, reference_form=form, status=400)
    try:
        reference = services.reference_add_to_library(
            topic=topic, fields=form.cleaned_data, by=signed_in_user(request)
        )
    except ValueError as error:
        form.add_error(None, str(error))
        return library(request, topic_slug, reference_form=form, status=400)
    messages.success(
        request, _("Added to the library: %(title)s") % {"title": reference.title[:100]}
    )
    return redirect("literature:library", topic_slug=topic.slug)


# -- import ------------------------------------------------------------------------------------


@csrf_exempt  # the CSRF check runs in _import_form, after the size-limit handler is installed
@role_required(*LITERATURE_ROLES)
def import_start(request: HttpRequest, topic_slug: str) -> HttpResponse:
    handler = SizeLimitUploadHandler(request, limit=importing.MAX_UPLOAD_BYTES)
    if request.method == "POST":
        request.upload_handlers = [handler, *request.upload_handlers]
    return _import_form(request, topic_slug, handler)


@csrf_protect
def _import_form(
    request: HttpRequest, topic_slug: str, handler: SizeLimitUploadHandler
) -> HttpResponse:
    topic = _topic(topic_slug)
    if request.method != "POST":
        initial = {"identifiers": request.GET.get("identifiers", "")[:5000]}
        return _import_page(request, topic, ImportForm(initial=initial))
    form = ImportForm(request.POST, request.FILES, upload_too_large=handler.too_large)
    if not form.is_valid():
        return _import_page(request, topic, form, status=413 if handler.too_large else 400)
    data = form.cleaned_data
    try:
        if data.get("file") is not None:
            upload = data["file"]
            parsed = importing.parse_upload(upload, fmt=data["format"])
            source = upload.name
        else:
            identifiers, problems = importing.split_identifiers(data["identifiers"])
            parsed = importing.lookup_identifiers(identifiers)
            parsed.problems[:0] = problems
            source = "pasted identifiers"
            if not parsed.records:
                raise importing.ImportRejected(
                    "No record could be looked up. " + " ".join(parsed.problems[:10])
                )
    except importing.ImportRejected as error:
        form.add_error("file" if data.get("file") is not None else "identifiers", str(error))
        return _import_page(request, topic, form, status=400)
    items = importing.preview_items(topic, parsed.records)
    batch = services.import_batch_create(
        topic=topic,
        owner=signed_in_user(request),
        source=source,
        source_format=parsed.source_format,
        items=items,
        problems=parsed.problems,
    )
    return redirect("literature:import_preview", topic_slug=topic.slug, token=batch.token)


def _import_page(
    request: HttpRequest, topic: Topic, form: ImportForm, status: int = 200
) -> HttpResponse:
    context = {
        "topic": topic,
        "form": form,
        "max_mb": importing.MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "literature/import.html", context, status=status)


def _batch(request: HttpRequest, topic_slug: str, token: uuid.UUID) -> ImportBatch:
    try:
        batch = import_batch_for(token, signed_in_user(request))
    except ImportBatch.DoesNotExist:
        raise Http404(_("No such import: it was committed, discarded or has expired.")) from None
    if batch.topic.slug != topic_slug:
        raise Http404(_("No such import for this topic."))
    return batch


@role_required(*LITERATURE_ROLES)
def import_preview(request: HttpRequest, topic_slug: str, token: uuid.UUID) -> HttpResponse:
    batch = _batch(request, topic_slug, token)
    if request.method == "POST":
        keys = request.POST.getlist("keep")
        try:
            added = services.import_batch_commit(batch=batch, keys=keys, by=signed_in_user(request))
        except ValueError as error:
            return _preview_page(request, batch, error=str(error), chosen=set(keys), status=400)
        messages.success(
            request,
            ngettext(
                "%(n)s reference added to the library.",
                "%(n)s references added to the library.",
                len(added),
            )
            % {"n": len(added)}
            + (
                " " + _("%(n)s already there.") % {"n": len(keys) - len(added)}
                if len(keys) > len(added)
                else ""
            ),
        )
        return redirect("literature:library", topic_slug=batch.topic.slug)
    return _preview_page(request, batch)


def _preview_page(
    request: HttpRequest,
    batch: ImportBatch,
    *,
    error: str = "",
    chosen: set[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    items = batch.records
    if chosen is None:
        chosen = {item["key"] for item in items if item.get("keep")}
    context = {
        "topic": batch.topic,
        "batch": batch,
        "items": items,
        "chosen": chosen,
        "error": error,
        "counts": {
            "total": len(items),
            "kept": sum(1 for item in items if item["key"] in chosen),
            "with_problems": sum(1 for item in items if item["problems"]),
        },
    }
    return render(request, "literature/preview.html", context, status=status)


@require_POST
@role_required(*LITERATURE_ROLES)
def import_discard(request: HttpRequest, topic_slug: str, token: uuid.UUID) -> HttpResponse:
    batch = _batch(request, topic_slug, token)
    services.import_batch_discard(batch=batch)
    messages.info(request, _("Import discarded; nothing was added."))
    return redirect("literature:import", topic_slug=topic_slug)


# -- the living review ----------------------------------------------------------------------


@require_POST
@role_required(*LITERATURE_ROLES)
def saved_search_create(request: HttpRequest, topic_slug: str) -> HttpResponse:
    topic = _topic(topic_slug)
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        return library(request, topic_slug, search_form=form, status=400)
    services.saved_search_create(topic=topic, by=signed_in_user(request), **form.cleaned_data)
    messages.success(request, _("Saved search added; it runs every day."))
    return redirect(reverse("literature:library", kwargs={"topic_slug": topic.slug}) + "#watch")


@require_POST
@role_required(*LITERATURE_ROLES)
def saved_search_delete(request: HttpRequest, topic_slug: str, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, topic__slug=topic_slug)
    services.saved_search_delete(search=search, by=signed_in_user(request))
    messages.info(request, _("Saved search removed."))
    return redirect(reverse("literature:library", kwargs={"topic_slug": topic_slug}) + "#watch")


@require_POST
@role_required(*LITERATURE_ROLES)
def watch_flag_dismiss(request: HttpRequest, topic_slug: str, pk: int) -> HttpResponse:
    flag = get_object_or_404(WatchFlag, pk=pk, topic__slug=topic_slug)
    services.watch_flag_dismiss(flag=flag, by=signed_in_user(request))
    messages.info(request, _("Dismissed: %(title)s") % {"title": flag.title[:100]})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("literature:library", kwargs={"topic_slug": topic_slug}) + "#watch"
    return redirect(target)
