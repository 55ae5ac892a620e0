"""In the browser: a reviewer imports a file, previews it, picks records, commits, reads them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.literature.support import FIXTURES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reviewer_imports_previews_picks_and_finds_them_in_the_library(
    page: Any, world: Any, topic: Any, browser_sign_in: Any
) -> None:
    from offlabel.web.literature.models import LibraryEntry

    browser_sign_in("reviewer@example.org")
    page.goto("/")
    page.get_by_role("link", name="Literature").click()
    page.get_by_role("link", name="Low-dose naltrexone for Amyotrophic lateral sclerosis").click()
    page.get_by_role("link", name="Import references").click()

    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "ldn.ris"))
    page.get_by_label("Format").select_option("auto")
    page.get_by_role("button", name="Read and preview").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Preview: ldn.ris"
    crohn = page.get_by_label("Low-dose naltrexone therapy improves active Crohn's disease")
    assert crohn.is_checked()
    crohn.uncheck()  # not about ALS: leave it out
    page.get_by_role("button", name="Add to the library").click()

    page.wait_for_url(f"**/literature/{topic.slug}/")
    assert page.get_by_text("2 reference(s) added to the library.").is_visible()
    references = page.locator("ol.lit-references")
    assert "Pilot trial of low dose naltrexone" in references.inner_text()
    assert "Naloxone of no benefit in amyotrophic lateral sclerosis" in references.inner_text()
    assert "Crohn" not in references.inner_text()
    assert LibraryEntry.objects.filter(topic=topic).count() == 2
