import gzip
import io

import pytest

from offlabel.literature.errors import FileTooLargeError, LiteratureParseError
from offlabel.literature.formats import parse_file, sniff
from offlabel.literature.parsers.bibtex import iter_bibtex
from offlabel.literature.parsers.crossref import iter_crossref
from offlabel.literature.parsers.ctgov import iter_ctgov
from offlabel.literature.parsers.pubmed import iter_pubmed
from offlabel.literature.parsers.ris import iter_ris
from offlabel.literature.records import Deletion, Record
from tests.support.shared_data import PUBMED_DATA, TEST_DATA, needs_shared, shared_file

# real MEDLINE files written by others (../shared); tests on them skip on a lone clone, and
# tests/data/literature has small files of both layouts (see test_readers.py)
MEDLINE_2016 = PUBMED_DATA / "medline16n0902.xml.gz"
CURRENT = PUBMED_DATA / "test_current_medline.xml.gz"
EFETCH = PUBMED_DATA / "pubmed-29768149.xml"
FIXTURES = TEST_DATA / "literature"

ARTICLE = (
    '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
    "<Article><Journal><JournalIssue><Volume>1</Volume><PubDate><Year>2020</Year></PubDate>"
    "</JournalIssue><Title>J</Title></Journal><ArticleTitle>{title}</ArticleTitle></Article>"
    "</MedlineCitation></PubmedArticle>\n"
)


def _xml(*articles: str, tail: str = "</PubmedArticleSet>\n") -> bytes:
    return ('<?xml version="1.0"?>\n<PubmedArticleSet>\n' + "".join(articles) + tail).encode()


# --- PubMed ---------------------------------------------------------------------------------


def test_medline_2016_layout_gives_all_604_records_with_fields():
    items = list(iter_pubmed(shared_file(MEDLINE_2016)))
    records = [i for i in items if isinstance(i, Record)]
    assert len(records) == 604
    assert [(d.pmid, d.position) for d in items if isinstance(d, Deletion)] == [("26432306", 604)]
    first = records[0]
    assert isinstance(first, Record)
    assert first.pmid == "17942999"
    assert first.journal == "Restorative neurology and neuroscience"
    assert first.journal_abbrev == "Restor Neurol Neurosci"
    assert (first.year, first.volume, first.issue, first.pages) == (2007, "25", "3-4", "195-210")
    assert [a.display for a in first.authors] == ["Chandrasekaran B", "Gandour JT", "Krishnan A"]
    assert [label for label, _ in first.abstract] == [
        "PURPOSE",
        "METHODS",
        "RESULTS",
        "CONCLUSIONS",
    ]
    assert first.pmcid == "PMC4380289"
    assert first.language == "eng"
    assert "Humans" in first.mesh_names
    pitch = next(h for h in first.mesh if h.name == "Pitch Perception")
    assert pitch.descriptor_id == "D010898"
    assert pitch.major_topic is True  # starred through its qualifier
    assert [r.position for r in records[:3]] == [0, 1, 2]


def test_current_layout_record_36400559():
    records = list(iter_pubmed(shared_file(CURRENT)))
    assert [r.pmid for r in records] == ["36400559", "2930949", "11446611", "28786991"]
    back_pain = records[0]
    assert back_pain.title == "Back Pain: Differential Diagnosis and Management."
    assert back_pain.doi == "10.1016/j.ncl.2022.07.002"
    assert back_pain.journal_abbrev == "Neurol Clin"
    assert (back_pain.year, back_pain.volume, back_pain.issue, back_pain.pages) == (
        2023,
        "41",
        "1",
        "61-76",
    )
    assert back_pain.publication_types == ("Journal Article", "Review")
    assert back_pain.keywords == ("Back pain", "Diagnosis", "Management", "Outpatient")
    assert back_pain.chemicals == ("Anti-Inflammatory Agents, Non-Steroidal",)
    low_back = next(h for h in back_pain.mesh if h.name == "Low Back Pain")
    assert (low_back.descriptor_id, low_back.major_topic) == ("D017116", True)
    assert records[1].pmcid == "PMC1306303"


def test_efetch_record_29768149_has_trial_fields():
    (record,) = list(iter_pubmed(shared_file(EFETCH)))
    assert record.pmid == "29768149"
    assert record.doi == "10.1056/nejmoa1715274"
    assert record.nct == "NCT02149199"
    assert record.authors[0].display == "O'Byrne PM"
    assert len(record.authors) == 10
    assert "Randomized Controlled Trial" in record.publication_types
    assert record.abstract[0][0] == "BACKGROUND"
    assert "β 2-agonist" in record.abstract[0][1]  # <sub> markup flattened
    assert "Budesonide" in record.chemicals


def test_plain_and_gzip_and_file_object_give_same_records(tmp_path):
    data = _xml(ARTICLE.format(pmid=1, title="A"), ARTICLE.format(pmid=2, title="B"))
    plain = tmp_path / "a.xml"
    plain.write_bytes(data)
    packed = tmp_path / "a.gz"  # name says nothing; magic bytes decide
    packed.write_bytes(gzip.compress(data))
    from_plain = [r.pmid for r in iter_pubmed(plain)]
    from_gzip = [r.pmid for r in iter_pubmed(packed)]
    from_stream = [r.pmid for r in iter_pubmed(io.BytesIO(gzip.compress(data)))]
    assert from_plain == from_gzip == from_stream == ["1", "2"]


