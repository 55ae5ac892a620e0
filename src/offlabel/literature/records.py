"""The one record shape every literature source is read into.

A :class:`Record` is what a PubMed article, a RIS or BibTeX entry, a ClinicalTrials.gov study
or a Crossref work becomes; a :class:`Deletion` is PubMed's ``DeleteCitation`` (an update file
telling us a PMID is withdrawn). Both are frozen: a parsed record never changes, a cleaned one
is a new record (:func:`dataclasses.replace`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple


class Author(NamedTuple):
    """One author: family name, initials without dots, ORCID iD (bare 16-digit form) if given.

    A group author ("ALS Study Group") has its name in ``last_name`` and empty ``initials``.
    A named tuple rather than a dataclass: a baseline scan builds a hundred million of them,
    and a tuple is built several times faster than a frozen dataclass.
    """

    last_name: str
    initials: str = ""
    orcid: str | None = None

    @property
    def display(self) -> str:
        """``"Lastname Initials"``, the form used in Vancouver reference lists."""
        return f"{self.last_name} {self.initials}" if self.initials else self.last_name


class MeshHeading(NamedTuple):
    """A MeSH descriptor attached to a record (qualifiers are not kept); a named tuple for speed."""

    descriptor_id: str
    name: str
    major_topic: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    """A bibliographic record from any source.

    Attributes
    ----------
    pmid, doi, pmcid, nct
        Identifiers; ``None`` when the source does not give one. DOIs are lower-cased and
        stripped of any ``https://doi.org/`` prefix; PMCIDs keep their ``PMC`` prefix.
    title
        Article (or study) title, markup removed; ``""`` when the source gives none (a reader
        keeps such a record only when it has an identifier: PMID, DOI or NCT number).
    abstract
        Sections as ``(label, text)`` pairs; the label is ``""`` for an unstructured abstract.
    authors
        In the order given by the source.
    journal, journal_abbrev
        Full journal title and its abbreviation (ISO/MEDLINE) when known.
    year, volume, issue, pages
        Publication details as printed; ``pages`` like ``"145-50"``.
    language
        ISO 639-2 code (``"eng"``) or the source's value.
    publication_types
        PubMed publication types (``"Randomized Controlled Trial"``) or the source's type.
    mesh
        MeSH descriptors.
    keywords, chemicals
        Author keywords and substance names.
    source_format, source_file, position
        Which parser read it, from which file, and the record's 0-based index in that file.
    url
        A landing page when the source gives one and there is no DOI/PMID.
    """

    deleted: ClassVar[bool] = False

    title: str
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    nct: str | None = None
    abstract: tuple[tuple[str, str], ...] = ()
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    journal_abbrev: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    language: str | None = None
    publication_types: tuple[str, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    chemicals: tuple[str, ...] = ()
    url: str | None = None
    source_format: str = ""
    source_file: str = ""
    position: int = 0
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def abstract_text(self) -> str:
        """The abstract as one string, structured sections prefixed by their labels."""
        return " ".join(f"{label}: {text}" if label else text for label, text in self.abstract)

    @property
    def first_author(self) -> Author | None:
        return self.authors[0] if self.authors else None

    @property
    def mesh_names(self) -> tuple[str, ...]:
        return tuple(heading.name for heading in self.mesh)

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--jsonl`` object, before classification)."""
        return {
            "pmid": self.pmid,
            "doi": self.doi,
            "pmcid": self.pmcid,
            "nct": self.nct,
            "title": self.title,
            "abstract": [{"label": label, "text": text} for label, text in self.abstract],
            "authors": [author.display for author in self.authors],
            "orcids": [author.orcid for author in self.authors],
            "journal": self.journal,
            "journal_abbrev": self.journal_abbrev,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "language": self.language,
            "publication_types": list(self.publication_types),
            "mesh": [heading.name for heading in self.mesh],
            "mesh_headings": [
                {"id": h.descriptor_id, "name": h.name, "major_topic": h.major_topic}
                for h in self.mesh
            ],
            "keywords": list(self.keywords),
            "chemicals": list(self.chemicals),
            "url": self.url,
            "source_format": self.source_format,
            "source_file": self.source_file,
            "position": self.position,
        }


@dataclass(frozen=True, slots=True)
class Deletion:
    """PubMed's ``DeleteCitation`` for one PMID: drop any earlier version of it."""

    deleted: ClassVar[bool] = True

    pmid: str
    source_file: str = ""
    position: int = 0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "deleted": True,
            "pmid": self.pmid,
            "source_file": self.source_file,
            "position": self.position,
        }


def normalize_doi(value: str | None) -> str | None:
    """Lower-case a DOI and strip URL or ``doi:`` prefixes; ``None`` for blanks.

    Examples
    --------
    >>> normalize_doi("https://doi.org/10.1002/ANA.22006")
    '10.1002/ana.22006'
    """
    if not value:
        return None
    doi = value.strip()
    lowered = doi.lower()
    for prefix in (
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "doi:",
    ):
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    return doi.lower() or None


def split_name(name: str) -> Author:
    """Turn ``"Cree, Bruce A C"``, ``"Cree BA"`` or ``"Bruce A. C. Cree"`` into an Author.

    The one name parser of every reader: :func:`offlabel.literature.names.parse_name`.

    Examples
    --------
    >>> split_name("Cree, Bruce A. C.").display
    'Cree BAC'
    >>> split_name("Goodin DS").display
    'Goodin DS'
    """
    from offlabel.literature.names import parse_name

    return parse_name(name)
