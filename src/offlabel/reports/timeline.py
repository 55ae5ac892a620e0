"""The subject timeline: scores over time with treatment periods shaded, as inline SVG.

Rendered on the server by :mod:`offlabel.reports.svg` (matplotlib, no JavaScript); the page
shows the same data as a table for screen readers. Its own words go through ``words`` and its
dates through ``month`` (the web passes ``gettext`` and its localised month format).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from offlabel.evidence.wording import Words, english, fill, gettext_noop
from offlabel.registry.scales import get_scale
from offlabel.registry.vocabulary import ScaleKey
from offlabel.reports.svg import FONT_SIZE, PHONE_WIDTH, TITLE_SIZE, figure_svg, plain

SHADE_COLOURS = ("#9ecae1", "#fdd0a2", "#c7e9c0", "#dadaeb")
LINE_COLOURS = {
    ScaleKey.ALSFRS_R: "#08519c",
    ScaleKey.DM_GAIT: "#08519c",
    ScaleKey.DM_STAGE: "#a63603",
}


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    stop: dt.date | None


@dataclass(frozen=True)
class Point:
    scale: ScaleKey
    date: dt.date
    total: int


@dataclass(frozen=True)
class Mark:
    label: str
    date: dt.date


def english_month(when: dt.date) -> str:
    """ "Mar 2024": a month as the core writes it."""
    return f"{when:%b %Y}"


def _x(when: dt.date) -> float:
    """A date as matplotlib's axis number (matplotlib.dates carries no type annotations)."""
    return float(mdates.date2num(when))  # type: ignore[no-untyped-call]


def timeline_svg(
    *,
    points: Sequence[Point],
    periods: Sequence[Period],
    marks: Sequence[Mark] = (),
    today: dt.date | None = None,
    title: str = "",
    words: Words = english,
    month: Callable[[dt.date], str] = english_month,
) -> str:
    """An ``<svg>`` element: one line per scale, a shaded band per treatment period.

    Each shaded band carries ``class="treatment-period"`` so tests and style sheets can find it.
    """
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, local to the server
    title = title or words(gettext_noop("Scores over time"))
    fig = Figure(figsize=(PHONE_WIDTH, 3.8), dpi=96)
    ax = fig.add_subplot()
    scales = sorted({p.scale for p in points}, key=lambda s: list(ScaleKey).index(s))
    secondary = None
    all_dates = [p.date for p in points] + [q.start for q in periods] + [m.date for m in marks]
    for i, period in enumerate(periods):
        end = period.stop or max([today, *all_dates])
        band = ax.axvspan(
            _x(period.start),
            _x(end),
            color=SHADE_COLOURS[i % len(SHADE_COLOURS)],
            alpha=0.55,
            label=plain(
                fill(
                    words(gettext_noop("{therapy} ({start}–{stop})")),
                    {
                        "therapy": period.label,
                        "start": month(period.start),
                        "stop": month(period.stop) if period.stop else words(gettext_noop("now")),
                    },
                )
            ),
            linewidth=0,
        )
        band.set_gid(f"treatment-period-{i}")
    for scale in scales:
        definition = get_scale(scale)
        series = sorted((p.date, p.total) for p in points if p.scale == scale)
        target = ax
        if scale is ScaleKey.DM_STAGE and len(scales) > 1:
            secondary = secondary or ax.twinx()
            target = secondary
            target.set_ylim(definition.maximum + 0.5, definition.minimum - 0.5)
            target.set_ylabel(
                fill(words(gettext_noop("{scale} (higher is worse)")), {"scale": definition.name})
            )
        else:
            target.set_ylim(definition.minimum - 0.5, definition.maximum + 0.5)
            target.set_ylabel(definition.name)
        target.plot(
            [_x(d) for d, _ in series],
            [v for _, v in series],
            marker="o",
            color=LINE_COLOURS[scale],
            linestyle="--" if target is secondary else "-",
            label=definition.name,
        )
    for mark in marks:
        ax.axvline(_x(mark.date), color="#444444", linestyle=":", linewidth=1.2)
        ax.annotate(
            plain(mark.label),
            (_x(mark.date), 1),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize=FONT_SIZE,
        )
    if all_dates:
        first = min(all_dates) - dt.timedelta(days=15)
        last = max([*all_dates, *(q.stop or today for q in periods)]) + dt.timedelta(days=15)
        ax.set_xlim(_x(first), _x(last))
    locator = mdates.AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]  # see _x
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: month(_date(x))))
    ax.set_title(plain(title), fontsize=TITLE_SIZE, wrap=True)
    ax.grid(axis="y", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if secondary is not None:
        more = secondary.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    if handles:
        ax.legend(handles, labels, fontsize=FONT_SIZE, loc="lower left")
    fig.autofmt_xdate()
    fig.tight_layout()
    svg = figure_svg(
        fig,
        key="timeline",
        title=title,
        desc=words(gettext_noop("Scores over time; shaded bands are treatment periods.")),
        css_class="timeline-plot",
    ).markup
    # Mark the bands for tests and style sheets (matplotlib writes gid as the group id).
    return re.sub(r'<g id="(treatment-period-\d+)"', r'<g id="\1" class="treatment-period"', svg)


def _date(x: float) -> dt.date:
    """matplotlib's axis number as a date (see :func:`_x`)."""
    when: dt.datetime = mdates.num2date(x)  # type: ignore[no-untyped-call]
    return when.date()
