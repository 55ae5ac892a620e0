"""Where ../shared is (the seeds, real MEDLINE data and tools the tests read).

It lies beside the repository's folder, in a developer's checkout and in CI alike;
``OFFLABEL_SHARED_DIR`` points elsewhere when needed. Test modules import this by name.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OFFLABEL_SHARED_DIR", str(ROOT.parent / "shared")))
PUBMED_DATA = SHARED / "data" / "pubmed"
SEEDS = SHARED / "seeds"
CORPUS_TOOL = SHARED / "tools" / "make_pubmed_corpus.py"
