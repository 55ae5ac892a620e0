"""Cut a long XML stream of records into small, well-formed documents of whole records.

A PubMed baseline file is one root element (``<PubmedArticleSet>``) holding tens of thousands
of records. Building lxml trees of a few hundred kilobytes at a time — each a copy of the
file's prolog (XML declaration, DOCTYPE, the root's start tag), whole records, and the root's
end tag — lets the tree be built in C with the GIL released (and so on another core, see
``pubmed.py``), keeps memory flat, and keeps the nodes of one chunk in the processor's cache
while they are read.

Where to cut is found by looking for the end tags of the records (``</PubmedArticle>``), which
XML forbids in text and attribute values. Two things can still defeat it, and both only cost
a clear error, never a wrong record: an end tag written inside a comment or CDATA section
(absent from MEDLINE files), and a prolog longer than :data:`PROLOG_LIMIT`. A file without
record end tags simply becomes one chunk, of at most :data:`MAX_CHUNK_BYTES`: a stream in which
no record ends within that many bytes (a bomb of blanks, a foreign file) is refused with an
:class:`~offlabel.untrusted.InputLimitError` instead of being buffered whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from offlabel.untrusted import InputLimitError

__all__ = ["BLOCK_BYTES", "MAX_CHUNK_BYTES", "PROLOG_LIMIT", "XmlChunk", "iter_xml_chunks"]

# ~30 MEDLINE records per chunk; measured (benchmarks/bench_literature.py) faster than 64 KiB
# or 4 MiB: a chunk's fresh tree is still in the cache when its records are read
BLOCK_BYTES = 192 * 1024
PROLOG_LIMIT = 1024 * 1024
#: The most a chunk may buffer before a record ends (the largest MEDLINE record is ~1 MB).
MAX_CHUNK_BYTES = 64 * 1024 * 1024

# XML declaration, comments, processing instructions and a DOCTYPE (with an internal subset),
# then the root's start tag, whose name is captured. Every repeated part starts with its own
# character and cannot run past its own end, so a match fails in linear time whatever the
# input (a nested "(\s+)*" or ".*?" here once took seconds on 24 blanks).
_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?"
    rb"(?:\s"
    rb"|<\?(?:[^?]|\?(?!>))*\?>"
    rb"|<!--(?:[^-]|-(?!->))*-->"
    rb"|<!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*'|\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\])*>"
    rb")*"
    rb"<([A-Za-z_][\w.:-]*)(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
)


@dataclass(frozen=True, slots=True)
class XmlChunk:
    """A well-formed document (if the input is) holding some of the input's records.

    Attributes
    ----------
    document
        The input's prolog and root start tag, whole records, and the root's end tag.
    root
        The root element's name (``""`` when no root start tag was found; ``document`` then
        holds the input's first bytes, so that a parser reports what is wrong with them).
    line_offset
        Add it to a line number in ``document`` to get the line in the input.
    """

    document: bytes
    root: str
    line_offset: int

    def input_line(self, line: int | None) -> int | None:
        """The input's line for a line of :attr:`document` (``None`` stays ``None``)."""
        return None if line is None else line + self.line_offset


def iter_xml_chunks(
    stream: IO[bytes],
    record_tags: Mapping[str, tuple[str, ...]],
    *,
    block_bytes: int | None = None,
    max_chunk_bytes: int = MAX_CHUNK_BYTES,
) -> Iterator[XmlChunk]:
    """Read ``stream`` (uncompressed XML bytes) as a sequence of small documents.

    Parameters
    ----------
    stream
        Binary stream positioned at the start of the document.
    record_tags
        For each root element name the caller reads, the children that are records and may
        end a chunk (``{"PubmedArticleSet": ("PubmedArticle", "DeleteCitation")}``); with none,
        the whole input is one chunk. Under a root not named here only the first block read
        is yielded, so that the caller can refuse a foreign file without reading all of it.
    block_bytes
        How much is read at a time (default :data:`BLOCK_BYTES`); a chunk is about this size,
        more when a record is larger.
    max_chunk_bytes
        The most one chunk may hold (default :data:`MAX_CHUNK_BYTES`).

    Yields
    ------
    XmlChunk
        In input order; every byte of the input's body is in exactly one chunk.

    Raises
    ------
    InputLimitError
        No record ends within ``max_chunk_bytes`` (nothing more is buffered).
    Whatever ``stream.read`` raises (e.g. ``EOFError`` for a truncated gzip stream).
    """
    block_bytes = block_bytes or BLOCK_BYTES
    head = stream.read(block_bytes)
    match = _PROLOG.match(head)
    while match is None and len(head) < PROLOG_LIMIT:
        more = stream.read(block_bytes)
        if not more:
            break
        head += more
        match = _PROLOG.match(head)
    if match is None:
        yield XmlChunk(head, "", 0)
        return
    prolog = head[: match.end()]
    root = match.group(1).decode("ascii")
    if root not in record_tags or prolog.endswith(b"/>"):  # foreign, or empty: no records
        yield XmlChunk(head, root, 0)
        return
    closing = b"</" + match.group(1) + b">"
    markers = tuple(b"</" + tag.encode("ascii") + b">" for tag in record_tags.get(root, ()))
    # a marker that straddles two blocks is found in the previous block's tail + this block
    overlap = max((len(marker) for marker in markers), default=1) - 1
    prolog_lines = prolog.count(b"\n")
    line = 1 + prolog_lines  # input line where the next chunk's body begins
    pending = [head[match.end() :]]
    tail = pending[0][-overlap:] if overlap else b""
    held = len(pending[0])
    while block := stream.read(block_bytes):
        probe = tail + block
        cut = _end_of_last(probe, markers)
        if cut < 0:
            held += len(block)
            if held > max_chunk_bytes:
                ends = ", ".join(m.decode("ascii") for m in markers) or f"</{root}>"
                raise InputLimitError(
                    f"no record ends ({ends}) within {max_chunk_bytes // 2**20} MiB of XML; "
                    "refused (a record this large is not PubMed XML)"
                )
            pending.append(block)
        else:
            pending.append(block[: cut - len(tail)])
            body = b"".join(pending)
            yield XmlChunk(prolog + body + closing, root, line - prolog_lines - 1)
            line += body.count(b"\n")
            pending = [block[cut - len(tail) :]]
            held = len(pending[0])
        tail = probe[-overlap:] if overlap else b""
    # the rest holds the input's own end tag (or shows that it is missing)
    yield XmlChunk(prolog + b"".join(pending), root, line - prolog_lines - 1)


def _end_of_last(data: bytes, markers: tuple[bytes, ...]) -> int:
    """Index just after the last occurrence of any marker in ``data``; -1 when there is none."""
    end = start = -1
    for marker in markers:
        # end tags cannot overlap, so a later marker can only lie after one already found;
        # searching from there keeps the absent markers from scanning the whole block
        found = data.rfind(marker, max(start, 0))
        if found >= 0:
            end = max(end, found + len(marker))
            start = found
    return end
