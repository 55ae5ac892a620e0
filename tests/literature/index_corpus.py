"""Builds the small PubMed corpus the index tests scan (not a test module).

Two baseline-shaped files of synthetic articles (:mod:`offlabel.testing.pubmed_corpus`), then
two update files written here: the first revises one article (now about LDN in ALS), adds a
dog study and a human LDN/ALS article; the second revises that human article away from
LDN and deletes another corpus article.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from offlabel.testing.pubmed_corpus import write_corpus

HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n'
FOOTER = "</PubmedArticleSet>\n"

DOG_PMID = 990000001
LATER_REVISED_PMID = 990000002


def article(pmid: int, title: str, mesh: list[str], year: int, pub_type: str, abstract: str) -> str:
    headings = "".join(
        f'<MeshHeading><DescriptorName UI="D{i:06d}" MajorTopicYN="N">{name}</DescriptorName>'
        "</MeshHeading>"
        for i, name in enumerate(mesh)
    )
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="1">{pmid}</PMID><Article PubModel="Print"><Journal>'
        f"<JournalIssue><PubDate><Year>{year}</Year></PubDate></JournalIssue>"
        f"<Title>Test Journal</Title></Journal><ArticleTitle>{title}</ArticleTitle>"
        f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>"
        f"<AuthorList><Author><LastName>Tester</LastName><Initials>T</Initials></Author>"
        f"</AuthorList><Language>eng</Language><PublicationTypeList>"
        f'<PublicationType UI="D0">{pub_type}</PublicationType></PublicationTypeList>'
        f"</Article><MeshHeadingList>{headings}</MeshHeadingList></MedlineCitation>"
        f'<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId>'
        f"</ArticleIdList></PubmedData></PubmedArticle>\n"
    )


def build(directory: Path, records: int = 2000, per_file: int = 1000) -> dict[str, int]:
    """Write the corpus into ``directory``; return the PMIDs the tests look at."""
    corpus = write_corpus(directory, records, per_file, seed=13, prefix="pubmed_bench")
    revised, deleted, untouched = corpus.first_pmids[:3]
    update_1 = (
        HEADER
        + article(
            revised,
            "Low-dose naltrexone in amyotrophic lateral sclerosis: an open-label pilot study.",
            ["Humans", "Naltrexone", "Amyotrophic Lateral Sclerosis"],
            2021,
            "Clinical Trial",
            "Twelve people with ALS took LDN 4.5 mg nightly for six months.",
        )
        + article(
            DOG_PMID,
            "Low dose naltrexone in dogs with degenerative myelopathy: a case series.",
            ["Animals", "Dogs", "Dog Diseases", "Naltrexone"],
            2023,
            "Case Reports",
            "Eight dogs with canine degenerative myelopathy received LDN.",
        )
        + article(
            LATER_REVISED_PMID,
            "LDN for motor neuron disease: a survey of prescribers.",
            ["Humans", "Motor Neuron Disease"],
            2019,
            "Journal Article",
            "Prescribers of low dose naltrexone in MND were surveyed.",
        )
        + FOOTER
    )
    (directory / "pubmed_bench_0003.xml").write_text(update_1, encoding="utf-8")
    update_2 = (
        HEADER
        + article(
            LATER_REVISED_PMID,
            "A survey of prescribers in motor neuron disease clinics.",
            ["Humans", "Motor Neuron Disease"],
            2019,
            "Journal Article",
            "Prescribing habits in MND clinics were surveyed.",
        )
        + f'<DeleteCitation><PMID Version="1">{deleted}</PMID></DeleteCitation>\n'
        + FOOTER
    )
    with gzip.open(directory / "pubmed_bench_0004.xml.gz", "wt", encoding="utf-8") as out:
        out.write(update_2)
    return {
        "revised": revised,
        "deleted": deleted,
        "untouched": untouched,
        "dog": DOG_PMID,
        "later_revised": LATER_REVISED_PMID,
    }
