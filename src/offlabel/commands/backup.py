"""``offlabel backup ARCHIVE`` and ``offlabel restore ARCHIVE``: the whole site in one file.

The database (``pg_dump``/``pg_restore`` for PostgreSQL, SQLite's online backup API for the
embedded database), uploaded media and the literature index; see
:mod:`offlabel.web.config.backup` for the archive's layout. A restore needs an empty database.
"""

from __future__ import annotations

from pathlib import Path

import click

from offlabel.commands._django import setup_django


@click.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite ARCHIVE if it exists.")
def backup(archive: Path, force: bool) -> None:
    """Write the database, uploaded media and the literature index into ARCHIVE (.tar.gz)."""
    setup_django()
    from offlabel.web.config.backup import BackupError, backup_write

    try:
        summary = backup_write(archive, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up: {summary}")


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace the media and index files that are already there."
)
def restore(archive: Path, force: bool) -> None:
    """Restore ARCHIVE into the (empty) database DATABASE_URL names, and its files."""
    setup_django()
    from offlabel.commands.site import _migrate
    from offlabel.web.config.backup import BackupError, backup_restore

    try:
        summary = backup_restore(archive, force=force, migrate=_migrate)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored: {summary}")


commands = [backup, restore]
