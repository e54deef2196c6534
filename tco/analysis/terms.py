"""Reserved terms as table rows (:meth:`tco.Simulation.commitments`): where each term starts
and ends, what it committed and paid, and the committed GPUs left idle."""

from __future__ import annotations

from typing import Any

import numpy as np

from tco.core.parts import CostParts

__all__ = ["TERM_COLUMNS", "term_row"]


TERM_COLUMNS = (
    "start_month",
    "end_month",
    "committed_gpus",
    "upfront_usd",
    "reserved_usd",
    "on_demand_usd",
    "idle_gpu_months",
)
"""Columns of a reserved term's row (:meth:`tco.Simulation.commitments`), after ``option``."""


def term_row(part: CostParts, start: int, end: int) -> dict[str, Any]:
    """One reserved term of ``part`` (months ``start..end``, 1-based) as a table row."""
    span = slice(start - 1, end)
    committed = np.asarray(part.committed_gpus)[span]
    needed = np.zeros_like(committed) if part.gpus is None else part.gpus[span]
    costs = part.components()
    upfront = costs.get("reserved_upfront")
    values = (
        committed[0],
        0.0 if upfront is None else upfront[start - 1],
        np.sum(costs["gpu_reserved"][span]),
        np.sum(costs["gpu_on_demand"][span]),
        np.sum(np.maximum(committed - needed, 0.0)),
    )
    amounts = {k: float(v) for k, v in zip(TERM_COLUMNS[2:], values, strict=True)}
    return {"start_month": start, "end_month": end, **amounts}
