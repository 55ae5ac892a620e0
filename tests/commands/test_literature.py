import json

from click.testing import CliRunner

from offlabel.cli import main
from tests.support.shared_data import PUBMED_DATA, TEST_DATA

FIXTURES = TEST_DATA / "literature"
EFETCH = str(PUBMED_DATA / "pubmed-29768149.xml")


def _run(*args):
    return CliRunner().invoke(main, ["literature", "parse", *args])


def test_parse_jsonl_prints_contract_fields_for_pubmed():
    result = _run(EFETCH, "--jsonl")
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
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


def test_parse_each_fixture_format_with_explicit_format():
    for name, fmt in [
        ("sample.ris", "ris"),
        ("sample.bib", "bibtex"),
        ("ctgov_study.json", "ctgov"),
        ("crossref_work.json", "crossref"),
    ]:
        result = _run(str(FIXTURES / name), "--format", fmt, "--jsonl")
        assert result.exit_code == 0, result.output
        assert all("title" in json.loads(line) for line in result.output.splitlines())


def test_bad_file_exits_2_with_file_and_line():
    result = _run(str(FIXTURES / "bad_no_er.ris"), "--jsonl")
    assert result.exit_code == 2
    assert "bad_no_er.ris" in result.output
    assert "line 10" in result.output
    assert '"title"' not in result.output  # nothing printed from a bad file


def test_skip_bad_prints_good_records_and_reports_bad_ones():
    result = _run(str(FIXTURES / "bad_braces.bib"), "--jsonl", "--skip-bad")
    assert result.exit_code == 0
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["A good entry", "Another good entry"]
    assert "skipped:" in result.stderr
    assert "line 6" in result.stderr


def test_wrong_json_shape_exits_2():
    result = _run(str(FIXTURES / "wrong_shape.json"), "--format", "crossref", "--jsonl")
    assert result.exit_code == 2
    assert "wrong JSON shape" in result.output
