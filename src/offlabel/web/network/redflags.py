"""The red-flags self-check: warning signs as data (``red_flags.toml``) and a plain result."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATA_FILE = Path(__file__).with_name("red_flags.toml")
# Up to this many signs the result says "some"; more says "many".
SOME_UP_TO = 2


@dataclass(frozen=True)
class Sign:
    key: str
    question: str
    why: str


@dataclass(frozen=True)
class Result:
    band: str  # "none" | "some" | "many"
    count: int
    total: int
    headline: str
    advice: str


@cache
def signs() -> tuple[Sign, ...]:
    """The warning signs, in page order; a broken data file fails loudly, naming the entry."""
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    found: list[Sign] = []
    for number, entry in enumerate(data.get("sign", []), start=1):
        missing = [name for name in ("key", "question", "why") if not entry.get(name)]
        if missing:
            raise ImproperlyConfigured(
                f"{DATA_FILE.name}: sign {number} lacks {', '.join(missing)}."
            )
        found.append(Sign(entry["key"], entry["question"], entry["why"]))
    keys = [s.key for s in found]
    if len(set(keys)) != len(keys) or not found:
        raise ImproperlyConfigured(f"{DATA_FILE.name}: sign keys must be present and unique.")
    return tuple(found)


def assess(ticked: set[str]) -> Result:
    """How many of the known warning signs were ticked, in plain words. Never says "safe"."""
    known = {s.key for s in signs()}
    count = len(ticked & known)
    total = len(known)
    if count == 0:
        return Result(
            "none",
            count,
            total,
            "You ticked none of the warning signs.",
            "That does not show the treatment works or is harmless: it only means none of these "
            "common warning signs applies. Ask your clinician or vet about it, and ask us for a "
            "review.",
        )
    if count <= SOME_UP_TO:
        return Result(
            "some",
            count,
            total,
            f"You ticked {count} of {total} warning signs.",
            "Be careful. Ask the seller or provider for published results, and talk it over with "
            "your clinician or vet before you pay for anything or change your care.",
        )
    return Result(
        "many",
        count,
        total,
        f"You ticked {count} of {total} warning signs: that is many.",
        "These are the marks of treatments sold on hope rather than evidence. Do not stop your "
        "current care, do not pay up front, and talk to your clinician or vet first.",
    )
