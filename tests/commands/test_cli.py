"""The root command: sub-commands are declared in one list, and none is left out of it."""

from __future__ import annotations

import importlib
import pkgutil

import click
from click.testing import CliRunner

from offlabel import commands
from offlabel.cli import COMMANDS, load_command, main


def test_every_declared_command_loads_and_answers_help() -> None:
    for name in COMMANDS:
        command = load_command(name)
        assert command.name == name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output


def test_every_top_level_command_of_the_commands_package_is_declared() -> None:
    declared = {COMMANDS[name] for name in COMMANDS}
    found = set()
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for attribute, value in vars(module).items():
            callback = getattr(value, "callback", None)
            if (
                isinstance(value, click.Command)
                and getattr(callback, "__module__", "") == module.__name__
            ):
                parent_groups = [
                    g
                    for g in vars(module).values()
                    if isinstance(g, click.Group) and g is not value
                ]
                if any(value in g.commands.values() for g in parent_groups):
                    continue  # a sub-command of a group that is itself declared
                found.add(f"{module.__name__}:{attribute}")
    assert found == declared


def test_an_unknown_command_is_refused_with_the_list() -> None:
    result = CliRunner().invoke(main, ["nonsense"])
    assert result.exit_code == 2 and "No such command 'nonsense'" in result.output
