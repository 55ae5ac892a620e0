"""Paths and the recorded look-up transport shared by the literature web tests."""

from __future__ import annotations

import urllib.parse
from typing import Any

from offlabel.web.literature.demo import PUBMED_DIR
from tests.support.shared_data import PUBMED_DATA, TEST_DATA

FIXTURES = TEST_DATA / "uploads"
RECORDED = TEST_DATA / "recorded"
#: Real MEDLINE files written by others (``../shared``): reach them through ``shared_file``.
PUBMED = PUBMED_DATA
#: A PubMed XML file the project wrote itself (the demo's literature), always present.
OWN_PUBMED = PUBMED_DIR / "ldn-demo.xml"


def recorded_transport() -> Any:
    """A replay transport answering the look-ups of the recorded responses."""
    from offlabel.literature.online.crossref import CrossrefClient
    from offlabel.literature.online.ctgov import ClinicalTrialsClient
    from offlabel.literature.online.eutils import EUTILS_BASE
    from offlabel.literature.online.transport import ReplayTransport, Response

    def efetch(ids: str) -> str:
        query = urllib.parse.urlencode(
            {"db": "pubmed", "id": ids, "retmode": "xml", "tool": "offlabel"}
        )
        return f"{EUTILS_BASE}efetch.fcgi?{query}"

    crossref_url = CrossrefClient(mailto="").url("10.3109/17482968.2010.544386")
    answers = {
        efetch("29768149"): (200, "efetch-pmid-29768149.xml"),
        efetch("1"): (200, "efetch-empty.xml"),
        crossref_url: (200, "crossref-work-10.3109-17482968.2010.544386.json"),
        CrossrefClient(mailto="").url("10.9999/nothing.here"): (404, "crossref-not-found.txt"),
        ClinicalTrialsClient.url("NCT00501696"): (200, "ctgov-study-NCT00501696.json"),
        ClinicalTrialsClient.url("NCT99999999"): (404, "ctgov-not-found.txt"),
    }
    return ReplayTransport(
        {
            url: Response(url, status, (RECORDED / name).read_bytes())
            for url, (status, name) in answers.items()
        }
    )
