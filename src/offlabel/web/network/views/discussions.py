"""Discussions: lists, threads, replies and the editors' moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.catalog.models import Topic
from offlabel.web.network import selectors, services
from offlabel.web.network.forms import HideForm, PostForm, ThreadForm
from offlabel.web.network.mentions import posts_html
from offlabel.web.network.models import Post, Thread
from offlabel.web.network.permissions import DISCUSSION_ROLES, can_discuss, can_read_thread
from offlabel.web.network.ratelimit import RateLimited
from offlabel.web.network.views._helpers import error_text


def discussion_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/discussions.html",
        {
            "threads": selectors.threads_visible_to(request.user),
            "member": can_discuss(request.user),
            "topics": Topic.objects.select_related("therapy", "condition"),
        },
    )


def topic_discussions(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("therapy", "condition"), slug=slug)
    member = can_discuss(request.user)
    form = ThreadForm(request.POST or None) if member else None
    status = 200
    if request.method == "POST" and not member:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(_("Discussions are for clinicians, vets, reviewers and editors."))
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            thread = services.thread_create(
                topic=topic,
                author=signed_in_user(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(request, _("Discussion started."))
            return redirect(thread)
    return render(
        request,
        "network/topic_discussions.html",
        {
            "topic": topic,
            "threads": selectors.threads_visible_to(request.user).filter(topic=topic),
            "member": member,
            "form": form,
        },
        status=status,
    )


def _readable_thread(request: HttpRequest, pk: int) -> Thread | HttpResponse:
    thread = get_object_or_404(
        Thread.objects.select_related("topic__therapy", "topic__condition", "author"), pk=pk
    )
    if can_read_thread(request.user, thread):
        return thread
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("No such discussion."))


def _thread_page(
    request: HttpRequest, thread: Thread, form: PostForm | None = None, status: int = 200
) -> HttpResponse:
    member = can_discuss(request.user)
    posts = list(selectors.thread_posts(thread, request.user))
    for post, html in zip(posts, posts_html([p.body for p in posts]), strict=True):
        post.body_html = html  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "thread": thread,
        "posts": posts,
        "member": member,
        "is_editor": request.user.is_authenticated and request.user.is_editor,
        "form": form or (PostForm() if member and not thread.is_locked else None),
        "hide_form": HideForm(),
    }
    return render(request, "network/thread.html", context, status=status)


def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _readable_thread(request, pk)
    if isinstance(found, HttpResponse):
        return found
    return _thread_page(request, found)


@require_POST
@role_required(*DISCUSSION_ROLES)
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _readable_thread(request, pk)
    if isinstance(found, HttpResponse):
        return found
    thread = found
    form = PostForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, thread, form)
    try:
        post = services.post_create(
            thread=thread,
            author=signed_in_user(request),
            body=form.cleaned_data["body"],
        )
    except ValidationError as error:
        form.add_error(None, error_text(error))
        messages.error(request, error_text(error))
        return _thread_page(
            request, thread, form, status=429 if isinstance(error, RateLimited) else 200
        )
    return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")


_MODERATION: dict[str, tuple[dict[str, bool], str]] = {
    "lock": ({"is_locked": True}, "Discussion locked: no new replies."),
    "unlock": ({"is_locked": False}, "Discussion unlocked."),
    "public": ({"is_public": True}, "Discussion made public: everyone can read it."),
    "private": ({"is_public": False}, "Discussion made private to professionals."),
}


@require_POST
@role_required(Role.EDITOR)
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    action = request.POST.get("action", "")
    if action not in _MODERATION:
        messages.error(request, _("Choose lock, unlock, public or private."))
    else:
        change, done = _MODERATION[action]
        services.thread_moderate(thread=thread, by=signed_in_user(request), **change)
        messages.success(request, done)
    return redirect(thread)


@require_POST
@role_required(Role.EDITOR)
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    hide = request.POST.get("action", "hide") != "show"
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.post_set_hidden(post=post, by=signed_in_user(request), hidden=hide, reason=reason)
    messages.success(request, _("Message hidden.") if hide else _("Message shown again."))
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")
