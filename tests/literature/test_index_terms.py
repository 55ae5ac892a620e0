"""The term postings behind search, and a PMID repeated inside one file."""

from __future__ import annotations

from offlabel.literature.index.scan import SYNCHRONOUS, scan
from offlabel.literature.index.search import search
from offlabel.literature.index.terms import MESH_PREFIX, record_terms, words
from tests.literature.index_corpus import FOOTER, HEADER, article


def test_words_drop_stop_words_and_single_letters_and_lower_case():
    assert words("The effect of LDN on ALS: a B-cell story") == [
        "effect",
        "ldn",
        "als",
        "cell",
        "story",
    ]


def test_record_terms_keep_acronyms_as_written_and_prefix_mesh():
    terms = record_terms("LDN in ALS", "alsike calsequestrin", ("Naltrexone",))
    assert {"LDN", "ALS", "ldn", "als", "alsike", "calsequestrin"} <= terms
    assert MESH_PREFIX + "naltrexone" in terms
    assert "ALSIKE" not in terms


def test_a_pmid_twice_in_one_file_keeps_only_its_last_version(tmp_path):
    baseline = tmp_path / "baseline"
    baseline.mkdir()
    first = article(
        4242,
        "Zebrafish riluzole screen.",
        ["Animals"],
        2010,
        "Journal Article",
        "Riluzole in zebrafish.",
    )
    second = article(
        4242,
        "Naltrexone in ALS.",
        ["Humans"],
        2011,
        "Journal Article",
        "Low dose naltrexone in ALS.",
    )
    (baseline / "pubmed_t_0001.xml").write_text(HEADER + first + second + FOOTER)
    summary = scan(baseline, tmp_path / "index", scheduler=SYNCHRONOUS, progress=False)
    assert summary.records == 1 and summary.live_records == 1
    assert [hit.title for hit in search(tmp_path / "index", "LDN", "ALS")] == ["Naltrexone in ALS."]
    assert search(tmp_path / "index", "riluzole", "zebrafish") == []
