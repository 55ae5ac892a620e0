"""Streaming reader for PubMed/MEDLINE XML.

Reads today's baseline and update files (``<PubmedArticleSet>`` of ``<PubmedArticle>``,
``<PubmedBookArticle>`` and ``<DeleteCitation>``), efetch output (same layout) and the older
``<MedlineCitationSet>`` layout, gzip-compressed or plain (detected from the first bytes).

The file is read as small well-formed documents of about 30 whole articles
(:mod:`~offlabel.literature.parsers.xml_chunks`), so memory stays flat. lxml builds each
chunk's tree in C without the GIL, on a helper thread, while the previous chunk's articles
become Records on this one. Each article is read by walking its children once and dispatching
on the tag (no XPath, no regular expressions); ``isal`` decompresses when installed.

Hand-written rather than :mod:`pubmed_parser` because that library builds a whole file's
records in memory, drops MeSH descriptor ids/ORCIDs/structured-abstract labels and is several
times slower (see ``benchmarks/``).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import types
import zlib
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

from lxml import etree

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers._common import PrefixedReader, refuse_entity_declarations
from offlabel.literature.parsers.xml_chunks import XmlChunk, iter_xml_chunks
from offlabel.literature.records import Author, Deletion, MeshHeading, Record, normalize_doi
from offlabel.untrusted import InputLimitError, InputLimits, open_decompressed

_gzip_module: types.ModuleType
try:  # pragma: no cover - which branch runs depends on the installation
    from isal import igzip

    _gzip_module = igzip  # ~25% faster decompression than the standard library
except ImportError:  # pragma: no cover
    _gzip_module = gzip
# what a truncated or corrupt gzip stream raises (isal raises the same types as gzip)
_GZIP_ERRORS: tuple[type[BaseException], ...] = (EOFError, OSError, zlib.error)

__all__ = ["iter_pubmed", "iter_pubmed_records", "open_maybe_gzip"]

Source = str | Path | IO[bytes]
ProblemHandler = Callable[[LiteratureParseError], None]
_Element = Any  # lxml's _Element; typed loosely because lxml ships no complete stubs

_GZIP_MAGIC = b"\x1f\x8b"
# Building Author/MeshHeading through tuple.__new__ skips the named tuple's Python-level
# __new__; it is the hottest allocation of a baseline scan.
_new_tuple: Callable[[type[Any], tuple[Any, ...]], Any] = tuple.__new__
_ALL_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation", "MedlineCitation")
# the roots a PubMed file has, with the records that may end a chunk under each; a file of
# one record (efetch of a single PMID saved by hand) is one chunk
_RECORD_TAGS_BY_ROOT: dict[str, tuple[str, ...]] = {
    "PubmedArticleSet": ("PubmedArticle", "PubmedBookArticle", "DeleteCitation"),
    "PubmedBookArticleSet": ("PubmedBookArticle", "DeleteCitation"),
    "MedlineCitationSet": ("MedlineCitation", "DeleteCitation"),
    **dict.fromkeys(_ALL_RECORD_TAGS, ()),
}
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    # ~15% faster on indented baseline files; see _text for the one blank it can drop
    "remove_blank_text": True,
    "collect_ids": False,
}
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)")
# chunks parsed ahead of the one being read (measured: more gains nothing on two cores)
_AHEAD = 2
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def open_maybe_gzip(
    source: Source, *, limits: InputLimits | None = None
) -> tuple[IO[bytes], str, list[IO[bytes]]]:
    """Open ``source`` for binary reading, decompressing gzip when the magic bytes say so.

    The decompressed stream raises :class:`~offlabel.untrusted.InputLimitError` once it passes
    ``limits`` (default: :meth:`InputLimits.from_env <offlabel.untrusted.InputLimits.from_env>`).

    Returns
    -------
    stream, name, to_close
        The readable stream, a name for messages and the handles the caller must close.
    """
    to_close: list[IO[bytes]] = []
    if isinstance(source, str | Path):
        name = str(source)
        try:
            raw: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise LiteratureParseError(f"cannot open file: {exc.strerror}", file=name) from exc
        to_close.append(raw)
    else:
        raw = source
        name = str(getattr(source, "name", "<stream>"))
    magic = raw.read(2)
    if raw.seekable():
        raw.seek(raw.tell() - len(magic))
    else:
        raw = io.BufferedReader(PrefixedReader(magic, raw))
    if magic == _GZIP_MAGIC:
        # inside the guard: refused as soon as it inflates past OFFLABEL_MAX_DECOMPRESSED_BYTES
        # or OFFLABEL_MAX_COMPRESSION_RATIO, while it streams
        stream = open_decompressed(raw, "gzip", name=name, limits=limits, gzip_module=_gzip_module)
        to_close.insert(0, stream)
        return stream, name, to_close
    return raw, name, to_close


def iter_pubmed(
    source: Source,
    *,
    on_problem: ProblemHandler | None = None,
    parse_ahead: bool | None = None,
) -> Iterator[Record | Deletion]:
    """Yield each article of a PubMed/MEDLINE XML file as a Record, each deleted PMID as a Deletion.

    Parameters
    ----------
    source : str, Path or binary file object
        A ``.xml`` or ``.xml.gz`` file (gzip detected from its first bytes, not its name).
    on_problem : callable, optional
        Called with a :class:`LiteratureParseError` for each article that is well-formed XML
        but unusable (no PMID); reading then goes on. An article without a title is kept
        (its PMID identifies it). Without it such an article
        stops the reading with that error.
    parse_ahead : bool, optional
        Build the next chunk's XML tree on a helper thread while this chunk's articles become
        Records (lxml releases the GIL while it parses, so the two share the work on two
        cores). Default: on when this process may use more than one CPU. The literature scan
        turns it off: its worker processes already keep every core busy.

    Yields
    ------
    Record or Deletion
        In file order; ``position`` counts every yielded item from 0.

    Raises
    ------
    LiteratureParseError
        The file cannot be opened or decompressed (truncated gzip), the XML is malformed or
        is not PubMed XML, or (without ``on_problem``) an article is unusable. The message
        names the file and the record number and line. Every record before the problem has
        been yielded by then.

    Examples
    --------
    >>> from offlabel.literature.parsers.pubmed import iter_pubmed
    >>> records = list(iter_pubmed("pubmed24n0001.xml.gz"))  # doctest: +SKIP
    """
    stream, name, to_close = open_maybe_gzip(source)
    if parse_ahead is None:
        parse_ahead = _CPUS > 1
    position = 0
    trees = _trees(iter_xml_chunks(stream, _RECORD_TAGS_BY_ROOT), parse_ahead)
    try:
        checked = False
        for chunk, root in trees:
            if not checked:
                refuse_entity_declarations(name, head=chunk.document, root=root)
                checked = True
            root_tag = chunk.root if root is None else root.tag
            if root_tag and root_tag not in _RECORD_TAGS_BY_ROOT:
                raise LiteratureParseError(
                    f"not PubMed XML: the root element is <{root_tag}>, not "
                    "<PubmedArticleSet>, <PubmedBookArticleSet> or <MedlineCitationSet>",
                    file=name,
                )
            try:
                if root is None:
                    records: Iterable[_Element] = _salvage(chunk)
                elif root_tag in _ALL_RECORD_TAGS:
                    records = (root,)  # a file of one record
                else:
                    records = root
                for elem in records:
                    tag = elem.tag
                    try:
                        if tag == "PubmedArticle":
                            yield _article(elem, name, position)
                            position += 1
                        elif tag == "DeleteCitation":
                            for pmid_el in elem.iterfind("PMID"):
                                yield Deletion(
                                    pmid=(pmid_el.text or "").strip(),
                                    source_file=name,
                                    position=position,
                                )
                                position += 1
                        elif tag == "MedlineCitation":
                            yield _citation(elem, None, name, position)
                            position += 1
                        elif tag == "PubmedBookArticle":
                            yield _book(elem, name, position)
                            position += 1
                    except LiteratureParseError as exc:
                        located = exc.located(
                            file=name, record=position + 1, line=chunk.input_line(elem.sourceline)
                        )
                        if on_problem is None:
                            raise located from None
                        on_problem(located)
                        position += 1
            except etree.XMLSyntaxError as exc:
                raise LiteratureParseError(
                    f"malformed XML after {position} record(s): {_relined(exc.msg, chunk)}",
                    file=name,
                    record=position + 1,
                    line=chunk.input_line(exc.position[0] if exc.position else None),
                ) from None
    except InputLimitError as exc:
        raise LiteratureParseError(
            f"{exc.reason} (after {position} record(s))", file=name, record=position + 1
        ) from None
    except _GZIP_ERRORS as exc:
        raise LiteratureParseError(
            f"cannot decompress (truncated or corrupt gzip?) after {position} record(s): {exc}",
            file=name,
            record=position + 1,
        ) from None
    finally:
        trees.close()  # stops the helper thread when the caller stops early
        for handle in to_close:
            handle.close()


def _trees(
    chunks: Iterator[XmlChunk], parse_ahead: bool
) -> Generator[tuple[XmlChunk, _Element | None], None, None]:
    """Each chunk with its parsed root, or ``None`` when it is not well-formed.

    With ``parse_ahead`` a helper thread parses up to :data:`_AHEAD` chunks ahead. An error
    reading the input (a truncated gzip) is raised only after the chunks read before it.
    """
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    if not parse_ahead:
        for chunk in chunks:
            yield chunk, _parse(chunk, parser)
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pubmed-parse")
    pending: deque[tuple[XmlChunk, Future[_Element | None]]] = deque()
    try:
        failure: BaseException | None = None
        try:
            for chunk in chunks:
                pending.append((chunk, pool.submit(_parse, chunk, parser)))
                if len(pending) > _AHEAD:
                    ready, future = pending.popleft()
                    yield ready, future.result()
        except _GZIP_ERRORS as exc:
            failure = exc
        while pending:
            ready, future = pending.popleft()
            yield ready, future.result()
        if failure is not None:
            raise failure
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parse(chunk: XmlChunk, parser: Any) -> _Element | None:
    try:
        return etree.fromstring(chunk.document, parser)
    except etree.XMLSyntaxError:
        return None  # _salvage reads the records before the error and reports it


def _relined(message: str, chunk: XmlChunk) -> str:
    """libxml2's message with its line numbers (``"Oops line 3"``) counted in the file."""
    return _LINE_IN_MESSAGE.sub(lambda m: f"line {chunk.input_line(int(m.group(1)))}", message)


