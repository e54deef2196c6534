"""The report's charts as PNG bytes: the key charts (also written as files) and the
uncertainty charts (shown in the HTML page).

Figures are drawn on :class:`matplotlib.figure.Figure` objects directly, without pyplot,
so a report never opens a window or leaves figures behind. Every chart goes through
:mod:`tco.plot`, in the report's currency.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from tco import plot

if TYPE_CHECKING:
    from tco.report.facts import Facts

__all__ = ["CHART_TITLES", "key_charts", "uncertainty_charts"]

CHART_TITLES = {
    "cumulative_cost": "Cumulative cost and break-even",
    "all_options": "Every option",
    "monthly_candidate": "Monthly cost of the candidate by component",
    "monthly_baseline": "Monthly cost of the baseline by component",
    "cost_per_mtok": "Cost per million tokens",
    "break_even_probability": "Probability of having broken even, by month",
    "cost_fan": "Cumulative cost: median and P10-P90 band",
}
"""Each chart's title in the report, by name."""


def _figure(width: float = 8.0, height: float = 4.8) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    return buffer.getvalue()


def _drawer(charts: dict[str, bytes]) -> Callable[..., None]:
    def draw_one(name: str, draw: Callable[..., Any], height: float = 4.8) -> None:
        fig = _figure(height=height)
        draw(ax=fig.add_subplot())
        charts[name] = _png(fig)

    return draw_one


def key_charts(facts: Facts) -> dict[str, bytes]:
    """Cumulative cost, every option (more than two), the monthly breakdowns (of the
    candidate, and of the baseline when it runs GPUs or its model retires within the
    horizon) and the cost per million tokens; name -> PNG bytes (nothing is written yet)."""
    sim, result = facts.simulation, facts.result
    cur = None if facts.currency.is_usd else facts.currency
    charts: dict[str, bytes] = {}
    draw_one = _drawer(charts)
    draw_one("cumulative_cost", partial(plot.cumulative_cost, result, currency=cur))
    if len(sim.names) > 2:
        draw_one("all_options", partial(plot.cumulative_cost, sim, currency=cur))
    retiring = {move.option for move in facts.retirements}
    for role, option in (("candidate", result.candidate), ("baseline", result.baseline)):
        if role == "candidate" or sim.parts[option].gpus is not None or option in retiring:
            chart = partial(plot.monthly_breakdown, sim, option, currency=cur)
            draw_one(f"monthly_{role}", chart, height=5.4)
    draw_one("cost_per_mtok", partial(plot.cost_per_mtok, sim, currency=cur))
    return charts


def uncertainty_charts(facts: Facts) -> dict[str, bytes]:
    """The probability of having broken even by each month and the fan of cumulative
    costs, from the report's Monte Carlo run (none without one)."""
    if facts.uncertainty is None:
        return {}
    mc = facts.uncertainty.result
    cur = None if facts.currency.is_usd else facts.currency
    charts: dict[str, bytes] = {}
    draw_one = _drawer(charts)
    draw_one("break_even_probability", partial(plot.break_even_probability, mc))
    draw_one("cost_fan", partial(plot.fan, mc, series="costs", currency=cur))
    return charts
