"""Plausible daily dose ranges, per species and unit (``definitions/dose_ranges.toml``).

A dose outside its range is *implausible*, not invalid: the registry asks the person entering it
to confirm (see :func:`offlabel.registry.validation.check_dose`). Ranges are data so that an
editor can add a therapy-specific range without touching code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.problems import ScaleDefinitionError
from offlabel.registry.vocabulary import DoseUnit

ANY_THERAPY = "*"


@dataclass(frozen=True, slots=True)
class DoseRange:
    """Plausible daily dose ``low``–``high`` (inclusive) of ``therapy`` (``*`` = any)."""

    therapy: str
    species: TargetSpecies
    unit: DoseUnit
    low: float
    high: float

    def contains(self, dose: float) -> bool:
        return self.low <= dose <= self.high


def _load(path: Path) -> tuple[DoseRange, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        ranges = tuple(
            DoseRange(
                therapy=str(raw["therapy"]).strip().casefold(),
                species=TargetSpecies(raw["species"]),
                unit=DoseUnit(raw["unit"]),
                low=float(raw["low"]),
                high=float(raw["high"]),
            )
            for raw in data["ranges"]
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ScaleDefinitionError(f"{path.name}: {exc!r}") from None
    for r in ranges:
        if not 0 < r.low < r.high:
            raise ScaleDefinitionError(f"{path.name}: range {r} must have 0 < low < high")
    return ranges


@cache
def load_dose_ranges() -> tuple[DoseRange, ...]:
    """Every dose range shipped with offlabel (loaded once)."""
    return _load(
        Path(str(resources.files("offlabel.registry") / "definitions" / "dose_ranges.toml"))
    )


def plausible_range(
    species: TargetSpecies, unit: DoseUnit, therapy: str = ANY_THERAPY
) -> DoseRange | None:
    """The range that applies: the therapy's own if defined, else the default, else ``None``."""
    wanted = therapy.strip().casefold()
    fallback = None
    for r in load_dose_ranges():
        if r.species is species and r.unit is unit:
            if r.therapy == wanted:
                return r
            if r.therapy == ANY_THERAPY:
                fallback = r
    return fallback
