"""A frozen registry snapshot as plain data for a review's exports, drawn from its stored figures.

A snapshot (``web/analytics``' ``RegistrySnapshot``) keeps the numbers of one section (Cases or
Risks) as plain JSON at the time it was frozen. :func:`snapshot_entry` reads that JSON into a
:class:`SnapshotEntry` with the same small-cell suppression the review page applies, so the PDF,
Markdown and JSON show what the page shows: the efficacy chart and its Wilson table (Cases), the
side effects, dose and cost (Risks), the natural-history sentence, survival and the caveats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from offlabel.evidence.wording import Words, english, fill, gettext_noop
from offlabel.registry.disclosure import public_summary, rule_sentence
from offlabel.registry.disclosure import suppressed as suppressed
from offlabel.reports import charts
from offlabel.reports.svg import Svg

__all__ = ["LevelRow", "SnapshotEntry", "snapshot_entry", "snapshot_markdown", "suppressed"]

LEVEL_ORDER = ("none", "slight", "moderate", "major", "cant_tell")
SECTION_LABELS = {"cases": "Cases", "risks": "Risks"}


def _number(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    number = float(value)
    if number != number:  # NaN: nothing to show
        return "–"
    return f"{number:.{digits}f}"


@dataclass(frozen=True)
class LevelRow:
    """One row of the Wilson table: subjects whose highest rating was this level."""

    label: str
    name: str
    n: int | None
    pct: float | None
    ci_low: float | None
    ci_high: float | None
    shown: str = ""

    @property
    def cells(self) -> tuple[str, str, str, str]:
        """Rating, n, percent and the 95% Wilson interval, as the tables print them (a small
        cell: "<5" and nothing that would give it back)."""
        if self.pct is None:
            return (self.name, self.shown or "–", "–", "–")
        return (
            self.name,
            self.shown or str(self.n),
            f"{_number(self.pct)}%",
            f"{_number(self.ci_low)}–{_number(self.ci_high)}%",
        )


@dataclass(frozen=True)
class SnapshotEntry:
    """Everything one frozen snapshot shows under its section of the review."""

    section: str
    data_date: dt.date
    n: int
    therapy: str
    species: str
    n_evaluating: int
    min_cell: int
    levels: Sequence[LevelRow] = ()
    levels_shown: bool = False
    stability_sentence: str = ""
    survival: Sequence[tuple[str, str, str, str, str]] = ()
    survival_text: str = ""
    side_effects: Sequence[tuple[str, str]] = ()
    doses: Sequence[str] = ()
    cost: str = ""
    caveats: Sequence[str] = field(default_factory=tuple)
    carried_from_version: int | None = None
    #: Unique among a document's snapshots: salts the chart's element ids.
    key: str = ""

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section.title())

    @property
    def heading(self) -> str:
        return f"Registry snapshot of {self.data_date.day} {self.data_date:%B %Y}"

    @property
    def intro(self) -> str:
        return (
            f"Registry figures frozen on {self.data_date.isoformat()} for this version: {self.n} "
            f"subjects reporting {self.therapy}, {self.n_evaluating} rating it. Later registry "
            "data do not change these figures."
        )

    @property
    def species_word(self) -> str:
        return (
            gettext_noop("owners of dogs with DM")
            if self.species == "dog"
            else gettext_noop("people with ALS")
        )

    @property
    def table_caption(self) -> str:
        return (
            f"Highest rating per subject: {self.n_evaluating} evaluating of {self.n} reporting "
            f"{self.therapy}"
        )

    def chart(self, key: str = "", words: Words = english) -> Svg | None:
        """The efficacy bars with Wilson intervals (Cases, when enough subjects rated it)."""
        key = key or f"snapshot-{self.key or self.section}"
        if not (self.levels_shown and self.levels):
            return None
        return charts.efficacy_chart(
            [
                {"label": r.label, "pct": r.pct, "ci_low": r.ci_low, "ci_high": r.ci_high}
                for r in self.levels
                if r.pct is not None
            ],
            key=key,
            title=fill(
                words(gettext_noop("How {therapy} was rated by {who}")),
                {"therapy": self.therapy, "who": words(self.species_word)},
            ),
            n_evaluating=self.n_evaluating,
            words=words,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values: the stored figures as shown (suppressed counts as text)."""
        return {
            "section": self.section,
            "data_date": self.data_date.isoformat(),
            "n_reporting": self.n,
            "n_evaluating": self.n_evaluating,
            "therapy": self.therapy,
            "species": self.species,
            "min_cell": self.min_cell,
            "small_cell_rule": rule_sentence(self.min_cell),
            "carried_from_version": self.carried_from_version,
            "levels": [
                {
                    "level": r.label,
                    "n": r.shown if r.pct is None else r.n,
                    "pct": r.pct,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                    "interval": "95% Wilson",
                }
                for r in self.levels
            ]
            if self.levels_shown
            else None,
            "stability_sentence": self.stability_sentence,
            "survival": [dict(zip(SURVIVAL_COLUMNS, row, strict=True)) for row in self.survival],
            "survival_text": self.survival_text,
            "side_effects": [
                {"name": name, "subjects": shown} for name, shown in self.side_effects
            ],
            "doses": list(self.doses),
            "cost_per_month": self.cost,
            "caveats": list(self.caveats),
        }


