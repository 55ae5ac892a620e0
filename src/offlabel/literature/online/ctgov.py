"""ClinicalTrials.gov API v2: one study by NCT id.

The v2 API answers ``GET /api/v2/studies/{nctId}`` with the study object
(``protocolSection``, ``derivedSection``, ``hasResults``); an unknown id is HTTP 404
with a plain-text body. Requests are kept under 50 a minute, the documented limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

from offlabel.literature.online.cache import ResponseCache
from offlabel.literature.online.errors import BadResponse, InvalidIdentifier
from offlabel.literature.online.http import HttpClient
from offlabel.literature.online.transport import Transport
from offlabel.literature.records import Record

CTGOV_BASE = "https://clinicaltrials.gov/api/v2/"
SERVICE = "ClinicalTrials.gov"
RATE = 50.0 / 60.0

_NCT = re.compile(r"^NCT\d{8}$")


def check_nct(value: str) -> str:
    """The NCT id upper-cased; :class:`InvalidIdentifier` unless it is ``NCT`` + 8 digits."""
    nct = value.strip().upper()
    if not _NCT.match(nct):
        raise InvalidIdentifier(value, SERVICE, "not an NCT id (expected NCT and 8 digits)")
    return nct


class ClinicalTrialsClient:
    """Look up studies on ClinicalTrials.gov.

    Parameters
    ----------
    transport, cache, retries, timeout, limiter, sleep
        See :class:`~offlabel.literature.online.http.HttpClient`.
    """

    def __init__(
        self,
        *,
        transport: Transport | None = None,
        cache: ResponseCache | None = None,
        **http_options: Any,
    ) -> None:
        self.http = HttpClient(SERVICE, RATE, transport=transport, cache=cache, **http_options)

    @staticmethod
    def url(nct: str) -> str:
        return f"{CTGOV_BASE}studies/{nct}"

    def study(self, nct: str) -> dict[str, Any]:
        """The study object as returned.

        Raises
        ------
        NotFound
            Unknown NCT id (HTTP 404).
        BadResponse
            Not JSON, or no ``protocolSection.identificationModule.nctId``.
        """
        nct = check_nct(nct)
        body = self.http.get(self.url(nct), nct)
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise BadResponse(nct, SERVICE, f"answer is not JSON ({error})") from None
        try:
            # an old alias is redirected to the study's current id, so the id may differ
            payload["protocolSection"]["identificationModule"]["nctId"]
        except (KeyError, TypeError):
            raise BadResponse(
                nct, SERVICE, "answer is not a study (no protocolSection.identificationModule)"
            ) from None
        return dict(payload)

    def record(self, nct: str) -> Record:
        """The study as a :class:`Record`, read by the project's ClinicalTrials.gov parser."""
        from offlabel.literature.online.convert import ctgov_record

        nct = check_nct(nct)
        return ctgov_record(self.study(nct), nct)
