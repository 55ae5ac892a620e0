"""Non-linear ALSFRS-R courses for simulated people: spells of plateau, decline and acceleration.

Used by :func:`offlabel.outcomes.simulate.simulate_registry` with ``courses="spells"`` (the demo
registry). A person's course is a run of spells, each 3–9 months long (uniform), declining at a
multiple of 1.6 × the person's own rate: 0 (a plateau) in 50% of spells, 0.5× in 15%, 1.2×
in 22.5%, 2.5× (an acceleration) in 12.5% (the multiples average 1). Chosen (a calibration
on 3,000 simulated people) so that, with visits every 2–4 months and measurement noise (SD
1), about 25% of untreated people show no decline over 6 months, 15% over 12 and 10% over
18 (PRO-ACT: 25%, 16%, 7%; Bedlack et al., Neurology 2016), with a mean observed decline of
about one point a month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["SpellCourses"]

_MULTIPLES = np.array([0.0, 0.5, 1.2, 2.5])
_WEIGHTS = np.array([0.50, 0.15, 0.225, 0.125])
_STEP = 0.25  # months
_LENGTH = (3.0, 9.0)  # months, uniform
_SCALE = 1.6  # multiplies the person's rate: the deaths of fast decliners leave ~1.0 seen
_MAX_SPELLS = 48


@dataclass(frozen=True)
class SpellCourses:
    """Cumulative ALSFRS-R loss per person on a grid of months since onset."""

    loss: np.ndarray  # (n, grid) points lost by each grid time
    step: float = _STEP

    @classmethod
    def draw(cls, rng: np.random.Generator, slope: np.ndarray, horizon: float) -> SpellCourses:
        """Spells for each person (``slope``: their average rate, points/month)."""
        n = len(slope)
        multiples = _SCALE * _MULTIPLES / float((_MULTIPLES * _WEIGHTS).sum())
        length = rng.uniform(_LENGTH[0], _LENGTH[1], (n, _MAX_SPELLS))
        ends = np.cumsum(length, axis=1) - rng.uniform(0.0, 12.0, (n, 1))
        which = rng.choice(len(multiples), size=(n, _MAX_SPELLS), p=_WEIGHTS)
        grid = np.arange(0.0, horizon + _STEP, _STEP)
        spell = np.minimum((grid[None, :, None] >= ends[:, None, :]).sum(axis=2), _MAX_SPELLS - 1)
        rate = slope[:, None] * multiples[which[np.arange(n)[:, None], spell]]
        loss = np.concatenate([np.zeros((n, 1)), np.cumsum(rate[:, :-1] * _STEP, axis=1)], axis=1)
        return cls(loss)

    def at(self, months: np.ndarray) -> np.ndarray:
        """Loss at ``months`` (shape ``(n, k)``), linear between grid points."""
        position = np.clip(months / self.step, 0.0, self.loss.shape[1] - 1.000001)
        low = position.astype(int)
        frac = position - low
        rows = np.arange(self.loss.shape[0])[:, None]
        out: np.ndarray = self.loss[rows, low] * (1 - frac) + self.loss[rows, low + 1] * frac
        return out

    def first_reaching(self, target: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        """First month at which the loss (minus ``extra`` per grid time) reaches ``target``."""
        loss = self.loss if extra is None else self.loss - extra
        hit = loss >= target[:, None]
        first = np.argmax(hit, axis=1).astype(float) * self.step
        return np.where(hit.any(axis=1), first, np.inf)
