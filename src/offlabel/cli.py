"""The ``offlabel`` command line.

Every sub-command is declared in :data:`COMMANDS` (name → where it is defined). A module is
imported only when its command runs or is listed, so ``offlabel --help`` stays fast; keep heavy
imports (Django, pandas, dask) inside the command functions too.
"""

from __future__ import annotations

import importlib

import click

from offlabel import __version__

#: Every sub-command of ``offlabel``: name → ``module:attribute`` of its click command.
COMMANDS: dict[str, str] = {
    "analyze": "offlabel.commands.analyze:command",
    "backup": "offlabel.commands.backup:backup",
    "demo": "offlabel.commands.site:demo",
    "grade": "offlabel.commands.grade:command",
    "literature": "offlabel.commands.literature:command",
    "registry": "offlabel.commands.registry:command",
    "restore": "offlabel.commands.backup:restore",
    "review": "offlabel.commands.review:command",
    "serve": "offlabel.commands.site:serve",
}


def load_command(name: str) -> click.Command:
    """The click command registered under ``name`` in :data:`COMMANDS`."""
    module_name, _, attribute = COMMANDS[name].partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):  # a wrong entry is a packaging bug
        raise TypeError(f"{COMMANDS[name]} is not a click command")
    return command


class _Commands(click.Group):
    """The root group: its sub-commands are the entries of :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="offlabel")
def main() -> None:
    """offlabel: graded evidence, structured reports and honest statistics on
    alternative and off-label treatments for ALS and canine degenerative myelopathy."""
