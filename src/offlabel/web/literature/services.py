"""Writes of the literature app. Each is one transaction and leaves audit rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.literature.models import (
    ImportBatch,
    LibraryEntry,
    Reference,
    SavedSearch,
    WatchFlag,
)
from offlabel.web.literature.selectors import (
    IDENTIFIERS,
    library_identifiers,
    references_by_identifier,
    topic_review_published_at,
)

Action = AuditEvent.Action

# Fields an import may fill on an already stored reference (never overwriting a value).
_FILLABLE = (
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "nct",
    "url",
    "abstract",
    "mesh",
    "publication_types",
    "species",
    "design",
)
_REFERENCE_FIELDS = ("kind", "title", "source", *_FILLABLE)


@transaction.atomic
def import_batch_create(
    *,
    topic: Topic,
    owner: Any,
    source: str,
    source_format: str,
    items: list[dict[str, Any]],
    problems: list[str],
) -> ImportBatch:
    """Keep a parsed import until its owner commits it (expired batches are removed here)."""
    ImportBatch.objects.filter(expires_at__lte=timezone.now()).delete()
    return ImportBatch.objects.create(
        token=uuid.uuid4(),
        topic=topic,
        owner=owner,
        source=source[:300],
        source_format=source_format[:20],
        records=items,
        problems=problems,
    )


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch) -> None:
    batch.delete()


@transaction.atomic
def import_batch_commit(*, batch: ImportBatch, keys: Iterable[str], by: User) -> list[Reference]:
    """Add the chosen records of a batch to its topic's library, all or nothing.

    A record sharing a PMID, DOI or NCT id with a stored reference reuses it (blank fields
    filled in, nothing overwritten); otherwise a new reference is created. Watch flags for
    the same records are marked imported. The batch is deleted.

    Raises
    ------
    ValueError
        No record was chosen, or a chosen key is not in the batch.
    """
    chosen = list(dict.fromkeys(str(key) for key in keys))
    by_key = {item["key"]: item for item in batch.records}
    if not chosen:
        raise ValueError("Tick at least one record to import.")
    unknown = [key for key in chosen if key not in by_key]
    if unknown:
        raise ValueError(f"Unknown record(s) in this import: {', '.join(unknown[:5])}.")
    for key in chosen:
        if not str(by_key[key]["fields"].get("title", "")).strip():
            raise ValueError(f"Record {int(key) + 1} has no title and cannot be imported.")
    fields_list = [by_key[key]["fields"] for key in chosen]
    added, _touched = _library_add_all(
        topic=batch.topic,
        fields_list=fields_list,
        by=by,
        note=f"Imported from {batch.source}",
    )
    batch.delete()
    return added


def _library_add_all(
    *,
    topic: Topic,
    fields_list: list[dict[str, Any]],
    by: User,
    note: str,
) -> tuple[list[Reference], list[Reference]]:
    """Upsert references and add them to a topic's library.

    Returns the references newly added to the library and every reference, in input order.

    Stored references and library entries are read once up front, so a large import costs a
    few queries per record (the inserts and their audit rows), not a dozen.
    """
    index = _ReferenceIndex([_normalized(fields) for fields in fields_list])
    in_library = set(
        LibraryEntry.objects.filter(topic=topic).values_list("reference_id", flat=True)
    )
    added: list[Reference] = []
    touched: list[Reference] = []
    for fields in fields_list:
        reference = index.upsert(_normalized(fields), by=by)
        touched.append(reference)
        if reference.pk in in_library:
            continue
        entry = LibraryEntry.objects.create(
            topic=topic, reference=reference, added_by=by, note=note[:300]
        )
        in_library.add(reference.pk)
        audit_record(by=by, action=Action.CREATE, instance=entry, after=snapshot(entry), note=note)
        added.append(reference)
    _flags_mark_imported(topic=topic, references=touched, by=by)
    return added, touched


def _normalized(fields: dict[str, Any]) -> dict[str, Any]:
    values = {name: fields.get(name) for name in _REFERENCE_FIELDS if name in fields}
    if values.get("doi"):
        values["doi"] = str(values["doi"]).lower()
    if values.get("nct"):
        values["nct"] = str(values["nct"]).upper()
    return values


class _ReferenceIndex:
    """The stored references sharing an identifier with the records being imported."""

    def __init__(self, values_list: list[dict[str, Any]]) -> None:
        self.by = references_by_identifier(
            {name: {str(v[name]) for v in values_list if v.get(name)} for name in IDENTIFIERS}
        )

    def _remember(self, reference: Reference) -> None:
        for name in IDENTIFIERS:
            value = getattr(reference, name)
            if value:
                self.by[name].setdefault(value, reference)

    def match(self, values: dict[str, Any]) -> Reference | None:
        for name in IDENTIFIERS:
            value = values.get(name)
            if value and value in self.by[name]:
                return self.by[name][value]
        return None

    def upsert(self, values: dict[str, Any], *, by: User) -> Reference:
        existing = self.match(values)
        if existing is None:
            return self._create(values, by=by)
        before = snapshot(existing)
        changed = []
        for name in _FILLABLE:
            new = values.get(name)
            if new in (None, "", []) or getattr(existing, name) not in (None, "", []):
                continue
            if name in IDENTIFIERS and new in self.by[name]:
                continue  # another stored reference already holds this identifier
            setattr(existing, name, new)
            changed.append(name)
        if changed:
            existing.save(update_fields=changed)
            self._remember(existing)
            audit_record(
                by=by,
                action=Action.UPDATE,
                instance=existing,
                before=before,
                after=snapshot(existing),
                note="blank fields filled by an import: " + ", ".join(changed),
            )
        return existing

    def _create(self, values: dict[str, Any], *, by: User) -> Reference:
        cleaned = {k: ("" if v is None and k != "year" else v) for k, v in values.items()}
        reference = Reference(added_by=by, **cleaned)
        try:
            reference.full_clean(
                exclude=["added_by"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise ValueError(f"“{reference.title[:80]}” cannot be stored: {problems}") from None
        reference.save()
        self._remember(reference)
        audit_record(by=by, action=Action.CREATE, instance=reference, after=snapshot(reference))
        return reference


def _flags_mark_imported(*, topic: Topic, references: list[Reference], by: User) -> None:
    pmids = {r.pmid for r in references if r.pmid}
    dois = {r.doi.lower() for r in references if r.doi}
    if not (pmids or dois):
        return
    flags = WatchFlag.objects.filter(Q(pmid__in=pmids) | Q(doi__in=dois), topic=topic).exclude(
        status=WatchFlag.Status.IMPORTED
    )
    for flag in flags:
        _flag_decide(flag=flag, status=WatchFlag.Status.IMPORTED, by=by)


def _flag_decide(*, flag: WatchFlag, status: str, by: User) -> WatchFlag:
    """Record a reviewer's decision on a flag (imported or dismissed), with its audit row."""
    before = snapshot(flag)
    flag.status = status
    flag.decided_by = by
    flag.decided_at = timezone.now()
    flag.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(by=by, action=Action.UPDATE, instance=flag, before=before, after=snapshot(flag))
    return flag


