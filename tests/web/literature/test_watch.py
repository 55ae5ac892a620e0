"""The living review: saved searches, `offlabel literature watch`, watch flags for reviewers."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from offlabel.web.literature.models import LibraryEntry, Reference, SavedSearch, WatchFlag
from tests.web.literature.support import OWN_PUBMED, RECORDED

pytestmark = pytest.mark.django_db

#: Three drugs tried in ALS; the project's own PubMed file has one record on each.
THERAPIES = ("naltrexone", "glatiramer acetate", "thalidomide")
NORWAY_2022, GLATIRAMER_2009, THALIDOMIDE_2009 = "35464630", "19922128", "19922130"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of a PubMed file the project wrote (the demo's literature: LDN use in ALS
    2022, glatiramer and thalidomide in ALS 2009, LDN in Crohn's disease and MS, a review)."""
    from offlabel.literature.index.scan import SYNCHRONOUS, scan

    root = tmp_path_factory.mktemp("litweb-index")
    scan(OWN_PUBMED.parent, root / "index", scheduler=SYNCHRONOUS, progress=False)
    return root / "index"


@pytest.fixture
def als_drugs(topic: Any, world: Any) -> SavedSearch:
    return SavedSearch.objects.create(
        topic=topic,
        therapy_terms="\n".join(THERAPIES),
        condition_terms="ALS",
        created_by=world.reviewer,
    )


def _publish_review(topic: Any, year: int) -> Any:
    from offlabel.web.reviews.models import Review

    published = dt.datetime(year, 6, 1, tzinfo=dt.UTC)
    review = Review.objects.create(
        topic=topic,
        version=Review.objects.filter(topic=topic).count() + 1,
        status=Review.Status.PUBLISHED,
        rubric_version="test",
        published_at=published,
    )
    topic.review_published_at = published  # what reviews.services.review_publish keeps
    topic.save(update_fields=["review_published_at"])
    return review


def _flagged(topic: Any) -> set[str]:
    return set(WatchFlag.objects.filter(topic=topic).values_list("pmid", flat=True))


def _all_matches(index_dir: Path) -> set[str]:
    from offlabel.literature.index.search import search

    return {str(hit.pmid) for therapy in THERAPIES for hit in search(index_dir, therapy, "ALS")}


def test_watch_flags_records_newer_than_the_last_published_review(
    topic: Any, als_drugs: SavedSearch, index_dir: Path
) -> None:
    from offlabel.web.literature.watch import watch_run

    assert _all_matches(index_dir) == {NORWAY_2022, GLATIRAMER_2009, THALIDOMIDE_2009}
    _publish_review(topic, 2010)
    summary = watch_run(index_dir=index_dir)
    assert summary.flagged == 1
    assert _flagged(topic) == {NORWAY_2022}
    als_drugs.refresh_from_db()
    assert als_drugs.last_run_at is not None


def test_without_a_published_review_every_match_is_new(
    topic: Any, als_drugs: SavedSearch, index_dir: Path
) -> None:
    from offlabel.web.literature.watch import watch_run

    watch_run(index_dir=index_dir)
    assert _flagged(topic) == _all_matches(index_dir)


def test_records_in_the_library_and_dismissed_ones_are_not_flagged_again(
    topic: Any, als_drugs: SavedSearch, index_dir: Path, world: Any
) -> None:
    from offlabel.web.literature.services import watch_flag_dismiss
    from offlabel.web.literature.watch import watch_run

    reference = Reference.objects.create(title="LDN in Norway", pmid=NORWAY_2022, year=2022)
    LibraryEntry.objects.create(topic=topic, reference=reference)
    watch_run(index_dir=index_dir)
    assert _flagged(topic) == {GLATIRAMER_2009, THALIDOMIDE_2009}
    flag = WatchFlag.objects.filter(topic=topic).first()
    assert flag is not None
    watch_flag_dismiss(flag=flag, by=world.reviewer)
    second = watch_run(index_dir=index_dir)
    assert second.flagged == 0
    flag.refresh_from_db()
    assert flag.status == WatchFlag.Status.DISMISSED


def test_a_missing_index_is_a_reported_problem(
    topic: Any, als_drugs: SavedSearch, tmp_path: Path
) -> None:
    from offlabel.web.literature.watch import watch_run

    summary = watch_run(index_dir=tmp_path / "nothing")
    assert summary.flagged == 0
    assert "No literature index" in summary.problems[0]


