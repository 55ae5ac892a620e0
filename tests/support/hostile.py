"""Hostile inputs for the importers' fuzz tests: a valid seed mutated the ways an attacker or
a broken tool would (bytes flipped, cut, repeated; NUL, huge numbers, entities, formulas,
stray encodings and compression inserted)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from hypothesis import strategies as st

TOKENS = (
    b"\x00",
    b"9" * 5000,
    b"-1e999",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b"&e;",
    b"<![CDATA[",
    b"]]>",
    b"</PubmedArticle>",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"\x1f\x8b\x08",
    b"PK\x03\x04",
    b"=cmd|' /C calc'!A0",
    b"{",
    b"}",
    b"[",
    b'"',
    b",",
    b";",
    b":",
    b"\r",
    b"\n",
    b"\t",
    b"A" * 300,
    "é✓𝄞".encode(),
    b"TY  - JOUR\n",
    b"ER  - \n",
    b"PMID- 1\n",
    b"@article{",
    b"\\",
    b"%",
    b"2099-13-45",
    b"-1",
    b"0",
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes, *, compress: bool = True) -> bytes:
    """``seed`` after 1–6 random edits (and, sometimes, gzip-compressed)."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "repeat", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            token = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=20))
            data[at:at] = token
        elif op == "delete":
            data[at : at + draw(st.integers(1, 40))] = b""
        elif op == "repeat":
            piece = bytes(data[at : at + draw(st.integers(1, 80))])
            data[at:at] = piece * draw(st.integers(1, 20))
        elif op == "truncate":
            del data[at:]
        elif op == "cut":
            data[at:at] = b"\n"
    out = bytes(data)
    if compress and draw(st.integers(0, 9)) == 0:
        out = gzip.compress(out, compresslevel=1)
    return out


def record(name: str, counts: Counter[str]) -> None:
    """Add one fuzz test's figures to ``HOSTILE_REPORT`` (a JSON file) when it is set."""
    import os

    path = os.environ.get("HOSTILE_REPORT")
    if not path:
        return
    report = Path(path)
    data = json.loads(report.read_text()) if report.exists() else {}
    data[name] = dict(counts)
    report.write_text(json.dumps(data, indent=2, sort_keys=True))
