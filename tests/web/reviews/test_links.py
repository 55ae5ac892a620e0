"""Citations such as [1, 4] link to their reference entry; references link to PubMed, DOI and
ClinicalTrials.gov from the library's identifiers (page and exports), built in one place."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from offlabel.literature.links import identifier_links
from offlabel.reports.citations import cited_numbers, link_citations
from offlabel.web.reviews import exports, services


class _Links(HTMLParser):
    """Every <a> with its href and text, and every element id."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a":
            self._href = values.get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links.append((self._href, data))
            self._href = None


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.fixture
def cited(published: Any, stage: Any) -> Any:
    """Version 2 whose Mechanism cites [1, 4] and [2–3], with identifiers on two references."""
    ref1, _ref2, ref3 = stage.references[:3]
    ref1.pmid, ref1.doi = "19922128", "10.1000/xyz(2)"
    ref1.save()
    ref3.nct = "nct00201300"
    ref3.save()
    new = services.review_new_version(review=published, by=stage.world.reviewer, carry_votes=True)
    services.review_update(
        review=new,
        by=stage.world.reviewer,
        mechanism="Opioid receptors sit on immune cells [1, 4]; models disagree [2–3]; see [42].",
    )
    services.review_circulate(review=new, by=stage.world.reviewer)
    return services.review_publish(review=new, by=stage.world.editor)


def test_citations_on_the_page_link_to_existing_reference_entries(cited: Any, client: Any) -> None:
    page = _parse(client.get(cited.get_absolute_url()).content.decode())
    citation_links = [(href, text) for href, text in page.links if href.startswith("#ref-")]
    assert ("#ref-1", "1") in citation_links and ("#ref-4", "4") in citation_links
    assert ("#ref-2", "2") in citation_links and ("#ref-3", "3") in citation_links
    for href, _text in citation_links:
        assert href[1:] in page.ids, f"{href} points at no reference entry"
    assert "#ref-42" not in {href for href, _ in page.links}  # not in the list: left as text


def test_references_link_to_pubmed_doi_and_clinicaltrials(cited: Any, client: Any) -> None:
    hrefs = {
        href for href, _ in _parse(client.get(cited.get_absolute_url()).content.decode()).links
    }
    assert "https://pubmed.ncbi.nlm.nih.gov/19922128/" in hrefs
    assert "https://doi.org/10.1000/xyz(2)" in hrefs
    assert "https://clinicaltrials.gov/study/NCT00201300" in hrefs


def test_markdown_and_json_exports_carry_the_same_links(cited: Any) -> None:
    import json

    markdown = exports.review_as_markdown(cited)
    assert "[[1](#ref-1), [4](#ref-4)]" in markdown and '<a id="ref-4"></a>' in markdown
    assert "[PubMed 19922128](https://pubmed.ncbi.nlm.nih.gov/19922128/)" in markdown
    data = json.loads(exports.review_as_json(cited))
    first = data["references"][0]
    assert first["links"] == {
        "pubmed": "https://pubmed.ncbi.nlm.nih.gov/19922128/",
        "doi": "https://doi.org/10.1000/xyz(2)",
    }


def test_pdf_links_citations_and_identifiers(cited: Any) -> None:
    reader = PdfReader(io.BytesIO(exports.review_as_pdf(cited)))
    uris, internal = set(), 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.add(str(action["/URI"]))
            elif annotation.get_object().get("/Dest") or "/D" in action:
                internal += 1
    assert "https://pubmed.ncbi.nlm.nih.gov/19922128/" in uris
    assert "https://clinicaltrials.gov/study/NCT00201300" in uris
    assert internal >= 4, "the citations [1, 4] and [2–3] jump to the reference list"


def test_link_citations_leaves_code_links_and_unknown_numbers_alone() -> None:
    text = "a [1] b `[1]` c [1](http://x) d [see 1] e [99]"
    assert link_citations(text, {1}) == "a [[1](#ref-1)] b `[1]` c [1](http://x) d [see 1] e [99]"
    assert cited_numbers("[3-5, 9]") == [3, 4, 5, 9]


def test_no_other_module_spells_the_registry_addresses() -> None:
    hosts = ("pubmed.ncbi.nlm.nih.gov", "doi.org/", "clinicaltrials.gov/study")
    root = Path(__file__).parents[3] / "src" / "offlabel"
    found = []
    for path in root.rglob("*"):
        if path.suffix not in {".py", ".html", ".toml"} or path.name == "links.py":
            continue
        text = path.read_text(encoding="utf-8")
        # DOI prefixes are stripped by the readers (records.py): not links
        for host in hosts:
            for match in re.finditer(re.escape(host), text):
                line = text[: match.start()].count("\n") + 1
                found.append(f"{path.relative_to(root)}:{line}")
    allowed = {
        "literature/records.py",
        "literature/parsers/_common.py",
        "web/literature/importing.py",
    }
    assert [f for f in found if f.split(":")[0] not in allowed] == []
    assert [link.kind for link in identifier_links(pmid="1", doi="10.1/x", nct="NCT1")] == [
        "pubmed", "doi", "nct",
    ]  # fmt: skip
