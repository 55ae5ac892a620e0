"""The PubMed reader's chunking: small well-formed documents, right lines, same records."""

import gzip
import io
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers import xml_chunks
from offlabel.literature.parsers.pubmed import iter_pubmed
from offlabel.literature.parsers.xml_chunks import iter_xml_chunks
from offlabel.literature.records import Deletion, Record
from tests.support.shared_data import PUBMED_DATA, TEST_DATA, needs_shared, shared_file

MEDLINE_2016 = PUBMED_DATA / "medline16n0902.xml.gz"  # real (../shared): skipped on a lone clone
OWN_FILES = [
    TEST_DATA / "literature" / "medline_2016.xml",
    TEST_DATA / "literature" / "pubmed_current.xml",
]
TAGS = {"Set": ("Rec", "Del")}
PROLOG = b'<?xml version="1.0"?>\n<!DOCTYPE Set [\n<!ENTITY e "x">\n]>\n<Set a=">">'


def _records(n: int) -> bytes:
    return b"\n" + b"".join(b"<Rec n='%d'>\n<T>r%d</T>\n</Rec>\n" % (i, i) for i in range(n))


def _chunks(data: bytes, block: int) -> list[xml_chunks.XmlChunk]:
    return list(iter_xml_chunks(io.BytesIO(data), TAGS, block_bytes=block))


def _body(chunk: xml_chunks.XmlChunk, prolog: bytes, closing: bytes) -> bytes:
    assert chunk.document.startswith(prolog)
    body = chunk.document[len(prolog) :]
    return body[: -len(closing)] if body.endswith(closing) and closing else body


@settings(max_examples=50, deadline=None)
@given(n=st.integers(0, 40), block=st.integers(1, 300), deletion=st.booleans())
def test_chunks_hold_every_body_byte_once_and_each_parses_with_right_lines(n, block, deletion):
    body = _records(n) + (b"<Del><P>9</P></Del>\n" if deletion else b"")
    data = PROLOG + body + b"</Set>\n"
    chunks = _chunks(data, block)
    assert {c.root for c in chunks} == {"Set"}
    rebuilt = b"".join(_body(c, PROLOG, b"</Set>") for c in chunks[:-1])
    rebuilt += chunks[-1].document[len(PROLOG) :]
    assert rebuilt == body + b"</Set>\n"
    seen = []
    for chunk in chunks:
        root = etree.fromstring(chunk.document)
        for element in root.iter("Rec", "Del"):
            line = chunk.input_line(element.sourceline)
            assert data.split(b"\n")[line - 1].startswith(b"<" + element.tag.encode())
            seen.append(element.get("n") or "del")
    assert seen == [str(i) for i in range(n)] + (["del"] if deletion else [])


def test_a_marker_split_across_two_reads_still_ends_a_chunk():
    data = PROLOG + _records(3) + b"</Set>"
    # block sizes around a marker's length make "</Rec>" straddle reads at many offsets
    for block in range(2, 9):
        chunks = _chunks(data, block)
        assert len(chunks) == 4  # three records, then the end tag
        assert all(etree.fromstring(c.document).tag == "Set" for c in chunks)


def test_without_record_end_tags_the_input_is_one_chunk():
    data = PROLOG + _records(3) + b"</Set>"
    (chunk,) = list(iter_xml_chunks(io.BytesIO(data), {"Set": ()}, block_bytes=4))
    assert (chunk.document, chunk.root, chunk.line_offset) == (data, "Set", 0)


def test_a_foreign_root_gives_only_what_was_read_to_find_it():
    data = b"<Other>" + b"<Rec/>" * 1000 + b"</Other>"
    (chunk,) = _chunks(data, 100)
    assert (chunk.document, chunk.root) == (data[:100], "Other")


@pytest.mark.parametrize(
    "head",
    [b" " * 100_000, b"<?a?>" * 20_000, b"<!-- - -->" * 10_000, b"<!DOCTYPE x [" + b"][" * 30_000],
)
def test_a_prolog_that_never_ends_is_given_back_at_once(head):
    # each of these took exponential time with nested repeats in the prolog pattern
    (chunk,) = _chunks(head + b"!", len(head) + 1)
    assert (chunk.root, len(chunk.document)) == ("", len(head) + 1)


def test_empty_root_and_missing_root_give_the_input_itself():
    assert [c.document for c in _chunks(b"<Set/>", 100)] == [b"<Set/>"]
    (chunk,) = _chunks(b"not xml at all", 100)
    assert (chunk.document, chunk.root) == (b"not xml at all", "")


# --- the PubMed reader over chunks ------------------------------------------------------------


