"""Hostile literature files: a clear message naming the file, never a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import parse_file

XXE_PUBMED = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
    "<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    "</PubmedArticleSet>\n"
)
XXE_ENDNOTE = (
    '<?xml version="1.0"?>\n<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<xml><records><record><titles><title>&xxe;</title></titles></record></records></xml>\n"
)
HUGE = "9" * 10_000
CTGOV = (
    '{"studies": [{"protocolSection": {"identificationModule": '
    '{"nctId": "NCT01234567", "briefTitle": ' + HUGE + "}}}]}"
)
CROSSREF = (
    '{"message": {"items": [{"DOI": "10.1/x", "title": ["t"], '
    '"published": {"date-parts": [[' + HUGE + "]]}}]}}"
)

CASES = [
    ("xxe.xml", XXE_PUBMED, "pubmed", "declares entities"),
    (
        "xxe-utf16.xml",
        XXE_PUBMED.replace('"1.0"?', '"1.0" encoding="UTF-16"?'),
        "pubmed",
        "entities|not PubMed|malformed",
    ),
    ("endnote.xml", XXE_ENDNOTE, "endnote", "declares entities"),
    ("study.json", CTGOV, "ctgov", "not usable JSON"),
    ("works.json", CROSSREF, "crossref", "not usable JSON"),
]


@pytest.mark.parametrize(("name", "content", "fmt", "message"), CASES)
def test_parse_file_gives_a_clear_error(tmp_path, name, content, fmt, message):
    path = tmp_path / name
    encoding = "utf-16" if "utf16" in name else "utf-8"
    path.write_bytes(content.encode(encoding))
    with pytest.raises(LiteratureParseError, match=message) as refused:
        parse_file(path, format=fmt)
    assert name in str(refused.value)
    assert "passwd" not in str(refused.value).replace("file:///etc/passwd", "")


@pytest.mark.parametrize(("name", "content", "fmt", "message"), CASES)
@pytest.mark.parametrize("given", ["auto", "named"])
def test_literature_parse_prints_a_message_not_a_traceback(
    tmp_path, name, content, fmt, message, given
):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-16" if "utf16" in name else "utf-8"))
    args = ["literature", "parse", str(path)]
    if given == "named":
        args[2:2] = ["--format", fmt]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert name in result.output


def test_an_ordinary_json_number_still_reads(tmp_path):
    path = tmp_path / "study.json"
    path.write_text(json.dumps({"studies": [{"protocolSection": {"identificationModule": {
        "nctId": "NCT01234567", "briefTitle": "LDN in ALS"}}}]}))  # fmt: skip
    assert parse_file(path, format="ctgov").records[0].nct == "NCT01234567"
