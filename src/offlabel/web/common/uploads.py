"""The limits every compressed upload is read within (:mod:`offlabel.untrusted`), from the
settings ``OFFLABEL_MAX_DECOMPRESSED_BYTES``, ``OFFLABEL_MAX_COMPRESSION_RATIO``,
``OFFLABEL_MAX_ARCHIVE_MEMBERS`` and ``OFFLABEL_MAX_MEMBER_BYTES``."""

from __future__ import annotations

from django.conf import settings

from offlabel.untrusted import InputLimits


def upload_limits() -> InputLimits:
    return InputLimits(
        max_decompressed_bytes=settings.OFFLABEL_MAX_DECOMPRESSED_BYTES,
        max_ratio=float(settings.OFFLABEL_MAX_COMPRESSION_RATIO),
        max_members=settings.OFFLABEL_MAX_ARCHIVE_MEMBERS,
        max_member_bytes=settings.OFFLABEL_MAX_MEMBER_BYTES,
    )
