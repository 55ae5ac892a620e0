import json

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.literature.formats import FORMATS
from tests.support.shared_data import PUBMED_DATA, TEST_DATA, shared_file

FIXTURES = TEST_DATA / "literature"
EFETCH = PUBMED_DATA / "pubmed-29768149.xml"  # real (../shared): skipped on a lone clone


def _run(*args):
    return CliRunner().invoke(main, ["literature", "parse", *args])


def test_parse_jsonl_prints_contract_fields_for_pubmed():
    result = _run(str(shared_file(EFETCH)), "--jsonl")
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    data = json.loads(line)
    assert data["pmid"] == "29768149"
    assert data["doi"] == "10.1056/nejmoa1715274"
    assert data["nct"] == "NCT02149199"
    assert data["journal"] == "The New England journal of medicine"
    assert data["year"] == 2018
    assert data["authors"][:2] == ["O'Byrne PM", "FitzGerald JM"]
    assert "Asthma" in data["mesh"]
    assert "Randomized Controlled Trial" in data["publication_types"]
    assert (data["species"], data["design"], data["category"]) == ("human", "rct", "trials")


def test_parse_jsonl_prints_contract_fields_for_an_own_pubmed_file():
    result = _run(str(FIXTURES / "pubmed_current.xml"), "--jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d.get("pmid") for d in lines] == ["90000001", "90000002", "90000003", "90000099"]
    trial = lines[0]
    assert (trial["doi"], trial["nct"], trial["year"]) == (
        "10.9999/jin.2021.101",
        "NCT09999901",
        2021,
    )
    assert trial["authors"] == ["Example AB", "de Testa C", "Invented ALS Study Group"]
    assert (trial["species"], trial["design"], trial["category"]) == ("human", "rct", "trials")
    assert lines[-1] == {
        "deleted": True,
        "pmid": "90000099",
        "source_file": lines[-1]["source_file"],
        "position": 3,
    }
    assert "3 record(s) read, 1 deletion(s), 0 skipped (pubmed)" in result.stderr


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("sample.ris", "ris"),
        ("sample.bib", "bibtex"),
        ("ctgov_study.json", "ctgov"),
        ("crossref_work.json", "crossref"),
        ("medline.nbib", "medline"),
        ("endnote.xml", "endnote"),
        ("wos.txt", "wos"),
        ("medline_2016.xml", "pubmed"),
    ],
)
def test_parse_each_own_file_with_its_format_named(name, fmt):
    result = _run(str(FIXTURES / name), "--format", fmt, "--jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all("title" in d for d in lines if not d.get("deleted"))
    assert f"({fmt})" in result.stderr


def test_help_lists_every_format():
    result = _run("--help")
    assert result.exit_code == 0
    for name, fmt in FORMATS.items():
        assert f"{name:<9} {fmt.label}" in " ".join(result.output.split("\n"))
    assert "--strict" in result.output


def test_a_bad_record_is_skipped_named_and_counted_and_strict_refuses_the_file():
    result = _run(str(FIXTURES / "bad_no_er.ris"), "--jsonl")
    assert result.exit_code == 0
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["A good first record", "A good third record"]
    assert "skipped:" in result.stderr and "bad_no_er.ris" in result.stderr
    assert "line 10" in result.stderr
    assert "2 record(s) read, 1 skipped (ris)" in result.stderr
    strict = _run(str(FIXTURES / "bad_no_er.ris"), "--jsonl", "--strict")
    assert strict.exit_code == 2
    assert "line 10" in strict.stderr
    assert '"title"' not in strict.stdout  # nothing printed from a refused file


def test_skip_bad_is_still_accepted_and_prints_the_good_records():
    result = _run(str(FIXTURES / "bad_braces.bib"), "--jsonl", "--skip-bad")
    assert result.exit_code == 0
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["A good entry", "Another good entry"]
    assert "line 6" in result.stderr


def test_an_unreadable_file_exits_2_naming_the_problem():
    result = _run(str(FIXTURES / "wrong_shape.json"), "--format", "crossref", "--jsonl")
    assert result.exit_code == 2
    assert "wrong JSON shape" in result.output
    result = _run(str(FIXTURES / "wrong_shape.json"))
    assert result.exit_code == 2
    assert "unknown file format" in result.stderr
