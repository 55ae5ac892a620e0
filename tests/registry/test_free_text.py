"""Finding 4: personal details in free text are redacted by the one de-identification function.

Recall is measured on two labelled sets of synthetic entries written for this test
(``tests/data/free_text``): ``pii_labelled.jsonl`` (260 entries, 456 details: names of people
and pets, phones, addresses, dates, URLs, e-mail addresses in 25 shapes; the rules were tuned
on it) and ``pii_heldout.jsonl`` (30 entries, 40 details, written after the tuning in other
shapes). A detail counts as found when every letter and digit of it lies inside a redacted
span. Precision: none of the ordinary therapy, side-effect and breed entries of
``ordinary.txt`` changes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.registry.deidentify import deidentify
from offlabel.registry.free_text import find, redact
from offlabel.registry.records import (
    EvaluationRow,
    RegistryBundle,
    SideEffect,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.vocabulary import Sex

DATA = Path(__file__).resolve().parents[1] / "data" / "free_text"
SALT = "a-secret-salt-of-32-characters!!"
#: Measured when written: 456/456 on the tuning set, 38/40 (0.95) held out.
TUNED_FLOOR = 0.97
HELDOUT_FLOOR = 0.9


def _recall(name: str) -> tuple[int, int, list[str]]:
    found = total = 0
    missed: list[str] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        text = entry["text"]
        spans = find(text)
        for detail in entry["pii"]:
            total += 1
            start = text.index(detail["text"])
            chars = [i for i in range(start, start + len(detail["text"])) if text[i].isalnum()]
            if all(any(s.start <= i < s.end for s in spans) for i in chars):
                found += 1
            else:
                missed.append(f"{detail['kind']}: {detail['text']!r} in {text!r}")
    return found, total, missed


def test_the_labelled_sets_are_what_the_docstring_says() -> None:
    entries = (DATA / "pii_labelled.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(entries) >= 200
    kinds = {d["kind"] for e in entries for d in json.loads(e)["pii"]}
    assert kinds == {"name", "phone", "address", "date", "url", "email"}


@pytest.mark.parametrize(
    ("name", "floor"), [("pii_labelled.jsonl", TUNED_FLOOR), ("pii_heldout.jsonl", HELDOUT_FLOOR)]
)
def test_recall_on_labelled_synthetic_entries(name: str, floor: float) -> None:
    found, total, missed = _recall(name)
    print(f"{name}: recall {found}/{total} = {found / total:.3f}")
    assert found / total >= floor, "\n".join(missed)


def test_ordinary_therapy_side_effect_and_breed_text_is_left_alone() -> None:
    lines = [
        line
        for line in (DATA / "ordinary.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) >= 80
    changed = [(line, redact(line)) for line in lines if redact(line) != line]
    assert changed == []


def test_the_audit_example_is_redacted() -> None:
    text = "LDN from Dr Jane Roe, Springfield, tel 555-0100, for Rex Secretdog"
    out = redact(text)
    assert out.startswith("LDN from [name]")
    for detail in ("Jane", "Roe", "Springfield", "555", "0100", "Rex", "Secretdog"):
        assert detail not in out
    assert redact("Bernese Mountain Dog, 42 Elm Street, Springfield, IL 62704") == (
        "Bernese Mountain Dog, [address]"
    )


def test_deidentify_redacts_every_free_text_field_it_keeps() -> None:
    onset = dt.date(2023, 1, 10)
    therapy = "LDN from Dr Jane Roe, tel 555-0100, for Rex Secretdog"
    bundle = RegistryBundle(
        subjects=(
            SubjectRow("D1", TargetSpecies.DOG, onset, 2014, Sex.MALE, "Boxer, 12 High St, Leeds"),
        ),
        treatments=(TreatmentRow("D1", therapy, onset, None, None, None, None),),
        evaluations=(
            EvaluationRow(
                "D1",
                therapy,
                onset,
                Efficacy.SLIGHT,
                (SideEffect("nausea"), SideEffect("rash, see www.roe-family.net")),
            ),
        ),
        scores=(),
        events=(),
    )
    out = deidentify(bundle, SALT)
    shown = repr(out)
    for detail in ("Jane", "Roe", "0100", "Secretdog", "High St", "roe-family"):
        assert detail not in shown
    assert out.subjects[0].breed.startswith("Boxer, [address]")
    assert out.treatments[0].therapy == "LDN from [name], [phone], for [name]"
    assert [s.name for s in out.evaluations[0].side_effects] == ["nausea", "rash, see [url]"]
