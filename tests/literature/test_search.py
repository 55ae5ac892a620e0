"""Searching the index: synonyms, MeSH or text, species, versions and deletions."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.evidence.vocabulary import Species
from offlabel.literature.index.layout import IndexFormatError
from offlabel.literature.index.scan import SYNCHRONOUS, scan
from offlabel.literature.index.search import search
from offlabel.literature.index.synonyms import SynonymTable
from tests.literature.index_corpus import build


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    baseline = tmp_path_factory.mktemp("baseline")
    pmids = build(baseline, records=1200, per_file=600)
    directory = tmp_path_factory.mktemp("index")
    summary = scan(baseline, directory, scheduler=SYNCHRONOUS, progress=False)
    assert summary.ok
    return directory, pmids


def test_ldn_and_als_find_the_revised_article_through_synonyms(index):
    directory, pmids = index
    hits = search(directory, therapy="LDN", condition="ALS")
    assert [hit.pmid for hit in hits] == [pmids["revised"]]
    assert hits[0].species == (Species.HUMAN,)
    assert hits[0].source_file == "pubmed_bench_0003.xml"
    assert set(hits[0].matched_by) == {"mesh", "text"}


def test_a_pmid_whose_current_version_no_longer_matches_is_not_returned(index):
    directory, pmids = index
    # the first version said "LDN for motor neuron disease"; the later one does not
    hits = search(directory, therapy="naltrexone", condition="motor neuron disease")
    assert pmids["later_revised"] not in [hit.pmid for hit in hits]


def test_degenerative_myelopathy_is_found_by_text_and_filtered_by_species(index):
    directory, pmids = index
    hits = search(directory, therapy="low dose naltrexone", condition="DM", species="dog")
    assert [hit.pmid for hit in hits] == [pmids["dog"]]
    assert hits[0].matched_by == ("mesh", "text")
    assert search(directory, therapy="LDN", condition="DM", species=Species.HUMAN) == []


def test_results_are_sorted_newest_first(index):
    directory, pmids = index
    hits = search(
        directory,
        therapy="naltrexone",
        condition="humans OR dogs",
        synonyms=SynonymTable({}).with_extra({"humans OR dogs": ["Humans", "Dogs"]}),
    )
    years = [hit.year for hit in hits]
    assert years == sorted(years, reverse=True)
    assert [hit.pmid for hit in hits] == [pmids["dog"], pmids["revised"]]


def test_a_word_in_a_mesh_list_of_real_records_matches(index):
    directory, _ = index
    hits = search(directory, therapy="Protein Binding", condition="Humans", limit=5)
    assert len(hits) == 5
    assert all("Protein Binding" in hit.mesh or "protein" in hit.title.lower() for hit in hits)


def test_acronyms_match_whole_words_in_capitals_only(index):
    directory, pmids = index
    only_acronym = SynonymTable({}).with_extra({"alsx": ["ALS"]})
    hits = search(directory, therapy="naltrexone", condition="alsx", synonyms=only_acronym)
    # only the revised article's abstract says "ALS"; its title spells the disease out
    assert [hit.pmid for hit in hits] == [pmids["revised"]]
    # "als" in lower case is not an acronym: it is searched as a word and finds nothing here
    table = SynonymTable({})
    assert search(directory, therapy="tester", condition="als", synonyms=table) == []


def test_search_refuses_a_directory_that_is_not_an_index(tmp_path):
    with pytest.raises(IndexFormatError, match="not a literature index"):
        search(tmp_path, therapy="LDN", condition="ALS")


def test_search_refuses_unknown_species_and_empty_terms(index):
    directory, _ = index
    with pytest.raises(ValueError):
        search(directory, therapy="LDN", condition="ALS", species="cat")
    with pytest.raises(ValueError, match="no searchable word"):
        search(directory, therapy="   ", condition="ALS")


def test_cli_search_prints_json_hits(index):
    directory, pmids = index
    result = CliRunner().invoke(
        main,
        [
            "literature",
            "search",
            str(directory),
            "--therapy",
            "LDN",
            "--condition",
            "ALS",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["pmid"] for line in lines] == [pmids["revised"]]
    assert lines[0]["species"] == ["human"]


def test_builtin_synonyms_are_data():
    table = SynonymTable.builtin()
    assert "Naltrexone" in table.expand("ldn").mesh
    assert "Amyotrophic Lateral Sclerosis" in table.expand("Motor Neurone Disease").mesh
    assert "degenerative myelopathy" in table.expand("canine degenerative myelopathy").phrases
