"""HTTP transports: the one seam between the look-up clients and the network.

The clients only ever call :meth:`Transport.get`. Production uses
:class:`UrllibTransport` (the standard library: the look-ups need plain GETs, so a
third-party HTTP stack would add a dependency for nothing). Tests use
:class:`ReplayTransport`, which answers from responses recorded on disk and never
touches the network.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from offlabel import __version__

USER_AGENT = f"offlabel/{__version__} (literature look-ups)"

#: Query parameters that carry credentials or contact details. They are removed from
#: URLs before the URL is used as a cache key or matched against a recording.
PRIVATE_PARAMS = frozenset({"api_key", "email", "mailto"})


class TransportError(OSError):
    """The request never got an HTTP answer (timeout, DNS, refused connection)."""


@dataclass(frozen=True)
class Response:
    """One HTTP answer. ``status`` is kept as is: non-2xx answers are not exceptions here."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """Case-insensitive header look-up."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


class Transport(Protocol):
    """Anything that can GET a URL."""

    def get(self, url: str, *, timeout: float) -> Response:
        """Fetch ``url``; raise :class:`TransportError` when no HTTP answer arrives."""
        ...


def public_url(url: str) -> str:
    """``url`` without :data:`PRIVATE_PARAMS`, with the remaining parameters sorted.

    Examples
    --------
    >>> public_url("https://x.test/a?id=1&api_key=SECRET&db=pubmed")
    'https://x.test/a?db=pubmed&id=1'
    """
    parts = urllib.parse.urlsplit(url)
    params = [
        (key, value)
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if key not in PRIVATE_PARAMS
    ]
    query = urllib.parse.urlencode(sorted(params))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


class UrllibTransport:
    """GET over the network with :mod:`urllib.request`."""

    def get(self, url: str, *, timeout: float) -> Response:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (https base URLs only)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return Response(url, answer.status, answer.read(), dict(answer.headers.items()))
        except urllib.error.HTTPError as error:
            body = error.read() if error.fp is not None else b""
            return Response(url, error.code, body, dict(error.headers.items()))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TransportError(f"no answer from {public_url(url)}: {error}") from error


class ReplayTransport:
    """Answer from recorded responses; unknown URLs raise :class:`TransportError`.

    Parameters
    ----------
    responses
        Recorded answers keyed by :func:`public_url` of the request.

    Examples
    --------
    >>> t = ReplayTransport({"https://x.test/a": Response("https://x.test/a", 200, b"{}")})
    >>> t.get("https://x.test/a?api_key=k", timeout=1).status
    200
    """

    def __init__(self, responses: Mapping[str, Response]) -> None:
        self.responses = {public_url(url): response for url, response in responses.items()}
        self.requested: list[str] = []

    def get(self, url: str, *, timeout: float) -> Response:
        key = public_url(url)
        self.requested.append(key)
        try:
            return self.responses[key]
        except KeyError:
            raise TransportError(f"no recorded response for {key}") from None

    @classmethod
    def from_directory(cls, directory: Path) -> ReplayTransport:
        """Load ``directory/manifest.json``: a list of ``{url, status, file, content_type}``.

        ``file`` is relative to ``directory`` (or absolute); ``status`` defaults to 200.
        """
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        responses: dict[str, Response] = {}
        for entry in manifest:
            body_path = Path(entry["file"])
            if not body_path.is_absolute():
                body_path = directory / body_path
            headers = {"Content-Type": entry.get("content_type", "application/json")}
            responses[entry["url"]] = Response(
                entry["url"], int(entry.get("status", 200)), body_path.read_bytes(), headers
            )
        return cls(responses)
