"""Each bug met on real export files (issue 12), on the real file and on a small own file.

Every test runs twice: on the real file in ../shared/data/exports (skipped with the locator's
reason on a lone clone) and on a file written for these tests in tests/data/literature. The
real-file half failed before the fix; where a reference reader is at hand the expected value
comes from it, in the same test.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.literature.citations import format_vancouver
from offlabel.literature.classify import classify
from offlabel.literature.formats import parse_file, sniff
from tests.support.references import medline_reference, ris_reference
from tests.support.shared_data import EXPORTS, TEST_DATA, needs_shared

OWN = TEST_DATA / "literature"


def real(path: str, *values: object, id: str = "real") -> object:
    """A test case on a real file: skipped with the locator's reason when it is absent."""
    return pytest.param(EXPORTS / path, *values, id=id, marks=needs_shared)


def own(path: str, *values: object, id: str = "own") -> object:
    return pytest.param(OWN / path, *values, id=id)


def _displays(record):
    return [a.display for a in record.authors]


def _find(records, start):
    return next(r for r in records if r.title.startswith(start))


@pytest.mark.parametrize(
    ("path", "title", "authors"),
    [
        real(
            "bibtex/bibtexparser_v1_multiple_entries_and_comments.bib",
            "A title",
            ["Toto A", "Titi B"],
        ),
        own("bibtex_quirks.bib", "Topical", ["Cree BAC", "Kornyeieva E", "Goodin DS"]),
    ],
)
def test_bibtex_author_field_in_capitals_is_split_into_people(path, title, authors):
    record = _find(parse_file(path, skip_bad=True).records, title)
    assert _displays(record) == authors


@pytest.mark.parametrize("path", [real("ris/asreview_ovid_psycinfo.ris"), own("ris_ovid.ris")])
def test_ovid_ris_with_numbering_and_notes_between_records_reads_what_rispy_reads(path):
    records = parse_file(path).records  # no record left out, no problem
    reference = ris_reference(path)
    assert len(records) == len(reference) > 0
    assert [r.title for r in records] == [ref.title for ref in reference]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        real("ris/asreview_embase.ris", ["Liu R", "Adler DG"]),
        own("ris_embase.ris", ["Liu R", "Adler DG", "Nobile-Orazio E"]),
    ],
)
def test_embase_surname_first_names_are_not_reversed(path, expected):
    records = parse_file(path).records
    assert any(_displays(r)[: len(expected)] == expected for r in records)


@pytest.mark.parametrize(
    ("path", "doi"),
    [
        real("ris/rispy_example_bom.ris", "10.1186/s40981-020-0316-0"),
        own("ris_rayyan.ris", "10.9999/rayyan.untitled"),
    ],
)
def test_a_record_without_title_but_with_a_doi_is_kept(path, doi):
    record = next(r for r in parse_file(path).records if r.doi == doi)
    assert record.title == ""


@pytest.mark.parametrize(
    ("path", "read", "skipped"),
    [real("ris/asreview_baseline_empty_values.ris", 2, 2), own("bad_no_er.ris", 2, 1)],
)
def test_one_bad_record_no_longer_refuses_the_whole_file(path, read, skipped):
    result = CliRunner().invoke(main, ["literature", "parse", str(path), "--jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == read
    assert f"{read} record(s) read, {skipped} skipped" in result.stderr
    strict = CliRunner().invoke(main, ["literature", "parse", str(path), "--strict"])
    assert strict.exit_code == 2
    assert not strict.stdout


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        real(
            "bibtex/jabref_MedlineImporterTestNbib.bib",
            ["Predictors of treatment failure", "Rheumatoid Arthritis: National Clinical"],
        ),
        own(
            "bibtex_quirks.bib",
            ["A JabRef PubMed import with an empty key", "Another entry with an empty key"],
        ),
    ],
)
def test_empty_and_duplicate_bibtex_keys_keep_the_next_entry(path, titles):
    records = parse_file(path, skip_bad=True).records
    for title in titles:
        assert any(r.title.startswith(title) for r in records), title


@pytest.mark.parametrize(
    ("path", "nct"),
    [
        real("ctgov/biomcp_search_phelan_limit5_20260811.json", "NCT02710084"),
        own("ctgov_summary_only.json", "NCT09999905"),
    ],
)
def test_a_trial_without_mesh_is_a_trial_and_its_summary_outranks_clinical_trial(path, nct):
    study = next(r for r in parse_file(path).records if r.nct == nct)
    assert "Clinical Trial" in study.publication_types  # registered without allocation
    assert re.search(r"randomi[sz]ed", study.abstract_text, re.I)
    result = classify(study, "human")
    assert result.species is None  # no MeSH, and the summary names no species
    assert (result.design.value, result.category.value) == ("rct", "trials")


@pytest.mark.parametrize(
    ("path", "title", "journal"),
    [
        real(
            "crossref/habanero_test_works_field_queries_0.json",
            "Democratizing",
            "Big Data & Society",
        ),
        own("crossref_entities.json", "Invented data", "Big Data & Society"),
    ],
)
def test_crossref_journal_names_have_their_entities_decoded(path, title, journal):
    records = parse_file(path).records
    assert any(r.journal == journal for r in records)
    assert not any("&amp;" in (r.journal or "") + r.title for r in records)


