"""ClinicalTrials.gov API v2 study JSON reader.

Accepts one study (``{"protocolSection": ...}``, as returned for ``/studies/NCT...``) or a
page of studies (``{"studies": [...]}``, as returned by a search) or a bare list of studies.
A registered study becomes a Record with its NCT number, titles, summary, officials as
authors, conditions and keywords, MeSH terms from the derived section, and publication types
derived from the design (randomised, phase, observational) so the classifier can read them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.names import is_organisation, parse_name
from offlabel.literature.parsers._common import ProblemHandler, Source, clean, year_of
from offlabel.literature.parsers._json import load_json
from offlabel.literature.records import Author, MeshHeading, Record

__all__ = ["iter_ctgov", "looks_like_ctgov", "study_to_record"]

_SHAPE = 'a ClinicalTrials.gov v2 study ({"protocolSection": ...}) or {"studies": [...]}'
_PHASES = {
    "EARLY_PHASE1": "Clinical Trial, Phase I",
    "PHASE1": "Clinical Trial, Phase I",
    "PHASE2": "Clinical Trial, Phase II",
    "PHASE3": "Clinical Trial, Phase III",
    "PHASE4": "Clinical Trial, Phase IV",
}


def looks_like_ctgov(head: str) -> bool:
    return '"protocolSection"' in head or ('"studies"' in head and '"nctId"' in head)


def iter_ctgov(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the studies of a ClinicalTrials.gov API v2 JSON file.

    Raises
    ------
    LiteratureParseError
        Invalid JSON (with its line), a document of another shape, or (without
        ``on_problem``) a study without an NCT number.
    """
    data, name = load_json(source, _SHAPE)
    if isinstance(data, dict) and "protocolSection" in data:
        studies: list[Any] = [data]
    elif isinstance(data, dict) and isinstance(data.get("studies"), list):
        studies = data["studies"]
    elif isinstance(data, list):
        studies = data
    else:
        raise LiteratureParseError(f"wrong JSON shape: expected {_SHAPE}", file=name)
    for position, study in enumerate(studies):
        try:
            yield study_to_record(study, name=name, position=position)
        except LiteratureParseError as exc:
            if on_problem is None:
                raise
            on_problem(exc)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def study_to_record(study: Any, *, name: str = "", position: int = 0) -> Record:
    """Turn one v2 study object into a Record."""

    def fail(problem: str, field: str | None = None) -> LiteratureParseError:
        return LiteratureParseError(problem, file=name, record=position + 1, field=field)

    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        raise fail(f"not a study: expected {_SHAPE}", "protocolSection")
    protocol = study["protocolSection"]
    ident = _dict(protocol.get("identificationModule"))
    nct = clean(ident.get("nctId"))
    if not nct:
        raise fail("study has no NCT number", "identificationModule.nctId")
    # a study without a title is kept: its NCT number identifies it
    title = clean(ident.get("officialTitle")) or clean(ident.get("briefTitle")) or ""
    status = _dict(protocol.get("statusModule"))
    description = _dict(protocol.get("descriptionModule"))
    conditions = _dict(protocol.get("conditionsModule"))
    design = _dict(protocol.get("designModule"))
    design_info = _dict(design.get("designInfo"))
    officials = _list(_dict(protocol.get("contactsLocationsModule")).get("overallOfficials"))
    interventions = _list(_dict(protocol.get("armsInterventionsModule")).get("interventions"))
    derived = _dict(study.get("derivedSection"))

    abstract = tuple(
        (label, text)
        for label, text in (
            ("Brief summary", clean(description.get("briefSummary"))),
            ("Detailed description", clean(description.get("detailedDescription"))),
        )
        if text
    )
    authors = _officials(officials)
    year = None
    for date in (
        status.get("studyFirstSubmitDate"),
        _dict(status.get("startDateStruct")).get("date"),
        _dict(status.get("studyFirstPostDateStruct")).get("date"),
    ):
        year = year_of(date)
        if year:
            break
    mesh = tuple(
        MeshHeading(str(_dict(m).get("id") or ""), str(_dict(m).get("term") or ""), False)
        for module in ("conditionBrowseModule", "interventionBrowseModule")
        for m in _list(_dict(derived.get(module)).get("meshes"))
        if _dict(m).get("term")
    )
    keywords = tuple(
        str(k) for k in _list(conditions.get("conditions")) + _list(conditions.get("keywords"))
    )
    chemicals = tuple(str(_dict(i).get("name")) for i in interventions if _dict(i).get("name"))
    return Record(
        title=title,
        nct=nct.upper(),
        abstract=abstract,
        authors=authors,
        journal="ClinicalTrials.gov",
        year=year,
        publication_types=_publication_types(design, design_info),
        mesh=mesh,
        keywords=keywords,
        chemicals=chemicals,
        source_format="ctgov",
        source_file=name,
        position=position,
        extra=tuple(
            (key, str(value))
            for key, value in (
                ("study_type", design.get("studyType")),
                ("allocation", design_info.get("allocation")),
                ("intervention_model", design_info.get("interventionModel")),
                ("masking", _dict(design_info.get("maskingInfo")).get("masking")),
                ("primary_purpose", design_info.get("primaryPurpose")),
                ("observational_model", design_info.get("observationalModel")),
                ("time_perspective", design_info.get("timePerspective")),
                ("phases", ",".join(str(p) for p in _list(design.get("phases"))) or None),
                ("overall_status", status.get("overallStatus")),
                ("enrollment", _dict(design.get("enrollmentInfo")).get("count")),
            )
            if value is not None
        ),
    )


