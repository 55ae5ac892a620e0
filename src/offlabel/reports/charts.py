"""Figures of the registry analyses, as inline SVG (serialised by :mod:`offlabel.reports.svg`).

The functions take plain numbers (lists and dicts, not ORM objects) so a frozen snapshot can be
redrawn from its stored figures exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from offlabel.reports.svg import FONT_SIZE, PHONE_WIDTH, TITLE_SIZE, Svg, figure_svg, plain

TREATED_COLOUR = "#08519c"
UNTREATED_COLOUR = "#a63603"
BAND_ALPHA = 0.22
LEVEL_LABELS = {
    "none": "No effect",
    "slight": "Slight",
    "moderate": "Moderate",
    "major": "Major",
    "cant_tell": "Can't tell",
}


def efficacy_chart(
    levels: Sequence[Mapping[str, Any]], *, key: str, title: str, n_evaluating: int
) -> Svg:
    """Horizontal bars: the percent of evaluators at each highest rating, with Wilson 95% CIs.

    ``levels`` rows have ``label`` (an efficacy value), ``pct``, ``ci_low``, ``ci_high``
    (percent, 0–100).
    """
    fig = Figure(figsize=(PHONE_WIDTH, 3.2), dpi=96)
    ax = fig.add_subplot()
    names = [LEVEL_LABELS.get(str(row["label"]), str(row["label"])) for row in levels]
    pct = [float(row["pct"] or 0.0) for row in levels]
    low = [max(p - float(row["ci_low"] or 0.0), 0.0) for p, row in zip(pct, levels, strict=True)]
    high = [max(float(row["ci_high"] or 0.0) - p, 0.0) for p, row in zip(pct, levels, strict=True)]
    positions = list(range(len(levels)))[::-1]
    bars = ax.barh(positions, pct, color=TREATED_COLOUR, alpha=0.85, height=0.6)
    for bar, row in zip(bars, levels, strict=True):
        bar.set_gid(f"bar-{row['label']}")
    ax.errorbar(
        pct, positions, xerr=[low, high], fmt="none", ecolor="#222222", capsize=3, linewidth=1
    )
    ax.set_yticks(positions, names)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% of {n_evaluating} evaluators (95% Wilson CI)")
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    desc = "; ".join(
        f"{name}: {p:.0f}% (95% CI {p - lo:.0f}–{p + hi:.0f}%)"
        for name, p, lo, hi in zip(names, pct, low, high, strict=True)
    )
    return figure_svg(
        fig, key=key, title=title, desc=f"Bar chart. {desc}.", css_class="efficacy-chart"
    )


@dataclass(frozen=True)
class Band:
    """Percentile band of a score by months since onset (bins with enough subjects only)."""

    months: list[float]
    low: list[float]
    median: list[float]
    high: list[float]
    n: list[int]


def trajectory_chart(
    bands: Mapping[str, Band],
    *,
    key: str,
    title: str,
    y_label: str,
    y_max: float,
    own: Sequence[tuple[float, float]] = (),
    own_label: str = "",
    lines: Sequence[tuple[str, Sequence[tuple[float, float]]]] = (),
) -> Svg:
    """Median line and 10th–90th percentile band per group, by months since onset.

    ``bands`` maps a group label ("on LDN", "not on LDN", "similar subjects") to its band;
    ``own`` is one subject's own ``(months, score)`` points drawn on top; ``lines`` are extra
    individual de-identified trajectories (thin grey lines, reviewers' pages only).
    """
    fig = Figure(figsize=(PHONE_WIDTH, 3.6), dpi=96)
    ax = fig.add_subplot()
    colours = (TREATED_COLOUR, UNTREATED_COLOUR, "#54278f", "#006d2c")
    for _label, points in lines:
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, color="#999999", linewidth=0.5, alpha=0.5, label="_nolegend_")
    described: list[str] = []
    for i, (label, band) in enumerate(bands.items()):
        colour = colours[i % len(colours)]
        if not band.months:
            described.append(f"{label}: too few subjects to show")
            continue
        area = ax.fill_between(
            band.months, band.low, band.high, color=colour, alpha=BAND_ALPHA, linewidth=0
        )
        area.set_gid(f"band-{i}")
        ax.plot(band.months, band.median, color=colour, linewidth=1.8, label=f"{label} (median)")
        described.append(
            f"{label}: median from {band.median[0]:.0f} at {band.months[0]:.0f} months to "
            f"{band.median[-1]:.0f} at {band.months[-1]:.0f} months since onset"
        )
    if own:
        xs, ys = zip(*own, strict=True)
        (line,) = ax.plot(
            xs, ys, color="#000000", marker="o", linewidth=2, label=plain(own_label or "You")
        )
        line.set_gid("own-trajectory")
        described.append(
            f"{own_label or 'Own scores'}: {len(own)} scores, from {ys[0]:.0f} to {ys[-1]:.0f}"
        )
    ax.set_ylim(-0.5, y_max + 0.5)
    ax.set_xlim(left=0)
    ax.set_xlabel("Months since onset")
    ax.set_ylabel(y_label)
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=FONT_SIZE, loc="lower left")
    fig.tight_layout()
    desc = "Line chart with shaded 10th–90th percentile bands. " + "; ".join(described) + "."
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="trajectory-chart")


def km_chart(
    curves: Mapping[str, Mapping[str, Sequence[float]]], *, key: str, title: str, event: str
) -> Svg:
    """Kaplan–Meier step curves with their 95% confidence bands, one per group.

    ``curves`` maps ``"treated"``/``"untreated"`` to ``{"days", "survival", "ci_low",
    "ci_high"}`` lists. Each curve is drawn in a group with id ``km-<group>``.
    """
    fig = Figure(figsize=(PHONE_WIDTH, 3.6), dpi=96)
    ax = fig.add_subplot()
    colours = {"treated": TREATED_COLOUR, "untreated": UNTREATED_COLOUR}
    described = []
    for name, curve in curves.items():
        days = [float(d) for d in curve["days"]]
        if not days:
            continue
        months = [d / 30.44 for d in days]
        colour = colours.get(name, "#444444")
        band = ax.fill_between(
            months,
            list(curve["ci_low"]),
            list(curve["ci_high"]),
            step="post",
            color=colour,
            alpha=BAND_ALPHA,
            linewidth=0,
        )
        band.set_gid(f"km-band-{name}")
        (line,) = ax.step(
            months, list(curve["survival"]), where="post", color=colour, linewidth=1.8, label=name
        )
        line.set_gid(f"km-{name}")
        described.append(
            f"{name}: {float(curve['survival'][-1]) * 100:.0f}% still free of the event at "
            f"{months[-1]:.0f} months"
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel("Months since onset")
    ax.set_ylabel(f"Share not yet {event}")
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(alpha=0.3)
    if described:
        ax.legend(fontsize=FONT_SIZE, loc="lower left")
    fig.tight_layout()
    desc = "Kaplan–Meier curves with 95% bands. " + "; ".join(described) + "."
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="km-chart")


def matched_pair_chart(
    pairs: Sequence[tuple[float, float]], *, key: str, title: str, effect: float
) -> Svg:
    """Each treated subject's follow-up slope against their matched controls' mean slope.

    Points above the diagonal declined more slowly than their controls.
    """
    fig = Figure(figsize=(PHONE_WIDTH, 4.2), dpi=96)
    ax = fig.add_subplot()
    xs = [c for c, _ in pairs]
    ys = [t for _, t in pairs]
    points = ax.scatter(xs, ys, s=14, color=TREATED_COLOUR, alpha=0.7)
    points.set_gid("matched-pairs")
    values = xs + ys or [0.0]
    lo, hi = min(values) - 0.2, max(values) + 0.2
    ax.plot([lo, hi], [lo, hi], color="#444444", linestyle="--", linewidth=1, label="no difference")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("Matched controls' mean slope (points/month)")
    ax.set_ylabel("Treated subject's slope (points/month)")
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=FONT_SIZE, loc="upper left")
    fig.tight_layout()
    above = sum(1 for c, t in pairs if t > c)
    desc = (
        f"Scatter plot of {len(pairs)} matched sets: {above} treated subjects declined more "
        f"slowly than their controls; the average difference is {effect:+.2f} points/month."
    )
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="pair-chart")
