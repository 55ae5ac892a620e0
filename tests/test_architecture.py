"""The architecture's rules, each shown to fail when broken.

The pure core never imports Django: the contract in pyproject.toml, checked by import-linter,
run against a throw-away copy of the package layout, once clean and once with a core module that
imports Django, which must fail. The repository stands alone: nothing in ``src/``,
``benchmarks/`` or the Makefile names ``../shared`` or a machine path, checked on the checkout
and on planted examples.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("evidence", "literature", "outcomes", "registry", "reports")


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


# -- the repository stands alone -------------------------------------------------------------------

#: What the product, its demo and its benchmarks may not name: the folder beside the checkout
#: (``../shared``, built as a path or spelt out) and machine paths.
MACHINE_PATHS = (
    re.compile(r"\.\./shared\b"),
    re.compile(r"""parents?(\[\d+\])?\s*/\s*["']shared["']"""),
    re.compile(r"/work/"),
    re.compile(r"/root/"),
    re.compile(r"/home/"),
)
#: Checked: every text file under these folders, and these files.
STANDALONE_DIRS = ("src", "benchmarks")
STANDALONE_FILES = ("Makefile",)
_NOT_SOURCE = ("__pycache__", ".egg-info")

# TEMPORARY allow-list, one entry per known offender, each to be removed by the work that mends
# it (a stale entry fails test_the_temporary_allow_list_has_no_stale_entry):
# - benchmarks/bench_literature.py reads its corpus through the shared corpus tool in ../shared;
#   issue 13 replaces it with the project's own generator.
# - src/offlabel/literature/formats.py has a doctest example (skipped) naming a file under
#   /work/shared; the literature core is another helper's, so it is left to them.
KNOWN_OFFENDERS_UNTIL_FIXED = frozenset(
    {
        "benchmarks/bench_literature.py",
    }
)


def _patterns(root: Path) -> tuple[re.Pattern[str], ...]:
    """The fixed patterns plus the checkout's parent folder by its absolute path."""
    parent = root.resolve().parent
    if parent == Path(parent.anchor):  # a checkout at the file system root has no such folder
        return MACHINE_PATHS
    return (*MACHINE_PATHS, re.compile(re.escape(f"{parent}/")))


def _standalone_files(root: Path) -> list[Path]:
    files = [root / name for name in STANDALONE_FILES if (root / name).is_file()]
    for folder in STANDALONE_DIRS:
        files.extend(
            path
            for path in sorted((root / folder).rglob("*"))
            if path.is_file() and not any(part.endswith(_NOT_SOURCE) for part in path.parts)
        )
    return files


def outside_paths(root: Path) -> dict[str, list[str]]:
    """``{relative file: ["line N: what it names", ...]}`` for every file naming a path
    outside the repository."""
    patterns = _patterns(root)
    found: dict[str, list[str]] = {}
    for path in _standalone_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary (images, compiled files): names nothing
        for number, line in enumerate(text.splitlines(), start=1):
            match = next((m for m in (p.search(line) for p in patterns) if m), None)
            if match:
                name = path.relative_to(root).as_posix()
                found.setdefault(name, []).append(f"line {number}: {match.group(0)}")
    return found


def test_src_benchmarks_and_the_makefile_name_nothing_outside_the_repository():
    found = outside_paths(ROOT)
    offenders = {
        name: hits for name, hits in found.items() if name not in KNOWN_OFFENDERS_UNTIL_FIXED
    }
    assert offenders == {}, (
        f"the repository must stand alone: these name ../shared or a machine path {offenders}"
    )


def test_the_temporary_allow_list_has_no_stale_entry():
    stale = KNOWN_OFFENDERS_UNTIL_FIXED - set(outside_paths(ROOT))
    assert not stale, f"mended: remove {sorted(stale)} from KNOWN_OFFENDERS_UNTIL_FIXED"


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ("src/offlabel/demo.py", 'DATA = Path("../shared/data/pubmed")'),
        ("src/offlabel/web/x.py", 'SHARED = ROOT.parent / "shared"'),
        ("src/offlabel/web/y.py", "here = Path(__file__).parents[3] / 'shared' / 'seeds'"),
        ("benchmarks/bench_x.py", 'CORPUS = "/work/shared/tools/make_corpus.py"'),
        ("benchmarks/deep/bench_y.py", "cache = '/root/.cache/offlabel'"),
        ("Makefile", "\tcp /home/someone/data.csv var/"),
        ("src/offlabel/templates/a.html", "<a href='file://{parent}/shared/x'>x</a>"),
    ],
)
def test_a_path_outside_the_repository_is_found(tmp_path, where, line):
    root = tmp_path / "clone" / "offlabel"
    (root / "src").mkdir(parents=True)
    (root / "benchmarks").mkdir()
    (root / "src" / "clean.py").write_text('DATA = Path(__file__).parent / "data"\n')
    target = root / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# first line\n" + line.format(parent=root.parent) + "\n")
    found = outside_paths(root)
    assert list(found) == [where]
    assert found[where][0].startswith("line 2: ")


def test_files_outside_the_checked_folders_and_compiled_files_are_not_checked(tmp_path):
    root = tmp_path / "offlabel"
    (root / "src" / "__pycache__").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text('SHARED = "../shared"\n')
    (root / "src" / "__pycache__" / "x.pyc").write_bytes(b"\x00\x01../shared")
    (root / "src" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe/home/")
    assert outside_paths(root) == {}
