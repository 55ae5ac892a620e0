"""Shared fixtures: the "world" of one account per role, and a Chromium browser for e2e tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.accounts import PASSWORD, ROLES, make_superuser, make_user

__all__ = ["PASSWORD", "ROLES", "World", "make_superuser", "make_user"]

# Playwright's sync API keeps an event loop running in the test thread; the Django ORM calls the
# tests make there are still plain synchronous calls, so its async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("OFFLABEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class World:
    """One account per role, each patient and owner with a record, and the consents a
    permission table needs, so permission tests read like a table.

    - ``person`` is the patient's own record, labelled "Pat"; ``clinician`` was invited to it
      and may add to it (see and add).
    - ``dog`` is the owner's dog Rex; ``vet`` was invited to see it (view only), ``care_vet`` to
      see and add to it.
    - ``other_dog`` belongs to ``other_owner`` and is shared with no one: a second owner's
      record for tests that try one owner's ids on another's.
    - ``stranger_vet`` is a vet no one has invited.
    - ``editor`` is staff in the "Editors" group (what granting the editor role does);
      ``superuser`` an operator's account from ``createsuperuser`` (the admin's only superuser).
    """

    patient: Any
    owner: Any
    other_owner: Any
    clinician: Any
    vet: Any
    care_vet: Any
    stranger_vet: Any
    reviewer: Any
    editor: Any
    pending_clinician: Any  # asked for the clinician role; not granted yet
    nobody: Any  # signed in, no role at all
    superuser: Any  # manage.py createsuperuser: all of the admin, no role on the site
    person: Any
    dog: Any
    other_dog: Any

    def by_name(self, name: str) -> Any:
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture(autouse=True)
def _english_to_begin_with() -> Iterator[None]:
    """Every test starts in the site's default language: a Spanish request leaves its language
    active in the thread (LocaleMiddleware activates, nothing deactivates), and a later test's
    English assertions would otherwise depend on which test ran before it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache: rate limits, cached panels and pages never leak."""
    from django.core.cache import cache

    from offlabel.web.common.caching import local_pages_clear

    cache.clear()
    local_pages_clear()
    yield
    cache.clear()
    local_pages_clear()


def _subjects_and_consents(accounts: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    from offlabel.web.registry import services

    person = services.subject_create(
        by=accounts["patient"],
        kind="person",
        name="Pat",
        sex="female",
        birth_year=1960,
        onset_date=dt.date(2023, 1, 10),
        diagnosis_date=dt.date(2023, 6, 1),
    )
    dog = services.subject_create(
        by=accounts["owner"],
        kind="dog",
        name="Rex",
        breed="Boxer",
        sex="male_neutered",
        birth_year=2016,
        weight_kg=30.0,
        sod1="A/A",
        onset_date=dt.date(2024, 2, 1),
    )
    other_dog = services.subject_create(
        by=accounts["other_owner"],
        kind="dog",
        name="Bella",
        breed="Pembroke Welsh Corgi",
        sex="female_spayed",
        birth_year=2015,
        sod1="A/A",
        onset_date=dt.date(2023, 9, 1),
    )
    for subject, owner, professional, scope in (
        (person, accounts["patient"], accounts["clinician"], "contribute"),
        (dog, accounts["owner"], accounts["vet"], "view"),
        (dog, accounts["owner"], accounts["care_vet"], "contribute"),
    ):
        access = services.access_invite(
            subject=subject, by=owner, email=professional.email, scope=scope
        )
        services.access_accept(token=access.token, user=professional)
    return {"person": person, "dog": dog, "other_dog": other_dog}


@pytest.fixture
def world(db: Any) -> World:
    accounts = {
        "patient": make_user("patient@example.org", "patient"),
        "owner": make_user("owner@example.org", "owner"),
        "other_owner": make_user("owner2@example.org", "owner"),
        "clinician": make_user("clinician@example.org", "clinician"),
        "vet": make_user("vet@example.org", "veterinarian"),
        "care_vet": make_user("care-vet@example.org", "veterinarian"),
        "stranger_vet": make_user("stranger-vet@example.org", "veterinarian"),
        "reviewer": make_user("reviewer@example.org", "reviewer"),
        "editor": make_user("editor@example.org", "editor", "reviewer"),
        "pending_clinician": make_user("pending@example.org", requested=("clinician",)),
        "nobody": make_user("nobody@example.org"),
        "superuser": make_superuser("operator@example.org"),
    }
    return World(**accounts, **_subjects_and_consents(accounts))


@pytest.fixture
def demo_topics(db: Any) -> list[Any]:
    """The two LDN topics of the demo (ALS in people, DM in dogs)."""
    from offlabel.web.catalog import demo

    return demo.load()


@pytest.fixture
def demo_site(db: Any, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole demo (every app's content, ``offlabel demo``), its files in a private var."""
    from offlabel.web.demo import load_demo

    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setenv("OFFLABEL_LITERATURE_INDEX", str(tmp_path / "var" / "literature-index"))
    load_demo(out=lambda line: None)


@pytest.fixture
def client_for(client: Any) -> Any:
    """``client_for(user)``: the test client signed in as that user (``None``: signed out)."""

    def sign_in(user: Any) -> Any:
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_sign_in(page: Any) -> Any:
    """``browser_sign_in(email, password=PASSWORD)``: sign in through the login form."""

    def sign_in(email: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return sign_in


class _ActiveContentFinder:
    """Collects every piece of markup that a browser would execute or load."""

    def __init__(self) -> None:
        from html.parser import HTMLParser

        self.problems: list[str] = []
        finder = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                if tag in {"script", "iframe", "object", "embed", "img", "svg", "style", "form"}:
                    finder.problems.append(f"<{tag}> element")
                for name, value in attrs:
                    if name.startswith("on"):
                        finder.problems.append(f"{name} handler on <{tag}>")
                    if (
                        name in {"href", "src"}
                        and value
                        and not value.startswith(("http://", "https://", "mailto:", "/", "#"))
                    ):
                        finder.problems.append(f"{name}={value!r} on <{tag}>")

        self.parser = Parser()


@pytest.fixture
def assert_inert() -> Any:
    """``assert_inert(html)``: no script, frame, image, event handler or unsafe link in it."""

    def check(html: str) -> None:
        finder = _ActiveContentFinder()
        finder.parser.feed(html)
        assert not finder.problems, finder.problems

    return check
