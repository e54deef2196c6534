"""Hybrid decisions: strategies mixing vendor APIs and self-hosted fleets, and the searches
and advice built on them.

The pieces live in small modules; this one gathers them:

* :mod:`tco.loadshape` -- share of demand above a capacity (linear load-duration curve);
* :mod:`tco.strategies` -- :class:`Overflow`, :class:`Switch`, :class:`SwitchOnVolume`;
* :mod:`tco.optimize` -- :func:`best_switch_month`, :func:`best_switch_volume`,
  :func:`best_overflow`;
* :mod:`tco.routing` -- :class:`TaskClass`, :func:`route`: each class of work to the
  cheapest option able to do it;
* :mod:`tco.trends` -- price-trend presets with their sources, :func:`with_trends`,
  :func:`price_trend_effect`;
* :mod:`tco.recommend` -- :func:`recommend`: ranked options and strategies, break-even,
  exclusions, the drivers of the answer and a summary in words.
"""

from tco.optimize import (
    OverflowChoice,
    SwitchMonth,
    SwitchVolume,
    best_overflow,
    best_switch_month,
    best_switch_volume,
    switch_table,
)
from tco.recommend import Driver, Recommendation, find_drivers, recommend
from tco.routing import Routed, Routing, TaskClass, route
from tco.strategies import Overflow, Switch, SwitchOnVolume, data_leaves
from tco.trends import (
    API_PRICE_TRENDS,
    GPU_PRICE_TRENDS,
    TrendPreset,
    price_trend_effect,
    with_trends,
)

__all__ = [
    "API_PRICE_TRENDS",
    "GPU_PRICE_TRENDS",
    "Driver",
    "Overflow",
    "OverflowChoice",
    "Recommendation",
    "Routed",
    "Routing",
    "Switch",
    "SwitchMonth",
    "SwitchOnVolume",
    "SwitchVolume",
    "TaskClass",
    "TrendPreset",
    "best_overflow",
    "best_switch_month",
    "best_switch_volume",
    "data_leaves",
    "find_drivers",
    "price_trend_effect",
    "recommend",
    "route",
    "switch_table",
    "with_trends",
]
