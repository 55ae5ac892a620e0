"""How domain apps add to shared pages without editing them.

An app's ``AppConfig`` may declare:

``nav_items``
    a list of :class:`NavItem` shown in the site header, in app order.
``topic_panels(self, request, topic)``
    returns a list of :class:`Panel` shown on a topic's page (the review grades, the registry
    summary, the discussion, …), in app order.
``review_section_extras(self, request, review, section)``
    returns a list of :class:`Panel` shown under one section of a review (``section`` is a
    vocabulary category such as ``"cases"`` or ``"risks"``): e.g. a frozen registry snapshot.
``review_workspace_panels(self, request, review)``
    returns a list of :class:`Panel` shown in the reviewer workspace of one version (e.g. the
    registry snapshots an editor keeps, refreshes or drops before publishing).
``review_actions(self, request, review)``
    returns a list of :class:`Panel` shown near the top of a review's public page (e.g. following
    it); what they show must not depend on who is looking, so the page stays cacheable.
``demo_load(self, out)``
    loads the app's demo content; ``offlabel demo`` calls it in ``INSTALLED_APPS`` order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.http import HttpRequest
from django.utils.functional import Promise as StrPromise

if TYPE_CHECKING:
    from offlabel.web.accounts.models import Viewer


# Who sees a navigation item: everyone, signed-in users, or holders of one of the roles.
EVERYONE = "everyone"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class NavItem:
    label: str | StrPromise
    url_name: str
    audience: tuple[str, ...] = (EVERYONE,)


@dataclass(frozen=True)
class Panel:
    title: str | StrPromise
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _offlabel_apps() -> Iterator[AppConfig]:
    for config in apps.get_app_configs():
        if config.name.startswith("offlabel.web."):
            yield config


def nav_items_for(user: Viewer) -> list[NavItem]:
    """The header links this user may see."""
    signed_in = bool(user is not None and user.is_authenticated and user.is_active)
    # Roles are the accounts app's; common sits below it and asks the account itself.
    has_any_role = getattr(user, "has_any_role", None) if signed_in else None
    visible: list[NavItem] = []
    for config in _offlabel_apps():
        for item in getattr(config, "nav_items", []):
            if EVERYONE in item.audience or (
                signed_in
                and (
                    SIGNED_IN in item.audience
                    or (has_any_role is not None and has_any_role(*item.audience))
                )
            ):
                visible.append(item)
    return visible


def topic_panels_for(request: HttpRequest, topic: Any) -> list[Panel]:
    """The panels every app contributes to a topic page."""
    panels: list[Panel] = []
    for config in _offlabel_apps():
        contribute: Callable[[HttpRequest, Any], list[Panel]] | None = getattr(
            config, "topic_panels", None
        )
        if contribute is not None:
            panels.extend(contribute(request, topic))
    return panels


def _panels(hook: str, *args: Any) -> list[Panel]:
    panels: list[Panel] = []
    for config in _offlabel_apps():
        contribute: Callable[..., list[Panel]] | None = getattr(config, hook, None)
        if contribute is not None:
            panels.extend(contribute(*args))
    return panels


def review_section_extras_for(request: HttpRequest, review: Any, section: str) -> list[Panel]:
    """The panels every app contributes under one section of a review."""
    return _panels("review_section_extras", request, review, section)


def review_workspace_panels_for(request: HttpRequest, review: Any) -> list[Panel]:
    """The panels every app contributes to one version's reviewer workspace."""
    return _panels("review_workspace_panels", request, review)


def review_actions_for(request: HttpRequest, review: Any) -> list[Panel]:
    """The panels every app contributes to the top of a review's public page."""
    return _panels("review_actions", request, review)


def demo_loaders() -> list[tuple[str, Callable[[Callable[[str], None]], None]]]:
    """``(app label, loader)`` for every app with demo content, in load order."""
    return [
        (config.label, config.demo_load)  # type: ignore[attr-defined]
        for config in _offlabel_apps()
        if callable(getattr(config, "demo_load", None))
    ]
