"""Argument types shared by the commands, and the usage error they raise."""

from __future__ import annotations

import argparse
import math
from datetime import date
from pathlib import Path

__all__ = [
    "CliError",
    "annual_rate",
    "existing_path",
    "iso_date",
    "non_negative_int",
    "positive_int",
]


class CliError(Exception):
    """A usage error: printed as one line on stderr, exit code 2."""


def non_negative_int(text: str) -> int:
    """An argument type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 0")
    return value


def positive_int(text: str) -> int:
    """An argument type: a whole number >= 1."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 1")
    return value


def annual_rate(text: str) -> float:
    """An argument type: an annual rate in (-1, 10], written as a share (0.08 for 8 %).

    >>> annual_rate("0.08")
    0.08
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and -1.0 < value <= 10.0):
        raise argparse.ArgumentTypeError(
            f"{text!r} -> an annual rate in (-1, 10] written as a share, e.g. 0.08 for 8 %"
        )
    return value


def iso_date(text: str) -> date:
    """An argument type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def existing_path(path: str | None, what: str = "pricing folder") -> Path | None:
    """``path`` as a Path (None stays None); a :class:`CliError` naming ``what`` if missing."""
    if path is None:
        return None
    p = Path(path)
    if not p.exists():
        raise CliError(f"{what} {path!r} does not exist")
    return p
