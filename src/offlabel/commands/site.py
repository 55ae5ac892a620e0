"""``offlabel serve`` and ``offlabel demo``: run the web site, load the demo.

``offlabel serve`` runs Django's own server with DEBUG off (one process, for a trial on one
machine); ``offlabel serve --production`` checks the production settings (``check --deploy``
must pass) and hands the process to gunicorn, the production WSGI server, meant to sit behind a
TLS-terminating proxy (see the README's "Production" section). ``make demo`` keeps the embedded
development path (DEBUG on, the demo loaded).
"""

from __future__ import annotations

import os
import sys

import click

from offlabel.commands._django import setup_django

PRODUCTION_SETTINGS = "offlabel.web.config.settings.production"
WSGI_APP = "offlabel.web.config.wsgi:application"


def _migrate(verbosity: int = 0) -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)


def default_workers(cpus: int | None = None) -> int:
    """gunicorn's rule of thumb for CPU-bound work: two workers per core, plus one."""
    return 2 * (cpus or os.cpu_count() or 1) + 1


def gunicorn_argv(
    *, host: str, port: int, workers: int, threads: int = 1, timeout: int = 30
) -> list[str]:
    """The gunicorn command ``serve --production`` runs (the web benchmark reuses it).

    Pre-fork workers (``--preload`` imports the site once, before forking), a hard request
    timeout, and gunicorn's own access log left off: the site writes a structured one (see
    :mod:`offlabel.web.config.middleware`). The trusted proxy addresses for ``X-Forwarded-*``
    come from gunicorn's ``FORWARDED_ALLOW_IPS`` (default: the loopback address).
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI_APP,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(timeout),
        "--keep-alive",
        "5",
        "--preload",
        "--error-logfile",
        "-",
        "--name",
        "offlabel",
        # gunicorn's control socket (one path per user) is not used; several servers on one
        # machine would contend for it
        "--no-control-socket",
    ]


def _fail_cleanly(error: Exception) -> None:
    """Settings and deployment-check problems as one clear message, never a traceback."""
    raise click.ClickException(str(error)) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--migrate/--no-migrate", default=True, show_default=True, help="Apply migrations first."
)
@click.option(
    "--production",
    is_flag=True,
    help="Serve with gunicorn and the production settings (check --deploy must pass).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="gunicorn worker processes (default: 2 × CPUs + 1).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Threads per gunicorn worker.",
)
@click.option(
    "--timeout",
    type=click.IntRange(5, 3600),
    default=30,
    show_default=True,
    help="Seconds before gunicorn restarts a worker stuck on one request.",
)
def serve(
    host: str,
    port: int,
    migrate: bool,
    production: bool,
    workers: int | None,
    threads: int,
    timeout: int,
) -> None:
    """Serve the web site: Django's server with DEBUG off, or gunicorn with --production."""
    from django.core.exceptions import ImproperlyConfigured

    if production:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    else:
        # DEBUG shows tracebacks and settings to anyone who triggers an error: only `make demo`
        # (the development path) or an explicit DEBUG=true turns it on.
        os.environ.setdefault("DEBUG", "false")
    try:
        setup_django()
    except ImproperlyConfigured as error:
        _fail_cleanly(error)
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    if production:
        try:
            call_command("check", deploy=True, fail_level="WARNING")
        except SystemCheckError as error:
            _fail_cleanly(error)
    if migrate:
        _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    if not production:
        click.echo(f"offlabel is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    argv = gunicorn_argv(
        host=host,
        port=port,
        workers=workers or default_workers(),
        threads=threads,
        timeout=timeout,
    )
    click.echo(f"offlabel (gunicorn, {argv[argv.index('--workers') + 1]} workers) on {host}:{port}")
    sys.stdout.flush()
    os.execv(argv[0], argv)  # noqa: S606 - our own interpreter with fixed arguments


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
