"""De-identified export: HMAC pseudonyms, days since onset, no identifying columns."""

import csv
import datetime as dt
import hashlib
import hmac

import pytest

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.registry.csv_write import write_deidentified_dir
from offlabel.registry.deidentify import deidentify, pseudonym
from offlabel.registry.layout import DEIDENTIFIED_COLUMNS
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    RegistryBundle,
    ScoreRow,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.vocabulary import DoseUnit, EventKind, ScaleKey, Sex, Sod1Genotype

SALT = "a-secret-salt-of-32-characters!!"
ONSET = dt.date(2023, 1, 10)
BUNDLE = RegistryBundle(
    subjects=(
        SubjectRow(
            "D1", TargetSpecies.DOG, ONSET, 2014, Sex.FEMALE_SPAYED, "Boxer", Sod1Genotype.AA
        ),
        SubjectRow("H1", TargetSpecies.HUMAN, dt.date(2022, 3, 1), 1960, Sex.MALE),
    ),
    treatments=(
        TreatmentRow(
            "D1", "ldn", dt.date(2023, 1, 1), dt.date(2023, 3, 11), 0.1, DoseUnit.MG_PER_KG
        ),
    ),
    evaluations=(EvaluationRow("D1", "ldn", dt.date(2023, 2, 9), Efficacy.SLIGHT),),
    scores=(ScoreRow("D1", dt.date(2023, 1, 20), ScaleKey.DM_GAIT, 5),),
    events=(EventRow("D1", EventKind.EUTHANASIA, dt.date(2024, 1, 10)),),
)


def test_pseudonym_is_truncated_hmac_sha256_of_the_id():
    # reference value computed here with the standard library, independently of the module
    expected = hmac.new(SALT.encode(), b"D1", hashlib.sha256).hexdigest()[:16]
    assert pseudonym("D1", SALT) == expected
    assert pseudonym("D1", SALT + "x") != expected


def test_short_salt_is_refused():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        deidentify(BUNDLE, "short")


def test_dates_become_days_since_onset():
    out = deidentify(BUNDLE, SALT)
    dog = pseudonym("D1", SALT)
    [treatment] = out.treatments
    assert (treatment.subject_id, treatment.start_day, treatment.stop_day) == (dog, -9, 60)
    assert out.evaluations[0].day == 30
    assert out.scores[0].day == 10
    assert out.events[0].day == 365


def test_birth_year_becomes_age_at_onset_and_onset_is_day_0():
    subjects = {s.subject_id: s for s in deidentify(BUNDLE, SALT).subjects}
    dog = subjects[pseudonym("D1", SALT)]
    assert (dog.onset_day, dog.onset_age_years) == (0, 9)
    assert subjects[pseudonym("H1", SALT)].onset_age_years == 62


def test_deidentified_files_hold_no_original_id_or_date(tmp_path):
    write_deidentified_dir(deidentify(BUNDLE, SALT), tmp_path)
    for name, columns in DEIDENTIFIED_COLUMNS.items():
        with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == columns
        assert not any("date" in column for column in rows[0])
        cells = [cell for row in rows[1:] for cell in row]
        assert "D1" not in cells and "H1" not in cells
        assert not any(cell.count("-") == 2 and cell[:2] in {"19", "20"} for cell in cells)


def test_a_deidentified_directory_reads_back_as_records_dated_on_the_epoch(tmp_path):
    from offlabel.registry.csv_read import is_deidentified_dir, read_deidentified_dir
    from offlabel.registry.deidentify import DEIDENTIFIED_EPOCH, dated_on_epoch
    from offlabel.registry.frames import load_registry

    out = deidentify(BUNDLE, SALT)
    write_deidentified_dir(out, tmp_path)
    assert is_deidentified_dir(tmp_path)
    again = read_deidentified_dir(tmp_path)
    assert again.canonical() == dated_on_epoch(out).canonical()
    dog = next(s for s in again.subjects if s.species is TargetSpecies.DOG)
    assert dog.onset_date == DEIDENTIFIED_EPOCH and dog.birth_year == DEIDENTIFIED_EPOCH.year - 9
    frames = load_registry(tmp_path)  # the analyses read a reviewer's download as it is
    assert len(frames.subjects) == 2 and frames.source == str(tmp_path)


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        (
            "scores.csv",
            {"day": "soon", "scale": "dm_gait", "total": "5"},
            "scores.csv:3 [day]: 'soon' is not a whole number",
        ),
        (
            "scores.csv",
            {"day": "99999999", "scale": "dm_gait", "total": "5"},
            "scores.csv:3 [day]: 99999999 days is more",
        ),
        (
            "subjects.csv",
            {"subject_id": "X9", "species": "human", "onset_day": "0", "onset_age_years": "-3"},
            "subjects.csv:4 [onset_age_years]: -3 is not an age in years",
        ),
    ],
)
def test_a_bad_day_or_age_is_named_by_the_files_own_column(tmp_path, file, line, message):
    from offlabel.registry.csv_read import read_deidentified_dir
    from offlabel.registry.problems import RegistryImportError

    write_deidentified_dir(deidentify(BUNDLE, SALT), tmp_path)
    with (tmp_path / file).open() as handle:
        header = next(csv.reader(handle))
    with (tmp_path / file).open("a", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writerow({"subject_id": pseudonym("D1", SALT), **line})
    with pytest.raises(RegistryImportError) as caught:
        read_deidentified_dir(tmp_path)
    assert message in str(caught.value)
