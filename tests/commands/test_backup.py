"""``offlabel backup`` / ``offlabel restore``: a round trip into an empty database gives back
every table row for row (read with sqlite3 / psycopg, not through Django), every media file and
the literature index, on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import run_offlabel


def _env(var: Path, database_url: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "OFFLABEL_LITERATURE_INDEX")
    }
    env.update({"OFFLABEL_VAR_DIR": str(var), "DATABASE_URL": database_url})
    return env


def _sqlite_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    path = urllib.parse.urlsplit(url).path
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }


def _pg_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        tables = {
            name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608
            for name in names
        }
        sequences = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        tables["(sequences)"] = sorted(sequences, key=repr)
        return tables


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@contextlib.contextmanager
def _pg_databases(base: str, *names: str) -> Iterator[list[str]]:
    import psycopg

    parts = urllib.parse.urlsplit(base)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    stem = parts.path.lstrip("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    full = [f"{stem}_{name}_{worker}" for name in names]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in full:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [urllib.parse.urlunsplit(parts._replace(path=f"/{name}")) for name in full]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in full:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _round_trip(tmp_path: Path, source_url: str, target_url: str, read: Any) -> None:
    source_var, target_var = tmp_path / "source", tmp_path / "target"
    source = _env(source_var, source_url)
    loaded = run_offlabel(["demo"], source)
    assert loaded.returncode == 0, loaded.stderr
    upload = source_var / "media" / "uploads" / "scan.txt"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"an uploaded file\n")
    archive = tmp_path / "site.tar.gz"
    made = run_offlabel(["backup", str(archive)], source)
    assert made.returncode == 0, made.stderr
    target = _env(target_var, target_url)
    restored = run_offlabel(["restore", str(archive)], target)
    assert restored.returncode == 0, restored.stderr

    before, after = read(source_url), read(target_url)
    assert set(after) == set(before)
    assert before["registry_scorerecord"], "the demo left the registry empty: test too weak"
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the round trip"
    for tree in ("media", "literature-index"):
        assert _files(target_var / tree) == _files(source_var / tree), tree
    assert _files(target_var / "literature-index"), "no literature index to carry"

    again = run_offlabel(["restore", str(archive)], target)
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "Traceback" not in again.stderr
    assert read(target_url) == after  # the refused restore changed nothing


@pytest.mark.slow
def test_backup_and_restore_round_trip_on_sqlite(tmp_path: Path) -> None:
    _round_trip(
        tmp_path,
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'restored' / 'target.sqlite3'}",
        _sqlite_tables,
    )


@pytest.mark.slow
def test_backup_and_restore_round_trip_on_postgresql(tmp_path: Path) -> None:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI runs it there")
    with _pg_databases(base, "backup_source", "backup_target") as (source, target):
        _round_trip(tmp_path, source, target, _pg_tables)


def test_a_damaged_archive_is_refused_before_anything_is_restored(tmp_path: Path) -> None:
    import io
    import json
    import tarfile

    archive = tmp_path / "bad.tar.gz"
    manifest = {
        "format": 1,
        "database": {"vendor": "sqlite", "file": "database.sqlite3"},
        "migrations": {},
        "sha256": {"database.sqlite3": "0" * 64},
    }
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (
            ("manifest.json", json.dumps(manifest).encode()),
            ("database.sqlite3", b"not a database"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = tmp_path / "target.sqlite3"
    result = run_offlabel(["restore", str(archive)], _env(tmp_path / "var", f"sqlite:///{target}"))
    assert result.returncode == 1
    assert "database.sqlite3 does not match its checksum" in result.stderr
    assert not _sqlite_tables(f"sqlite:///{target}")  # nothing restored


def test_a_tar_bomb_is_refused_while_it_streams(tmp_path: Path) -> None:
    import gzip
    import tarfile

    archive = tmp_path / "bomb.tar.gz"
    with (
        gzip.open(archive, "wb", compresslevel=9) as packed,
        tarfile.open(fileobj=packed, mode="w|") as tar,
    ):
        info = tarfile.TarInfo("database.sqlite3")
        info.size = 256 * 1024 * 1024

        class Zeros:
            def read(self, n: int = -1) -> bytes:
                return bytes(n if n > 0 else 0)

        tar.addfile(info, Zeros())  # type: ignore[arg-type]
    assert archive.stat().st_size < 1024 * 1024
    target = tmp_path / "target.sqlite3"
    result = run_offlabel(["restore", str(archive)], _env(tmp_path / "var", f"sqlite:///{target}"))
    assert result.returncode == 1
    assert "times its compressed size" in result.stderr
    assert "Traceback" not in result.stderr
    assert not _sqlite_tables(f"sqlite:///{target}")


def test_a_file_that_is_no_backup_is_named(tmp_path: Path) -> None:
    stray = tmp_path / "notes.tar.gz"
    stray.write_bytes(b"plain text")
    result = run_offlabel(
        ["restore", str(stray)], _env(tmp_path / "var", f"sqlite:///{tmp_path}/x.db")
    )
    assert result.returncode == 1
    assert "cannot be read as a backup" in result.stderr
