"""Turn an uploaded file or a list of pasted identifiers into preview items.

The literature core does the reading (``formats.parse_file``), the look-ups (``online``
clients), the classification and the de-duplication; this module only adapts them to an
upload, and marks each record against the topic's library and the stored references.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.format_names import FORMAT_LABELS
from offlabel.literature.records import Record, normalize_doi
from offlabel.untrusted import limited
from offlabel.web.catalog.models import Topic
from offlabel.web.common.uploads import upload_limits
from offlabel.web.literature.convert import clean_text, reference_fields
from offlabel.web.literature.models import Reference
from offlabel.web.literature.selectors import library_identifiers, references_by_identifier

#: Largest file accepted through the web form. Bigger files belong to ``offlabel literature``.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Most identifiers looked up in one paste (each is a request to a public service).
MAX_IDENTIFIERS = 200
#: Most records shown in one preview.
MAX_PREVIEW_RECORDS = 2000

FORMATS = (("auto", "Detect from the file"), *FORMAT_LABELS.items())


class ImportRejected(Exception):
    """Nothing can be imported from this input; the message says why, for the form."""


@dataclass
class Parsed:
    """What was read: records in order, and problems that kept other records out."""

    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    source_format: str = ""


def _problem_text(problem: Any) -> str:
    return clean_text(problem)[:1000]


def parse_upload(upload: UploadedFile, *, fmt: str = "auto") -> Parsed:
    """Read an uploaded file with the core's parsers: the good records, and the bad ones as
    problems naming file, record and line (nothing is stored here).

    Raises
    ------
    ImportRejected
        The file is too large, empty, of an unknown format, or no record in it can be read;
        the message comes from the core and names the record or line.
    """
    from offlabel.literature.formats import parse_file

    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise ImportRejected(too_large_message(size))
    if size == 0:
        raise ImportRejected(f"{upload.name}: the file is empty.")
    name = Path(upload.name or "upload").name
    suffix = "".join(Path(name).suffixes[-2:])[:20]
    # The core reads paths (it sniffs gzip and formats from the bytes and the suffix), so the
    # upload is written to a private temporary file first.
    handle, temp_path = tempfile.mkstemp(prefix="offlabel-import-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            with limited(upload_limits()):
                result = parse_file(
                    temp_path, format=fmt, skip_bad=True, max_bytes=MAX_UPLOAD_BYTES
                )
        except LiteratureParseError as error:
            raise ImportRejected(_name_file(_problem_text(error), temp_path, name)) from None
        except (ValueError, OSError, EOFError, UnicodeError) as error:
            message = _name_file(_problem_text(error), temp_path, name)
            raise ImportRejected(f"{name}: cannot be read ({message})") from None
    finally:
        Path(temp_path).unlink(missing_ok=True)
    records = [r for r in result.records if isinstance(r, Record)]
    problems = [_name_file(_problem_text(p), temp_path, name) for p in result.problems]
    fmt_used = getattr(result, "format", "") or (records[0].source_format if records else fmt)
    if not records and not problems:
        raise ImportRejected(f"{name}: no records found in the file.")
    if not records:
        raise ImportRejected(f"{name}: no record could be read. " + " ".join(problems[:5]))
    if len(records) > MAX_PREVIEW_RECORDS:
        raise ImportRejected(
            f"{name}: {len(records)} records is more than one preview can show "
            f"({MAX_PREVIEW_RECORDS}); split the file or use the command line."
        )
    return Parsed(records=records, problems=problems, source_format=str(fmt_used or ""))


def _name_file(message: str, temp_path: str, name: str) -> str:
    """Messages from the core name the temporary file; show the uploaded file's name."""
    return message.replace(temp_path, name).replace(Path(temp_path).name, name)


def too_large_message(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the web import takes files up to "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it, or import it on the command line "
        "(offlabel literature parse)."
    )


# -- pasted identifiers -------------------------------------------------------------------------

