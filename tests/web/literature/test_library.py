"""The topic library page, the manual add form, the selectors other apps use, navigation."""

from __future__ import annotations

from typing import Any

import pytest

from offlabel.web.literature.models import LibraryEntry, Reference

pytestmark = pytest.mark.django_db


def _add(topic: Any, **fields: Any) -> Reference:
    reference = Reference.objects.create(**fields)
    LibraryEntry.objects.create(topic=topic, reference=reference)
    return reference


@pytest.fixture
def library(topic: Any) -> dict[str, Reference]:
    return {
        "cree": _add(
            topic,
            title="Pilot trial of low dose naltrexone and quality of life in multiple sclerosis",
            authors=["Cree BA", "Kornyeieva E", "Goodin DS"],
            journal="Ann Neurol",
            year=2010,
            volume="68",
            issue="2",
            pages="145-50",
            doi="10.1002/ana.22006",
            pmid="20695007",
            species="human",
            design="rct",
        ),
        "lyeth": _add(
            topic,
            title="Effects of mu opioid agonist and antagonist on neurological outcome following "
            "traumatic brain injury in the rat",
            authors=["Lyeth BG", "Jiang JY", "Gong QZ", "Hamm RJ", "Young HF"],
            journal="Neuropeptides",
            year=1995,
            volume="29",
            pages="11-9",
            species="rat",
            design="animal_study",
        ),
    }


def test_the_library_lists_vancouver_citations_with_links(
    topic: Any, library: dict[str, Reference], client: Any
) -> None:
    html = client.get(f"/literature/{topic.slug}/").content.decode()
    assert "Cree BA, Kornyeieva E, Goodin DS." in html
    assert "Ann Neurol. 2010;68:145–50." in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/20695007/"' in html
    assert 'href="https://doi.org/10.1002/ana.22006"' in html
    assert "Import references" not in html  # visitors read, reviewers import


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("species=rat", "Lyeth", "Cree"),
        ("design=rct", "Cree", "Lyeth"),
        ("year=1995", "Lyeth", "Cree"),
    ],
)
def test_the_library_filters_by_species_design_and_year(
    topic: Any, library: dict[str, Reference], client: Any, query: str, shown: str, hidden: str
) -> None:
    html = client.get(f"/literature/{topic.slug}/?{query}").content.decode()
    assert shown in html
    assert hidden not in html


def test_the_library_page_query_count_does_not_grow_with_the_library(
    world: Any,
    topic: Any,
    library: dict[str, Reference],
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(30):
        _add(topic, title=f"Extra reference {n}", year=2000 + n % 10, pmid=str(1000 + n))
    client = client_for(world.reviewer)
    with django_assert_max_num_queries(20):
        response = client.get(f"/literature/{topic.slug}/")
    assert response.status_code == 200


def test_an_unknown_topic_is_not_found(client: Any, db: Any) -> None:
    assert client.get("/literature/no-such-topic/").status_code == 404


ADD = {
    "kind": "article",
    "authors": "Silani V\nPerini M\nFayoumi ZM\nScarlato G",
    "title": "Naloxone of no benefit in amyotrophic lateral sclerosis",
    "journal": "Ann Neurol",
    "year": "1983",
    "volume": "13",
    "issue": "2",
    "pages": "222",
    "doi": "",
    "pmid": "6404210",
    "nct": "",
    "url": "",
    "species": "",
    "design": "",
}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),
        ("owner", 403),
        ("vet", 403),
        ("reviewer", 302),
        ("editor", 302),
    ],
)
def test_only_reviewers_add_references_by_hand(
    world: Any, topic: Any, client_for: Any, who: str, status: int
) -> None:
    response = client_for(world.by_name(who)).post(f"/literature/{topic.slug}/add/", ADD)
    assert response.status_code == status
    added = LibraryEntry.objects.filter(topic=topic, reference__pmid="6404210").exists()
    assert added is (who in ("reviewer", "editor"))


