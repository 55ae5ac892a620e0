"""Hostile input for every literature reader (slow; 1,000 examples each): a valid file of the
format mutated. Each either reads or stops with a LiteratureParseError naming the file;
nothing else escapes (no traceback), and a refused file gives no records (all or nothing)."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import FORMATS, parse_file
from tests.support.hostile import mutated, record
from tests.support.shared_data import TEST_DATA

SEEDS = {
    "pubmed": "pubmed_current.xml",
    "medline": "medline.nbib",
    "ris": "sample.ris",
    "bibtex": "sample.bib",
    "endnote": "endnote.xml",
    "wos": "wos.txt",
    "ctgov": "ctgov_study.json",
    "crossref": "crossref_work.json",
}
EXAMPLES = 1000


def test_every_reader_has_a_seed():
    assert set(SEEDS) == set(FORMATS)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_hostile_files_give_a_clear_message_or_records(fmt):
    seed = (TEST_DATA / "literature" / SEEDS[fmt]).read_bytes()
    counts: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=mutated(seed))
    def run(data: bytes) -> None:
        counts["tried"] += 1
        for given_format in (fmt, "auto"):
            stream = io.BytesIO(data)
            stream.name = f"hostile.{fmt}"
            try:
                result = parse_file(stream, given_format)
            except LiteratureParseError as error:
                counts["refused"] += 1
                assert str(error).startswith("hostile."), str(error)
                assert len(str(error)) > len("hostile.x: ")
            else:
                counts["read"] += 1
                assert not result.problems  # all or nothing without skip_bad

    run()
    record(f"literature:{fmt}", counts)
    assert counts["tried"] >= EXAMPLES
