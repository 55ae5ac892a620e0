"""The term index: which PMIDs contain which word, MeSH descriptor or acronym.

Scanning a title and abstract for every query would read the whole text of the index
(about 1 GB per million records), far too slow for an answer in under a second. So each
partition gets a companion ``terms/<file>.parquet`` of ``(term, pmid, source_file)``
rows, sorted by term: DuckDB then reads only the row groups whose min/max statistics
can hold the asked terms. Hand-written because DuckDB's full-text extension must be
downloaded at run time, which offline installations cannot do.

Terms are:

* every word (``[^\\W_]+``) of title and abstract, lower-cased, stop words and
  one-character words left out — a phrase matches when all its words occur;
* every all-capitals word (``ALS``, ``LDN``) again as written, for acronyms that
  must not match ordinary words;
* every MeSH descriptor as ``mesh:`` + its lower-cased name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from offlabel.literature.records import Record

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


@dataclass
class TermBuffer:
    """Postings of one partition, collected flat and dictionary-encoded when written.

    ``row`` is the record's row number in the partition being built, so that when a
    PMID occurs twice in one file only the postings of the kept row are written.
    """

    source_file: str
    terms: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def add(self, row: int, record: Record) -> None:
        found = record_terms(record.title, record.abstract_text, record.mesh_names)
        self.terms.extend(found)
        self.rows.extend([row] * len(found))

    def table(self, row_pmids: np.ndarray, keep_rows: np.ndarray | None = None) -> pa.Table:
        """The postings sorted by (term, pmid).

        Parameters
        ----------
        row_pmids
            The PMID of each row number.
        keep_rows
            Row numbers to keep (all when ``None``).
        """
        encoded = pa.array(self.terms, type=pa.string()).dictionary_encode()
        ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        names = encoded.dictionary
        rows = np.asarray(self.rows, dtype=np.int64)
        if keep_rows is not None:
            mask = np.isin(rows, keep_rows)
            ids, rows = ids[mask], rows[mask]
        pmids = np.asarray(row_pmids, dtype=np.int64)[rows]
        rank = np.empty(len(names), dtype=np.int64)
        rank[pc.array_sort_indices(names).to_numpy()] = np.arange(len(names))
        order = np.lexsort((pmids, rank[ids]))
        return pa.table(
            {
                "term": names.take(pa.array(ids[order])),
                "pmid": pa.array(pmids[order], type=pa.int64()),
                "source_file": pa.repeat(pa.scalar(self.source_file), len(order)),
            },
            schema=TERM_SCHEMA,
        )
