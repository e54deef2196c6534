"""Guards on every answer: a cost that is not finite is an error naming the option and the
input that made it so, and implausible inputs are warned about with the figure.

Every costing path calls these: :func:`~tco.simulate` (and so break-even, recommend and the
report), the batch engine (:class:`~tco.analysis.batch.Comparison`), the choices among
strategies (:func:`~tco.analysis.choice.totals`) and :func:`~tco.break_even_volume`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from tco.core.ledger import Ledger
from tco.core.option import Option
from tco.core.params import declared, values_in
from tco.core.parts import CostParts
from tco.core.plausible import (
    MAX_PLAUSIBLE_GPUS,
    MAX_PLAUSIBLE_USD,
    PLAUSIBLE_USD_PER_MTOK,
    PlausibilityWarning,
)
from tco.core.usage import Usage
from tco.options.api import PER_MTOK

__all__ = [
    "check_ledger",
    "check_parts",
    "extreme_input",
    "not_finite",
    "warn_fleet",
    "warn_prices",
    "warn_total",
]


def _scalars(items: Iterable[tuple[str, Any]]) -> list[tuple[str, float]]:
    """The finite, non-zero scalar values among ``(name, value)`` pairs."""
    out = []
    for name, value in items:
        if value is None or isinstance(value, bool) or np.ndim(value) != 0:
            continue
        v = float(value)
        if math.isfinite(v) and v != 0.0:
            out.append((name, v))
    return out


def extreme_input(option: Option, usage: Usage | None = None) -> str | None:
    """The input furthest from 1 in orders of magnitude, as ``"path = value"``: the one
    most likely to make a cost overflow (a price of 1e308, a throughput of 1e-300).

    Examples
    --------
    >>> import tco
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0,
    ...                     staff_fte=1.0, staff_usd_per_year=1e308)
    >>> extreme_input(api)
    'staff_usd_per_year = 1e+308'
    """
    items = list(option.core_params().items())
    if usage is not None:
        items += [(f"usage.{p}", d.value) for p, d in declared(usage).items()]
        tokens = usage.tokens
        if tokens.size:
            items.append(("usage tokens per month (largest)", float(np.max(tokens))))
    found = _scalars(items)
    if not found:
        return None
    name, value = max(found, key=lambda item: abs(math.log10(abs(item[1]))))
    return f"{name} = {value:.6g}"


def not_finite(option: Option, what: str, usage: Usage | None = None) -> FloatingPointError:
    """The error for a cost of ``option`` that is not finite, naming its most extreme input."""
    culprit = extreme_input(option, usage)
    hint = f"; the most extreme input is {culprit}" if culprit else ""
    return FloatingPointError(
        f"{option.name}: {what} is not finite (beyond the largest float, about 1.8e308) "
        f"-> check the inputs{hint}"
    )


def check_parts(option: Option, parts: CostParts, usage: Usage | None = None) -> None:
    """Every cost component of ``option`` finite, else :func:`not_finite`."""
    for name, values in parts.components().items():
        if not np.all(np.isfinite(values)):
            raise not_finite(option, f"cost component {name!r}", usage)


def check_ledger(
    option: Option, ledger: Ledger, parts: CostParts, usage: Usage | None = None
) -> None:
    """The cumulative cost of ``option``, as paid and at present value, finite; else
    :func:`not_finite`, naming the cost component that is not finite when one is
    (:func:`check_parts`, looked into only then: a running sum stays not finite from the
    first month that is not, so its last month answers for all)."""
    for discounted, what in ((False, "cumulative cost"), (True, "present value of its cost")):
        if not np.isfinite(ledger.cumulative(discounted)[..., -1]).all():
            check_parts(option, parts, usage)
            raise not_finite(option, what, usage)


def warn_fleet(name: str, gpus: Any, what: str = "") -> None:
    """A :class:`~tco.PlausibilityWarning` when a fleet needs more than
    :data:`~tco.core.plausible.MAX_PLAUSIBLE_GPUS` GPUs in some month.

    ``gpus`` has months on its last axis (and draws before them in a batch); ``what``
    says which draws, if any.
    """
    if gpus is None:
        return
    arr = np.asarray(gpus, dtype=float)
    if arr.size == 0 or not float(np.max(arr)) > MAX_PLAUSIBLE_GPUS:
        return
    peak = float(np.max(arr))
    month = int(np.unravel_index(int(np.argmax(arr)), arr.shape)[-1]) + 1
    warnings.warn(
        f"{name}: the fleet needs {peak:,.0f} GPUs in month {month}{what} (more than "
        f"{MAX_PLAUSIBLE_GPUS:,}): check the token volume (tokens per month, not per year) "
        "and the throughput per replica",
        PlausibilityWarning,
        stacklevel=3,
    )


def warn_total(option: Option, total_usd: float, usage: Usage | None = None) -> None:
    """A :class:`~tco.PlausibilityWarning` when ``option`` costs more than
    :data:`~tco.core.plausible.MAX_PLAUSIBLE_USD` over the horizon, naming its most
    extreme input."""
    if not abs(total_usd) > MAX_PLAUSIBLE_USD:
        return
    culprit = extreme_input(option, usage)
    hint = f"; the most extreme input is {culprit}" if culprit else ""
    warnings.warn(
        f"{option.name}: costs {total_usd:,.3g} USD over the horizon, more than "
        f"{MAX_PLAUSIBLE_USD:,.0g} (ten times the world's yearly output): check the inputs"
        f"{hint}",
        PlausibilityWarning,
        stacklevel=3,
    )


def warn_prices(
    option: Option,
    drawn: Mapping[str, Any] | None = None,
    bound: float = PLAUSIBLE_USD_PER_MTOK,
) -> None:
    """A :class:`~tco.PlausibilityWarning` for each per-token price of ``option`` above
    ``bound`` (default 100 x the bundled catalog's highest price).

    ``drawn`` maps parameter paths of the option to the values a batch draws for them
    (the largest is checked in place of the option's own value).
    """
    drawn = drawn or {}
    for path, own in values_in(option, PER_MTOK):
        value = drawn.get(path, own)
        if value is None:
            continue
        top = float(np.max(np.asarray(value, dtype=float)))
        if top > bound:
            warnings.warn(
                f"{option.name}: {path} = {top:,.6g} USD per million tokens is more than "
                f"{bound:,.0f} (100 x the highest price in the catalog): check the figure and "
                "its unit (USD per million tokens)",
                PlausibilityWarning,
                stacklevel=3,
            )
