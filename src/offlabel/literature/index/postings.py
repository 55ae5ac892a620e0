"""A partition's term postings, built a batch of records at a time with array operations.

The terms are those of :func:`offlabel.literature.index.terms.record_terms` (its docstring
says which); that function, one Python call and a few hundred small strings a record, is
the reference, and this module gives the same postings (``tests/literature/test_postings.py``
compares them on every record of the test corpora and on generated text) about ten times
faster:

1. The title and abstract of every record of the batch are joined into one Arrow string
   column; its UTF-8 bytes are classified as word or not with NumPy — ASCII by value, other
   characters by Python's own ``\\w`` for each distinct code point of the batch — and every
   non-word byte becomes a blank.
2. Arrow splits the column at the blanks (``ascii_split_whitespace``) and dictionary-encodes
   the words: each record is a list of word ids, and only the batch's distinct words (some
   ten thousand) are seen by Python, once per file: each gives its acronym (a word in capitals)
   and its lower-case words, exactly as ``record_terms`` reads them.
3. (record, word) pairs, then (record, term) pairs, are made unique by sorting integer keys.

``record_terms`` lower-cases the whole text; a word is lower-cased alone here. The two differ
only where lower-casing looks at the neighbours, which Python does for one letter: a capital
sigma (Σ) ends a word as ς. Records holding one are given to ``record_terms`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from offlabel.literature.index.terms import (
    _WORD,
    MESH_PREFIX,
    STOP_WORDS,
    TERM_SCHEMA,
    record_terms,
)

__all__ = ["Postings"]

_WORD_CHARACTER = re.compile(r"\w")  # what Python's \b and \w see as a word character
_ACRONYM = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]*")  # the whole of a word, as _CAPITALS finds it
_CAPITAL_SIGMA = 0x03A3
_BLANK = np.uint8(0x20)


class Postings:
    """The (term, record) pairs of one partition, added batch by batch, written once."""

    def __init__(self, source_file: str) -> None:
        self.source_file = source_file
        self.rows = 0
        self._term_id: dict[str, int] = {}
        self._terms: list[str] = []
        self._mesh_term: dict[str, int] = {}
        self._is_word: dict[int, bool] = {}
        # the file's distinct words so far, and the terms of each (word i's terms are
        # _word_flat[_word_starts[i]:_word_starts[i + 1]])
        self._known = pa.array([], pa.string())
        self._word_starts = np.zeros(1, np.int64)
        self._word_flat = np.zeros(0, np.int64)
        self._term_chunks: list[np.ndarray] = []
        self._row_chunks: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(chunk) for chunk in self._term_chunks)

    def _id(self, term: str) -> int:
        found = self._term_id.get(term)
        if found is None:
            found = self._term_id[term] = len(self._terms)
            self._terms.append(term)
        return found

    def _terms_of_word(self, word: str) -> list[int]:
        """The terms one word (a run of ``\\w`` characters) gives: its acronym, its words."""
        terms = {
            token
            for token in _WORD.findall(word.lower())
            if len(token) > 1 and token not in STOP_WORDS
        }
        if len(word) > 1 and _ACRONYM.fullmatch(word):
            terms.add(word)
        return [self._id(term) for term in terms]

    def _global_words(self, words: pa.Array) -> np.ndarray:
        """The file-wide number of each of a batch's distinct words (new ones are added)."""
        positions = pc.fill_null(pc.index_in(words, value_set=self._known), -1)
        found: np.ndarray = positions.to_numpy().astype(np.int64)
        new = np.flatnonzero(found < 0)
        if new.size:
            fresh = words.take(pa.array(new))
            terms = [self._terms_of_word(word) for word in fresh.to_pylist()]
            counts = np.fromiter(map(len, terms), np.int64, len(terms))
            self._word_flat = np.concatenate(
                [
                    self._word_flat,
                    np.fromiter(chain.from_iterable(terms), np.int64, int(counts.sum())),
                ]
            )
            self._word_starts = np.concatenate(
                [self._word_starts, self._word_starts[-1] + np.cumsum(counts)]
            )
            found[new] = len(self._known) + np.arange(new.size)
            self._known = pa.concat_arrays([self._known, fresh])
        return found

    def add(self, titles: Any, abstracts: Any, mesh: Any) -> None:
        """Post the next ``len(titles)`` records (rows ``self.rows`` on) under their terms.

        ``titles`` and ``abstracts`` are Arrow string columns, ``mesh`` a list-of-strings
        column (arrays or chunked arrays, as a table's columns are).
        """
        titles, abstracts, mesh = (_array(column) for column in (titles, abstracts, mesh))
        n = len(titles)
        if n == 0:
            return
        text = pc.binary_join_element_wise(titles, abstracts, pa.scalar(""), " ")
        rows, word_ids, words, exotic = self._words(text)
        # (record, word) pairs, each once; then each word's terms
        width = max(len(words), 1)
        pairs = _unique(rows * width + word_ids)
        rows, word_ids = pairs // width, self._global_words(words)[pairs % width]
        starts, flat = self._word_starts, self._word_flat
        per_pair = starts[word_ids + 1] - starts[word_ids]
        pair_rows = np.repeat(rows, per_pair)
        within = np.arange(int(per_pair.sum())) - np.repeat(
            np.cumsum(per_pair) - per_pair, per_pair
        )
        pair_terms = flat[np.repeat(starts[word_ids], per_pair) + within]
        # MeSH descriptors
        mesh_rows, mesh_terms = self._mesh(mesh)
        all_rows = np.concatenate([pair_rows, mesh_rows])
        all_terms = np.concatenate([pair_terms, mesh_terms])
        if exotic.size:
            keep = ~np.isin(all_rows, exotic)
            all_rows, all_terms = all_rows[keep], all_terms[keep]
            extra_rows, extra_terms = self._by_reference(exotic, titles, abstracts, mesh)
            all_rows = np.concatenate([all_rows, extra_rows])
            all_terms = np.concatenate([all_terms, extra_terms])
        keys = _unique(all_terms * n + all_rows)
        self._term_chunks.append((keys // n).astype(np.int32))
        self._row_chunks.append((keys % n + self.rows).astype(np.int32))
        self.rows += n

    def _words(self, text: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array, np.ndarray]:
        """Each record's runs of word characters: (record, word id) pairs, the distinct words,
        and the records to leave to ``record_terms`` (see the module docstring)."""
        _validity, offsets_buffer, data_buffer = text.buffers()
        offsets = np.frombuffer(offsets_buffer, np.int32, len(text) + 1)
        data = np.frombuffer(data_buffer, np.uint8, int(offsets[-1]))
        folded = data | np.uint8(0x20)
        word = ((folded >= 0x61) & (folded <= 0x7A)) | ((data >= 0x30) & (data <= 0x39))
        word |= data == 0x5F
        exotic = np.zeros(0, np.int64)
        leads = np.flatnonzero(data >= 0xC0)
        if leads.size:
            codes, lengths = _code_points(data, leads)
            distinct = np.unique(codes)
            for code in distinct.tolist():
                if code not in self._is_word:
                    self._is_word[code] = bool(_WORD_CHARACTER.match(chr(code)))
            classes = np.array([self._is_word[code] for code in distinct.tolist()], bool)
            is_word = classes[np.searchsorted(distinct, codes)]
            starts, spans = leads[is_word], lengths[is_word]
            if starts.size:
                within = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
                word[np.repeat(starts, spans) + within] = True
            if (codes == _CAPITAL_SIGMA).any():
                where = leads[codes == _CAPITAL_SIGMA]
                exotic = np.unique(np.searchsorted(offsets, where, side="right") - 1)
        keep = word.view(np.uint8) * np.uint8(0xFF)  # bit masks beat np.where 4x here
        blanked = (data & keep) | (_BLANK & ~keep)
        clean = pa.StringArray.from_buffers(len(text), offsets_buffer, pa.py_buffer(blanked))
        split = pc.ascii_split_whitespace(clean)
        rows = pc.list_parent_indices(split).to_numpy().astype(np.int64)
        encoded = split.flatten().dictionary_encode()
        word_ids = encoded.indices.to_numpy().astype(np.int64)
        return rows, word_ids, encoded.dictionary, exotic

    def _mesh(self, mesh: pa.ListArray) -> tuple[np.ndarray, np.ndarray]:
        rows = pc.list_parent_indices(mesh).to_numpy().astype(np.int64)
        encoded = mesh.flatten().dictionary_encode()
        ids = []
        for name in encoded.dictionary.to_pylist():
            found = self._mesh_term.get(name)
            if found is None:
                found = self._mesh_term[name] = self._id(MESH_PREFIX + name.lower())
            ids.append(found)
        terms = np.asarray(ids, np.int64)[encoded.indices.to_numpy().astype(np.int64)]
        return rows, terms

    def _by_reference(
        self, which: np.ndarray, titles: pa.Array, abstracts: pa.Array, mesh: pa.ListArray
    ) -> tuple[np.ndarray, np.ndarray]:
        rows: list[int] = []
        terms: list[int] = []
        for row in which.tolist():
            found = record_terms(
                titles[row].as_py(), abstracts[row].as_py(), tuple(mesh[row].as_py() or ())
            )
            rows.extend([row] * len(found))
            terms.extend(self._id(term) for term in found)
        return np.asarray(rows, np.int64), np.asarray(terms, np.int64)

    def tables(
        self,
        row_pmids: np.ndarray,
        keep_rows: np.ndarray | None = None,
        rows_per_table: int = 1_000_000,
    ) -> Iterator[pa.Table]:
        """The postings sorted by (term, pmid), ``rows_per_table`` at a time.

        Parameters
        ----------
        row_pmids
            The PMID of each row number (``self.rows`` of them).
        keep_rows
            Whether to keep each row (all when ``None``): a PMID met again later in the
            file keeps only its last row.
        rows_per_table
            Postings a table: only these are ever held as strings (a baseline file of 30,000
            articles has some 2.5 million postings).
        """
        terms = np.concatenate(self._term_chunks) if self._term_chunks else np.zeros(0, np.int32)
        rows = np.concatenate(self._row_chunks) if self._row_chunks else np.zeros(0, np.int32)
        self._term_chunks, self._row_chunks = [], []
        if keep_rows is not None:
            mask = keep_rows[rows]
            terms, rows = terms[mask], rows[mask]
        names = pa.array(self._terms, pa.string())
        order = pc.array_sort_indices(names).to_numpy()
        rank = np.empty(len(names), np.int64)
        rank[order] = np.arange(len(names))
        pmids = np.asarray(row_pmids, np.int64)
        by_pmid = np.argsort(pmids, kind="stable")
        pmid_rank = np.empty(len(pmids), np.int64)
        pmid_rank[by_pmid] = np.arange(len(pmids))
        width = max(len(pmids), 1)
        keys = rank[terms]
        del terms
        keys *= width
        keys += pmid_rank[rows]
        del rows
        keys.sort()
        sorted_names = names.take(pa.array(order))
        sorted_pmids = pmids[by_pmid]
        for start in range(0, max(len(keys), 1), rows_per_table):
            part = keys[start : start + rows_per_table]
            # plain strings: a dictionary-typed column would be written with its whole
            # dictionary in every row group (4x the file, 2x the time; measured)
            term = sorted_names.take(pa.array(part // width))
            source = pa.repeat(pa.scalar(self.source_file, pa.string()), len(part))
            pmid = pa.array(sorted_pmids[part % width], pa.int64())
            yield pa.Table.from_arrays([term, pmid, source], schema=TERM_SCHEMA)

    def table(self, row_pmids: np.ndarray, keep_rows: np.ndarray | None = None) -> pa.Table:
        """All of :meth:`tables` as one table (for small partitions and tests)."""
        return pa.concat_tables(self.tables(row_pmids, keep_rows))


def _array(column: Any) -> Any:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _unique(keys: np.ndarray) -> np.ndarray:
    """The distinct values of ``keys``, sorted (``np.sort`` is much faster than ``np.unique``)."""
    ordered = np.sort(keys)
    if ordered.size:
        ordered = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return ordered


def _code_points(data: np.ndarray, leads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code point and byte length of each UTF-8 sequence starting at ``leads``."""
    last = len(data) - 1
    first = data[leads].astype(np.int64)
    second = data[np.minimum(leads + 1, last)].astype(np.int64) & 0x3F
    third = data[np.minimum(leads + 2, last)].astype(np.int64) & 0x3F
    fourth = data[np.minimum(leads + 3, last)].astype(np.int64) & 0x3F
    two = first < 0xE0
    three = (first >= 0xE0) & (first < 0xF0)
    codes = np.where(
        two,
        ((first & 0x1F) << 6) | second,
        np.where(
            three,
            ((first & 0x0F) << 12) | (second << 6) | third,
            ((first & 0x07) << 18) | (second << 12) | (third << 6) | fourth,
        ),
    )
    lengths = np.where(two, 2, np.where(three, 3, 4))
    return codes, lengths
