"""A compressed literature upload is limited on what it inflates to, not only on its upload
size: a gzip bomb is refused with a message (never a 500, never inflated in memory)."""

from __future__ import annotations

import gzip
from typing import Any

from django.test import override_settings

from offlabel.web.literature.models import ImportBatch

MiB = 1024**2


def test_a_gzip_bomb_upload_is_refused_by_the_decompressed_limit(
    world: Any, topic: Any, upload: Any
) -> None:
    body = b'<?xml version="1.0"?>\n<PubmedArticleSet>\n' + b" " * (40 * MiB)
    bomb = gzip.compress(body, compresslevel=9)
    assert len(bomb) < MiB  # far under the 20 MB upload limit
    with override_settings(
        OFFLABEL_MAX_DECOMPRESSED_BYTES=16 * MiB, OFFLABEL_MAX_COMPRESSION_RATIO=10_000
    ):
        response = upload(world.reviewer, topic, ("bomb.xml.gz", bomb))
    assert response.status_code == 400  # the form, with the message
    text = response.content.decode()
    assert "decompresses to more than 16 MiB" in text
    assert not ImportBatch.objects.exists()


def test_the_compression_ratio_refuses_a_bomb_under_the_byte_limit(
    world: Any, topic: Any, upload: Any
) -> None:
    body = b'<?xml version="1.0"?>\n<PubmedArticleSet>\n' + b" " * (40 * MiB)
    response = upload(world.reviewer, topic, ("bomb.xml.gz", gzip.compress(body, 9)))
    assert response.status_code == 400  # the form, with the message
    assert "times its compressed size" in response.content.decode()
    assert not ImportBatch.objects.exists()
