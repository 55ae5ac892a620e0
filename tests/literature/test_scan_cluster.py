"""A scan through a real dask.distributed cluster (scheduler and workers as processes)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from offlabel.literature.index.layout import Manifest
from offlabel.literature.index.scan import SYNCHRONOUS, scan
from tests.literature.index_corpus import build

DASK = Path(sys.executable).with_name("dask")
STARTUP_SECONDS = 120  # generous: CI machines run other suites beside this one


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; their address."""
    from distributed import Client

    address_file = tmp_path / "scheduler.json"
    common = ["--no-dashboard"]
    processes = [
        subprocess.Popen(
            [
                str(DASK),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--scheduler-file",
                str(address_file),
                *common,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not address_file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            assert processes[0].poll() is None, "the scheduler stopped"
            time.sleep(0.2)
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [
                        str(DASK),
                        "worker",
                        "--scheduler-file",
                        str(address_file),
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        *common,
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        with Client(scheduler_file=str(address_file), timeout=STARTUP_SECONDS) as client:
            client.wait_for_workers(2, timeout=STARTUP_SECONDS)
            yield client.scheduler.address
    finally:
        _stop(processes)


def _tables(index: Path) -> dict[str, object]:
    return {
        str(path.relative_to(index)): pq.read_table(path)
        for path in sorted(index.rglob("*.parquet"))
    }


@pytest.mark.slow
def test_a_real_cluster_writes_the_index_a_local_scan_writes(cluster, tmp_path):
    from distributed import Client

    baseline = tmp_path / "baseline"
    pmids = build(baseline, records=1_200, per_file=600)
    through_cluster = scan(baseline, tmp_path / "cluster", scheduler=cluster, progress=False)
    with Client(cluster) as client:
        worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    local = scan(baseline, tmp_path / "local", scheduler=SYNCHRONOUS, progress=False)
    assert through_cluster.ok and local.ok
    assert (through_cluster.records, through_cluster.live_records) == (
        local.records,
        local.live_records,
    )
    ours, theirs = _tables(tmp_path / "cluster"), _tables(tmp_path / "local")
    assert ours.keys() == theirs.keys()
    assert {"records/pubmed_bench_0004.parquet", "deletions/pubmed_bench_0004.parquet"} <= set(ours)
    for name, table in ours.items():
        assert table.equals(theirs[name]), name
    entries = Manifest.load(tmp_path / "cluster").files
    assert entries == Manifest.load(tmp_path / "local").files
    assert pmids["deleted"] not in set(
        ours["records/pubmed_bench_0004.parquet"]["pmid"].to_pylist()
    )
