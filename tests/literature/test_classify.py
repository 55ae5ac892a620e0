import csv
from pathlib import Path

import pytest

import offlabel.literature
from offlabel.evidence.vocabulary import Category, Design, Species
from offlabel.literature.classify import classify, compile_text_rule, load_rules
from offlabel.literature.formats import parse_file
from offlabel.literature.records import MeshHeading, Record
from tests.support.shared_data import PUBMED_DATA, shared_file

LABELS = Path(offlabel.literature.__file__).parent / "labelled" / "medline16n0902.tsv"
MEDLINE_2016 = PUBMED_DATA / "medline16n0902.xml.gz"

# Measured on the 100 hand-labelled records when the rules were written: species 83/100,
# design 72/100; after the unknown-species and generic-publication-type rules (issue 12):
# species 83/100, design 71/100 (as before them). The floors sit just under, so a rule change
# that loses accuracy fails here.
SPECIES_FLOOR = 0.80
DESIGN_FLOOR = 0.68


def _mesh(*names):
    return tuple(MeshHeading("", name, False) for name in names)


def test_rules_file_uses_only_vocabulary_values():
    rules = load_rules()  # raises ValueError on an unknown species/design/category
    assert rules.species_mesh["Dogs"] is Species.DOG


def test_text_rules_match_case_insensitively_and_refuse_what_re2_cannot_run():
    rule = compile_text_rule(r"\b(dogs?|beagles?)\b")
    assert len(rule.findall("Two Beagles and a DOG; hotdogs do not count")) == 2
    # a back-reference (or look-around) could take exponential time: RE2 refuses it
    with pytest.raises(ValueError, match=r"\[\[species.text\]\]: cannot compile"):
        compile_text_rule(r"(a+)\1", "[[species.text]]")


def test_randomised_trial_in_people_feeds_trials():
    record = Record(
        title="Low dose naltrexone in ALS",
        publication_types=("Journal Article", "Randomized Controlled Trial"),
        mesh=_mesh("Humans", "Amyotrophic Lateral Sclerosis"),
    )
    result = classify(record, "human")
    assert (result.species, result.design, result.category) == (
        Species.HUMAN,
        Design.RCT,
        Category.TRIALS,
    )
    assert any("Randomized Controlled Trial" in reason for reason in result.reasons)


def test_mouse_study_feeds_preclinical_for_a_human_topic():
    record = Record(title="Naltrexone in SOD1 mice", mesh=_mesh("Animals", "Mice, Transgenic"))
    result = classify(record, "human")
    assert (result.species, result.design, result.category) == (
        Species.MOUSE,
        Design.ANIMAL_STUDY,
        Category.PRECLINICAL,
    )


def test_human_case_report_feeds_preclinical_for_a_dog_topic():
    record = Record(title="A case", publication_types=("Case Reports",), mesh=_mesh("Humans"))
    assert classify(record, "human").category is Category.CASES
    assert classify(record, "dog").category is Category.PRECLINICAL


def test_dog_case_series_from_text_alone():
    record = Record(
        title="Low dose naltrexone in dogs with degenerative myelopathy: a case series",
        abstract=(("", "Twelve dogs were treated."),),
    )
    result = classify(record, "dog")
    assert (result.species, result.design, result.category) == (
        Species.DOG,
        Design.CASE_SERIES,
        Category.CASES,
    )


def test_cultured_cells_are_in_vitro_cell_studies():
    record = Record(title="Opioid receptors in microglia", mesh=_mesh("Cells, Cultured", "Humans"))
    result = classify(record)
    assert (result.species, result.design, result.category) == (
        Species.IN_VITRO,
        Design.CELL_STUDY,
        Category.MECHANISM,
    )


def test_adverse_effects_title_points_to_risks():
    record = Record(title="Hepatotoxicity of naltrexone", publication_types=("Case Reports",))
    assert classify(record).category is Category.RISKS


def test_nothing_known_gives_none():
    result = classify(Record(title="Electronic plants"))
    assert (result.species, result.design, result.category) == (None, None, None)


@pytest.fixture(scope="module")
def labelled():
    # real MEDLINE records (../shared): the accuracy tests skip on a lone clone
    records = {r.pmid: r for r in parse_file(shared_file(MEDLINE_2016)).records}
    with LABELS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return records, rows


def test_labelled_sample_is_100_real_records(labelled):
    records, rows = labelled
    assert len(rows) == 100
    assert all(row["pmid"] in records for row in rows)
    assert all(row["note"] for row in rows)


def test_classifier_accuracy_on_labelled_sample(labelled):
    records, rows = labelled
    species_hits = design_hits = 0
    for row in rows:
        result = classify(records[row["pmid"]])
        species_hits += (result.species.value if result.species else "") == row["species"]
        design_hits += (result.design.value if result.design else "") == row["design"]
    species_accuracy = species_hits / len(rows)
    design_accuracy = design_hits / len(rows)
    print(
        f"\nclassifier accuracy on {len(rows)} labelled records: "
        f"species {species_accuracy:.0%}, design {design_accuracy:.0%}"
    )
    assert species_accuracy >= SPECIES_FLOOR
    assert design_accuracy >= DESIGN_FLOOR
