"""BibTeX reader, on :mod:`bibtexparser` (v2).

bibtexparser keeps going past a broken entry and records it as a failed block; here such a
block becomes a :class:`LiteratureParseError` naming its line (unbalanced braces, a missing
comma), raised or, with ``on_problem``, reported while the good entries are kept.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers._common import ProblemHandler, Source, clean, read_text, year_of
from offlabel.literature.records import Author, Record, normalize_doi, split_name

__all__ = ["iter_bibtex", "looks_like_bibtex"]

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_NCT = re.compile(r"\bNCT\d{8}\b", re.IGNORECASE)
_LATEX = LatexNodes2Text(keep_braced_groups=False)


def looks_like_bibtex(head: str) -> bool:
    return bool(_ENTRY_START.search(head))


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
        or an entry without a title.
    """
    text, name = read_text(source)
    try:
        with _quiet_bibtexparser():
            library = bibtexparser.parse_string(
                text, append_middleware=[middlewares.SeparateCoAuthors()]
            )
    except Exception as exc:  # bibtexparser raises assorted errors on hostile input
        raise LiteratureParseError(f"unreadable BibTeX: {exc}", file=name) from None

    blocks = [
        b
        for b in library.blocks
        if isinstance(b, bibtexparser.model.Entry | bibtexparser.model.ParsingFailedBlock)
    ]
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
    for position, block in enumerate(blocks):
        try:
            if isinstance(block, bibtexparser.model.ParsingFailedBlock):
                raise _failed(block, name, position)
            yield _record(block, name, position)
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


def _latex(value: object) -> str | None:
    text = clean(value)
    if text is None:
        return None
    if "\\" in text or "{" in text or "$" in text:
        try:
            text = _LATEX.latex_to_text(text)
        except Exception:  # pylatexenc gives up on odd macros; keep the raw text then
            text = text.replace("{", "").replace("}", "")
    return clean(text)


def _author(raw: str) -> Author:
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        return Author(last_name=_latex(raw[1:-1]) or "")  # a group author: {ALS Study Group}
    return split_name(_latex(raw) or "")


def _record(entry: Any, name: str, position: int) -> Record:
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    line = (entry.start_line or 0) + 1
    title = _latex(fields.get("title"))
    if not title:
        raise LiteratureParseError(
            f"entry {entry.key!r} has no title",
            file=name,
            record=position + 1,
            line=line,
            field="title",
        )
    names = fields.get("author") or []
    if isinstance(names, str):
        names = [names]
    authors = tuple(a for a in (_author(str(n)) for n in names) if a.last_name)
    pages = clean(fields.get("pages"))
    if pages:
        pages = pages.replace("--", "-").replace("–", "-")
    pmid = clean(fields.get("pmid"))
    eprint = clean(fields.get("eprint"))
    if not pmid and eprint and eprint.isdigit() and "pubmed" in str(fields.get("eprinttype", "")):
        pmid = eprint
    note = " ".join(str(fields.get(k, "")) for k in ("note", "url", "eprint"))
    nct_match = _NCT.search(note)
    abstract = _latex(fields.get("abstract"))
    keywords = tuple(
        k for k in (clean(p) for p in re.split(r"[;,]", str(fields.get("keywords", "")))) if k
    )
    return Record(
        title=title,
        pmid=pmid if pmid and pmid.isdigit() else None,
        doi=normalize_doi(clean(fields.get("doi"))),
        pmcid=clean(fields.get("pmcid")),
        nct=nct_match.group(0).upper() if nct_match else None,
        abstract=(("", abstract),) if abstract else (),
        authors=authors,
        journal=_latex(
            fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
        ),
        year=year_of(fields.get("year") or fields.get("date")),
        volume=clean(fields.get("volume")),
        issue=clean(fields.get("number") or fields.get("issue")),
        pages=pages,
        language=clean(fields.get("language")),
        publication_types=(entry.entry_type.lower(),),
        keywords=keywords,
        url=clean(fields.get("url")),
        source_format="bibtex",
        source_file=name,
        position=position,
        extra=(("bibtex_key", entry.key),),
    )
