"""Demo content of the literature app: a saved search per LDN topic and a small local index.

Library entries come with the reviews demo (the references its reviews cite). The index is
built from the small real MEDLINE files shipped beside the repository (``../shared/data/pubmed``
or ``$OFFLABEL_DEMO_PUBMED_DIR``) when they are there and no index exists yet; the big file is
left out so the demo stays quick.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from offlabel.evidence.vocabulary import Species
from offlabel.web.accounts.models import User
from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.catalog.models import Topic
from offlabel.web.literature.models import SavedSearch
from offlabel.web.literature.watch import default_index_dir, watch_run

SEARCHES = {
    LDN_ALS_SLUG: (
        "low-dose naltrexone\nnaltrexone\nLDN",
        "amyotrophic lateral sclerosis\nALS\nmotor neuron disease",
        Species.HUMAN,
    ),
    LDN_DM_SLUG: (
        "low-dose naltrexone\nnaltrexone\nLDN",
        "degenerative myelopathy\nSOD1",
        "",
    ),
}
#: Only files this small are indexed by the demo (the shipped baseline file is larger).
SMALL_FILE_BYTES = 100 * 1024
PUBMED_DIR_ENV = "OFFLABEL_DEMO_PUBMED_DIR"


def _pubmed_dir() -> Path:
    configured = os.environ.get(PUBMED_DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4].parent / "shared" / "data" / "pubmed"


def _build_index(index_dir: Path) -> str:
    source = _pubmed_dir()
    small = sorted(
        path
        for pattern in ("*.xml", "*.xml.gz")
        for path in source.glob(pattern)
        if path.stat().st_size <= SMALL_FILE_BYTES
    )
    if not small:
        return f"no small PubMed files in {source}, index not built"
    if any((index_dir / "records").glob("*.parquet")):
        return f"index {index_dir} already there"
    try:
        from offlabel.literature.index.scan import SYNCHRONOUS, scan
    except ImportError:
        return "index scan not available, index not built"
    with tempfile.TemporaryDirectory(prefix="offlabel-demo-pubmed-") as staging:
        for path in small:
            (Path(staging) / path.name).symlink_to(path)
        summary = scan(staging, index_dir, scheduler=SYNCHRONOUS, progress=False)
    return f"index of {summary.live_records} record(s) from {len(small)} small file(s)"


def load() -> str:
    reviewer = User.objects.filter(email="reviewer@offlabel.demo").first()
    made = 0
    for slug, (therapy, condition, species) in SEARCHES.items():
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            continue
        _, created = SavedSearch.objects.get_or_create(
            topic=topic,
            therapy_terms=therapy,
            condition_terms=condition,
            defaults={"species": str(species), "created_by": reviewer},
        )
        made += created
    index_dir = default_index_dir()
    index_note = _build_index(index_dir)
    summary = watch_run(index_dir=index_dir)
    return f"literature: {made} saved search(es); {index_note}; watch: {summary.line()}"
