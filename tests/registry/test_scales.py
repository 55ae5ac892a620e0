"""Scales as data: ALSFRS-R scoring (with 5a/5b), DM stage and gait, milestones, species."""

from pathlib import Path

import pytest

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.problems import ProblemCode, ScaleDefinitionError
from offlabel.registry.scales import (
    AlsfrsResult,
    ScaleKind,
    ScoreError,
    alsfrs_r_problems,
    check_total,
    get_scale,
    load_milestones,
    load_scale_file,
    milestones_for_species,
    scales_for_species,
    score_alsfrs_r,
)
from offlabel.registry.vocabulary import EventKind, ScaleKey

SCALE_DIR = Path(__file__).resolve().parents[2] / "src" / "offlabel" / "registry" / "definitions"


def items(default: int = 4, *, gastrostomy: bool = False, **overrides: int) -> dict[str, int]:
    scored = {str(n): default for n in range(1, 13) if n != 5}
    scored["5b" if gastrostomy else "5a"] = default
    scored.update({k.removeprefix("i"): v for k, v in overrides.items()})
    return scored


def test_alsfrs_r_all_normal_scores_48_with_full_subscores():
    assert score_alsfrs_r(items(4)) == AlsfrsResult(48, 12, 24, 12, gastrostomy=False)


def test_alsfrs_r_subscores_sum_bulbar_limb_and_respiratory_items():
    scored = items(4, i1=1, i2=2, i3=0, i4=3, i5a=2, i8=1, i10=3, i12=0)
    result = score_alsfrs_r(scored)
    assert (result.bulbar, result.limb, result.respiratory) == (3, 4 + 3 + 2 + 4 + 4 + 1 + 4 - 4, 7)
    assert result.total == result.bulbar + result.limb + result.respiratory == 28


def test_alsfrs_r_item_5b_counts_in_limb_subscore_and_flags_gastrostomy():
    result = score_alsfrs_r(items(4, gastrostomy=True, i5b=1))
    assert result.limb == 21
    assert result.gastrostomy is True


def test_alsfrs_r_refuses_both_5a_and_5b():
    scored = items(3) | {"5b": 2}
    with pytest.raises(ScoreError) as caught:
        score_alsfrs_r(scored)
    [problem] = caught.value.problems
    assert problem.code is ProblemCode.ITEM_CONFLICT
    assert "5a" in problem.message and "5b" in problem.message


def test_alsfrs_r_missing_item_5_names_5a_or_5b():
    scored = items(4)
    del scored["5a"]
    [problem] = alsfrs_r_problems(scored)
    assert problem.code is ProblemCode.ITEM_MISSING
    assert "5a or 5b" in problem.message


def test_alsfrs_r_missing_item_is_named():
    scored = items(4)
    del scored["11"]
    [problem] = alsfrs_r_problems(scored)
    assert problem.field == "item_11"
    assert "Breathlessness lying flat" in problem.message


def test_alsfrs_r_item_above_4_is_named_in_the_error():
    with pytest.raises(ScoreError) as caught:
        score_alsfrs_r(items(4, i7=5))
    [problem] = caught.value.problems
    assert problem.field == "item_7"
    assert problem.code is ProblemCode.OUT_OF_RANGE
    assert "item 7" in str(caught.value)


def test_alsfrs_r_negative_item_is_out_of_range():
    [problem] = alsfrs_r_problems(items(2, i3=-1))
    assert (problem.field, problem.code) == ("item_3", ProblemCode.OUT_OF_RANGE)


def test_alsfrs_r_non_integer_item_is_a_format_problem():
    scored: dict[str, object] = dict(items(2))
    scored["4"] = "3"
    [problem] = alsfrs_r_problems(scored)
    assert (problem.field, problem.code) == ("item_4", ProblemCode.BAD_FORMAT)


def test_alsfrs_r_unknown_item_is_named():
    [problem] = alsfrs_r_problems(items(2) | {"13": 2})
    assert (problem.field, problem.code) == ("item_13", ProblemCode.ITEM_UNKNOWN)


