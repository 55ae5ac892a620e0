"""EndNote XML reader (File › Export › "XML" in EndNote, also written by Zotero and Mendeley).

``<xml><records><record>`` with ``<contributors><authors><author>``, ``<titles><title>``,
``<secondary-title>`` (the journal), ``<periodical><full-title>``/``<abbr-1>``,
``<dates><year>``, ``<volume>``, ``<number>``, ``<pages>``, ``<electronic-resource-num>``
(the DOI), ``<accession-num>`` (the PMID of a PubMed import), ``<urls>``, ``<abstract>``,
``<keywords>``; every text may be wrapped in ``<style>`` runs, which are flattened.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.names import parse_name
from offlabel.literature.parsers._common import (
    ProblemHandler,
    Source,
    clean,
    identifiers_in,
    keep_or_refuse,
    read_bytes,
    refuse_entity_declarations,
    year_of,
)
from offlabel.literature.records import Record, normalize_doi

__all__ = ["iter_endnote", "looks_like_endnote"]

_Element = Any
_PARSER = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def looks_like_endnote(head: str) -> bool:
    return (
        "<records>" in head and "<record>" in head and ("<ref-type" in head or "<titles>" in head)
    )


def _text(elem: _Element | None) -> str | None:
    if elem is None:
        return None
    return clean("".join(elem.itertext()))


def iter_endnote(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the records of an EndNote XML file.

    Raises
    ------
    LiteratureParseError
        Malformed XML (with its line), another XML document, or (without ``on_problem``) a
        record with neither a title nor an identifier.
    """
    data, name = read_bytes(source)
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError as exc:
        raise LiteratureParseError(
            f"malformed XML: {exc.msg}",
            file=name,
            line=exc.position[0] if exc.position else None,
        ) from None
    refuse_entity_declarations(name, head=data[:4096], root=root)
    records = root.find("records") if root.tag == "xml" else root if root.tag == "records" else None
    if records is None:
        raise LiteratureParseError(
            f"not EndNote XML: the root element is <{root.tag}>, not <xml><records>", file=name
        )
    for position, record in enumerate(records.iterfind("record")):
        try:
            yield _record(record, name, position)
        except LiteratureParseError as exc:
            if on_problem is None:
                raise
            on_problem(exc)


def _record(record: _Element, name: str, position: int) -> Record:
    title = _text(record.find("titles/title"))
    doi = normalize_doi(_text(record.find("electronic-resource-num")))
    accession = _text(record.find("accession-num"))
    urls = [t for t in (_text(u) for u in record.iterfind("urls//url")) if t]
    notes = _text(record.find("notes")) or ""
    found = identifiers_in([*urls, notes, accession or ""])
    pmid = accession if accession and accession.isdigit() else found.pmid
    doi = doi if doi and doi.startswith("10.") else found.doi
    keep_or_refuse(
        title, pmid, doi, found.nct, file=name, record=position + 1, line=record.sourceline
    )
    authors = tuple(
        a
        for a in (
            parse_name(_text(author) or "")
            for author in record.iterfind("contributors/authors/author")
        )
        if a.last_name
    )
    abstract = _text(record.find("abstract"))
    ref_type = record.find("ref-type")
    return Record(
        title=title or "",
        pmid=pmid,
        doi=doi,
        pmcid=found.pmcid,
        nct=found.nct,
        abstract=(("", abstract),) if abstract else (),
        authors=authors,
        journal=_text(record.find("periodical/full-title"))
        or _text(record.find("titles/secondary-title")),
        journal_abbrev=_text(record.find("periodical/abbr-1")),
        year=year_of(_text(record.find("dates/year"))),
        volume=_text(record.find("volume")),
        issue=_text(record.find("number")),
        pages=_text(record.find("pages")),
        language=_text(record.find("language")),
        publication_types=(ref_type.get("name"),)
        if ref_type is not None and ref_type.get("name")
        else (),
        keywords=tuple(t for t in (_text(k) for k in record.iterfind("keywords/keyword")) if t),
        url=urls[0] if urls else None,
        source_format="endnote",
        source_file=name,
        position=position,
    )
