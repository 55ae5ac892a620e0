"""One entry point for "look this identifier up": PMID, DOI or NCT id → Record."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from offlabel.literature.online.cache import ResponseCache, default_cache_dir
from offlabel.literature.online.crossref import CrossrefClient
from offlabel.literature.online.ctgov import ClinicalTrialsClient
from offlabel.literature.online.eutils import EutilsClient
from offlabel.literature.online.transport import Transport
from offlabel.literature.records import Record


class IdKind(StrEnum):
    PMID = "pmid"
    DOI = "doi"
    NCT = "nct"


def lookup(
    kind: IdKind | str,
    identifier: str,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    transport: Transport | None = None,
) -> Record:
    """Fetch one record from PubMed (PMID), Crossref (DOI) or ClinicalTrials.gov (NCT).

    Parameters
    ----------
    kind
        ``"pmid"``, ``"doi"`` or ``"nct"``.
    identifier
        The identifier; checked for shape before anything is sent.
    cache_dir
        Where answers are cached (default :func:`default_cache_dir`); ``use_cache=False``
        neither reads nor writes the cache.
    transport
        For tests: a :class:`~offlabel.literature.online.transport.ReplayTransport`.

    Raises
    ------
    OnlineLookupError
        (a :class:`LookupError`) naming the identifier: invalid, not found, rate limited,
        service unavailable or an unreadable answer.

    Examples
    --------
    >>> lookup("doi", "10.3109/17482968.2010.544386").journal  # doctest: +SKIP
    'Amyotrophic Lateral Sclerosis'
    """
    which = IdKind(kind)
    cache = ResponseCache(cache_dir or default_cache_dir()) if use_cache else None
    if which is IdKind.PMID:
        return EutilsClient(transport=transport, cache=cache).fetch_one(identifier)
    if which is IdKind.DOI:
        return CrossrefClient(transport=transport, cache=cache).record(identifier)
    return ClinicalTrialsClient(transport=transport, cache=cache).record(identifier)