@transaction.atomic
def reference_add_to_library(
    *, topic: Topic, fields: dict[str, Any], by: User, note: str = ""
) -> Reference:
    """Add a reference typed in by a reviewer to a topic's library (reusing a stored one that
    shares its PMID, DOI or NCT id)."""
    _added, touched = _library_add_all(
        topic=topic, fields_list=[{**fields, "source": "manual"}], by=by, note=note
    )
    return touched[0]


@transaction.atomic
def saved_search_create(
    *, topic: Topic, therapy_terms: str, condition_terms: str, species: str, by: User
) -> SavedSearch:
    search = SavedSearch.objects.create(
        topic=topic,
        therapy_terms=therapy_terms.strip(),
        condition_terms=condition_terms.strip(),
        species=species,
        created_by=by,
    )
    audit_record(
        by=by,
        action=Action.CREATE,
        instance=search,
        after=snapshot(search),
    )
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, by: User) -> None:
    audit_record(
        by=by,
        action=Action.DELETE,
        instance=search,
        before=snapshot(search),
    )
    search.delete()


@transaction.atomic
def watch_flag_dismiss(*, flag: WatchFlag, by: User) -> WatchFlag:
    return _flag_decide(flag=flag, status=WatchFlag.Status.DISMISSED, by=by)


# -- the living review ----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A record a saved search found."""

    title: str
    year: int | None
    pmid: str = ""
    doi: str = ""


@transaction.atomic
def watch_flags_record(*, saved: SavedSearch, candidates: list[Candidate], note: str = "") -> int:
    """Flag the candidates that are new for the topic; returns how many flags were made."""
    topic = saved.topic
    published = topic_review_published_at(topic)
    library = library_identifiers(topic)
    flagged_pmids = set(
        WatchFlag.objects.filter(topic=topic).exclude(pmid="").values_list("pmid", flat=True)
    )
    flagged_dois = {
        doi.lower()
        for doi in WatchFlag.objects.filter(topic=topic)
        .exclude(doi="")
        .values_list("doi", flat=True)
    }
    new_flags = []
    for candidate in candidates:
        pmid, doi = candidate.pmid, candidate.doi.lower()
        if not (pmid or doi) or not candidate.title:
            continue
        if (pmid and pmid in library["pmid"]) or (doi and doi in library["doi"]):
            continue
        if (pmid and pmid in flagged_pmids) or (doi and doi in flagged_dois):
            continue
        if published is not None and candidate.year is not None and candidate.year < published.year:
            continue
        new_flags.append(
            WatchFlag(
                topic=topic,
                saved_search=saved,
                pmid=pmid,
                doi=doi[:200],
                title=candidate.title,
                year=candidate.year,
            )
        )
        flagged_pmids.add(pmid)
        if doi:
            flagged_dois.add(doi)
    WatchFlag.objects.bulk_create(new_flags)
    saved.last_run_at = timezone.now()
    saved.last_run_note = (
        f"{len(candidates)} matching, {len(new_flags)} newly flagged"
        + (f"; {note}" if note else "")
    )[:300]
    saved.save(update_fields=["last_run_at", "last_run_note"])
    audit_record(
        by=None,
        action=Action.UPDATE,
        instance=saved,
        after={"candidates": len(candidates), "flagged": len(new_flags)},
        note=note,
    )
    return len(new_flags)
