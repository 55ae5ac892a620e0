"""`offlabel literature parse` prints the same bytes whether one process reads or several."""

from __future__ import annotations

import dataclasses
import gzip
import json
import shutil

import pytest
from click.testing import CliRunner

import offlabel.literature.lines as lines
from offlabel.cli import main
from offlabel.literature.classify import classify
from offlabel.literature.formats import parse_file
from offlabel.testing.pubmed_corpus import write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("parse")
    return write_corpus(directory, 1_200, 1_200, updates=1, update_size=60, seed=11)


@pytest.fixture(autouse=True)
def every_file_in_parallel(monkeypatch):
    monkeypatch.setattr(lines, "PARALLEL_FROM_BYTES", 0)


def _parse(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["literature", "parse", *args])
    return result.exit_code, result.stdout, result.stderr


def _reference(path, jsonl: bool) -> str:
    """What the command printed before it read on every core: one record at a time."""
    result = parse_file(path, skip_bad=True)
    out = []
    for record in result.records:
        verdict = classify(record)
        if jsonl:
            data = record.to_json_dict()
            data["species"] = verdict.species.value if verdict.species else None
            data["design"] = verdict.design.value if verdict.design else None
            data["category"] = verdict.category.value if verdict.category else None
            data["classification_reasons"] = list(verdict.reasons)
            out.append(json.dumps(data, ensure_ascii=False))
        else:
            ident = record.pmid or record.doi or record.nct or "-"
            out.append(
                f"{ident}\t{record.year or ''}\t{verdict.species or '?'}\t"
                f"{verdict.design or '?'}\t{(record.title or '(no title)')[:90]}"
            )
    for deletion in result.deletions:
        out.append(json.dumps(deletion.to_json_dict()) if jsonl else f"{deletion.pmid}\tdeleted")
    return "".join(line + "\n" for line in out)


@pytest.mark.parametrize("jsonl", [True, False])
def test_several_processes_print_what_one_record_at_a_time_printed(corpus, jsonl):
    flag = ["--jsonl"] if jsonl else []
    for path in corpus.paths:  # a baseline file, and an update file with deletions
        expected = _reference(path, jsonl)
        summaries = set()
        for processes in ("1", "2", "3"):
            code, out, err = _parse(str(path), *flag, "--processes", processes)
            assert code == 0
            assert out == expected, (path.name, processes)
            summaries.add(err)
        # one summary line on stderr, the same whichever way the file was read
        [summary] = summaries
        assert summary.startswith(f"{path}: ") and summary.endswith(" 0 skipped (pubmed)\n")
    update = corpus.paths[-1]
    assert "deleted" in _reference(update, jsonl)


def test_the_pool_really_reads_in_parallel(corpus):
    path = str(corpus.paths[0])
    read = lines.pubmed_lines(path, jsonl=True, processes=2)
    assert read is not None
    assert "".join(read.blocks) == _reference(path, True)
    assert read.records == len(_reference(path, True).splitlines())
    assert lines.pubmed_lines(path, jsonl=True, processes=1) is None  # the careful way


