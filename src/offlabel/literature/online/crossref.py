"""Crossref REST API: one work's metadata by DOI.

Requests carry ``mailto`` when ``CROSSREF_MAILTO`` is set (Crossref's "polite pool").
The rate is kept at 5 requests a second, inside the public pool's limit for single works.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from typing import Any

from offlabel.literature.online.cache import ResponseCache
from offlabel.literature.online.errors import BadResponse, InvalidIdentifier
from offlabel.literature.online.http import HttpClient
from offlabel.literature.online.transport import Transport
from offlabel.literature.records import Record, normalize_doi

CROSSREF_BASE = "https://api.crossref.org/"
SERVICE = "Crossref"
RATE = 5.0

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def check_doi(value: str) -> str:
    """The normalized DOI (lower case, no URL prefix); :class:`InvalidIdentifier` if not one."""
    doi = normalize_doi(value)
    if doi is None or not _DOI.match(doi):
        raise InvalidIdentifier(value, SERVICE, "not a DOI (expected 10.<prefix>/<suffix>)")
    return doi


class CrossrefClient:
    """Look up works on Crossref.

    Parameters
    ----------
    mailto
        Contact address; defaults to ``$CROSSREF_MAILTO``.
    transport, cache, retries, timeout, limiter, sleep
        See :class:`~offlabel.literature.online.http.HttpClient`.
    """

    def __init__(
        self,
        *,
        mailto: str | None = None,
        transport: Transport | None = None,
        cache: ResponseCache | None = None,
        **http_options: Any,
    ) -> None:
        self.mailto = mailto if mailto is not None else os.environ.get("CROSSREF_MAILTO", "")
        self.http = HttpClient(SERVICE, RATE, transport=transport, cache=cache, **http_options)

    def url(self, doi: str) -> str:
        url = f"{CROSSREF_BASE}works/{urllib.parse.quote(doi, safe='/')}"
        if self.mailto:
            url += "?" + urllib.parse.urlencode({"mailto": self.mailto})
        return url

    def work(self, doi: str) -> dict[str, Any]:
        """The whole answer (``{"status": "ok", "message-type": "work", "message": {...}}``).

        Raises
        ------
        NotFound
            Crossref does not know the DOI (HTTP 404).
        BadResponse
            The answer is not a Crossref work envelope.
        """
        doi = check_doi(doi)
        body = self.http.get(self.url(doi), doi)
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise BadResponse(doi, SERVICE, f"answer is not JSON ({error})") from None
        if (
            not isinstance(payload, dict)
            or payload.get("message-type") != "work"
            or not isinstance(payload.get("message"), dict)
        ):
            raise BadResponse(doi, SERVICE, "answer is not a Crossref work (message-type 'work')")
        return payload

    def record(self, doi: str) -> Record:
        """The work as a :class:`Record`, read by the project's Crossref parser."""
        from offlabel.literature.online.convert import crossref_record

        doi = check_doi(doi)
        return crossref_record(self.work(doi), doi)
