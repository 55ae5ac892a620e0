"""One archive with everything a site needs back: the database, uploaded media, the literature
index.

The archive is a gzip-compressed tar file:

``manifest.json``
    format, offlabel version, time, database vendor, the last migration of each app, and the
    SHA-256 of every file in the archive (checked before anything is restored);
``database.pgdump``
    PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore`` in one transaction);
``database.sqlite3``
    the embedded database: a consistent copy through SQLite's online backup API;
``media/…``, ``literature-index/…``
    the files under ``MEDIA_ROOT`` and the literature index directory.

A restore goes into an **empty** database only (a new one: ``createdb``, or a new SQLite file)
and into empty media and index directories, so it never mixes two sites. It then applies any
migration newer than the archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from offlabel import __version__

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    archive: Path
    vendor: str
    files: dict[str, int]

    def __str__(self) -> str:
        counted = ", ".join(f"{n} {name} file(s)" for name, n in self.files.items())
        return f"{self.vendor} database, {counted} ({self.archive})"


def directories() -> dict[str, Path]:
    """The file trees a backup carries, by their name in the archive."""
    from offlabel.web.literature.watch import default_index_dir

    return {"media": Path(settings.MEDIA_ROOT), "literature-index": default_index_dir()}


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database (the password never goes on argv)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(argv: list[str]) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed programs, arguments from our settings
            argv, env=_pg_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{argv[0]} is not installed: install PostgreSQL's client tools "
            "(Debian: postgresql-client, the same major version as the server)"
        ) from None
    if done.returncode:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
        return
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def backup_write(archive: Path, *, force: bool = False) -> BackupSummary:
    """Write the site's database, media and literature index into ``archive``."""
    archive = Path(archive)
    if archive.exists() and not force:
        raise BackupError(f"{archive} exists: choose another name or pass --force")
    vendor = _vendor()
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="offlabel-backup-") as scratch:
        database = Path(scratch) / DATABASE_FILES[vendor]
        _dump_database(vendor, database)
        members: list[tuple[str, Path]] = [(database.name, database)]
        counts: dict[str, int] = {}
        for name, root in directories().items():
            files = list(_tree(root))
            counts[name] = len(files)
            members += [(f"{name}/{path.relative_to(root).as_posix()}", path) for path in files]
        manifest = {
            "format": FORMAT,
            "offlabel": __version__,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "file": database.name},
            "migrations": _migrations(),
            "sha256": {arcname: _sha256(path) for arcname, path in members},
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            for arcname, path in members:
                tar.add(path, arcname=arcname, recursive=False)
        partial.replace(archive)  # a backup cut short never looks like a finished one
    return BackupSummary(archive, vendor, counts)


# -- restore --------------------------------------------------------------------------------------


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, Any] = json.loads(member.read())
    except (KeyError, ValueError):
        raise BackupError(f"{archive} is not an offlabel backup (no readable {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has backup format {manifest.get('format')!r}, not {FORMAT}")
    return manifest


def _check_inflation(archive: Path) -> None:
    """Stream the archive once through the guard (:mod:`offlabel.untrusted`): a bomb is refused
    by its compression ratio before anything is extracted. Only ``OFFLABEL_MAX_DECOMPRESSED_BYTES``
    set in the environment caps a backup's size (a site's own backup may be large)."""
    from dataclasses import replace

    from offlabel.untrusted import InputLimitError, InputLimits, open_decompressed

    limits = InputLimits.from_env()
    if not os.environ.get("OFFLABEL_MAX_DECOMPRESSED_BYTES", "").strip():
        limits = replace(limits, max_decompressed_bytes=2**62)
    try:
        with archive.open("rb") as raw:
            if raw.read(2) != b"\x1f\x8b":
                return  # not gzip: tarfile names the problem
            raw.seek(0)
            stream = open_decompressed(raw, "gzip", name=str(archive), limits=limits)
            while stream.read(1 << 20):
                pass
    except InputLimitError as error:
        raise BackupError(f"{error}; nothing was restored") from None
    except (OSError, EOFError, ValueError) as error:
        raise BackupError(f"{archive} cannot be read as a backup: {error}") from None


def _check_migrations(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {
        (app, name)
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = [
        f"{app}.{name}"
        for app, name in manifest.get("migrations", {}).items()
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "the backup was made by a newer offlabel (migrations unknown here: "
            + ", ".join(sorted(unknown))
            + "): restore it with that version"
        )


def _check_empty_database() -> None:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    tables = connection.introspection.table_names()
    if tables:
        name = db["NAME"]
        raise BackupError(
            f"the database {name} is not empty ({len(tables)} tables): restore into a new, "
            "empty database (PostgreSQL: createdb; SQLite: a new file) and point DATABASE_URL at it"
        )


def _check_empty_directories(force: bool) -> None:
    for name, root in directories().items():
        if not force and any(_tree(root)):
            raise BackupError(f"the {name} directory {root} is not empty: empty it or pass --force")


def _extract(tar: tarfile.TarFile, manifest: dict[str, Any], into: Path) -> None:
    expected: dict[str, str] = manifest.get("sha256", {})
    tar.extractall(into, filter="data")  # refuses absolute paths, links out, devices
    for arcname, digest in expected.items():
        path = into / arcname
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"the archive is damaged: {arcname} does not match its checksum")


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                _pg_environment()["PGDATABASE"],
                str(dump),
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
    connection.close()


def backup_restore(
    archive: Path, *, force: bool = False, migrate: Callable[[], None] | None = None
) -> BackupSummary:
    """Restore ``archive`` into the configured (empty) database and directories.

    Everything is checked first (manifest, checksums, vendor, empty database and directories);
    then the database is restored (PostgreSQL in one transaction), the files are put in place,
    and ``migrate`` (applying newer migrations) is called.
    """
    archive = Path(archive)
    vendor = _vendor()
    _check_inflation(archive)
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - the with-statement below closes it
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} cannot be read as a backup: {error}") from None
    with tar, tempfile.TemporaryDirectory(prefix="offlabel-restore-") as scratch:
        manifest = _read_manifest(tar, archive)
        archived = manifest["database"]["vendor"]
        if archived != vendor:
            raise BackupError(
                f"{archive} holds a {archived} database; DATABASE_URL names a {vendor} one"
            )
        _check_migrations(manifest)
        _check_empty_database()
        _check_empty_directories(force)
        _extract(tar, manifest, Path(scratch))
        _restore_database(vendor, Path(scratch) / manifest["database"]["file"])
        counts: dict[str, int] = {}
        for name, root in directories().items():
            source = Path(scratch) / name
            counts[name] = len(list(_tree(source)))
            if source.is_dir():
                if force and root.exists():
                    shutil.rmtree(root)
                root.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, root, dirs_exist_ok=True)
    from offlabel.web.common.version_file import version_file

    local = version_file(getattr(settings, "OFFLABEL_CONTENT_VERSION_FILE", ""))
    if local is not None:
        local.reset()  # the restored database's version may be older than the file's
    if migrate is not None:
        migrate()
    return BackupSummary(archive, vendor, counts)
