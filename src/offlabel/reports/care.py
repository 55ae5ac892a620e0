"""A CARE case report from a registry case history: Markdown and PDF, with the checklist items
it still lacks.

The checklist is data (``care_checklist.toml``): each item names the report section that
answers it and the facts of the case history it needs. :func:`care_report` reads one subject's
records (a :class:`~offlabel.registry.records.RegistryBundle`) into the report's sections —
patient information, clinical findings, timeline, diagnostic assessment, intervention,
follow-up and outcomes, the patient's or owner's perspective, consent — and lists every item
whose facts are missing, and the items only the author can write. The report is
pseudonymous: the registry's subject id, no name, the birth year only.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.records import RegistryBundle, SubjectRow
from offlabel.registry.scales import get_scale, load_milestones

__all__ = ["CareReport", "ChecklistItem", "care_checklist", "care_markdown", "care_report"]


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    what: str
    section: str = ""
    needs: tuple[str, ...] = ()
    author: bool = False


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: str
    markdown: str


@dataclass(frozen=True)
class CareReport:
    subject_id: str
    species: str
    title: str
    checklist_version: str
    sections: tuple[ReportSection, ...]
    lacking: tuple[tuple[ChecklistItem, tuple[str, ...]], ...]
    """Each item still lacking, with the facts it misses (empty for the author's items)."""

    def section(self, key: str) -> ReportSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    @property
    def lacking_keys(self) -> list[str]:
        return [item.key for item, _ in self.lacking]

    def filename(self, fmt: str) -> str:
        return f"care-report-{self.subject_id}.{fmt}"


@cache
def care_checklist() -> tuple[str, tuple[ChecklistItem, ...]]:
    """The checklist's version and items, from ``care_checklist.toml``."""
    raw = tomllib.loads(
        (resources.files("offlabel.reports") / "care_checklist.toml").read_text("utf-8")
    )
    items = tuple(
        ChecklistItem(
            key=str(item["key"]),
            title=str(item["title"]),
            what=str(item["what"]),
            section=str(item.get("section", "")),
            needs=tuple(str(n) for n in item.get("needs", ())),
            author=bool(item.get("author", False)),
        )
        for item in raw["items"]
    )
    return str(raw["version"]), items


# -- what the case history holds ----------------------------------------------------------------


def _facts(records: RegistryBundle, subject: SubjectRow) -> dict[str, bool]:
    dog = subject.species is TargetSpecies.DOG
    starts = [c.start_date for c in records.treatments]
    return {
        "species": True,
        "sex": subject.sex.value != "unknown",
        "birth_year": subject.birth_year is not None,
        "breed": bool(subject.breed) or not dog,
        "scores": bool(records.scores),
        "onset_date": True,
        "dated_entries": bool(records.treatments or records.scores or records.events),
        "diagnosis_date": subject.diagnosis_date is not None,
        "diagnosis_basis": bool(subject.diagnosis_method or subject.diagnosis_confirmed_by),
        "courses": bool(records.treatments),
        "doses": bool(records.treatments)
        and all(c.dose is not None and c.dose_unit is not None for c in records.treatments),
        "frequencies": bool(records.treatments) and all(c.frequency for c in records.treatments),
        "scores_on_treatment": bool(starts) and any(s.date >= min(starts) for s in records.scores),
        "evaluations": bool(records.evaluations),
        "adherence": any(e.adherence is not None for e in records.evaluations),
        "side_effects_assessed": bool(records.evaluations),
        "perspective": any(e.notes.strip() for e in records.evaluations),
        "consent_date": subject.consent_date is not None,
        "consent_scope": bool(subject.consent_scope),
    }


def _age(subject: SubjectRow, on: dt.date) -> str:
    if subject.birth_year is None:
        return "age not recorded"
    return f"about {on.year - subject.birth_year} years old"


def _patient(subject: SubjectRow) -> str:
    dog = subject.species is TargetSpecies.DOG
    who = "A dog" if dog else "A person"
    parts = [f"{who} ({subject.sex.label.lower()}), {_age(subject, subject.onset_date)} at onset"]
    if dog:
        parts.append(f"breed: {subject.breed or 'not recorded'}")
        if subject.weight_kg is not None:
            parts.append(f"weight {subject.weight_kg:g} kg")
    condition = "degenerative myelopathy" if dog else "amyotrophic lateral sclerosis"
    lines = [
        f"{'; '.join(parts)}.",
        "",
        f"Condition: {condition}; first signs on {subject.onset_date.isoformat()}"
        + (f" ({subject.onset_region.value} onset)." if subject.onset_region else "."),
        "",
        f"Registry subject id: `{subject.subject_id}` (pseudonymous).",
    ]
    return "\n".join(lines)


def _findings(records: RegistryBundle) -> str:
    if not records.scores:
        return "_No scores are recorded._"
    rows = ["| Date | Scale | Total |", "| --- | --- | --- |"]
    for score in sorted(records.scores, key=lambda s: (s.date, s.scale.value)):
        total = "incomplete" if score.total is None else str(score.total)
        rows.append(f"| {score.date.isoformat()} | {get_scale(score.scale).name} | {total} |")
    return "\n".join(rows)


def _timeline(records: RegistryBundle, subject: SubjectRow) -> str:
    milestones = load_milestones()
    events: list[tuple[dt.date, int, str]] = [(subject.onset_date, 0, "First signs")]
    if subject.diagnosis_date is not None:
        events.append((subject.diagnosis_date, 1, "Diagnosis"))
    for course in records.treatments:
        events.append((course.start_date, 2, f"Started {course.therapy}"))
        if course.stop_date is not None:
            why = f" ({course.reason_stopped})" if course.reason_stopped else ""
            events.append((course.stop_date, 2, f"Stopped {course.therapy}{why}"))
    for score in records.scores:
        total = "incomplete" if score.total is None else str(score.total)
        events.append((score.date, 3, f"{get_scale(score.scale).name}: {total}"))
    for evaluation in records.evaluations:
        label = evaluation.efficacy.label
        events.append((evaluation.date, 4, f"Evaluation of {evaluation.therapy}: {label}"))
    for event in records.events:
        events.append((event.date, 5, milestones[event.event].title))
    lines = ["| Date | Days since onset | Event |", "| --- | --- | --- |"]
    for date, _, text in sorted(events):
        days = (date - subject.onset_date).days
        lines.append(f"| {date.isoformat()} | {days} | {text} |")
    return "\n".join(lines)


def _diagnosis(subject: SubjectRow) -> str:
    parts = []
    if subject.diagnosis_date is not None:
        parts.append(f"Diagnosed on {subject.diagnosis_date.isoformat()}.")
    else:
        parts.append("_The date of diagnosis is not recorded._")
    if subject.diagnosis_method is not None:
        parts.append(f"Method: {subject.diagnosis_method.value.replace('_', ' ')}.")
    if subject.diagnosis_confirmed_by:
        parts.append(f"Confirmed by: {subject.diagnosis_confirmed_by}.")
    if subject.diagnosis_method is None and not subject.diagnosis_confirmed_by:
        parts.append("_How the diagnosis was made is not recorded._")
    return " ".join(parts)


def _intervention(records: RegistryBundle) -> str:
    if not records.treatments:
        return "_No treatment course is recorded._"
    lines = []
    for course in sorted(records.treatments, key=lambda c: c.start_date):
        dose = (
            f"{course.dose:g} {course.dose_unit.label}"
            if course.dose is not None and course.dose_unit is not None
            else "dose not recorded"
        )
        until = course.stop_date.isoformat() if course.stop_date else "ongoing"
        extra = [p for p in (course.frequency, course.time_of_day or "") if p]
        source = f"; source: {course.source.value}" if course.source else ""
        lines.append(
            f"- **{course.therapy}**: {dose}"
            + (f", {', '.join(extra)}" if extra else "")
            + f"; {course.start_date.isoformat()} to {until}{source}."
        )
    return "\n".join(lines)


def _outcomes(records: RegistryBundle) -> str:
    if not records.evaluations:
        return "_No evaluation of a treatment is recorded._"
    lines = []
    for e in sorted(records.evaluations, key=lambda e: e.date):
        effects = (
            ", ".join(
                f"{s.name} ({s.severity.label.lower()})" if s.severity else s.name
                for s in e.side_effects
            )
            or "none reported"
        )
        detail = [f"effect: {e.efficacy.label.lower()}", f"side effects: {effects}"]
        if e.adherence is not None:
            detail.append(f"doses taken: {e.adherence.label.lower()}")
        if e.burden is not None:
            detail.append(f"trouble taking it: {e.burden.label.lower()}")
        lines.append(f"- {e.date.isoformat()}, {e.therapy}: " + "; ".join(detail) + ".")
    return "\n".join(lines)


def _perspective(records: RegistryBundle) -> str:
    notes = [e for e in records.evaluations if e.notes.strip()]
    if not notes:
        return "_The patient's or owner's own words are not recorded._"
    return "\n\n".join(f"> {e.notes.strip()}\n>\n> — {e.date.isoformat()}" for e in notes)


def _consent(subject: SubjectRow) -> str:
    if subject.consent_date is None:
        return "_No consent is recorded in this case history._"
    scope = subject.consent_scope or "scope not recorded"
    return f"Consent given on {subject.consent_date.isoformat()}: {scope}."


def care_report(records: RegistryBundle, *, title: str = "") -> CareReport:
    """The CARE report of the one subject in ``records``."""
    if len(records.subjects) != 1:
        raise ValueError(f"a case report covers one subject, got {len(records.subjects)}")
    subject = records.subjects[0]
    dog = subject.species is TargetSpecies.DOG
    version, items = care_checklist()
    facts = _facts(records, subject)
    lacking: list[tuple[ChecklistItem, tuple[str, ...]]] = []
    for item in items:
        if item.author:
            lacking.append((item, ()))
            continue
        missing = tuple(n for n in item.needs if not facts[n])
        if missing:
            lacking.append((item, missing))
    owner = "owner" if dog else "patient"
    sections = (
        ReportSection("patient", "Patient information", _patient(subject)),
        ReportSection("findings", "Clinical findings", _findings(records)),
        ReportSection("timeline", "Timeline", _timeline(records, subject)),
        ReportSection("diagnosis", "Diagnostic assessment", _diagnosis(subject)),
        ReportSection("intervention", "Therapeutic intervention", _intervention(records)),
        ReportSection("outcomes", "Follow-up and outcomes", _outcomes(records)),
        ReportSection("perspective", f"The {owner}'s perspective", _perspective(records)),
        ReportSection("consent", "Informed consent", _consent(subject)),
    )
    condition = "degenerative myelopathy in a dog" if dog else "ALS"
    return CareReport(
        subject_id=subject.subject_id,
        species=subject.species.value,
        title=title or f"Case report: {condition} (registry case {subject.subject_id})",
        checklist_version=version,
        sections=sections,
        lacking=tuple(lacking),
    )


def _lacking_markdown(report: CareReport) -> str:
    if not report.lacking:
        return "Every item of the checklist is answered."
    lines = []
    for item, missing in report.lacking:
        why = "for the author to write" if item.author else "missing: " + ", ".join(missing)
        lines.append(f"- **{item.title}** — {item.what} ({why})")
    return "\n".join(lines)


def care_markdown(report: CareReport) -> str:
    """The report as one Markdown document, the lacking checklist items last."""
    parts = [f"# {report.title}", ""]
    for section in report.sections:
        parts += [f"## {section.heading}", "", section.markdown, ""]
    parts += [f"## Checklist items still lacking ({report.checklist_version})", ""]
    parts += [_lacking_markdown(report), ""]
    parts += [
        "_Drawn from the offlabel registry. A case report describes one case: it shows "
        "neither that a treatment works nor that it is safe._",
        "",
    ]
    return "\n".join(parts)


def care_html(report: CareReport) -> str:
    """The print page of the report (what the PDF is made from)."""
    from offlabel.reports.review_pdf import _environment

    template: Any = _environment().get_template("care.html")
    return str(template.render(report=report, lacking=_lacking_markdown(report)))


def care_pdf(report: CareReport) -> bytes:
    from weasyprint import HTML  # heavy import, only needed here

    return bytes(HTML(string=care_html(report)).write_pdf())
