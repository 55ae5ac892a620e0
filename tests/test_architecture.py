"""The pure core never imports Django: the contract in pyproject.toml, checked by import-linter.

These tests run the real contract from pyproject.toml against a throw-away copy of the package
layout, once clean and once with a core module that imports Django, which must fail.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ("evidence", "literature", "outcomes", "reports")


def _write_contract(tmp_path: Path) -> Path:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = [
        "[importlinter]",
        f"root_package = {config['root_package']}",
        "include_external_packages = True",
        "",
    ]
    for index, contract in enumerate(config["contracts"]):
        lines += [
            f"[importlinter:contract:{index}]",
            f"name = {contract['name']}",
            f"type = {contract['type']}",
        ]
        lines.append(
            "source_modules =\n" + "\n".join(f"    {m}" for m in contract["source_modules"])
        )
        lines.append(
            "forbidden_modules =\n" + "\n".join(f"    {m}" for m in contract["forbidden_modules"])
        )
        lines.append("")
    path = tmp_path / ".importlinter"
    path.write_text("\n".join(lines))
    return path


def _make_package(tmp_path: Path) -> Path:
    pkg = tmp_path / "src" / "offlabel"
    for sub in (*CORE, "web", "commands"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "cli.py").write_text("import offlabel.web\n")
    (pkg / "web" / "views.py").write_text("import django\nimport offlabel.outcomes\n")
    (pkg / "outcomes" / "summary.py").write_text("import json\nimport offlabel.evidence\n")
    return pkg


def _lint(tmp_path: Path, config: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    return subprocess.run(
        [str(lint), "--config", str(config), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_contract_passes_when_the_core_stays_pure(tmp_path):
    _make_package(tmp_path)
    result = _lint(tmp_path, _write_contract(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_contract_fails_when_a_core_module_imports_django(tmp_path):
    pkg = _make_package(tmp_path)
    (pkg / "outcomes" / "sneaky.py").write_text("from django.db import models\n")
    result = _lint(tmp_path, _write_contract(tmp_path))
    assert result.returncode != 0
    assert "offlabel.outcomes.sneaky -> django" in result.stdout


def test_contract_fails_when_the_core_imports_the_web_layer(tmp_path):
    pkg = _make_package(tmp_path)
    (pkg / "reports" / "leak.py").write_text("import offlabel.web.views\n")
    result = _lint(tmp_path, _write_contract(tmp_path))
    assert result.returncode != 0
    assert "offlabel.reports.leak" in result.stdout
