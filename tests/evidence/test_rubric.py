"""Loading and validating rubric files."""

from __future__ import annotations

import dataclasses
import re
from importlib import resources

import pytest

from offlabel.evidence.rubric import (
    AllOf,
    Count,
    Otherwise,
    Rubric,
    RubricError,
    default_rubric,
    load_rubric,
    parse_rubric,
)
from offlabel.evidence.vocabulary import Category, Design, Grade

DEFAULT_TEXT = (
    resources.files("offlabel.evidence.rubrics").joinpath("default-v1.toml").read_text("utf-8")
)
HEADER, *BLOCKS = DEFAULT_TEXT.split("[[level]]")


def block_of(category: str, grade: str) -> str:
    (found,) = [b for b in BLOCKS if f'category = "{category}"\ngrade = "{grade}"' in b]
    return found


def rubric_text(blocks: list[str]) -> str:
    return HEADER + "".join("[[level]]" + b for b in blocks)


def test_default_rubric_has_every_level_of_every_category():
    rubric = default_rubric()
    assert isinstance(rubric, Rubric)
    assert rubric.version == "default-v1"
    for category in Category:
        ladder = rubric.ladder(category)
        assert [lv.grade for lv in ladder] == [Grade.A, Grade.B, Grade.C, Grade.D, Grade.F, Grade.U]
        for level in ladder:
            assert level.description.strip()
            assert level.id == f"{category.value}.{level.grade.value}"
        assert isinstance(rubric.rule(category, "U"), Otherwise)


def test_default_rubric_carries_the_issue_anchors():
    rubric = default_rubric()
    assert "target species" in rubric.description("mechanism", "A")
    assert rubric.description("preclinical", "A").startswith("Two or more peer-reviewed")
    assert "flawed trial" in rubric.description("trials", "D")
    rule = rubric.rule("preclinical", "A")
    assert isinstance(rule, AllOf)
    first = rule.conditions[0]
    assert isinstance(first, Count) and first.min_count == 2


def test_scopes_limit_trials_to_trial_designs():
    scope = default_rubric().scope(Category.TRIALS)
    assert scope.design == frozenset(
        {Design.RCT, Design.CONTROLLED_TRIAL, Design.UNCONTROLLED_TRIAL, Design.COHORT}
    )
    assert default_rubric().scope("risks").describe() == "any item"


def test_rubric_is_immutable():
    rubric = default_rubric()
    with pytest.raises(dataclasses.FrozenInstanceError):
        rubric.version = "hacked"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rubric.levels[0].description = "hacked"  # type: ignore[misc]


def test_load_rubric_reads_a_path_and_defaults_without_one(tmp_path):
    path = tmp_path / "copy.toml"
    path.write_text(DEFAULT_TEXT.replace('"default-v1"', '"local-2"'), encoding="utf-8")
    assert load_rubric(path).version == "local-2"
    assert load_rubric().version == "default-v1"


def test_a_rubric_file_that_cannot_be_read_is_named(tmp_path):
    with pytest.raises(RubricError, match=r"nope\.toml: cannot read the rubric file"):
        load_rubric(tmp_path / "nope.toml")


def test_describe_says_the_rule_in_words():
    text = default_rubric().rule("trials", "F").describe()
    assert text == "at least 1 item(s) with direction=harm|no_benefit"


# -- rejected files ----------------------------------------------------------------------------


def reject(text: str, message: str) -> None:
    with pytest.raises(RubricError, match=re.escape(message)):
        parse_rubric(text, source="bad.toml")


def test_a_missing_level_is_rejected_naming_the_category_and_level():
    blocks = [b for b in BLOCKS if b != block_of("trials", "C")]
    reject(rubric_text(blocks), "bad.toml: category trials: level C missing")


def test_a_category_without_levels_is_rejected():
    blocks = [b for b in BLOCKS if 'category = "risks"' not in b]
    reject(rubric_text(blocks), "category risks: level A, B, C, D, F, U missing")


def test_two_rules_at_the_same_level_are_rejected_as_ambiguous():
    blocks = [*BLOCKS, block_of("cases", "B")]
    reject(
        rubric_text(blocks),
        "level entry 31 (cases.B): two rules firing at the same level: entry 14 is also cases.B",
    )


