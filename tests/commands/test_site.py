import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from offlabel import __version__
from offlabel.cli import main


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help():
    runner = CliRunner()
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0
    names = list(main.list_commands(None))  # type: ignore[arg-type]
    assert {"serve", "demo"} <= set(names)
    for name in names:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output


def test_serve_rejects_a_bad_port():
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000" in result.output


@pytest.mark.slow
def test_demo_command_creates_the_database_and_prints_accounts(tmp_path):
    env = {
        **os.environ,
        "OFFLABEL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "offlabel.web.config.settings.base",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    first = subprocess.run(
        [sys.executable, "-m", "offlabel", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "var" / "offlabel.sqlite3").exists()
    assert "patient@offlabel.demo" in first.stdout
    assert "editor@offlabel.demo" in first.stdout
    assert "Demo loaded." in first.stdout
    second = subprocess.run(
        [sys.executable, "-m", "offlabel", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout
