"""Score trajectories as flat arrays, and least-squares lines over windows of them.

The matched-controls estimator needs, for every visit of every subject, the line through the
scores up to that visit and the line through the scores of a window after it. Done per subject
in Python this is slow; here all scores sit in one array sorted by subject and time, with prefix
sums of ``1, t, y, t², t·y``, so the least-squares slope over any run of consecutive rows costs
O(1) and whole columns of windows are computed at once. (numpy has no windowed regression that
takes ragged per-subject windows; this is the usual prefix-sum trick, written here for that
reason.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from offlabel.registry.frames import RegistryFrames
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ScaleKey

__all__ = ["LineFit", "ScoreTable", "score_table"]

# Times are months since onset (< 1,000 in any real registry); a subject's code times this
# constant plus a time orders rows by subject, then time, in one float key.
_KEY_STRIDE = 10_000.0


@dataclass(frozen=True)
class LineFit:
    """Least-squares lines over windows of rows: count, slope and time span per window."""

    n: np.ndarray
    slope: np.ndarray
    span: np.ndarray


@dataclass(frozen=True)
class ScoreTable:
    """One scale's scores, sorted by subject then time since onset.

    Attributes
    ----------
    ids : numpy.ndarray
        Subject id of each subject code.
    subject : numpy.ndarray
        Subject code of each row (``int64``).
    t : numpy.ndarray
        Months since the subject's onset.
    y : numpy.ndarray
        Score.
    first_row : numpy.ndarray
        Row index of the first row of the row's subject.
    n_without_onset : int
        Subjects with scores on this scale but no onset date (left out).
    sums : tuple of numpy.ndarray
        Prefix sums of ``1, t, y, t², t·y`` (``t`` centred per subject), one longer than the
        rows.
    """

    ids: np.ndarray
    subject: np.ndarray
    t: np.ndarray
    y: np.ndarray
    first_row: np.ndarray
    n_without_onset: int
    sums: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]

    def __len__(self) -> int:
        return len(self.t)

    def fit(self, lo: np.ndarray, hi: np.ndarray) -> LineFit:
        """Least-squares slope of ``y`` on ``t`` over rows ``lo <= row < hi`` (same subject).

        Windows with fewer than two rows, or no spread in time, get a NaN slope.
        """
        p1, pt, py, ptt, pty = self.sums
        n = p1[hi] - p1[lo]
        st = pt[hi] - pt[lo]
        sy = py[hi] - py[lo]
        stt = ptt[hi] - ptt[lo]
        sty = pty[hi] - pty[lo]
        sxx = stt - np.divide(st * st, n, out=np.zeros_like(st), where=n > 0)
        sxy = sty - np.divide(st * sy, n, out=np.zeros_like(st), where=n > 0)
        ok = (n >= 2) & (sxx > 1e-9)
        slope = np.divide(sxy, sxx, out=np.full_like(sxx, np.nan), where=ok)
        last = np.clip(hi - 1, 0, len(self.t) - 1)
        first = np.clip(lo, 0, len(self.t) - 1)
        span = np.where(n >= 1, self.t[last] - self.t[first], 0.0)
        return LineFit(n=n.astype(np.int64), slope=slope, span=span)

    def rows_until(self, subject: np.ndarray, t: np.ndarray) -> np.ndarray:
        """For each ``(subject, t)``: one past the last row of that subject with time ``<= t``."""
        key = self.subject * _KEY_STRIDE + self.t
        found: np.ndarray = np.searchsorted(
            key, subject * _KEY_STRIDE + np.minimum(t, _KEY_STRIDE - 1), "right"
        )
        return found


def score_table(
    frames: RegistryFrames, scale: ScaleKey = ScaleKey.ALSFRS_R, subject_ids: pd.Index | None = None
) -> ScoreTable:
    """Gather one scale's scores with months since onset, sorted by subject and time.

    Parameters
    ----------
    frames : RegistryFrames
        The registry.
    scale : ScaleKey
        Which scores.
    subject_ids : pandas.Index, optional
        Keep only these subjects.

    Returns
    -------
    ScoreTable
    """
    scores = frames.scores.loc[
        frames.scores["scale"] == scale.value, ["subject_id", "date", "total"]
    ]
    if subject_ids is not None:
        scores = scores.loc[scores["subject_id"].isin(subject_ids)]
    onset = frames.subjects.set_index("subject_id")["onset_date"]
    scores = scores.assign(onset=scores["subject_id"].map(onset))
    missing = scores["onset"].isna()
    n_without = int(scores.loc[missing, "subject_id"].nunique())
    scores = scores.loc[~missing & scores["total"].notna()]
    codes, ids = pd.factorize(scores["subject_id"], sort=True)
    days = (scores["date"] - scores["onset"]).dt.days.to_numpy(dtype=float)
    t = days / DAYS_PER_MONTH
    y = scores["total"].to_numpy(dtype=float)
    order = np.lexsort((t, codes))
    subject = codes[order].astype(np.int64)
    t, y = t[order], y[order]
    starts = (
        np.flatnonzero(np.concatenate([[True], subject[1:] != subject[:-1]]))
        if len(t)
        else np.array([], dtype=np.int64)
    )
    first_row = np.repeat(starts, np.diff(np.concatenate([starts, [len(t)]]))).astype(np.int64)
    tc = t - t[first_row]  # centred per subject: keeps the sums well scaled
    p1, pt, py, ptt, pty = (
        np.concatenate([[0.0], np.cumsum(c)]) for c in (np.ones_like(tc), tc, y, tc * tc, tc * y)
    )
    return ScoreTable(
        ids=np.asarray(ids, dtype=object),
        subject=subject,
        t=t,
        y=y,
        first_row=first_row,
        n_without_onset=n_without,
        sums=(p1, pt, py, ptt, pty),
    )