def test_check_total_accepts_the_sum_of_items():
    assert check_total(items(3), 36) == []


def test_check_total_reports_a_total_that_disagrees_with_items():
    [problem] = check_total(items(3), 35)
    assert problem.code is ProblemCode.TOTAL_MISMATCH
    assert "36" in problem.message


def test_every_alsfrs_r_item_words_each_level_0_to_4():
    scale = get_scale(ScaleKey.ALSFRS_R)
    assert [i.key for i in scale.items] == [
        "1", "2", "3", "4", "5a", "5b", "6", "7", "8", "9", "10", "11", "12"
    ]  # fmt: skip
    for item in scale.items:
        assert [level.score for level in item.levels] == [0, 1, 2, 3, 4]
        assert all(level.text for level in item.levels)
    assert (scale.minimum, scale.maximum) == (0, 48)


def test_dm_stage_has_levels_1_to_4_and_gait_0_to_6():
    stage, gait = get_scale("dm_stage"), get_scale("dm_gait")
    assert [lv.score for lv in stage.levels] == [1, 2, 3, 4]
    assert [lv.score for lv in gait.levels] == list(range(7))
    assert gait.kind is ScaleKind.LEVELS and gait.ambulatory_from == 4
    assert stage.level(4).text.startswith("Tetraplegia")


def test_scale_total_outside_range_is_a_problem():
    [problem] = get_scale(ScaleKey.DM_STAGE).total_problems(0)
    assert problem.code is ProblemCode.OUT_OF_RANGE
    assert get_scale(ScaleKey.DM_GAIT).total_problems(6) == []


def test_people_get_alsfrs_r_and_dogs_get_dm_stage_and_gait():
    assert [s.key for s in scales_for_species(TargetSpecies.HUMAN)] == [ScaleKey.ALSFRS_R]
    assert {s.key for s in scales_for_species("dog")} == {ScaleKey.DM_GAIT, ScaleKey.DM_STAGE}


def test_dog_milestones_include_thoracic_limbs_and_euthanasia_but_people_do_not():
    dog = {m.key for m in milestones_for_species(TargetSpecies.DOG)}
    human = {m.key for m in milestones_for_species(TargetSpecies.HUMAN)}
    ends = {EventKind.DEATH, EventKind.CENSORED}
    assert dog == {EventKind.NON_AMBULATORY, EventKind.THORACIC_LIMBS, EventKind.EUTHANASIA, *ends}
    assert human == {EventKind.NON_AMBULATORY, *ends, *ALS_CARE}


ALS_CARE = {EventKind.GASTROSTOMY, EventKind.NIV, EventKind.TRACHEOSTOMY}


def test_als_milestones_gastrostomy_ventilation_and_tracheostomy_do_not_end_follow_up():
    milestones = load_milestones()
    for kind in ALS_CARE:
        assert milestones[kind].species == {TargetSpecies.HUMAN}
        assert not milestones[kind].ends_follow_up and not kind.ends_follow_up


def test_malformed_scale_file_fails_loudly(tmp_path):
    text = (SCALE_DIR / "dm_stage.toml").read_text(encoding="utf-8")
    broken = tmp_path / "dm_stage.toml"
    broken.write_text(text.replace("\n4 = ", "\n5 = "), encoding="utf-8")
    with pytest.raises(ScaleDefinitionError, match=r"levels must be exactly 1\.\.4"):
        load_scale_file(broken)


def test_item_scale_whose_subscores_skip_an_item_fails_loudly(tmp_path):
    text = (SCALE_DIR / "alsfrs_r.toml").read_text(encoding="utf-8")
    broken = tmp_path / "alsfrs_r.toml"
    broken.write_text(text.replace("items = [10, 11, 12]", "items = [10, 11]"), encoding="utf-8")
    with pytest.raises(ScaleDefinitionError, match="subscores"):
        load_scale_file(broken)
