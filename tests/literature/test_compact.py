"""Merging term postings into segments: same answers, no stale terms, automatic in a scan."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.literature.index.compact import compact, pending_files
from offlabel.literature.index.layout import Manifest
from offlabel.literature.index.scan import SYNCHRONOUS, scan
from offlabel.literature.index.search import search
from tests.literature.index_corpus import FOOTER, HEADER, article, build

QUERIES = [
    ("LDN", "ALS", None),
    ("naltrexone", "motor neuron disease", None),
    ("low dose naltrexone", "DM", "dog"),
    ("protein", "humans", None),
]


def answers(index: Path) -> list[list[tuple[int, str, tuple[str, ...]]]]:
    return [
        [(h.pmid, h.source_file, h.matched_by) for h in search(index, t, c, species=s, limit=500)]
        for t, c, s in QUERIES
    ]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    baseline = tmp_path_factory.mktemp("baseline")
    pmids = build(baseline, records=1200, per_file=600)
    index = tmp_path_factory.mktemp("index")
    assert scan(baseline, index, scheduler=SYNCHRONOUS, progress=False).ok
    return baseline, index, pmids


def _copy(index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(index, target)
    return target


def test_compaction_gives_the_same_answers_from_fewer_files(scanned, tmp_path):
    _baseline, original, pmids = scanned
    index = _copy(original, tmp_path)
    before = answers(index)
    assert before[0] == [(pmids["revised"], "pubmed_bench_0003.xml", ("mesh", "text"))]
    summary = compact(index, files_per_segment=3)
    assert (summary.files_merged, summary.segments_written) == (4, 2)
    assert pending_files(index) == []
    assert sorted(p.name for p in (index / "segments").glob("*.parquet")) == [
        "000001.parquet",
        "000002.parquet",
    ]
    assert answers(index) == before
    segments = {entry.name: entry.segment for entry in Manifest.load(index).files.values()}
    assert segments["pubmed_bench_0001.xml.gz"] == "segments/000001.parquet"
    assert segments["pubmed_bench_0004.xml.gz"] == "segments/000002.parquet"
    with duckdb.connect() as db:
        terms = db.execute(
            f"SELECT term FROM read_parquet('{index}/segments/000001.parquet')"  # noqa: S608
        ).fetchall()
    assert [t for (t,) in terms] == sorted(t for (t,) in terms)  # sorted: row groups prune
    assert "3 postings file(s) merged" not in summary.line()
    assert summary.line().startswith("4 postings file(s) merged into 2 segment(s)")


def test_a_postings_file_left_beside_its_segment_counts_once(scanned, tmp_path):
    _baseline, original, _pmids = scanned
    index = _copy(original, tmp_path)
    before = answers(index)
    kept = tmp_path / "kept.parquet"
    shutil.copy(index / "terms" / "pubmed_bench_0003.parquet", kept)
    compact(index)
    # as if compaction had stopped between writing the segment and removing the file
    shutil.copy(kept, index / "terms" / "pubmed_bench_0003.parquet")
    assert answers(index) == before


def test_rescanning_a_merged_file_drops_its_old_postings(scanned, tmp_path):
    baseline_original, original, pmids = scanned
    baseline = tmp_path / "baseline"
    shutil.copytree(baseline_original, baseline)
    index = _copy(original, tmp_path)
    compact(index)
    # the update file is replaced: the revised article is no longer about LDN in ALS
    changed = baseline / "pubmed_bench_0003.xml"
    changed.write_text(
        HEADER
        + article(
            pmids["revised"],
            "Gait analysis in healthy volunteers.",
            ["Humans", "Gait"],
            2021,
            "Journal Article",
            "Walking speed was measured.",
        )
        + FOOTER,
        encoding="utf-8",
    )
    os.utime(changed, ns=(1, 1))  # a new modification time, whatever the clock says
    summary = scan(baseline, index, scheduler=SYNCHRONOUS, progress=False)
    assert (summary.files_scanned, summary.files_skipped) == (1, 3)
    assert search(index, "LDN", "ALS") == []  # a stale posting would still match it
    assert [h.pmid for h in search(index, "gait", "volunteers")] == [pmids["revised"]]
    with duckdb.connect() as db:
        (left,) = db.execute(
            f"SELECT count(*) FROM read_parquet('{index}/segments/*.parquet') "  # noqa: S608
            "WHERE source_file = 'pubmed_bench_0003.xml'"
        ).fetchone()
    assert left == 0


def test_a_scan_compacts_by_itself_once_enough_files_wait(scanned, tmp_path):
    baseline, _original, _pmids = scanned
    index = tmp_path / "index"
    summary = scan(baseline, index, scheduler=SYNCHRONOUS, progress=False, compact_at=3)
    assert summary.segments_written == 1
    assert "postings merged into 1 new segment(s)" in summary.line()
    assert pending_files(index) == []
    quiet = scan(baseline, tmp_path / "other", scheduler=SYNCHRONOUS, progress=False)
    assert quiet.segments_written == 0  # 4 files are fewer than the default threshold


def test_cli_compact(scanned, tmp_path):
    _baseline, original, _pmids = scanned
    index = _copy(original, tmp_path)
    result = CliRunner().invoke(main, ["literature", "compact", str(index)])
    assert result.exit_code == 0, result.output
    assert "4 postings file(s) merged into 1 segment(s)" in result.output
    again = CliRunner().invoke(main, ["literature", "compact", str(index)])
    assert "0 postings file(s) merged into 0 segment(s)" in again.output


def test_compact_refuses_a_folder_that_is_not_an_index_and_leaves_it_alone(tmp_path):
    result = CliRunner().invoke(main, ["literature", "compact", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a literature index" in result.output
    assert list(tmp_path.iterdir()) == []
