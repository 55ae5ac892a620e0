"""Suggested grades: every level of every category of the default rubric, and the invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offlabel.evidence.grading import (
    EvidenceError,
    EvidenceItem,
    Suggestion,
    items_from_records,
    suggest_grades,
)
from offlabel.evidence.rubric import default_rubric
from offlabel.evidence.vocabulary import (
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Relation,
    Species,
    TargetSpecies,
)

WD, FL = "well_designed", "flawed"


def ev(
    category: str,
    design: str,
    quality: str,
    direction: str,
    *,
    species: str = "human",
    target: str = "human",
    verified: bool = False,
    n: int | None = None,
) -> EvidenceItem:
    return EvidenceItem(
        category=Category(category),
        species=Species(species),
        target_species=TargetSpecies(target),
        design=Design(design),
        quality=Quality(quality),
        direction=Direction(direction),
        verified=verified,
        n=n,
    )


# (category, expected grade, items, indices the firing rule should report)
LEVELS = [
    # Mechanism
    ("mechanism", "A", [ev("mechanism", "mechanistic_study", WD, "benefit")], (0,)),
    ("mechanism", "B", [ev("mechanism", "animal_study", WD, "benefit", species="mouse")], (0,)),
    (
        "mechanism",
        "C",
        [
            ev("mechanism", "animal_study", WD, "benefit", species="rat"),
            ev("mechanism", "animal_study", WD, "no_benefit", species="rat"),
        ],
        (0, 1),
    ),
    ("mechanism", "D", [ev("mechanism", "cell_study", FL, "benefit", species="in_vitro")], (0,)),
    ("mechanism", "F", [ev("mechanism", "mechanistic_study", WD, "no_benefit")], (0,)),
    ("mechanism", "U", [ev("mechanism", "review", WD, "benefit")], ()),
    # Pre-clinical
    (
        "preclinical",
        "A",
        [
            ev("preclinical", "animal_study", WD, "benefit", species="mouse"),
            ev("preclinical", "animal_study", WD, "benefit", species="rat"),
        ],
        (0, 1),
    ),
    ("preclinical", "B", [ev("preclinical", "animal_study", WD, "benefit", species="mouse")], (0,)),
    (
        "preclinical",
        "C",
        [
            ev("preclinical", "animal_study", FL, "benefit", species="mouse"),
            ev("preclinical", "cell_study", FL, "benefit", species="in_vitro"),
        ],
        (0, 1),
    ),
    ("preclinical", "D", [ev("preclinical", "animal_study", FL, "mixed", species="rat")], (0,)),
    ("preclinical", "F", [ev("preclinical", "animal_study", WD, "harm", species="rat")], (0,)),
    ("preclinical", "U", [ev("preclinical", "systematic_review", WD, "benefit")], ()),
    # Cases (target species: people with ALS)
    (
        "cases",
        "A",
        [
            ev("cases", "case_report", WD, "benefit", verified=True),
            ev("cases", "case_report", WD, "benefit", verified=True),
        ],
        (0, 1),
    ),
    ("cases", "B", [ev("cases", "case_series", WD, "benefit", verified=True)], (0,)),
    ("cases", "C", [ev("cases", "case_report", FL, "benefit", verified=True)], (0,)),
    ("cases", "D", [ev("cases", "patient_reported", FL, "mixed", n=15)], (0,)),
    ("cases", "F", [ev("cases", "case_report", WD, "harm", verified=True)], (0,)),
    ("cases", "U", [ev("cases", "case_report", WD, "benefit", species="dog", verified=True)], ()),
    # Trials
    (
        "trials",
        "A",
        [
            ev("trials", "rct", WD, "benefit", verified=True),
            ev("trials", "controlled_trial", WD, "benefit", verified=True),
        ],
        (0, 1),
    ),
    ("trials", "B", [ev("trials", "rct", WD, "benefit", verified=False)], (0,)),
    ("trials", "C", [ev("trials", "uncontrolled_trial", WD, "benefit", verified=True)], (0,)),
    ("trials", "D", [ev("trials", "uncontrolled_trial", FL, "benefit", n=12)], (0,)),
    ("trials", "F", [ev("trials", "rct", WD, "no_benefit", verified=True)], (0,)),
    ("trials", "U", [ev("trials", "rct", WD, "benefit", species="dog", verified=True)], ()),
    # Risks
    (
        "risks",
        "A",
        [
            ev("risks", "rct", WD, "no_benefit", verified=True),
            ev("risks", "cohort", WD, "benefit"),
        ],
        (0, 1),
    ),
    (
        "risks",
        "B",
        [ev("risks", "rct", WD, "benefit"), ev("risks", "patient_reported", FL, "mixed")],
        (0,),
    ),
    ("risks", "C", [ev("risks", "patient_reported", FL, "mixed", n=7)], (0,)),
    ("risks", "D", [ev("risks", "patient_reported", FL, "harm")], (0,)),
    ("risks", "F", [ev("risks", "cohort", WD, "harm", verified=True)], (0,)),
    ("risks", "U", [], ()),
]


@pytest.mark.parametrize(
    ("category", "grade", "items", "counted"),
    LEVELS,
    ids=[f"{c}.{g}" for c, g, _, _ in LEVELS],
)
def test_every_level_of_every_category_is_reached(category, grade, items, counted):
    suggestion = suggest_grades(items)[Category(category)]
    assert suggestion.grade is Grade(grade)
    assert suggestion.rule == f"{category}.{grade}"
    assert suggestion.items == counted
    assert suggestion.description == default_rubric().description(category, grade)


def test_the_table_covers_all_thirty_levels():
    assert {(c, g) for c, g, _, _ in LEVELS} == {
        (c.value, g.value) for c in Category for g in Grade
    }


def test_no_evidence_suggests_u_everywhere():
    suggestions = suggest_grades([])
    assert list(suggestions) == list(Category)
    assert {s.grade for s in suggestions.values()} == {Grade.U}


# -- anchors from the issue --------------------------------------------------------------------


def test_mechanism_a_needs_the_target_species():
    dog_in_als = ev("mechanism", "mechanistic_study", WD, "benefit", species="dog")
    human_in_als = ev("mechanism", "mechanistic_study", WD, "benefit")
    assert suggest_grades([dog_in_als])[Category.MECHANISM].grade is Grade.B
    assert suggest_grades([human_in_als])[Category.MECHANISM].grade is Grade.A


def test_one_well_designed_negative_study_outweighs_flawed_trials_reporting_benefit():
    items = [
        ev("trials", "uncontrolled_trial", FL, "benefit"),
        ev("trials", "uncontrolled_trial", FL, "benefit"),
        ev("trials", "rct", WD, "no_benefit", verified=True),
    ]
    suggestion = suggest_grades(items)[Category.TRIALS]
    assert (suggestion.grade, suggestion.items) == (Grade.F, (2,))


def test_several_flawed_trials_reporting_benefit_stay_at_d():
    items = [ev("trials", "uncontrolled_trial", FL, "benefit", verified=True) for _ in range(3)]
    assert suggest_grades(items)[Category.TRIALS].grade is Grade.D


def test_flawed_trials_that_all_found_nothing_grade_f():
    # The 1983 naloxone pilot: two people, no apparent benefit.
    items = [ev("trials", "uncontrolled_trial", FL, "no_benefit", n=2)]
    assert suggest_grades(items)[Category.TRIALS].grade is Grade.F


def test_dog_trial_in_an_als_review_counts_as_preclinical_not_trials():
    items = [ev("trials", "rct", WD, "benefit", species="dog", verified=True)]
    suggestions = suggest_grades(items)
    assert suggestions[Category.TRIALS].grade is Grade.U
    assert suggestions[Category.PRECLINICAL].grade is Grade.B
    assert suggestions[Category.PRECLINICAL].items == (0,)


def test_human_trial_in_a_dm_review_counts_as_preclinical_and_dog_cases_as_cases():
    items = [
        ev("trials", "rct", WD, "benefit", species="human", target="dog", verified=True),
        ev("cases", "case_series", FL, "benefit", species="dog", target="dog", n=24),
    ]
    suggestions = suggest_grades(items)
    assert suggestions[Category.TRIALS].grade is Grade.U
    assert suggestions[Category.PRECLINICAL].items == (0,)
    assert suggestions[Category.CASES].grade is Grade.D
    assert suggestions[Category.CASES].items == (1,)


def test_items_outside_a_categorys_scope_are_not_usable():
    items = [ev("trials", "review", WD, "benefit"), ev("trials", "case_report", WD, "benefit")]
    suggestion = suggest_grades(items)[Category.TRIALS]
    assert suggestion.grade is Grade.U
    assert suggestion.considered == ()


def test_risks_harm_in_another_species_only_raises_concern_d():
    items = [ev("risks", "animal_study", WD, "harm", species="rat", verified=True)]
    assert suggest_grades(items)[Category.RISKS].grade is Grade.D


def test_suggestion_as_dict_is_the_cli_shape():
    suggestion = suggest_grades([ev("trials", "uncontrolled_trial", FL, "benefit")])["trials"]
    assert isinstance(suggestion, Suggestion)
    assert suggestion.as_dict() == {"grade": "D", "rule": "trials.D", "items": [0]}
    assert suggestion.rubric_version == "default-v1"


# -- evidence records --------------------------------------------------------------------------

GOOD = {
    "category": "trials",
    "species": "human",
    "target_species": "human",
    "design": "rct",
    "quality": "well_designed",
    "direction": "benefit",
    "verified": True,
    "n": 40,
}


def test_from_dict_reads_a_record_and_round_trips():
    item = EvidenceItem.from_dict({**GOOD, "ref": 7, "label": "Smith 2010"})
    assert item.design is Design.RCT and item.relation is Relation.TARGET
    assert item.ref == "7"
    assert EvidenceItem.from_dict(item.to_dict()) == item


def test_n_may_be_missing_or_null():
    assert EvidenceItem.from_dict({k: v for k, v in GOOD.items() if k != "n"}).n is None
    assert EvidenceItem.from_dict({**GOOD, "n": None}).n is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"species": "cat"}, "item 3, field 'species': 'cat' is not one of human, dog"),
        ({"direction": "good"}, "item 3, field 'direction': 'good' is not one of"),
        ({"target_species": "mouse"}, "item 3, field 'target_species': 'mouse'"),
        ({"verified": "yes"}, "item 3, field 'verified': must be true or false"),
        ({"n": -1}, "item 3, field 'n': must be a whole number"),
        ({"n": 2.5}, "item 3, field 'n': must be a whole number"),
        ({"n": True}, "item 3, field 'n': must be a whole number"),
        ({"qualty": "flawed"}, "item 3, field 'qualty': unknown key"),
        ({"ref": ["x"]}, "item 3, field 'ref': must be a string"),
    ],
)
def test_bad_records_name_the_index_and_field(change, message):
    with pytest.raises(EvidenceError, match="^" + message.replace("(", r"\(")) as info:
        EvidenceItem.from_dict({**GOOD, **change}, index=3)
    assert info.value.index == 3


def test_a_missing_key_is_named():
    record = {k: v for k, v in GOOD.items() if k != "quality"}
    with pytest.raises(EvidenceError, match="item 0, field 'quality': missing"):
        items_from_records([record])


def test_records_must_be_a_list_of_objects():
    with pytest.raises(EvidenceError, match="expected a list of evidence items, got an object"):
        items_from_records({"items": []})
    with pytest.raises(EvidenceError, match="item 1: expected an object"):
        items_from_records([GOOD, "rct"])


def test_constructing_an_item_with_strings_coerces_to_the_vocabulary():
    item = EvidenceItem("cases", "dog", "human", "case_report", "flawed", "benefit", False)  # type: ignore[arg-type]
    assert item.category is Category.CASES and item.counts_as is Category.PRECLINICAL
    with pytest.raises(ValueError, match="'goat' is not a valid Species"):
        EvidenceItem("cases", "goat", "human", "case_report", "flawed", "benefit", False)  # type: ignore[arg-type]


# -- properties --------------------------------------------------------------------------------

items_strategy = st.builds(
    EvidenceItem,
    category=st.sampled_from(Category),
    species=st.sampled_from(Species),
    target_species=st.sampled_from(TargetSpecies),
    design=st.sampled_from(Design),
    quality=st.sampled_from(Quality),
    direction=st.sampled_from(Direction),
    verified=st.booleans(),
    n=st.none() | st.integers(min_value=0, max_value=10_000),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(items_strategy, max_size=25))
def test_suggest_grades_never_raises_and_is_consistent(items):
    suggestions = suggest_grades(items)
    assert list(suggestions) == list(Category)
    for category, s in suggestions.items():
        assert s.rule == f"{category.value}.{s.grade.value}"
        assert set(s.items) <= set(s.considered)
        assert all(items[i].counts_as is category for i in s.considered)
        if category in (Category.CASES, Category.TRIALS):
            assert all(items[i].relation is Relation.TARGET for i in s.considered)
        # In the default rubric every direction of usable evidence earns a letter: U means
        # exactly "nothing usable".
        assert (s.grade is Grade.U) == (not s.considered)


NON_RISK = [c for c in Category if c is not Category.RISKS]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(items_strategy, max_size=12),
    st.sampled_from(NON_RISK),
    items_strategy,
    st.sampled_from([Direction.NO_BENEFIT, Direction.HARM]),
)
def test_well_designed_evidence_against_never_raises_a_letter_grade(
    items, category, extra, against
):
    added = EvidenceItem(
        category,
        extra.species,
        extra.target_species,
        extra.design,
        Quality.WELL_DESIGNED,
        against,
        extra.verified,
        extra.n,
    )
    before = suggest_grades(items)[category].grade
    after = suggest_grades([*items, added])[category].grade
    if before.rank is not None and after.rank is not None:
        assert after.rank >= before.rank


@settings(max_examples=200, deadline=None)
@given(st.lists(items_strategy, max_size=12), st.sampled_from(NON_RISK), items_strategy)
def test_well_designed_evidence_of_benefit_never_lowers_a_letter_grade(items, category, extra):
    added = EvidenceItem(
        category,
        extra.species,
        extra.target_species,
        extra.design,
        Quality.WELL_DESIGNED,
        Direction.BENEFIT,
        extra.verified,
        extra.n,
    )
    before = suggest_grades(items)[category].grade
    after = suggest_grades([*items, added])[category].grade
    if before.rank is not None and after.rank is not None:
        assert after.rank <= before.rank


def test_ldn_for_als_evidence_from_alsuntangled_8_grades_plausibly():
    """The evidence of ALSUntangled No. 8 (LDN for ALS), entered as items.

    Naloxone protected motor neurons in rat brain injury, but rat stroke studies conflict;
    no ALS model studies; 15 online-community members rated LDN (mixed, unverifiable);
    one 1983 naloxone pilot in two people found no benefit; naltrexone's label warns of
    liver injury at full dose, and community members reported minor side effects.
    """
    items = [
        ev("mechanism", "review", WD, "benefit"),
        ev("mechanism", "animal_study", WD, "benefit", species="rat"),
        ev("mechanism", "animal_study", WD, "harm", species="rat"),
        ev("cases", "patient_reported", FL, "mixed", n=15),
        ev("trials", "uncontrolled_trial", FL, "no_benefit", n=2),
        ev("risks", "review", WD, "harm", verified=False),
        ev("risks", "patient_reported", FL, "mixed", n=31),
    ]
    grades = {c.value: s.grade.value for c, s in suggest_grades(items).items()}
    assert grades == {
        "mechanism": "C",
        "preclinical": "U",
        "cases": "D",
        "trials": "F",
        "risks": "D",
    }


def test_a_well_documented_case_against_never_lifts_an_unverified_anecdote() -> None:
    """Found by the property above: one well-designed but unverified benefit case (D, an
    anecdote) and a well-designed case of no benefit were read as "well-documented cases
    disagree" (C), so the evidence against raised the grade. Well-documented means verified."""

    def case(direction: Direction, verified: bool) -> EvidenceItem:
        return EvidenceItem(
            Category.CASES, Species.HUMAN, TargetSpecies.HUMAN, Design.COHORT,
            Quality.WELL_DESIGNED, direction, verified, None,
        )  # fmt: skip

    anecdote = case(Direction.BENEFIT, verified=False)
    against = case(Direction.NO_BENEFIT, verified=False)
    assert suggest_grades([anecdote])[Category.CASES].grade is Grade.D
    assert suggest_grades([anecdote, against])[Category.CASES].grade is Grade.F
    documented = case(Direction.BENEFIT, verified=True)
    assert suggest_grades([documented])[Category.CASES].grade is Grade.B
    assert suggest_grades([documented, against])[Category.CASES].grade is Grade.C
