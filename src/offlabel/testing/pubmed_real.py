"""Real MEDLINE citations rewrapped in today's baseline layout, for comparison with the
synthetic corpus of :mod:`offlabel.testing.pubmed_corpus`.

The caller names the file (nothing here knows where real files live); its citations are
repeated with shifted PMIDs until as many records as asked are written.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from offlabel.testing.pubmed_corpus import FOOTER, HEADER, CorpusFiles, open_corpus_file

__all__ = ["write_real_corpus"]


_CITATION = re.compile(r"<MedlineCitation\b.*?</MedlineCitation>", re.S)
_PMID = re.compile(r'(<PMID Version="\d+">)(\d+)(</PMID>)')


def _real_citations(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return _CITATION.findall(handle.read())


def _rewrapped(citations: Sequence[str], count: int, start: int) -> Iterator[str]:
    for i in range(start, start + count):
        copy, index = divmod(i, len(citations))
        citation = citations[index]
        match = _PMID.search(citation)
        if match is None:
            continue
        pmid = int(match.group(2)) + copy * 100_000_000
        citation = _PMID.sub(rf"\g<1>{pmid}\g<3>", citation, count=1)
        yield (
            f"<PubmedArticle>{citation}<PubmedData><ArticleIdList>"
            f'<ArticleId IdType="pubmed">{pmid}</ArticleId>'
            "</ArticleIdList></PubmedData></PubmedArticle>\n"
        )


def write_real_corpus(
    real_citations: str | Path,
    directory: str | Path,
    records: int,
    per_file: int = 30_000,
    *,
    prefix: str = "pubmed_real",
    compresslevel: int = 1,
) -> CorpusFiles:
    """Real MEDLINE citations (from a file the caller names) rewrapped in the baseline layout.

    Every ``<MedlineCitation>`` of ``real_citations`` (any layout, gzip'd) becomes a
    ``<PubmedArticle>``; the set is repeated with PMIDs shifted by 100,000,000 a copy until
    ``records`` are written. For comparing the synthetic corpus with real records.
    """
    citations = _real_citations(Path(real_citations))
    if not citations:
        raise ValueError(f"{real_citations}: no <MedlineCitation> found")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    written = 0
    size = 0
    while written < records:
        count = min(per_file, records - written)
        path = out / f"{prefix}_{len(paths) + 1:04d}.xml.gz"
        with open_corpus_file(path, compresslevel) as handle:
            handle.write(HEADER)
            for text in _rewrapped(citations, count, written):
                size += len(text.encode("utf-8"))
                handle.write(text)
            handle.write(FOOTER)
        paths.append(path)
        written += count
    return CorpusFiles(paths=tuple(paths), records=written, decompressed_bytes=size)
