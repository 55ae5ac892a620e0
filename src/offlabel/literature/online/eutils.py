"""NCBI E-utilities: search PubMed (ESearch) and fetch records by PMID (EFetch).

NCBI's usage rules are honoured: at most 3 requests a second, 10 with an API key (read
from ``NCBI_API_KEY``), and every request carries ``tool`` and, when ``NCBI_EMAIL`` is
set, ``email``. EFetch answers are PubMed XML, read with the project's own streaming
parser, so a fetched record is exactly what an imported baseline file would give.
"""

from __future__ import annotations

import io
import json
import os
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.online.cache import ResponseCache
from offlabel.literature.online.errors import BadResponse, InvalidIdentifier, NotFound
from offlabel.literature.online.http import HttpClient
from offlabel.literature.online.transport import Transport
from offlabel.literature.parsers.pubmed import iter_pubmed
from offlabel.literature.records import Record

EUTILS_BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
SERVICE = "NCBI E-utilities"
RATE_WITHOUT_KEY = 3.0
RATE_WITH_KEY = 10.0
#: EFetch takes up to a few hundred ids per GET; 200 keeps URLs well under limits.
EFETCH_BATCH = 200

_PMID = re.compile(r"^[1-9]\d{0,9}$")


@dataclass(frozen=True)
class SearchResult:
    """An ESearch answer: the total number of matches and the PMIDs of this page."""

    query: str
    count: int
    pmids: tuple[str, ...]


def check_pmid(value: str) -> str:
    """``value`` stripped, if it is a PMID (1-10 digits); else :class:`InvalidIdentifier`."""
    pmid = value.strip()
    if not _PMID.match(pmid):
        raise InvalidIdentifier(value, SERVICE, "not a PMID (expected digits only)")
    return pmid


class EutilsClient:
    """Look up PubMed through E-utilities.

    Parameters
    ----------
    api_key
        NCBI API key; defaults to ``$NCBI_API_KEY``. Raises the allowed rate to 10/s.
    email
        Contact address NCBI asks for; defaults to ``$NCBI_EMAIL``.
    transport, cache, retries, timeout, limiter, sleep
        See :class:`~offlabel.literature.online.http.HttpClient`.

    Examples
    --------
    >>> client = EutilsClient(api_key="")  # doctest: +SKIP
    >>> client.fetch_one("29768149").title  # doctest: +SKIP
    'Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.'
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        email: str | None = None,
        tool: str = "offlabel",
        transport: Transport | None = None,
        cache: ResponseCache | None = None,
        **http_options: Any,
    ) -> None:
        self.api_key = api_key if api_key is not None else os.environ.get("NCBI_API_KEY", "")
        self.email = email if email is not None else os.environ.get("NCBI_EMAIL", "")
        self.tool = tool
        self.rate = RATE_WITH_KEY if self.api_key else RATE_WITHOUT_KEY
        self.http = HttpClient(SERVICE, self.rate, transport=transport, cache=cache, **http_options)

    def _url(self, endpoint: str, params: dict[str, str]) -> str:
        params = {**params, "tool": self.tool}
        if self.email:
            params["email"] = self.email
        if self.api_key:
            params["api_key"] = self.api_key
        return f"{EUTILS_BASE}{endpoint}?{urllib.parse.urlencode(params)}"

    def search(self, query: str, *, retmax: int = 100, retstart: int = 0) -> SearchResult:
        """PMIDs matching a PubMed query (ESearch), newest first as PubMed orders them.

        Raises
        ------
        BadResponse
            The answer is not ESearch JSON, or ESearch reports an error for the query.
        """
        url = self._url(
            "esearch.fcgi",
            {
                "db": "pubmed",
                "term": query,
                "retmode": "json",
                "retmax": str(retmax),
                "retstart": str(retstart),
            },
        )
        body = self.http.get(url, query)
        try:
            result = json.loads(body)["esearchresult"]
        except (ValueError, KeyError, TypeError) as error:
            raise BadResponse(query, SERVICE, f"not an ESearch JSON answer ({error})") from None
        if not isinstance(result, dict):
            raise BadResponse(query, SERVICE, "esearchresult is not an object")
        if "ERROR" in result:
            raise BadResponse(query, SERVICE, f"ESearch error: {result['ERROR']}")
        try:
            count = int(result["count"])
            pmids = tuple(str(pmid) for pmid in result["idlist"])
        except (KeyError, ValueError, TypeError) as error:
            raise BadResponse(query, SERVICE, f"ESearch answer lacks {error}") from None
        return SearchResult(query=query, count=count, pmids=pmids)

    def fetch_xml(self, pmids: Sequence[str]) -> bytes:
        """The EFetch PubMed XML for up to :data:`EFETCH_BATCH` PMIDs, as returned."""
        checked = [check_pmid(pmid) for pmid in pmids]
        if not checked or len(checked) > EFETCH_BATCH:
            raise ValueError(f"fetch_xml takes 1 to {EFETCH_BATCH} PMIDs, got {len(checked)}")
        url = self._url("efetch.fcgi", {"db": "pubmed", "id": ",".join(checked), "retmode": "xml"})
        return self.http.get(url, ",".join(checked))

    def fetch(self, pmids: Sequence[str]) -> list[Record]:
        """Records for ``pmids`` in the order asked; PMIDs PubMed does not know are left out."""
        found: dict[str, Record] = {}
        for start in range(0, len(pmids), EFETCH_BATCH):
            batch = list(pmids[start : start + EFETCH_BATCH])
            body = self.fetch_xml(batch)
            label = ",".join(batch)
            try:
                for item in iter_pubmed(io.BytesIO(body)):
                    if isinstance(item, Record) and item.pmid:
                        found[item.pmid] = item
            except LiteratureParseError as error:
                raise BadResponse(label, SERVICE, f"unreadable EFetch XML: {error}") from None
        return [found[pmid.strip()] for pmid in pmids if pmid.strip() in found]

    def fetch_one(self, pmid: str) -> Record:
        """The record for one PMID; :class:`NotFound` when PubMed returns nothing for it."""
        pmid = check_pmid(pmid)
        records = self.fetch([pmid])
        if not records:
            raise NotFound(pmid, SERVICE, "PubMed returned no record for this PMID")
        return records[0]
