"""Limits on untrusted input: decompressed streams and zip archives, read inside one guard.

Everything a user uploads or hands the command line that is compressed is read through here:
a gzip (or bzip2, xz) stream through :func:`open_decompressed`, a zip archive's members
through :func:`extract_zip_members`. Both count the bytes as they are produced and stop, with
an :class:`InputLimitError` naming the file and the limit, as soon as

- more than :attr:`InputLimits.max_decompressed_bytes` have come out (the whole archive, or one
  stream), or
- the output has grown more than :attr:`InputLimits.max_ratio` times the compressed bytes read
  so far (after the first :data:`RATIO_GRACE_BYTES`, so that a small file's header does not
  count), or
- a zip holds more than :attr:`InputLimits.max_members` members, one member more than
  :attr:`InputLimits.max_member_bytes`, or a member is encrypted, uses a compression method
  Python cannot read, has a bad CRC or a size that is not what its header says.

A bomb is therefore refused while it streams, after at most one block beyond the limit, never
after it has been inflated in memory. The limits come from the environment
(``OFFLABEL_MAX_DECOMPRESSED_BYTES``, ``OFFLABEL_MAX_COMPRESSION_RATIO``,
``OFFLABEL_MAX_ARCHIVE_MEMBERS``, ``OFFLABEL_MAX_MEMBER_BYTES``) or are passed in. This
module is pure (standard library only): the core's readers and the web layer both use it.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, cast

__all__ = [
    "RATIO_GRACE_BYTES",
    "ArchiveError",
    "DamagedInputError",
    "InputLimitError",
    "InputLimits",
    "compression_of",
    "extract_zip_members",
    "limited",
    "open_decompressed",
]

GiB = 1024**3
MiB = 1024**2
RATIO_GRACE_BYTES = 1 * MiB
"""Output below this size is never refused for its ratio (tiny files compress oddly)."""
_BLOCK = 256 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)
# the methods zipfile reads: stored, deflated, bzip2, lzma
_ZIP_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
# what a corrupt compressed stream raises while it is read
_STREAM_ERRORS: tuple[type[BaseException], ...] = (
    EOFError,
    OSError,
    zlib.error,
    lzma.LZMAError,
    ValueError,
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
)


class DamagedInputError(OSError):
    """A compressed input whose data cannot be decompressed: damaged, cut short, or not what
    its first bytes claim. An ``OSError``, like the damaged gzip headers Python reports, so every
    reader that names an unreadable file names this one too."""


class InputLimitError(ValueError):
    """Input refused because it would decompress past a limit, or is a malformed archive.

    The message names the file and, where there is one, the limit.
    """

    def __init__(self, message: str, *, file: str = "") -> None:
        self.file = file
        self.reason = message
        super().__init__(f"{file}: {message}" if file else message)


class ArchiveError(InputLimitError):
    """A zip archive (or one of its members) that cannot be read safely."""


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(float(text))
    except ValueError:
        raise ValueError(f"{name} must be a number of bytes, got {text!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class InputLimits:
    """How far an untrusted compressed input may grow (see the module's docstring)."""

    max_decompressed_bytes: int = 2 * GiB
    max_ratio: float = 100.0
    max_members: int = 64
    max_member_bytes: int = 1 * GiB

    @classmethod
    def from_env(cls, **overrides: Any) -> InputLimits:
        """The limits set in the environment (``OFFLABEL_MAX_*``), else the defaults."""
        base = cls()
        limits = cls(
            max_decompressed_bytes=_env_int(
                "OFFLABEL_MAX_DECOMPRESSED_BYTES", base.max_decompressed_bytes
            ),
            max_ratio=float(_env_int("OFFLABEL_MAX_COMPRESSION_RATIO", int(base.max_ratio))),
            max_members=_env_int("OFFLABEL_MAX_ARCHIVE_MEMBERS", base.max_members),
            max_member_bytes=_env_int("OFFLABEL_MAX_MEMBER_BYTES", base.max_member_bytes),
        )
        return replace(limits, **overrides) if overrides else limits

    @classmethod
    def current(cls) -> InputLimits:
        """The limits of the innermost :func:`limited` block, else :meth:`from_env`."""
        return _CURRENT.get() or cls.from_env()


_CURRENT: ContextVar[InputLimits | None] = ContextVar("offlabel_input_limits", default=None)


@contextmanager
def limited(limits: InputLimits) -> Iterator[InputLimits]:
    """Within the block, every guarded read uses ``limits`` (the web sets its own)."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def _mib(value: float) -> str:
    return f"{value / MiB:,.0f} MiB" if value >= MiB else f"{value:,.0f} bytes"


class _Meter:
    """Counts output bytes against the limits, given how many compressed bytes were read."""

    def __init__(self, limits: InputLimits, name: str, max_bytes: int | None = None) -> None:
        self.limits = limits
        self.name = name
        self.max_bytes = limits.max_decompressed_bytes if max_bytes is None else max_bytes
        self.produced = 0

    def add(self, count: int, compressed: int) -> None:
        self.produced += count
        if self.produced > self.max_bytes:
            raise InputLimitError(
                f"decompresses to more than {_mib(self.max_bytes)} "
                "(OFFLABEL_MAX_DECOMPRESSED_BYTES); refused",
                file=self.name,
            )
        if self.produced > RATIO_GRACE_BYTES and self.produced > self.limits.max_ratio * max(
            compressed, 1
        ):
            raise InputLimitError(
                f"decompresses more than {self.limits.max_ratio:g} times its compressed size "
                f"({_mib(self.produced)} from {_mib(compressed)}; "
                "OFFLABEL_MAX_COMPRESSION_RATIO); refused as a likely decompression bomb",
                file=self.name,
            )


class _GuardedStream(io.RawIOBase):
    """A decompressing stream that stops at the limits (see :class:`_Meter`)."""

    def __init__(self, inner: IO[bytes], compressed: Callable[[], int], meter: _Meter) -> None:
        self._inner = inner
        self._compressed = compressed
        self._meter = meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._inner.read(min(len(view), _BLOCK))
        except OSError:
            raise
        except Exception as error:  # each decompressor has its own error (zlib, lzma, isal...)
            raise DamagedInputError(
                f"the compressed data are damaged ({str(error) or type(error).__name__})"
            ) from None
        n = len(data)
        view[:n] = data
        self._meter.add(n, self._compressed())
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from a compressed (raw) stream."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._raw.read(len(view))
        view[: len(data)] = data
        self.count += len(data)
        return len(data)


def compression_of(magic: bytes) -> str | None:
    """``"gzip"``, ``"bzip2"`` or ``"xz"`` from a stream's first bytes; ``None`` for plain."""
    for prefix, kind in _MAGIC:
        if magic.startswith(prefix):
            return kind
    return None


def open_decompressed(
    raw: IO[bytes],
    kind: str,
    *,
    name: str,
    limits: InputLimits | None = None,
    gzip_module: Any = gzip,
) -> IO[bytes]:
    """A stream of ``raw``'s decompressed bytes (``kind`` from :func:`compression_of`), which
    raises :class:`InputLimitError` as soon as a limit is passed."""
    limits = limits or InputLimits.current()
    counter = _CountingReader(raw)
    source = io.BufferedReader(counter, buffer_size=64 * 1024)
    inner: IO[bytes]
    if kind == "gzip":
        inner = gzip_module.GzipFile(fileobj=source, mode="rb")
    elif kind == "bzip2":
        inner = bz2.BZ2File(source, mode="rb")
    elif kind == "xz":
        inner = lzma.LZMAFile(source, mode="rb")  # noqa: SIM115 - closed with the guard
    else:  # pragma: no cover - callers pass what compression_of returned
        raise ValueError(f"unknown compression {kind!r}")
    # unbuffered: a read returns what was decompressed before a truncated stream's error
    guarded = _GuardedStream(inner, lambda: counter.count, _Meter(limits, name))
    return cast(IO[bytes], guarded)


def _member_problem(info: zipfile.ZipInfo, limits: InputLimits) -> str | None:
    if info.flag_bits & 0x1:
        return "is encrypted; upload the files without a password"
    if info.compress_type not in _ZIP_METHODS:
        return (
            f"uses compression method {info.compress_type}, which cannot be read; "
            "save the .zip with ordinary (deflate) compression"
        )
    if info.file_size > limits.max_member_bytes:
        return (
            f"is {_mib(info.file_size)}, over the limit of {_mib(limits.max_member_bytes)} "
            "(OFFLABEL_MAX_MEMBER_BYTES)"
        )
    return None


def extract_zip_members(
    archive: IO[bytes] | str | os.PathLike[str],
    into: str | os.PathLike[str],
    *,
    wanted: Callable[[str], str | None],
    name: str = "upload",
    limits: InputLimits | None = None,
) -> list[str]:
    """Extract the members ``wanted`` picks from a zip, streaming each inside the limits.

    Parameters
    ----------
    archive
        The zip (path or binary file).
    into
        Directory written to; a member is written under the name ``wanted`` returns for it
        (never a path from the archive), members it maps to ``None`` are skipped unread.
    wanted
        Member file name → the name to write it as, or ``None``.

    Returns
    -------
    list of str
        The names written, in archive order.

    Raises
    ------
    ArchiveError
        Not a zip, too many members, a member encrypted, in a method that cannot be read,
        larger than its limit or than its header says, or with a bad CRC; whatever was
        written by then is removed.
    InputLimitError
        The members together decompress past the total size or ratio limit.
    """
    limits = limits or InputLimits.current()
    directory = Path(into)
    written: list[Path] = []
    try:
        try:
            zf = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise ArchiveError("is not a .zip file (or it is damaged)", file=name) from None
        with zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise ArchiveError(
                    f"holds {len(infos)} members, more than {limits.max_members} "
                    "(OFFLABEL_MAX_ARCHIVE_MEMBERS)",
                    file=name,
                )
            total = _Meter(limits, name)
            compressed = 0
            for info in infos:
                target = None if info.is_dir() else wanted(info.filename)
                if target is None:
                    continue
                where = f"{name}: {info.filename}"
                problem = _member_problem(info, limits)
                if problem is not None:
                    raise ArchiveError(problem, file=where)
                path = directory / Path(target).name
                written.append(path)
                compressed += _copy_member(zf, info, path, total, limits, where, compressed)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return [path.name for path in written]


def _copy_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: Path,
    total: _Meter,
    limits: InputLimits,
    where: str,
    compressed_before: int,
) -> int:
    """Stream one member to ``path``; returns the compressed bytes it took."""
    own = _Meter(limits, where, max_bytes=limits.max_member_bytes)
    consumed = 0
    try:
        with zf.open(info) as member, path.open("wb") as out:
            while block := member.read(_BLOCK):
                # zipfile reads the compressed bytes lazily; count what it has consumed
                left = getattr(member, "_compress_left", 0)
                consumed = info.compress_size - left if isinstance(left, int) else 0
                own.add(len(block), consumed)
                total.add(len(block), compressed_before + consumed)
                out.write(block)
    except InputLimitError:
        raise
    except _STREAM_ERRORS as error:
        text = str(error) or type(error).__name__
        if "CRC" in text:
            text = "its checksum (CRC) is wrong: the archive is damaged or a size is false"
        raise ArchiveError(f"cannot be read ({text})", file=where) from None
    if own.produced != info.file_size:  # pragma: no cover - zipfile checks sizes via the CRC
        raise ArchiveError(
            f"holds {own.produced:,} bytes, not the {info.file_size:,} its header says",
            file=where,
        )
    return info.compress_size
