"""Garbage in a registry directory: a clear error with file and line, never a partial write."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offlabel.registry.problems import RegistryImportError
from offlabel.web.registry.models import ScoreRecord, Subject
from offlabel.web.registry.services import registry_import

SUBJECTS = "subject_id,species,onset_date,birth_year,sex,breed,sod1\np1,human,2022-01-01,1960,,,\n"
CELLS = st.sampled_from(
    ["p1", "p2", "2022-03-01", "2099-01-01", "alsfrs_r", "dm_gait", "40", "-3", "x", "", '"', ","]
)
LINES = st.lists(CELLS, min_size=1, max_size=6).map(",".join)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=st.lists(LINES, max_size=5),
    raw=st.binary(max_size=40),
)
def test_garbage_scores_file_gives_located_problems_and_saves_nothing(db, lines, raw):
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "subjects.csv").write_text(SUBJECTS)
        body = "subject_id,date,scale,total\n" + "\n".join(lines) + "\n"
        (directory / "scores.csv").write_bytes(body.encode() + raw)
        try:
            registry_import(directory=directory, by=None)
        except RegistryImportError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file in {"subjects.csv", "scores.csv"}
                assert problem.message
            assert not Subject.objects.exists() and not ScoreRecord.objects.exists()
        else:
            assert Subject.objects.filter(public_id="p1").exists()
        Subject.objects.all().delete()
