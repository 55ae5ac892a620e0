"""How a parsed, classified record becomes one row of the Parquet index.

The schema is fixed here so every partition, whoever wrote it, has the same columns and
types, and DuckDB can read a directory of partitions as one table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from offlabel.literature.classify import Classification
from offlabel.literature.records import Record

_TEXT_LIST = pa.list_(pa.string())

#: Columns of every partition (``records/*.parquet``).
RECORD_SCHEMA = pa.schema(
    [
        pa.field("pmid", pa.int64(), nullable=False),
        pa.field("doi", pa.string()),
        pa.field("pmcid", pa.string()),
        pa.field("nct", pa.string()),
        pa.field("title", pa.string()),
        pa.field("abstract", pa.string()),
        pa.field("journal", pa.string()),
        pa.field("year", pa.int32()),
        pa.field("authors", _TEXT_LIST),
        pa.field("mesh", _TEXT_LIST),
        pa.field("mesh_major", _TEXT_LIST),
        pa.field("publication_types", _TEXT_LIST),
        pa.field("keywords", _TEXT_LIST),
        pa.field("chemicals", _TEXT_LIST),
        pa.field("language", pa.string()),
        pa.field("species", _TEXT_LIST),
        pa.field("design", pa.string()),
        pa.field("category", pa.string()),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)

#: Columns of ``deletions/*.parquet``: PMIDs an update file withdraws.
DELETION_SCHEMA = pa.schema(
    [
        pa.field("pmid", pa.int64(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
    ]
)


def _lists(values: list[Any], offsets: list[int]) -> pa.ListArray:
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, pa.string()))


def _flattened(groups: Iterable[Sequence[str]]) -> pa.ListArray:
    """One list column from per-record sequences, converted to Arrow in one call."""
    values: list[str] = []
    offsets = [0]
    for group in groups:
        values.extend(group)
        offsets.append(len(values))
    return _lists(values, offsets)


def records_table(
    records: Sequence[Record],
    abstracts: Sequence[str],
    verdicts: Sequence[Classification],
    source_file: str,
) -> pa.Table:
    """The partition rows of ``records`` (which must have numeric PMIDs), column by column.

    ``abstracts`` are the records' :attr:`~offlabel.literature.records.Record.abstract_text`
    (computed once by the caller, who also classifies and indexes them) and ``verdicts``
    their classifications. Each column is built by one pass over the records and converted
    to Arrow in one call; list columns are flattened first.
    """
    species_lists = []
    for verdict in verdicts:
        species = [verdict.species] if verdict.species is not None else []
        species += [s for s in verdict.species_all if s not in species]
        species_lists.append([s.value for s in species])
    columns: dict[str, Any] = {
        "pmid": pa.array([int(r.pmid or "") for r in records], pa.int64()),
        "doi": pa.array([r.doi for r in records], pa.string()),
        "pmcid": pa.array([r.pmcid for r in records], pa.string()),
        "nct": pa.array([r.nct for r in records], pa.string()),
        "title": pa.array([r.title for r in records], pa.string()),
        "abstract": pa.array(abstracts, pa.string()),
        "journal": pa.array([r.journal for r in records], pa.string()),
        "year": pa.array([r.year for r in records], pa.int32()),
        "authors": _flattened([a.display for a in r.authors] for r in records),
        "mesh": _flattened([h.name for h in r.mesh] for r in records),
        "mesh_major": _flattened([h.name for h in r.mesh if h.major_topic] for r in records),
        "publication_types": _flattened(r.publication_types for r in records),
        "keywords": _flattened(r.keywords for r in records),
        "chemicals": _flattened(r.chemicals for r in records),
        "language": pa.array([r.language for r in records], pa.string()),
        "species": _flattened(species_lists),
        "design": pa.array([_value(v.design) for v in verdicts], pa.string()),
        "category": pa.array([_value(v.category) for v in verdicts], pa.string()),
        "source_file": pa.repeat(pa.scalar(source_file, pa.string()), len(records)),
    }
    return pa.Table.from_arrays(list(columns.values()), schema=RECORD_SCHEMA)


def _value(item: Any) -> str | None:
    if item is None:
        return None
    return str(getattr(item, "value", item))


def deletion_table(pmids: list[int], source_file: str) -> pa.Table:
    return pa.table(
        {"pmid": pmids, "source_file": [source_file] * len(pmids)}, schema=DELETION_SCHEMA
    )


def partition_name(path: Path) -> str:
    """``pubmed25n0001.xml.gz`` → ``pubmed25n0001.parquet``."""
    name = path.name
    for suffix in (".gz", ".xml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return f"{name}.parquet"
