"""``offlabel analyze …``: outcome analytics on a registry CSV directory.

Every sub-command reads a registry export (``subjects.csv``, ``treatments.csv``,
``evaluations.csv``, ``scores.csv``, ``events.csv``; identifiable or de-identified) through the
registry's validated reader, runs one analysis through :func:`offlabel.outcomes.runner.run` —
the same runner, with the same defaults, as the web pages — and prints readable text, or the
runner's JSON with ``--json``. Bad input (a missing directory or file, a malformed row, an unknown
therapy) ends with a clear message and exit code 2. Heavy imports stay inside the functions so
``offlabel --help`` stays fast; :mod:`offlabel.outcomes.runner` itself imports no estimator until
an analysis runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from offlabel.outcomes.runner import DEFAULTS, Analysis

if TYPE_CHECKING:
    from offlabel.registry.frames import RegistryFrames


class InputError(click.ClickException):
    """A problem with the input: printed as ``Error: …``, exit code 2."""

    exit_code = 2


def _load(directory: str) -> RegistryFrames:
    from offlabel.registry.frames import load_registry
    from offlabel.registry.problems import RegistryError

    try:
        return load_registry(Path(directory))
    except RegistryError as error:
        raise InputError(str(error)) from error


def _run(
    kind: Analysis, directory: str, therapy: str | None = None, **params: Any
) -> dict[str, Any]:
    """Load the registry and run one analysis; input problems become a clear exit-2 message."""
    from offlabel.outcomes.runner import AnalysisError, run

    frames = _load(directory)
    try:
        return run(kind, frames, therapy=therapy, params=params)
    except AnalysisError as error:
        raise InputError(str(error)) from error


def _emit(payload: dict[str, Any], as_json: bool, text: Callable[[], list[str]]) -> None:
    if as_json:
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        click.echo("\n".join(text()))


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _caveat_lines(caveats: list[str]) -> list[str]:
    return ["", "Caveats:", *(f"  - {c}" for c in caveats)] if caveats else []


DIRECTORY = click.argument("directory", type=click.Path(file_okay=False, path_type=str))
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@click.group(name="analyze")
def command() -> None:
    """Outcome analytics on a registry CSV directory."""


@command.command("evaluations")
@DIRECTORY
@click.option("--therapy", required=True, help="Therapy name (case-insensitive).")
@click.option("--species", type=click.Choice(["human", "dog"]), default=None)
@AS_JSON
def evaluations(directory: str, therapy: str, species: str | None, as_json: bool) -> None:
    """How subjects rated a therapy: highest rating per subject, with Wilson 95% CIs."""
    payload = _run(Analysis.EVALUATIONS, directory, therapy, species=species)

    def text() -> list[str]:
        lines = [
            f"{therapy}: {payload['n_reporting']} reporting, {payload['n_evaluating']} evaluating"
            + (f" ({species})" if species else ""),
        ]
        for level, share in payload["levels"].items():
            lines.append(
                f"  {level:<10} {share['n']:>5}  {_pct(share['pct']):>5}  "
                f"(95% CI {_pct(share['ci_low'])}–{_pct(share['ci_high'])})"
            )
        if payload["side_effects"]:
            effects = ", ".join(f"{e['name']} (n = {e['n']})" for e in payload["side_effects"])
            lines.append(f"Side effects: {effects}")
        for dose in payload["dose"]:
            lines.append(
                f"Dose ({dose['unit']}): {dose['min']:g}–{dose['max']:g}, median "
                f"{dose['median']:g} over {dose['n']} courses"
            )
        cost = payload["cost_per_month"]
        if cost["min"] is not None:
            lines.append(
                f"Cost per month: {cost['min']:g} to {cost['max']:g} (median {cost['median']:g})"
            )
        return lines + _caveat_lines(payload["caveats"])

    _emit(payload, as_json, text)


@command.command("survival")
@DIRECTORY
@click.option("--therapy", required=True, help="Therapy name (case-insensitive).")
@click.option(
    "--event",
    "endpoint",
    type=click.Choice(
        ["non_ambulatory", "thoracic_limbs", "euthanasia", "death", "euthanasia_or_death"]
    ),
    default=DEFAULTS[Analysis.SURVIVAL]["endpoint"],
    show_default=True,
)
@click.option(
    "--covariates",
    default="",
    help=(
        "Comma-separated Cox covariates: age_at_onset, breed, size_class, sod1 or any subjects "
        "column (default: breed, size class and age at onset, those the registry holds)."
    ),
)
@click.option(
    "--species",
    type=click.Choice(["human", "dog"]),
    default=DEFAULTS[Analysis.SURVIVAL]["species"],
    show_default=True,
)
@click.option(
    "--landmark-days",
    type=click.IntRange(min=1),
    default=DEFAULTS[Analysis.SURVIVAL]["landmark_days"],
    show_default=True,
    help="Landmark (days after onset) of the sensitivity analysis.",
)
@AS_JSON
def survival(
    directory: str,
    therapy: str,
    endpoint: str,
    covariates: str,
    species: str,
    landmark_days: int,
    as_json: bool,
) -> None:
    """Time from onset to an event: time-varying Cox (primary), landmark Cox (sensitivity).

    The ever- vs never-treated Kaplan–Meier groups are printed as a description only.
    """
    names = [c.strip() for c in covariates.split(",") if c.strip()]
    payload = _run(
        Analysis.SURVIVAL,
        directory,
        therapy,
        endpoint=endpoint,
        covariates=names,
        species=species,
        landmark_days=landmark_days,
    )

    def text() -> list[str]:
        lines = [f"{therapy}: onset → {endpoint} ({species})"]
        for name, group in payload["groups"].items():
            median = group["median_days"]
            low, high = group["median_ci"]
            lines.append(
                f"  {name:<10} n = {group['n']:>4}, events = {group['events']:>4}, median "
                + ("not reached" if median is None else f"{median:g} days")
                + ("" if median is None else f" (95% CI {_days(low)}–{_days(high)})")
            )
        lines.insert(1, "Description only (ever- vs never-treated, no test: immortal time):")
        for label, key in (("Primary", "primary"), ("Sensitivity", "sensitivity")):
            cox = payload[key]
            if cox is not None:
                lines.append(
                    f"{label}: hazard ratio {cox['hr']:.2f} (95% CI {cox['ci_low']:.2f}–"
                    f"{cox['ci_high']:.2f}), p = {cox['p']:.3g}; {cox['method']}"
                )
            else:
                lines.append(f"{label}: not fitted (see the caveats)")
        return lines + _caveat_lines(payload["caveats"])

    _emit(payload, as_json, text)


@command.command("stability")
@DIRECTORY
@click.option(
    "--months",
    type=click.Choice(["6", "12", "18"]),
    default=str(DEFAULTS[Analysis.STABILITY]["months"]),
    show_default=True,
)
@AS_JSON
def stability(directory: str, months: str, as_json: bool) -> None:
    """Share of untreated subjects with no ALSFRS-R decline, beside the PRO-ACT figure."""
    payload = _run(Analysis.STABILITY, directory, months=int(months))

    def text() -> list[str]:
        lines = [
            f"No ALSFRS-R decline over {months} months (untreated): "
            + (
                f"{payload['n_stable']} of {payload['n']} ({_pct(payload['pct'])}, 95% CI "
                f"{_pct(payload['ci_low'])}–{_pct(payload['ci_high'])})"
                if payload["n"]
                else "no subject has a qualifying pair of scores"
            )
        ]
        if payload["reference"]:
            ref = payload["reference"]
            lines.append(f"{ref['population']}: {_pct(ref['pct'])} ({ref['source']})")
        lines += ["", payload["sentence"]]
        return lines + _caveat_lines(payload["caveats"])

    _emit(payload, as_json, text)


@command.command("power")
@DIRECTORY
@click.option("--outcome", type=click.Choice(["slope", "survival"]), required=True)
@click.option("--effect", type=float, default=None, help="Slope difference, points/month.")
@click.option(
    "--relative-effect",
    type=float,
    default=None,
    help="Slope: slowing as a fraction of the mean decline (0.25 = 25%).",
)
@click.option("--sd", type=float, default=None, help="Slope SD (default: the registry's).")
@click.option("--hazard-ratio", type=float, default=None, help="Survival: hazard ratio.")
@click.option("--event-probability", type=float, default=None)
@click.option(
    "--followup-days",
    type=click.IntRange(min=1),
    default=DEFAULTS[Analysis.POWER]["followup_days"],
    show_default=True,
    help="Survival: follow-up from trial entry of the last subject enrolled.",
)
@click.option(
    "--accrual-days",
    type=click.IntRange(min=0),
    default=DEFAULTS[Analysis.POWER]["accrual_days"],
    show_default=True,
    help="Survival: enrolment period (uniform accrual).",
)
@click.option(
    "--loss-per-year",
    type=click.FloatRange(min=0, max=1, max_open=True),
    default=DEFAULTS[Analysis.POWER]["loss_per_year"],
    show_default=True,
    help="Survival: share lost to follow-up per year.",
)
@click.option(
    "--entry-days",
    type=click.IntRange(min=0),
    default=DEFAULTS[Analysis.POWER]["entry_days"],
    show_default=True,
    help="Survival: days after onset at trial entry (for the registry's curve).",
)
@click.option(
    "--event",
    "endpoint",
    type=click.Choice(
        ["non_ambulatory", "thoracic_limbs", "euthanasia", "death", "euthanasia_or_death"]
    ),
    default=DEFAULTS[Analysis.POWER]["endpoint"],
    show_default=True,
)
@click.option(
    "--species",
    type=click.Choice(["human", "dog"]),
    default=DEFAULTS[Analysis.POWER]["species"],
    show_default=True,
)
@click.option("--alpha", type=float, default=DEFAULTS[Analysis.POWER]["alpha"], show_default=True)
@click.option(
    "--power", "power_", type=float, default=DEFAULTS[Analysis.POWER]["power"], show_default=True
)
@click.option("--n-per-arm", type=click.IntRange(min=2), default=None, help="Solve for power.")
@AS_JSON
def power(
    directory: str,
    outcome: str,
    effect: float | None,
    relative_effect: float | None,
    sd: float | None,
    hazard_ratio: float | None,
    event_probability: float | None,
    followup_days: int,
    accrual_days: int,
    loss_per_year: float,
    entry_days: int,
    endpoint: str,
    species: str,
    alpha: float,
    power_: float,
    n_per_arm: int | None,
    as_json: bool,
) -> None:
    """Sample size (or power) for a two-arm trial, from the registry's variability."""
    if outcome == "slope" and effect is None and relative_effect is None:
        raise InputError("--outcome slope needs --effect or --relative-effect")
    if outcome == "survival" and hazard_ratio is None:
        raise InputError("--outcome survival needs --hazard-ratio")
    payload = _run(
        Analysis.POWER,
        directory,
        outcome=outcome,
        effect=effect,
        relative_effect=relative_effect,
        sd=sd,
        hazard_ratio=hazard_ratio,
        event_probability=event_probability,
        followup_days=followup_days,
        accrual_days=accrual_days,
        loss_per_year=loss_per_year,
        entry_days=entry_days,
        endpoint=endpoint,
        species=species,
        alpha=alpha,
        power=power_,
        n_per_arm=n_per_arm,
    )

    def text() -> list[str]:
        unit = "points/month" if outcome == "slope" else "hazard ratio"
        lines = [
            f"Two-arm trial on {outcome}: effect {payload['effect']:.3g} ({unit}), "
            f"alpha {payload['alpha']:g}, power {payload['power']:.2f}",
            f"  {payload['n_per_arm']} per arm, {payload['n_total']} in total"
            + (f", {payload['events']} events" if payload["events"] is not None else ""),
        ]
        return lines + _caveat_lines(payload["caveats"])

    _emit(payload, as_json, text)


@command.command("progression")
@DIRECTORY
@click.option("--therapy", required=True, help="Therapy name (case-insensitive).")
@AS_JSON
def progression(directory: str, therapy: str, as_json: bool) -> None:
    """ALSFRS-R slopes before and after a therapy starts: a description, with no p-value."""
    payload = _run(Analysis.SLOPE_CHANGE, directory, therapy)

    def text() -> list[str]:
        lines = [
            f"{therapy}: mean ALSFRS-R slope {payload['slope_before']:.2f} points/month before "
            f"the start, {payload['slope_after']:.2f} after (a description, not an effect)",
            f"  {payload['n_subjects']} subjects, {payload['n_scores']} scores",
        ]
        return lines + _caveat_lines(payload["caveats"])

    _emit(payload, as_json, text)


@command.command("matched-controls")
@DIRECTORY
@click.option("--therapy", required=True, help="Therapy name (case-insensitive).")
@click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=DEFAULTS[Analysis.MATCHED]["k"],
    show_default=True,
    help="Controls per treated person.",
)
@click.option(
    "--followup-months",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULTS[Analysis.MATCHED]["followup_months"],
    show_default=True,
    help="Follow-up window after the baseline visit.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULTS[Analysis.MATCHED]["seed"],
    show_default=True,
    help="Breaks ties between equally close controls.",
)
@AS_JSON
def matched_controls(
    directory: str, therapy: str, k: int, followup_months: float, seed: int, as_json: bool
) -> None:
    """ALSFRS-R slope of people who started a therapy against matched untreated people.

    Each treated person is matched to the K people not on the therapy whose ALSFRS-R score,
    slope and time since onset were closest at the treated person's baseline visit; the effect
    is the difference in slope over the follow-up, points/month (positive = slower decline).
    """
    payload = _run(
        Analysis.MATCHED, directory, therapy, k=k, followup_months=followup_months, seed=seed
    )

    def text() -> list[str]:
        lines = [
            f"{therapy}: {payload['n_treated']} treated people matched to "
            f"{payload['n_controls']} controls (k = {k}, {followup_months:g}-month follow-up)",
            f"  slope difference {payload['effect']:+.3f} points/month "
            f"(95% CI {payload['ci_low']:+.3f} to {payload['ci_high']:+.3f}, "
            f"p = {payload['p_value']:.3g}); positive = slower decline",
            "",
            f"  {'Balance':<44} {'treated':>8} {'before':>8} {'after':>8} {'SMD before':>11} "
            f"{'SMD after':>10}",
        ]
        for row in payload["balance"]:
            lines.append(
                f"  {row['label']:<44} {row['mean_treated']:>8.2f} "
                f"{row['mean_control_before']:>8.2f} {row['mean_control_after']:>8.2f} "
                f"{row['smd_before']:>11.2f} {row['smd_after']:>10.2f}"
            )
        return lines + _caveat_lines(payload["caveats"])

    _emit(payload, as_json, text)
