"""Helpers shared by the text-format readers (RIS, BibTeX, JSON)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from offlabel.literature.errors import LiteratureParseError

Source = str | Path | IO[bytes]
ProblemHandler = Callable[[LiteratureParseError], None]

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b")


def source_name(source: Source) -> str:
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "<stream>"))


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
# "% Encoding: windows-1252" (JabRef), "charset=..." (a saved HTTP header)
_DECLARED = re.compile(rb"(?:^|\n)%\s*Encoding:\s*([A-Za-z0-9_.:-]+)|charset=\"?([A-Za-z0-9_.:-]+)")


def guess_encoding(data: bytes) -> tuple[str, int]:
    """The encoding of ``data`` and how many BOM bytes to skip (see :func:`decode_text`)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 4 >= len(head):
        # UTF-16 without a BOM: every other byte of ASCII text is a zero
        zeros_even = head[0::2].count(0)
        zeros_odd = head[1::2].count(0)
        return ("utf-16-be" if zeros_even > zeros_odd else "utf-16-le"), 0
    return "utf-8", 0


def decode_text(data: bytes, name: str) -> str:
    """Text of a file's bytes, line endings made ``\\n`` (see :func:`_decode`)."""
    text = _decode(data, name)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes, name: str) -> str:
    """Text of a file's bytes: BOMs (UTF-8/16/32), UTF-16 without BOM, UTF-8, else cp1252.

    A file declaring its encoding (JabRef's ``% Encoding: windows-1252``) is read in it when it
    is not UTF-8.

    Raises
    ------
    LiteratureParseError
        The bytes are none of these (a binary file, a truncated UTF-16 file), naming the
        line and byte where decoding failed.
    """
    encoding, skip = guess_encoding(data)
    body = data[skip:]
    if encoding != "utf-8":
        try:
            return body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _undecodable(body, exc, name, f"not valid {encoding.upper()} text") from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as first:
        if b"\x00" in body[:4096]:
            raise _undecodable(body, first, name, "not a text file (binary bytes)") from None
        declared = _DECLARED.search(body[:2048])
        fallback = "cp1252"
        if declared:
            fallback = (declared.group(1) or declared.group(2)).decode("ascii")
        try:
            return body.decode(fallback)
        except (UnicodeDecodeError, LookupError):
            raise _undecodable(
                body, first, name, "neither UTF-8 nor Windows-1252 text; save it as UTF-8"
            ) from None


def _undecodable(
    body: bytes, exc: UnicodeDecodeError, name: str, what: str
) -> LiteratureParseError:
    line = body.count(b"\n", 0, exc.start) + 1
    return LiteratureParseError(f"{what} (byte {exc.start}: {exc.reason})", file=name, line=line)


def read_bytes(source: Source) -> tuple[bytes, str]:
    """All bytes of a file or binary stream, and its name for messages."""
    name = source_name(source)
    try:
        data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    except OSError as exc:
        raise LiteratureParseError(f"cannot read file: {exc.strerror or exc}", file=name) from exc
    return data, name


def read_text(source: Source) -> tuple[str, str]:
    """Read a whole text file in whatever encoding it is (:func:`decode_text`).

    Returns
    -------
    text, name
    """
    data, name = read_bytes(source)
    if isinstance(data, str):  # a text stream was passed; accept it
        return data.lstrip("\ufeff"), name
    return decode_text(data, name), name


def year_of(value: object) -> int | None:
    """First plausible 4-digit year in a value like ``"2010///"`` or ``"2010-07-01"``."""
    if isinstance(value, int) and 1500 <= value < 2200:
        return value
    if value is None:
        return None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def clean(value: object) -> str | None:
    """A stripped string with runs of white space collapsed; ``None`` for blanks."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def pages_of(start: str | None, end: str | None) -> str | None:
    start, end = clean(start), clean(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start


_PUBMED_LINK = re.compile(
    r"pubmed(?:\.ncbi\.nlm\.nih\.gov)?/(?:\?term=)?(\d{1,9})\b", re.IGNORECASE
)
_PMID_LABEL = re.compile(r"\b(?:PMID|PUBMED):?\s*(\d{1,9})\b")
_PMCID = re.compile(r"\bPMC\d{4,9}\b")
_DOI_LINK = re.compile(r"doi\.org/(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_NCT = re.compile(r"\bNCT\d{8}\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FoundIdentifiers:
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    nct: str | None = None


def identifiers_in(values: Iterable[str]) -> FoundIdentifiers:
    """PMID, PMCID, DOI and NCT number written in free text: links (``…/pubmed/33333165/``,
    ``doi.org/10.…``), ``PMID: 123`` notes, registration numbers."""
    pmid = pmcid = doi = nct = None
    for value in values:
        if pmid is None and (match := _PUBMED_LINK.search(value) or _PMID_LABEL.search(value)):
            pmid = match.group(1)
        if pmcid is None and (match := _PMCID.search(value)):
            pmcid = match.group(0)
        if doi is None and (match := _DOI_LINK.search(value)):
            doi = match.group(1).rstrip(".,;)").lower()
        if nct is None and (match := _NCT.search(value)):
            nct = match.group(0).upper()
    return FoundIdentifiers(pmid=pmid, pmcid=pmcid, doi=doi, nct=nct)


def keep_or_refuse(
    title: str | None,
    *identifiers: str | None,
    file: str,
    record: int,
    line: int | None = None,
    field: str | None = None,
) -> None:
    """A record is kept when it has a title or an identifier (PMID, DOI, NCT); else refused."""
    if title or any(identifiers):
        return
    raise LiteratureParseError(
        "record has neither a title nor an identifier (PMID, DOI or NCT number)",
        file=file,
        record=record,
        line=line,
        field=field,
    )


def nlm_abbreviation(abbreviation: str | None) -> str | None:
    """A journal abbreviation the NLM (Vancouver) way, without dots (``"Org. Lett."``).

    Examples
    --------
    >>> nlm_abbreviation("J. Am. Chem. Soc.")
    'J Am Chem Soc'
    """
    if not abbreviation:
        return None
    return clean(abbreviation.replace(".", " ")) or None


_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^\[>]*\[[^\]]*?<!ENTITY")


def refuse_entity_declarations(name: str, *, head: bytes = b"", root: object = None) -> None:
    """Refuse an XML document whose DOCTYPE declares entities (``<!ENTITY …>``).

    No bibliographic export declares any; an external entity could name a local file or a URL
    (the parsers never resolve them, and say so instead of failing on the unresolved node).
    ``head`` is the document's first bytes, ``root`` its parsed root element (either suffices).
    """
    names: list[str] = []
    if head and _ENTITY_DECLARATION.search(head[: 1024 * 1024]):
        names.append("an <!ENTITY> declaration")
    tree = getattr(root, "getroottree", None)
    if tree is not None:
        dtd = tree().docinfo.internalDTD
        if dtd is not None:
            names += [f"&{entity.name};" for entity in dtd.entities()]
    if names:
        raise LiteratureParseError(
            f"the XML declares entities ({', '.join(names[:3])}); entity declarations are "
            "refused (an external entity could read a local file)",
            file=name,
        )


class PrefixedReader(io.RawIOBase):
    """Put back bytes already read from a stream that cannot seek."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)