def test_a_truncated_file_gets_the_careful_reader_s_message(corpus, tmp_path):
    data = corpus.paths[0].read_bytes()
    bad = tmp_path / "truncated.xml.gz"
    bad.write_bytes(data[: len(data) // 2])
    assert lines.pubmed_lines(bad, jsonl=True, processes=2) is None
    code, out, err = _parse(str(bad), "--jsonl", "--processes", "2")
    assert code == 0 and out == _reference(bad, True)  # the records read before the cut
    assert "truncated.xml.gz" in err and "truncated or corrupt gzip" in err
    code, out, err = _parse(str(bad), "--jsonl", "--strict", "--processes", "2")
    assert code == 2 and out == ""
    assert "truncated or corrupt gzip" in err


def test_a_record_without_a_title_is_kept_by_its_pmid_as_the_careful_reader_keeps_it(
    corpus, tmp_path
):
    with gzip.open(corpus.paths[0], "rt", encoding="utf-8") as handle:
        text = handle.read()
    first_title = text.index("<ArticleTitle>")
    end = text.index("</ArticleTitle>", first_title)
    untitled = tmp_path / "no_title.xml"
    untitled.write_text(text[:first_title] + text[end + len("</ArticleTitle>") :], encoding="utf-8")
    expected = _reference(untitled, True)
    code, out, err = _parse(str(untitled), "--jsonl", "--processes", "2")
    assert code == 0 and out == expected and '"title": ""' in out.splitlines()[0]
    assert err.endswith(" 0 skipped (pubmed)\n")
    code, out, err = _parse(str(untitled), "--jsonl", "--strict", "--processes", "2")
    assert code == 0 and out == expected


def test_markup_hidden_in_a_comment_still_prints_what_the_careful_reader_prints(corpus, tmp_path):
    with gzip.open(corpus.paths[0], "rt", encoding="utf-8") as handle:
        text = handle.read()
    expected = None
    for at in (1_000, 200_000, 400_000):  # a cut inside the comment, or not
        cut = text.index("<PubmedArticle>", at)
        hidden = tmp_path / f"comment{at}.xml"
        hidden.write_text(text[:cut] + "<!-- </PubmedArticle> -->" + text[cut:], encoding="utf-8")
        expected = _reference(hidden, True)
        code, out, _err = _parse(str(hidden), "--jsonl", "--processes", "2")
        assert code == 0 and out == expected
    assert expected is not None


def test_other_layouts_and_small_files_are_read_the_careful_way(tmp_path, monkeypatch):
    medline = tmp_path / "old.xml"
    medline.write_text(
        '<MedlineCitationSet><MedlineCitation><PMID Version="1">1</PMID><Article>'
        "<ArticleTitle>Old layout</ArticleTitle></Article></MedlineCitation>"
        "</MedlineCitationSet>",
        encoding="utf-8",
    )
    assert lines.pubmed_lines(medline, jsonl=True, processes=2) is None
    code, out, _err = _parse(str(medline), "--jsonl")
    assert code == 0 and json.loads(out)["title"] == "Old layout"
    monkeypatch.setattr(lines, "PARALLEL_FROM_BYTES", 10**9)
    copy = tmp_path / "copy.xml"
    shutil.copy(medline, copy)
    assert lines.pubmed_lines(copy, jsonl=False, processes=2) is None
    assert lines.pubmed_lines(tmp_path / "missing.xml", jsonl=False, processes=2) is None


def _dumped(record, verdict) -> str:
    data = record.to_json_dict()
    data["species"] = verdict.species.value if verdict.species else None
    data["design"] = verdict.design.value if verdict.design else None
    data["category"] = verdict.category.value if verdict.category else None
    data["classification_reasons"] = list(verdict.reasons)
    return json.dumps(data, ensure_ascii=False)


def test_the_json_written_directly_is_json_dumps_of_the_record_s_dict(corpus):
    from offlabel.literature.errors import LiteratureParseError
    from offlabel.literature.formats import iter_records
    from offlabel.literature.records import Author, MeshHeading, Record
    from tests.support.shared_data import EXPORTS, PRESENT, TEST_DATA

    paths = [*corpus.paths, *sorted((TEST_DATA / "literature").glob("*"))]
    if PRESENT:
        paths += sorted(p for p in EXPORTS.rglob("*") if p.is_file() and p.suffix != ".txt")
    records = [
        Record(
            title='Quotes " and \\ back\\slashes\ttabs\x01 — ünïcode',
            abstract=(("", "x"), ("Label", 'y "z"')),
            authors=(Author("Group"), Author("Doe", "J", "0000-0001-2345-6789")),
            mesh=(MeshHeading("D1", "Humans", True),),
            year=1999,
            url="https://example.org/a?b=c",
        )
    ]
    for path in paths:
        try:
            records += [
                r for r in iter_records(path, on_problem=lambda _p: None) if isinstance(r, Record)
            ]
        except LiteratureParseError:  # some exports are broken on purpose
            continue
    assert len(records) > 1_000
    for record in records:
        verdict = classify(record)
        assert lines.record_line(record, verdict, True) == _dumped(record, verdict)
        assert lines.record_line(record, verdict, True, 7) == _dumped(
            dataclasses.replace(record, position=7), verdict
        )
