"""One subject's course in plain words: ALSFRS-R slope and ΔFS, and possible reversals.

Definitions are data (``definitions/progression.toml``, ``definitions/reversal.toml``):

- **slope**: the ordinary least-squares line through one person's complete ALSFRS-R totals, in
  points per month of :data:`~offlabel.registry.vocabulary.DAYS_PER_MONTH` days (negative =
  decline); the registry-wide estimators are in :mod:`offlabel.outcomes.progression`, this is
  the one-record version shown on the record itself (a few points, so written out by hand);
- **ΔFS** (Kimura et al. 2006): ``(48 − first total) / months from onset to the first score``,
  points lost per month (positive = decline), with the band of Labra et al. (2016);
- **possible reversal** (Bedlack et al. 2016): an ALSFRS-R rise of at least 4 points over an
  earlier total, every later total staying that high, for at least 12 months; or a dog that
  could no longer walk unaided and is later scored walking again.

Examples
--------
>>> import datetime as dt
>>> from offlabel.registry.records import ScoreRow
>>> from offlabel.registry.vocabulary import ScaleKey
>>> onset = dt.date(2020, 1, 1)
>>> scores = [ScoreRow("p", dt.date(2020, m, 1), ScaleKey.ALSFRS_R, 44 - m) for m in (4, 7, 10)]
>>> summary = alsfrs_progress(scores, onset)
>>> round(summary.slope, 2), round(summary.delta_fs, 2), summary.band.name
(-1.0, 2.68, 'faster')
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from offlabel.evidence.wording import gettext_noop
from offlabel.registry.problems import ScaleDefinitionError
from offlabel.registry.records import EventRow, ScoreRow
from offlabel.registry.scales import get_scale
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ScaleKey

__all__ = [
    "AlsfrsProgress",
    "Band",
    "ReversalFinding",
    "alsfrs_progress",
    "find_reversal",
]

ALSFRS_R_MAX = 48


def _definitions(name: str) -> dict[str, Any]:
    path = Path(str(resources.files("offlabel.registry") / "definitions" / name))
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScaleDefinitionError(f"{name}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Band:
    """A ΔFS band: values below ``below`` (and at or above the previous band's)."""

    below: float
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class _Wording:
    slope: str
    delta_fs: str
    source: str
    bands: tuple[Band, ...]


@cache
def _progression() -> _Wording:
    data = _definitions("progression.toml")
    bands = tuple(Band(float(b["below"]), str(b["name"]), str(b["text"])) for b in data["bands"])
    if not bands or list(bands) != sorted(bands, key=lambda b: b.below):
        raise ScaleDefinitionError("progression.toml: bands must be given in rising order")
    return _Wording(str(data["slope"]), str(data["delta_fs"]), str(data["source"]), bands)


def progression_templates() -> tuple[str, ...]:
    """The slope and ΔFS sentence templates and the bands' texts, as the definitions write
    them: the web reads a filled sentence back against them to show it in another language."""
    wording = _progression()
    return (wording.slope, wording.delta_fs, *(band.text for band in wording.bands))


@dataclass(frozen=True, slots=True)
class AlsfrsProgress:
    """A person's ALSFRS-R course: slope (``None`` with fewer than two complete totals at
    different dates) and ΔFS (``None`` without a complete total after onset)."""

    n_scores: int
    first_date: dt.date | None
    last_date: dt.date | None
    slope: float | None
    delta_fs: float | None
    first_total: int | None
    months_to_first: float | None
    band: Band | None

    @property
    def slope_text(self) -> str:
        if self.slope is None or self.first_date is None or self.last_date is None:
            return ""
        direction = (
            gettext_noop("a decline")
            if self.slope < 0
            else gettext_noop("no decline")
            if self.slope == 0
            else gettext_noop("a rise")
        )
        return _progression().slope.format(
            n=self.n_scores,
            first=self.first_date.isoformat(),
            last=self.last_date.isoformat(),
            slope=f"{self.slope:+.2f}",
            direction=direction,
        )

    @property
    def delta_fs_text(self) -> str:
        if self.delta_fs is None or self.first_total is None or self.months_to_first is None:
            return ""
        return _progression().delta_fs.format(
            first_total=self.first_total,
            months=f"{self.months_to_first:.1f}",
            delta_fs=f"{self.delta_fs:.2f}",
        )

    @property
    def source(self) -> str:
        return _progression().source


def _months(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def _complete(scores: Sequence[ScoreRow]) -> list[tuple[dt.date, int]]:
    return sorted(
        (s.date, s.total) for s in scores if s.scale is ScaleKey.ALSFRS_R and s.total is not None
    )


def alsfrs_progress(scores: Sequence[ScoreRow], onset: dt.date) -> AlsfrsProgress:
    """Slope and ΔFS of one person's complete ALSFRS-R totals (incomplete ones are skipped)."""
    points = _complete(scores)
    slope = None
    if len({d for d, _ in points}) >= 2:
        xs = [_months(points[0][0], d) for d, _ in points]
        ys = [float(t) for _, t in points]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    delta_fs = months = first_total = band = None
    if points and points[0][0] > onset:
        first_date, first_total = points[0]
        months = _months(onset, first_date)
        delta_fs = (ALSFRS_R_MAX - first_total) / months
        band = next(b for b in _progression().bands if delta_fs < b.below)
    return AlsfrsProgress(
        n_scores=len(points),
        first_date=points[0][0] if points else None,
        last_date=points[-1][0] if points else None,
        slope=slope,
        delta_fs=delta_fs,
        first_total=first_total,
        months_to_first=months,
        band=band,
    )


# -- reversals --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReversalFinding:
    """The scores that make a possible reversal, and the sentence that says so."""

    scale: ScaleKey
    low: int
    low_date: dt.date
    high: int
    high_date: dt.date
    last_date: dt.date
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale.value,
            "low": self.low,
            "low_date": self.low_date.isoformat(),
            "high": self.high,
            "high_date": self.high_date.isoformat(),
            "last_date": self.last_date.isoformat(),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class _ReversalRules:
    rise_points: int
    sustained_months: float
    regains_walking: bool
    alsfrs_text: str
    dm_text: str


@cache
def _reversal_rules() -> _ReversalRules:
    data = _definitions("reversal.toml")
    try:
        return _ReversalRules(
            rise_points=int(data["alsfrs_r"]["rise_points"]),
            sustained_months=float(data["alsfrs_r"]["sustained_months"]),
            regains_walking=bool(data["dm_gait"]["regains_walking"]),
            alsfrs_text=str(data["wording"]["alsfrs_r"]),
            dm_text=str(data["wording"]["dm_gait"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ScaleDefinitionError(f"reversal.toml: {exc}") from None


def find_reversal(
    scores: Sequence[ScoreRow], events: Sequence[EventRow] = ()
) -> ReversalFinding | None:
    """The first possible reversal in one subject's scores, or ``None``.

    People: for the earliest complete ALSFRS-R total ``low`` from which a later total reaches
    ``low + rise_points`` and every total from then on stays at or above it for
    ``sustained_months`` or more. Dogs: the first gait score at which the dog walks unaided
    (``ambulatory_from`` of the gait scale) after a score below it. ``events`` are not used
    yet (kept so callers hand over the whole record).
    """
    rules = _reversal_rules()
    points = _complete(scores)
    for i, (low_date, low) in enumerate(points):
        for j in range(i + 1, len(points)):
            high_date, high = points[j]
            if high < low + rules.rise_points:
                continue
            later = points[j:]
            if any(total < low + rules.rise_points for _, total in later):
                break
            last_date = later[-1][0]
            months = _months(high_date, last_date)
            if months >= rules.sustained_months:
                text = rules.alsfrs_text.format(
                    low=low,
                    low_date=low_date.isoformat(),
                    high=high,
                    high_date=high_date.isoformat(),
                    last_date=last_date.isoformat(),
                    months=f"{months:.0f}",
                )
                return ReversalFinding(
                    ScaleKey.ALSFRS_R, low, low_date, high, high_date, last_date, text
                )
            break
    return _walking_again(scores, rules) if rules.regains_walking else None


def _walking_again(scores: Sequence[ScoreRow], rules: _ReversalRules) -> ReversalFinding | None:
    walks_from = get_scale(ScaleKey.DM_GAIT).ambulatory_from
    if walks_from is None:  # pragma: no cover - the shipped gait scale defines it
        return None
    gait = sorted(
        (s.date, s.total) for s in scores if s.scale is ScaleKey.DM_GAIT and s.total is not None
    )
    lowest: tuple[dt.date, int] | None = None
    for when, total in gait:
        if total < walks_from:
            lowest = lowest or (when, total)
            continue
        if lowest is not None:
            text = rules.dm_text.format(
                low=lowest[1],
                low_date=lowest[0].isoformat(),
                high=total,
                high_date=when.isoformat(),
            )
            return ReversalFinding(
                ScaleKey.DM_GAIT, lowest[1], lowest[0], total, when, gait[-1][0], text
            )
    return None
