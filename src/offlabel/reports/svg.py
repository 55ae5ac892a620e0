"""matplotlib figures as accessible, deterministic inline SVG (one way for every app).

The Agg backend draws on the server (no display, no JavaScript). Output is deterministic: no
date or creator in the metadata, and element ids salted with the figure's own key, so two
figures on one page never share an id and a cached page never changes. The ``<svg>`` carries
``role="img"`` and a ``<title>``/``<desc>`` pair; every page that shows a figure also shows the
numbers behind it as a table. matplotlib escapes the text it writes; :func:`plain` keeps
user-written text from being read as mathematics.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

#: Every chart's text, in the SVG's own units (points). Charts are drawn about as wide as a
#: phone's column (:data:`PHONE_WIDTH` inches = 317 units, shown at 290–360 CSS px there), so
#: their text reads at 11 px or more on a 390 px phone; a wider screen only enlarges them.
FONT_SIZE = 12
TITLE_SIZE = 13
PHONE_WIDTH = 4.4

# Text created before saving takes its size from here (ticks, labels, annotations).
matplotlib.rcParams.update({"font.size": FONT_SIZE, "legend.fontsize": FONT_SIZE})


@dataclass(frozen=True)
class Svg:
    """An inline SVG figure with its accessible name and description."""

    key: str
    title: str
    desc: str
    markup: str

    def __str__(self) -> str:
        return self.markup


def plain(text: str) -> str:
    """Text as written: matplotlib would read ``$…$`` as mathematics (and may fail on it)."""
    return text.replace("$", r"\$")


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)


def _declarations(css: str) -> str:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return "".join(f' {name.strip()}="{html.escape(value.strip())}"' for name, value in pairs)


def _presentation_attributes(svg: str) -> str:
    """matplotlib's ``style="fill: …"`` attributes and its ``<style>`` element as SVG
    presentation attributes (``fill="…"``): the same drawing, and the page's
    Content-Security-Policy needs no inline styles for it."""
    root = "".join(
        _declarations(rule.split("{", 1)[1].rstrip("}"))
        for rule in _STYLE_ELEMENT.findall(svg)
        for rule in [rule.strip()]
        if rule.startswith("*{")
    )
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = svg.replace("<svg ", f"<svg{root} ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: _declarations(m.group(1)), svg)


def figure_svg(fig: Figure, *, key: str, title: str, desc: str, css_class: str) -> Svg:
    """Serialise ``fig`` deterministically and add its role, title and description."""
    buffer = io.StringIO()
    with matplotlib.rc_context(
        {"svg.hashsalt": f"offlabel-{key}", "svg.fonttype": "none", "font.size": FONT_SIZE}
    ):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = _presentation_attributes(svg[svg.index("<svg") :])
    safe_key = re.sub(r"[^a-zA-Z0-9_-]", "-", key)
    title_id, desc_id = f"fig-{safe_key}-title", f"fig-{safe_key}-desc"
    svg = re.sub(
        r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
        rf'<svg \1class="plot {css_class}"',
        svg,
        count=1,
    )
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" id="fig-{safe_key}" ',
        1,
    )
    opening_end = svg.index(">", svg.index("<svg")) + 1
    svg = (
        svg[:opening_end]
        + f'<title id="{title_id}">{html.escape(title)}</title>'
        + f'<desc id="{desc_id}">{html.escape(desc)}</desc>'
        + svg[opening_end:]
    )
    return Svg(key=key, title=title, desc=desc, markup=svg)
