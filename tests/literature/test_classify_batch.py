"""classify_many gives what classify gives, record by record, on every record we have."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import re2

from offlabel.literature.classify import classify, compile_text_rule, load_rules
from offlabel.literature.classify_batch import _findall_utf8, classify_many
from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import iter_records
from offlabel.literature.records import MeshHeading, Record
from offlabel.testing.pubmed_corpus import write_corpus
from tests.support.shared_data import EXPORTS, PUBMED_DATA, TEST_DATA, needs_shared


def _records(path: Path) -> list[Record]:
    found = []
    for item in iter_records(path, on_problem=lambda _problem: None):
        if isinstance(item, Record):
            found.append(item)
    return found


def _assert_same(records: list[Record]) -> None:
    for target in (None, "human", "dog"):
        batch = classify_many(records, target)
        assert len(batch) == len(records)
        for record, got in zip(records, batch, strict=True):
            assert got == classify(record, target), (record.pmid or record.title, target)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[Record]:
    directory = tmp_path_factory.mktemp("synthetic")
    corpus = write_corpus(directory, 3_000, 1_500, updates=1, update_size=100, seed=7)
    return [record for path in corpus.paths for record in _records(path)]


def test_every_synthetic_record_is_classified_as_one_by_one(synthetic):
    assert len(synthetic) == 3_000 + 200
    _assert_same(synthetic)
    # the corpus reaches every kind of decision, so the comparison means something
    verdicts = classify_many(synthetic)
    assert len({v.design for v in verdicts}) >= 10
    assert len({v.species for v in verdicts}) == 7
    assert any("named" in reason for v in verdicts for reason in v.reasons)  # text counts


def test_our_own_files_of_every_format_are_classified_as_one_by_one():
    paths = sorted((TEST_DATA / "literature").glob("*"))
    records = [
        r for path in paths if not path.name.startswith(("bad_", "wrong_")) for r in _records(path)
    ]
    assert len(records) >= 8
    _assert_same(records)


@needs_shared
def test_every_real_record_is_classified_as_one_by_one():
    paths = sorted(PUBMED_DATA.glob("*.xml*"))
    paths += sorted(p for p in EXPORTS.rglob("*") if p.is_file() and p.suffix != ".txt")
    records = []
    for path in paths:
        try:
            records += _records(path)
        except LiteratureParseError:  # some exports are broken on purpose
            continue
    assert len(records) > 900
    _assert_same(records)


def test_hand_made_records_reach_the_rarer_branches():
    mesh = lambda *names: tuple(MeshHeading("", name, False) for name in names)  # noqa: E731
    records = [
        Record(title="Naltrexone in SOD1 mice", mesh=mesh("Animals", "Mice", "Cells, Cultured")),
        Record(
            title="Opioid receptors in vivo",
            abstract=(("", "Xenograft mice were treated."),),
            mesh=mesh("Animals", "Mice", "Cells, Cultured"),
        ),
        Record(title="A review", publication_types=("Review",)),
        Record(title="A systematic review of LDN", publication_types=("Review",)),
        Record(title="Enzymes", abstract=(("", "The enzyme was purified from bacteria."),)),
        Record(title="Lab work", mesh=mesh("In Vitro Techniques")),
        Record(title="Cells in a dish", mesh=mesh("In Vitro Techniques")),
        Record(title="Twelve dogs: a case series", abstract=(("", "Dogs, dogs, dogs."),)),
        Record(title="Électronique des plantes ΣΑΣ", abstract=(("Résumé", "Über Zellen."),)),
        Record(title=""),
    ]
    _assert_same(records)


def test_a_rule_asked_about_another_text_runs_its_own_search():
    rules = load_rules()
    extra = compile_text_rule(r"\bmeta\b", "test")
    changed = dataclasses.replace(rules, risks_title=extra)
    record = Record(title="A meta view", abstract=(("", "meta"),))
    assert classify_many([record], rules=changed) == [classify(record, rules=changed)]
    assert classify_many([record], rules=changed)[0].category is not None


def test_findall_on_the_bytes_gives_what_findall_on_the_text_gives():
    options = re2.Options()
    options.case_sensitive = False
    text = "Mosquitoes, cats and a CAT; µ-cats — mosquito. Σ cats"
    for pattern in (
        r"\b(mosquito(es)?|cats?)\b",  # two groups: tuples
        r"\bcats?\b",  # no group: the matches
        r"(c)ats?",  # one group
        r"x*",  # empty matches: one character on, also past a multi-byte one
    ):
        compiled = re2.compile(pattern, options=options)
        assert _findall_utf8(compiled, text.encode("utf-8")) == compiled.findall(text)


def test_a_case_sensitive_rule_is_refused():
    rules = load_rules()
    sensitive = dataclasses.replace(rules, risks_title=re2.compile(r"\bSafety\b"))
    with pytest.raises(ValueError, match="case-sensitive"):
        classify_many([Record(title="x")], rules=sensitive)


def test_a_match_found_by_the_set_reads_as_the_real_match():
    from offlabel.literature.classify_batch import _Answered, _Current

    current = _Current()
    rule = compile_text_rule(r"\bsafety\b")
    answered = _Answered(rule, 0, current)
    current.title, current.title_bytes, current.title_hits = "Drug safety", b"Drug safety", {0}
    found = answered.search("Drug safety")
    assert found and found.group(0) == "safety" and found.span() == (5, 11)
    current.title_hits = frozenset()
    assert answered.search("Drug safety") is None  # the set said absent
    assert answered.search("Safety first").group(0) == "Safety"  # another text: real search
    assert answered.findall("no") == []
