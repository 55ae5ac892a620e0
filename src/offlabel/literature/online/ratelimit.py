"""A token bucket, so the clients never send faster than a service allows.

NCBI allows 3 requests a second without an API key and 10 with one; going faster gets
HTTP 429 and, if repeated, a blocked address. Hand-written because it is twenty lines
and the clock and sleep must be injectable for tests (no real waiting in the suite).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Allow ``rate`` acquisitions per second on average, bursts of at most ``capacity``.

    Parameters
    ----------
    rate
        Tokens added per second (> 0).
    capacity
        Largest burst; defaults to one second's worth of tokens (at least 1).
    clock, sleep
        Monotonic clock and sleep function; tests pass fakes.

    Examples
    --------
    >>> now = [0.0]
    >>> def sleep(seconds):
    ...     now[0] += seconds
    >>> bucket = TokenBucket(2, clock=lambda: now[0], sleep=sleep)
    >>> [bucket.acquire() for _ in range(4)]
    [0.0, 0.0, 0.5, 0.5]
    """

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.rate = float(rate)
        self.capacity = float(capacity if capacity is not None else max(1.0, rate))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def acquire(self) -> float:
        """Take one token, sleeping until one is available. Returns the seconds waited."""
        with self._lock:
            self._refill()
            waited = 0.0
            if self._tokens < 1.0:
                waited = (1.0 - self._tokens) / self.rate
                self._sleep(waited)
                self._refill()
            self._tokens = max(0.0, self._tokens - 1.0)
            return waited
