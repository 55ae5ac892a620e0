"""A review version as a journal-style PDF: WeasyPrint's rendering of an HTML page.

The page is ``templates/review.html`` (print CSS: A4, two columns, running heads), filled by
Jinja2 with HTML autoescaping; the sections' Markdown goes through the one sanitizer
(:func:`offlabel.reports.markup.markdown_html`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from offlabel.reports.markup import markdown_html
from offlabel.reports.review_document import ReviewDocument

__all__ = ["review_html", "review_pdf"]


def _longdate(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _markdown(text: str) -> Markup:
    # markdown_html keeps only an allow-list of tags and attributes (nh3), so it is safe markup.
    return Markup(markdown_html(text))  # noqa: S704


@cache
def _environment() -> Environment:
    templates = resources.files("offlabel.reports") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = _markdown
    env.filters["longdate"] = _longdate
    return env


def _same(text: str) -> str:
    return text


def review_html(
    doc: ReviewDocument,
    translate: Callable[[str], str] = _same,
    longdate: Callable[[dt.date], str] = _longdate,
    number: Callable[[str], str] = _same,
) -> str:
    """The print page of a review (what the PDF is made from).

    The page's own words go through ``translate`` (English as written by default), its date
    through ``longdate`` and its decimal numbers through ``number``: the web layer passes the
    reader's language's (the core knows no languages). The page's ``lang`` is the document's.
    """
    env = _environment()
    return env.get_template("review.html").render(
        doc=doc,
        _=translate,
        number=number,
        longdate=longdate,
    )


def review_pdf(
    doc: ReviewDocument,
    translate: Callable[[str], str] = _same,
    longdate: Callable[[dt.date], str] = _longdate,
    number: Callable[[str], str] = _same,
) -> bytes:
    """A journal-style PDF: title, date, version, grade table, sections, references."""
    from weasyprint import HTML  # heavy import, only needed here

    return bytes(HTML(string=review_html(doc, translate, longdate, number)).write_pdf())
