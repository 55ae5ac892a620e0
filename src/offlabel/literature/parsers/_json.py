"""Reading a JSON document with errors that name the line."""

from __future__ import annotations

import json
from typing import Any

from offlabel.literature.errors import LiteratureParseError
from offlabel.literature.parsers._common import Source, read_text


def load_json(source: Source, what: str) -> tuple[Any, str]:
    text, name = read_text(source)
    try:
        return json.loads(text), name
    except json.JSONDecodeError as exc:
        raise LiteratureParseError(
            f"not valid JSON ({exc.msg}, column {exc.colno}); expected {what}",
            file=name,
            line=exc.lineno,
        ) from None
    except ValueError as exc:  # a number too long to convert (Python's 4,300-digit limit)
        raise LiteratureParseError(f"not usable JSON ({exc}); expected {what}", file=name) from None
    except RecursionError:
        raise LiteratureParseError(f"JSON nested too deeply; expected {what}", file=name) from None