@pytest.mark.parametrize(
    ("path", "doi"),
    [
        real("crossref/abbotsbury_test1.json", "10.1021/acs.orglett.9b00971"),
        own("crossref_entities.json", "10.9999/ol.2019.2"),
    ],
)
def test_vancouver_uses_the_nlm_abbreviation_without_dots(path, doi):
    record = next(r for r in parse_file(path).records if r.doi == doi)
    assert record.journal_abbrev == "Org Lett"
    (text,) = format_vancouver([record])
    assert " Org Lett. 2019;21:2918–22." in text


@pytest.mark.parametrize(
    ("path", "pmid", "authors"),
    [
        real(
            "pubmed/jabref_MedlineImporterTestBookArticleSet.xml",
            "21413195",
            ["National Collaborating Centre for Chronic Conditions (UK)"],
        ),
        own("pubmed_book_set.xml", "70000001", ["Invented Guideline Centre (UK)", "Leitlinie LA"]),
    ],
)
def test_a_pubmed_book_article_set_is_read(path, pmid, authors):
    book = parse_file(path).records[0]
    assert (book.pmid, _displays(book)[:2]) == (pmid, authors)


@pytest.mark.parametrize(
    ("path", "authors"),
    [
        real(
            "pubmed/jabref_MedlineImporterTestPubmedBook.xml",
            ["National Collaborating Centre for Chronic Conditions (UK)", "Williams DA"],
        ),
        own("pubmed_book_bare.xml", ["Herausgeber H", "Redakteur RT"]),
    ],
)
def test_a_bare_pubmed_book_article_keeps_the_books_author_list(path, authors):
    (book,) = parse_file(path).records
    assert _displays(book)[:2] == authors


@pytest.mark.parametrize("path", [real("ris/asreview_baseline_zotero.ris"), own("ris_embase.ris")])
def test_ris_pmids_in_pubmed_links_are_read(path):
    text = path.read_text(encoding="utf-8-sig")
    linked = re.findall(r"^L2  - \S*pubmed/(\d+)", text, re.M)
    assert linked
    pmids = {r.pmid for r in parse_file(path).records}
    assert set(linked) <= pmids


@pytest.mark.parametrize(
    ("path", "start", "title"),
    [
        real(
            "bibtex/bibtexparser_v1_biber-examples.bib",
            "10%",
            "10% of [100] and 90% of Normal_2 | & # things ^3",
        ),
        real("bibtex/bibtexparser_v1_biber-examples.bib", "The TeX", "The TeXbook", id="real-tex"),
        real(
            "bibtex/jabref_jabref-authors.bib",
            "Pipelined",
            "Pipelined Radix-2^k Feedforward FFT Architectures",
            id="real-mbox",
        ),
        own(
            "bibtex_quirks.bib", "Topical", "Topical 5% naltrexone and the TeX of Radix-2^k trials"
        ),
    ],
)
def test_bibtex_latex_keeps_per_cent_signs_logos_and_boxes(path, start, title):
    assert _find(parse_file(path, skip_bad=True).records, start).title == title


@pytest.mark.parametrize(
    ("path", "start"),
    [real("bibtex/jabref_complex.bib", "Steps Toward"), own("bibtex_quirks.bib", "Particles")],
)
def test_bibtex_particles_stay_with_the_surname(path, start):
    records = parse_file(path, skip_bad=True).records
    assert any("de Paula R" in _displays(r) for r in records)
    assert not any("Paula RD" in _displays(r) for r in records)
    del start


def test_ctgov_officials_roles_and_degrees():
    """No real file carries overall officials (the CT.gov files are trimmed): own file only."""
    (study,) = parse_file(OWN / "ctgov_officials.json").records
    assert _displays(study) == ["Doe J", "de Paula R"]


@pytest.mark.parametrize(
    ("path", "nct"),
    [
        real("ctgov/biomcp_get_nct02576665_20260811.json", "NCT02576665"),
        own("ctgov_officials.json", "NCT09999904"),
    ],
)
def test_a_trial_registration_is_cited_with_its_nct_number(path, nct):
    (text,) = format_vancouver(parse_file(path).records[:1])
    assert text.endswith(f"ClinicalTrials.gov. {text.split('. ')[-2]}. Identifier: {nct}.") or (
        f"Identifier: {nct}." in text
    )


@pytest.mark.parametrize(
    ("path", "title"),
    [
        real("bibtex/jabref_encoding-utf-16BE-with-header.bib", "Ü ist ein Umlaut"),
        real(
            "bibtex/jabref_tiny-LE-withBOM.bib",
            "Investigation of the best suture pattern to close a stuffed Christmas turkey",
            id="real-le",
        ),
        own("bibtex_utf16be_bom.bib", "Ü ist ein Umlaut"),
    ],
)
def test_utf16_bibtex_is_read_not_called_an_unknown_format(path, title):
    assert sniff(path) == "bibtex"
    assert any(r.title == title for r in parse_file(path, skip_bad=True).records)


@pytest.mark.parametrize(
    "path", [real("other/biopython_medline_pubmed_result1.txt"), own("medline.nbib")]
)
def test_pubmed_text_export_is_read_as_medline(path):
    assert sniff(path) == "medline"
    records = parse_file(path, skip_bad=True).records
    reference = [r for r in medline_reference(path) if r.identified]
    assert [r.pmid for r in records] == [r.pmid for r in reference]
    assert [len(r.authors) for r in records] == [r.authors for r in reference]
