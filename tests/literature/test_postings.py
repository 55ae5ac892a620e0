"""The postings built with array operations hold exactly the terms record_terms gives."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from offlabel.literature.index.postings import Postings
from offlabel.literature.index.rows import _flattened
from offlabel.literature.index.terms import record_terms
from offlabel.literature.parsers.pubmed import iter_pubmed_records
from offlabel.testing.pubmed_corpus import write_corpus
from tests.support.shared_data import PUBMED_DATA, needs_shared


def _postings(rows: list[tuple[str, str, tuple[str, ...]]], batch: int = 500) -> set:
    postings = Postings("f.xml")
    for start in range(0, len(rows), batch):
        part = rows[start : start + batch]
        postings.add(
            pa.array([title for title, _, _ in part], pa.string()),
            pa.array([abstract for _, abstract, _ in part], pa.string()),
            _flattened(mesh for _, _, mesh in part),
        )
    table = postings.table(np.arange(len(rows), dtype=np.int64) + 1000)
    pairs = list(zip(table["term"].to_pylist(), table["pmid"].to_pylist(), strict=True))
    assert pairs == sorted(pairs, key=lambda p: (p[0].encode("utf-8"), p[1]))  # term, then PMID
    assert set(table["source_file"].to_pylist()) <= {"f.xml"}
    return set(pairs)


def _reference(rows: list[tuple[str, str, tuple[str, ...]]]) -> set:
    return {
        (term, number + 1000)
        for number, (title, abstract, mesh) in enumerate(rows)
        for term in record_terms(title, abstract, mesh)
    }


def _rows_of(path) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.title, r.abstract_text, r.mesh_names) for r in iter_pubmed_records(path)]


def test_the_synthetic_corpus_gets_the_terms_of_record_terms(tmp_path):
    corpus = write_corpus(tmp_path, 2_000, 2_000, seed=3)
    rows = _rows_of(corpus.paths[0])
    assert any(not title.isascii() or not abstract.isascii() for title, abstract, _ in rows)
    assert any("Σ" in abstract for _, abstract, _ in rows)  # the one letter left to Python
    assert _postings(rows) == _reference(rows)


@needs_shared
def test_real_medline_records_get_the_terms_of_record_terms():
    rows = _rows_of(PUBMED_DATA / "medline16n0902.xml.gz")
    rows += _rows_of(PUBMED_DATA / "test_current_medline.xml.gz")
    assert len(rows) > 600
    assert _postings(rows, batch=97) == _reference(rows)


_PIECES = [*"aZ09_ -.,;()'\t\n", *"éÉüßİıΣσςΑµ±≥–\u0301\u00a0\u2009", "ALS", "LDN", "the"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, st.lists(_TEXT, max_size=3)), min_size=1, max_size=8))
def test_any_text_gets_the_terms_of_record_terms(rows):
    rows = [(title, abstract, tuple(mesh)) for title, abstract, mesh in rows]
    assert _postings(rows, batch=3) == _reference(rows)


def test_a_file_without_records_has_no_postings():
    postings = Postings("empty.xml")
    postings.add(pa.array([], pa.string()), pa.array([], pa.string()), _flattened([]))
    assert postings.table(np.zeros(0, np.int64)).num_rows == 0