def test_a_reviewer_adds_a_reference_by_hand(world: Any, topic: Any, client_for: Any) -> None:
    response = client_for(world.reviewer).post(
        f"/literature/{topic.slug}/add/", {**ADD, "doi": "https://doi.org/10.1002/ANA.410130227"}
    )
    assert response.status_code == 302
    reference = Reference.objects.get(pmid="6404210")
    assert reference.authors == ["Silani V", "Perini M", "Fayoumi ZM", "Scarlato G"]
    assert reference.doi == "10.1002/ana.410130227"
    assert reference.source == "manual"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", "11.1002/x", "Not a DOI"),
        ("pmid", "PMID12a", "A PMID is digits only"),
        ("nct", "NCT123", "An NCT number is NCT followed by 8 digits"),
        ("title", "   ", "This field is required."),
        ("year", "20100", "less than or equal to 2100"),
    ],
)
def test_bad_identifiers_in_the_add_form_are_named_and_nothing_is_saved(
    world: Any, topic: Any, client_for: Any, field: str, value: str, message: str
) -> None:
    response = client_for(world.reviewer).post(
        f"/literature/{topic.slug}/add/", {**ADD, field: value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reference.objects.exists()


def test_adding_a_known_pmid_reuses_the_stored_reference(
    world: Any, topic: Any, dog_topic: Any, client_for: Any
) -> None:
    client = client_for(world.reviewer)
    client.post(f"/literature/{topic.slug}/add/", ADD)
    client.post(f"/literature/{dog_topic.slug}/add/", ADD)
    assert Reference.objects.count() == 1
    assert LibraryEntry.objects.count() == 2


# -- selectors for the reviews app -----------------------------------------------------------


def test_library_for_topic_returns_only_that_topics_references(
    topic: Any, dog_topic: Any, library: dict[str, Reference]
) -> None:
    from offlabel.web.literature.selectors import library_for_topic

    other = _add(dog_topic, title="Degenerative myelopathy in dogs", year=2009)
    assert set(library_for_topic(topic)) == set(library.values())
    assert list(library_for_topic(dog_topic)) == [other]


def test_reference_classification_keeps_stored_fields_and_files_model_evidence(
    library: dict[str, Reference],
) -> None:
    from offlabel.web.literature.selectors import reference_classification

    trial = reference_classification(library["cree"], "human")
    assert (trial.species, trial.design, trial.category) == ("human", "rct", "trials")
    in_dogs = reference_classification(library["cree"], "dog")
    assert in_dogs.category == "preclinical"  # a human trial is model evidence for dogs
    rat = reference_classification(library["lyeth"], "human")
    assert (rat.species, rat.design, rat.category) == ("rat", "animal_study", "preclinical")


def test_reference_classification_classifies_what_is_not_stored(topic: Any) -> None:
    from offlabel.web.literature.selectors import reference_classification

    reference = _add(
        topic,
        title="A randomized controlled trial of naltrexone in patients with ALS",
        mesh=["Humans", "Amyotrophic Lateral Sclerosis", "Naltrexone"],
        publication_types=["Randomized Controlled Trial", "Journal Article"],
    )
    result = reference_classification(reference, "human")
    assert (result.species, result.design, result.category) == ("human", "rct", "trials")
    assert result.reasons


# -- navigation and the literature index --------------------------------------------------------


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
def test_the_literature_link_is_for_reviewers_and_editors(
    world: Any, topic: Any, client_for: Any, who: str, sees: bool
) -> None:
    html = client_for(world.by_name(who)).get("/").content.decode()
    assert ('href="/literature/"' in html) is sees


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("patient", 403), ("reviewer", 200), ("editor", 200)]
)
def test_the_literature_index_lists_topics_with_library_sizes(
    world: Any, topic: Any, library: dict[str, Reference], client_for: Any, who: str, status: int
) -> None:
    response = client_for(world.by_name(who)).get("/literature/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert f'href="/literature/{topic.slug}/"' in html
        assert "<td>2</td>" in html
