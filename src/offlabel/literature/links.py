"""Where a reader can open a reference: links built from its identifiers, in one place.

Every page and export that links a PMID, DOI or NCT number to its public record calls
:func:`identifier_links`; no other module spells these addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["IdentifierLink", "doi_url", "identifier_links", "nct_url", "pubmed_url"]

PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"
DOI = "https://doi.org/{}"
CLINICALTRIALS = "https://clinicaltrials.gov/study/{}"


@dataclass(frozen=True)
class IdentifierLink:
    """One public record of a reference: what to call the link and where it goes."""

    kind: str
    label: str
    href: str


def pubmed_url(pmid: str) -> str:
    """
    Examples
    --------
    >>> pubmed_url("19922128")
    'https://pubmed.ncbi.nlm.nih.gov/19922128/'
    """
    return PUBMED.format(quote(pmid.strip(), safe=""))


def doi_url(doi: str) -> str:
    """A DOI's resolver address (the DOI's ``/`` kept, anything unsafe escaped).

    Examples
    --------
    >>> doi_url("10.3109/17482968.2010.544386")
    'https://doi.org/10.3109/17482968.2010.544386'
    """
    return DOI.format(quote(doi.strip(), safe="/;:()._-"))


def nct_url(nct: str) -> str:
    """
    Examples
    --------
    >>> nct_url("NCT00201300")
    'https://clinicaltrials.gov/study/NCT00201300'
    """
    return CLINICALTRIALS.format(quote(nct.strip().upper(), safe=""))


def identifier_links(*, pmid: str = "", doi: str = "", nct: str = "") -> list[IdentifierLink]:
    """The PubMed, DOI and ClinicalTrials.gov links a reference's identifiers give, in that order.

    Examples
    --------
    >>> [link.label for link in identifier_links(pmid="1", nct="NCT01")]
    ['PubMed 1', 'NCT01']
    """
    links = []
    if pmid.strip():
        links.append(IdentifierLink("pubmed", f"PubMed {pmid.strip()}", pubmed_url(pmid)))
    if doi.strip():
        links.append(IdentifierLink("doi", f"DOI {doi.strip()}", doi_url(doi)))
    if nct.strip():
        links.append(IdentifierLink("nct", nct.strip().upper(), nct_url(nct)))
    return links
