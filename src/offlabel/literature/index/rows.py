"""How a parsed, classified record becomes one row of the Parquet index.

The schema is fixed here so every partition, whoever wrote it, has the same columns and
types, and DuckDB can read a directory of partitions as one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

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


@dataclass
class RowBuffer:
    """Column lists filled record by record, turned into one Arrow table at the end."""

    source_file: str
    columns: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in RECORD_SCHEMA.names}
    )

    def __len__(self) -> int:
        return len(self.columns["pmid"])

    def add(self, record: Record) -> None:
        """Append ``record`` (which must have a numeric PMID) with its classification."""
        from offlabel.literature.classify import classify

        if record.pmid is None or not record.pmid.isdigit():
            raise ValueError(f"record {record.position + 1} has no numeric PMID")
        verdict = classify(record)
        c = self.columns
        c["pmid"].append(int(record.pmid))
        c["doi"].append(record.doi)
        c["pmcid"].append(record.pmcid)
        c["nct"].append(record.nct)
        c["title"].append(record.title)
        c["abstract"].append(record.abstract_text)
        c["journal"].append(record.journal)
        c["year"].append(record.year)
        c["authors"].append([author.display for author in record.authors])
        c["mesh"].append([heading.name for heading in record.mesh])
        c["mesh_major"].append([heading.name for heading in record.mesh if heading.major_topic])
        c["publication_types"].append(list(record.publication_types))
        c["keywords"].append(list(record.keywords))
        c["chemicals"].append(list(record.chemicals))
        c["language"].append(record.language)
        species = [verdict.species] if verdict.species is not None else []
        species += [s for s in verdict.species_all if s not in species]
        c["species"].append([s.value for s in species])
        c["design"].append(_value(verdict.design))
        c["category"].append(_value(verdict.category))
        c["source_file"].append(self.source_file)

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=RECORD_SCHEMA)


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
