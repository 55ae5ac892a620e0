from offlabel.literature.dedup import dedupe, normalize_title
from offlabel.literature.records import Author, Record


def test_same_pmid_is_a_duplicate():
    a = Record(title="One", pmid="1")
    b = Record(title="One again", pmid="1")
    kept, dups = dedupe([a, b])
    assert kept == [a]
    assert (dups[0].duplicate, dups[0].kept, dups[0].reason) == (b, a, "pmid")


def test_same_doi_from_two_sources_is_a_duplicate():
    pubmed = Record(title="Pilot trial.", pmid="20695007", doi="10.1002/ana.22006")
    crossref = Record(title="Pilot trial", doi="10.1002/ana.22006", source_format="crossref")
    kept, dups = dedupe([pubmed, crossref])
    assert kept == [pubmed]
    assert dups[0].reason == "doi"


def test_same_nct_is_a_duplicate():
    kept, dups = dedupe(
        [Record(title="A", nct="NCT00000001"), Record(title="B", nct="nct00000001")]
    )
    assert len(kept) == 1
    assert dups[0].reason == "nct"


def test_title_year_and_first_author_catch_records_without_ids():
    a = Record(
        title="Low-dose naltrexone: a pilot trial.", year=2010, authors=(Author("Cree", "BA"),)
    )
    b = Record(
        title="Low dose naltrexone - A pilot trial", year=2010, authors=(Author("Cree", "B"),)
    )
    c = Record(
        title="Low dose naltrexone - A pilot trial", year=2011, authors=(Author("Cree", "B"),)
    )
    kept, dups = dedupe([a, b, c])
    assert kept == [a, c]
    assert dups[0].reason == "title+year+first_author"


def test_third_copy_matching_only_the_duplicates_id_is_caught():
    a = Record(title="X study", pmid="1", year=2000)
    b = Record(title="X study", year=2000, doi="10.1/x")  # matches a by title
    c = Record(title="Renamed", doi="10.1/x")  # matches b's DOI only
    kept, dups = dedupe([a, b, c])
    assert kept == [a]
    assert [d.kept for d in dups] == [a, a]


def test_normalize_title_drops_accents_and_punctuation():
    assert normalize_title("Holmøy: T-cells in ALS!") == "holmy t cells in als"
