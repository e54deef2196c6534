"""Side-by-side panels of one quantity for several options, on one shared scale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tco.analysis.breakeven import BreakEven
from tco.analysis.money import as_currency
from tco.analysis.simulate import Simulation
from tco.plot.breakdown import monthly_breakdown, stack_extent
from tco.plot.results import as_simulation, pick_options

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["monthly_breakdowns"]


def monthly_breakdowns(
    result: BreakEven | Simulation,
    options: Sequence[str] | None = None,
    axes: Sequence[Axes] | None = None,
    *,
    discounted: bool = False,
    gpus: bool = True,
    currency: CurrencyLike = None,
) -> list[Axes]:
    """Monthly cost by component of several options side by side, on one scale.

    Every panel gets the same money axis (from the lowest credit to the tallest bar of any
    panel, nothing cut) and the same GPU axis, so bars of equal height are equal amounts
    and a one-time purchase is shown at its full height.

    Parameters
    ----------
    result : BreakEven or Simulation
    options : sequence of str, optional
        The options to show, left to right (default: every option of the simulation; the
        baseline and candidate of a break-even).
    axes : sequence of matplotlib Axes, optional
        One per option; a new figure of panels in a row (y axis shared) when None.
    discounted, gpus, currency
        As in :func:`tco.plot.monthly_breakdown`.

    Returns
    -------
    list of matplotlib Axes
        One per option, in order; all have the same y limits.
    """
    sim = as_simulation(result)
    if options is None and isinstance(result, BreakEven):
        options = [result.baseline, result.candidate]
    names = pick_options(sim, options)
    cur = as_currency(currency)
    extents = [stack_extent(sim, n, discounted=discounted) for n in names]
    lower = cur.from_usd(min(0.0, min(e[0] for e in extents) * 1.08))
    upper = cur.from_usd(max(1.0, max(e[1] for e in extents) * 1.08))
    gpu_top = max(1.0, max(e[2] for e in extents))
    panels = _panels(len(names)) if axes is None else list(axes)
    if len(panels) != len(names):
        raise ValueError(f"axes: {len(panels)} given for {len(names)} options -> one per option")
    for ax, name in zip(panels, names, strict=True):
        monthly_breakdown(
            sim,
            name,
            ax,
            discounted=discounted,
            gpus=gpus,
            clip_one_time=False,
            currency=cur,
            ylim=(lower, upper),
            gpu_top=gpu_top,
        )
    _label_outer(panels)
    return panels


def _label_outer(panels: list[Any]) -> None:
    """Money label on the first panel only, GPU axis labels and ticks on the last only."""
    for i, ax in enumerate(panels):
        twins = [a for a in ax.get_shared_x_axes().get_siblings(ax) if a is not ax]
        if i > 0:
            ax.set_ylabel("")
        if i < len(panels) - 1:
            for twin in twins:
                twin.set_ylabel("")
                twin.tick_params(labelright=False)


def _panels(n: int) -> list[Any]:
    """A row of ``n`` panels sharing their y axis."""
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(
        1, n, figsize=(7.2 * n, 5.2), layout="constrained", sharey=True, squeeze=False
    )
    return list(axes[0])
