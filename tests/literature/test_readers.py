"""Every reader and every quirk of real exports, on small files written for these tests.

The files in ``tests/data/literature`` imitate the layouts of the tools named in their names
(written by hand, no text of others), so a lone clone exercises each reader; the same quirks
are checked on the real files in ``test_exports.py`` and ``test_export_quirks.py``.
"""

import gzip
import io

import pytest

from offlabel.literature.classify import classify
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import FORMATS, parse_file, sniff
from offlabel.literature.parsers._common import decode_text
from offlabel.literature.records import Deletion
from tests.support.shared_data import TEST_DATA

OWN = TEST_DATA / "literature"


def _displays(record):
    return [a.display for a in record.authors]


# --- PubMed XML: today's layout, the 2016 layout, gzip, deletions, books ----------------------


def test_pubmed_current_layout_reads_articles_books_and_deletions():
    result = parse_file(OWN / "pubmed_current.xml")
    trial, dog, book = result.records
    assert (trial.pmid, trial.doi, trial.pmcid, trial.nct) == (
        "90000001",
        "10.9999/jin.2021.101",
        "PMC9900001",
        "NCT09999901",
    )
    assert trial.title.startswith("A randomised, placebo-controlled trial")
    assert "in amyotrophic lateral sclerosis" in trial.title  # inline <i> keeps its spaces
    assert _displays(trial) == ["Example AB", "de Testa C", "Invented ALS Study Group"]
    assert trial.authors[0].orcid == "0000-0000-0000-0002"
    assert (trial.year, trial.volume, trial.issue, trial.pages) == (2021, "12", "3", "101-9")
    assert [label for label, _ in trial.abstract] == ["BACKGROUND", "METHODS"]
    assert next(h for h in trial.mesh if h.name.startswith("Amyotrophic")).major_topic
    assert dog.title.startswith("Naltrexon bei Hunden")  # VernacularTitle when no title
    assert dog.year == 2019  # MedlineDate "2019 Dec-2020 Jan"
    assert (book.pmid, book.journal, _displays(book)) == (
        "90000003",
        "Invented reviews of neuromuscular disease",
        ["Kapitel O"],
    )
    assert [d.pmid for d in result.deletions] == ["90000099"]


def test_pubmed_2016_medline_citation_set_layout():
    result = parse_file(OWN / "medline_2016.xml")
    mice, cells = result.records
    assert (mice.pmid, mice.journal_abbrev, mice.pmcid) == (
        "80000001",
        "Invent Restor Neurol",
        "PMC8000001",
    )
    assert _displays(mice) == ["Maus M"]  # the author marked ValidYN="N" is left out
    assert classify(mice).design.value == "animal_study"
    assert classify(cells).design.value == "cell_study"
    assert [d.pmid for d in result.deletions] == ["80000098", "80000099"]


def test_gzip_is_read_from_its_magic_bytes_not_its_name(tmp_path):
    packed = tmp_path / "no-suffix"
    packed.write_bytes(gzip.compress((OWN / "pubmed_current.xml").read_bytes()))
    assert sniff(packed) == "pubmed"
    assert [r.pmid for r in parse_file(packed).records] == ["90000001", "90000002", "90000003"]


def test_pubmed_book_article_set_and_book_authors():
    whole, untitled = parse_file(OWN / "pubmed_book_set.xml").records
    assert whole.title == whole.journal == "Motor neurone disease: an invented guideline"
    assert _displays(whole) == ["Invented Guideline Centre (UK)", "Leitlinie LA"]
    assert whole.doi == "10.9999/guide.2016"
    assert (untitled.pmid, untitled.title) == ("70000002", "")  # kept: its PMID identifies it


def test_a_bare_pubmed_book_article_keeps_the_books_authors():
    (book,) = parse_file(OWN / "pubmed_book_bare.xml").records
    assert _displays(book) == ["Herausgeber H", "Redakteur RT"]
    assert (book.title, book.year) == ("Invented GeneReviews", 1993)