_PMID = re.compile(r"^(?:pmid:?\s*)?([1-9]\d{0,9})$", re.IGNORECASE)
_NCT = re.compile(r"^NCT\d{8}$", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass(frozen=True)
class Identifier:
    kind: str  # "pmid", "doi" or "nct"
    value: str
    line: int


def split_identifiers(text: str) -> tuple[list[Identifier], list[str]]:
    """One identifier per line: PMIDs, DOIs (bare or as doi.org links) and NCT ids.

    Returns the identifiers (duplicates dropped) and a problem for each line that is none.
    """
    found: list[Identifier] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().strip(",;")
        if not line:
            continue
        identifier: Identifier | None = None
        if match := _PMID.match(line):
            identifier = Identifier("pmid", match.group(1), number)
        elif _NCT.match(line):
            identifier = Identifier("nct", line.upper(), number)
        else:
            doi = normalize_doi(line)
            if doi and _DOI.match(doi):
                identifier = Identifier("doi", doi, number)
        if identifier is None:
            problems.append(f"Line {number}: “{line[:80]}” is not a PMID, DOI or NCT id.")
            continue
        if (identifier.kind, identifier.value) not in seen:
            seen.add((identifier.kind, identifier.value))
            found.append(identifier)
    if len(found) > MAX_IDENTIFIERS:
        raise ImportRejected(
            f"{len(found)} identifiers is more than one look-up takes ({MAX_IDENTIFIERS})."
        )
    return found, problems


def _transport() -> Any:
    """The HTTP transport for look-ups: ``None`` means the core's default (the network).

    Tests replace :data:`TRANSPORT_FACTORY` with one that answers from recorded responses.
    """
    return TRANSPORT_FACTORY() if TRANSPORT_FACTORY is not None else None


TRANSPORT_FACTORY: Callable[[], Any] | None = None


def _cache() -> Any:
    from offlabel.literature.online.cache import ResponseCache

    directory = Path(settings.VAR_DIR)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        return ResponseCache(directory / "literature-lookups.sqlite3")
    except (OSError, TypeError):
        return None


def lookup_identifiers(identifiers: Iterable[Identifier]) -> Parsed:
    """Fetch each identifier's record; a failed look-up is a problem for that identifier."""
    from offlabel.literature.online.crossref import CrossrefClient
    from offlabel.literature.online.ctgov import ClinicalTrialsClient
    from offlabel.literature.online.errors import OnlineLookupError
    from offlabel.literature.online.eutils import EutilsClient

    transport, cache = _transport(), _cache()
    # One quick attempt: a person is waiting for the page.
    options: dict[str, Any] = {"transport": transport, "cache": cache, "retries": 0, "timeout": 10}
    pubmed = EutilsClient(**options)
    crossref = CrossrefClient(**options)
    trials = ClinicalTrialsClient(**options)
    labels = {"pmid": "PMID", "doi": "DOI", "nct": "NCT id"}
    parsed = Parsed(source_format="lookup")
    for identifier in identifiers:
        label = f"Line {identifier.line}: {labels[identifier.kind]} {identifier.value}"
        try:
            if identifier.kind == "pmid":
                record = pubmed.fetch_one(identifier.value)
            elif identifier.kind == "doi":
                record = crossref.record(identifier.value)
            else:
                record = trials.record(identifier.value)
        except OnlineLookupError as error:
            parsed.problems.append(f"{label}: {error.reason} ({error.service}).")
            continue
        except (LiteratureParseError, ValueError, OSError) as error:
            parsed.problems.append(f"{label}: the answer could not be read ({error}).")
            continue
        parsed.records.append(record)
    return parsed


# -- preview items ----------------------------------------------------------------------------


class ItemStatus:
    """Why a record is (or is not) ticked for import by default."""

    NEW = "new"
    IN_LIBRARY = "in_library"
    IN_DATABASE = "in_database"
    DUPLICATE = "duplicate"


def _classification(record: Record, target: str) -> dict[str, Any]:
    from offlabel.literature.classify import classify

    result = classify(record, TargetSpecies(target))
    labels = {
        "species": result.species.label if result.species else "Species unknown",
        "design": result.design.label if result.design else "Design unknown",
        "category": result.category.label if result.category else "Category unknown",
    }
    return {
        "labels": labels,
        "species": result.species.value if result.species else "",
        "design": result.design.value if result.design else "",
        "category": result.category.value if result.category else "",
        "reasons": [clean_text(reason) for reason in result.reasons],
    }


def _duplicate_groups(records: list[Record]) -> dict[int, int]:
    """Index of each record that duplicates an earlier one → index of that earlier record."""
    from offlabel.literature.dedup import dedupe

    position = {id(record): index for index, record in enumerate(records)}
    _kept, duplicates = dedupe(records)
    return {position[id(d.duplicate)]: position[id(d.kept)] for d in duplicates}


_IDENTIFIER_LABELS = (("pmid", "PMID"), ("doi", "DOI"), ("nct", "NCT"))


def preview_items(topic: Topic, records: list[Record]) -> list[dict[str, Any]]:
    """One JSON-ready item per record, with its classification and problems."""
    target = topic.condition.species
    in_library = library_identifiers(topic)
    duplicates = _duplicate_groups(records)
    stored = _StoredReferences(records)
    items: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        fields = reference_fields(record)
        classification = _classification(record, target)
        fields["species"] = classification["species"]
        fields["design"] = classification["design"]
        problems: list[str] = []
        status = ItemStatus.NEW
        existing_id: int | None = None
        if not fields["title"]:
            identifier = next(
                (f"{label} {fields[key]}" for key, label in _IDENTIFIER_LABELS if fields[key]),
                None,
            )
            if identifier:
                fields["title"] = f"[Untitled: {identifier}]"
                problems.append(
                    f"No title in the file: it is stored as “{fields['title']}”; edit it after "
                    "the import."
                )
            else:
                problems.append("No title: it cannot be imported.")
        library_hit = next(
            (
                f"{label} {fields[key]}"
                for key, label in _IDENTIFIER_LABELS
                if fields[key] and fields[key].lower() in {v.lower() for v in in_library[key]}
            ),
            None,
        )
        if index in duplicates:
            status = ItemStatus.DUPLICATE
            problems.append(f"Duplicate of record {duplicates[index] + 1} in this import.")
        if library_hit:
            status = ItemStatus.IN_LIBRARY
            problems.append(f"Already in this topic’s library ({library_hit}).")
        existing = stored.match(fields)
        if existing is not None:
            existing_id = existing.pk
            if not library_hit:
                if status == ItemStatus.NEW:
                    status = ItemStatus.IN_DATABASE
                problems.append(
                    f"Already stored as a reference (“{existing.title[:80]}”): it will be "
                    "added to this library, its stored details kept."
                )
        items.append(
            {
                "key": str(index),
                "position": record.position + 1,
                "fields": fields,
                "classification": classification,
                "problems": problems,
                "status": status,
                "existing_reference": existing_id,
                "keep": status in (ItemStatus.NEW, ItemStatus.IN_DATABASE)
                and bool(fields["title"]),
            }
        )
    return items


class _StoredReferences:
    """The stored references sharing an identifier with any of the records (three queries)."""

    def __init__(self, records: list[Record]) -> None:
        self.by = references_by_identifier(
            {
                "pmid": {r.pmid for r in records if r.pmid},
                "doi": {r.doi.lower() for r in records if r.doi},
                "nct": {r.nct.upper() for r in records if r.nct},
            }
        )

    def match(self, fields: dict[str, Any]) -> Reference | None:
        for key in ("pmid", "doi", "nct"):
            if fields[key] and fields[key] in self.by[key]:
                return self.by[key][fields[key]]
        return None