def test_an_unknown_filter_field_is_rejected_naming_the_entry():
    bad = block_of("trials", "D").replace('direction = ["benefit", "mixed"]', 'outcome = "good"')
    blocks = [bad if b == block_of("trials", "D") else b for b in BLOCKS]
    reject(
        rubric_text(blocks), "level entry 22 (trials.D), when.all[0].where: unknown field 'outcome'"
    )


def test_an_unknown_value_is_rejected_with_the_allowed_values():
    old = block_of("preclinical", "B")
    bad = old.replace('direction = "benefit"', 'direction = "helpful"', 1)
    blocks = [bad if b == old else b for b in BLOCKS]
    reject(
        rubric_text(blocks),
        "(preclinical.B), when.all[0].where.direction: unknown direction 'helpful' "
        "(expected one of benefit, no_benefit, harm, mixed)",
    )


def test_an_unknown_category_is_rejected():
    old = block_of("risks", "A")
    blocks = [
        old.replace('category = "risks"', 'category = "cost"') if b == old else b for b in BLOCKS
    ]
    reject(rubric_text(blocks), "level entry 25 (cost.A): unknown category 'cost'")


def test_an_unknown_entry_key_is_rejected():
    old = block_of("mechanism", "A")
    blocks = [
        old.replace("description =", "note = 1\ndescription =") if b == old else b for b in BLOCKS
    ]
    reject(rubric_text(blocks), "level entry 1 (mechanism.A): unknown field 'note'")


def test_invalid_toml_is_rejected_with_its_line():
    lines = DEFAULT_TEXT.splitlines()
    lines.insert(99, "this is = = not toml")
    with pytest.raises(RubricError, match=r"bad\.toml: not valid TOML: .*line 100"):
        parse_rubric("\n".join(lines), source="bad.toml")


@pytest.mark.parametrize(
    ("level_toml", "message"),
    [
        ("when = { otherwise = true }", "(trials.A): 'otherwise' is only allowed at level U"),
        (
            "when = { min_count = 3, max_count = 1 }",
            "'min_count' (3) is greater than 'max_count' (1)",
        ),
        ('when = { min_count = "two" }', "'min_count' must be a whole number >= 0"),
        ('when = { where = { quality = "flawed" } }', "a count needs 'min_count', 'max_count'"),
        ("when = { all = [] }", "'all' must be a non-empty list of rules"),
        ("when = { any = [ { min_count = 1 } ], min_count = 1 }", "cannot combine any, min_count"),
        (
            'when = { min_count = 1, where = { verified = "yes" } }',
            "where.verified: must be true or false",
        ),
        (
            "when = { min_count = 1, where = { design = [] } }",
            "where.design: an empty list matches nothing",
        ),
        ("when = { sometimes = true }", "unknown field 'sometimes'"),
    ],
)
def test_malformed_rules_are_rejected_naming_the_entry(level_toml, message):
    old = block_of("trials", "A")
    start = old.index("when =")
    bad = old[:start] + level_toml + "\n\n"
    blocks = [bad if b == old else b for b in BLOCKS]
    with pytest.raises(RubricError, match=re.escape(message)) as info:
        parse_rubric(rubric_text(blocks), source="bad.toml")
    assert "level entry 19 (trials.A)" in str(info.value)


def test_the_u_level_must_be_the_fallback():
    old = block_of("cases", "U")
    bad = old.replace("{ otherwise = true }", "{ min_count = 1 }")
    blocks = [bad if b == old else b for b in BLOCKS]
    reject(rubric_text(blocks), "(cases.U): the U level must be 'when = { otherwise = true }'")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("schema = 1", "schema = 2", "top level: 'schema' must be 1 (got 2)"),
        ('version = "default-v1"', 'version = ""', "'version' must be a non-empty string"),
        ("schema = 1", "schema = 1\nauthor = 'x'", "top level: unknown field 'author'"),
        ("[scope.trials]", "[scope.costs]", "scope.costs: unknown category 'costs'"),
    ],
)
def test_bad_top_level_settings_are_rejected(old, new, message):
    reject(DEFAULT_TEXT.replace(old, new, 1), message)


def test_a_file_without_levels_is_rejected():
    reject(HEADER, "top level: needs [[level]] entries")
