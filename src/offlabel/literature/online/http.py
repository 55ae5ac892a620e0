"""The GET-with-cache-rate-limit-and-retries loop shared by every look-up client."""

from __future__ import annotations

import time
from collections.abc import Callable

from offlabel.literature.online.cache import ResponseCache
from offlabel.literature.online.errors import (
    NotFound,
    OnlineLookupError,
    RateLimited,
    ServiceUnavailable,
)
from offlabel.literature.online.ratelimit import TokenBucket
from offlabel.literature.online.transport import (
    Response,
    Transport,
    TransportError,
    UrllibTransport,
)

#: HTTP answers worth retrying: too many requests and transient server failures.
RETRYABLE = frozenset({429, 500, 502, 503, 504})


class HttpClient:
    """GET through a rate limiter, a cache and a bounded retry loop.

    Parameters
    ----------
    service
        Name used in error messages ("Crossref").
    rate
        Requests per second allowed by the service.
    transport
        Defaults to :class:`UrllibTransport`; tests pass a replay transport.
    cache
        Optional :class:`ResponseCache`; successful answers are stored and reused.
    timeout
        Seconds to wait for one answer.
    retries
        Extra attempts after a 429, a 5xx or a timeout (with exponential back-off, or the
        server's ``Retry-After`` when it sends one).
    limiter, sleep
        Injectable for tests; ``limiter`` defaults to a :class:`TokenBucket` at ``rate``.
    """

    def __init__(
        self,
        service: str,
        rate: float,
        *,
        transport: Transport | None = None,
        cache: ResponseCache | None = None,
        timeout: float = 30.0,
        retries: int = 2,
        limiter: TokenBucket | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.transport: Transport = transport if transport is not None else UrllibTransport()
        self.cache = cache
        self.timeout = timeout
        self.retries = retries
        self.limiter = limiter if limiter is not None else TokenBucket(rate, sleep=sleep)
        self._sleep = sleep

    def get(self, url: str, identifier: str, *, use_cache: bool = True) -> bytes:
        """The body of a 200 answer for ``url``; errors name ``identifier``.

        Raises
        ------
        NotFound
            HTTP 404 (or 400/410: the service rejects the identifier).
        RateLimited
            HTTP 429 on every attempt.
        ServiceUnavailable
            HTTP 5xx, another status, a timeout or a network failure on every attempt.
        """
        if use_cache and self.cache is not None:
            cached = self.cache.get(url)
            if cached is not None:
                return cached
        last_error: OnlineLookupError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self._backoff(attempt, last_error))
            self.limiter.acquire()
            try:
                response = self.transport.get(url, timeout=self.timeout)
            except TransportError as error:
                last_error = ServiceUnavailable(identifier, self.service, f"no answer ({error})")
                continue
            if response.status == 200:
                if use_cache and self.cache is not None:
                    self.cache.put(url, response.body)
                return response.body
            last_error = self._error_for(response, identifier)
            if response.status not in RETRYABLE:
                break
        if last_error is None:  # unreachable: the loop runs at least once
            raise ServiceUnavailable(identifier, self.service, "no attempt was made")
        raise last_error

    def _error_for(self, response: Response, identifier: str) -> OnlineLookupError:
        snippet = response.body[:200].decode("utf-8", "replace").strip()
        detail = f": {snippet}" if snippet else ""
        if response.status in (400, 404, 410):
            return NotFound(identifier, self.service, f"not found (HTTP {response.status}{detail})")
        if response.status == 429:
            return RateLimited(
                identifier,
                self.service,
                "too many requests (HTTP 429); try again later",
                retry_after=_retry_after(response),
            )
        return ServiceUnavailable(
            identifier, self.service, f"service error (HTTP {response.status}{detail})"
        )

    @staticmethod
    def _backoff(attempt: int, error: OnlineLookupError | None) -> float:
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return min(error.retry_after, 60.0)
        return float(2 ** (attempt - 1))


def _retry_after(response: Response) -> float | None:
    value = response.header("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
