"""The reviewer's import flow: upload or paste → preview → pick → commit into the library."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offlabel.web.common.models import AuditEvent
from offlabel.web.literature.models import ImportBatch, LibraryEntry, Reference
from tests.support.shared_data import TEST_DATA, needs_shared, shared_file
from tests.web.literature.support import FIXTURES, PUBMED, RECORDED

#: A PubMed XML file written for the tests (today's layout): a trial, a dog case, a book.
OWN_PUBMED = TEST_DATA / "literature" / "pubmed_current.xml"

pytestmark = pytest.mark.django_db

NOT_ALLOWED = [
    ("anonymous", 302),
    ("patient", 403),
    ("owner", 403),
    ("clinician", 403),
    ("vet", 403),
    ("pending_clinician", 403),
    ("nobody", 403),
    ("reviewer", 200),
    ("editor", 200),
]


def _preview_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/import/" in response.url
    return response.url


def _keys(html: str) -> list[str]:
    return re.findall(r'name="keep" value="(\d+)"', html)


def _checked(html: str) -> list[str]:
    return re.findall(r'name="keep" value="(\d+)" id="keep-\d+" checked', html)


@pytest.mark.parametrize(("who", "status"), NOT_ALLOWED)
def test_only_reviewers_and_editors_open_the_import_form(
    world: Any, topic: Any, client_for: Any, who: str, status: int
) -> None:
    response = client_for(world.by_name(who)).get(f"/literature/{topic.slug}/import/")
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/login/" in response.url


@pytest.mark.parametrize(("who", "status"), [(w, s) for w, s in NOT_ALLOWED if s != 200])
def test_only_reviewers_and_editors_can_upload(
    world: Any, topic: Any, upload: Any, who: str, status: int
) -> None:
    response = upload(world.by_name(who), topic, OWN_PUBMED)
    assert response.status_code == status
    assert not ImportBatch.objects.exists()
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    ("path", "title", "doi"),
    [
        pytest.param(
            PUBMED / "pubmed-29768149.xml",
            "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma",
            "10.1056/nejmoa1715274",
            marks=needs_shared,
            id="real",
        ),
        pytest.param(
            OWN_PUBMED,
            "A randomised, placebo-controlled trial of low-dose naltrexone",
            "10.9999/jin.2021.101",
            id="own",
        ),
    ],
)
def test_reviewer_imports_a_pubmed_file_through_preview_into_the_library(
    world: Any, topic: Any, upload: Any, client_for: Any, path: Path, title: str, doi: str
) -> None:
    response = upload(world.reviewer, topic, path)
    preview = client_for(world.reviewer).get(_preview_url(response))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert title in html
    assert "Randomised controlled trial" in html  # the classifier's suggestion is shown
    assert ">Human<" in html and ">Trials<" in html
    assert not Reference.objects.exists()  # nothing is added before the commit

    committed = client_for(world.reviewer).post(
        preview.request["PATH_INFO"], {"keep": _keys(html)[:1]}
    )
    assert committed.status_code == 302
    reference = Reference.objects.get(doi=doi)
    assert reference.design == "rct"
    assert reference.species == "human"
    assert reference.source == "pubmed"
    assert reference.added_by == world.reviewer
    assert LibraryEntry.objects.filter(topic=topic, reference=reference).exists()
    assert not ImportBatch.objects.exists()
    audited = set(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATE, actor=world.reviewer
        ).values_list("content_type__model", "actor")
    )
    assert audited == {("reference", world.reviewer.pk), ("libraryentry", world.reviewer.pk)}
    library = client_for(world.reviewer).get(f"/literature/{topic.slug}/").content.decode()
    assert title[:40] in library


@pytest.mark.parametrize(
    "real", [pytest.param(True, marks=needs_shared, id="real"), pytest.param(False, id="own")]
)
def test_reviewer_picks_only_some_records_of_a_gzipped_medline_file(
    world: Any, topic: Any, upload: Any, client_for: Any, real: bool
) -> None:
    from offlabel.literature.formats import parse_file

    if real:
        path = shared_file(PUBMED / "test_current_medline.xml.gz")
        expected, source = parse_file(path).records, path
    else:
        expected = parse_file(OWN_PUBMED).records
        source = ("pubmed_current.xml.gz", gzip.compress(OWN_PUBMED.read_bytes()))
    response = upload(world.reviewer, topic, source)
    url = _preview_url(response)
    html = client_for(world.reviewer).get(url).content.decode()
    keys = _keys(html)
    assert len(keys) == len(expected) >= 2
    client_for(world.reviewer).post(url, {"keep": keys[:2]})
    assert LibraryEntry.objects.filter(topic=topic).count() == 2
    assert Reference.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "title_part", "source"),
    [
        (FIXTURES / "ldn.ris", "Pilot trial of low dose naltrexone", "ris"),
        (FIXTURES / "ldn.bib", "T-cells in amyotrophic lateral sclerosis", "bibtex"),
        (RECORDED / "ctgov-study-NCT00501696.json", "", "ctgov"),
        (RECORDED / "crossref-work-10.3109-17482968.2010.544386.json", "", "crossref"),
    ],
    ids=["ris", "bibtex", "ctgov", "crossref"],
)
def test_each_format_is_detected_previewed_and_committed(
    world: Any, topic: Any, upload: Any, client_for: Any, path: Path, title_part: str, source: str
) -> None:
    response = upload(world.reviewer, topic, path)
    url = _preview_url(response)
    html = client_for(world.reviewer).get(url).content.decode()
    assert title_part in html
    keys = _keys(html)
    assert keys
    client_for(world.reviewer).post(url, {"keep": keys})
    assert set(Reference.objects.values_list("source", flat=True)) == {source}
    assert LibraryEntry.objects.filter(topic=topic).count() == len(keys)


def test_a_trial_registration_is_stored_as_a_trial(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    url = _preview_url(upload(world.reviewer, topic, RECORDED / "ctgov-study-NCT00501696.json"))
    client_for(world.reviewer).post(url, {"keep": ["0"]})
    reference = Reference.objects.get()
    assert reference.nct == "NCT00501696"
    assert reference.kind == Reference.Kind.TRIAL


BAD_FILES = [
    ("bad_truncated.xml.gz", "pubmed"),
    ("bad_no_er.ris", "ris"),
    ("bad_no_ty.ris", "ris"),
    ("bad_braces.bib", "bibtex"),
    ("bad_shape.json", "auto"),
]


@pytest.mark.parametrize(("name", "fmt"), BAD_FILES)
def test_a_bad_file_shows_the_parsers_error_and_imports_nothing(
    world: Any, topic: Any, upload: Any, name: str, fmt: str
) -> None:
    response = upload(world.reviewer, topic, FIXTURES / name, format=fmt)
    html = response.content.decode()
    assert response.status_code == 400
    assert name in html  # the message names the uploaded file…
    errors = re.search(r'<div class="errors" role="alert">(.*?)</div>', html, re.S)
    assert errors and re.search(r"record|line|field|gzip|JSON|json", errors.group(1))
    assert not ImportBatch.objects.exists()
    assert not Reference.objects.exists()


@pytest.mark.parametrize(
    ("name", "good", "skipped"),
    [
        ("bad_malformed.xml", ["Fine"], "line"),
        ("one_bad_record.ris", ["Low-dose", "Naltrexone and"], "record 2, line 9"),
    ],
)
def test_a_file_with_bad_records_previews_the_good_ones_and_lists_the_skipped(
    world: Any, topic: Any, upload: Any, client_for: Any, name: str, good: list[str], skipped: str
) -> None:
    response = upload(world.reviewer, topic, FIXTURES / name)
    html = client_for(world.reviewer).get(_preview_url(response)).content.decode()
    assert all(title in html for title in good)
    assert "Left out (1)" in html
    left_out = re.search(r'<ul class="lit-problems">(.*?)</ul>', html, re.S)
    assert left_out and name in left_out.group(1) and skipped in left_out.group(1)
    assert len(_keys(html)) == len(good)
    assert not Reference.objects.exists()  # nothing is saved before the reviewer confirms


def test_records_already_in_the_library_are_marked_and_not_ticked(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    first = _preview_url(upload(world.reviewer, topic, FIXTURES / "ldn.ris"))
    client_for(world.reviewer).post(first, {"keep": ["0"]})  # Cree 2010 (has a DOI)
    second = _preview_url(upload(world.reviewer, topic, FIXTURES / "ldn.ris"))
    html = client_for(world.reviewer).get(second).content.decode()
    assert "Already in this topic’s library (DOI 10.1002/ana.22006)" in html
    assert _checked(html) == ["1", "2"]


def test_a_reference_stored_for_another_topic_is_reused_not_copied(
    world: Any, topic: Any, dog_topic: Any, upload: Any, client_for: Any
) -> None:
    url = _preview_url(upload(world.reviewer, topic, OWN_PUBMED))
    client_for(world.reviewer).post(url, {"keep": ["0"]})
    url = _preview_url(upload(world.reviewer, dog_topic, OWN_PUBMED))
    html = client_for(world.reviewer).get(url).content.decode()
    assert "Already stored as a reference" in html
    client_for(world.reviewer).post(url, {"keep": ["0"]})
    assert Reference.objects.count() == 1
    assert LibraryEntry.objects.count() == 2


def test_duplicates_inside_one_file_are_marked(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    text = (FIXTURES / "ldn.ris").read_text()
    first = text.split("ER  - ")[0] + "ER  - \n\n"
    response = upload(world.reviewer, topic, ("twice.ris", (first + first).encode()))
    html = client_for(world.reviewer).get(_preview_url(response)).content.decode()
    assert "Duplicate of record 1 in this import." in html
    assert _checked(html) == ["0"]


def test_commit_is_all_or_nothing(
    world: Any, topic: Any, upload: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import IntegrityError

    from offlabel.web.literature import services

    url = _preview_url(upload(world.reviewer, topic, FIXTURES / "ldn.ris"))
    real = services.audit_record
    calls = {"n": 0}

    def failing(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:  # after the first reference and its library entry
            raise IntegrityError("simulated database failure")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", failing)
    with pytest.raises(IntegrityError):
        client_for(world.reviewer).post(url, {"keep": ["0", "1", "2"]})
    assert not Reference.objects.exists()
    assert not LibraryEntry.objects.exists()
    assert not AuditEvent.objects.filter(content_type__app_label="literature").exists()
    assert ImportBatch.objects.count() == 1  # the preview is still there to retry


def test_committing_nothing_asks_for_a_choice(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    url = _preview_url(upload(world.reviewer, topic, FIXTURES / "ldn.ris"))
    response = client_for(world.reviewer).post(url, {})
    assert response.status_code == 400
    assert "Tick at least one record" in response.content.decode()
    assert not Reference.objects.exists()


def test_another_reviewers_preview_is_not_found(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    url = _preview_url(upload(world.reviewer, topic, FIXTURES / "ldn.ris"))
    assert client_for(world.editor).get(url).status_code == 404
    assert client_for(world.editor).post(url, {"keep": ["0"]}).status_code == 404
    assert not Reference.objects.exists()


def test_the_preview_is_kept_on_the_server_not_in_the_session(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    upload(world.reviewer, topic, FIXTURES / "ldn.ris")
    batch = ImportBatch.objects.get()
    assert batch.owner == world.reviewer
    assert len(batch.records) == 3
    session = client_for(world.reviewer).session
    assert not any("Pilot trial" in str(value) for value in session.values())


def test_discarding_a_preview_imports_nothing(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    url = _preview_url(upload(world.reviewer, topic, FIXTURES / "ldn.ris"))
    response = client_for(world.reviewer).post(url + "discard/")
    assert response.status_code == 302
    assert not ImportBatch.objects.exists()
    assert not Reference.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(
    world: Any, topic: Any, upload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from offlabel.web.literature import importing

    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 2000)
    response = upload(world.reviewer, topic, OWN_PUBMED)
    html = response.content.decode()
    assert response.status_code == 413
    assert "the web import takes files up to" in html
    assert not ImportBatch.objects.exists()


def test_the_form_needs_a_file_or_identifiers(world: Any, topic: Any, client_for: Any) -> None:
    response = client_for(world.reviewer).post(
        f"/literature/{topic.slug}/import/", {"format": "auto"}
    )
    assert response.status_code == 400
    assert "Choose a file to upload or paste some identifiers." in response.content.decode()


# -- pasted identifiers ---------------------------------------------------------------------


def test_pasted_identifiers_are_looked_up_with_a_problem_per_failure(
    world: Any, topic: Any, client_for: Any, recorded: Any
) -> None:
    pasted = "\n".join(
        [
            "29768149",
            "https://doi.org/10.3109/17482968.2010.544386",
            "NCT00501696",
            "NCT99999999",
            "10.9999/nothing.here",
            "not an id",
        ]
    )
    response = client_for(world.reviewer).post(
        f"/literature/{topic.slug}/import/", {"format": "auto", "identifiers": pasted}
    )
    html = client_for(world.reviewer).get(_preview_url(response)).content.decode()
    assert len(_keys(html)) == 3
    assert "Budesonide-Formoterol" in html
    assert "Line 4: NCT id NCT99999999" in html
    assert "Line 5: DOI 10.9999/nothing.here" in html
    assert "Line 6: “not an id” is not a PMID, DOI or NCT id." in html
    client_for(world.reviewer).post(response.url, {"keep": _keys(html)})
    assert set(Reference.objects.values_list("pmid", "doi", "nct", "source")) == {
        # the article reports trial NCT02149199 but is not its registration: no NCT number
        ("29768149", "10.1056/nejmoa1715274", "", "pubmed"),
        ("", "10.3109/17482968.2010.544386", "", "crossref"),
        ("", "", "NCT00501696", "ctgov"),
    }


def test_without_network_a_look_up_is_a_clear_problem_not_a_crash(
    world: Any, topic: Any, client_for: Any
) -> None:
    response = client_for(world.reviewer).post(
        f"/literature/{topic.slug}/import/", {"format": "auto", "identifiers": "29768149"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 1: PMID 29768149" in html
    assert "no answer" in html
    assert not ImportBatch.objects.exists()


# -- garbage --------------------------------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.binary(max_size=3000),
    name=st.sampled_from(["x.xml", "x.xml.gz", "x.ris", "x.bib", "x.json", "x.txt", "x"]),
    fmt=st.sampled_from(["auto", "pubmed", "medline", "ris", "bibtex", "endnote", "wos", "ctgov"]),
)
def test_random_bytes_never_cause_a_server_error(
    world: Any, topic: Any, upload: Any, content: bytes, name: str, fmt: str
) -> None:
    response = upload(world.reviewer, topic, (name, content), format=fmt)
    assert response.status_code in (302, 400)
    assert not Reference.objects.exists()


def test_a_huge_upload_is_refused_from_its_declared_length_before_it_is_stored(
    world: Any, topic: Any, upload: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from offlabel.web.literature import importing

    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 1000)
    response = upload(world.reviewer, topic, ("big.xml.gz", b"\0" * 654_158))  # 654 kB
    assert response.status_code == 413
    assert "The file is 0.6 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_upload_form_checks_the_csrf_token(world: Any, topic: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reviewer, backend="django.contrib.auth.backends.ModelBackend")
    content = (FIXTURES / "ldn.ris").read_bytes()
    response = client.post(
        f"/literature/{topic.slug}/import/",
        {"format": "auto", "file": SimpleUploadedFile("ldn.ris", content)},
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=300))
def test_random_pasted_text_never_causes_a_server_error(
    world: Any, topic: Any, client_for: Any, text: str
) -> None:
    response = client_for(world.reviewer).post(
        f"/literature/{topic.slug}/import/", {"format": "auto", "identifiers": text}
    )
    assert response.status_code == 400  # offline: nothing can be looked up
    assert not ImportBatch.objects.exists()


def test_a_real_baseline_file_previews_with_few_queries_and_commits_whole(
    world: Any, topic: Any, upload: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from offlabel.literature.formats import parse_file

    baseline = shared_file(PUBMED / "medline16n0902.xml.gz")
    expected = parse_file(baseline).records
    url = _preview_url(upload(world.reviewer, topic, baseline))
    client = client_for(world.reviewer)
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    keys = _keys(html)
    assert len(keys) == len(expected) == 604
    client.post(url, {"keep": _checked(html)})
    assert LibraryEntry.objects.filter(topic=topic).count() == len(_checked(html))
    assert Reference.objects.filter(source="pubmed").count() == len(_checked(html))


def test_a_record_with_a_doi_and_no_title_is_previewed_and_imported_under_its_identifier(
    world: Any, topic: Any, upload: Any, client_for: Any
) -> None:
    path = TEST_DATA / "literature" / "ris_rayyan.ris"
    url = _preview_url(upload(world.reviewer, topic, path))
    html = client_for(world.reviewer).get(url).content.decode()
    assert "[Untitled: DOI 10.9999/rayyan.untitled]" in html
    assert "No title in the file" in html
    assert _checked(html) == ["0", "1"]
    client_for(world.reviewer).post(url, {"keep": ["1"]})
    reference = Reference.objects.get()
    assert (reference.title, reference.doi) == (
        "[Untitled: DOI 10.9999/rayyan.untitled]",
        "10.9999/rayyan.untitled",
    )