def _salvage(chunk: XmlChunk) -> Iterator[_Element]:
    """The records of a chunk that is not well-formed, up to the error, which is then raised.

    Streaming the chunk again element by element yields every record completed before the
    error, as a whole-file streaming parse would have.
    """
    events = etree.iterparse(
        io.BytesIO(chunk.document), events=("end",), tag=_ALL_RECORD_TAGS, **_PARSER_OPTIONS
    )
    for _event, elem in events:  # raises XMLSyntaxError where the chunk breaks
        parent = elem.getparent()
        if parent is None or parent.getparent() is None:
            yield elem


def iter_pubmed_records(source: Source) -> Iterator[Record]:
    """Only the Records of :func:`iter_pubmed` (deletions dropped), e.g. for a preview."""
    for item in iter_pubmed(source):
        if isinstance(item, Record):
            yield item


# ---------------------------------------------------------------------------------------------
# element readers (hot path: keep them flat)


def _text(elem: _Element) -> str:
    """Text of an element with inline markup (``<i>``, ``<sub>``) flattened, spaces tidied."""
    if len(elem):
        if elem.text is None:
            # remove_blank_text drops a blank between inline elements only when the parent
            # starts with an element ("<i>Drosophila</i> <i>melanogaster</i>"): put it back
            parts = []
            for child in elem:
                parts.append("".join(child.itertext()))
                parts.append(" " if child.tail is None else child.tail)
            return " ".join("".join(parts).split())
        return " ".join("".join(elem.itertext()).split())
    text: str | None = elem.text
    if not text:
        return ""
    if "\n" in text or "  " in text:
        return " ".join(text.split())
    return text.strip()


