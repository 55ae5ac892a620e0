"""Accessibility in a real browser (WCAG 2.2 AA): axe-core on every main page of every role with
no serious or critical violation, no horizontal scrolling at 390 px, targets of at least
24 × 24 px, chart text of at least 11 px at phone width; and one keyboard-only journey.

The whole demo is loaded once per test (a live server needs a transactional database); each
role's pages are visited in one browser context signed in through its session cookie. The
figures per page are printed (``-s`` shows them) and collected in one assertion per check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.a11y import (
    PHONE,
    axe_violations,
    blocking,
    chart_text_sizes,
    overflow,
    small_targets,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MIN_CHART_PX = 11.0
ROLES = ("anonymous", "patient", "owner", "clinician", "vet", "reviewer", "editor")


def _pages(role: str) -> list[str]:
    """The main pages of one role of the demo."""
    from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
    from offlabel.web.registry.models import Subject
    from offlabel.web.reviews.models import Review

    als = Review.objects.get(topic__slug=LDN_ALS_SLUG)
    public = [
        "/",
        reverse("catalog:about"),
        reverse("catalog:topic", args=[LDN_ALS_SLUG]),
        reverse("catalog:topic", args=[LDN_DM_SLUG]),
        reverse("catalog:side_by_side", args=["low-dose-naltrexone"]),
        reverse("reviews:index"),
        als.get_absolute_url(),
        reverse("reviews:latest", args=[LDN_DM_SLUG]),
        reverse("reviews:rubric"),
        reverse("network:future"),
        reverse("network:red_flags"),
    ]
    if role == "anonymous":
        return [*public, reverse("accounts:login"), reverse("accounts:sign_up")]

    def own_record(email: str) -> list[str]:
        subject = Subject.objects.filter(owner__email=email).first()
        if subject is None:
            return []
        url = subject.get_absolute_url()
        return [url, url + "scores/new/", reverse("analytics:me", args=[subject.public_id])]

    signed_in = [reverse("accounts:account"), reverse("network:notifications")]
    if role in ("patient", "owner"):
        return [
            reverse("registry:dashboard"),
            *own_record(f"{role}@offlabel.demo"),
            reverse("accounts:settings"),
            reverse("network:following"),
            reverse("network:request_new"),
            *signed_in,
            als.get_absolute_url(),
        ]
    if role in ("clinician", "vet"):
        return [
            reverse("registry:dashboard"),
            reverse("network:discussions"),
            reverse("network:prescribers"),
            reverse("network:consults"),
            *signed_in,
        ]
    if role == "reviewer":
        return [
            reverse("reviews:workspace"),
            als.get_workspace_url(),
            reverse("literature:index"),
            reverse("literature:library", args=[LDN_ALS_SLUG]),
            reverse("analytics:index"),
            reverse("analytics:topic", args=[LDN_DM_SLUG]),
            reverse("registry:deidentified"),
            reverse("registry:reversals"),
            reverse("network:discussions"),
        ]
    return [  # editor
        reverse("accounts:role_requests"),
        reverse("registry:import"),
        reverse("reviews:translation_edit", args=[als.pk, "es"]),
        als.get_workspace_url(),
        reverse("reviews:workspace"),
    ]


EMAILS = {
    "patient": "patient@offlabel.demo",
    "owner": "owner@offlabel.demo",
    "clinician": "clinician@offlabel.demo",
    "vet": "vet@offlabel.demo",
    "reviewer": "reviewer@offlabel.demo",
    "editor": "editor@offlabel.demo",
}


@pytest.fixture
def phone_as(browser: Any, live_server: Any) -> Iterator[Any]:
    """``phone_as(role, language="en")``: a 390 px browser page signed in as the demo's role."""
    from django.conf import settings

    from offlabel.web.accounts.models import User

    contexts: list[Any] = []

    def open_page(role: str, language: str = "en") -> Any:
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, locale=language, bypass_csp=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        if role != "anonymous":
            client = Client()
            client.force_login(
                User.objects.get(email=EMAILS[role]),
                backend="django.contrib.auth.backends.ModelBackend",
            )
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _check(page: Any, url: str) -> dict[str, Any]:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    violations = axe_violations(page)
    sizes = chart_text_sizes(page)
    return {
        "url": url,
        "violations": violations,
        "blocking": blocking(violations),
        "overflow": overflow(page),
        "small": small_targets(page),
        "chart_min": min(sizes) if sizes else None,
    }


