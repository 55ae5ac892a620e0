"""Synthetic PubMed baseline and update files: realistic in size and shape, written by us.

The benchmarks and the literature index tests need PubMed files of baseline size (a real
baseline file holds about 30,000 articles, ~6 KB of XML each) on a lone clone, where no real
MEDLINE file is at hand. This module writes them: ``<PubmedArticleSet>`` files in today's
baseline layout (indented, one element a line), each ``<PubmedArticle>`` with what real ones
carry — dates, journal and issue, title, an abstract of realistic length (structured or not),
authors with affiliations and some ORCID iDs, language, ClinicalTrials.gov numbers, publication
types, MeSH headings with qualifiers, chemicals, keywords, article ids and, for about a third,
a reference list. A fifth of the articles have no MeSH (in-process citations), a quarter no
abstract. Articles come in kinds (human trials, cohorts, case reports, animal and cell
studies, reviews, other) so that every branch of the classifier is reached. Some text holds
non-ASCII characters (``±``, ``≥``, ``µ``, Greek letters, accented names) and ``&lt;``.

Update files revise PMIDs of earlier files (new title, new version) and withdraw others with
``<DeleteCitation>``. Everything is deterministic from ``seed``.

:mod:`offlabel.testing.pubmed_real` writes the same layout from real MEDLINE citations in a
file the caller names, for comparing the synthetic corpus with real records.

The vocabulary avoids the words the index tests search for (ALS, LDN, naltrexone, motor
neuron disease, degenerative myelopathy), so that only the articles a test writes match them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from isal import igzip

__all__ = ["FOOTER", "HEADER", "CorpusFiles", "open_corpus_file", "write_corpus"]


def _split(text: str) -> list[str]:
    return text.split()


HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
FOOTER = "</PubmedArticleSet>\n"

# words of scientific English, with rough frequencies (higher = commoner)
_COMMON = _split(
    "the of and in to a with for was were is that by on as from at this we or be are "
    "an these which study results our than after between both during all not been "
    "have using may can also more most associated increased decreased compared "
    "significant significantly higher lower levels effect effects treatment analysis "
    "data showed observed found including group groups response function expression "
    "role based total two three high low time new use used risk factors clinical "
    "activity cells protein model changes"
)
_DOMAIN = _split(
    "inflammation receptor signaling pathway mitochondrial oxidative stress apoptosis "
    "neuronal cortex spinal cord muscle weakness motor function survival mortality "
    "incidence prevalence dose plasma serum concentration therapy therapeutic "
    "efficacy tolerability outcome outcomes baseline follow-up months weeks years "
    "median mean interval confidence ratio hazard regression multivariate cohort "
    "retrospective prospective cross-sectional registry database survey questionnaire "
    "interview diagnosis prognosis biomarker imaging MRI genetic mutation variant "
    "gene genes transcription kinase inhibitor antibody cytokine interleukin tumor "
    "necrosis factor microglia astrocytes neurodegeneration degeneration progression "
    "disease diseases syndrome disorder chronic acute pain fatigue quality life score "
    "scale assessment hospital patients controls participants adults children women "
    "men elderly mice mouse rats rat dogs canine feline cats pigs zebrafish "
    "drosophila in vitro cultured cell lines culture recombinant enzyme bacterial "
    "randomized placebo double-blind controlled trial open-label pilot phase review "
    "guidelines report series"
)
_TRIGGERS = {
    "rct": "In this randomized controlled trial, participants were randomly assigned to "
    "treatment or placebo.",
    "controlled": "This double-blind, placebo-controlled study enrolled adults.",
    "uncontrolled": "We conducted an open-label phase 2 pilot study.",
    "cohort": "This retrospective cohort study used a population-based registry.",
    "case_report": "We report a case of a 54-year-old woman presenting with weakness.",
    "case_series": "We describe twelve consecutive patients treated at our centre.",
    "review": "We review the literature and discuss current guidelines.",
    "systematic": "We performed a systematic review and meta-analysis of published trials.",
    "mouse": "Transgenic mice were treated daily and examined at 12 weeks.",
    "rat": "Adult rats were injected and their spinal cords examined.",
    "dog": "Client-owned dogs were examined; three puppies were followed.",
    "cells": "Cultured cells and HEK293 cell lines were exposed in vitro.",
    "in_vivo": "Findings were confirmed in vivo in a xenograft mouse model.",
    "risk": "Adverse events and hepatotoxicity were recorded.",
}
_UNICODE_BITS = (
    "± 2.1",
    "≥ 18 years",
    "≤ 0.05",
    "10 µg/ml",
    "TNF-α",
    "IL-1β",
    "37 °C",
    "1.5–2.0",
    "Δ scores",
    "naïve",
)
_SURNAMES = _split(
    "Smith Jones Wang Li Zhang Liu Chen Müller García Rossi Kim Park Nguyen Tanaka "
    "Sato Silva Santos Kowalski Novak Ødegaard Johansson Andersen Dubois Martin "
    "Bernard Lopez Gonzalez Fernández Schmidt Schneider Fischer Weber Meyer Wagner "
    "Becker Hoffmann Patel Singh Kumar Shah Cohen Levi Brown Taylor Wilson Davies "
    "Evans Thomas Roberts Walker"
)
_FORENAMES = _split(
    "John Maria Wei Anna Peter Yuki Lars Sofia Ahmed Fatima José Élodie Jan Olga Mei "
    "Ravi Sarah David Laura Michael Emma Daniel Chiara Tomasz Hana Ingrid Kenji Ana "
    "Luis Ines"
)
_COUNTRIES = ("USA", "China", "Japan", "Germany", "France", "Italy", "Brazil", "Canada", "UK")
_JOURNALS = tuple(
    (f"Journal of {a} {b}", f"J {a[:5]} {b[:4]}")
    for a in ("Clinical", "Experimental", "Molecular", "Applied", "Comparative", "Veterinary")
    for b in ("Neurology", "Medicine", "Pharmacology", "Biology", "Research", "Science")
)
_QUALIFIERS = (
    ("Q000188", "drug therapy"),
    ("Q000473", "pathology"),
    ("Q000378", "metabolism"),
    ("Q000175", "diagnosis"),
    ("Q000453", "epidemiology"),
    ("Q000627", "therapeutic use"),
    ("Q000235", "genetics"),
)
_GENERIC_MESH = (
    "Protein Binding",
    "Signal Transduction",
    "Oxidative Stress",
    "Apoptosis",
    "Inflammation",
    "Gene Expression Regulation",
    "Treatment Outcome",
    "Time Factors",
    "Age Factors",
    "Risk Factors",
    "Biomarkers",
    "Spinal Cord",
    "Brain",
    "Neurons",
    "Muscle, Skeletal",
    "Mitochondria",
    "Dose-Response Relationship, Drug",
    "Magnetic Resonance Imaging",
    "Mutation",
    "Disease Progression",
    "Quality of Life",
    "Pain",
    "Neoplasms",
    "Diabetes Mellitus",
    "Hypertension",
)
_CHEMICALS = (
    "Antioxidants",
    "Neuroprotective Agents",
    "Cytokines",
    "Interleukin-6",
    "Tumor Necrosis Factor-alpha",
    "Reactive Oxygen Species",
    "Glutamic Acid",
    "Riluzole",
    "Vitamin D",
    "Curcumin",
)
# kind -> (MeSH, publication types, trigger sentences)
_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "rct": (("Humans", "Random Allocation"), ("Randomized Controlled Trial",), ("rct",)),
    "controlled": (("Humans", "Double-Blind Method"), ("Clinical Trial",), ("controlled",)),
    "uncontrolled": (("Humans",), ("Clinical Trial, Phase II",), ("uncontrolled",)),
    "cohort": (("Humans", "Retrospective Studies", "Cohort Studies"), (), ("cohort",)),
    "case_report": (("Humans",), ("Case Reports",), ("case_report",)),
    "case_series": (("Humans",), (), ("case_series",)),
    "review": (("Humans",), ("Review",), ("review",)),
    "systematic": (("Humans",), ("Systematic Review", "Meta-Analysis"), ("systematic",)),
    "mouse": (("Animals", "Mice", "Disease Models, Animal"), (), ("mouse",)),
    "mouse_cells": (("Animals", "Mice", "Cells, Cultured"), (), ("cells", "in_vivo")),
    "rat": (("Animals", "Rats", "Rats, Sprague-Dawley"), (), ("rat",)),
    "dog": (("Animals", "Dogs", "Dog Diseases"), ("Clinical Trial, Veterinary",), ("dog",)),
    "dog_text": (("Animals", "Dogs"), (), ("dog", "case_series")),
    "cells": (("Humans", "Cells, Cultured", "Cell Line"), (), ("cells",)),
    "risk": (("Humans", "Drug-Related Side Effects and Adverse Reactions"), (), ("risk",)),
    "other": ((), (), ()),
}
_KIND_WEIGHTS = {
    "rct": 4,
    "controlled": 3,
    "uncontrolled": 3,
    "cohort": 10,
    "case_report": 6,
    "case_series": 3,
    "review": 8,
    "systematic": 2,
    "mouse": 8,
    "mouse_cells": 2,
    "rat": 5,
    "dog": 1,
    "dog_text": 1,
    "cells": 6,
    "risk": 2,
    "other": 36,
}
_LABELS = ("BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class CorpusFiles:
    """What :func:`write_corpus` wrote."""

    paths: tuple[Path, ...]
    records: int
    #: PMIDs of the first file's first articles, in file order (tests look at them)
    first_pmids: tuple[int, ...] = ()
    revised: tuple[int, ...] = ()
    deleted: tuple[int, ...] = ()
    decompressed_bytes: int = 0


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Invented words of two to four syllables (a realistic number of distinct terms)."""
    onsets = _split("b c d f g h k l m n p r s t v z br cl dr fl gr pl pr st tr th ph ch")
    vowels = ["a", "e", "i", "o", "u", "ae", "io", "ia", "ou"]
    codas = ["", "", "n", "s", "r", "l", "m", "x", "t", "ne", "se"]
    seen: set[str] = set()
    found: list[str] = []
    while len(found) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4))
        ) + rng.choice(codas)
        if word not in seen:
            seen.add(word)
            found.append(word)
    return found


