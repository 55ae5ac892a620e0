"""Numbered references: the literature core's Vancouver style, group authors included."""

from __future__ import annotations

from typing import Any

from offlabel.web.literature.models import Reference
from offlabel.web.reviews.citations import format_references


def _reference(**fields: Any) -> Reference:
    return Reference(**fields)  # unsaved: formatting needs no database


def test_personal_authors_use_the_core_vancouver_style() -> None:
    cree = _reference(
        authors=["Cree BA", "Kornyeyeva E", "Goodin DS"],
        title="Pilot trial of low-dose naltrexone and quality of life in multiple sclerosis",
        journal="Ann Neurol",
        year=2010,
        volume="68",
        issue="2",
        pages="145-150",
    )
    assert format_references([cree]) == [
        "Cree BA, Kornyeyeva E, Goodin DS. Pilot trial of low-dose naltrexone and quality of "
        "life in multiple sclerosis. Ann Neurol. 2010;68:145–50."
    ]


def test_group_author_is_kept_whole() -> None:
    label = _reference(
        authors=["US Food and Drug Administration"],
        title="Naltrexone prescribing information",
        year=2010,
        url="https://example.org/label.pdf",
    )
    assert format_references([label]) == [
        "US Food and Drug Administration. Naltrexone prescribing information. 2010. "
        "Available from: https://example.org/label.pdf"
    ]
