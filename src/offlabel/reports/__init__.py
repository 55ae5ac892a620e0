"""Registry records, scales, validation rules and the bulk CSV layout (pure core, no Django).

The web registry app builds its forms and its import/export on these names; see
``CSV_LAYOUT.md`` for the file layout.
"""

from offlabel.reports.csv_layout import COLUMNS, read_registry_dir, write_registry_dir
from offlabel.reports.deidentify import (
    DeidentifiedBundle,
    deidentify,
    pseudonym,
    write_deidentified_dir,
)
from offlabel.reports.problems import (
    ImportProblem,
    Problem,
    ProblemCode,
    RegistryImportError,
    ScaleDefinitionError,
)
from offlabel.reports.records import (
    DoseUnit,
    EvaluationRow,
    EventKind,
    EventRow,
    RegistryBundle,
    ScaleKey,
    ScoreRow,
    Sex,
    SideEffect,
    Sod1Genotype,
    SubjectRow,
    TreatmentRow,
)
from offlabel.reports.scales import (
    AlsfrsResult,
    ScoreError,
    check_total,
    get_scale,
    milestones_for_species,
    scales_for_species,
    score_alsfrs_r,
)

__all__ = [
    "COLUMNS",
    "AlsfrsResult",
    "DeidentifiedBundle",
    "DoseUnit",
    "EvaluationRow",
    "EventKind",
    "EventRow",
    "ImportProblem",
    "Problem",
    "ProblemCode",
    "RegistryBundle",
    "RegistryImportError",
    "ScaleDefinitionError",
    "ScaleKey",
    "ScoreError",
    "ScoreRow",
    "Sex",
    "SideEffect",
    "Sod1Genotype",
    "SubjectRow",
    "TreatmentRow",
    "check_total",
    "deidentify",
    "get_scale",
    "milestones_for_species",
    "pseudonym",
    "read_registry_dir",
    "scales_for_species",
    "score_alsfrs_r",
    "write_deidentified_dir",
    "write_registry_dir",
]
