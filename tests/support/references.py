"""Independent readers of the literature formats, for checking ours on files others wrote.

Each ``*_reference(path)`` reads a file with a library written by others — Bio.Entrez and
Bio.Medline (biopython), rispy, bibtexparser's own parse stack — or the raw JSON, and returns
the key fields of every record as that reader sees them (:class:`Ref`). Nothing here calls
offlabel's readers. Only the plumbing a reader needs is done here (naming a DTD Bio.Entrez
has, decoding a file by its BOM or declared encoding, picking the fields out).
"""

from __future__ import annotations

import codecs
import gzip
import html
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Ref:
    """One record's key fields as an independent reader gives them."""

    title: str | None
    authors: int
    first_author: str | None  # the surname (or group name) of the first author
    year: int | None
    journal: str | None
    doi: str | None = None
    pmid: str | None = None
    nct: str | None = None

    @property
    def identified(self) -> bool:
        """Has a title or an identifier: a record a reader should keep."""
        return bool(self.title or self.doi or self.pmid or self.nct)


def norm(text: object) -> str:
    """Letters and digits only, markup, entities, accents and case dropped: a fair ground to
    compare titles (the raw JSON and Bio.Entrez keep ``<i>`` and ``&amp;``)."""
    if text is None:
        return ""
    plain_text = html.unescape(re.sub(r"<[^>]+>", "", str(text)))
    decomposed = unicodedata.normalize("NFKD", plain_text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    return re.sub(r"[^0-9a-z]", "", plain.casefold())


def norm_doi(doi: object) -> str | None:
    if not doi:
        return None
    text = str(doi).strip().lower()
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text)
    return text or None


def _year(text: object) -> int | None:
    match = re.search(r"(1[5-9]\d\d|20\d\d)", str(text or ""))
    return int(match.group(1)) if match else None


def _surname_of(name: str) -> str:
    """The family name of a free-text name the plain way: before the comma, else the first
    word (MEDLINE/Embase order); a name written given-first then disagrees, visibly."""
    name = name.strip()
    return name.split(",")[0].strip() if "," in name else (name.split() or [""])[0]


# --- PubMed XML: Bio.Entrez -------------------------------------------------------------------

_DOCTYPES = {
    "PubmedArticleSet": '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">',
    "MedlineCitationSet": '<!DOCTYPE MedlineCitationSet PUBLIC "-//NLM//DTD Medline Citation, '
    '1st January, 2015//EN" "https://www.nlm.nih.gov/databases/dtd/'
    'nlmmedlinecitationset_150101.dtd">',
}


def _entrez_document(data: bytes) -> bytes:
    """The file with a prolog Bio.Entrez accepts offline: a DTD it ships, a set as root."""
    from Bio import Entrez

    declared = re.search(rb'<!DOCTYPE[^>]*"(https?://[^"]+/([\w.]+\.dtd))"', data[:1000])
    shipped = Path(Entrez.__file__).parent / "DTDs"
    if declared and (shipped / declared.group(2).decode()).exists():
        # its own DTD, which biopython ships: only the scheme Bio.Entrez insists on
        return data.replace(declared.group(1), declared.group(1).replace(b"http://", b"https://"))
    body = re.sub(rb"^\s*(<\?xml[^>]*\?>)?\s*(<!DOCTYPE[^>]*>)?\s*", b"", data, count=1)
    root = re.match(rb"<([A-Za-z]+)", body)
    tag = root.group(1).decode() if root else ""
    if tag in ("PubmedArticle", "PubmedBookArticle"):
        body, tag = b"<PubmedArticleSet>" + body + b"</PubmedArticleSet>", "PubmedArticleSet"
    if tag == "PubmedBookArticleSet":
        body = b"<PubmedArticleSet>" + body[len(b"<PubmedBookArticleSet>") :]
        body = body.replace(b"</PubmedBookArticleSet>", b"</PubmedArticleSet>")
        tag = "PubmedArticleSet"
    doctype = _DOCTYPES.get(tag, _DOCTYPES["PubmedArticleSet"])
    return b'<?xml version="1.0"?>\n' + doctype.encode() + b"\n" + body


def _entrez_authors(author_list: Any) -> list[str]:
    names = []
    for author in author_list or []:
        if getattr(author, "attributes", {}).get("ValidYN") == "N":
            continue
        name = author.get("LastName") or author.get("CollectiveName")
        if name:
            names.append(str(name))
    return names


