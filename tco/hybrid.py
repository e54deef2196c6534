"""Hybrid decisions: strategies mixing vendor APIs and self-hosted fleets, and the searches
and advice built on them.

The pieces live in small modules; this one gathers them:

* :mod:`tco.loadshape` -- share of demand above a capacity (linear load-duration curve);
* :mod:`tco.strategies` -- :class:`Overflow`, :class:`Switch`, :class:`SwitchOnVolume`;
* :mod:`tco.optimize` -- :func:`best_switch_month`, :func:`best_switch_volume`,
  :func:`best_overflow`;
* :mod:`tco.routing` -- :class:`TaskClass`, :func:`route`: each class of work to the
  cheapest option able to do it.
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
from tco.routing import Routed, Routing, TaskClass, route
from tco.strategies import Overflow, Switch, SwitchOnVolume, data_leaves

__all__ = [
    "Overflow",
    "OverflowChoice",
    "Routed",
    "Routing",
    "Switch",
    "SwitchMonth",
    "SwitchOnVolume",
    "SwitchVolume",
    "TaskClass",
    "best_overflow",
    "best_switch_month",
    "best_switch_volume",
    "data_leaves",
    "route",
    "switch_table",
]
