"""Vancouver reference strings for stored references, through the core's CSL formatter."""

from __future__ import annotations

from collections.abc import Sequence

from offlabel.web.literature.convert import reference_record
from offlabel.web.literature.models import Reference


def vancouver_for(references: Sequence[Reference]) -> list[str]:
    """One Vancouver-style string per reference, in order (without the list number)."""
    from offlabel.literature.citations import format_vancouver

    return format_vancouver([reference_record(reference) for reference in references])
