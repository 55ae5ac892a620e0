"""Every real export file in ../shared/data/exports, read by us and by an independent reader.

For each file our reader's records are compared, field by field (title, author count, first
author, year, journal, DOI/PMID/NCT), with what an independent reader run here makes of the
same file (:mod:`tests.support.references`: Bio.Entrez, Bio.Medline, rispy, bibtexparser's own
parse stack, the raw JSON). Files broken on purpose must be refused, or their bad records
skipped, with a clear message. Every disagreement left is listed below with the reason ours
is right; a new one, or a listed one that went away, fails the test.

Run with ``-s`` to see the table per format.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import ParseResult, parse_file
from tests.support.references import (
    FIELDS,
    REFERENCE_READERS,
    align,
    key_fields,
    mismatches,
    pubmed_lxml_reference,
)
from tests.support.shared_data import EXPORTS, PRESENT, PUBMED_DATA, needs_shared

pytestmark = needs_shared

#: Files broken on purpose (the source projects' own error cases): what we must say.
BROKEN = {
    "pubmed/biopython_efetch_pmc_NOTPUBMED.xml": r"PubMed Central full-text \(JATS\) XML",
    "pubmed/jabref_MedlineImporterTestMalformedEntry.xml": r"malformed XML .*line 4",
    "pubmed/jabref_MedlineImporterTestMinimalEntry.xml": "PubmedArticle without MedlineCitation",
    "ris/jabref_RisImporterCorrupted.ris": "outside a record: no TY line before it",
    "ris/jabref_RisImporterTest1.ris": "has no ER line before this TY",
    "bibtex/bibtexparser_v1_wrong.bib": "neither a title nor an identifier",
    "bibtex/jabref_encoding-windows-1252-with-header.bib": "neither a title nor an identifier",
}

#: Files whose reference is read from the XML tree because Bio.Entrez refuses them.
ENTREZ_REFUSES = {
    "pubmed/jabref_MedlineImporterTestMathML.xml": "Bio.Entrez cannot map the MathML namespace",
    "pubmed/jabref_MedlineImporterTestNbib.xml": "Bio.Entrez's DTD model rejects VernacularTitle",
}

_LATEX_MATH = "bibtexparser's LaTeX decoding leaves \\( \\) and $ $ math as LaTeX source"
_PMID_NO_SPACE = "the file writes 'PMID-22664220' without the space; Bio.Medline cuts a digit"

#: (file, record index, field) -> why ours is right where the reference disagrees.
DISAGREEMENTS = {
    ("bibtex/bibtexparser_v1_biber-examples.bib", 36, "title"): (
        "\\TeX is the TeX logo; bibtexparser's LaTeX decoding drops it ('The book')"
    ),
    ("bibtex/bibtexparser_v1_biber-examples.bib", 37, "title"): (
        "\\TeX is the TeX logo; bibtexparser's LaTeX decoding drops it (': The Program')"
    ),
    ("bibtex/bibtexparser_v1_biber-examples.bib", 81, "title"): (
        "a bare % in a BibTeX value is a per cent sign; bibtexparser's LaTeX decoding takes it "
        "for a comment and cuts the title ('10% of [100] and 90')"
    ),
    ("bibtex/bibtexparser_v1_biber-examples.bib", 82, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 7, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 9, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 15, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 41, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 46, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 144, "title"): _LATEX_MATH,
    ("bibtex/jabref_jabref-authors.bib", 170, "title"): _LATEX_MATH,
    ("bibtex/jabref_testjabref.bib", 29, "first_author"): (
        "'World Health Organization' is an organisation, kept whole; BibTeX's grammar makes "
        "'Organization' a surname"
    ),
    ("bibtex/jabref_testjabref.bib", 70, "title"): _LATEX_MATH,
    ("bibtex/jabref_testjabref.bib", 147, "title"): _LATEX_MATH,
    ("bibtex/jabref_utf8-bom.bib", 1, "extra"): (
        "a @collection's booktitle is its title; bibtexparser sees no title field"
    ),
    ("crossref/abbotsbury_test7.json", 0, "title"): (
        "the work's subtitle ('Theory and Applications') is part of its title"
    ),
    ("other/jabref_MedlinePlainImporterTestMultipleEntries.txt", 2, "pmid"): _PMID_NO_SPACE,
    ("other/jabref_MedlinePlainImporterTestMultipleEntries.txt", 3, "pmid"): _PMID_NO_SPACE,
    ("other/jabref_MedlinePlainImporterTestMultipleEntries.txt", 4, "pmid"): _PMID_NO_SPACE,
    ("other/jabref_MedlinePlainImporterTestMultipleEntries.txt", 5, "pmid"): _PMID_NO_SPACE,
    ("ris/asreview_baseline_tag_and_field_definitions.ris", 0, "journal"): (
        "the file separates 'JO' from its value with a tab; rispy does not see the tag"
    ),
    ("ris/jabref_RisImporterTest3.ris", 0, "first_author"): (
        "'Catarina Barata' is written given name first: the surname is Barata"
    ),
    ("ris/jabref_RisImporterTestDoiAndJournalTitle.ris", 0, "first_author"): (
        "'some author' is written given name first: the surname is 'author'"
    ),
    **{
        ("ris/jabref_RisImporterTest1.ris", 0, name): (
            "a second TY inside the first record: we report the record without ER and read "
            "what follows as a record of its own; rispy ignores the repeated TY"
        )
        for name in ("title", "authors", "first_author", "journal")
    },
}


def _export_files() -> list[Path]:
    return sorted(p for p in EXPORTS.glob("*/*") if p.name != "SOURCES.txt") if PRESENT else []


@dataclass
class Survey:
    """What reading every export file gave, by format and field."""

    table: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    disagreements: dict[tuple[str, int, str], str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)


def _reference(path: Path, name: str, fmt: str) -> list | None:
    if name in ENTREZ_REFUSES:
        return pubmed_lxml_reference(path)
    reader = REFERENCE_READERS.get(fmt)
    if reader is None:
        return None
    try:
        return reader(path)
    except Exception:  # the reference cannot read a file broken on purpose
        if name in BROKEN:
            return None
        raise


@pytest.fixture(scope="module")
def survey() -> Survey:
    result = Survey()
    for path in _export_files():
        name = path.relative_to(EXPORTS).as_posix()
        try:
            parsed: ParseResult = parse_file(path, skip_bad=True)
        except LiteratureParseError as error:
            result.refused[name] = str(error)
            result.table["refused"]["files"] += 1
            continue
        row = result.table[parsed.format]
        row["files"] += 1
        row["read"] += len(parsed.records)
        row["skipped"] += len(parsed.problems)
        result.problems[name] = [str(p) for p in parsed.problems]
        refs = _reference(path, name, parsed.format)
        if refs is None:
            row["records"] += len(parsed.records)
            continue
        ours = [key_fields(r) for r in parsed.records]
        pairs = align(ours, refs)
        row["records"] += len(pairs)
        for index, (mine, theirs) in enumerate(pairs):
            if mine is None:
                result.unread.append(f"{name} record {index + 1}: {theirs.title!r}")
                continue
            row["compared"] += 1
            for name_of_field in mismatches(mine, theirs):
                row[name_of_field] += 1
                result.disagreements[(name, index, name_of_field)] = (
                    f"ours {getattr(mine, name_of_field)!r}, "
                    f"reference {getattr(theirs, name_of_field)!r}"
                )
        extra = len(ours) - sum(1 for mine, _ in pairs if mine is not None)
        if extra:
            row["extra"] += extra
            result.disagreements[(name, 1, "extra")] = f"{extra} record(s) the reference lacks"
    print("\nformat    files records read skipped | mismatches by field vs the reference")
    for fmt, row in sorted(result.table.items()):
        by_field = ", ".join(f"{f} {row[f]}" for f in (*FIELDS, "extra") if row[f]) or "none"
        print(
            f"{fmt:9} {row['files']:5} {row['records']:7} {row['read']:4} {row['skipped']:7} | "
            f"{by_field}"
        )
    return result


def test_there_are_export_files_of_every_family():
    families = {p.parent.name for p in _export_files()}
    assert families == {"bibtex", "crossref", "ctgov", "other", "pubmed", "ris"}
    assert len(_export_files()) >= 129


def test_no_file_crashes_and_only_broken_files_are_refused(survey):
    # every file was read or refused with a LiteratureParseError (any other error fails here)
    assert set(survey.refused) <= set(BROKEN), survey.refused


@pytest.mark.parametrize(("name", "message"), sorted(BROKEN.items()))
def test_files_broken_on_purpose_are_refused_with_a_clear_message(survey, name, message):
    said = [survey.refused[name]] if name in survey.refused else survey.problems[name]
    assert said, f"{name} was read without a problem"
    assert any(re.search(message, text) for text in said), said
    assert all(name.split("/")[-1] in text for text in said)  # each message names the file


def test_97_percent_of_the_records_with_a_title_or_identifier_are_read(survey):
    expected = sum(row["records"] for fmt, row in survey.table.items() if fmt != "refused")
    assert (expected - len(survey.unread)) / expected >= 0.97, survey.unread
    assert not survey.unread, survey.unread


def test_author_count_and_first_author_agree_with_the_reference_on_99_percent(survey):
    compared = sum(row["compared"] for row in survey.table.values())
    assert compared >= 350
    for name_of_field in ("authors", "first_author"):
        wrong = sum(row[name_of_field] for row in survey.table.values())
        assert (compared - wrong) / compared >= 0.99, name_of_field


def test_every_disagreement_left_is_listed_with_the_reason_ours_is_right(survey):
    unexplained = {k: v for k, v in survey.disagreements.items() if k not in DISAGREEMENTS}
    assert not unexplained, unexplained
    gone = set(DISAGREEMENTS) - set(survey.disagreements)
    assert not gone, f"listed disagreements that no longer occur: {sorted(gone)}"


@pytest.mark.parametrize(
    "name", ["medline16n0902.xml.gz", "test_current_medline.xml.gz", "pubmed-29768149.xml"]
)
def test_the_pubmed_data_files_agree_with_bio_entrez(name):
    path = PUBMED_DATA / name
    parsed = parse_file(path)
    refs = REFERENCE_READERS["pubmed"](path)
    pairs = align([key_fields(r) for r in parsed.records], refs)
    assert len(pairs) == len(parsed.records) == len(refs)
    disagreements = [
        (i, mismatches(o, r)) for i, (o, r) in enumerate(pairs) if o is None or mismatches(o, r)
    ]
    assert not disagreements
