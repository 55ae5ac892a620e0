"""The names and labels of the literature file formats, light enough for ``--help``.

:mod:`offlabel.literature.formats` registers a reader under each name; this module imports
nothing, so the command line can list the formats without loading the readers.
"""

from __future__ import annotations

#: name -> what it reads, in the order formats are listed (and sniffed within a family).
FORMAT_LABELS: dict[str, str] = {
    "pubmed": "PubMed/MEDLINE XML (efetch, baseline/update files, books; .xml or .xml.gz)",
    "medline": "MEDLINE/nbib text (PubMed's default 'PubMed format' export)",
    "ris": "RIS (EndNote, Zotero, Mendeley, Ovid, Embase, Scopus, ProQuest, Cochrane, "
    "RefWorks, Rayyan, Covidence, EPPI-Reviewer)",
    "bibtex": "BibTeX/biblatex (JabRef, BibDesk, Zotero, biber)",
    "endnote": "EndNote XML",
    "wos": "Web of Science tagged text",
    "ctgov": "ClinicalTrials.gov API v2 study JSON",
    "crossref": "Crossref works JSON",
}
