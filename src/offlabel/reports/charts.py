"""Figures of the registry analyses, as inline SVG (serialised by :mod:`offlabel.reports.svg`).

The functions take plain numbers (lists and dicts, not ORM objects) so a frozen snapshot can be
redrawn from its stored figures exactly as it was. Their own words (axes, legends, the
description) are templates marked for the web's catalogue; ``words`` translates each one (the
web passes ``gettext``), English by default -- the core knows no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from offlabel.evidence.wording import Words, english, fill, gettext_noop
from offlabel.reports.svg import FONT_SIZE, PHONE_WIDTH, TITLE_SIZE, Svg, figure_svg, plain

TREATED_COLOUR = "#08519c"
UNTREATED_COLOUR = "#a63603"
BAND_ALPHA = 0.22
LEVEL_LABELS = {
    "none": gettext_noop("No effect"),
    "slight": gettext_noop("Slight"),
    "moderate": gettext_noop("Moderate"),
    "major": gettext_noop("Major"),
    "cant_tell": gettext_noop("Can't tell"),
}
#: Group names of the survival curves (the keys of ``km_chart``'s ``curves``).
GROUP_LABELS = {"treated": gettext_noop("treated"), "untreated": gettext_noop("untreated")}
MONTHS_SINCE_ONSET = gettext_noop("Months since onset")


def efficacy_chart(
    levels: Sequence[Mapping[str, Any]],
    *,
    key: str,
    title: str,
    n_evaluating: int,
    words: Words = english,
) -> Svg:
    """Horizontal bars: the percent of evaluators at each highest rating, with Wilson 95% CIs.

    ``levels`` rows have ``label`` (an efficacy value), ``pct``, ``ci_low``, ``ci_high``
    (percent, 0–100).
    """
    fig = Figure(figsize=(PHONE_WIDTH, 3.2), dpi=96)
    ax = fig.add_subplot()
    names = [words(LEVEL_LABELS.get(str(row["label"]), str(row["label"]))) for row in levels]
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
    ax.set_xlabel(
        fill(words(gettext_noop("% of {n} evaluators (95% Wilson CI)")), {"n": n_evaluating})
    )
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    item = words(gettext_noop("{name}: {pct:.0f}% (95% CI {low:.0f}–{high:.0f}%)"))
    desc = "; ".join(
        fill(item, {"name": name, "pct": p, "low": p - lo, "high": p + hi})
        for name, p, lo, hi in zip(names, pct, low, high, strict=True)
    )
    desc = fill(words(gettext_noop("Bar chart. {items}.")), {"items": desc})
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="efficacy-chart")


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
    words: Words = english,
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
            described.append(
                fill(words(gettext_noop("{label}: too few subjects to show")), {"label": label})
            )
            continue
        area = ax.fill_between(
            band.months, band.low, band.high, color=colour, alpha=BAND_ALPHA, linewidth=0
        )
        area.set_gid(f"band-{i}")
        median = fill(words(gettext_noop("{label} (median)")), {"label": label})
        ax.plot(band.months, band.median, color=colour, linewidth=1.8, label=plain(median))
        template = gettext_noop(
            "{label}: median from {first:.0f} at {first_month:.0f} months to {last:.0f} at "
            "{last_month:.0f} months since onset"
        )
        described.append(
            fill(
                words(template),
                {
                    "label": label,
                    "first": band.median[0],
                    "first_month": band.months[0],
                    "last": band.median[-1],
                    "last_month": band.months[-1],
                },
            )
        )
    if own:
        xs, ys = zip(*own, strict=True)
        (line,) = ax.plot(
            xs,
            ys,
            color="#000000",
            marker="o",
            linewidth=2,
            label=plain(own_label or words(gettext_noop("You"))),
        )
        line.set_gid("own-trajectory")
        template = gettext_noop("{label}: {n:count:score}, from {first:.0f} to {last:.0f}")
        described.append(
            fill(
                words(template),
                {
                    "label": own_label or words(gettext_noop("Own scores")),
                    "n": len(own),
                    "first": ys[0],
                    "last": ys[-1],
                },
            )
        )
    ax.set_ylim(-0.5, y_max + 0.5)
    ax.set_xlim(left=0)
    ax.set_xlabel(words(MONTHS_SINCE_ONSET))
    ax.set_ylabel(y_label)
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=FONT_SIZE, loc="lower left")
    fig.tight_layout()
    desc = fill(
        words(gettext_noop("Line chart with shaded 10th–90th percentile bands. {items}.")),
        {"items": "; ".join(described)},
    )
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="trajectory-chart")


def km_chart(
    curves: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    key: str,
    title: str,
    event: str,
    words: Words = english,
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
        label = words(GROUP_LABELS.get(name, name))
        (line,) = ax.step(
            months, list(curve["survival"]), where="post", color=colour, linewidth=1.8, label=label
        )
        line.set_gid(f"km-{name}")
        # xgettext:no-python-format
        template = gettext_noop("{name}: {pct:.0f}% still free of the event at {months:.0f} months")
        described.append(
            fill(
                words(template),
                {"name": label, "pct": float(curve["survival"][-1]) * 100, "months": months[-1]},
            )
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(words(MONTHS_SINCE_ONSET))
    ax.set_ylabel(fill(words(gettext_noop("Share not yet {event}")), {"event": event}))
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(alpha=0.3)
    if described:
        ax.legend(fontsize=FONT_SIZE, loc="lower left")
    fig.tight_layout()
    desc = fill(
        words(gettext_noop("Kaplan–Meier curves with 95% bands. {items}.")),
        {"items": "; ".join(described)},
    )
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="km-chart")


def matched_pair_chart(
    pairs: Sequence[tuple[float, float]],
    *,
    key: str,
    title: str,
    effect: float,
    words: Words = english,
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
    ax.plot(
        [lo, hi],
        [lo, hi],
        color="#444444",
        linestyle="--",
        linewidth=1,
        label=words(gettext_noop("no difference")),
    )
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(words(gettext_noop("Matched controls' mean slope (points/month)")))
    ax.set_ylabel(words(gettext_noop("Treated subject's slope (points/month)")))
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=FONT_SIZE, loc="upper left")
    fig.tight_layout()
    above = sum(1 for c, t in pairs if t > c)
    template = gettext_noop(
        "Scatter plot of {n:count:matched set}: {above} treated subjects declined more "
        "slowly than their controls; the average difference is {effect:+.2f} points/month."
    )
    desc = fill(words(template), {"n": len(pairs), "above": above, "effect": effect})
    return figure_svg(fig, key=key, title=title, desc=desc, css_class="pair-chart")