def test_the_watch_command_runs_every_saved_search(
    topic: Any, als_drugs: SavedSearch, index_dir: Path
) -> None:
    from click.testing import CliRunner

    from offlabel.cli import main

    result = CliRunner().invoke(main, ["literature", "watch", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "1 saved search(es) run" in result.output
    assert _flagged(topic) == _all_matches(index_dir)


def test_the_daily_task_reads_the_index_from_the_environment(
    topic: Any, als_drugs: SavedSearch, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from offlabel.web.literature.tasks import watch_saved_searches

    monkeypatch.setenv("OFFLABEL_LITERATURE_INDEX", str(index_dir))
    watch_saved_searches.call_local()
    assert _flagged(topic) == _all_matches(index_dir)


def _eutils_url(endpoint: str, **params: str) -> str:
    from offlabel.literature.online.eutils import EUTILS_BASE

    return f"{EUTILS_BASE}{endpoint}?" + urllib.parse.urlencode({**params, "tool": "offlabel"})


def test_watch_can_also_search_pubmed_online(topic: Any) -> None:
    from offlabel.literature.online.transport import ReplayTransport, Response
    from offlabel.web.literature.watch import watch_run

    saved = SavedSearch.objects.create(
        topic=topic, therapy_terms="budesonide", condition_terms="asthma"
    )
    _publish_review(topic, 2017)
    query = '("budesonide"[tiab]) AND ("asthma"[tiab]) AND ("2017"[dp] : "3000"[dp])'
    answers = {
        _eutils_url(
            "esearch.fcgi", db="pubmed", term=query, retmode="json", retmax="200", retstart="0"
        ): "esearch-29768149.json",
        _eutils_url("efetch.fcgi", db="pubmed", id="29768149", retmode="xml"): (
            "efetch-pmid-29768149.xml"
        ),
    }
    transport = ReplayTransport(
        {url: Response(url, 200, (RECORDED / name).read_bytes()) for url, name in answers.items()}
    )
    summary = watch_run(use_index=False, online=True, transport=transport, searches=[saved])
    assert summary.problems == []
    assert _flagged(topic) == {"29768149"}  # 2018, after the 2017 review


# -- who sees the flags ---------------------------------------------------------------------


@pytest.fixture
def flag(topic: Any, als_drugs: SavedSearch) -> WatchFlag:
    return WatchFlag.objects.create(
        topic=topic,
        saved_search=als_drugs,
        pmid=NORWAY_2022,
        title="Use of Off-Label Drugs and Nutrition Supplements among Patients with "
        "Amyotrophic Lateral Sclerosis in Norway.",
        year=2022,
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("patient", False),
        ("clinician", False),
        ("reviewer", True),
        ("editor", True),
    ],
)
def test_reviewers_see_new_records_on_the_topic_page(
    world: Any, topic: Any, flag: WatchFlag, client_for: Any, who: str, sees: bool
) -> None:
    html = client_for(world.by_name(who)).get(topic.get_absolute_url()).content.decode()
    assert ("1 new record</strong> since the last review version" in html) is sees


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("patient", False),
        ("vet", False),
        ("reviewer", True),
        ("editor", True),
    ],
)
def test_the_watch_flags_include_renders_with_only_the_topic(
    world: Any, topic: Any, flag: WatchFlag, rf: Any, who: str, sees: bool
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/reviews/workspace/1/")
    request.user = world.by_name(who) or AnonymousUser()
    html = render_to_string("literature/_watch_flags.html", {"topic": topic}, request=request)
    assert ("Use of Off-Label Drugs" in html) is sees
    if sees:
        assert f"/literature/{topic.slug}/import/?identifiers={NORWAY_2022}" in html


def test_the_library_page_lists_flags_for_reviewers_only(
    world: Any, topic: Any, flag: WatchFlag, client_for: Any
) -> None:
    assert (
        "Use of Off-Label Drugs"
        in client_for(world.reviewer).get(f"/literature/{topic.slug}/").content.decode()
    )
    assert (
        "Use of Off-Label Drugs"
        not in client_for(None).get(f"/literature/{topic.slug}/").content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status", "dismissed"),
    [("anonymous", 302, False), ("patient", 403, False), ("reviewer", 302, True)],
)
def test_only_reviewers_dismiss_a_flag(
    world: Any,
    topic: Any,
    flag: WatchFlag,
    client_for: Any,
    who: str,
    status: int,
    dismissed: bool,
) -> None:
    response = client_for(world.by_name(who)).post(
        f"/literature/{topic.slug}/flags/{flag.pk}/dismiss/", {"next": "https://evil.example/"}
    )
    assert response.status_code == status
    flag.refresh_from_db()
    assert (flag.status == WatchFlag.Status.DISMISSED) is dismissed
    if dismissed:
        assert response.url.startswith(f"/literature/{topic.slug}/")


def test_importing_a_flagged_record_marks_the_flag_imported(
    world: Any, topic: Any, flag: WatchFlag, client_for: Any, upload: Any
) -> None:
    from offlabel.literature.parsers.pubmed import iter_pubmed

    position = [r.pmid for r in iter_pubmed(OWN_PUBMED)].index(NORWAY_2022)
    url = upload(world.reviewer, topic, OWN_PUBMED).url
    client_for(world.reviewer).post(url, {"keep": [str(position)]})
    flag.refresh_from_db()
    assert flag.status == WatchFlag.Status.IMPORTED


@pytest.mark.parametrize(("who", "status"), [("patient", 403), ("reviewer", 302)])
def test_reviewers_save_searches(
    world: Any, topic: Any, client_for: Any, who: str, status: int
) -> None:
    response = client_for(world.by_name(who)).post(
        f"/literature/{topic.slug}/searches/",
        {"therapy_terms": "naltrexone\nLDN", "condition_terms": "ALS", "species": "human"},
    )
    assert response.status_code == status
    assert SavedSearch.objects.filter(topic=topic).exists() is (status == 302)


def test_the_demo_saves_a_search_per_ldn_topic(demo_topics: Any, tmp_path: Path) -> None:
    from offlabel.web.literature import demo

    line = demo.load()
    assert SavedSearch.objects.count() == 2
    assert line.startswith("literature: 2 saved search(es)")
    assert demo.load().startswith("literature: 0 saved search(es)")  # idempotent
