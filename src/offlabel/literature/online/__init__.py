"""Online look-ups: NCBI E-utilities, Crossref and ClinicalTrials.gov, cached and rate-limited.

Public API::

    lookup(kind, identifier, *, cache_dir=None, use_cache=True, transport=None) -> Record
    EutilsClient(...).search(query) / .fetch(pmids) / .fetch_one(pmid)
    CrossrefClient(...).work(doi) / .record(doi)
    ClinicalTrialsClient(...).study(nct) / .record(nct)

Errors are :class:`OnlineLookupError` (a :class:`LookupError`) subclasses naming the id.
"""

from offlabel.literature.online.errors import (
    BadResponse,
    InvalidIdentifier,
    NotFound,
    OnlineLookupError,
    RateLimited,
    ServiceUnavailable,
)
from offlabel.literature.online.lookup import IdKind, lookup

__all__ = [
    "BadResponse",
    "IdKind",
    "InvalidIdentifier",
    "NotFound",
    "OnlineLookupError",
    "RateLimited",
    "ServiceUnavailable",
    "lookup",
]