SURVIVAL_COLUMNS = ("group", "subjects", "events", "median_days", "median_ci")


def _levels(figures: Mapping[str, Any]) -> list[LevelRow]:
    levels = figures.get("levels") or {}

    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    return [
        LevelRow(
            name,
            charts.LEVEL_LABELS.get(name, name),
            None if levels[name].get("n") is None else int(levels[name]["n"]),
            number(levels[name].get("pct")),
            number(levels[name].get("ci_low")),
            number(levels[name].get("ci_high")),
            str(levels[name].get("shown") or ""),
        )
        for name in LEVEL_ORDER
        if name in levels
    ]


def _p_text(p: Any) -> str:
    if p is None:
        return gettext_noop("not computed")
    return "p < 0.001" if float(p) < 0.001 else f"p = {float(p):.3f}"


def _survival(figures: Mapping[str, Any]) -> tuple[list[tuple[str, str, str, str, str]], str]:
    survival = figures.get("survival") or {}
    if not survival:
        return [], ""
    if survival.get("withheld"):
        return [], str(survival["withheld"])
    rows = []
    for name, group in (survival.get("groups") or {}).items():
        if name not in ("treated", "untreated"):
            continue
        ci = group.get("median_ci") or [None, None]
        median = group.get("median_days")
        rows.append(
            (
                name,
                str(group.get("n", "–")),
                str(group.get("events_shown", group.get("events", "–"))),
                gettext_noop("not reached") if median is None else _number(median),
                f"{_number(ci[0])}–{_number(ci[1])}",
            )
        )
    primary = survival.get("primary") or {}
    if primary:
        text = fill(
            SURVIVAL_PRIMARY,
            {
                "method": primary.get("method"),
                "hr": _number(primary.get("hr"), 2),
                "low": _number(primary.get("ci_low"), 2),
                "high": _number(primary.get("ci_high"), 2),
                "p": _p_text(primary.get("p")),
            },
        )
    else:
        text = SURVIVAL_NO_PRIMARY
    return rows, text


#: A snapshot's own sentences (msgids of the web's catalogue, see ``evidence.wording``).
SURVIVAL_PRIMARY = gettext_noop(
    "Primary result ({method}): hazard ratio {hr} (95% CI {low}–{high}), {p}; a ratio below "
    "1 means dogs reached the event later once on the therapy. The ever- and never-treated "
    "groups are a description only (no test: immortal time)."
)
SURVIVAL_NO_PRIMARY = gettext_noop(
    "The ever- and never-treated groups are a description only (no test: immortal time); no "
    "primary result was frozen."
)
DOSE_HIDDEN = gettext_noop("Dose ({unit}): fewer than {threshold} courses")
DOSE_RANGE = gettext_noop("Dose ({unit}): {min}–{max}, median {median}")
SYNTHETIC = gettext_noop(
    "Synthetic data: {n} of the registry's subjects were simulated demo records, not real "
    "patients or dogs; these figures describe that simulation, not any treatment."
)
TEMPLATES = (SURVIVAL_PRIMARY, DOSE_HIDDEN, DOSE_RANGE, SYNTHETIC)


