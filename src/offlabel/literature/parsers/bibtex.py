"""BibTeX and biblatex reader, on :mod:`bibtexparser` (v2).

bibtexparser keeps going past a broken entry and records it as a failed block; here such a
block becomes a :class:`LiteratureParseError` naming its line (unbalanced braces, a missing
comma), raised or, with ``on_problem``, reported while the good entries are kept. What
reference managers write is read as they mean it:

- field names in any case (``Author =``, ``AUTHOR =``: JabRef classic, BibDesk, WoS);
- duplicate or empty keys (JabRef writes ``@article{,`` for PubMed imports): every entry kept;
- names split by bibtexparser's BibTeX-grammar splitter, particles kept (``de Paula R``),
  surname-first initials (``Adler D.G.``) read as such, ``{Group}`` authors kept whole;
- LaTeX turned into Unicode by :mod:`pylatexenc`, with ``\\TeX``-family logos and ``\\mbox``
  kept, and a bare ``%`` read as a per cent sign (BibTeX has no comments inside values);
- ``crossref =`` children inherit their parent's missing fields.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.names import author_from_parts, is_organisation, parse_name
from offlabel.literature.parsers._common import (
    ProblemHandler,
    Source,
    clean,
    identifiers_in,
    keep_or_refuse,
    read_text,
    year_of,
)
from offlabel.literature.records import Author, Record, normalize_doi

__all__ = ["iter_bibtex", "latex_to_text", "looks_like_bibtex"]

_ENTRY_START = re.compile(r"(?:^|[\r\n])[ \t]*@\s*[A-Za-z]+\s*[{(]")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_SURNAME_FIRST = re.compile(r"^[^\s,]+(?: [^\s,]+)? (?:[A-Z]{1,4}|(?:[A-Z]\.-?){1,4})$")
# entries that group or hold other entries' data rather than being references
_NOT_REFERENCES = {"set", "xdata"}
# entries that are a whole book, whose title may be written as booktitle
_WHOLE_BOOKS = {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings"}
# fields a crossref child takes from its parent when it has none of its own
_INHERITED = ("journal", "journaltitle", "booktitle", "year", "date", "volume", "publisher")


def _latex_context() -> Any:
    context = get_default_latex_context_db()
    context.add_context_category(
        "offlabel-bibtex",
        prepend=True,
        macros=[
            MacroTextSpec("TeX", simplify_repl="TeX"),
            MacroTextSpec("LaTeX", simplify_repl="LaTeX"),
            MacroTextSpec("LaTeXe", simplify_repl="LaTeX2e"),
            MacroTextSpec("BibTeX", simplify_repl="BibTeX"),
            MacroTextSpec("mbox", discard=False),
            MacroTextSpec("hbox", discard=False),
            MacroTextSpec("text", discard=False),
            MacroTextSpec("textsuperscript", discard=False),
            MacroTextSpec("textsubscript", discard=False),
            MacroTextSpec("textup", discard=False),
            MacroTextSpec("textnormal", discard=False),
        ],
    )
    return context


# the braces or quotes of values, taken off by bibtexparser's parse stack except for entries
# it set aside as duplicates
_UNENCLOSE = middlewares.RemoveEnclosingMiddleware(True)
_LATEX = LatexNodes2Text(latex_context=_latex_context(), keep_braced_groups=False)


def looks_like_bibtex(head: str) -> bool:
    return bool(_ENTRY_START.search(head))


def latex_to_text(value: object) -> str | None:
    """A BibTeX field value as plain Unicode text (``"Rog\\'{e}rio"`` → ``"Rogério"``)."""
    text = clean(value)
    if text is None:
        return None
    if "\\" in text or "{" in text or "$" in text or "%" in text or "~" in text:
        try:
            text = _LATEX.latex_to_text(_BARE_PERCENT.sub(r"\\%", text))
        except Exception:  # pylatexenc gives up on odd macros; keep the raw text then
            text = text.replace("{", "").replace("}", "")
    return clean(text)


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each failed block itself; we report them, so mute it meanwhile."""
    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def iter_bibtex(source: Source, *, on_problem: ProblemHandler | None = None) -> Iterator[Record]:
    """Yield the entries of a BibTeX file as Records.

    Parameters
    ----------
    source : str, Path or binary file object
    on_problem : callable, optional
        Receives the error for each broken entry; the good ones are still yielded. Without
        it the first broken entry is raised before anything is yielded.

    Raises
    ------
    LiteratureParseError
        For a syntax error (e.g. unbalanced braces), naming the line where the entry starts,
        or an entry with neither a title nor an identifier.
    """
    text, name = read_text(source)
    try:
        with _quiet_bibtexparser():
            library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises assorted errors on hostile input
        raise LiteratureParseError(f"unreadable BibTeX: {exc}", file=name) from None

    blocks: list[Any] = []
    for block in library.blocks:
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            # a repeated or empty key (JabRef's "@article{,"): still an entry, which the
            # parse stack left raw
            entry = block.ignore_error_block
            if isinstance(entry, bibtexparser.model.Entry):
                blocks.append(_UNENCLOSE.transform_entry(entry, library))
        elif isinstance(block, bibtexparser.model.Entry | bibtexparser.model.ParsingFailedBlock):
            blocks.append(block)
    if not blocks and text.strip() and not library.strings and not library.preambles:
        error = LiteratureParseError("no BibTeX entries found (no '@type{' line)", file=name)
        if on_problem is None:
            raise error
        on_problem(error)
        return
    # fail before yielding anything unless the caller collects problems
    if on_problem is None:
        for position, block in enumerate(blocks):
            if isinstance(block, bibtexparser.model.ParsingFailedBlock):
                raise _failed(block, name, position)
    by_key = {
        block.key.lower(): _fields(block)
        for block in blocks
        if isinstance(block, bibtexparser.model.Entry)
    }
    for position, block in enumerate(blocks):
        try:
            if isinstance(block, bibtexparser.model.ParsingFailedBlock):
                raise _failed(block, name, position)
            yield _record(block, by_key, name, position)
        except LiteratureParseError as exc:
            if on_problem is None:
                raise
            on_problem(exc)


