"""``offlabel registry import DIR`` and ``offlabel registry export DIR``: the bulk CSV layout.

The layout (five CSV files, the same both ways) is documented in
``src/offlabel/registry/CSV_LAYOUT.md``. An import validates every file first and prints each
problem with its file and line; nothing is saved unless everything is valid (one transaction).
Imported subjects belong to the non-login "registry import" account unless ``--owner`` names
an existing account.
"""

from __future__ import annotations

from pathlib import Path

import click

from offlabel.commands._django import setup_django


@click.group(name="registry")
def command() -> None:
    """Import or export the outcomes registry (bulk CSV layout)."""


@command.command(name="import")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--confirm-implausible",
    is_flag=True,
    help="Accept doses outside the plausible range (they are reported otherwise).",
)
@click.option(
    "--owner",
    "owner_email",
    metavar="EMAIL",
    default=None,
    help="Account that owns the imported subjects (default: the non-login import account).",
)
def import_(directory: Path, confirm_implausible: bool, owner_email: str | None) -> None:
    """Validate DIRECTORY completely, then import all of it, or nothing."""
    setup_django()
    from offlabel.registry.problems import RegistryImportError
    from offlabel.web.accounts.models import User
    from offlabel.web.registry.services import registry_import

    owner = None
    if owner_email:
        owner = User.objects.filter(email__iexact=owner_email.strip()).first()
        if owner is None:
            raise click.BadParameter(f"no account with e-mail {owner_email}", param_hint="--owner")
    try:
        summary = registry_import(
            directory=directory, by=None, owner=owner, confirm_implausible=confirm_implausible
        )
    except RegistryImportError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        count = len(error.problems)
        hint = (
            " (all are implausible values: check them, then rerun with --confirm-implausible)"
            if error.needs_confirmation_only
            else ""
        )
        raise click.ClickException(
            f"{count} problem{'s' if count != 1 else ''}; nothing imported{hint}."
        ) from None
    click.echo(f"Imported {summary}.")


@command.command(name="export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--deidentified",
    is_flag=True,
    help="Hashed subject ids and days since onset instead of dates (what reviewers see).",
)
def export(directory: Path, deidentified: bool) -> None:
    """Write the whole registry into DIRECTORY (created if needed)."""
    setup_django()
    from offlabel.web.registry.export import registry_export

    count = registry_export(directory, deidentified=deidentified)
    kind = "de-identified " if deidentified else ""
    click.echo(f"Exported {count} subjects ({kind}bulk layout) to {directory}.")