def _entrez_citation(citation: Any, pubmed_data: Any) -> Ref:
    article = citation.get("Article", {})
    journal = article.get("Journal", {})
    date = journal.get("JournalIssue", {}).get("PubDate", {})
    year = _year(date.get("Year") or date.get("MedlineDate"))
    if year is None and article.get("ArticleDate"):
        year = _year(article["ArticleDate"][0].get("Year"))
    doi = next(
        (str(e) for e in article.get("ELocationID", []) if e.attributes.get("EIdType") == "doi"),
        None,
    )
    for article_id in (pubmed_data or {}).get("ArticleIdList", []):
        if doi is None and article_id.attributes.get("IdType") == "doi":
            doi = str(article_id)
    nct = None
    for bank in article.get("DataBankList", []):
        for entry in bank.get("DataBank", []) if isinstance(bank, dict) else [bank]:
            if str(entry.get("DataBankName")) == "ClinicalTrials.gov":
                numbers = entry.get("AccessionNumberList", [])
                nct = nct or (str(numbers[0]) if numbers else None)
    authors = _entrez_authors(article.get("AuthorList"))
    title = str(article.get("ArticleTitle") or article.get("VernacularTitle") or "")
    return Ref(
        title=title or None,
        authors=len(authors),
        first_author=authors[0] if authors else None,
        year=year,
        journal=str(journal.get("Title")) if journal.get("Title") else None,
        doi=norm_doi(doi),
        pmid=str(citation.get("PMID")),
        nct=nct,
    )


def _entrez_book(document: Any, book_data: Any) -> Ref:
    book = document.get("Book", {})
    authors: list[str] = []
    for author_list in document.get("AuthorList", []) or book.get("AuthorList", []):
        authors.extend(_entrez_authors(author_list))
    doi = None
    for id_list in (document.get("ArticleIdList", []), (book_data or {}).get("ArticleIdList", [])):
        for article_id in id_list:
            if doi is None and article_id.attributes.get("IdType") == "doi":
                doi = str(article_id)
    title = document.get("ArticleTitle") or book.get("BookTitle")
    return Ref(
        title=" ".join(str(title).split()) if title else None,
        authors=len(authors),
        first_author=authors[0] if authors else None,
        year=_year(book.get("PubDate", {}).get("Year")),
        journal=" ".join(str(book["BookTitle"]).split()) if book.get("BookTitle") else None,
        doi=norm_doi(doi),
        pmid=str(document.get("PMID")),
    )


def pubmed_reference(path: Path) -> list[Ref]:
    """Bio.Entrez's reading of a PubMed/MEDLINE XML file (either layout, gzip or plain)."""
    from Bio import Entrez

    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = Entrez.read(io.BytesIO(_entrez_document(data)), validate=False)
    refs = []
    if isinstance(parsed, dict) and ("PubmedArticle" in parsed or "PubmedBookArticle" in parsed):
        for article in parsed.get("PubmedArticle", []):
            refs.append(_entrez_citation(article["MedlineCitation"], article.get("PubmedData")))
        for book in parsed.get("PubmedBookArticle", []):
            refs.append(_entrez_book(book["BookDocument"], book.get("PubmedBookData")))
    else:  # an older DTD: a list of articles, or of a MedlineCitationSet's citations
        items = parsed.get("MedlineCitation", []) if isinstance(parsed, dict) else parsed
        for item in items:
            if "MedlineCitation" in item:
                refs.append(_entrez_citation(item["MedlineCitation"], item.get("PubmedData")))
            else:
                refs.append(_entrez_citation(item, None))
    return refs


# --- MEDLINE text: Bio.Medline ----------------------------------------------------------------


def medline_reference(path: Path) -> list[Ref]:
    from Bio import Medline

    refs = []
    with path.open(encoding="utf-8") as handle:
        for record in Medline.parse(handle):
            if not record:
                continue
            authors = list(record.get("AU", [])) + list(record.get("CN", []))
            doi = next((a.split()[0] for a in record.get("AID", []) if a.endswith("[doi]")), None)
            nct = next((s.split("/")[-1] for s in record.get("SI", []) if "NCT" in s.upper()), None)
            title = record.get("TI") or record.get("BTI")
            title = title[0] if isinstance(title, list) else title
            refs.append(
                Ref(
                    title=title.strip() or None if title else None,
                    authors=len(authors),
                    first_author=_surname_of(authors[0]) if authors else None,
                    year=_year(record.get("DP")),
                    journal=record.get("JT"),
                    doi=norm_doi(doi),
                    pmid=record.get("PMID") or None,
                    nct=nct,
                )
            )
    return refs


# --- RIS and Web of Science: rispy ------------------------------------------------------------