@dataclass
class _Vocabulary:
    words: list[str]
    cumulative: list[float]
    acronyms: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, rng: random.Random) -> _Vocabulary:
        invented = _pseudo_words(rng, 40_000)
        words = _COMMON + _DOMAIN + invented
        # Zipf-like: the common words first, then the domain words, then a long tail
        weights = [40.0 / (1 + i * 0.2) for i in range(len(_COMMON))]
        weights += [1.5] * len(_DOMAIN)
        weights += [3.0 / (1 + i) ** 0.9 for i in range(len(invented))]
        total = 0.0
        cumulative = []
        for weight in weights:
            total += weight
            cumulative.append(total)
        acronyms = [
            "".join(rng.choice("ABCDEFGHIKLMNPRSTV") for _ in range(rng.randint(2, 4)))
            for _ in range(300)
        ]
        acronyms = [a for a in acronyms if a not in {"ALS", "LDN", "DM", "MND"}]
        return cls(words, cumulative, acronyms)

    def sentence(self, rng: random.Random, low: int = 12, high: int = 30) -> str:
        picked = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(low, high))
        roll = rng.random()
        if roll < 0.25:
            picked.insert(rng.randrange(len(picked)), rng.choice(self.acronyms))
        elif roll < 0.4:
            picked.insert(rng.randrange(len(picked)), f"{rng.randint(2, 900)}")
        elif roll < 0.47:
            picked.insert(rng.randrange(len(picked)), rng.choice(_UNICODE_BITS))
        elif roll < 0.5:
            picked.append("(p &lt; 0.05)")
        elif roll < 0.5005:
            picked.append("ΣΑΣ")  # a capital sigma ends a word differently when lower-cased
        text = " ".join(picked)
        return text[0].upper() + text[1:] + "."


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Writer:
    def __init__(self, rng: random.Random, vocabulary: _Vocabulary) -> None:
        self.rng = rng
        self.vocabulary = vocabulary
        self.kinds = list(_KIND_WEIGHTS)
        self.kind_weights = list(_KIND_WEIGHTS.values())

    def article(self, pmid: int, version: int = 1, title_prefix: str = "") -> str:
        rng, vocabulary = self.rng, self.vocabulary
        kind = rng.choices(self.kinds, weights=self.kind_weights)[0]
        kind_mesh, kind_types, triggers = _KINDS[kind]
        year = rng.randint(1975, 2025)
        month = rng.randrange(12)
        has_mesh = rng.random() > 0.2
        has_abstract = rng.random() > 0.25
        journal, abbreviation = rng.choice(_JOURNALS)
        title = title_prefix + vocabulary.sentence(rng, 8, 18)
        if triggers and rng.random() < 0.3:
            title = title[:-1] + ": " + _TRIGGERS[triggers[0]].lower()
        lines = [
            "<PubmedArticle>",
            f'  <MedlineCitation Status="{"MEDLINE" if has_mesh else "In-Process"}" Owner="NLM">',
            f'    <PMID Version="{version}">{pmid}</PMID>',
            f"    <DateRevised><Year>{min(year + 2, 2025)}</Year><Month>{month + 1:02d}</Month>"
            f"<Day>{rng.randint(1, 28):02d}</Day></DateRevised>",
            '    <Article PubModel="Print-Electronic">',
            "      <Journal>",
            f'        <ISSN IssnType="Electronic">{rng.randint(1000, 9999)}-'
            f"{rng.randint(1000, 9999)}</ISSN>",
            '        <JournalIssue CitedMedium="Internet">',
            f"          <Volume>{rng.randint(1, 120)}</Volume>",
            f"          <Issue>{rng.randint(1, 12)}</Issue>",
            f"          <PubDate><Year>{year}</Year><Month>{_MONTHS[month]}</Month></PubDate>",
            "        </JournalIssue>",
            f"        <Title>{journal}</Title>",
            f"        <ISOAbbreviation>{abbreviation}</ISOAbbreviation>",
            "      </Journal>",
            f"      <ArticleTitle>{title}</ArticleTitle>",
            f"      <Pagination><MedlinePgn>{rng.randint(1, 900)}-{rng.randint(1, 99)}"
            "</MedlinePgn></Pagination>",
        ]
        doi = f"10.{rng.randint(1000, 9999)}/j.{abbreviation.split()[-1].lower()}.{pmid}"
        if rng.random() < 0.7:
            lines.append(f'      <ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>')
        if has_abstract:
            lines.append("      <Abstract>")
            body = [vocabulary.sentence(rng) for _ in range(rng.randint(6, 14))]
            for trigger in triggers:
                body.insert(rng.randrange(len(body) + 1), _TRIGGERS[trigger])
            if rng.random() < 0.4:
                quarter = max(1, len(body) // 4)
                for i, label in enumerate(_LABELS):
                    part = " ".join(body[i * quarter : (i + 1) * quarter if i < 3 else None])
                    lines.append(
                        f'        <AbstractText Label="{label}" NlmCategory="{label}">'
                        f"{part}</AbstractText>"
                    )
            else:
                lines.append(f"        <AbstractText>{' '.join(body)}</AbstractText>")
            lines.append(
                f"        <CopyrightInformation>© {year} The Authors.</CopyrightInformation>"
            )
            lines.append("      </Abstract>")
        lines.append('      <AuthorList CompleteYN="Y">')
        for _ in range(rng.choice((1, 2, 3, 4, 5, 6, 6, 7, 8, 10, 14))):
            fore = rng.choice(_FORENAMES)
            initials = fore[0] + (rng.choice("ABCDEJKLMRS") if rng.random() < 0.4 else "")
            lines.append('        <Author ValidYN="Y">')
            lines.append(f"          <LastName>{rng.choice(_SURNAMES)}</LastName>")
            lines.append(f"          <ForeName>{fore}</ForeName>")
            lines.append(f"          <Initials>{initials}</Initials>")
            if rng.random() < 0.15:
                lines.append(
                    '          <Identifier Source="ORCID">0000-000'
                    f"{rng.randint(1, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
                    "</Identifier>"
                )
            lines.append(
                "          <AffiliationInfo><Affiliation>Department of "
                f"{rng.choice(('Neurology', 'Medicine', 'Pharmacology', 'Veterinary Science'))}"
                f", University of {rng.choice(_SURNAMES)}, {rng.choice(_COUNTRIES)}."
                "</Affiliation></AffiliationInfo>"
            )
            lines.append("        </Author>")
        if rng.random() < 0.03:
            lines.append(
                '        <Author ValidYN="Y"><CollectiveName>Study Group of '
                f"{rng.choice(_COUNTRIES)}</CollectiveName></Author>"
            )
        lines.append("      </AuthorList>")
        lines.append(f"      <Language>{'eng' if rng.random() < 0.92 else 'ger'}</Language>")
        if kind in ("rct", "controlled", "uncontrolled") and rng.random() < 0.5:
            lines.append(
                '      <DataBankList CompleteYN="Y"><DataBank><DataBankName>ClinicalTrials.gov'
                "</DataBankName><AccessionNumberList><AccessionNumber>"
                f"NCT{rng.randint(0, 99_999_999):08d}</AccessionNumber></AccessionNumberList>"
                "</DataBank></DataBankList>"
            )
        lines.append("      <PublicationTypeList>")
        for name in ("Journal Article", *kind_types):
            lines.append(f'        <PublicationType UI="D016428">{name}</PublicationType>')
        if rng.random() < 0.2:
            lines.append(
                '        <PublicationType UI="D013485">Research Support, Non-U.S. Gov\'t'
                "</PublicationType>"
            )
        lines.append("      </PublicationTypeList>")
        lines.append(
            f'      <ArticleDate DateType="Electronic"><Year>{year}</Year>'
            f"<Month>{month + 1:02d}</Month><Day>{rng.randint(1, 28):02d}</Day></ArticleDate>"
        )
        lines.append("    </Article>")
        lines.append(
            f"    <MedlineJournalInfo><Country>{rng.choice(_COUNTRIES)}</Country><MedlineTA>"
            f"{abbreviation}</MedlineTA><NlmUniqueID>{rng.randint(1_000_000, 9_999_999)}"
            "</NlmUniqueID></MedlineJournalInfo>"
        )
        if has_mesh and rng.random() < 0.5:
            lines.append("    <ChemicalList>")
            for name in rng.sample(_CHEMICALS, rng.randint(1, 3)):
                lines.append(
                    "      <Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance "
                    f'UI="D{rng.randint(0, 999_999):06d}">{name}</NameOfSubstance></Chemical>'
                )
            lines.append("    </ChemicalList>")
        if has_mesh:
            lines.append("    <CitationSubset>IM</CitationSubset>")
            lines.append("    <MeshHeadingList>")
            names = list(kind_mesh) + rng.sample(_GENERIC_MESH, rng.randint(3, 10))
            if kind == "other" and rng.random() < 0.6:
                names.insert(0, "Humans")
            for name in dict.fromkeys(names):
                major = "Y" if rng.random() < 0.2 else "N"
                lines.append("      <MeshHeading>")
                lines.append(
                    f'        <DescriptorName UI="D{rng.randint(0, 999_999):06d}" '
                    f'MajorTopicYN="{major}">{name}</DescriptorName>'
                )
                if rng.random() < 0.4:
                    ui, qualifier = rng.choice(_QUALIFIERS)
                    lines.append(
                        f'        <QualifierName UI="{ui}" MajorTopicYN="N">{qualifier}'
                        "</QualifierName>"
                    )
                lines.append("      </MeshHeading>")
            lines.append("    </MeshHeadingList>")
        if rng.random() < 0.3:
            lines.append('    <KeywordList Owner="NOTNLM">')
            for word in rng.sample(_DOMAIN, rng.randint(2, 6)):
                lines.append(f'      <Keyword MajorTopicYN="N">{word}</Keyword>')
            lines.append("    </KeywordList>")
        lines.append("  </MedlineCitation>")
        lines.append("  <PubmedData>")
        lines.append("    <History>")
        for status in ("received", "accepted", "pubmed", "medline", "entrez"):
            lines.append(
                f'      <PubMedPubDate PubStatus="{status}"><Year>{year}</Year>'
                f"<Month>{month + 1}</Month><Day>{rng.randint(1, 28)}</Day></PubMedPubDate>"
            )
        lines.append("    </History>")
        lines.append("    <PublicationStatus>ppublish</PublicationStatus>")
        lines.append("    <ArticleIdList>")
        lines.append(f'      <ArticleId IdType="pubmed">{pmid}</ArticleId>')
        lines.append(f'      <ArticleId IdType="doi">{doi}</ArticleId>')
        if rng.random() < 0.25:
            lines.append(
                f'      <ArticleId IdType="pmc">PMC{rng.randint(100_000, 9_999_999)}</ArticleId>'
            )
        lines.append("    </ArticleIdList>")
        if year >= 2000 and rng.random() < 0.45:
            lines.append("    <ReferenceList>")
            for _ in range(rng.randint(8, 40)):
                cited = rng.randint(1_000_000, 39_000_000)
                lines.append(
                    "      <Reference><Citation>"
                    f"{rng.choice(_SURNAMES)} {rng.choice('ABCDJKLMS')}, "
                    f"{rng.choice(_SURNAMES)} {rng.choice('ABCDJKLMS')}. "
                    f"{vocabulary.sentence(rng, 6, 12)} {rng.choice(_JOURNALS)[1]}. "
                    f"{rng.randint(1980, 2024)};{rng.randint(1, 99)}:{rng.randint(1, 999)}."
                    f'</Citation><ArticleIdList><ArticleId IdType="pubmed">{cited}</ArticleId>'
                    "</ArticleIdList></Reference>"
                )
            lines.append("    </ReferenceList>")
        lines.append("  </PubmedData>")
        lines.append("</PubmedArticle>\n")
        return "\n".join(lines)


def open_corpus_file(path: Path, compresslevel: int) -> IO[str]:
    if path.name.endswith(".gz"):
        return igzip.open(path, "wt", encoding="utf-8", compresslevel=compresslevel)  # type: ignore[return-value]
    return path.open("w", encoding="utf-8")


def write_corpus(
    directory: str | Path,
    records: int,
    per_file: int = 30_000,
    *,
    updates: int = 0,
    update_size: int = 200,
    seed: int = 0,
    prefix: str = "pubmed_bench",
    first_pmid: int = 10_000_000,
    compresslevel: int = 1,
) -> CorpusFiles:
    """Write ``records`` synthetic articles as baseline files of ``per_file`` each, then updates.

    Parameters
    ----------
    directory
        Created if missing; files are named ``<prefix>_0001.xml.gz`` on (baseline files first,
        then update files, as NCBI numbers them).
    records, per_file
        Articles in the baseline files and the most per file. PMIDs ascend through the
        baseline files, with gaps, as in the real baseline.
    updates, update_size
        Update files to write after the baseline: each revises ``update_size`` PMIDs of
        earlier files (a new version with a changed title), adds as many new ones and
        withdraws a tenth as many with ``<DeleteCitation>``.
    seed
        The same seed writes the same bytes.
    compresslevel
        gzip level (1, the fastest, is plenty for benchmarks; real files use 9).
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - synthetic text, not secrets
    writer = _Writer(rng, _Vocabulary.build(rng))
    paths: list[Path] = []
    first: list[int] = []
    pmid = first_pmid
    written = 0
    size = 0
    file_no = 1
    all_pmids: list[int] = []
    while written < records:
        count = min(per_file, records - written)
        path = out / f"{prefix}_{file_no:04d}.xml.gz"
        with open_corpus_file(path, compresslevel) as handle:
            handle.write(HEADER)
            size += len(HEADER) + len(FOOTER)
            for _ in range(count):
                pmid += rng.choice((1, 1, 1, 2, 3, 7))
                text = writer.article(pmid)
                size += len(text.encode("utf-8"))
                handle.write(text)
                all_pmids.append(pmid)
            handle.write(FOOTER)
        if file_no == 1:
            first = all_pmids[:10]
        paths.append(path)
        written += count
        file_no += 1
    revised: list[int] = []
    deleted: list[int] = []
    for _ in range(updates):
        path = out / f"{prefix}_{file_no:04d}.xml.gz"
        withdrawn = set(deleted)
        pool = [p for p in all_pmids if p not in withdrawn]
        touched = rng.sample(pool, min(update_size, len(pool)))
        kept = set(touched)
        gone = rng.sample([p for p in pool if p not in kept], max(1, update_size // 10))
        with open_corpus_file(path, compresslevel) as handle:
            handle.write(HEADER)
            for old in touched:
                handle.write(writer.article(old, version=2, title_prefix="Revised: "))
            for _ in range(update_size):
                pmid += rng.choice((1, 2, 5))
                handle.write(writer.article(pmid))
                all_pmids.append(pmid)
            handle.write("<DeleteCitation>\n")
            for old in gone:
                handle.write(f'  <PMID Version="1">{old}</PMID>\n')
            handle.write("</DeleteCitation>\n")
            handle.write(FOOTER)
        revised += touched
        deleted += gone
        paths.append(path)
        file_no += 1
    return CorpusFiles(
        paths=tuple(paths),
        records=written,
        first_pmids=tuple(first),
        revised=tuple(revised),
        deleted=tuple(deleted),
        decompressed_bytes=size,
    )