def test_delete_citation_yields_deletion_markers():
    data = _xml(
        ARTICLE.format(pmid=10, title="Kept"),
        tail='<DeleteCitation><PMID Version="1">11</PMID><PMID Version="1">12</PMID>'
        "</DeleteCitation></PubmedArticleSet>",
    )
    items = list(iter_pubmed(io.BytesIO(data)))
    assert isinstance(items[0], Record)
    assert [(type(i), i.pmid) for i in items[1:]] == [(Deletion, "11"), (Deletion, "12")]


def test_truncated_gzip_names_file_and_record(tmp_path):
    data = gzip.compress(_xml(*[ARTICLE.format(pmid=i, title="T" * 200) for i in range(1, 400)]))
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LiteratureParseError) as info:
        list(iter_pubmed(path))
    message = str(info.value)
    assert "cut.xml.gz" in message
    assert "record" in message


def test_malformed_xml_mid_file_names_line(tmp_path):
    good = ARTICLE.format(pmid=1, title="Good")
    path = tmp_path / "bad.xml"
    path.write_bytes(
        _xml(good, "<PubmedArticle><MedlineCitation><PMID>2</PMID><Oops></PubmedArticle>\n")
    )
    with pytest.raises(LiteratureParseError) as info:
        list(iter_pubmed(path))
    assert info.value.file == str(path)
    assert info.value.line == 4
    assert info.value.record == 2


def test_article_without_title_is_kept_by_its_pmid_and_one_without_pmid_is_a_problem(tmp_path):
    path = tmp_path / "notitle.xml"
    path.write_bytes(_xml(ARTICLE.format(pmid=1, title=""), ARTICLE.format(pmid=2, title="B")))
    assert [(r.pmid, r.title) for r in parse_file(path).records] == [("1", ""), ("2", "B")]
    path.write_bytes(_xml(ARTICLE.format(pmid="", title="A"), ARTICLE.format(pmid=2, title="B")))
    with pytest.raises(LiteratureParseError, match="no PMID"):
        parse_file(path)
    result = parse_file(path, skip_bad=True)
    assert [r.pmid for r in result.records] == ["2"]
    assert result.problems[0].record == 1


