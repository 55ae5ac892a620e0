"""The architecture's rules, each shown to fail when broken.

The layers: the import-linter contracts in pyproject.toml (what ``make contract`` checks), run
against a throw-away package with the same layout, once clean and once per contract with a
module that breaks it, which must fail that contract and only that one. Modules stay under 600
lines. The repository stands alone: nothing in ``src/``,
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
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["name"]: contract for contract in CONFIG["contracts"]}


def _modules_named() -> set[str]:
    """Every offlabel module the contracts name (layers may join siblings with ``|``)."""
    names = set()
    for contract in CONFIG["contracts"]:
        for key in ("source_modules", "forbidden_modules", "layers"):
            for entry in contract.get(key, []):
                names.update(part.strip() for part in entry.split("|"))
    return {name for name in names if name.startswith("offlabel")}


def _write_contract(tmp_path: Path) -> Path:
    """The pyproject contracts as an ``.importlinter`` file for a throw-away package."""
    lines = [
        "[importlinter]",
        f"root_package = {CONFIG['root_package']}",
        "include_external_packages = True",
        f"exclude_type_checking_imports = {CONFIG.get('exclude_type_checking_imports', False)}",
        "",
    ]
    for index, contract in enumerate(CONFIG["contracts"]):
        lines += [
            f"[importlinter:contract:{index}]",
            f"name = {contract['name']}",
            f"type = {contract['type']}",
        ]
        for key in ("source_modules", "forbidden_modules", "layers"):
            if key in contract:
                lines.append(f"{key} =\n" + "\n".join(f"    {m}" for m in contract[key]))
        if "exhaustive" in contract:
            lines.append(f"exhaustive = {contract['exhaustive']}")
        lines.append("")
    path = tmp_path / ".importlinter"
    path.write_text("\n".join(lines))
    return path


def _make_package(tmp_path: Path) -> Path:
    """A package with every module the contracts name, importing only what they allow."""
    pkg = tmp_path / "src" / "offlabel"
    for name in sorted(_modules_named()):
        parts = name.split(".")[1:]
        folder = pkg.joinpath(*parts[:-1]) if name in ("offlabel.cli",) else pkg.joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").touch()
    (pkg / "__init__.py").touch()
    (pkg / "web" / "__init__.py").touch()
    (pkg / "cli.py").write_text("import offlabel.web\n")
    (pkg / "web" / "config" / "urls.py").write_text("import offlabel.web.analytics\n")
    (pkg / "web" / "analytics" / "views.py").write_text(
        "import django\nimport offlabel.outcomes\nimport offlabel.web.registry\n"
    )
    (pkg / "web" / "registry" / "services.py").write_text("import offlabel.web.common\n")
    (pkg / "outcomes" / "summary.py").write_text("import json\nimport offlabel.registry\n")
    (pkg / "reports" / "charts.py").write_text("import offlabel.registry\n")
    (pkg / "testing" / "reference.py").write_text("import offlabel.outcomes\n")
    return pkg


def _lint(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    return subprocess.run(
        [str(lint), "--config", str(_write_contract(tmp_path)), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_contracts_pass_when_every_layer_imports_only_what_it_may(tmp_path):
    _make_package(tmp_path)
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contracts_checked_are_the_ones_the_issue_states():
    assert set(CONTRACTS) == {
        "The core never imports Django, the web layer or the command line",
        "The registry lies below the analyses and the rendering",
        "Rendering draws plain data: reports imports no estimator",
        "The evidence vocabulary depends on no other part of offlabel",
        "Nothing in the product imports the test helpers",
        "Web apps import only downward (no cycles)",
    }


@pytest.mark.parametrize(
    ("contract", "module", "source", "named"),
    [
        (
            "The core never imports Django, the web layer or the command line",
            "outcomes/sneaky.py",
            "from django.db import models\n",
            "offlabel.outcomes.sneaky -> django",
        ),
        (
            "The core never imports Django, the web layer or the command line",
            "reports/leak.py",
            "import offlabel.web.registry.services\n",
            "offlabel.reports.leak",
        ),
        (
            "The core never imports Django, the web layer or the command line",
            "registry/cli_use.py",
            "import offlabel.commands\n",
            "offlabel.registry.cli_use",
        ),
        (
            "The registry lies below the analyses and the rendering",
            "registry/upward.py",
            "import offlabel.outcomes.summary\n",
            "offlabel.registry.upward -> offlabel.outcomes.summary",
        ),
        (
            "Rendering draws plain data: reports imports no estimator",
            "reports/estimates.py",
            "import offlabel.outcomes.summary\n",
            "offlabel.reports.estimates -> offlabel.outcomes.summary",
        ),
        (
            "The evidence vocabulary depends on no other part of offlabel",
            "evidence/rules.py",
            "import offlabel.registry\n",
            "offlabel.evidence.rules -> offlabel.registry",
        ),
        (
            "Nothing in the product imports the test helpers",
            "web/registry/demo.py",
            "import offlabel.testing.reference\n",
            "offlabel.web.registry.demo -> offlabel.testing.reference",
        ),
        (
            "Web apps import only downward (no cycles)",
            "web/registry/upward.py",
            "import offlabel.web.analytics.views\n",
            "offlabel.web.registry.upward -> offlabel.web.analytics.views",
        ),
        (
            "Web apps import only downward (no cycles)",
            "web/common/roles.py",
            "import offlabel.web.accounts\n",
            "offlabel.web.common.roles -> offlabel.web.accounts",
        ),
    ],
)
def test_each_contract_fails_when_broken(tmp_path, contract, module, source, named):
    pkg = _make_package(tmp_path)
    (pkg / module).write_text(source)
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout
    others = [name for name in CONTRACTS if name != contract]
    assert all(f"{name} KEPT" in result.stdout for name in others), result.stdout
    assert named in result.stdout


def test_an_import_only_the_type_checker_sees_is_not_a_dependency(tmp_path):
    pkg = _make_package(tmp_path)
    (pkg / "web" / "common" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import offlabel.web.accounts\n"
    )
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout


# -- modules stay small ----------------------------------------------------------------------------

#: Split a module before it passes this many lines (migrations are generated, not written).
MAX_MODULE_LINES = 600


def test_no_module_is_over_600_lines():
    long = {
        path.relative_to(ROOT).as_posix(): n
        for path in sorted((ROOT / "src").rglob("*.py"))
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these modules (over {MAX_MODULE_LINES} lines): {long}"


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
# (empty: the benchmarks' corpus is the project's own generator, offlabel.testing.pubmed_corpus)
KNOWN_OFFENDERS_UNTIL_FIXED: frozenset[str] = frozenset()


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


# -- the docs match the tree -----------------------------------------------------------------------


def _packages() -> set[str]:
    base = ROOT / "src" / "offlabel"
    return {
        path.parent.relative_to(base).as_posix()
        for path in base.glob("**/__init__.py")
        if "migrations" not in path.parts and "templatetags" not in path.parts
    } - {"."}


def test_architecture_page_names_every_package_and_only_real_paths():
    page = (ROOT / "docs" / "architecture.md").read_text()
    top = {name.split("/")[0] for name in _packages()}
    assert {name for name in top if f"{name}/" not in page} == set()
    apps = {name.split("/")[1] for name in _packages() if name.startswith("web/")}
    assert {app for app in apps if app not in page} == set()
    for named in re.findall(r"`((?:src|tests|docs|benchmarks)/[\w./-]*)`", page):
        assert (ROOT / named).exists(), named


def test_readme_where_things_live_names_real_paths():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Where things live") :]
    for named in re.findall(r"`((?:src|tests|docs|benchmarks)/[\w./{},-]*)`", section):
        for path in _expand(named):
            assert (ROOT / path).exists(), path
    for link in re.findall(r"\]\(((?:src|docs)/[^)]+)\)", readme):
        assert (ROOT / link).exists(), link


def _expand(named: str) -> list[str]:
    match = re.search(r"\{([^}]+)\}", named)
    if not match:
        return [named]
    return [named[: match.start()] + part + named[match.end() :] for part in match[1].split(",")]
