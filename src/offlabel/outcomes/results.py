"""Helpers shared by the result objects: plain JSON-ready values."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

import numpy as np
import pandas as pd

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


class _Result(Protocol):
    @property
    def summary(self) -> pd.DataFrame: ...

    @property
    def caveats(self) -> tuple[str, ...]: ...


ResultT = TypeVar("ResultT", bound=_Result)


class Fitted(Generic[ResultT]):
    """What every estimator shares once fitted: ``result_`` and its summary and caveats.

    Subclasses configure in ``__init__`` and set ``result_`` in ``fit`` (lifelines style).
    """

    result_: ResultT

    @property
    def summary(self) -> pd.DataFrame:
        """The fitted result's table (``result_.summary``)."""
        return self.result_.summary

    @property
    def caveats(self) -> tuple[str, ...]:
        """The fitted result's caveats in plain words (``result_.caveats``)."""
        return self.result_.caveats