def test_skip_bad_keeps_records_before_malformed_xml(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(_xml(ARTICLE.format(pmid=1, title="A"), "<PubmedArticle><broken"))
    result = parse_file(path, skip_bad=True)
    assert [r.pmid for r in result.records] == ["1"]
    assert "malformed XML" in str(result.problems[0])


# --- RIS --------------------------------------------------------------------------------------


def test_ris_sample_fields():
    first, second = list(iter_ris(FIXTURES / "sample.ris"))
    assert first.title.startswith("Pilot trial of low dose naltrexone")
    assert [a.display for a in first.authors] == ["Cree BAC", "Kornyeieva E", "Goodin DS"]
    assert (first.year, first.volume, first.issue, first.pages) == (2010, "68", "2", "145-150")
    assert first.doi == "10.1002/ana.22006"
    assert first.pmid == "20695007"
    assert first.journal_abbrev == "Ann Neurol"
    assert "80 patients" in first.abstract_text
    assert second.pages == "222"


def test_ris_without_er_names_the_line():
    with pytest.raises(LiteratureParseError) as info:
        list(iter_ris(FIXTURES / "bad_no_er.ris"))
    assert "no ER" in str(info.value)
    assert info.value.line == 10
    assert "line 6" in str(info.value)


def test_ris_without_ty_names_the_line():
    with pytest.raises(LiteratureParseError, match="no TY") as info:
        list(iter_ris(FIXTURES / "bad_no_ty.ris"))
    assert info.value.line == 1


def test_ris_skip_bad_keeps_good_records():
    result = parse_file(FIXTURES / "bad_no_er.ris", skip_bad=True)
    assert [r.title for r in result.records] == ["A good first record", "A good third record"]
    assert len(result.problems) == 1


# --- BibTeX -----------------------------------------------------------------------------------


def test_bibtex_sample_fields():
    cree, holmoy = list(iter_bibtex(FIXTURES / "sample.bib"))
    assert (
        cree.title == "Pilot trial of low dose naltrexone and quality of life in Multiple sclerosis"
    )
    assert [a.display for a in cree.authors] == ["Cree BAC", "Kornyeieva E", "Goodin DS"]
    assert (cree.pmid, cree.doi, cree.pages) == ("20695007", "10.1002/ana.22006", "145-150")
    assert holmoy.authors[0].last_name == "Holmøy"


def test_bibtex_unbalanced_braces_names_line_and_imports_nothing():
    with pytest.raises(LiteratureParseError) as info:
        parse_file(FIXTURES / "bad_braces.bib")
    assert info.value.line == 6
    assert "braces" in str(info.value)
    result = parse_file(FIXTURES / "bad_braces.bib", skip_bad=True)
    assert [r.year for r in result.records] == [2001, 2003]


# --- ClinicalTrials.gov and Crossref ----------------------------------------------------------


def test_ctgov_single_study():
    (study,) = list(iter_ctgov(FIXTURES / "ctgov_study.json"))
    assert study.nct == "NCT00000001"
    assert study.title.startswith("A Pilot Randomized")
    assert study.year == 2019
    assert "Randomized Controlled Trial" in study.publication_types
    assert "Clinical Trial, Phase II" in study.publication_types
    assert study.authors[0].display == "Example JQ"
    assert [h.descriptor_id for h in study.mesh] == ["D000690", "D009271"]
    assert study.abstract[0][0] == "Brief summary"


def test_ctgov_search_page():
    registry, open_label = list(iter_ctgov(FIXTURES / "ctgov_search.json"))
    assert "Observational Study" in registry.publication_types
    assert "Clinical Trial" in open_label.publication_types


def test_crossref_single_work():
    (work,) = list(iter_crossref(FIXTURES / "crossref_work.json"))
    assert work.doi == "10.1002/ana.22006"
    assert [a.display for a in work.authors] == ["Cree BAC", "Kornyeieva E", "Goodin DS"]
    assert work.authors[0].orcid == "0000-0000-0000-0001"
    assert (work.journal, work.journal_abbrev, work.year) == (
        "Annals of Neurology",
        "Ann Neurol",  # NLM abbreviations carry no dots
        2010,
    )
    assert work.abstract_text == "Objective: to test low dose naltrexone."


def test_crossref_list_keeps_a_work_with_a_doi_and_no_title(tmp_path):
    records = list(iter_crossref(FIXTURES / "crossref_list.json"))
    assert [(r.doi, r.title) for r in records] == [
        ("10.1000/one", "First work"),
        ("10.1000/two", ""),
    ]
    path = tmp_path / "nothing.json"
    path.write_text(
        '{"message-type": "work-list", "message": {"items": [{"DOI": "10.1/a", '
        '"title": ["A"]}, {"type": "component"}]}}'
    )
    with pytest.raises(LiteratureParseError, match="neither a title nor an identifier") as info:
        list(iter_crossref(path))
    assert info.value.record == 2
    result = parse_file(path, skip_bad=True)
    assert [r.doi for r in result.records] == ["10.1/a"]


@pytest.mark.parametrize("reader", [iter_crossref, iter_ctgov])
def test_json_of_wrong_shape_is_a_clear_error(reader):
    with pytest.raises(LiteratureParseError, match="wrong JSON shape"):
        list(reader(FIXTURES / "wrong_shape.json"))


def test_invalid_json_names_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "message": {\n    "DOI": oops\n}}')
    with pytest.raises(LiteratureParseError) as info:
        list(iter_crossref(path))
    assert info.value.line == 3


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"),
    [
        pytest.param(MEDLINE_2016, "pubmed", marks=needs_shared),
        pytest.param(EFETCH, "pubmed", marks=needs_shared),
        (FIXTURES / "medline_2016.xml", "pubmed"),
        (FIXTURES / "pubmed_current.xml", "pubmed"),
        (FIXTURES / "pubmed_book_set.xml", "pubmed"),
        (FIXTURES / "pubmed_book_bare.xml", "pubmed"),
        (FIXTURES / "medline.nbib", "medline"),
        (FIXTURES / "endnote.xml", "endnote"),
        (FIXTURES / "wos.txt", "wos"),
        (FIXTURES / "ris_ovid.ris", "ris"),
        (FIXTURES / "sample.ris", "ris"),
        (FIXTURES / "sample.bib", "bibtex"),
        (FIXTURES / "ctgov_study.json", "ctgov"),
        (FIXTURES / "ctgov_search.json", "ctgov"),
        (FIXTURES / "crossref_work.json", "crossref"),
        (FIXTURES / "crossref_list.json", "crossref"),
    ],
)
def test_sniff_recognises_each_format(path, name):
    assert sniff(path) == name


def test_unknown_format_is_a_clear_error():
    with pytest.raises(LiteratureParseError, match="unknown file format"):
        parse_file(FIXTURES / "wrong_shape.json")


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.xml"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(FileTooLargeError, match="over the limit"):
        parse_file(path, max_bytes=1024)


def test_oversized_upload_is_refused_by_its_size():
    class Upload(io.BytesIO):
        name = "upload.xml"
        size = 3 * 1024**3

    with pytest.raises(FileTooLargeError, match=r"upload\.xml"):
        parse_file(Upload(b"<x/>"))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(LiteratureParseError, match="cannot open"):
        parse_file(tmp_path / "nope.xml")


def test_inline_markup_keeps_the_space_between_leading_italic_words():
    title = "<i>Drosophila</i> <i>melanogaster</i> flies and H<sub>2</sub>O"
    data = _xml(ARTICLE.format(pmid=1, title=title))
    (record,) = list(iter_pubmed(io.BytesIO(data)))
    assert record.title == "Drosophila melanogaster flies and H2O"