def _risks(figures: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    side_effects = [
        (str(item["name"]), suppressed(int(item["n"]), threshold))
        for item in figures.get("side_effects") or []
    ]
    doses = []
    for dose in figures.get("dose") or []:
        if int(dose.get("n") or 0) < threshold:
            doses.append(fill(DOSE_HIDDEN, {"unit": dose["unit"], "threshold": threshold}))
        else:
            values = {
                "unit": dose["unit"],
                "min": _number(dose.get("min"), 2),
                "max": _number(dose.get("max"), 2),
                "median": _number(dose.get("median"), 2),
            }
            doses.append(fill(DOSE_RANGE, values))
    cost = figures.get("cost_per_month") or {}
    if int(cost.get("n") or 0) >= threshold:
        cost_text = f"${_number(cost.get('min'))}–${_number(cost.get('max'))}"
    else:
        cost_text = gettext_noop("too few reports")
    return {"side_effects": side_effects, "doses": doses, "cost": cost_text}


def snapshot_entry(
    *,
    section: str,
    data_date: dt.date,
    n: int,
    figures: Mapping[str, Any],
    min_cell: int,
    carried_from_version: int | None = None,
    key: str = "",
) -> SnapshotEntry:
    """A snapshot's stored figures as its section of the review shows them.

    Parameters
    ----------
    section : str
        ``"cases"`` or ``"risks"``.
    data_date : datetime.date
        The day the registry was read.
    n : int
        Subjects reporting the therapy at the time.
    figures : mapping
        The snapshot's stored JSON (``therapy``, ``species``, ``n_evaluating``, ``levels`` …).
    min_cell : int
        The small-cell threshold: counts below it print as ``"<min_cell"``.
    carried_from_version : int, optional
        The review version the snapshot was first frozen into, when carried forward.
    key : str, optional
        Unique among the document's snapshots (the chart's element ids are salted with it).

    Examples
    --------
    >>> import datetime as dt
    >>> entry = snapshot_entry(section="risks", data_date=dt.date(2026, 3, 1), n=31,
    ...     figures={"therapy": "LDN", "species": "human", "n_evaluating": 15,
    ...              "side_effects": [{"name": "vivid dreams", "n": 2}]}, min_cell=5)
    >>> entry.side_effects
    [('vivid dreams', '<5')]
    """
    figures = public_summary(figures, min_cell)
    n_evaluating = int(figures.get("n_evaluating") or 0)
    common: dict[str, Any] = {
        "section": section,
        "data_date": data_date,
        "n": int(n),
        "therapy": str(figures.get("therapy", "")),
        "species": str(figures.get("species", "")),
        "n_evaluating": n_evaluating,
        "min_cell": min_cell,
        "caveats": (
            *(
                (fill(SYNTHETIC, {"n": int(figures["synthetic"])}),)
                if figures.get("synthetic")
                else ()
            ),
            *(str(c) for c in figures.get("caveats") or ()),
        ),
        "carried_from_version": carried_from_version,
        "key": key,
    }
    if section == "cases":
        survival, survival_text = _survival(figures)
        return SnapshotEntry(
            **common,
            levels=tuple(_levels(figures)),
            levels_shown=n_evaluating >= min_cell,
            stability_sentence=str(figures.get("stability_sentence") or ""),
            survival=tuple(survival),
            survival_text=survival_text,
        )
    return SnapshotEntry(**common, **_risks(figures, min_cell))


def snapshot_markdown(entry: SnapshotEntry) -> list[str]:
    """The snapshot as Markdown lines (a level-3 heading, tables, lists and caveats)."""
    lines = [f"### {entry.heading}", "", entry.intro, ""]
    if entry.carried_from_version is not None:
        lines += [f"_Carried over from version {entry.carried_from_version}._", ""]
    if entry.section == "cases":
        if entry.levels_shown:
            lines += [
                f"{entry.table_caption}:",
                "",
                "| Rating | n | % | 95% CI (Wilson) |",
                "|---|---|---|---|",
                *("| " + " | ".join(row.cells) + " |" for row in entry.levels),
                "",
            ]
        else:
            lines += [f"Fewer than {entry.min_cell} subjects had rated it; ratings not shown.", ""]
        if entry.stability_sentence:
            lines += [f"> {entry.stability_sentence}", ""]
        if not entry.survival and entry.survival_text:
            lines += [entry.survival_text, ""]
        if entry.survival:
            lines += [
                "| Group | Dogs | Events | Median (days) | 95% CI |",
                "|---|---|---|---|---|",
                *("| " + " | ".join(row) + " |" for row in entry.survival),
                "",
                entry.survival_text,
                "",
            ]
    else:
        if entry.side_effects:
            lines += [
                f"Subjects reporting each side effect (below {entry.min_cell}: "
                f'"<{entry.min_cell}"):',
                "",
                "| Side effect | Subjects |",
                "|---|---|",
                *(f"| {name} | {shown} |" for name, shown in entry.side_effects),
                "",
            ]
        else:
            lines += ["No side effects had been reported.", ""]
        lines += [*(f"- {dose}" for dose in entry.doses), f"- Cost per month: {entry.cost}", ""]
    lines += [f"_{rule_sentence(entry.min_cell)}_", ""]
    lines += ["**Read with care:**", ""]
    lines += [f"- {c}" for c in entry.caveats] or [
        "- Registry data are self-reported by people who chose to join, and unblinded."
    ]
    lines.append("")
    return lines