def _reference_pmids(path) -> list[str]:
    """PMIDs of the citations and books as lxml's own streaming parser sees them."""
    pmids = []
    data = path.read_bytes()
    stream = io.BytesIO(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    for _event, element in etree.iterparse(stream, tag=("MedlineCitation", "BookDocument")):
        pmids.append(element.findtext("PMID"))
        element.clear()
    return pmids


@pytest.mark.parametrize("parse_ahead", [True, False])
@pytest.mark.parametrize("block", [300, 1_000, 50_000, None])
@pytest.mark.parametrize(
    "path", [pytest.param(MEDLINE_2016, marks=needs_shared, id="real"), *OWN_FILES]
)
def test_a_file_reads_the_same_at_any_chunk_size_with_or_without_parse_ahead(
    monkeypatch, parse_ahead, block, path
):
    expected = list(iter_pubmed(path, parse_ahead=False))
    if block:
        monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", block)
    items = list(iter_pubmed(path, parse_ahead=parse_ahead))
    assert items == expected
    assert [i.pmid for i in items if isinstance(i, Record)] == _reference_pmids(path)
    assert [i.position for i in items] == list(range(len(items)))


ARTICLE = (
    "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>T{pmid}"
    "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
)


def _pubmed(*parts: str) -> bytes:
    return ('<?xml version="1.0"?>\n<PubmedArticleSet>\n' + "".join(parts)).encode()


@pytest.mark.parametrize("parse_ahead", [True, False])
def test_malformed_xml_in_a_late_chunk_yields_the_records_before_it_and_names_its_line(
    monkeypatch, parse_ahead
):
    monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", 300)
    good = [ARTICLE.format(pmid=i) for i in range(1, 41)]
    data = _pubmed(*good, "<PubmedArticle><MedlineCitation><PMID>41</PMID><Oops>\n", "</Set>")
    read: list[str | None] = []
    with pytest.raises(LiteratureParseError) as info:
        for item in iter_pubmed(io.BytesIO(data), parse_ahead=parse_ahead):
            read.append(item.pmid)
    assert read == [str(i) for i in range(1, 41)]
    assert info.value.record == 41
    assert info.value.line == 44  # where "</Set>" fails to close <Oops> (opened on line 43)
    assert "malformed XML after 40 record(s)" in str(info.value)
    assert "Oops line 43 and Set, line 44" in str(info.value)  # lines in the file, not the chunk


@pytest.mark.parametrize("parse_ahead", [True, False])
def test_truncated_gzip_yields_the_records_read_before_the_error(monkeypatch, parse_ahead):
    monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", 2_000)
    data = gzip.compress(_pubmed(*[ARTICLE.format(pmid=i) for i in range(1, 3000)]))
    read = 0
    with pytest.raises(LiteratureParseError, match="cannot decompress"):
        for _item in iter_pubmed(io.BytesIO(data[: len(data) // 2]), parse_ahead=parse_ahead):
            read += 1
    assert read > 100


def test_a_record_problem_names_the_line_in_the_file_not_in_the_chunk(monkeypatch):
    monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", 300)
    parts = [ARTICLE.format(pmid=i) for i in range(1, 30)]
    parts[24] = ARTICLE.format(pmid=25).replace("<PMID>25</PMID>", "")  # a title, no PMID
    problems: list[LiteratureParseError] = []
    records = list(
        iter_pubmed(io.BytesIO(_pubmed(*parts, "</PubmedArticleSet>")), on_problem=problems.append)
    )
    assert len(records) == 28
    (problem,) = problems
    assert (problem.record, problem.line) == (25, 27)


def test_stopping_early_stops_the_helper_thread(monkeypatch):
    monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", 1_000)
    items = iter_pubmed(shared_file(MEDLINE_2016), parse_ahead=True)
    first = [next(items) for _ in range(3)]
    assert all(isinstance(i, Record) for i in first)
    assert any(t.name.startswith("pubmed-parse") for t in threading.enumerate())
    items.close()
    assert not any(t.name.startswith("pubmed-parse") for t in threading.enumerate())


def test_a_single_article_file_and_a_foreign_root(monkeypatch):
    monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", 20)
    (record,) = list(iter_pubmed(io.BytesIO(ARTICLE.format(pmid=7).encode())))
    assert record.pmid == "7"
    with pytest.raises(LiteratureParseError, match=r"not PubMed XML: the root element is <html>"):
        list(iter_pubmed(io.BytesIO(b"<html><body>" + b"<p>PubmedArticle</p>" * 99 + b"</body>")))


def test_deletions_at_a_chunk_boundary(monkeypatch):
    monkeypatch.setattr(xml_chunks, "BLOCK_BYTES", 150)
    data = _pubmed(
        ARTICLE.format(pmid=1),
        "<DeleteCitation><PMID>8</PMID></DeleteCitation>\n",
        ARTICLE.format(pmid=2),
        "</PubmedArticleSet>\n",
    )
    items = list(iter_pubmed(io.BytesIO(data)))
    assert [(type(i), i.pmid) for i in items] == [(Record, "1"), (Deletion, "8"), (Record, "2")]
