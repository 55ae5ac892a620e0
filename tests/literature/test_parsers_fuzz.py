"""Hypothesis: whatever bytes arrive, the readers raise LiteratureParseError or nothing."""

import contextlib
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.formats import FORMATS, parse_file

PREFIXES = [
    b"",
    b'<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>',
    b"\x1f\x8b",
    b"TY  - JOUR\nTI  - x\n",
    b"@article{k, title={",
    b'{"protocolSection": {"identificationModule": ',
    b'{"message": {"items": [',
]


def _consume(fmt: str, data: bytes) -> None:
    stream = io.BytesIO(data)
    stream.name = "fuzz"  # type: ignore[attr-defined]
    with contextlib.suppress(LiteratureParseError):
        parse_file(stream, fmt, skip_bad=False)
    stream.seek(0)
    with contextlib.suppress(LiteratureParseError):
        parse_file(stream, fmt, skip_bad=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["auto", *FORMATS]),
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=400),
)
def test_garbage_bytes_only_raise_literature_parse_errors(fmt, prefix, body):
    _consume(fmt, prefix + body)


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(list(FORMATS)), text=st.text(max_size=300))
def test_garbage_text_only_raises_literature_parse_errors(fmt, text):
    _consume(fmt, text.encode("utf-8"))


@settings(max_examples=40, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "message",
                        "items",
                        "studies",
                        "protocolSection",
                        "title",
                        "author",
                        "DOI",
                        "identificationModule",
                        "nctId",
                        "issued",
                        "date-parts",
                        "family",
                        "page",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=20,
    ),
    fmt=st.sampled_from(["ctgov", "crossref"]),
)
def test_json_of_any_shape_only_raises_literature_parse_errors(value, fmt):
    import json

    _consume(fmt, json.dumps(value).encode())
