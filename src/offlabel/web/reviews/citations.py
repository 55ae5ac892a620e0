"""Numbered references of a review, in the literature app's Vancouver style (one formatter)."""

from __future__ import annotations

from collections.abc import Sequence

from offlabel.web.literature.citations import vancouver_for
from offlabel.web.literature.models import Reference


def format_references(references: Sequence[Reference]) -> list[str]:
    """One Vancouver string per reference, in citation order (the template numbers them)."""
    return vancouver_for(references)