# --- MEDLINE/nbib text ------------------------------------------------------------------------


def test_medline_text_reads_tags_continuations_and_skips_what_is_not_a_record():
    assert sniff(OWN / "medline.nbib") == "medline"
    result = parse_file(OWN / "medline.nbib", skip_bad=True)
    pilot, untitled = result.records
    assert pilot.title == (
        "Pilot trial of an invented drug and quality of life in amyotrophic lateral sclerosis."
    )
    assert _displays(pilot) == ["Example AB", "van Kirk J", "Invented ALS Study Group"]
    assert (pilot.doi, pilot.nct, pilot.pmcid) == (
        "10.9999/ann.2010.145",
        "NCT09999902",
        "PMC6000001",
    )
    assert (pilot.journal, pilot.journal_abbrev, pilot.year, pilot.pages) == (
        "Annals of invention",
        "Ann Invent",
        2010,
        "145-50",
    )
    assert pilot.chemicals == ("Naltrexone",)
    assert [(h.name, h.major_topic) for h in pilot.mesh] == [
        ("Humans", False),
        ("Amyotrophic Lateral Sclerosis", True),
    ]
    assert (untitled.pmid, untitled.title) == ("60000002", "")
    (problem,) = result.problems  # the last block has neither title nor PMID
    assert (problem.record, problem.line) == (3, 38)
    assert "neither a title nor an identifier" in str(problem)


# --- RIS layouts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("ris_ovid.ris", ["Invented record one", "Invented record two"]),
        ("ris_cochrane.ris", ["Invented trial from", "Another invented trial"]),
        ("ris_refworks_mixed_endings.ris", ["An invented RefWorks", "A second", "A third"]),
        ("ris_rayyan.ris", ["Invented record exported by Rayyan", ""]),
        ("ris_covidence.ris", ["Invented record exported by Covidence"]),
        ("ris_eppi.ris", ["Invented record exported by EPPI-Reviewer"]),
        ("ris_embase.ris", ["Invented Embase record"]),
        ("ris_utf8_bom.ris", ["Ein erfundener Datensatz mit Umlauten: äöü ß"]),
        ("ris_utf16le_bom.ris", ["Ein erfundener Datensatz mit Umlauten: äöü ß"]),
    ],
)
def test_ris_layouts_of_export_tools_read_every_record(name, titles):
    assert sniff(OWN / name) == "ris"
    result = parse_file(OWN / name)  # all or nothing: none of these has a bad record
    assert [r.title[: len(t)] for r, t in zip(result.records, titles, strict=True)] == titles


def test_ris_surname_first_initials_and_pmids_in_links():
    (embase,) = parse_file(OWN / "ris_embase.ris").records
    assert _displays(embase) == ["Liu R", "Adler DG", "Nobile-Orazio E"]  # A1 with a tab too
    assert embase.pmid == "33333165"  # from the L2 link
    ovid = parse_file(OWN / "ris_ovid.ris").records
    assert ovid[0].doi == "10.9999/ovid.2021.1"  # DO given as a dx.doi.org link
    assert ovid[1].pmid == "33333165"
    cochrane = parse_file(OWN / "ris_cochrane.ris").records
    assert cochrane[1].pmid == "33333166"  # "AN  - PUBMED 33333166"
    assert parse_file(OWN / "ris_covidence.ris").records[0].pmid == "33333167"


def test_a_ris_record_with_a_doi_and_no_title_is_kept():
    untitled = parse_file(OWN / "ris_rayyan.ris").records[1]
    assert (untitled.title, untitled.doi) == ("", "10.9999/rayyan.untitled")


# --- BibTeX -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quirks():
    return parse_file(OWN / "bibtex_quirks.bib", skip_bad=True)


def test_bibtex_field_names_in_any_case_split_the_authors(quirks):
    classic, shouting = quirks.records[:2]
    assert _displays(classic) == ["Cree BAC", "Kornyeieva E", "Goodin DS"]
    assert _displays(shouting) == [
        "de Paula R",
        "van Beethoven L",
        "Invented ALS Study Group",
        "Adler DG",
    ]
    assert (shouting.journal, shouting.year) == ("Invented Letters", 2011)


