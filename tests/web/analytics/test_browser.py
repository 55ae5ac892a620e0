"""Browser test: a reviewer runs matched controls and reads the effect and the balance table."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reviewer_runs_matched_controls_and_sees_effect_and_balance(
    page: Any, browser_sign_in: Any, world: Any, registry: Any, als_topic: Any
) -> None:
    browser_sign_in(world.reviewer.email)
    page.goto("/analytics/")
    page.get_by_role("link", name="Low-dose naltrexone for Amyotrophic lateral sclerosis").click()
    page.get_by_label("Controls per treated person (k)").fill("3")
    page.get_by_label("Follow-up window (months)").fill("12")
    page.get_by_label("Seed").fill("42")
    page.get_by_role("button", name="Run matched controls").click()
    page.wait_for_url(re.compile(r"/analytics/[\w-]+/runs/\d+/$"))

    effect = page.locator("p.effect")
    assert re.search(
        r"Effect: -?\d+\.\d\d points/month \(95% CI -?\d+\.\d\d to -?\d+\.\d\d\)",
        effect.inner_text(),
    )
    balance = page.get_by_role("table").filter(has_text="Controls after")
    assert balance.get_by_role("row").count() >= 4
    assert page.get_by_role("img", name=re.compile("Treated vs matched controls")).is_visible()
    assert page.locator("div.caveats li").count() >= 2

    page.get_by_role("link", name=re.compile("Analyses of Low-dose naltrexone")).click()
    assert page.get_by_role("cell", name="seed=42", exact=False).count() == 1
