"""Hostile input for the registry importers (slow; 1,000 examples each): the CSV directory
(`offlabel registry import`, the service) and the uploaded .zip (the page's unpacking inside
the guard, then the same service). Each either imports everything or gives located problems
in plain words and writes nothing at all; nothing else escapes (no DataError, no 500)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offlabel.registry.layout import COLUMNS
from offlabel.registry.problems import RegistryImportError
from offlabel.web.common.models import AuditEvent
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.services import registry_import
from offlabel.web.registry.views.data import _unpack
from tests.support.hostile import mutated, record
from tests.web.registry.test_import_schema import _write

EXAMPLES = 1000
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
MODELS = (
    Subject.all_objects,
    TreatmentCourse.all_objects,
    Evaluation.all_objects,
    SideEffect.objects,
    ScoreRecord.all_objects,
    Milestone.all_objects,
    AuditEvent.objects,
)


def _base_files() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = _write(Path(tmp))
        return {name: (directory / name).read_bytes() for name in COLUMNS}


BASE = _base_files()


def _rows() -> tuple[int, ...]:
    return tuple(manager.count() for manager in MODELS)


def _import(directory: Path, counts: Counter[str]) -> None:
    before = _rows()
    try:
        with transaction.atomic():
            registry_import(directory=directory, by=None)
            counts["imported"] += 1
            transaction.set_rollback(True)  # the next example starts from the same registry
    except RegistryImportError as error:
        counts["refused"] += 1
        assert error.problems
        for problem in error.problems:
            assert problem.file and problem.message
            assert str(problem).startswith(problem.file)
        if _rows() != before:
            counts["partial writes"] += 1
        assert _rows() == before


@pytest.mark.slow
def test_hostile_registry_directories_import_whole_or_not_at_all(db):
    counts: Counter[str] = Counter()

    @FUZZ
    @given(
        name=st.sampled_from(sorted(BASE)),
        data=st.data(),
        drop=st.sets(st.sampled_from(sorted(BASE)), max_size=2),
    )
    def run(name: str, data: st.DataObject, drop: set[str]) -> None:
        counts["tried"] += 1
        content = data.draw(mutated(BASE[name], compress=False))
        with tempfile.TemporaryDirectory() as tmp:
            for file, body in BASE.items():
                if file not in drop or file == name:
                    (Path(tmp) / file).write_bytes(content if file == name else body)
            _import(Path(tmp), counts)

    run()
    record("registry:csv-directory", counts)
    assert counts["tried"] >= EXAMPLES
    assert counts["partial writes"] == 0


def _zip(files: dict[str, bytes], method: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.slow
def test_hostile_registry_zips_give_a_message_and_write_nothing(db):
    counts: Counter[str] = Counter()
    seeds = [_zip(BASE, zipfile.ZIP_DEFLATED), _zip(BASE, zipfile.ZIP_STORED)]

    @FUZZ
    @given(seed=st.sampled_from(seeds), data=st.data())
    def run(seed: bytes, data: st.DataObject) -> None:
        counts["tried"] += 1
        archive = data.draw(mutated(seed, compress=False))
        before = _rows()
        with tempfile.TemporaryDirectory() as tmp:
            problems = _unpack(io.BytesIO(archive), Path(tmp))
            if problems:
                counts["refused by the guard"] += 1
                assert all(isinstance(p, str) and len(p) > 10 for p in problems)
                assert _rows() == before
                return
            _import(Path(tmp), counts)

    run()
    record("registry:zip-upload", counts)
    assert counts["tried"] >= EXAMPLES
    assert counts["partial writes"] == 0
