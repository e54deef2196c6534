"""Monthly series the cost models are built from: price trends, staff, one-time payments.

Pure numpy; parameters broadcast over leading batch axes, months are the last axis.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["one_time_at", "price_trend", "staff_usd"]


def price_trend(annual_decline: Any, months: int) -> np.ndarray:
    """Price multiplier per month: ``(1 - annual_decline) ** ((month - 1) / 12)``.

    Examples
    --------
    >>> price_trend(0.19, 13)[[0, 12]].round(6).tolist()
    [1.0, 0.81]
    """
    d = np.asarray(annual_decline, dtype=float)[..., None]
    return (1.0 - d) ** (np.arange(months) / 12.0)


def staff_usd(fte: Any, usd_per_year: Any) -> Any:
    """Monthly cost of ``fte`` full-time staff at ``usd_per_year`` loaded cost each. [USD]"""
    return np.asarray(fte, dtype=float) * np.asarray(usd_per_year, dtype=float) / 12.0


def one_time_at(amount: Any, month: int, months: int) -> np.ndarray:
    """An array that is ``amount`` in ``month`` (1-based) and zero elsewhere."""
    out = np.zeros(months)
    out[month - 1] = 1.0
    return np.asarray(amount, dtype=float)[..., None] * out
