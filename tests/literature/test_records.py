import dataclasses

import pytest

from offlabel.literature.records import (
    Author,
    Deletion,
    MeshHeading,
    Record,
    normalize_doi,
    split_name,
)


def test_record_is_frozen():
    record = Record(title="T")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "other"  # type: ignore[misc]


def test_to_json_dict_lists_authors_as_lastname_initials_and_mesh_names():
    record = Record(
        title="T",
        pmid="1",
        authors=(Author("Cree", "BA"), Author("ALS Study Group")),
        mesh=(MeshHeading("D006801", "Humans", False),),
        abstract=(("METHODS", "We did it."), ("", "Plain.")),
    )
    data = record.to_json_dict()
    assert data["authors"] == ["Cree BA", "ALS Study Group"]
    assert data["mesh"] == ["Humans"]
    assert data["abstract"][0] == {"label": "METHODS", "text": "We did it."}
    assert record.abstract_text == "METHODS: We did it. Plain."


def test_deletion_is_marked_deleted_and_record_is_not():
    assert Deletion(pmid="5").deleted is True
    assert Record(title="x").deleted is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://doi.org/10.1002/ANA.22006", "10.1002/ana.22006"),
        ("doi:10.1/X", "10.1/x"),
        ("  ", None),
        (None, None),
    ],
)
def test_normalize_doi_strips_prefixes_and_lowercases(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize(
    ("name", "display"),
    [
        ("Cree, Bruce A. C.", "Cree BAC"),
        ("Goodin DS", "Goodin DS"),
        ("Douglas S. Goodin", "Goodin DS"),
        ("Nobile-Orazio, E", "Nobile-Orazio E"),
        ("Plato", "Plato"),
    ],
)
def test_split_name_reads_common_author_forms(name, display):
    assert split_name(name).display == display
