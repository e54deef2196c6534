"""Choosing among candidates: totals and NPVs to compare, ties and near-ties."""

from __future__ import annotations

import numpy as np

from tco.analysis.guards import not_finite
from tco.core.ledger import Ledger
from tco.core.option import Option
from tco.core.parts import CostParts

__all__ = ["TIE", "near", "objective_of", "pick", "ranges", "totals"]

TIE = 1e-9
"""Objectives within this share of each other count as equal."""


def objective_of(rate: float) -> str:
    """What is minimised: ``"npv_usd"`` with a discount rate, else ``"total_usd"``."""
    return "npv_usd" if rate else "total_usd"


def totals(
    parts: CostParts | None, months: int, rate: float, option: Option
) -> tuple[float, float]:
    """Undiscounted total and NPV of ``option``'s parts (0 for none). [USD]

    Raises
    ------
    FloatingPointError
        Either is not finite (see :func:`tco.analysis.guards.not_finite`).
    """
    if parts is None:
        return 0.0, 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        ledger = Ledger.of(parts, months, rate)
        total, npv = float(ledger.total()), float(ledger.total(discounted=True))
    if not (np.isfinite(total) and np.isfinite(npv)):
        raise not_finite(option, "total cost")
    return total, npv


def near(values: np.ndarray, best: float, tolerance: float) -> np.ndarray:
    return values <= best + tolerance * abs(best) + TIE * (abs(best) + 1.0)


def pick(objective: np.ndarray, prefer_last: bool = True) -> int:
    """Index of the minimum; among near-exact ties the last (or first)."""
    best = float(objective.min())
    ties = np.flatnonzero(objective <= best + TIE * (abs(best) + 1.0))
    return int(ties[-1] if prefer_last else ties[0])


def ranges(values: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    out: list[str] = []
    start = prev = None
    for v in [*sorted(values), None]:
        if v is not None and prev is not None and v == prev + 1:
            prev = v
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = v
    return ", ".join(out)