def _year(text: str | None) -> int | None:
    if text and len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    return None


def _article(elem: _Element, name: str, position: int) -> Record:
    citation = pubmed_data = None
    for child in elem:
        tag = child.tag
        if tag == "MedlineCitation":
            citation = child
        elif tag == "PubmedData":
            pubmed_data = child
    if citation is None:
        raise LiteratureParseError("PubmedArticle without MedlineCitation")
    return _citation(citation, pubmed_data, name, position)


def _citation(citation: _Element, pubmed_data: _Element | None, name: str, position: int) -> Record:
    # lxml's find()/findtext() go through ElementPath and cost ~10x a child loop, so every
    # field is read by walking children once and dispatching on the tag.
    pmid = title = ""
    journal = journal_abbrev = journal_ta = volume = issue = pages = language = None
    doi = nct = pmcid = None
    year: int | None = None
    article_year: int | None = None
    abstract: list[tuple[str, str]] = []
    authors: list[Author] = []
    publication_types: tuple[str, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: list[str] = []
    chemicals: list[str] = []
    has_article = False
    for child in citation:
        tag = child.tag
        if tag == "Article":
            has_article = True
            for part in child:
                ptag = part.tag
                if ptag == "Journal":
                    for jpart in part:
                        jtag = jpart.tag
                        if jtag == "JournalIssue":
                            for ipart in jpart:
                                itag = ipart.tag
                                if itag == "Volume":
                                    volume = ipart.text
                                elif itag == "Issue":
                                    issue = ipart.text
                                elif itag == "PubDate":
                                    for dpart in ipart:
                                        if dpart.tag == "Year" or dpart.tag == "MedlineDate":
                                            year = _year(dpart.text)
                                            break
                        elif jtag == "Title":
                            journal = jpart.text
                        elif jtag == "ISOAbbreviation":
                            journal_abbrev = jpart.text
                elif ptag == "ArticleTitle":
                    title = _text(part)
                elif ptag == "Pagination":
                    start = end = None
                    for gpart in part:
                        gtag = gpart.tag
                        if gtag == "MedlinePgn":
                            pages = gpart.text
                        elif gtag == "StartPage":
                            start = gpart.text
                        elif gtag == "EndPage":
                            end = gpart.text
                    if not pages and start:
                        pages = f"{start}-{end}" if end else start
                elif ptag == "ELocationID":
                    if doi is None and part.get("EIdType") == "doi":
                        doi = part.text
                elif ptag == "Abstract":
                    for section in part:
                        if section.tag == "AbstractText":
                            abstract.append((section.get("Label") or "", _text(section)))
                elif ptag == "AuthorList":
                    authors = _authors(part)
                elif ptag == "Language":
                    if language is None:
                        language = part.text
                elif ptag == "DataBankList":
                    nct = nct or _nct(part)
                elif ptag == "PublicationTypeList":
                    publication_types = tuple(pt.text or "" for pt in part)
                elif ptag == "ArticleDate":
                    for dpart in part:
                        if dpart.tag == "Year":
                            article_year = _year(dpart.text)
                elif ptag == "VernacularTitle" and not title:
                    title = _text(part)
        elif tag == "PMID":
            pmid = (child.text or "").strip()
        elif tag == "MeshHeadingList":
            mesh = _mesh_list(child)
        elif tag == "ChemicalList":
            for chem in child:
                for cpart in chem:
                    if cpart.tag == "NameOfSubstance":
                        chemicals.append(cpart.text or "")
        elif tag == "KeywordList":
            for kw in child:
                keywords.append(_text(kw) if len(kw) else (kw.text or "").strip())
        elif tag == "MedlineJournalInfo":
            for mpart in child:
                if mpart.tag == "MedlineTA":
                    journal_ta = mpart.text
        elif tag == "OtherID":
            text = child.text or ""
            if pmcid is None and text.startswith("PMC"):
                pmcid = text.split()[0]
    if not pmid:
        raise LiteratureParseError("no PMID", field="PMID")
    if not has_article:
        raise LiteratureParseError(f"PMID {pmid} has no Article element", field="Article")
    if pubmed_data is not None:
        for data_part in pubmed_data:
            if data_part.tag == "ArticleIdList":
                for article_id in data_part:
                    id_type = article_id.get("IdType")
                    if id_type == "doi":
                        doi = doi or article_id.text
                    elif id_type == "pmc":
                        pmcid = pmcid or article_id.text
    # a record without a title is kept: its PMID identifies it
    return Record(
        title=title,
        pmid=pmid,
        doi=normalize_doi(doi),
        pmcid=pmcid.strip() if pmcid else None,
        nct=nct,
        abstract=tuple(abstract),
        authors=tuple(authors),
        journal=journal,
        journal_abbrev=journal_ta or journal_abbrev,
        year=year or article_year,
        volume=volume,
        issue=issue,
        pages=pages,
        language=language,
        publication_types=publication_types,
        mesh=mesh,
        keywords=tuple(keywords),
        chemicals=tuple(chemicals),
        source_format="pubmed",
        source_file=name,
        position=position,
    )


def _authors(author_list: _Element) -> list[Author]:
    authors = []
    for author in author_list:
        if author.get("ValidYN") == "N":
            continue
        last = initials = orcid = fore = None
        for part in author:
            ptag = part.tag
            if ptag == "LastName":
                last = part.text
            elif ptag == "Initials":
                initials = part.text
            elif ptag == "ForeName":
                fore = part.text
            elif ptag == "AffiliationInfo":
                break  # the DTD puts affiliations last: nothing more to read
            elif ptag == "CollectiveName":
                last = _text(part)
            elif ptag == "Identifier" and part.get("Source") == "ORCID":
                orcid = _orcid(part.text)
        if not last:
            continue
        if initials is None and fore:
            initials = "".join(word[0] for word in fore.replace("-", " ").split())
        authors.append(_new_tuple(Author, (last, initials or "", orcid)))
    return authors


def _orcid(text: str | None) -> str | None:
    if not text:
        return None
    value = text.strip().rstrip("/")
    return value.rsplit("/", 1)[-1] or None


def _mesh_list(mesh_list: _Element) -> tuple[MeshHeading, ...]:
    """Descriptors; a heading is a major topic when its descriptor or a qualifier is starred
    (PubMed's ``[majr]`` rule)."""
    headings = []
    for heading in mesh_list:
        descriptor_id = name = ""
        major = False
        for part in heading:
            if part.tag == "DescriptorName":
                descriptor_id = part.get("UI") or ""
                name = part.text or ""
            if part.get("MajorTopicYN") == "Y":
                major = True
        if name:
            headings.append(_new_tuple(MeshHeading, (descriptor_id, name, major)))
    return tuple(headings)


def _nct(databank_list: _Element) -> str | None:
    for bank in databank_list:
        if (bank.findtext("DataBankName") or "").strip() == "ClinicalTrials.gov":
            number: str | None = bank.findtext("AccessionNumberList/AccessionNumber")
            if number:
                return number.strip().upper()
    return None


def _book(elem: _Element, name: str, position: int) -> Record:
    """A ``PubmedBookArticle`` (book chapters, e.g. GeneReviews): the fields books have."""
    document = elem.find("BookDocument")
    if document is None:
        raise LiteratureParseError("PubmedBookArticle without BookDocument")
    pmid = (document.findtext("PMID") or "").strip()
    if not pmid:
        raise LiteratureParseError("no PMID", field="PMID")
    title_el = document.find("ArticleTitle")
    if title_el is None:
        title_el = document.find("Book/BookTitle")
    title = _text(title_el) if title_el is not None else ""
    abstract = tuple(
        (section.get("Label") or "", _text(section))
        for section in document.iterfind("Abstract/AbstractText")
    )
    # a chapter's own authors, else the book's (a whole book: GeneReviews, NICE guidelines)
    author_list = document.find("AuthorList")
    if author_list is None:
        author_list = document.find("Book/AuthorList")
    doi = None
    for id_list in (document.find("ArticleIdList"), elem.find("PubmedBookData/ArticleIdList")):
        for article_id in id_list if id_list is not None else ():
            if article_id.get("IdType") == "doi" and doi is None:
                doi = article_id.text
    return Record(
        title=title,
        pmid=pmid,
        doi=normalize_doi(doi),
        abstract=abstract,
        authors=tuple(_authors(author_list)) if author_list is not None else (),
        journal=_clean_text(document.findtext("Book/BookTitle")),
        year=_year(document.findtext("Book/PubDate/Year")),
        language=document.findtext("Language"),
        publication_types=tuple(pt.text or "" for pt in document.iterfind("PublicationType")),
        keywords=tuple(_text(kw) for kw in document.iterfind("KeywordList/Keyword")),
        source_format="pubmed",
        source_file=name,
        position=position,
    )


def _clean_text(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None
