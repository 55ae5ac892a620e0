"""One de-identification function: every path a reviewer or an analysis reads goes through it.

The reviewers' page, their download, ``offlabel registry export --deidentified`` and the frames
the analyses read all call :func:`offlabel.registry.deidentify.deidentify` (through the
registry app's one selector) and give what it gives.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.urls import reverse

from offlabel.cli import main
from offlabel.registry import deidentify as core
from offlabel.registry.csv_write import write_deidentified_dir
from offlabel.web.registry import selectors

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of the core function from the registry app, passing them through."""
    made: list[int] = []
    real = core.deidentify

    def spy(bundle: Any, salt: Any) -> Any:
        made.append(len(bundle.subjects))
        return real(bundle, salt)

    monkeypatch.setattr(selectors, "deidentify", spy)
    return made


def _expected(tmp_path: Path) -> dict[str, str]:
    bundle = core.deidentify(selectors.registry_bundle(), selectors.pseudonym_salt())
    write_deidentified_dir(bundle, tmp_path / "expected")
    return {p.name: p.read_text() for p in sorted((tmp_path / "expected").glob("*.csv"))}


def test_the_reviewer_page_the_download_the_cli_and_the_analyses_use_the_one_function(
    world: Any, client_for: Any, calls: list[int], tmp_path: Path
) -> None:
    expected = _expected(tmp_path)
    client = client_for(world.reviewer)

    page = client.get(reverse("registry:deidentified")).content.decode()
    assert len(calls) == 1
    pseudonym = core.pseudonym(world.dog.public_id, selectors.pseudonym_salt())
    assert pseudonym in page and world.dog.public_id not in page

    download = client.get(reverse("registry:deidentified_export"))
    assert len(calls) == 2
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert {name: archive.read(name).decode() for name in archive.namelist()} == expected

    out = tmp_path / "cli"
    result = CliRunner().invoke(main, ["registry", "export", str(out), "--deidentified"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 3
    assert {p.name: p.read_text() for p in sorted(out.glob("*.csv"))} == expected

    frames = selectors.registry_frames()
    assert len(calls) == 4
    assert set(frames.subjects["subject_id"]) == {
        core.pseudonym(s.public_id, selectors.pseudonym_salt())
        for s in (world.person, world.dog, world.other_dog)
    }


def test_no_other_module_keys_pseudonyms_or_shifts_dates() -> None:
    """The scheme's ingredients (an HMAC of the id, dates moved to an epoch) live in one place."""
    found = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "src").rglob("*.py")
        if any(word in path.read_text(encoding="utf-8") for word in ("hmac", "EPOCH ="))
    )
    assert found == ["src/offlabel/registry/deidentify.py"]