def test_bibtex_latex_percent_logos_and_math(quirks):
    assert quirks.records[0].title == "Topical 5% naltrexone and the TeX of Radix-2^k trials"


def test_bibtex_empty_and_repeated_keys_keep_every_entry(quirks):
    titles = [r.title for r in quirks.records]
    assert "A JabRef PubMed import with an empty key" in titles
    assert "Another entry with an empty key" in titles
    assert "First entry with a repeated key" in titles
    assert "Second entry with a repeated key" in titles
    empty = next(r for r in quirks.records if r.title.startswith("A JabRef"))
    assert empty.pmid == "33333168"
    second = next(r for r in quirks.records if r.title.startswith("Another entry"))
    assert _displays(second) == ["Second S"]


def test_bibtex_doi_only_entries_crossref_children_and_what_is_skipped(quirks):
    doi_only = next(r for r in quirks.records if r.doi == "10.9999/doi-only")
    assert doi_only.title == ""
    child = next(r for r in quirks.records if r.title.startswith("A paper inheriting"))
    assert (child.journal, child.year) == ("Proceedings of the Invented Symposium", 2017)
    messages = [str(p) for p in quirks.problems]
    assert len(messages) == 2
    assert "@set{Grouped} groups other entries" in messages[0]
    assert "line 61" in messages[0]
    assert "neither a title nor an identifier" in messages[1]


@pytest.mark.parametrize(
    ("name", "title", "author"),
    [
        ("bibtex_utf16be_bom.bib", "Ü ist ein Umlaut", "Müller J"),
        ("bibtex_cp1252.bib", "Stored at 25° C – an invented title", "García J"),
    ],
)
def test_bibtex_in_utf16_and_windows_1252(name, title, author):
    assert sniff(OWN / name) == "bibtex"
    (record,) = parse_file(OWN / name).records
    assert (record.title, _displays(record)) == (title, [author])


@pytest.mark.parametrize(
    ("name", "identifier", "authors"),
    [
        ("rayyan.bib", "33333169", ["Example A", "Rayyan R"]),
        ("covidence.bib", "10.9999/covidence.2020", ["Covidence C", "Example AB"]),
        ("eppi.bib", "33333170", ["Eppi E", "Example AB"]),
    ],
)
def test_bibtex_from_systematic_review_tools(name, identifier, authors):
    (record,) = parse_file(OWN / name).records
    assert identifier in (record.pmid, record.doi)
    assert _displays(record) == authors
    assert record.title.startswith("Invented record exported by")
    assert "{" not in record.title


# --- EndNote XML and Web of Science -----------------------------------------------------------


def test_endnote_xml_records_with_styled_text():
    assert sniff(OWN / "endnote.xml") == "endnote"
    result = parse_file(OWN / "endnote.xml", skip_bad=True)
    article, page = result.records
    assert article.title == "An invented EndNote record"
    assert _displays(article) == ["Example AB", "de Testa C", "Invented ALS Study Group"]
    assert (article.pmid, article.doi, article.journal, article.journal_abbrev) == (
        "60000001",
        "10.9999/ann.2010.145",
        "Annals of Invention",
        "Ann Invent",
    )
    assert (article.year, article.volume, article.issue, article.pages) == (
        2010,
        "68",
        "2",
        "145-50",
    )
    assert (page.url, page.publication_types) == ("https://example.org/page", ("Web Page",))
    (problem,) = result.problems
    assert problem.record == 3