def _officials(officials: list[Any]) -> tuple[Author, ...]:
    """The overall officials who are people ("Jane Doe, MD" → Doe J); placeholders such as
    "Bayer Study Director" or "Medical Director, Clinical Trials" name a role, not an author."""
    authors = []
    for official in officials:
        name = clean(_dict(official).get("name"))
        if not name or is_organisation(name):
            continue
        author = parse_name(name)
        if author.last_name and author.initials:
            authors.append(author)
    return tuple(authors)


_MASKED = {"SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"}
_CONTROLLED_MODELS = {"PARALLEL", "CROSSOVER", "FACTORIAL"}


def _publication_types(design: dict[str, Any], design_info: dict[str, Any]) -> tuple[str, ...]:
    """PubMed-style publication types read off every registered design field.

    Allocation, intervention model and masking decide between a randomised, a controlled and
    an uncontrolled trial; phases add their types; an observational study's model
    (cohort, case-control, case-only) its own. A trial registered without allocation says
    only "Clinical Trial", which the classifier weighs against the summary's words.
    """
    types = ["Clinical Trial Protocol"]
    study_type = str(design.get("studyType") or "").upper()
    allocation = str(design_info.get("allocation") or "").upper()
    model = str(design_info.get("interventionModel") or "").upper()
    masking = str(_dict(design_info.get("maskingInfo")).get("masking") or "").upper()
    if study_type == "INTERVENTIONAL":
        if allocation == "RANDOMIZED":
            types.append("Randomized Controlled Trial")
        elif model in _CONTROLLED_MODELS and (allocation == "NON_RANDOMIZED" or masking in _MASKED):
            types.append("Controlled Clinical Trial")
        else:
            types.append("Clinical Trial")
        types.extend(_PHASES[p] for p in _list(design.get("phases")) if p in _PHASES)
    elif study_type == "OBSERVATIONAL":
        types.append("Observational Study")
        observational = str(design_info.get("observationalModel") or "").upper()
        if observational == "CASE_CONTROL":
            types.append("Case-Control Studies")
        elif observational in {"CASE_ONLY", "ECOLOGIC_OR_COMMUNITY"}:
            types.append("Case Series" if observational == "CASE_ONLY" else "Ecological Study")
    elif study_type == "EXPANDED_ACCESS":
        types.append("Expanded Access")
    return tuple(dict.fromkeys(types))
