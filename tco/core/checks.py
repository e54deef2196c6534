"""One validator per concept shared by the analyses: discount rate, capex view, option
lists, usage, shares. Messages name the argument, the bad value and what is allowed."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.units import has_flag, is_real, refuse_flags
from tco.core.usage import Usage

__all__ = [
    "check_capex",
    "check_flag",
    "check_number",
    "check_option",
    "check_options",
    "check_rate",
    "check_share",
    "check_usage",
    "check_whole",
    "has_flag",
    "is_real",
    "refuse_flags",
]

_OPTION_KINDS = "a VendorAPI, SelfHosted or strategy"


def check_rate(discount_rate: Any, name: str = "discount_rate") -> float:
    """An annual discount rate in (-1, 10] as a float (not a bool, not text)."""
    rate = math.nan
    if not isinstance(discount_rate, bool | str | bytes):
        with contextlib.suppress(TypeError, ValueError):
            rate = float(discount_rate)
    if not math.isfinite(rate) or rate <= -1.0 or rate > 10.0:
        raise ValueError(
            f"{name}: {discount_rate!r} -> an annual rate in (-1, 10], e.g. 0.08 for 8 %"
        )
    return rate


def check_number(value: Any, name: str, *, minimum: float | None = None) -> float:
    """A finite number (not a bool, not text) as a float, at least ``minimum`` if given.

    >>> check_number(2, "x")
    2.0
    """
    if not (is_real(value) and math.isfinite(float(value))):
        kind = f" (a {type(value).__name__})" if not is_real(value) else ""
        raise ValueError(f"{name}: {value!r}{kind} -> a finite number")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: {value!r} -> a number >= {minimum:g}")
    return float(value)


def check_whole(value: Any, name: str, *, minimum: int = 0, what: str = "a whole number") -> int:
    """A whole number (an int, not a bool; 3.0 is not taken for 3) >= ``minimum``.

    >>> check_whole(3, "points", minimum=2)
    3
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        kind = type(value).__name__
        raise ValueError(f"{name}: {value!r} (a {kind}) -> {what} >= {minimum}")
    if value < minimum:
        raise ValueError(f"{name}: {value!r} -> {what} >= {minimum}")
    return int(value)


def check_flag(value: Any, name: str) -> bool:
    """``True`` or ``False`` (not 1, not ``"yes"``)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name}: {value!r} -> True or False")
    return bool(value)


def check_capex(capex: Any) -> CapexView:
    """``"cash"`` or ``"amortized"``."""
    if capex not in ("cash", "amortized"):
        raise ValueError(f"capex: {capex!r} -> one of 'cash', 'amortized'")
    return capex  # type: ignore[no-any-return]


def check_share(value: Any, name: str) -> float:
    """A number in [0, 1) (a tolerance, a share of the best)."""
    if not is_real(value) or not 0 <= value < 1:
        raise ValueError(f"{name}: {value!r} -> a share in [0, 1), e.g. 0.01")
    return float(value)


def check_usage(usage: Any, name: str = "usage") -> Usage:
    """A :class:`~tco.Usage`, else a TypeError naming the argument."""
    if not isinstance(usage, Usage):
        raise TypeError(f"{name}: {type(usage).__name__} -> expected a tco.Usage")
    return usage


def check_option(option: Any, name: str) -> Option:
    """An :class:`Option`, else a TypeError naming the argument."""
    if not isinstance(option, Option):
        raise TypeError(f"{name}: {type(option).__name__} -> expected {_OPTION_KINDS}")
    return option


def check_options(options: Sequence[Option] | Option, name: str = "options") -> list[Option]:
    """A non-empty list of options with distinct names."""
    opts = [options] if isinstance(options, Option) else list(options)
    if not opts:
        raise ValueError(f"{name}: empty -> give at least one option")
    for i, opt in enumerate(opts):
        check_option(opt, f"{name}[{i}]")
    names = [o.name for o in opts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{name}: duplicate name(s) {dupes} -> give each option its own name")
    return opts
