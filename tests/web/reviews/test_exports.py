"""PDF, JSON and Markdown exports, on the web and from ``offlabel review export``."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.urls import reverse
from pypdf import PdfReader

from offlabel.cli import main
from offlabel.evidence.vocabulary import Category
from offlabel.web.reviews import exports, services


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _grade_table(text: str) -> dict[str, str]:
    """Category label → grade letter, read from the PDF's Table of Evidence rows."""
    found = {}
    for category in Category:
        match = re.search(rf"^{re.escape(category.label)}\s+([A-FU])\s", text, re.MULTILINE)
        assert match, f"{category.label} row missing from the PDF"
        found[category.value] = match.group(1)
    return found


def test_pdf_has_title_version_and_the_grades_the_web_page_shows(
    published: Any, client: Any
) -> None:
    response = client.get(reverse("reviews:export", args=[published.topic.slug, 1, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="low-dose-naltrexone-als-v1.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "Low-dose naltrexone for ALS" in text
    assert "Version 1" in text
    stored = {g.category: g.grade for g in published.published_grades.all()}
    assert _grade_table(text) == stored
    assert "References" in text and "Study number 0 of low-dose naltrexone" in text
    page = client.get(published.get_absolute_url()).content.decode()
    for category, grade in stored.items():
        assert f'data-category="{category}">{grade}</a>' in page


def test_pdf_of_a_published_version_is_cached(published: Any) -> None:
    first = exports.review_as_pdf(published)
    published.mechanism = "changed in memory only"
    assert exports.review_as_pdf(published) == first


def test_json_export_carries_grades_votes_sections_and_references(
    published: Any, client: Any
) -> None:
    response = client.get(reverse("reviews:export", args=[published.topic.slug, 1, "json"]))
    data = json.loads(response.content)
    assert data["version"] == 1 and data["status"] == "published"
    assert data["topic"] == "low-dose-naltrexone-als"
    assert {c: g["grade"] for c, g in data["grades"].items()} == {
        g.category: g.grade for g in published.published_grades.all()
    }
    assert data["grades"]["trials"]["distribution"] == {
        "A": 0, "B": 0, "C": 1, "D": 2, "F": 0, "U": 0,
    }  # fmt: skip
    assert data["sections"]["mechanism"] == "Opioid receptors sit on immune cells."
    assert [r["number"] for r in data["references"]] == [1, 2, 3, 4, 5]
    assert len(data["evidence"]) == 5


def test_markdown_export_has_the_grade_table_and_sections(published: Any) -> None:
    text = exports.review_as_markdown(published)
    assert text.startswith("# Low-dose naltrexone for ALS\n")
    assert "| Trials | D | 0/0/1/2/0/0 |" in text
    assert "## Mechanism\n\nOpioid receptors sit on immune cells." in text
    assert "1. Author0 A, Second B." in text


def test_unknown_export_format_is_404(published: Any, client: Any) -> None:
    url = reverse("reviews:export", args=[published.topic.slug, 1, "docx"])
    assert client.get(url).status_code == 404


# -- CLI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "md", "pdf"])
def test_cli_exports_the_published_version(published: Any, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"review.{fmt}"
    result = CliRunner().invoke(
        main, ["review", "export", published.topic.slug, "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data == exports.review_export(published, fmt)
    if fmt == "pdf":
        assert "Low-dose naltrexone for ALS" in _pdf_text(data)


def test_cli_exports_a_superseded_version_by_number(
    published: Any, stage: Any, tmp_path: Path
) -> None:
    new = services.review_new_version(review=published, by=stage.world.reviewer, carry_votes=True)
    services.review_circulate(review=new, by=stage.world.reviewer)
    services.review_publish(review=new, by=stage.world.editor)
    out = str(tmp_path / "v1.json")
    result = CliRunner().invoke(
        main,
        [
            "review",
            "export",
            stage.topic.slug,
            "--format",
            "json",
            "--version",
            "1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(Path(out).read_text())["status"] == "superseded"


def test_cli_unknown_slug_exits_2_naming_it(db: Any, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = CliRunner().invoke(
        main, ["review", "export", "no-such-topic", "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "unknown topic 'no-such-topic'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_unknown_or_unpublished_version_exits_2(
    published: Any, stage: Any, tmp_path: Path
) -> None:
    services.review_new_version(review=published, by=stage.world.reviewer)  # v2 is a draft
    for version in ("2", "9"):
        result = CliRunner().invoke(
            main,
            [
                "review", "export", stage.topic.slug, "--format", "md",
                "--version", version, "-o", str(tmp_path / "x.md"),
            ],
        )  # fmt: skip
        assert result.exit_code == 2
        assert f"has no version {version} (published versions: 1)" in result.output


def test_cli_topic_without_published_review_exits_2(draft: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["review", "export", draft.topic.slug, "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
    )
    assert result.exit_code == 2
    assert "has no published version (published versions: none)" in result.output
