"""The guard every compressed input is read through (offlabel.untrusted): bombs are refused
while they stream, malformed zip members give a clear message, nothing is left behind."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tracemalloc
import zipfile

import pytest

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import parse_file
from offlabel.literature.parsers.xml_chunks import iter_xml_chunks
from offlabel.untrusted import (
    RATIO_GRACE_BYTES,
    ArchiveError,
    InputLimitError,
    InputLimits,
    compression_of,
    extract_zip_members,
    limited,
    open_decompressed,
)

MiB = 1024**2


class Counting(io.RawIOBase):
    """A compressed stream that counts how much of it the reader took."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.taken += len(chunk)
        return len(chunk)


def _gzip_bomb(compressed_mib: int = 1) -> bytes:
    """About ``compressed_mib`` MiB of gzip that inflates ~1,000 times (zeros)."""
    out = io.BytesIO()
    block = b"\0" * (4 * MiB)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        while out.tell() < compressed_mib * MiB:
            gz.write(block)
    return out.getvalue()


def test_a_one_megabyte_gzip_bomb_is_refused_while_it_streams():
    bomb = _gzip_bomb()
    assert len(bomb) >= MiB
    source = Counting(bomb)
    limits = InputLimits(max_decompressed_bytes=64 * MiB, max_ratio=100)
    stream = open_decompressed(source, "gzip", name="bomb.xml.gz", limits=limits)
    produced = 0
    tracemalloc.start()
    with pytest.raises(InputLimitError, match="times its compressed size") as refused:
        while block := stream.read(64 * 1024):
            produced += len(block)
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # refused by the streaming count: once the ratio was passed, after the grace and a block
    assert produced <= max(RATIO_GRACE_BYTES, 100 * source.taken) + 512 * 1024
    assert source.taken < len(bomb) // 4  # most of the bomb was never read
    assert peak < 16 * MiB  # never inflated in memory (it would be ~1 GB)
    assert "bomb.xml.gz" in str(refused.value)