def decode_by_bom(data: bytes) -> str:
    """Text of a file: its BOM's encoding, else a declared one (``% Encoding: X``), else UTF-8."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    declared = re.search(rb"%\s*Encoding:\s*([\w-]+)", data[:200])
    return data.decode(declared.group(1).decode() if declared else "utf-8")


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value and str(value).strip():
            return str(value).strip()
    return None


def ris_reference(path: Path) -> list[Ref]:
    import rispy

    text = decode_by_bom(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    refs = []
    for entry in rispy.loads(text, skip_unknown_tags=True):
        names = entry.get("authors") or entry.get("first_authors") or []
        accession = _first(entry, "accession_number")
        refs.append(
            Ref(
                title=_first(entry, "title", "primary_title", "translated_title", "short_title"),
                authors=len(names),
                first_author=_surname_of(names[0]) if names else None,
                year=_year(_first(entry, "year", "publication_year", "date")),
                journal=_first(entry, "journal_name", "secondary_title", "alternate_title3"),
                doi=norm_doi(_first(entry, "doi")),
                pmid=accession if accession and accession.isdigit() else None,
            )
        )
    return refs


def wos_reference(path: Path) -> list[Ref]:
    import rispy

    with path.open(encoding="utf-8-sig") as handle:
        entries = rispy.load(handle, implementation=rispy.WokParser)
    refs = []
    for entry in entries:
        names = list(entry.get("authors") or []) + list(entry.get("group_authors") or [])
        refs.append(
            Ref(
                title=_first(entry, "document_title"),
                authors=len(names),
                first_author=_surname_of(names[0]) if names else None,
                year=_year(_first(entry, "publication_year")),
                journal=_first(entry, "publication_name"),
                doi=norm_doi(_first(entry, "doi")),
                pmid=_first(entry, "pubmed_id"),
            )
        )
    return refs


# --- BibTeX: bibtexparser's own parse stack ---------------------------------------------------


def bibtex_reference(path: Path) -> list[Ref]:
    """bibtexparser's own output: its parse stack with field names normalised, co-authors
    separated, names split and LaTeX decoded by its middlewares."""
    import bibtexparser
    from bibtexparser import middlewares as m

    library = bibtexparser.parse_string(
        decode_by_bom(path.read_bytes()),
        append_middleware=[
            m.NormalizeFieldKeys(),
            m.LatexDecodingMiddleware(),
            m.SeparateCoAuthors(),
            m.SplitNameParts(),
        ],
    )
    refs = []
    for block in library.blocks:
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # bibtexparser keeps the entry it set aside
            fields = {f.key.lower(): f.value for f in block.fields}
            raw = fields.get("author")
            names = (
                [(p.strip(), "") for p in re.split(r"\s+and\s+", raw.strip('{}"'))] if raw else []
            )
            persons = [n for n, _ in names]
        elif isinstance(block, bibtexparser.model.Entry):
            fields = {f.key: f.value for f in block.fields}
            value = fields.get("author") or []
            persons = (
                [" ".join([*p.von, *p.last]) for p in value] if isinstance(value, list) else []
            )
        else:
            continue
        refs.append(
            Ref(
                title=str(fields["title"]) if fields.get("title") else None,
                authors=len(persons),
                first_author=persons[0] if persons else None,
                year=_year(fields.get("year") or fields.get("date")),
                journal=fields.get("journal") or fields.get("journaltitle"),
                doi=norm_doi(fields.get("doi")),
                pmid=str(fields["pmid"]) if str(fields.get("pmid", "")).isdigit() else None,
            )
        )
    return refs


# --- ClinicalTrials.gov and Crossref: the raw JSON --------------------------------------------


def ctgov_reference(path: Path) -> list[Ref]:
    data = json.loads(path.read_text(encoding="utf-8"))
    studies = [data] if "protocolSection" in data else data.get("studies", [])
    refs = []
    for study in studies:
        ident = study["protocolSection"].get("identificationModule", {})
        refs.append(
            Ref(
                title=ident.get("officialTitle") or ident.get("briefTitle"),
                authors=0,
                first_author=None,
                year=None,
                journal="ClinicalTrials.gov",
                nct=ident.get("nctId"),
            )
        )
    return refs


def crossref_reference(path: Path) -> list[Ref]:
    data = json.loads(path.read_text(encoding="utf-8"))
    message = data.get("message", data) if isinstance(data, dict) else data
    works = message.get("items", [message]) if isinstance(message, dict) else message
    refs = []
    for work in works:
        people = [p for p in work.get("author") or [] if p]
        first = people[0].get("family") or people[0].get("name") if people else None
        issued = (work.get("issued") or {}).get("date-parts") or [[None]]
        refs.append(
            Ref(
                title=(work.get("title") or [None])[0],
                authors=len(people),
                first_author=first,
                year=issued[0][0] if issued and issued[0] else None,
                journal=(work.get("container-title") or [None])[0],
                doi=norm_doi(work.get("DOI")),
            )
        )
    return refs


#: The independent reader of each of our formats (EndNote XML has none among the real files).
REFERENCE_READERS: dict[str, Callable[[Path], list[Ref]]] = {
    "pubmed": pubmed_reference,
    "medline": medline_reference,
    "ris": ris_reference,
    "wos": wos_reference,
    "bibtex": bibtex_reference,
    "ctgov": ctgov_reference,
    "crossref": crossref_reference,
}


# --- comparing ours with a reference ----------------------------------------------------------

FIELDS = ("title", "authors", "first_author", "year", "journal", "doi", "pmid", "nct")


def key_fields(record: Any) -> Ref:
    """The same key fields of one of our Records."""
    first = record.authors[0].last_name if record.authors else None
    return Ref(
        title=record.title or None,
        authors=len(record.authors),
        first_author=first,
        year=record.year,
        journal=record.journal,
        doi=record.doi,
        pmid=record.pmid,
        nct=record.nct,
    )


def _same(field: str, ours: object, theirs: object) -> bool:
    if field in ("authors", "year"):
        return ours == theirs
    if field == "doi":
        return norm_doi(ours) == norm_doi(theirs)
    return norm(ours) == norm(theirs)


def align(ours: list[Ref], theirs: list[Ref]) -> list[tuple[Ref | None, Ref]]:
    """Pair each reference record (that has a title or an identifier) with ours, in order;
    ``None`` where we read no such record."""
    wanted = [ref for ref in theirs if ref.identified]
    if len(ours) == len(wanted):
        return list(zip(ours, wanted, strict=True))

    def key(ref: Ref) -> str:
        return ref.doi or ref.pmid or ref.nct or norm(ref.title)

    pool = list(ours)
    pairs: list[tuple[Ref | None, Ref]] = []
    for ref in wanted:
        match = next((o for o in pool if key(o) == key(ref)), None)
        if match is not None:
            pool.remove(match)
        pairs.append((match, ref))
    return pairs


def mismatches(ours: Ref, theirs: Ref) -> list[str]:
    """The fields on which our record and the reference's disagree (where the reference has
    a value: a reader that cannot see a field does not vote on it)."""
    fields = []
    for field in FIELDS:
        value = getattr(theirs, field)
        if field != "authors" and value in (None, ""):
            continue
        if field in ("authors", "first_author") and theirs.authors == 0 and ours.authors == 0:
            continue
        if not _same(field, getattr(ours, field), value):
            fields.append(field)
    return fields


def pubmed_lxml_reference(path: Path) -> list[Ref]:
    """The fields straight from the XML tree (lxml, by path), for the files Bio.Entrez
    refuses (MathML in a title, an element its DTD does not expect where it is)."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    refs = []
    for citation in root.iter("MedlineCitation"):
        article = citation.find("Article")
        names = [
            a.findtext("LastName") or a.findtext("CollectiveName")
            for a in article.iterfind("AuthorList/Author")
            if a.get("ValidYN") != "N"
        ]
        names = [n for n in names if n]
        title = article.find("ArticleTitle")
        date = article.find("Journal/JournalIssue/PubDate")
        doi = next(
            (e.text for e in article.iterfind("ELocationID") if e.get("EIdType") == "doi"), None
        )
        refs.append(
            Ref(
                title=" ".join("".join(title.itertext()).split()) if title is not None else None,
                authors=len(names),
                first_author=names[0] if names else None,
                year=_year(date.findtext("Year") or date.findtext("MedlineDate"))
                if date is not None
                else None,
                journal=article.findtext("Journal/Title"),
                doi=norm_doi(doi),
                pmid=citation.findtext("PMID"),
            )
        )
    for document in root.iter("BookDocument"):
        names = [
            a.findtext("LastName") or a.findtext("CollectiveName")
            for a in document.iterfind(".//AuthorList/Author")
        ]
        names = [n for n in names if n]
        title = document.findtext("ArticleTitle") or document.findtext("Book/BookTitle")
        refs.append(
            Ref(
                title=" ".join(title.split()) if title else None,
                authors=len(names),
                first_author=names[0] if names else None,
                year=_year(document.findtext("Book/PubDate/Year")),
                journal=document.findtext("Book/BookTitle"),
                pmid=document.findtext("PMID"),
            )
        )
    return refs
