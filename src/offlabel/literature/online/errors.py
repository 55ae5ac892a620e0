"""Errors raised by the online look-ups.

Every error names the identifier that was being looked up, so a caller can show
"DOI 10.1000/x: not found at Crossref" without knowing which service was asked.
All of them are :class:`LookupError` subclasses.
"""

from __future__ import annotations


class OnlineLookupError(LookupError):
    """A look-up of one identifier failed.

    Parameters
    ----------
    identifier
        The PMID, DOI, NCT id or query that was being looked up.
    service
        The service asked ("NCBI E-utilities", "Crossref", "ClinicalTrials.gov").
    reason
        What went wrong, in plain words.
    """

    def __init__(self, identifier: str, service: str, reason: str) -> None:
        self.identifier = identifier
        self.service = service
        self.reason = reason
        super().__init__(f"{identifier}: {reason} ({service})")


class InvalidIdentifier(OnlineLookupError):
    """The identifier is not well formed; nothing was sent."""


class NotFound(OnlineLookupError):
    """The service answered that the identifier does not exist (HTTP 404 or an empty answer)."""


class RateLimited(OnlineLookupError):
    """The service kept answering HTTP 429 after the allowed retries.

    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    def __init__(
        self, identifier: str, service: str, reason: str, retry_after: float | None = None
    ) -> None:
        super().__init__(identifier, service, reason)
        self.retry_after = retry_after


class ServiceUnavailable(OnlineLookupError):
    """HTTP 5xx, a timeout or a network failure, after the allowed retries."""


class BadResponse(OnlineLookupError):
    """The service answered, but not with the JSON or XML shape expected."""