def _report(role: str, results: list[dict[str, Any]]) -> None:
    for r in results:
        others = ", ".join(f"{v['id']}({v['impact']})" for v in r["violations"])
        chart = "" if r["chart_min"] is None else f" chart text ≥ {r['chart_min']:.1f}px"
        print(
            f"[{role}] {r['url']}: axe {len(r['blocking'])} serious/critical, "
            f"{len(r['violations'])} in all{' (' + others + ')' if others else ''}; "
            f"width {r['overflow']['width']}/{r['overflow']['inner']}{chart}"
        )
        for v in r["blocking"]:
            print("   ", v["id"], v["nodes"])
        if r["small"]:
            print("    small targets:", r["small"])
        if r["overflow"]["wide"]:
            print("    too wide:", r["overflow"]["wide"])


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_passes_axe_fits_a_phone_and_has_big_targets(
    role: str, demo_site: None, phone_as: Any
) -> None:
    page = phone_as(role)
    results = [_check(page, url) for url in _pages(role)]
    _report(role, results)
    assert [(r["url"], r["blocking"]) for r in results if r["blocking"]] == []
    assert [
        (r["url"], r["overflow"]) for r in results if r["overflow"]["width"] > PHONE["width"]
    ] == []
    assert [(r["url"], r["small"]) for r in results if r["small"]] == []
    small_text = [
        (r["url"], r["chart_min"])
        for r in results
        if r["chart_min"] is not None and r["chart_min"] < MIN_CHART_PX
    ]
    assert small_text == []


def test_spanish_pages_pass_axe_and_fit_a_phone(demo_site: None, phone_as: Any) -> None:
    """The same checks on the Spanish reader's main pages (longer words wrap differently)."""
    from offlabel.web.catalog.demo import LDN_ALS_SLUG

    page = phone_as("anonymous", language="es")
    urls = ["/", reverse("reviews:latest", args=[LDN_ALS_SLUG]), reverse("reviews:index")]
    results = [_check(page, url) for url in urls]
    _report("anonymous, es", results)
    assert [r["url"] for r in results if r["chart_min"] is not None and r["chart_min"] < 11] == []
    page.goto(urls[1])
    assert page.evaluate("document.documentElement.lang") == "es"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Naltrexona en dosis bajas para la ELA"
    assert page.get_by_role("heading", name="Qué significa esto para usted").is_visible()
    assert page.get_by_role("heading", name="Tabla de pruebas").is_visible()
    # the switcher goes back to English on the same page
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**{urls[1]}")
    assert page.get_by_role("heading", level=1).inner_text() == "Low-dose naltrexone for ALS"
    assert [r["url"] for r in results if r["blocking"] or r["small"]] == []
    assert [r["url"] for r in results if r["overflow"]["width"] > PHONE["width"]] == []


def _tab_until(page: Any, matches: Any, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies ``matches(info)``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement;
                return {tag: e.tagName.toLowerCase(), name: e.name || '',
                        text: (e.textContent || '').trim(),
                        href: e.getAttribute('href') || ''}; }"""
        )
        if matches(info):
            return
    raise AssertionError("Tab never reached the element")


def test_keyboard_only_sign_in_open_a_review_and_record_an_alsfrs_score(
    world: Any, demo_topics: Any, page: Any
) -> None:
    """No mouse: every step is Tab, typing, Space or Enter, from the home page on."""
    from offlabel.web.reviews import demo as reviews_demo
    from tests.support.accounts import PASSWORD
    from tests.web.registry.test_browser_trust import ITEMS

    reviews_demo_users(reviews_demo)
    reviews_demo.load()
    page.set_viewport_size(PHONE)
    page.goto("/")
    _tab_until(page, lambda e: e["text"] == "Sign in")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    _tab_until(page, lambda e: e["name"] == "username")
    page.keyboard.type(world.patient.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    _tab_until(page, lambda e: e["text"] == "Reviews" and e["tag"] == "a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reviews/")
    _tab_until(page, lambda e: e["text"] == "Low-dose naltrexone for ALS")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reviews/low-dose-naltrexone-als/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Low-dose naltrexone for ALS"
    assert page.get_by_role("heading", name="What this means for you").is_visible()

    _tab_until(page, lambda e: e["text"] == "My records")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registry/")
    _tab_until(page, lambda e: e["href"] == world.person.get_absolute_url())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{world.person.get_absolute_url()}")
    _tab_until(page, lambda e: e["text"] == "Record an ALSFRS-R score")
    page.keyboard.press("Enter")
    page.wait_for_url("**/scores/new/")
    _tab_until(page, lambda e: e["name"] == "date")
    page.keyboard.type("05012023")  # Chromium's date field takes digits in its locale order
    for key in ITEMS:
        _tab_until(page, lambda e, key=key: e["name"] == f"item_{key}", limit=8)
        page.keyboard.press("Space")  # its first choice: "4 – as before"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{world.person.get_absolute_url()}")
    score = world.person.scores.get()
    assert score.total == 48 and str(score.date) == "2023-05-01"


def reviews_demo_users(reviews_demo: Any) -> None:
    """The demo's reviewers and editor, so the demo reviews can be published in this world."""
    from offlabel.web.accounts import demo as accounts_demo

    accounts_demo.load()
