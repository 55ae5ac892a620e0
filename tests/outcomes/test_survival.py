"""Time to event: checked against lifelines and against published R output (Rossi data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.utils import median_survival_times

from offlabel.outcomes.survival import SurvivalAnalysis, survival_table
from offlabel.registry.frames import RegistryFrames
from tests.outcomes.builders import frames_of, survival_frames

# lifelines, called directly below as the reference, uses pandas APIs pandas 3 flags
pytestmark = pytest.mark.filterwarnings("ignore:Starting with pandas version 4.0")


@pytest.fixture(scope="module")
def waltons() -> pd.DataFrame:
    return load_waltons()


@pytest.fixture(scope="module")
def waltons_result(waltons: pd.DataFrame):  # type: ignore[no-untyped-def]
    frames = frames_of(**survival_frames(waltons["T"], waltons["E"], waltons["group"] == "miR-137"))
    return SurvivalAnalysis("LDN", landmark_days=20).fit(frames).result_


def test_kaplan_meier_medians_and_intervals_match_lifelines(waltons, waltons_result) -> None:  # type: ignore[no-untyped-def]
    for group, name in (("miR-137", "treated"), ("control", "untreated")):
        chosen = waltons[waltons["group"] == group]
        kmf = KaplanMeierFitter().fit(chosen["T"], chosen["E"])
        ours = waltons_result.groups[name]
        assert ours.n == len(chosen)
        assert ours.events == int(chosen["E"].sum())
        assert ours.median_days == kmf.median_survival_time_
        low, high = np.asarray(median_survival_times(kmf.confidence_interval_)).ravel()
        assert ours.median_ci == (low, high)
        assert np.allclose(ours.curve["survival"], kmf.survival_function_.iloc[:, 0])


def test_naive_ever_never_groups_carry_no_test_or_hazard_ratio(waltons_result) -> None:  # type: ignore[no-untyped-def]
    """Finding 1: the ever- vs never-treated comparison is a description, never a p-value."""
    payload = waltons_result.to_dict()
    assert "logrank_p" not in payload and "cox" not in payload
    for group in payload["groups"].values():
        assert set(group) == {"n", "events", "median_days", "median_ci"}
    assert payload["groups_are"].startswith("description only")


def _rossi_frames() -> RegistryFrames:
    rossi = load_rossi()
    extra = rossi[["age", "race", "wexp", "mar", "paro", "prio"]].copy()
    return frames_of(
        **survival_frames(
            rossi["week"], rossi["arrest"], rossi["fin"] == 1, extra=extra, days_per_unit=7
        )
    )


def test_cox_reproduces_published_r_output_on_rossi() -> None:
    """R: coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio, data=Rossi)
    gives fin coef -0.3794 (se 0.1914, p 0.047), age -0.0574, prio 0.0915 (Fox & Weisberg,
    "Cox proportional-hazards regression for survival data in R", appendix to An R Companion
    to Applied Regression)."""
    analysis = SurvivalAnalysis(
        "ldn", covariates=["age", "race", "wexp", "mar", "paro", "prio"]
    ).fit(_rossi_frames())
    cox = analysis.result_.primary
    assert cox is not None
    table = cox.table
    assert table.loc["treated", "coef"] == pytest.approx(-0.3794, abs=5e-4)
    assert table.loc["treated", "se(coef)"] == pytest.approx(0.1914, abs=5e-4)
    assert cox.p == pytest.approx(0.047, abs=1e-3)
    assert table.loc["age", "coef"] == pytest.approx(-0.0574, abs=5e-4)
    assert table.loc["prio", "coef"] == pytest.approx(0.0915, abs=5e-4)
    assert cox.hr == pytest.approx(np.exp(-0.3794), abs=1e-3)


def test_cox_matches_lifelines_coxph_on_rossi() -> None:
    rossi = load_rossi()
    reference = CoxPHFitter().fit(rossi, "week", "arrest").summary
    ours = (
        SurvivalAnalysis("ldn", covariates=["age", "race", "wexp", "mar", "paro", "prio"])
        .fit(_rossi_frames())
        .result_.primary
    )
    assert ours is not None
    assert ours.ci_low == pytest.approx(reference.loc["fin", "exp(coef) lower 95%"], rel=1e-6)
    assert ours.ci_high == pytest.approx(reference.loc["fin", "exp(coef) upper 95%"], rel=1e-6)


def _late_starters(seed: int, n: int = 600) -> dict[str, pd.DataFrame]:
    """A therapy with no effect that people start late: the classic immortal-time trap."""
    rng = np.random.default_rng(seed)
    event = rng.exponential(300, n)
    censor = rng.uniform(200, 900, n)
    start = rng.uniform(30, 400, n)
    wants = rng.random(n) < 0.5
    return survival_frames(
        np.minimum(event, censor).round() + 1,
        event <= censor,
        wants,
        start_days=start,
    )


def test_time_varying_cox_avoids_immortal_time_bias() -> None:
    analysis = SurvivalAnalysis("LDN").fit(frames_of(**_late_starters(3)))
    result = analysis.result_
    naive = result.groups
    assert naive["treated"].median_days > naive["untreated"].median_days  # the naive bias
    assert result.primary is not None
    assert result.primary.ci_low < 1 < result.primary.ci_high
    assert "time-varying" in result.primary.model
    assert any(c.startswith("Immortal time") for c in result.caveats)


def test_landmark_sensitivity_groups_by_treatment_started_by_the_landmark() -> None:
    frames = frames_of(**_late_starters(4))
    table = SurvivalAnalysis("LDN").fit(frames).table_
    result = SurvivalAnalysis("LDN", landmark_days=180).fit(frames).result_
    at_risk = table[table["duration_days"] > 180]
    n_treated = int((at_risk["start_days"] <= 180).sum())
    assert result.landmark is not None and "landmark at 180 days" in result.landmark.model
    assert result.landmark.n == len(at_risk)
    row = result.landmark.table.loc["treated"]
    reference = CoxPHFitter().fit(
        pd.DataFrame(
            {
                "t": at_risk["duration_days"] - 180,
                "e": at_risk["observed"].astype(int),
                "treated": (at_risk["start_days"] <= 180).astype(float),
            }
        ),
        "t",
        "e",
    )
    assert row["coef"] == pytest.approx(reference.params_["treated"], rel=1e-6)
    assert n_treated > 0
    assert result.landmark.ci_low < 1 < result.landmark.ci_high


def test_follow_up_ends_at_event_competing_death_or_last_contact() -> None:
    frames = frames_of(
        pd.DataFrame(
            {
                "subject_id": ["a", "b", "c"],
                "species": "dog",
                "onset_date": ["2020-01-01", "2020-01-01", "2020-01-01"],
                "birth_year": [2012, 2010, 2011],
                "sod1": "unknown",
            }
        ),
        events=pd.DataFrame(
            {
                # b is put to sleep before it goes off its feet: a competing event censors it
                "subject_id": ["a", "b"],
                "event": ["non_ambulatory", "euthanasia"],
                "date": ["2020-07-01", "2020-03-01"],
            }
        ),
        scores=pd.DataFrame(
            {
                "subject_id": ["c", "c", "a"],
                "date": ["2020-02-01", "2020-10-01", "2020-12-01"],
                "scale": "dm_stage",
                "total": [1, 2, 3],
            }
        ),
    )
    table, excluded = survival_table(frames, None)
    assert table.loc["a", "observed"] and table.loc["a", "duration_days"] == 182
    assert not table.loc["b", "observed"] and table.loc["b", "duration_days"] == 60
    assert not table.loc["c", "observed"] and table.loc["c", "duration_days"] == 274
    assert table.loc["a", "age_at_onset"] == 8
    assert excluded == {}  # every record has an onset date: the registry's rules see to it


def test_rare_breeds_are_pooled_and_unknown_covariates_refused() -> None:
    rng = np.random.default_rng(0)
    n = 120
    extra = pd.DataFrame(
        {
            "breed": rng.choice(["Boxer", "Corgi"], n).astype(object),
            "sod1": rng.choice(["A/A", "N/A"], n),
            "birth_year": rng.integers(2003, 2010, n),
        }
    )
    extra.loc[:2, "breed"] = ["Chesapeake", "Pug", "Husky"]
    frames = frames_of(
        **survival_frames(
            rng.integers(30, 900, n), rng.random(n) < 0.7, rng.random(n) < 0.5, extra=extra
        )
    )
    result = SurvivalAnalysis("LDN", covariates=["age_at_onset", "breed", "sod1"])
    cox = result.fit(frames).result_.primary
    assert cox is not None
    breeds = {c for c in cox.covariates if c.startswith("breed[")}
    # the commoner of Boxer/Corgi is the reference; the three one-off breeds became "other"
    assert len(breeds) == 2 and "breed[other]" in breeds
    assert {"age_at_onset", "sod1[N/A]"} <= set(cox.covariates) or "sod1[A/A]" in cox.covariates
    result = result.result_
    assert any("3 rare breed level(s) pooled" in c for c in result.caveats)
    with pytest.raises(ValueError, match="unknown covariate 'weight'"):
        SurvivalAnalysis("LDN", covariates=["weight"]).fit(frames)


def test_json_shape_is_the_cli_contract(waltons_result) -> None:  # type: ignore[no-untyped-def]
    payload = waltons_result.to_dict()
    assert set(payload["groups"]) == {"treated", "untreated"}
    assert set(payload["groups"]["treated"]) == {"n", "events", "median_days", "median_ci"}
    assert {"method", "hr", "ci_low", "ci_high", "p", "covariates"} <= set(payload["primary"])
    assert {"landmark_days", "hr", "ci_low", "ci_high", "p"} <= set(payload["sensitivity"])


def test_primary_is_time_varying_cox_adjusted_for_breed_size_and_age_as_lifelines_fits_it() -> None:
    """Finding 1: the primary result adjusts for what drives uptake (breed, size, age) and
    counts each dog untreated until its start; checked against lifelines fitted by hand."""
    from lifelines import CoxTimeVaryingFitter

    import tests.outcomes.independent_sim as independent

    frames = independent.dog_registry(300, 1.0, np.random.default_rng(5))
    analysis = SurvivalAnalysis(independent.THERAPY).fit(frames)
    primary = analysis.result_.primary
    assert primary is not None
    assert "time-varying" in primary.model
    assert any(c.startswith("breed[") for c in primary.covariates)
    assert "age_at_onset" in primary.covariates
    table = analysis.table_
    rows = []
    for i, (_, row) in enumerate(table.iterrows()):
        start, stop = row["start_days"], row["duration_days"]
        base = {"id": i, "breed": row["breed"], "size": row["size_class"],
                "age": row["age_at_onset"]}  # fmt: skip
        if np.isfinite(start) and 0 < start < stop:
            rows.append({**base, "start": 0.0, "stop": start, "event": 0, "treated": 0.0})
            rows.append({**base, "start": start, "stop": stop,
                         "event": int(row["observed"]), "treated": 1.0})  # fmt: skip
        else:
            rows.append({**base, "start": 0.0, "stop": stop, "event": int(row["observed"]),
                         "treated": float(np.isfinite(start) and start <= 0)})  # fmt: skip
    long = pd.DataFrame(rows)
    reference_breed = long["breed"].value_counts().index[0]
    reference_size = long["size"].value_counts().index[0]
    dummies = pd.concat(
        [
            pd.get_dummies(long["breed"], prefix="b").drop(columns=f"b_{reference_breed}"),
            pd.get_dummies(long["size"], prefix="s").drop(columns=f"s_{reference_size}"),
        ],
        axis=1,
    ).astype(float)
    # the design leaves out columns that add nothing (a size class implied by the breeds)
    names = {f"b_{c[6:-1]}": c for c in primary.covariates if c.startswith("breed[")}
    names |= {f"s_{c[11:-1]}": c for c in primary.covariates if c.startswith("size_class[")}
    assert set(names) <= set(dummies.columns)
    dummies = dummies[list(names)]
    data = pd.concat([long[["id", "start", "stop", "event", "treated", "age"]], dummies], axis=1)
    fitted = CoxTimeVaryingFitter().fit(
        data, id_col="id", event_col="event", start_col="start", stop_col="stop"
    )
    assert primary.hr == pytest.approx(float(np.exp(fitted.params_["treated"])), rel=1e-5)
    assert primary.p == pytest.approx(float(fitted.summary.loc["treated", "p"]), rel=1e-4)


def test_competing_deaths_are_handled_with_aalen_johansen_as_lifelines_computes_it() -> None:
    """Finding 6: deaths before the endpoint are competing events, stated with the figures."""
    from lifelines import AalenJohansenFitter

    import tests.outcomes.independent_sim as independent
    from offlabel.outcomes.survival_models import aalen_johansen

    frames = independent.dog_registry(300, 1.0, np.random.default_rng(6))
    analysis = SurvivalAnalysis(independent.THERAPY).fit(frames)
    table, result = analysis.table_, analysis.result_
    code = np.where(table["observed"], 1, np.where(table["competing"], 2, 0))
    # lifelines breaks ties by jitter: compare on untied, continuous times
    rng = np.random.default_rng(0)
    durations = table["duration_days"].to_numpy() + rng.uniform(0, 0.01, len(table))
    ours_t, ours = aalen_johansen(durations, code, 1)
    ajf = AalenJohansenFitter(calculate_variance=False).fit(durations, code, event_of_interest=1)
    theirs = ajf.cumulative_density_.iloc[:, 0]
    at = np.searchsorted(ours_t, 365.0, side="right") - 1
    assert ours[at] == pytest.approx(float(theirs.loc[theirs.index <= 365.0].iloc[-1]), abs=1e-9)
    assert result.competing is not None
    assert result.competing["endpoint"] < result.competing["one_minus_km"]
    sentence = next(c for c in result.caveats if c.startswith("Competing risks"))
    assert f"{int(table['competing'].sum())} of the {len(table)} subjects died" in sentence
