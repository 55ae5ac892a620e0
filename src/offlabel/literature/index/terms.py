"""The term index: which PMIDs contain which word, MeSH descriptor or acronym.

Scanning a title and abstract for every query would read the whole text of the index
(about 1 GB per million records), far too slow for an answer in under a second. So each
partition gets a companion ``terms/<file>.parquet`` of ``(term, pmid, source_file)``
rows, sorted by term: DuckDB then reads only the row groups whose min/max statistics
can hold the asked terms. Hand-written because DuckDB's full-text extension must be
downloaded at run time, which offline installations cannot do.

The postings are built by :mod:`offlabel.literature.index.postings`; :func:`record_terms`
below says, one record at a time, what they hold. Terms are:

* every word (``[^\\W_]+``) of title and abstract, lower-cased, stop words and
  one-character words left out — a phrase matches when all its words occur;
* every all-capitals word (``ALS``, ``LDN``) again as written, for acronyms that
  must not match ordinary words;
* every MeSH descriptor as ``mesh:`` + its lower-cased name.
"""

from __future__ import annotations

import re

import pyarrow as pa

MESH_PREFIX = "mesh:"
_WORD = re.compile(r"[^\W_]+")
_CAPITALS = re.compile(r"\b[A-Z0-9]*[A-Z][A-Z0-9]*\b")
#: Words too common to be worth a posting (they would be a third of the index).
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "however",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "or",
        "our",
        "over",
        "she",
        "should",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "within",
        "would",
        "you",
    ]
)

#: Columns of ``terms/*.parquet``.
TERM_SCHEMA = pa.schema(
    [
        pa.field("term", pa.string(), nullable=False),
        pa.field("pmid", pa.int64(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)


def words(text: str) -> list[str]:
    """The searchable lower-case words of ``text``, in order (duplicates kept).

    Examples
    --------
    >>> words("Low-dose naltrexone (LDN) in ALS: a pilot")
    ['low', 'dose', 'naltrexone', 'ldn', 'als', 'pilot']
    """
    return [
        word
        for word in (match.lower() for match in _WORD.findall(text))
        if len(word) > 1 and word not in STOP_WORDS
    ]


def record_terms(title: str, abstract: str, mesh: tuple[str, ...]) -> set[str]:
    """Every term one record is posted under.

    Examples
    --------
    >>> sorted(record_terms("LDN in ALS", "", ("Naltrexone",)))
    ['ALS', 'LDN', 'als', 'ldn', 'mesh:naltrexone']
    """
    text = f"{title} {abstract}"
    # set operations on unique tokens run in C; this is the scan's hot path
    found = set(_WORD.findall(text.lower()))
    found -= STOP_WORDS
    found = {token for token in found if len(token) > 1}
    found.update(token for token in _CAPITALS.findall(text) if len(token) > 1)
    found.update(MESH_PREFIX + name.lower() for name in mesh)
    return found
