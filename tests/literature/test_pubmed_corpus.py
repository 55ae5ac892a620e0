"""The synthetic PubMed corpus: deterministic, baseline-shaped, read alike by another reader."""

from __future__ import annotations

import gzip
import statistics
import warnings

import pytest

from offlabel.literature.parsers.pubmed import iter_pubmed
from offlabel.literature.records import Deletion, Record
from offlabel.testing.pubmed_corpus import write_corpus
from offlabel.testing.pubmed_real import write_real_corpus
from tests.support.shared_data import PUBMED_DATA, shared_file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corpus")
    return write_corpus(directory, 2_000, 1_000, updates=2, update_size=50, seed=1)


def test_the_same_seed_writes_the_same_bytes(corpus, tmp_path):
    again = write_corpus(tmp_path, 2_000, 1_000, updates=2, update_size=50, seed=1)
    for ours, theirs in zip(corpus.paths, again.paths, strict=True):
        assert gzip.decompress(ours.read_bytes()) == gzip.decompress(theirs.read_bytes())
    other = write_corpus(tmp_path / "other", 1_000, 1_000, seed=2)
    assert gzip.decompress(other.paths[0].read_bytes()) != gzip.decompress(
        corpus.paths[0].read_bytes()
    )


def test_pubmed_parser_reads_the_articles_we_read(corpus):
    import pubmed_parser

    for path in corpus.paths[:2]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = list(pubmed_parser.parse_medline_xml(str(path)))
        ours = [item for item in iter_pubmed(path) if isinstance(item, Record)]
        assert [row["pmid"] for row in theirs] == [record.pmid for record in ours]
        assert [row["title"] for row in theirs] == [record.title for record in ours]
        for row, record in zip(theirs, ours, strict=True):
            assert (row["doi"] or None) == record.doi
            mesh = [term.split(":", 1)[1] for term in row["mesh_terms"].split("; ") if term]
            assert mesh == list(record.mesh_names)


def test_articles_have_the_shape_of_baseline_records(corpus):
    records = [item for item in iter_pubmed(corpus.paths[0]) if isinstance(item, Record)]
    assert len(records) == 1_000
    pmids = [int(record.pmid or 0) for record in records]
    assert pmids == sorted(pmids) and len(set(pmids)) == len(pmids)
    assert 0.1 < sum(not record.mesh for record in records) / len(records) < 0.3
    assert 0.15 < sum(not record.abstract for record in records) / len(records) < 0.35
    with_abstract = [len(record.abstract_text) for record in records if record.abstract]
    assert 900 < statistics.mean(with_abstract) < 2_000
    assert statistics.mean(len(record.authors) for record in records) > 3
    assert any(any(author.orcid for author in record.authors) for record in records)
    assert any(record.nct for record in records)
    assert any(len(record.abstract) > 1 for record in records)  # structured abstracts
    assert any(
        not record.title.isascii() or not record.abstract_text.isascii() for record in records
    )
    assert 5_000 < corpus.decompressed_bytes / corpus.records < 10_000


def test_update_files_revise_and_withdraw_earlier_pmids(corpus):
    assert len(corpus.revised) == 100 and len(corpus.deleted) == 10
    earlier = {int(item.pmid) for path in corpus.paths[:2] for item in iter_pubmed(path)}
    for number, path in enumerate(corpus.paths[2:]):
        items = list(iter_pubmed(path))
        records = [item for item in items if isinstance(item, Record)]
        revised = {int(r.pmid or 0) for r in records if r.title.startswith("Revised: ")}
        assert revised == set(corpus.revised[number * 50 : (number + 1) * 50])
        assert revised <= earlier  # a revision of a PMID an earlier file holds
        deleted = {int(item.pmid) for item in items if isinstance(item, Deletion)}
        assert deleted == set(corpus.deleted[number * 5 : (number + 1) * 5])
        assert deleted <= earlier and not deleted & revised
        earlier |= {int(r.pmid or 0) for r in records}


def test_real_citations_can_be_rewrapped_when_a_real_file_is_given(tmp_path):
    real = shared_file(PUBMED_DATA / "medline16n0902.xml.gz")
    written = write_real_corpus(real, tmp_path, 1_500, 1_000)
    assert [p.name for p in written.paths] == ["pubmed_real_0001.xml.gz", "pubmed_real_0002.xml.gz"]
    records = [item for path in written.paths for item in iter_pubmed(path)]
    assert len(records) == 1_500
    assert len({record.pmid for record in records}) == 1_500  # repeated with shifted PMIDs


def test_a_file_without_citations_is_refused(tmp_path):
    empty = tmp_path / "empty.xml.gz"
    empty.write_bytes(gzip.compress(b"<PubmedArticleSet></PubmedArticleSet>"))
    with pytest.raises(ValueError, match="no <MedlineCitation>"):
        write_real_corpus(empty, tmp_path / "out", 10)
