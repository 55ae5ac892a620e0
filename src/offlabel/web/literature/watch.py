"""The living review: run every saved search and flag records newer than the last review.

Candidates come from the local Parquet index built by ``offlabel literature scan``
(``$OFFLABEL_LITERATURE_INDEX``, default ``<var>/literature-index``) and, when asked, from
PubMed's ESearch. A candidate becomes a :class:`~offlabel.web.literature.models.WatchFlag` when
it is not in the topic's library, was never flagged before (a dismissed record stays
dismissed), and is not older than the topic's newest published review: the index only knows a
record's publication *year*, so records from the year of publication are flagged too (a
reviewer dismisses those already considered).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from offlabel.web.literature.models import SavedSearch
from offlabel.web.literature.selectors import topic_review_published_at
from offlabel.web.literature.services import Candidate, watch_flags_record

INDEX_ENV = "OFFLABEL_LITERATURE_INDEX"
#: Most hits taken from one therapy × condition query.
HITS_PER_QUERY = 1000
#: Most PMIDs taken from one online search.
ONLINE_RETMAX = 200


def default_index_dir() -> Path:
    """``$OFFLABEL_LITERATURE_INDEX``, else ``literature-index`` in the var directory."""
    configured = os.environ.get(INDEX_ENV, "").strip()
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "literature-index"


@dataclass
class WatchSummary:
    searches: int = 0
    candidates: int = 0
    flagged: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"{self.searches} saved search(es) run; {self.candidates} matching record(s); "
            f"{self.flagged} new flag(s)"
        )
        if self.problems:
            text += f"; {len(self.problems)} problem(s)"
        return text


Finder = Callable[[SavedSearch], list[Candidate]]


def index_finder(index_dir: Path) -> Finder:
    """Candidates from a local index (every therapy term × condition term)."""
    from offlabel.literature.index.search import search

    def find(saved: SavedSearch) -> list[Candidate]:
        topic = saved.topic
        extra = dict.fromkeys(saved.therapy_term_list, topic.therapy.synonym_list)
        extra.update(dict.fromkeys(saved.condition_term_list, topic.condition.synonym_list))
        found: dict[str, Candidate] = {}
        for therapy in saved.therapy_term_list:
            for condition in saved.condition_term_list:
                hits = search(
                    index_dir,
                    therapy=therapy,
                    condition=condition,
                    species=saved.species or None,
                    synonyms=extra,
                    limit=HITS_PER_QUERY,
                )
                for hit in hits:
                    found.setdefault(
                        str(hit.pmid),
                        Candidate(
                            title=hit.title, year=hit.year, pmid=str(hit.pmid), doi=hit.doi or ""
                        ),
                    )
        return list(found.values())

    return find


def online_finder(transport: Any = None) -> Finder:
    """Candidates from PubMed's ESearch (titles and years through EFetch)."""
    from offlabel.literature.online.eutils import EutilsClient

    client = EutilsClient(transport=transport)

    def quoted(terms: Iterable[str]) -> str:
        return " OR ".join(f'"{term.replace(chr(34), "")}"[tiab]' for term in terms)

    def find(saved: SavedSearch) -> list[Candidate]:
        query = f"({quoted(saved.therapy_term_list)}) AND ({quoted(saved.condition_term_list)})"
        published = topic_review_published_at(saved.topic)
        if published is not None:
            query += f' AND ("{published.year}"[dp] : "3000"[dp])'
        result = client.search(query, retmax=ONLINE_RETMAX)
        if not result.pmids:
            return []
        return [
            Candidate(title=r.title, year=r.year, pmid=r.pmid or "", doi=r.doi or "")
            for r in client.fetch(list(result.pmids))
        ]

    return find


def watch_run(
    *,
    index_dir: Path | None = None,
    use_index: bool = True,
    online: bool = False,
    transport: Any = None,
    searches: Iterable[SavedSearch] | None = None,
) -> WatchSummary:
    """Run saved searches (all of them by default) and record new watch flags.

    A search that fails (no index yet, a network error) is reported in the summary's
    problems; the others still run.
    """
    from offlabel.literature.index.layout import IndexFormatError
    from offlabel.literature.online.errors import OnlineLookupError

    finders: list[tuple[str, Finder]] = []
    summary = WatchSummary()
    if use_index:
        directory = index_dir or default_index_dir()
        if directory.is_dir():
            finders.append((f"index {directory}", index_finder(directory)))
        else:
            summary.problems.append(
                f"No literature index at {directory}: build one with "
                "`offlabel literature scan BASELINE_DIR --out INDEX_DIR`."
            )
    if online:
        finders.append(("PubMed", online_finder(transport)))
    if searches is None:
        searches = SavedSearch.objects.select_related("topic__therapy", "topic__condition")
    for saved in searches:
        summary.searches += 1
        candidates: dict[tuple[str, str], Candidate] = {}
        notes = []
        for name, find in finders:
            try:
                for candidate in find(saved):
                    candidates.setdefault((candidate.pmid, candidate.doi), candidate)
            except (IndexFormatError, OnlineLookupError, ValueError, OSError) as error:
                problem = f"{saved}: {name}: {error}"
                summary.problems.append(problem)
                notes.append(problem)
        summary.candidates += len(candidates)
        summary.flagged += watch_flags_record(
            saved=saved, candidates=list(candidates.values()), note="; ".join(notes)
        )
    return summary
