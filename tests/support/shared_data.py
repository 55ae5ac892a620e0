"""The one locator of ``../shared``: real files written by others, which never enter the repository.

They lie beside the repository's folder in a developer's checkout and in CI
(``OFFLABEL_SHARED_DIR`` points elsewhere). A lone clone has no such folder: a test that needs
one of these files asks for it through :func:`shared_file` (or the :data:`needs_shared` mark) and
is skipped with a one-line reason. Everything the project writes itself lives in ``tests/data``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Small files the project wrote itself (always present).
TEST_DATA = REPO / "tests" / "data"
SHARED = Path(os.environ.get("OFFLABEL_SHARED_DIR") or REPO.parent / "shared")
PUBMED_DATA = SHARED / "data" / "pubmed"
EXPORTS = SHARED / "data" / "exports"
SEEDS = SHARED / "seeds"

PRESENT = (SHARED / "data").is_dir()
REASON = (
    f"real files written by others are not here ({SHARED / 'data'}): "
    "put ../shared beside the repository or set OFFLABEL_SHARED_DIR"
)

#: Mark for a test (or a whole module, as ``pytestmark``) that reads ``../shared``.
needs_shared = pytest.mark.skipif(not PRESENT, reason=REASON)


def shared_file(path: Path) -> Path:
    """``path`` (under :data:`SHARED`) if it is there; otherwise skip the calling test."""
    if not path.exists():
        pytest.skip(f"{path.name}: {REASON}")
    return path
