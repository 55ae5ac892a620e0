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
    assert page.get_by_text("2 references added to the library.").is_visible()
    references = page.locator("ol.lit-references")
    assert "Pilot trial of low dose naltrexone" in references.inner_text()
    assert "Naloxone of no benefit in amyotrophic lateral sclerosis" in references.inner_text()
    assert "Crohn" not in references.inner_text()
    assert LibraryEntry.objects.filter(topic=topic).count() == 2


def test_a_file_with_one_bad_record_previews_the_good_ones_and_lists_the_bad_one(
    page: Any, world: Any, topic: Any, browser_sign_in: Any
) -> None:
    from offlabel.web.literature.models import LibraryEntry, Reference

    browser_sign_in("reviewer@example.org")
    page.goto(f"/literature/{topic.slug}/import/")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "one_bad_record.ris"))
    page.get_by_role("button", name="Read and preview").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Preview: one_bad_record.ris"
    left_out = page.get_by_role("region", name="Left out (1)")
    assert left_out.is_visible()
    reason = left_out.locator("li").inner_text()
    assert "one_bad_record.ris (record 2, line 9" in reason
    assert "neither a title nor an identifier" in reason
    good = page.get_by_label("Low-dose naltrexone in amyotrophic lateral sclerosis")
    mouse = page.get_by_label("Naltrexone and microglia in an invented mouse model of ALS")
    assert good.is_checked() and mouse.is_checked()
    assert not Reference.objects.exists()  # nothing saved before the reviewer confirms

    mouse.uncheck()
    page.get_by_role("button", name="Add to the library").click()
    page.wait_for_url(f"**/literature/{topic.slug}/")
    assert page.get_by_text("1 reference added to the library.").is_visible()
    assert LibraryEntry.objects.filter(topic=topic).count() == 1
