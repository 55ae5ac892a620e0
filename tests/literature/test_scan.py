"""Scanning PubMed files into the Parquet index: partitions, updates, deletions, reruns."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.literature.index.layout import Manifest, current_rows_sql
from offlabel.literature.index.scan import SYNCHRONOUS, input_files, scan
from tests.literature.index_corpus import build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    directory = tmp_path_factory.mktemp("baseline")
    return directory, build(directory)


@pytest.fixture(scope="module")
def scanned(corpus, tmp_path_factory):
    baseline, pmids = corpus
    index = tmp_path_factory.mktemp("index")
    summary = scan(baseline, index, scheduler=SYNCHRONOUS, progress=False)
    return index, summary, pmids


def live(index: Path, where: str = "true") -> list[tuple]:
    with duckdb.connect() as db:
        return db.execute(
            f"SELECT pmid, title, source_file FROM ({current_rows_sql(index)}) WHERE {where}"  # noqa: S608 - quoted
        ).fetchall()


def test_scan_writes_one_partition_per_input_file_and_counts_everything(scanned):
    index, summary, _ = scanned
    assert summary.ok
    assert summary.files_scanned == 4
    assert summary.records == 2000 + 3 + 1
    assert summary.deletions == 1
    assert sorted(p.name for p in (index / "records").glob("*.parquet")) == [
        f"pubmed_bench_000{i}.parquet" for i in (1, 2, 3, 4)
    ]
    # 2000 corpus records + dog + later-revised article, minus the deleted one
    assert summary.live_records == 2000 + 2 - 1
    assert len(live(index)) == summary.live_records


def test_a_later_file_replaces_the_earlier_version_of_a_pmid(scanned):
    index, _, pmids = scanned
    rows = live(index, f"pmid = {pmids['revised']}")
    assert len(rows) == 1
    assert rows[0][1].startswith("Low-dose naltrexone in amyotrophic lateral sclerosis")
    assert rows[0][2] == "pubmed_bench_0003.xml"
    later = live(index, f"pmid = {pmids['later_revised']}")
    assert [row[2] for row in later] == ["pubmed_bench_0004.xml.gz"]


def test_delete_citation_removes_the_pmid_from_the_index(scanned):
    index, _, pmids = scanned
    assert live(index, f"pmid = {pmids['deleted']}") == []
    assert len(live(index, f"pmid = {pmids['untouched']}")) == 1


def test_rows_carry_the_classification_and_record_fields(scanned):
    index, _, pmids = scanned
    with duckdb.connect() as db:
        row = db.execute(
            "SELECT species, design, category, mesh, authors, year "  # noqa: S608
            f"FROM ({current_rows_sql(index)}) WHERE pmid = {pmids['dog']}"
        ).fetchone()
    species, design, category, mesh, authors, year = row
    assert species[0] == "dog"
    assert design == "case_report" or design == "case_series"
    assert category is not None
    assert "Naltrexone" in mesh
    assert authors == ["Tester T"]
    assert year == 2023


def test_rescan_skips_files_already_indexed(scanned, corpus):
    index, _, _ = scanned
    baseline, _ = corpus
    again = scan(baseline, index, scheduler=SYNCHRONOUS, progress=False)
    assert (again.files_scanned, again.files_skipped, again.records) == (0, 4, 0)
    assert again.live_records == 2001


def test_rescan_reindexes_a_changed_file_only(corpus, tmp_path):
    baseline, pmids = corpus
    copy = tmp_path / "baseline"
    shutil.copytree(baseline, copy)
    index = tmp_path / "index"
    scan(copy, index, scheduler=SYNCHRONOUS, progress=False)
    update = copy / "pubmed_bench_0003.xml"
    update.write_text(
        update.read_text(encoding="utf-8").replace("open-label pilot study", "pilot trial"),
        encoding="utf-8",
    )
    again = scan(copy, index, scheduler=SYNCHRONOUS, progress=False)
    assert (again.files_scanned, again.files_skipped) == (1, 3)
    assert live(index, f"pmid = {pmids['revised']}")[0][1].endswith("an pilot trial.")


def test_an_interrupted_scan_still_resolves_versions_inline(scanned, tmp_path):
    index, summary, pmids = scanned
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    (copy / "overrides.parquet").unlink()
    manifest = Manifest.load(copy)
    manifest.overrides_current = False
    manifest.save(copy)
    assert live(copy, f"pmid = {pmids['deleted']}") == []
    assert len(live(copy)) == summary.live_records


def test_a_truncated_file_gets_no_partition_and_is_reported(corpus, tmp_path):
    baseline, _ = corpus
    bad_dir = tmp_path / "baseline"
    bad_dir.mkdir()
    good = baseline / "pubmed_bench_0002.xml.gz"
    shutil.copy(good, bad_dir / good.name)
    data = (baseline / "pubmed_bench_0001.xml.gz").read_bytes()
    (bad_dir / "pubmed_bench_0001.xml.gz").write_bytes(data[: len(data) // 2])
    index = tmp_path / "index"
    summary = scan(bad_dir, index, scheduler=SYNCHRONOUS, progress=False)
    assert not summary.ok
    assert [name for name, _ in summary.failed] == ["pubmed_bench_0001.xml.gz"]
    assert "pubmed_bench_0001.xml.gz" in summary.failed[0][1]
    assert not (index / "records" / "pubmed_bench_0001.parquet").exists()
    assert summary.files_scanned == 1
    assert "pubmed_bench_0001.xml.gz" not in Manifest.load(index).files


def test_input_files_are_taken_in_ncbi_file_name_order(tmp_path):
    for name in ("pubmed25n0002.xml.gz", "pubmed25n0001.xml.gz", "pubmed25n1275.xml", "notes.txt"):
        (tmp_path / name).write_bytes(gzip.compress(b"") if name.endswith(".gz") else b"")
    assert [p.name for p in input_files(tmp_path)] == [
        "pubmed25n0001.xml.gz",
        "pubmed25n0002.xml.gz",
        "pubmed25n1275.xml",
    ]


def test_the_same_file_twice_is_refused(tmp_path):
    (tmp_path / "a.xml").write_text("<PubmedArticleSet/>")
    (tmp_path / "a.xml.gz").write_bytes(gzip.compress(b"<PubmedArticleSet/>"))
    with pytest.raises(ValueError, match="same file twice"):
        input_files(tmp_path)


def test_cli_scan_prints_a_summary_and_skips_on_rerun(corpus, tmp_path):
    baseline, _ = corpus
    runner = CliRunner()
    args = ["literature", "scan", str(baseline), "--out", str(tmp_path / "ix"), "--workers", "1"]
    first = runner.invoke(main, [*args, "--no-progress", "--scheduler", SYNCHRONOUS])
    assert first.exit_code == 0, first.output
    assert "4 file(s) scanned, 0 skipped; 2004 record(s), 1 deletion(s)" in first.output
    second = runner.invoke(main, [*args, "--no-progress", "--scheduler", SYNCHRONOUS])
    assert "0 file(s) scanned, 4 skipped" in second.output


def test_cli_scan_of_a_missing_directory_fails_cleanly(tmp_path):
    result = CliRunner().invoke(
        main, ["literature", "scan", str(tmp_path / "nope"), "--out", str(tmp_path / "ix")]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.slow
def test_scan_runs_on_a_local_dask_distributed_cluster(corpus, tmp_path):
    from distributed import Client, LocalCluster

    baseline, pmids = corpus
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        summary = scan(
            baseline, tmp_path / "index", scheduler=cluster.scheduler_address, progress=False
        )
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    assert summary.ok and summary.files_scanned == 4
    assert summary.live_records == 2001
    assert live(tmp_path / "index", f"pmid = {pmids['deleted']}") == []


@pytest.mark.slow
def test_scan_with_default_local_processes(corpus, tmp_path):
    baseline, _ = corpus
    summary = scan(baseline, tmp_path / "index", workers=2, progress=False)
    assert summary.ok and summary.live_records == 2001


@pytest.mark.slow
def test_the_scan_s_own_workers_run_without_the_statistical_profiler():
    from offlabel.literature.index.scan import _client

    def profiling() -> bool:
        import dask

        return bool(dask.config.get("distributed.worker.profile.enabled"))

    with _client(n_files=2, workers=2, scheduler=None) as client:
        assert set(client.run(profiling).values()) == {False}


def _index_tables(index: Path) -> dict[str, object]:
    import pyarrow.parquet as pq

    tables = {}
    for path in sorted(index.rglob("*.parquet")):
        tables[str(path.relative_to(index))] = pq.read_table(path)
    return tables


def test_small_batches_write_the_same_index(corpus, tmp_path, monkeypatch):
    import offlabel.literature.index.scan as scan_module

    baseline, _ = corpus
    scan(baseline, tmp_path / "one", scheduler=SYNCHRONOUS, progress=False)
    monkeypatch.setattr(scan_module, "BATCH_RECORDS", 37)
    scan(baseline, tmp_path / "many", scheduler=SYNCHRONOUS, progress=False)
    one, many = _index_tables(tmp_path / "one"), _index_tables(tmp_path / "many")
    assert one.keys() == many.keys()
    for name, table in one.items():
        other = many[name]
        if name.startswith("records/"):  # rows sorted by PMID within each batch only
            table, other = table.sort_by("pmid"), other.sort_by("pmid")
        assert table.equals(other), name


def test_a_pmid_twice_in_one_file_keeps_its_last_version_across_batches(tmp_path, monkeypatch):
    import offlabel.literature.index.scan as scan_module
    from offlabel.literature.index.search import search
    from tests.literature.index_corpus import FOOTER, HEADER, article

    baseline = tmp_path / "baseline"
    baseline.mkdir()
    first = article(5, "Gait in volunteers", ["Humans"], 2001, "Journal Article", "Old text.")
    others = [
        article(10 + i, f"Filler {i}", ["Humans"], 2001, "Journal Article", "Filler.")
        for i in range(5)
    ]
    last = article(5, "Balance in athletes", ["Humans"], 2002, "Journal Article", "New text.")
    (baseline / "u.xml").write_text(HEADER + first + "".join(others) + last + FOOTER)
    monkeypatch.setattr(scan_module, "BATCH_RECORDS", 2)
    summary = scan(baseline, tmp_path / "index", scheduler=SYNCHRONOUS, progress=False)
    assert summary.records == 6 and summary.live_records == 6
    rows = live(tmp_path / "index", "pmid = 5")
    assert [row[1] for row in rows] == ["Balance in athletes"]
    assert [hit.pmid for hit in search(tmp_path / "index", "balance", "athletes")] == [5]
    assert search(tmp_path / "index", "gait", "volunteers") == []  # no stale posting
