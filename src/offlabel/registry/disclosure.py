"""The small-cell rule of every public figure: one threshold, one helper, one sentence.

Public pages (topic panels, the registry snapshots frozen into reviews, their PDF, Markdown and
JSON) never show a count of subjects from 1 to ``threshold - 1`` (``OFFLABEL_MIN_CELL``, 5 by
default), nor a figure that would give one away:

- a count (a rating level, a side effect, a Kaplan–Meier group's dogs or events) of 1 to
  ``threshold - 1`` is shown as ``"<threshold"``; a rating level's percent and interval are then
  withheld too (they would give the count back), and the chart leaves its bar out;
- the ratings as a whole are shown only when at least ``threshold`` subjects rated the therapy;
- a range of doses or costs, and a trajectory band's bin, only when at least ``threshold``
  courses or subjects stand behind it;
- the Kaplan–Meier curves, their table of groups and the comparisons drawn from them (log-rank
  test, Cox model) only when every group has at least ``threshold`` dogs; and each curve, with
  its risk table (dogs at risk), ends where fewer than ``threshold`` dogs remain at risk, so
  no step of a public curve (nor a risk-table cell) stands for fewer dogs than that. A stored
  curve without its numbers at risk (frozen before them) is not shown at all.

:func:`public_summary` applies the rule to a topic summary (what
``outcomes.runner.topic_summary`` returns, and what a snapshot freezes); it is idempotent, so
the pages apply it again to what was stored before. :func:`rule_sentence` is the footer that
says what the rule does. Reviewers' own pages (signed-in reviewers and editors) show exact
counts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from offlabel.evidence.wording import fill, gettext_noop

__all__ = [
    "is_small",
    "public_curve",
    "public_levels",
    "public_risk_row",
    "public_summary",
    "public_survival",
    "rule_sentence",
]


def is_small(n: Any, threshold: int) -> bool:
    """A count of 1 to ``threshold - 1`` (0 and unknown are not small cells)."""
    return n is not None and 0 < int(n) < threshold


def suppressed(n: int | None, threshold: int) -> str:
    """A count as a public page prints it: ``"<threshold"`` when small, ``"–"`` when unknown."""
    if n is None:
        return "–"
    return f"<{threshold}" if is_small(n, threshold) else str(n)


def public_levels(levels: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    """Rating levels with small counts withheld (their n, percent and interval)."""
    out: dict[str, Any] = {}
    for name, level in levels.items():
        row = dict(level)
        if row.get("suppressed") or is_small(row.get("n"), threshold):
            row.update(n=None, pct=None, ci_low=None, ci_high=None, suppressed=True)
            row["shown"] = f"<{threshold}"
        else:
            row["suppressed"] = False
            row["shown"] = suppressed(row.get("n"), threshold)
        out[name] = row
    return out


CURVE_COLUMNS = ("days", "survival", "ci_low", "ci_high", "at_risk")


def public_curve(curve: Mapping[str, Any], threshold: int) -> dict[str, list[Any]] | None:
    """A Kaplan–Meier curve cut where fewer than ``threshold`` dogs remain at risk: only its
    points (and their numbers at risk) with at least ``threshold`` at risk. ``None`` when the
    curve has no numbers at risk (it cannot be cut) or no point is left."""
    at_risk = curve.get("at_risk")
    if not at_risk:
        return None
    keep = 0
    for n in at_risk:  # at risk only falls with time: the points kept are a prefix
        if n is None or int(n) < threshold:
            break
        keep += 1
    if keep == 0:
        return None
    return {column: list(curve.get(column) or [])[:keep] for column in CURVE_COLUMNS}


def public_survival(survival: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    """The survival figures, or only why they are withheld when a group is a small cell."""
    if survival.get("withheld"):
        return dict(survival)
    groups = survival.get("groups") or {}
    if any(is_small(g.get("n"), threshold) for g in groups.values()):
        return {
            "endpoint": survival.get("endpoint"),
            "landmark_days": survival.get("landmark_days"),
            "caveats": list(survival.get("caveats") or []),
            "withheld": fill(WITHHELD_TEMPLATE, {"threshold": threshold}),
        }
    out = dict(survival)
    out["groups"] = {
        name: {**g, "events_shown": suppressed(g.get("events"), threshold)}
        for name, g in groups.items()
    }
    if "curves" in out:
        cut = {name: public_curve(c, threshold) for name, c in (out["curves"] or {}).items()}
        out["curves"] = {name: c for name, c in cut.items() if c is not None}
    if "risk_table" in out:
        out["risk_table"] = {
            name: public_risk_row(row, threshold) for name, row in (out["risk_table"] or {}).items()
        }
    return out


def public_risk_row(row: Mapping[str, Any], threshold: int) -> dict[str, list[Any]]:
    """One group's risk table cut like its curve: the columns (months) while at least
    ``threshold`` dogs remain at risk."""
    months, at_risk = list(row.get("months") or []), list(row.get("at_risk") or [])
    keep = 0
    for n in at_risk:
        if n is None or int(n) < threshold:
            break
        keep += 1
    return {"months": months[:keep], "at_risk": at_risk[:keep]}


def public_summary(summary: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    """A topic summary (or a snapshot's figures) under the small-cell rule (a new dict)."""
    out = copy.deepcopy(dict(summary))
    evaluations = out.get("evaluations")
    if isinstance(evaluations, dict) and "levels" in evaluations:
        evaluations["levels"] = public_levels(evaluations["levels"], threshold)
    if isinstance(out.get("levels"), dict):
        out["levels"] = public_levels(out["levels"], threshold)
    if isinstance(out.get("survival"), dict):
        out["survival"] = public_survival(out["survival"], threshold)
    return out


def rule_sentence(threshold: int) -> str:
    """The footer of every public figure: exactly what the rule above does."""
    return fill(RULE_TEMPLATE, {"below": threshold - 1, "threshold": threshold})


#: Why survival figures are not shown (a msgid of the web's catalogue).
WITHHELD_TEMPLATE = gettext_noop(
    "A group has fewer than {threshold} dogs, so the Kaplan–Meier curves, their table and the "
    "comparisons are not shown."
)

#: The small-cell rule in words (a msgid of the web's catalogue, see ``evidence.wording``).
RULE_TEMPLATE = gettext_noop(
    "Small-cell rule: a count of 1 to {below} subjects is shown as “<{threshold}” "
    "(a rating's percent and interval are then withheld too); ratings are shown only when "
    "at least {threshold} subjects rated the therapy; ranges of dose and cost, and "
    "trajectory bins, only when at least {threshold} courses or subjects stand behind "
    "them; survival curves and their comparisons only when every group has at least "
    "{threshold} dogs, and each curve and its table of dogs at risk end where fewer than "
    "{threshold} dogs remain at risk."
)
