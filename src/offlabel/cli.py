"""The ``offlabel`` command line.

Each module in :mod:`offlabel.commands` that defines ``command`` (a click command or group),
or ``commands`` (a list of them), is added here by name, so a domain adds its commands without
touching this file. Keep heavy imports (Django, pandas, dask) inside the command functions:
``offlabel --help`` must stay fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from offlabel import __version__, commands


class _DomainGroup(click.Group):
    """The root group: loads every ``offlabel.commands.<name>.command`` on first use."""

    _loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
            if module_info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
            found = [getattr(module, "command", None), *getattr(module, "commands", [])]
            for command in found:
                if isinstance(command, click.Command):
                    self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)


@click.group(cls=_DomainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="offlabel")
def main() -> None:
    """offlabel: graded evidence, structured reports and honest statistics on
    alternative and off-label treatments for ALS and canine degenerative myelopathy."""
