"""Helpers shared by the result objects: plain JSON-ready values."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["json_object", "jsonable", "number"]


def number(value: Any) -> float | None:
    """A float, or ``None`` for a missing or non-finite value (JSON has no NaN)."""
    if value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def jsonable(value: Any) -> Any:
    """Turn numpy scalars, NaN, tuples and enums into plain JSON values, recursively."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return number(value)
    if isinstance(value, str):
        return str(value)  # StrEnum members become their value
    if value is None:
        return None
    return str(value)


def json_object(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`jsonable` for a mapping, typed as the JSON object it returns."""
    return {str(k): jsonable(v) for k, v in mapping.items()}
