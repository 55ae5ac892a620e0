"""Search a literature index for a therapy × condition, with DuckDB over the Parquet files.

A record matches when it is about the therapy AND the condition; it is about a concept
when one of its MeSH headings is one of the concept's descriptors OR its title/abstract
holds every word of one of the concept's phrases (case-insensitive) or one of its
acronyms (case-sensitive, whole word). Matching reads the term postings
(:mod:`offlabel.literature.index.terms`), never the full text. Synonyms come from
:mod:`offlabel.literature.index.synonyms`. Only the current version of each PMID is
returned (see :mod:`offlabel.literature.index.layout`), newest first, with the
classification stored at scan time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offlabel.evidence.vocabulary import Species
from offlabel.literature.index.layout import (
    OVERRIDES,
    RECORDS_DIR,
    IndexFormatError,
    Manifest,
    connect,
    overrides_sql,
    postings_sql,
    sql_literal,
)
from offlabel.literature.index.synonyms import SynonymTable, Terms
from offlabel.literature.index.terms import MESH_PREFIX, words

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Hit:
    """One matching record, as the index stores it."""

    pmid: int
    title: str
    year: int | None
    journal: str | None
    doi: str | None
    pmcid: str | None
    nct: str | None
    authors: tuple[str, ...]
    mesh: tuple[str, ...]
    publication_types: tuple[str, ...]
    species: tuple[Species, ...]
    design: str | None
    category: str | None
    source_file: str
    matched_by: tuple[str, ...]
    """How the record matched: ``"mesh"`` and/or ``"text"`` (for therapy or condition)."""

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "pmid": self.pmid,
            "title": self.title,
            "year": self.year,
            "journal": self.journal,
            "doi": self.doi,
            "pmcid": self.pmcid,
            "nct": self.nct,
            "authors": list(self.authors),
            "mesh": list(self.mesh),
            "publication_types": list(self.publication_types),
            "species": [s.value for s in self.species],
            "design": self.design,
            "category": self.category,
            "source_file": self.source_file,
            "matched_by": list(self.matched_by),
        }


def _in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(sql_literal(v) for v in values) + ")"


def _concept_sql(terms: Terms) -> tuple[str, list[str]]:
    """A SELECT of ``(pmid, source_file, kind)`` for records about one concept.

    Returns the SQL (reading the CTE ``p`` of postings) and the terms it needs.
    """
    singles = [MESH_PREFIX + m.lower() for m in terms.mesh]
    singles += list(terms.acronyms)
    phrases: list[list[str]] = []
    for phrase in terms.phrases:
        phrase_words = list(dict.fromkeys(words(phrase)))
        if len(phrase_words) == 1:
            singles.append(phrase_words[0])
        elif phrase_words:
            phrases.append(phrase_words)
    parts = []
    if singles:
        parts.append(
            "SELECT pmid, source_file, "  # noqa: S608 - quoted
            f"CASE WHEN starts_with(term, {sql_literal(MESH_PREFIX)}) THEN 'mesh' ELSE 'text' END "
            f"AS kind FROM p WHERE term IN {_in_list(singles)}"
        )
    for phrase_words in phrases:
        parts.append(
            f"SELECT pmid, source_file, 'text' AS kind FROM p WHERE term IN "  # noqa: S608 - quoted
            f"{_in_list(phrase_words)} GROUP BY pmid, source_file "
            f"HAVING count(DISTINCT term) = {len(phrase_words)}"
        )
    needed = singles + [word for phrase_words in phrases for word in phrase_words]
    return " UNION ALL ".join(parts), needed


def search(
    index_dir: str | Path,
    therapy: str,
    condition: str,
    species: Species | str | None = None,
    synonyms: SynonymTable | Mapping[str, Sequence[str]] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """Records about ``therapy`` and ``condition``, newest first.

    Parameters
    ----------
    index_dir
        A directory written by :func:`~offlabel.literature.index.scan.scan`.
    therapy, condition
        As a person types them ("LDN", "ALS"); expanded through the synonym table.
    species
        Keep only records classified with this species (a :class:`Species` value).
    synonyms
        A :class:`SynonymTable` to use instead of the built-in one, or extra synonyms to
        merge into it (``{"ldn": ["naltrexone 4.5 mg"]}``).
    limit
        Most hits returned.

    Returns
    -------
    list of Hit
        Sorted by year (newest first, unknown last), then PMID descending.

    Raises
    ------
    IndexFormatError
        ``index_dir`` is not an index (no partitions).
    ValueError
        An unknown species, a term with no searchable word, or a limit below 1.

    Examples
    --------
    >>> hits = search("index/", therapy="LDN", condition="ALS")  # doctest: +SKIP
    >>> hits[0].design  # doctest: +SKIP
    'case_series'
    """
    directory = Path(index_dir)
    if not any((directory / RECORDS_DIR).glob("*.parquet")):
        raise IndexFormatError(f"{directory}: not a literature index (no {RECORDS_DIR}/*.parquet)")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    wanted_species = Species(species) if species is not None else None
    if isinstance(synonyms, SynonymTable):
        table = synonyms
    else:
        table = SynonymTable.builtin().with_extra(synonyms or {})
    therapy_sql, therapy_needed = _concept_sql(table.expand(therapy))
    condition_sql, condition_needed = _concept_sql(table.expand(condition))
    if not therapy_sql:
        raise ValueError(f"therapy {therapy!r} has no searchable word")
    if not condition_sql:
        raise ValueError(f"condition {condition!r} has no searchable word")

    def files(sub: str) -> str:
        return sql_literal(str(directory / sub / "*.parquet"))

    overrides_path = directory / OVERRIDES
    if Manifest.load(directory).overrides_current and overrides_path.exists():
        overrides = f"read_parquet({sql_literal(str(overrides_path))})"
    else:
        overrides = f"({overrides_sql(directory)})"
    species_sql = ""
    if wanted_species is not None:
        species_sql = f"AND list_contains(r.species, {sql_literal(wanted_species.value)})"
    needed = list(dict.fromkeys(therapy_needed + condition_needed))
    sql = f"""
        WITH p AS (
            SELECT term, pmid, source_file FROM {postings_sql(directory)}
            WHERE term IN {_in_list(needed)}
        ),
        therapy AS ({therapy_sql}),
        condition AS ({condition_sql}),
        matched AS (
            SELECT pmid, source_file FROM therapy
            INTERSECT SELECT pmid, source_file FROM condition
        ),
        live AS (
            SELECT m.pmid, m.source_file FROM matched m LEFT JOIN {overrides} o
                ON m.pmid = o.pmid
            WHERE o.pmid IS NULL OR m.source_file = o.keep_file
        ),
        kinds AS (
            SELECT pmid, source_file, bool_or(kind = 'mesh') AS by_mesh,
                   bool_or(kind = 'text') AS by_text
            FROM (SELECT * FROM therapy UNION ALL SELECT * FROM condition)
            WHERE pmid IN (SELECT pmid FROM live)
            GROUP BY pmid, source_file
        )
        SELECT r.pmid, r.source_file, k.by_mesh, k.by_text
        FROM read_parquet({files(RECORDS_DIR)}) r
        JOIN live l ON r.pmid = l.pmid AND r.source_file = l.source_file
        JOIN kinds k ON r.pmid = k.pmid AND r.source_file = k.source_file
        WHERE true {species_sql}
        ORDER BY r.year DESC NULLS LAST, r.pmid DESC
        LIMIT {int(limit)}
    """  # noqa: S608 - every interpolated value is an escaped literal, a path or an int
    with connect() as db:
        # two passes: rank on narrow columns first, then read the wide columns (lists,
        # titles) of the few winners only; partitions are sorted by PMID in small row
        # groups, so the second pass reads only the row groups holding them
        ranked = db.execute(sql).fetchall()
        if not ranked:
            return []
        pmid_list = ", ".join(str(int(row[0])) for row in ranked)
        rows = db.execute(
            f"""SELECT r.pmid, r.title, r.year, r.journal, r.doi, r.pmcid, r.nct, r.authors,
                   r.mesh, r.publication_types, r.species, r.design, r.category, r.source_file
            FROM read_parquet({files(RECORDS_DIR)}) r WHERE r.pmid IN ({pmid_list})"""  # noqa: S608
        ).fetchall()
    details = {(row[0], row[-1]): row for row in rows}
    hits = []
    for pmid, source_file, by_mesh, by_text in ranked:
        row = details.get((pmid, source_file))
        if row is not None:
            hits.append(_hit((*row, by_mesh, by_text)))
    return hits


def _hit(row: tuple[Any, ...]) -> Hit:
    (pmid, title, year, journal, doi, pmcid, nct, authors, mesh, types, species, design,
     category, source_file, by_mesh, by_text) = row  # fmt: skip
    matched = tuple(name for name, flag in (("mesh", by_mesh), ("text", by_text)) if flag)
    return Hit(
        pmid=int(pmid),
        title=title,
        year=year,
        journal=journal,
        doi=doi,
        pmcid=pmcid,
        nct=nct,
        authors=tuple(authors or ()),
        mesh=tuple(mesh or ()),
        publication_types=tuple(types or ()),
        species=tuple(Species(s) for s in species or () if s in Species._value2member_map_),
        design=design,
        category=category,
        source_file=source_file,
        matched_by=matched,
    )
