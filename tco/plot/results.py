"""What a chart reads from a result: the simulation behind it, the options to draw, or the
table of a sensitivity result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tco.analysis.breakeven import BreakEven
from tco.analysis.simulate import Simulation

__all__ = ["as_frame", "as_simulation", "pick_options"]


def as_simulation(result: BreakEven | Simulation) -> Simulation:
    """The simulation of a break-even result, or the simulation itself."""
    if isinstance(result, BreakEven):
        return result.simulation
    if isinstance(result, Simulation):
        return result
    raise TypeError(
        f"result: {type(result).__name__} -> a tco.BreakEven or a tco.Simulation "
        "(from tco.break_even or tco.simulate)"
    )


def pick_options(sim: Simulation, options: Sequence[str] | None) -> list[str]:
    """``options`` checked against the simulation's (all of them when None)."""
    if options is None:
        return list(sim.names)
    unknown = [o for o in options if o not in sim.names]
    if unknown:
        raise KeyError(f"options: {unknown} not simulated; options are {sim.names}")
    return list(options)


def as_frame(result: Any, metric: str | None = None) -> Any:
    """The ``to_frame()`` of a sensitivity result (of ``metric`` when given), or the
    DataFrame passed in its place."""
    if not hasattr(result, "to_frame"):
        return result
    return result.to_frame(metric) if metric else result.to_frame()
