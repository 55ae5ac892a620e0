"""Turn look-up answers into Records with the project's own parsers.

The parsers are the ones that read imported files (``parsers.crossref``,
``parsers.ctgov``), so a looked-up record and an imported one are built the same way.
"""

from __future__ import annotations

from typing import Any

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.online.errors import BadResponse
from offlabel.literature.records import Record


def crossref_record(payload: dict[str, Any], doi: str) -> Record:
    """The Record of a Crossref ``/works/{doi}`` answer; :class:`BadResponse` if unreadable."""
    from offlabel.literature.parsers.crossref import work_to_record

    try:
        return work_to_record(payload["message"], name=f"crossref:{doi}")
    except (LiteratureParseError, KeyError) as error:
        raise BadResponse(doi, "Crossref", f"unreadable work: {error}") from None


def ctgov_record(payload: dict[str, Any], nct: str) -> Record:
    """The Record of a ClinicalTrials.gov v2 study; :class:`BadResponse` if unreadable."""
    from offlabel.literature.parsers.ctgov import study_to_record

    try:
        return study_to_record(payload, name=f"clinicaltrials.gov:{nct}")
    except LiteratureParseError as error:
        raise BadResponse(nct, "ClinicalTrials.gov", f"unreadable study: {error}") from None