def _failed(block: Any, name: str, position: int) -> LiteratureParseError:
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error) or "syntax error"
    if "end of file" in reason.lower() or "block start" in reason.lower():
        reason += " (unbalanced braces or a missing closing '}'?)"
    return LiteratureParseError(
        f"broken BibTeX entry: {reason}",
        file=name,
        record=position + 1,
        line=(block.start_line or 0) + 1,
    )


def _fields(entry: Any) -> dict[str, Any]:
    """Field values by lower-cased name (``Author``, ``AUTHOR`` and ``author`` alike)."""
    fields: dict[str, Any] = {}
    for field in entry.fields:
        fields.setdefault(field.key.lower(), field.value)
    return fields


def bibtex_authors(value: object) -> tuple[Author, ...]:
    """The persons of an ``author`` field, in order."""
    if not isinstance(value, str) or not value.strip():
        return ()
    authors = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if not raw:
            continue
        if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
            authors.append(Author(last_name=latex_to_text(raw[1:-1]) or ""))  # {ALS Study Group}
            continue
        plain = latex_to_text(raw) or ""
        if is_organisation(plain):
            authors.append(Author(last_name=plain))  # an unbraced group: kept whole
            continue
        if "," not in raw and _SURNAME_FIRST.match(plain):
            authors.append(parse_name(plain))  # "Adler D.G.", "Liu R.": surname first
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:  # bibtexparser's splitter refuses odd names; read them as text
            authors.append(parse_name(plain))
            continue

        def words(items: list[str]) -> list[str]:
            return [w for item in items for w in (latex_to_text(item) or "").split()]

        authors.append(
            author_from_parts(
                first=words(parts.first), von=words(parts.von), last=words(parts.last)
            )
        )
    return tuple(a for a in authors if a.last_name)


def _record(entry: Any, by_key: dict[str, dict[str, Any]], name: str, position: int) -> Record:
    fields = _fields(entry)
    parent_key = str(fields.get("crossref", "")).strip().lower()
    parent = by_key.get(parent_key) if parent_key else None
    if parent:
        for key in _INHERITED:
            if key not in fields and key in parent:
                fields[key] = parent[key]
        if "booktitle" not in fields and "title" in parent:
            fields["booktitle"] = parent["title"]
    line = (entry.start_line or 0) + 1
    entry_type = entry.entry_type.lower()
    title = latex_to_text(fields.get("title"))
    if not title and entry_type in _WHOLE_BOOKS:
        title = latex_to_text(fields.get("booktitle"))
    pmid = clean(fields.get("pmid"))
    eprint = clean(fields.get("eprint"))
    if not pmid and eprint and eprint.isdigit() and "pubmed" in str(fields.get("eprinttype", "")):
        pmid = eprint
    found = identifiers_in(
        [str(fields.get(k, "")) for k in ("note", "url", "eprint", "pmid", "howpublished")]
    )
    pmid = pmid if pmid and pmid.isdigit() else found.pmid
    doi = normalize_doi(clean(fields.get("doi"))) or found.doi
    if entry_type in _NOT_REFERENCES and not title:
        raise LiteratureParseError(
            f"@{entry_type}{{{entry.key}}} groups other entries; it is not a reference itself",
            file=name,
            record=position + 1,
            line=line,
        )
    keep_or_refuse(
        title, pmid, doi, found.nct, file=name, record=position + 1, line=line, field="title"
    )
    pages = clean(fields.get("pages"))
    if pages:
        pages = pages.replace("--", "-").replace("–", "-")
    abstract = latex_to_text(fields.get("abstract"))
    keywords = tuple(
        k for k in (clean(p) for p in re.split(r"[;,]", str(fields.get("keywords", "")))) if k
    )
    return Record(
        title=title or "",
        pmid=pmid,
        doi=doi,
        pmcid=clean(fields.get("pmcid")) or found.pmcid,
        nct=found.nct,
        abstract=(("", abstract),) if abstract else (),
        authors=bibtex_authors(fields.get("author")),
        journal=latex_to_text(
            fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        ),
        journal_abbrev=latex_to_text(
            fields.get("journal-abbreviation") or fields.get("shortjournal")
        ),
        year=year_of(fields.get("year") or fields.get("date")),
        volume=clean(fields.get("volume")),
        issue=clean(fields.get("number") or fields.get("issue")),
        pages=pages,
        language=clean(fields.get("language")),
        publication_types=(entry_type,),
        keywords=keywords,
        url=clean(fields.get("url")),
        source_format="bibtex",
        source_file=name,
        position=position,
        extra=(("bibtex_key", entry.key),),
    )
