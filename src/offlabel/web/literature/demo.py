"""Demo content of the literature app: the demo's literature, a saved search per LDN topic, and
a small local index built from that literature.

The literature ships with the package in ``demo_data/`` (see its README): the references the two
seed documents cite, written by the project — the articles with a known PMID in PubMed's XML
layout, everything else as RIS — and read by our own readers. The reviews demo takes its library
references from here (:func:`reference_fields`), so the bibliographic data exists once.
:func:`load` scans ``demo_data/pubmed`` into the local index when none is there yet and runs every
saved search over it. Nothing outside the repository is read.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from offlabel.evidence.vocabulary import Species
from offlabel.literature.parsers.pubmed import iter_pubmed
from offlabel.literature.parsers.ris import iter_ris
from offlabel.literature.records import Record
from offlabel.web.accounts.models import User
from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.catalog.models import Topic
from offlabel.web.literature import convert
from offlabel.web.literature.models import Reference, SavedSearch
from offlabel.web.literature.watch import default_index_dir, watch_run

DEMO_DATA = Path(__file__).with_name("demo_data")
#: The demo's PubMed records: the folder the demo index is scanned from.
PUBMED_DIR = DEMO_DATA / "pubmed"
RIS_FILE = DEMO_DATA / "ldn-demo.ris"

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
#: RIS reference types that are not journal articles.
RIS_KINDS = {
    "GOVDOC": Reference.Kind.DOCUMENT,
    "ELEC": Reference.Kind.WEBPAGE,
    "BLOG": Reference.Kind.WEBPAGE,
}


@cache
def records() -> tuple[Record, ...]:
    """Every record of the demo literature: the PubMed file(s), then the RIS file."""
    found = [
        item
        for path in sorted(PUBMED_DIR.glob("*.xml"))
        for item in iter_pubmed(path)
        if isinstance(item, Record)
    ]
    found.extend(iter_ris(RIS_FILE))
    return tuple(found)


def _names(record: Record) -> set[str]:
    """The ways a demo review may name a record (lower case)."""
    names = {record.title.lower().rstrip(".")}
    names.update(value.lower() for value in (record.pmid, record.doi, record.url) if value)
    author = record.first_author
    if author is not None and record.year is not None:
        names.add(f"{author.last_name} {record.year}".lower())
    return names


def record(cite: str) -> Record:
    """The one demo record ``cite`` names: its PMID, DOI, URL, title or ``"Firstauthor Year"``.

    Raises
    ------
    LookupError
        ``cite`` names no record, or more than one.
    """
    wanted = cite.strip().lower().rstrip(".")
    found = [item for item in records() if wanted in _names(item)]
    if len(found) != 1:
        raise LookupError(
            f"{cite!r} names {len(found)} record(s) of the demo literature ({DEMO_DATA.name}/), "
            "not one: use its PMID, DOI, URL, title or 'Firstauthor Year'"
        )
    return found[0]


def reference_fields(cite: str) -> dict[str, Any]:
    """The Reference field values of the demo record ``cite`` names (see :func:`record`)."""
    item = record(cite)
    fields = convert.reference_fields(item)
    kind = next((RIS_KINDS[t] for t in item.publication_types if t in RIS_KINDS), None)
    if kind is not None:
        fields["kind"] = str(kind)
    return fields


def _build_index(index_dir: Path) -> str:
    from offlabel.literature.index.layout import RECORDS_DIR

    if any((index_dir / RECORDS_DIR).glob("*.parquet")):
        return f"index {index_dir} already there"
    try:
        from offlabel.literature.index.scan import SYNCHRONOUS, scan
    except ImportError:
        return "index scan not available, index not built"
    summary = scan(PUBMED_DIR, index_dir, scheduler=SYNCHRONOUS, progress=False)
    return f"index of {summary.live_records} record(s) from the demo literature"


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
