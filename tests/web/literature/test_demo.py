"""The demo's literature: package data the project wrote, read by our readers, enough on its own.

A lone clone has no ``../shared``; the demo's index, its watch and both topics' libraries come
from ``offlabel/web/literature/demo_data`` alone. The files are checked against independent
readers (pubmed_parser for the PubMed XML, rispy for the RIS) in the same test.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
import rispy

import offlabel
from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.literature import demo
from offlabel.web.literature.models import LibraryEntry, Reference, SavedSearch, WatchFlag

#: LDN use among Norwegians with ALS (2022): newer than the 2011 report the ALS review rebuilds.
NORWAY_2022 = "35464630"


def test_the_demo_literature_is_package_data() -> None:
    package = Path(offlabel.__file__).resolve().parent
    assert demo.DEMO_DATA.resolve().is_relative_to(package)
    assert sorted(p.name for p in demo.PUBMED_DIR.iterdir()) == ["ldn-demo.xml"]
    assert demo.RIS_FILE.is_file()


def test_our_readers_read_the_pubmed_file_as_pubmed_parser_does(tmp_path: Path) -> None:
    import pubmed_parser

    packed = tmp_path / "ldn-demo.xml.gz"  # pubmed_parser reads gzipped files only
    packed.write_bytes(gzip.compress((demo.PUBMED_DIR / "ldn-demo.xml").read_bytes()))
    theirs = list(pubmed_parser.parse_medline_xml(str(packed)))
    ours = [r for r in demo.records() if r.source_format == "pubmed"]
    assert [r.pmid for r in ours] == [t["pmid"] for t in theirs]
    assert [r.title for r in ours] == [t["title"] for t in theirs]
    assert [r.doi or "" for r in ours] == [t["doi"] for t in theirs]
    assert [" ".join(text for _, text in r.abstract) for r in ours] == [
        t["abstract"] for t in theirs
    ]


def test_our_readers_read_the_ris_file_as_rispy_does() -> None:
    theirs = rispy.loads(demo.RIS_FILE.read_text(encoding="utf-8"))
    ours = [r for r in demo.records() if r.source_format == "ris"]
    assert [r.title for r in ours] == [t["title"] for t in theirs]
    assert [r.year for r in ours] == [int(t["year"]) if "year" in t else None for t in theirs]
    assert [r.doi for r in ours] == [t.get("doi") for t in theirs]


def test_each_source_is_written_once_and_every_summary_is_marked_as_ours() -> None:
    records = demo.records()
    for name in ("pmid", "doi", "url"):
        values = [getattr(r, name) for r in records if getattr(r, name)]
        assert len(values) == len(set(values)), name
    titles = [r.title.lower().rstrip(".") for r in records]
    assert len(titles) == len(set(titles))
    for record in records:
        assert all(
            label == "OFFLABEL SUMMARY" or text.startswith("OFFLABEL SUMMARY: ")
            for label, text in record.abstract
        ), record.title
        assert all(len(text) < 600 for _, text in record.abstract), record.title


def test_every_reference_of_the_demo_reviews_names_one_record() -> None:
    from offlabel.web.reviews.demo import DEMO_REVIEWS

    cited = {ref.cite for spec in DEMO_REVIEWS for ref in spec.references}
    found = {demo.record(cite) for cite in cited}
    assert len(found) == len(cited)  # no two names of the same record
    with pytest.raises(LookupError, match="'Nobody 1900' names 0 record"):
        demo.record("Nobody 1900")
    assert demo.reference_fields("http://www.lowdosenaltrexone.org/")["kind"] == "webpage"
    assert demo.reference_fields("US Food and Drug Administration 2010")["kind"] == "document"


@pytest.fixture
def lone_clone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings: Any) -> Path:
    """No ``../shared`` anywhere, the var directory and index of this test only."""
    monkeypatch.setenv("OFFLABEL_SHARED_DIR", str(tmp_path / "nonexistent"))
    index = tmp_path / "var" / "literature-index"
    monkeypatch.setenv("OFFLABEL_LITERATURE_INDEX", str(index))
    return index


@pytest.fixture
def demo_loaded(db: Any, lone_clone: Path) -> str:
    """The accounts, topics, literature and reviews of the demo, in the order it loads them."""
    from offlabel.web.accounts import demo as accounts_demo
    from offlabel.web.catalog import demo as catalog_demo
    from offlabel.web.reviews import demo as reviews_demo

    accounts_demo.load()
    catalog_demo.load()
    line = demo.load()
    reviews_demo.load()
    return line


def test_the_demo_literature_loads_on_a_lone_clone(demo_loaded: str, lone_clone: Path) -> None:
    pubmed = sum(1 for r in demo.records() if r.source_format == "pubmed")
    assert f"index of {pubmed} record(s) from the demo literature" in demo_loaded
    assert any((lone_clone / "records").glob("*.parquet"))
    # Both topics have their library, taken from the demo literature.
    for slug, size in ((LDN_ALS_SLUG, 18), (LDN_DM_SLUG, 7)):
        references = Reference.objects.filter(library_entries__topic__slug=slug)
        assert references.count() == size
        for reference in references:
            assert demo.record(reference.pmid or reference.doi or reference.title).title == (
                reference.title
            )
    # The watch found the 2022 Norwegian survey for the ALS review, which predates it.
    als = SavedSearch.objects.get(topic__slug=LDN_ALS_SLUG)
    assert als.last_run_note == "1 matching, 1 newly flagged"
    assert set(WatchFlag.objects.values_list("topic__slug", "pmid", "status")) == {
        (LDN_ALS_SLUG, NORWAY_2022, WatchFlag.Status.NEW)
    }
    dm = SavedSearch.objects.get(topic__slug=LDN_DM_SLUG)
    assert dm.last_run_note == "0 matching, 0 newly flagged"  # no study of LDN in DM exists


def test_no_new_flag_is_already_in_its_topics_library(demo_loaded: str) -> None:
    for flag in WatchFlag.objects.filter(status=WatchFlag.Status.NEW):
        assert not LibraryEntry.objects.filter(topic=flag.topic, reference__pmid=flag.pmid).exists()


def test_both_literature_pages_show_their_references(demo_loaded: str, client: Any) -> None:
    from offlabel.web.accounts.models import User

    client.force_login(
        User.objects.get(email="reviewer@offlabel.demo"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    als = client.get(f"/literature/{LDN_ALS_SLUG}/").content.decode()
    assert "18 references" in als
    assert "ALSUntangled No. 8: Low dose naltrexone for ALS" in als
    assert "1 matching, 1 newly flagged" in als
    assert "Use of Off-Label Drugs and Nutrition Supplements" in als  # the flagged record
    dm = client.get(f"/literature/{LDN_DM_SLUG}/").content.decode()
    assert "7 references" in dm
    assert "Naltrexone for degenerative myelopathy: a peer suggestion" in dm
    assert f"PubMed {NORWAY_2022}" in dm  # cited by the DM review, in its library
