"""The one name parser every reader shares (offlabel.literature.names)."""

import pytest

from offlabel.literature.names import author_from_parts, initials_of, is_organisation, parse_name


@pytest.mark.parametrize(
    ("raw", "display"),
    [
        # surname first, initials without dots
        ("Cree, Bruce A. C.", "Cree BAC"),
        ("Cree BA", "Cree BA"),
        ("Bruce A. C. Cree", "Cree BAC"),
        ("Goodin DS", "Goodin DS"),
        # Embase/Ovid: surname then dotted initials
        ("Liu R.", "Liu R"),
        ("Adler D.G.", "Adler DG"),
        ("Eloubeidi M.A.", "Eloubeidi MA"),
        ("Nobile-Orazio, E", "Nobile-Orazio E"),
        ("Jean-Paul Sartre", "Sartre JP"),
        # particles kept with the surname
        ("Rogério de Paula", "de Paula R"),
        ("de Paula R", "de Paula R"),
        ("van Kirk, J", "van Kirk J"),
        ("Ludwig van Beethoven", "van Beethoven L"),
        ("Channon Smith JY", "Channon Smith JY"),
        # degrees and suffixes dropped
        ("Jane Doe, MD", "Doe J"),
        ("Jane Doe, M.D., Ph.D.", "Doe J"),
        ("Jane Doe PhD", "Doe J"),
        ("Smith, John, Jr.", "Smith J"),
        ("Doe, MD", "Doe MD"),  # a surname and initials, not a degree
        # organisations and roles kept whole, never made into people
        ("ALS Study Group", "ALS Study Group"),
        ("Bayer Study Director", "Bayer Study Director"),
        ("World Health Organization", "World Health Organization"),
        (
            "National Collaborating Centre for Chronic Conditions (UK)",
            "National Collaborating Centre for Chronic Conditions (UK)",
        ),
        ("Plato", "Plato"),
        ("", ""),
    ],
)
def test_names_read_the_way_vancouver_prints_them(raw, display):
    assert parse_name(raw).display == display


def test_organisations_and_people_are_told_apart():
    assert is_organisation("Medical Director, Clinical Trials")
    assert is_organisation("Invented ALS Study Group")
    assert not is_organisation("Jane Doe, MD")
    assert not is_organisation("Rogério de Paula")


def test_parts_from_a_bibtex_splitter_keep_particles_and_drop_degrees():
    author = author_from_parts(first=["Rogério", "de"], von=[], last=["Paula"])
    assert author.display == "de Paula R"
    assert author_from_parts(first=["W.M.P."], von=["van", "der"], last=["Aalst"]).display == (
        "van der Aalst WMP"
    )


def test_initials():
    assert initials_of("Bruce A. C.") == "BAC"
    assert initials_of("Jean-Paul") == "JP"
    assert initials_of("BA") == "BA"