def test_the_total_limit_stops_a_stream_that_compresses_plausibly():
    data = bytes(range(256)) * (20 * MiB // 256)  # ratio ~ modest but big output
    packed = gzip.compress(data, compresslevel=1)
    limits = InputLimits(max_decompressed_bytes=4 * MiB, max_ratio=10_000)
    stream = open_decompressed(io.BytesIO(packed), "gzip", name="big.gz", limits=limits)
    with pytest.raises(InputLimitError, match="more than 4 MiB"):
        while stream.read(1 << 20):
            pass


@pytest.mark.parametrize(
    ("kind", "pack"),
    [("gzip", gzip.compress), ("bzip2", bz2.compress), ("xz", lzma.compress)],
)
def test_each_compression_is_detected_guarded_and_reads_back(kind, pack):
    data = b"PMID- 1\nTI  - a title\n" * 1000
    packed = pack(data)
    assert compression_of(packed[:8]) == kind
    stream = open_decompressed(io.BytesIO(packed), kind, name="x", limits=InputLimits())
    assert stream.read() == data
    small = InputLimits(max_decompressed_bytes=1000)
    with pytest.raises(InputLimitError):
        open_decompressed(io.BytesIO(packed), kind, name="x", limits=small).read()


def test_limits_come_from_the_environment_and_from_a_block(monkeypatch):
    monkeypatch.setenv("OFFLABEL_MAX_DECOMPRESSED_BYTES", "12345")
    monkeypatch.setenv("OFFLABEL_MAX_COMPRESSION_RATIO", "7")
    assert InputLimits.current().max_decompressed_bytes == 12345
    assert InputLimits.current().max_ratio == 7
    with limited(InputLimits(max_decompressed_bytes=99)):
        assert InputLimits.current().max_decompressed_bytes == 99
    monkeypatch.setenv("OFFLABEL_MAX_COMPRESSION_RATIO", "many")
    with pytest.raises(ValueError, match="OFFLABEL_MAX_COMPRESSION_RATIO"):
        InputLimits.from_env()


def test_a_gzip_pubmed_bomb_is_a_clear_parse_error(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xml.gz"
    body = b'<?xml version="1.0"?>\n<PubmedArticleSet>\n' + b" " * (64 * MiB)
    path.write_bytes(gzip.compress(body, compresslevel=9))
    monkeypatch.setenv("OFFLABEL_MAX_DECOMPRESSED_BYTES", str(8 * MiB))
    with pytest.raises(LiteratureParseError, match="refused") as refused:
        parse_file(path)
    assert "bomb.xml.gz" in str(refused.value)


def test_the_xml_chunker_buffer_is_bounded_when_no_record_ends():
    body = b'<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle>' + b"x" * (3 * MiB)
    with pytest.raises(InputLimitError, match="no record ends"):
        list(
            iter_xml_chunks(
                io.BytesIO(body),
                {"PubmedArticleSet": ("PubmedArticle",)},
                max_chunk_bytes=1 * MiB,
            )
        )
    # the same records, ended in time, are read as usual
    fine = b'<?xml version="1.0"?>\n<A>' + b"<R>x</R>" * 1000 + b"</A>"
    chunks = list(iter_xml_chunks(io.BytesIO(fine), {"A": ("R",)}, max_chunk_bytes=1 * MiB))
    assert b"".join(c.document for c in chunks).count(b"<R>") == 1000


# -- zip members ---------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _patch_central_and_local(data: bytes, name: bytes, patch) -> bytes:
    """Apply ``patch(buffer, header_offset, is_central)`` to both headers of member ``name``."""
    buf = bytearray(data)
    for signature, is_central in ((b"PK\x03\x04", False), (b"PK\x01\x02", True)):
        start = 0
        while (at := buf.find(signature, start)) >= 0:
            name_at = at + (46 if is_central else 30)
            if buf[name_at : name_at + len(name)] == name:
                patch(buf, at, is_central)
            start = at + 4
    return bytes(buf)


def _wanted(member: str) -> str | None:
    return member.rsplit("/", 1)[-1] if member.endswith(".csv") else None


CSV = b"subject_id,species\n" + b"p1,human\n" * 200


def _set_flag(buf, at, is_central):
    flags_at = at + (8 if is_central else 6)
    (flags,) = struct.unpack_from("<H", buf, flags_at)
    struct.pack_into("<H", buf, flags_at, flags | 0x1)


def _set_method_99(buf, at, is_central):
    struct.pack_into("<H", buf, at + (10 if is_central else 8), 99)


def _lie_about_size(buf, at, is_central):
    size_at = at + (24 if is_central else 22)
    (size,) = struct.unpack_from("<I", buf, size_at)
    struct.pack_into("<I", buf, size_at, size // 2)


def _bad_crc(buf, at, is_central):
    crc_at = at + (16 if is_central else 14)
    (crc,) = struct.unpack_from("<I", buf, crc_at)
    struct.pack_into("<I", buf, crc_at, crc ^ 0xFFFF)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (_set_flag, "encrypted"),
        (_set_method_99, "compression method 99"),
        (_lie_about_size, "cannot be read"),
        (_bad_crc, "CRC"),
    ],
)
def test_a_malformed_member_is_refused_with_its_name_and_nothing_is_left(tmp_path, patch, message):
    data = _patch_central_and_local(_zip({"a.csv": CSV, "b.csv": CSV}), b"b.csv", patch)
    with pytest.raises(ArchiveError, match=message) as refused:
        extract_zip_members(io.BytesIO(data), tmp_path, wanted=_wanted, name="up.zip")
    assert "b.csv" in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # a.csv, written first, was removed


def test_member_count_member_size_total_and_ratio_are_limited(tmp_path):
    many = _zip({f"f{i}.csv": b"x" for i in range(10)})
    with pytest.raises(ArchiveError, match="10 members"):
        extract_zip_members(
            io.BytesIO(many), tmp_path, wanted=_wanted, limits=InputLimits(max_members=5)
        )
    big = _zip({"a.csv": CSV * 100})
    with pytest.raises(ArchiveError, match="OFFLABEL_MAX_MEMBER_BYTES"):
        extract_zip_members(
            io.BytesIO(big), tmp_path, wanted=_wanted, limits=InputLimits(max_member_bytes=1000)
        )
    two = _zip({"a.csv": CSV * 50, "b.csv": CSV * 50})
    with pytest.raises(InputLimitError, match="more than"):
        extract_zip_members(
            io.BytesIO(two),
            tmp_path,
            wanted=_wanted,
            limits=InputLimits(max_decompressed_bytes=len(CSV) * 70),
        )
    zeros = _zip({"a.csv": b"\0" * (8 * MiB)})
    with pytest.raises(InputLimitError, match="times its compressed size"):
        extract_zip_members(io.BytesIO(zeros), tmp_path, wanted=_wanted)
    assert list(tmp_path.iterdir()) == []


def test_members_are_written_under_their_own_name_only(tmp_path):
    data = _zip({"../../etc/evil.csv": CSV, "dir/subjects.csv": CSV, "notes.txt": b"x"})
    found = extract_zip_members(io.BytesIO(data), tmp_path, wanted=_wanted)
    assert found == ["evil.csv", "subjects.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.csv", "subjects.csv"]
    assert (tmp_path / "subjects.csv").read_bytes() == CSV


def test_not_a_zip_is_a_clear_message(tmp_path):
    with pytest.raises(ArchiveError, match=r"not a \.zip"):
        extract_zip_members(io.BytesIO(b"PK\x03\x04junk"), tmp_path, wanted=_wanted)


def test_damaged_deflate_data_behind_a_gzip_header_is_an_oserror_readers_report() -> None:
    """Found by the hostile-file fuzzing: a gzip header followed by text is refused by isal
    with its own error class, which no reader caught (a traceback on the command line)."""
    from isal import igzip

    from offlabel.untrusted import DamagedInputError, open_decompressed

    damaged = b'\x1f\x8b\x08\x00"status": "ok", "message": {"DOI": "10.1/x"}}\n' * 4
    for module in (igzip, gzip):
        stream = open_decompressed(
            io.BytesIO(damaged), "gzip", name="record.json.gz", gzip_module=module
        )
        with pytest.raises(OSError, match=r"Not a gzipped|damaged") as refused:
            stream.read()
        if module is igzip:
            assert isinstance(refused.value, DamagedInputError)
