"""``offlabel serve`` and ``offlabel demo``: run the web site, load the demo."""

from __future__ import annotations

import click

from offlabel.commands._django import setup_django


def _migrate(verbosity: int = 0) -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--migrate/--no-migrate", default=True, show_default=True, help="Apply migrations first."
)
def serve(host: str, port: int, migrate: bool) -> None:
    """Serve the web site (Django's server; use a WSGI server such as gunicorn in production)."""
    setup_django()
    from django.core.management import call_command

    if migrate:
        _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    click.echo(f"offlabel is serving on http://{host}:{port}/ (Ctrl-C stops it)")
    call_command("runserver", f"{host}:{port}", use_reloader=False)


@click.command()
@click.option(
    "--serve/--no-serve", "then_serve", default=False, help="Start the server afterwards."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def demo(then_serve: bool, port: int) -> None:
    """Create the database if missing, load the demo content, print the demo accounts."""
    setup_django()
    from offlabel.web.demo import accounts_table, load_demo

    _migrate()
    if load_demo(out=lambda line: click.echo(f"  loaded {line}")):
        click.echo("Demo loaded.")
    else:
        click.echo("Demo already loaded; nothing changed.")
    click.echo(accounts_table())
    if then_serve:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        click.echo(f"offlabel is serving on http://127.0.0.1:{port}/ (Ctrl-C stops it)")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
