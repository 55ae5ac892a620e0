"""The registry upload reads every zip member inside the guard: a damaged, encrypted, foreign
or lying member is a message on the page (never a 500) and nothing is saved."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from offlabel.web.registry.models import Subject

SUBJECTS = b"subject_id,species,onset_date,birth_year,sex,breed,sod1\n" + b"".join(
    b"p%d,human,2022-01-01,1960,,,\n" % i for i in range(50)
)


def _zip(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name.replace("_csv", ".csv"), data)
    return out.getvalue()


def _patch(data: bytes, offset_local: int, offset_central: int, change) -> bytes:
    buf = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", offset_local), (b"PK\x01\x02", offset_central)):
        at = buf.find(signature)
        (value,) = struct.unpack_from("<H" if change[0] == "H" else "<I", buf, at + offset)
        struct.pack_into("<H" if change[0] == "H" else "<I", buf, at + offset, change[1](value))
    return bytes(buf)


CASES = {
    "bad CRC": ((14, 16, ("I", lambda v: v ^ 0xFFFF)), "CRC"),
    "encryption flag": ((6, 8, ("H", lambda v: v | 1)), "encrypted"),
    "method 99": ((8, 10, ("H", lambda v: 99)), "compression method 99"),
    "lying size": ((22, 24, ("I", lambda v: v // 2)), "cannot be read"),
}


def _post(client, data: bytes):
    return client.post(reverse("registry:import"), {"archive": SimpleUploadedFile("r.zip", data)})


@pytest.mark.parametrize("case", CASES)
def test_a_bad_member_is_a_message_not_a_500(world, client_for, case):
    (local, central, change), message = CASES[case]
    data = _patch(_zip(subjects_csv=SUBJECTS), local, central, change)
    response = _post(client_for(world.editor), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "subjects.csv" in response.content.decode()
    assert not Subject.objects.filter(public_id="p1").exists()


def test_too_many_members_or_a_bomb_member_is_refused(world, client_for):
    client = client_for(world.editor)
    with override_settings(OFFLABEL_MAX_ARCHIVE_MEMBERS=3):
        many = _zip(subjects_csv=SUBJECTS, **{f"x{i}": b"" for i in range(5)})
        response = _post(client, many)
    assert "6 members" in response.content.decode()
    bomb = _zip(subjects_csv=SUBJECTS + b" " * (30 * 1024 * 1024))
    response = _post(client, bomb)
    assert response.status_code == 200
    assert "times its compressed size" in response.content.decode()
    assert not Subject.objects.filter(public_id="p1").exists()


def test_a_good_zip_still_imports(world, client_for):
    response = _post(client_for(world.editor), _zip(subjects_csv=SUBJECTS))
    assert response.status_code == 302
    assert Subject.objects.filter(public_id="p1").exists()
