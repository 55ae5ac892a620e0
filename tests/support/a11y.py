"""Accessibility checks the browser tests run on a Playwright page.

axe-core comes from npm (``package.json``, installed into ``node_modules`` by ``make axe``) and is
injected into the page under test; no page loads it by itself. The other checks measure what
axe does not: horizontal scrolling at phone width and the rendered size of chart text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (run `make axe`: npm ci).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' +
                    n.failureSummary.split('\\n').slice(1, 2).join(''))}));
        }""",
        WCAG_TAGS,
    )
    return list(result)


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


def overflow(page: Any) -> dict[str, Any]:
    """How wide the document is against the window, and what sticks out (for the message)."""
    return dict(
        page.evaluate(
            """() => {
            const width = document.documentElement.scrollWidth, inner = window.innerWidth;
            // inside a box that scrolls by itself (a wide table's), unless positioned out of it
            const scrolls = e => {
              if (getComputedStyle(e).position === 'absolute') return false;
              for (let p = e.parentElement; p; p = p.parentElement)
                if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
              return false;
            };
            const wide = [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > inner + 1 && !scrolls(e) &&
                      !(e.closest('svg') && e.tagName.toLowerCase() !== 'svg'))
              .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.getAttribute('class') + ' ' +
                  Math.round(e.getBoundingClientRect().right));
            return {width, inner, wide};
        }"""
        )
    )


def small_targets(page: Any) -> list[str]:
    """Controls under 24 × 24 CSS px: buttons, fields, check boxes, menus, disclosure summaries,
    and the links that stand alone (the header's, buttons styled as links, language switch).

    Links inside a sentence are exempt under WCAG 2.5.8 (their size is the text's).
    """
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll(
                'button, input:not([type=hidden]), select, textarea, summary, ' +
                'header a, a.button, a.language')]
            .filter(e => {
                const r = e.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) return false;  // not rendered
                return r.width < 24 || r.height < 24;
            })
            .slice(0, 8)
            .map(e => e.tagName.toLowerCase() + ' "' + (e.textContent || e.name || '').trim()
                .slice(0, 30) + '" ' + Math.round(e.getBoundingClientRect().width) + 'x' +
                Math.round(e.getBoundingClientRect().height))"""
        )
    )


def chart_text_sizes(page: Any) -> list[float]:
    """The rendered size in CSS px of every text in the page's SVG charts."""
    return [
        float(size)
        for size in page.evaluate(
            """() => [...document.querySelectorAll('svg text')]
            .filter(t => t.getBoundingClientRect().width > 0)
            .map(t => { const m = t.getScreenCTM();
                return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })"""
        )
    ]
