"""@mentions in discussions: members' handles, finding who is mentioned, and linking them.

A member is mentioned by their handle (``@dr-price``), by their display name (``@Dr Price``,
the part before any bracket also counts: "Dr Price (vet, long LDN experience)"), or by the
local part of their e-mail address. Handles are made from the display name the first time they
are needed, unique, and never change afterwards; the discussion forms complete ``@`` to them and
the posts link each mention to the member's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify

from offlabel.evidence.terms import fold
from offlabel.web.accounts.models import RoleGrant, User
from offlabel.web.common.markup import render_markdown
from offlabel.web.network.models import MemberHandle
from offlabel.web.network.permissions import DISCUSSION_ROLES

# "@" not preceded by a character of an e-mail address, then a name or an e-mail local part.
MENTION = re.compile(r"(?<![\w.+-])@([\w][\w.+-]*)")
HANDLE_MAX = 32
COMPLETIONS = 8


def discussion_members() -> QuerySet[User]:
    """Active users who hold a role that reads and writes discussions."""
    return User.objects.filter(
        is_active=True,
        role_grants__role__in=DISCUSSION_ROLES,
        role_grants__status=RoleGrant.Status.GRANTED,
    ).distinct()


def short_name(user: User) -> str:
    """The display name without a bracketed note: "Dr Price (vet, …)" → "Dr Price"."""
    return user.display_name.split("(", 1)[0].strip()


def _base_handle(user: User) -> str:
    base = slugify(short_name(user)) or slugify(user.email.split("@", 1)[0]) or "member"
    return base[:HANDLE_MAX].strip("-") or "member"


def handle_for(user: User) -> str:
    """The member's handle, made (unique) on first use."""
    found = MemberHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    if found:
        return str(found)
    base = _base_handle(user)
    for n in range(1, 1000):
        candidate = base if n == 1 else f"{base[: HANDLE_MAX - 4]}-{n}"
        try:
            with transaction.atomic():
                MemberHandle.objects.create(user=user, handle=candidate)
        except IntegrityError:
            existing = MemberHandle.objects.filter(user=user).first()
            if existing is not None:  # made by a concurrent request
                return existing.handle
            continue
        return candidate
    raise RuntimeError(f"no free handle for {user.email}")  # pragma: no cover


def handles_for(users: Iterable[User]) -> dict[int, str]:
    """``{user pk: handle}``, making the missing ones."""
    users = list(users)
    known = dict(MemberHandle.objects.filter(user__in=users).values_list("user_id", "handle"))
    for user in users:
        if user.pk not in known:
            known[user.pk] = handle_for(user)
    return known


def _names(user: User) -> list[str]:
    names = [user.display_name.strip(), short_name(user)]
    return [n for n in dict.fromkeys(names) if n]


def find_mentions(body: str) -> list[User]:
    """Members named in ``body`` by handle, display name (or its short form) or e-mail local
    part, in account order."""
    tokens = {m.group(1).rstrip(".").lower() for m in MENTION.finditer(body)}
    if not tokens:
        return []
    query = Q(member_handle__handle__in=tokens)
    for token in tokens:
        query |= Q(email__istartswith=f"{token}@") | Q(display_name__istartswith=token)
    found = []
    for user in discussion_members().filter(query).select_related("member_handle").order_by("pk"):
        local = user.email.split("@", 1)[0].lower()
        handle = getattr(getattr(user, "member_handle", None), "handle", None)
        if local in tokens or handle in tokens or any(_named(body, n) for n in _names(user)):
            found.append(user)
    return found


def _named(body: str, name: str) -> bool:
    return re.search(r"(?<![\w.+-])@" + re.escape(name) + r"(?!\w)", body, re.I) is not None


def link_mentions(body: str, users: Iterable[User], handles: dict[int, str] | None = None) -> str:
    """``body`` (Markdown) with each mention of one of ``users`` made a link to their page."""
    users = list(users)
    targets: list[tuple[str, str]] = []
    handles = handles if handles is not None else handles_for(users)
    for user in users:
        url = reverse("network:member", kwargs={"handle": handles[user.pk]})
        spellings = [handles[user.pk], *_names(user), user.email.split("@", 1)[0]]
        targets += [(spelling, url) for spelling in spellings]
    # Longest spellings first, so "@Dr Price (vet…)" wins over "@Dr Price".
    for spelling, url in sorted(targets, key=lambda t: -len(t[0])):
        pattern = re.compile(r"(?<![\w.+\-\[])@" + re.escape(spelling) + r"(?![\w\]])", re.I)
        body = pattern.sub(_linker(url), body)
    return body


def _linker(url: str) -> Callable[[re.Match[str]], str]:
    def link(match: re.Match[str]) -> str:
        return f"[{match.group(0)}]({url})"

    return link


def member_completions(query: str, limit: int = COMPLETIONS) -> list[dict[str, Any]]:
    """Members whose handle or name starts with ``query`` (case and accents ignored)."""
    wanted = fold(query.lstrip("@")).replace(" ", "-")
    members = list(discussion_members().order_by("display_name", "pk")[:500])
    handles = handles_for(members)
    found = []
    for user in members:
        handle = handles[user.pk]
        names = [fold(n).replace(" ", "-") for n in _names(user)]
        if not wanted or handle.startswith(wanted) or any(n.startswith(wanted) for n in names):
            found.append({"handle": handle, "name": user.display_name})
        if len(found) >= limit:
            break
    return found


def posts_html(bodies: list[str]) -> list[SafeString]:
    """Each post's Markdown rendered (sanitized) with its mentions linked, one lookup for all."""
    users = find_mentions("\n".join(bodies))
    handles = handles_for(users)
    return [render_markdown(link_mentions(body, users, handles)) for body in bodies]
