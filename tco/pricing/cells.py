"""What one pricing cell may hold: the cell parsers and the column types built on them.

The parsers accept the text of a CSV cell or a Python value and return the value the row
model then checks against its bounds; they raise :class:`ValueError` for text that is not
of their kind. They are strict on purpose: no ``nan``, ``inf``, ``1_000``, ``yes`` or
``2026-7-1``, so what a file says is exactly what is used.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

__all__ = [
    "CONTROL_CHARACTERS",
    "PLANS",
    "Flag",
    "IsoDate",
    "Name",
    "Plan",
    "Positive",
    "PositiveInt",
    "Price",
    "Provider",
    "Share",
    "parse_boolean",
    "parse_integer",
    "parse_iso_date",
    "parse_number",
]

PLANS = ("on_demand", "reserved_1y", "reserved_3y", "spot")
"""GPU rental plans a ``gpu_offers.csv`` row may name."""

Plan = Literal["on_demand", "reserved_1y", "reserved_3y", "spot"]

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"\+?\d{1,18}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters no cell may hold (tab, line breaks and printable text are allowed)."""


def parse_number(value: object) -> object:
    """A finite number: decimal text (``2.5``, ``1e-3``, ``.5``) or an int/float.

    Examples
    --------
    >>> parse_number("2.5"), parse_number(3)
    (2.5, 3)
    >>> parse_number("nan")
    Traceback (most recent call last):
    ValueError: not a number
    """
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, str):
        if not _NUMBER.fullmatch(value):
            raise ValueError("not a number")
        value = float(value)
    if isinstance(value, int | float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def parse_integer(value: object) -> object:
    """A whole number: digits (an optional ``+``, at most 18 digits) or an int.

    Examples
    --------
    >>> parse_integer("+4"), parse_integer(8)
    (4, 8)
    >>> parse_integer(4.0)
    Traceback (most recent call last):
    ValueError: not a whole number
    """
    if isinstance(value, bool):
        raise ValueError("not a whole number")
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value):
            raise ValueError("not a whole number")
        return int(value)
    if isinstance(value, float):
        raise ValueError("not a whole number")
    return value


def parse_boolean(value: object) -> object:
    """``true`` or ``false`` in any case, or a bool.

    Examples
    --------
    >>> parse_boolean("TRUE"), parse_boolean(False)
    (True, False)
    """
    if isinstance(value, str):
        low = value.lower()
        if low not in ("true", "false"):
            raise ValueError("not true/false")
        return low == "true"
    if not isinstance(value, bool):
        raise ValueError("not true/false")
    return value


def parse_iso_date(value: object) -> object:
    """A date written ``YYYY-MM-DD``; other values are passed on unchanged.

    Examples
    --------
    >>> parse_iso_date("2026-07-24")
    datetime.date(2026, 7, 24)
    """
    if isinstance(value, str):
        if not _DATE.fullmatch(value):
            raise ValueError("not YYYY-MM-DD")
        return date.fromisoformat(value)
    return value


Price = Annotated[float, BeforeValidator(parse_number), Field(ge=0)]
"""A number >= 0 (a price; 0 is a real price, an empty cell is not)."""
Positive = Annotated[float, BeforeValidator(parse_number), Field(gt=0)]
"""A number > 0."""
Share = Annotated[float, BeforeValidator(parse_number), Field(ge=0, lt=1)]
"""A number in [0, 1)."""
PositiveInt = Annotated[int, BeforeValidator(parse_integer), Field(gt=0, strict=True)]
"""A whole number > 0."""
Flag = Annotated[bool, BeforeValidator(parse_boolean)]
"""true or false."""
Name = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^\r\n]+$")]
"""Non-empty text on one line."""
Provider = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^/\r\n]+$")]
"""Non-empty text on one line, without ``/`` (it separates provider and model in ids)."""
IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
"""A date ``YYYY-MM-DD`` (the row model also rejects future dates)."""
