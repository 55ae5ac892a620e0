"""The API's pydantic schemas (what ``openapi.json`` describes).

Request bodies of the registry writes are deliberately loose (a date is a string, a number may
come as a string): the registry's own forms check them, so a script gets the same messages,
field by field, as a person filling in the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

Loose = str | int | float | bool | None


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: dict[str, list[str]] | None = Field(
        None, description="Field name → messages (invalid input only)."
    )


class PageMeta(Schema):
    count: int
    page: int
    per_page: int
    next: str | None
    previous: str | None


# -- public ------------------------------------------------------------------------------------


class TopicOut(Schema):
    slug: str
    therapy: str
    condition: str
    species: str
    status: str
    review_published_at: dt.datetime | None
    review: str | None = Field(None, description="The API address of its published review.")


class TopicPage(PageMeta):
    items: list[TopicOut]


class GradeOut(Schema):
    category: str
    label: str
    grade: str | None
    suggested_grade: str | None = None
    rule: str = ""
    basis: str = ""
    distribution: dict[str, int] = Field(description="Reviewers' votes per grade (the spread).")
    n_votes: int = 0


class AgreementOut(Schema):
    statistic: str
    alpha: float | None
    note: str


class SectionOut(Schema):
    name: str
    heading: str
    text: str


class ReferenceOut(Schema):
    number: int
    citation: str
    doi: str
    pmid: str
    nct: str
    url: str
    links: dict[str, str]


class ReadingLevel(Schema):
    grade: float | None
    measure: str


class PlainSummary(Schema):
    text: str
    reading_level: ReadingLevel


class ConflictOut(Schema):
    reviewer: str
    statement: str


class ReviewSummaryOut(Schema):
    topic: str
    version: int
    title: str
    status: str
    published: dt.date | None
    grades: dict[str, str | None]
    url: str


class ReviewPage(PageMeta):
    items: list[ReviewSummaryOut]


class ReviewOut(Schema):
    topic: str
    title: str
    therapy: str
    condition: str
    target_species: str
    version: int
    status: str
    published: dt.date | None
    authors: str
    rubric_version: str
    change_summary: str
    based_on_version: int | None
    grades: list[GradeOut]
    agreement: AgreementOut
    plain_summary: PlainSummary
    sections: list[SectionOut]
    references: list[ReferenceOut]
    evidence: list[dict[str, Any]]
    conflicts_of_interest: list[ConflictOut]
    registry_snapshots: list[dict[str, Any]]


class VersionOut(Schema):
    version: int
    status: str
    published_at: dt.datetime | None
    change_summary: str
    url: str


class RubricLevelOut(Schema):
    grade: str
    description: str
    rule: str


class RubricCategoryOut(Schema):
    category: str
    label: str
    levels: list[RubricLevelOut]


class RubricOut(Schema):
    version: str
    title: str
    categories: list[RubricCategoryOut]


class RegistryPanelOut(Schema):
    """What a topic page's registry panel shows, with the same small-cell suppression."""

    topic: str
    therapy: str
    species: str
    known: bool
    error: bool
    min_cell: int
    caveat: str
    n_reporting: int | None = None
    n_evaluating: int | None = None
    levels_shown: bool = False
    levels: list[dict[str, Any]] = []
    side_effects: list[dict[str, Any]] = []
    doses: list[dict[str, Any]] = []
    cost: dict[str, Any] | None = None
    evaluation_caveats: list[str] = []
    risk_caveats: list[str] = []
    trajectory_rows: list[dict[str, Any]] = []
    trajectory_caveats: list[str] = []
    stability_sentence: str = ""
    survival: dict[str, Any] | None = None


class LiteratureHitOut(Schema):
    pmid: int
    title: str
    year: int | None
    journal: str | None
    doi: str | None
    pmcid: str | None
    nct: str | None
    authors: list[str]
    mesh: list[str]
    publication_types: list[str]
    species: list[str]
    design: str | None
    category: str | None
    matched_by: list[str]


class LiteraturePage(PageMeta):
    items: list[LiteratureHitOut]


# -- the caller's records ------------------------------------------------------------------------


class MeOut(Schema):
    display_name: str
    roles: list[str]
    token: str
    scopes: list[str]
    expires_at: dt.datetime


class SubjectOut(Schema):
    public_id: str
    kind: str
    origin: str
    label: str
    yours: bool
    sex: str
    birth_year: int | None
    onset_date: dt.date
    onset_region: str
    diagnosis_date: dt.date | None
    diagnosis_confirmed_by: str
    diagnosis_method: str
    breed: str
    weight_kg: float | None
    sod1: str
    consent_date: dt.date | None
    url: str


class SubjectPage(PageMeta):
    items: list[SubjectOut]


class SideEffectOut(Schema):
    name: str
    severity: str


class EvaluationOut(Schema):
    id: int
    course: int
    date: dt.date
    efficacy: str
    adherence: str
    burden: str
    notes: str
    side_effects: list[SideEffectOut]


class CourseOut(Schema):
    id: int
    therapy: str
    therapy_slug: str | None
    dose: float | None
    dose_unit: str
    dose_confirmed: bool
    frequency: str
    time_of_day: str
    start_date: dt.date
    stop_date: dt.date | None
    reason_stopped: str
    source: str
    cost_per_month: float | None
    evaluations: list[EvaluationOut]


class ScoreOut(Schema):
    id: int
    date: dt.date
    scale: str
    total: int | None
    items: dict[str, int | str] | None
    subscores: dict[str, int | None] | None
    confirmed: bool


class MilestoneOut(Schema):
    id: int
    event: str
    date: dt.date


class RecordOut(Schema):
    subject: SubjectOut
    courses: list[CourseOut]
    scores: list[ScoreOut]
    milestones: list[MilestoneOut]


class _Body(Schema):
    model_config = ConfigDict(extra="forbid")


class SubjectIn(_Body):
    kind: str = Field(description="person or dog")
    case_history: bool = Field(False, description="A clinician's or vet's case history.")
    name: Loose = None
    sex: Loose = None
    birth_year: Loose = None
    onset_date: Loose = None
    onset_region: Loose = None
    diagnosis_date: Loose = None
    diagnosis_confirmed_by: Loose = None
    breed: Loose = None
    weight_kg: Loose = None
    sod1: Loose = None
    diagnosis_method: Loose = None
    consent_date: Loose = None
    consent_scope: Loose = None


class CourseIn(_Body):
    therapy: Loose = Field(None, description="A catalogue therapy's slug.")
    therapy_text: Loose = None
    dose: Loose = None
    dose_unit: Loose = None
    frequency: Loose = None
    time_of_day: Loose = None
    start_date: Loose = None
    stop_date: Loose = None
    reason_stopped: Loose = None
    source: Loose = None
    cost_per_month: Loose = None
    confirm_dose: bool = False


class SideEffectIn(_Body):
    name: Loose = None
    severity: Loose = None


class EvaluationIn(_Body):
    date: Loose = None
    efficacy: Loose = None
    adherence: Loose = None
    burden: Loose = None
    notes: Loose = None
    side_effects: list[SideEffectIn] = []


class ScoreIn(_Body):
    date: Loose = None
    items: dict[str, Loose] | None = Field(
        None, description="ALSFRS-R item key (1…12, 5a, 5b) → 0–4, not_done or unknown."
    )
    total: Loose = None
    stage: Loose = Field(None, description="A dog's DM stage (1–4).")
    gait: Loose = Field(None, description="A dog's pelvic-limb gait score.")
    confirm: bool = Field(False, description="Confirm an unusual change.")


class MilestoneIn(_Body):
    event: Loose = None
    date: Loose = None
