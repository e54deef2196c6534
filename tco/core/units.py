"""Units and the field types every model uses, with their bounds.

Money is USD, token prices are USD per million tokens, time is in months of 730 hours.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator, Field, StrictBool

__all__ = [
    "HOURS_PER_MONTH",
    "MTOK",
    "SECONDS_PER_HOUR",
    "Flag",
    "NonNegative",
    "Number",
    "Positive",
    "Price",
    "Share",
    "WholeNumber",
    "has_flag",
    "is_real",
    "not_bool_or_text",
    "refuse_flags",
]

HOURS_PER_MONTH = 730.0
"""Hours in an average month: 8,760 / 12. [h]"""

SECONDS_PER_HOUR = 3600.0
"""Seconds in an hour. [s]"""

MTOK = 1e6
"""Tokens in a million (prices are per million tokens)."""


def not_bool_or_text(value: Any) -> Any:
    """Refuse booleans and text where a number is expected (``True`` is not 1, ``"36"`` is
    not 36); everything else goes on to the number's own validation."""
    if isinstance(value, bool | str | bytes):
        raise ValueError(f"{value!r} is a {type(value).__name__}, not a number")
    return value


def is_real(value: Any) -> bool:
    """True for an int or float (numpy's too) that is not a bool: a number, not a flag.

    >>> is_real(2.5), is_real(True), is_real("3")
    (True, False, False)
    """
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def has_flag(values: Any) -> bool:
    """True when ``values`` (a number, a sequence, an array or a Series) holds a bool.

    >>> has_flag([1.0, True]), has_flag(np.array([1.0, 2.0]))
    (True, False)
    """
    if isinstance(values, bool | np.bool_):
        return True
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = values.to_numpy()
    if isinstance(values, np.ndarray):
        if values.dtype == np.bool_:
            return True
        return values.dtype == object and any(has_flag(v) for v in values.ravel())
    if isinstance(values, list | tuple):
        return any(has_flag(v) for v in values)
    return False


def refuse_flags(values: Any, name: str) -> Any:
    """``values`` unchanged, or a TypeError when it holds a bool (``True`` is not 1)."""
    if isinstance(values, bool | np.bool_):
        raise TypeError(f"{name}: {values!r} is a bool -> a number (True is not 1)")
    if has_flag(values):
        raise TypeError(f"{name}: {values!r} holds True/False -> numbers (True is not 1)")
    return values


Number = Annotated[float, BeforeValidator(not_bool_or_text), Field(allow_inf_nan=False)]
"""A finite number (not a bool, not text)."""

Share = Annotated[Number, Field(ge=0.0, le=1.0)]
"""A share in [0, 1]."""

NonNegative = Annotated[Number, Field(ge=0.0)]
"""A finite number >= 0."""

Positive = Annotated[Number, Field(gt=0.0)]
"""A finite number > 0."""

Price = Annotated[Number, Field(ge=0.0)]
"""A price >= 0 (0 is a real price: free)."""

WholeNumber = Annotated[int, BeforeValidator(not_bool_or_text)]
"""A whole number (not a bool, not text; 2.0 is 2, 2.5 is refused)."""

Flag = StrictBool
"""A yes/no field (numbers and strings are not flags)."""