def test_web_of_science_tagged_text():
    assert sniff(OWN / "wos.txt") == "wos"
    first, second = parse_file(OWN / "wos.txt").records
    assert first.title == (
        "Low-dose naltrexone in amyotrophic lateral sclerosis: an invented randomised trial"
    )
    assert _displays(first) == ["Example AB", "de Testa C", "Invented ALS Study Grp"]
    assert (first.pmid, first.doi, first.nct, first.pages) == (
        "60000001",
        "10.9999/ann.2010.145",
        "NCT09999903",
        "145-150",
    )
    assert first.keywords == ("naltrexone", "amyotrophic lateral sclerosis")
    assert second.doi == "10.9999/letters.2011"


# --- ClinicalTrials.gov and Crossref ----------------------------------------------------------


def test_ctgov_officials_are_people_and_roles_are_not_authors():
    (study,) = parse_file(OWN / "ctgov_officials.json").records
    assert _displays(study) == ["Doe J", "de Paula R"]
    assert "Controlled Clinical Trial" in study.publication_types  # parallel, double-masked
    assert dict(study.extra)["masking"] == "DOUBLE"


def test_ctgov_study_without_allocation_is_classed_by_its_summary():
    trial, cohort = parse_file(OWN / "ctgov_summary_only.json").records
    result = classify(trial)
    assert (result.species, result.design.value, result.category.value) == (None, "rct", "trials")
    assert "more specific than the generic publication type" in " ".join(result.reasons)
    assert (cohort.nct, cohort.title) == ("NCT09999906", "")  # kept by its NCT number
    assert classify(cohort).category.value == "cases"


def test_crossref_entities_abbreviations_and_title_less_works():
    bds, ol, untitled = parse_file(OWN / "crossref_entities.json").records
    assert (bds.title, bds.journal, bds.journal_abbrev) == (
        "Invented data & society research",
        "Big Data & Society",
        "Big Data & Soc",
    )
    assert _displays(bds) == ["Example AB", "Invented Consortium"]
    assert ol.journal_abbrev == "Org Lett"
    assert (untitled.doi, untitled.title) == ("10.9999/untitled.2018", "")


# --- encodings and messages -------------------------------------------------------------------


def test_decoding_by_bom_utf16_without_bom_and_cp1252():
    text = "TY  - JOUR\nTI  - Ä\n"
    assert decode_text(text.encode("utf-16-le"), "x") == text  # no BOM: the zero bytes tell
    assert decode_text(text.encode("utf-16-be"), "x") == text
    assert decode_text(b"\xff\xfe\x00\x00" + text.encode("utf-32-le"), "x") == text
    assert decode_text(text.encode("cp1252"), "x") == text
    assert decode_text(b"a\r\nb\rc\n", "x") == "a\nb\nc\n"


def test_a_file_that_cannot_be_decoded_says_so_with_its_line():
    data = b"TY  - JOUR\nTI  - \x81\x8d\x90 not text\n"
    with pytest.raises(LiteratureParseError, match="neither UTF-8 nor Windows-1252") as info:
        parse_file(io.BytesIO(data), format="ris")
    assert info.value.line == 2
    with pytest.raises(LiteratureParseError, match="not valid UTF-16-LE text"):
        decode_text(b"\xff\xfe" + "abc".encode("utf-16-le") + b"\x00\xd8", "odd.ris")


def test_unknown_format_says_what_the_file_starts_with_and_lists_the_formats(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear reviewer,\nhere are my references.\n")
    with pytest.raises(LiteratureParseError) as info:
        parse_file(path)
    message = str(info.value)
    assert "starts with 'Dear reviewer, here are my references.'" in message
    assert all(name in message for name in FORMATS)


def test_pmc_full_text_xml_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "pmc.xml"
    path.write_text('<?xml version="1.0"?>\n<pmc-articleset><article/></pmc-articleset>\n')
    with pytest.raises(LiteratureParseError, match="PubMed Central full-text"):
        parse_file(path)


def test_deletion_only_file():
    data = b"<PubmedArticleSet><DeleteCitation><PMID>5</PMID></DeleteCitation></PubmedArticleSet>"
    result = parse_file(io.BytesIO(data))
    assert result.records == ()
    assert result.deletions == (Deletion(pmid="5", source_file="<stream>", position=0),)
