"""Evaluation summary over 1M evaluations: vectorised core vs a plain-Python reference.

Both compute the same thing on the same synthetic data (200,000 subjects, 1,000,000
evaluations of four therapy spellings, a fifth with side effects): the highest rating per
subject for one therapy (case-insensitive), counts per level and side effects counted once per
subject. The reference is a dict loop over Python lists (prepared before timing). The results
are compared before any figure is printed. The CSV load of the same data is timed separately.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from offlabel.outcomes.evaluations import summarize_evaluations
from offlabel.registry.frames import RegistryFrames, load_registry

N_EVALUATIONS = 1_000_000
N_SUBJECTS = 200_000
LEVELS = ["none", "slight", "moderate", "major", "cant_tell"]
RANK = {"cant_tell": 0, "none": 1, "slight": 2, "moderate": 3, "major": 4}


def _data(seed: int = 20110101) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = np.array([f"s{i:06d}" for i in range(N_SUBJECTS)])
    subjects = pd.DataFrame(
        {
            "subject_id": ids,
            "species": np.where(rng.random(N_SUBJECTS) < 0.7, "human", "dog"),
            "onset_date": "2019-01-01",
        }
    )
    effects = np.array(["nausea", "vivid dreams; headache", "sleepiness", "Nausea ; diarrhea"])
    has_effect = rng.random(N_EVALUATIONS) < 0.2
    evaluations = pd.DataFrame(
        {
            "subject_id": ids[rng.integers(0, N_SUBJECTS, N_EVALUATIONS)],
            "therapy": rng.choice(["LDN", "ldn", "Lithium", "Curcumin"], N_EVALUATIONS),
            "date": pd.Timestamp("2021-01-01")
            + pd.to_timedelta(rng.integers(0, 700, N_EVALUATIONS), unit="D"),
            "efficacy": rng.choice(LEVELS, N_EVALUATIONS),
            "side_effects": np.where(
                has_effect, effects[rng.integers(0, len(effects), N_EVALUATIONS)], None
            ),
        }
    )
    return subjects, evaluations


def _reference(
    subject: list[str], therapy: list[str], efficacy: list[str], effects: list[str | None]
) -> tuple[dict[str, int], dict[str, int]]:
    best: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for sid, name, level, text in zip(subject, therapy, efficacy, effects, strict=True):
        if name.strip().casefold() != "ldn":
            continue
        rank = RANK[level]
        if rank > best.get(sid, -1):
            best[sid] = rank
        if isinstance(text, str):
            for piece in text.split(";"):
                piece = piece.strip().lower()
                if piece:
                    seen.add((sid, piece))
    levels: dict[str, int] = defaultdict(int)
    names = {v: k for k, v in RANK.items()}
    for rank in best.values():
        levels[names[rank]] += 1
    side: dict[str, int] = defaultdict(int)
    for _, piece in seen:
        side[piece] += 1
    return dict(levels), dict(side)


def _best_of(runs: int, action: object) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings), result


def main() -> None:
    subjects, evaluations = _data()
    frames = RegistryFrames.from_frames(subjects, evaluations=evaluations)
    columns = (
        evaluations["subject_id"].tolist(),
        evaluations["therapy"].tolist(),
        evaluations["efficacy"].tolist(),
        evaluations["side_effects"].tolist(),
    )

    core_s, result = _best_of(3, lambda: summarize_evaluations(frames, "LDN"))
    ref_s, (ref_levels, ref_side) = _best_of(1, lambda: _reference(*columns))  # type: ignore[misc]
    ours = result.to_dict()  # type: ignore[attr-defined]
    assert {k: v["n"] for k, v in ours["levels"].items() if v["n"]} == ref_levels
    assert {e["name"]: e["n"] for e in ours["side_effects"]} == ref_side

    print(
        f"evaluation summary, {N_EVALUATIONS:,} evaluations "
        f"({ours['n_evaluating']:,} evaluators of LDN):"
    )
    print(f"  core (pandas/numpy/arrow)   {core_s:6.3f} s  {N_EVALUATIONS / core_s:12,.0f} evals/s")
    print(f"  plain-Python reference      {ref_s:6.3f} s  {N_EVALUATIONS / ref_s:12,.0f} evals/s")
    print(f"  ratio reference/core        {ref_s / core_s:6.1f}x   (target: core < 2 s)")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subjects.to_csv(root / "subjects.csv", index=False)
        evaluations.assign(date=evaluations["date"].dt.strftime("%Y-%m-%d")).to_csv(
            root / "evaluations.csv", index=False
        )
        load_s, loaded = _best_of(1, lambda: load_registry(root))
        n_rows = len(loaded.evaluations)  # type: ignore[attr-defined]
        print(
            f"  load_registry (CSV, pyarrow, validated) {load_s:6.3f} s for {n_rows:,} "
            f"evaluations + {len(subjects):,} subjects"
        )


if __name__ == "__main__":
    main()
