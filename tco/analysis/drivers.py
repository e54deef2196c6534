"""The drivers of a recommendation: the inputs at which the winner and its rival swap.

Each driver is one kind of input, found through the parameters' declarations
(:attr:`tco.core.params.Param.driver`): every GPU price, every API token price, the planned
utilisation, the API price decline, and the token volume. It is varied for both options at
once (a GPU price change reaches every fleet, an API price change every API part),
everything else held, including the month of a switch, and the nearest value at which the
rival becomes as cheap as the winner is found by bisection.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tco.core.arrays import UsageArrays
from tco.core.checks import check_capex, check_flag, check_option, check_rate, check_usage
from tco.core.ledger import Ledger
from tco.core.money import USD, Currency
from tco.core.option import Option
from tco.core.parts import CapexView, CostContext
from tco.core.usage import Usage

__all__ = ["DRIVERS", "Driver", "DriverSpec", "find_drivers"]


@dataclass(frozen=True)
class Driver:
    """An input at which the recommendation flips.

    Attributes
    ----------
    driver : str
        What varies: ``"GPU price"``, ``"planned utilisation"``, ``"token volume"``,
        ``"API price"`` or ``"API price decline"``.
    current : float
        Its value now (for multipliers: 1.0).
    flip : float or None
        Value at which the winner and the rival cost the same (None: no flip in ``searched``).
    holds_while : str
        ``"below"`` or ``"above"``: the winner stays ahead while the input stays below or
        above ``flip``.
    searched : tuple of float
        Range searched.
    words : str
        The finding in a sentence.
    """

    driver: str
    unit: str
    current: float
    flip: float | None
    holds_while: str
    searched: tuple[float, float]
    words: str


@dataclass(frozen=True)
class DriverSpec:
    """How one driver is searched.

    Attributes
    ----------
    name : str
        ``"GPU price"``, ...
    group : str or None
        The declared :attr:`~tco.core.params.Param.driver` group it varies; None for the
        token volume (the usage is scaled).
    multiplier : bool
        Varied as a multiple of today's values (prices, volume), else as one value for all
        (utilisation, price decline: only when both options have the same value).
    searched : tuple of float
        Range searched (multiples, or values).
    unit : str
        Unit of the driver's values in the table (for GPU prices: the declared unit, and the
        flip is reported as a price).
    """

    name: str
    group: str | None
    multiplier: bool
    searched: tuple[float, float]
    unit: str


DRIVERS = (
    DriverSpec("GPU price", "gpu_price", True, (0.02, 50.0), "declared"),
    DriverSpec("planned utilisation", "utilisation", False, (0.05, 1.0), "share"),
    DriverSpec("token volume", None, True, (0.02, 50.0), "x forecast"),
    DriverSpec("API price", "api_price", True, (0.02, 50.0), "x today's"),
    DriverSpec("API price decline", "api_price_decline", False, (0.0, 0.99), "per year"),
)
"""The drivers searched, in the order they are reported."""


def _matching(option: Option, group: str) -> dict[str, tuple[float, str]]:
    """The option's parameters in a driver group: path -> (value, declared unit)."""
    return {
        path: (float(d.value), d.param.unit)
        for path, d in option.parameters().items()
        if d.param.driver == group and d.value is not None
    }


def _objective(
    option: Option, arrays: UsageArrays, context: CostContext, rate: float, values: dict
) -> np.ndarray:
    """Total cost (NPV with a rate) for each point of a search. [USD]"""
    ledger = Ledger.of(option.cost_parts(arrays, context, **values), arrays.months, rate)
    return np.asarray(ledger.total(discounted=True))


def _flip(
    gap: Callable[[np.ndarray], np.ndarray],
    x0: float,
    lo: float,
    hi: float,
    *,
    log: bool,
    points: int = 97,
) -> float | None:
    """Nearest ``x`` to ``x0`` in ``[lo, hi]`` where ``gap`` turns positive (bisection).

    ``gap`` is winner minus rival (<= 0 at ``x0``); it may be a step function.
    """
    grid = np.geomspace(lo, hi, points) if log else np.linspace(lo, hi, points)
    grid = np.unique(np.append(grid, x0))
    values = gap(grid)
    i0 = int(np.searchsorted(grid, x0))
    scale = float(np.max(np.abs(values))) + 1.0
    positive = values > 1e-9 * scale
    best: tuple[float, int, int] | None = None  # (distance, inside index, outside index)
    for step in (-1, 1):
        i = i0
        while 0 <= i + step < len(grid) and not positive[i + step]:
            i += step
        if 0 <= i + step < len(grid):
            far = grid[i + step]
            dist = abs(math.log(far / x0)) if log and x0 > 0 else abs(far - x0)
            if best is None or dist < best[0]:
                best = (dist, i, i + step)
    if best is None:
        return None
    a, b = grid[best[1]], grid[best[2]]  # gap(a) <= 0 < gap(b)
    for _ in range(60):
        mid = math.sqrt(a * b) if log and a > 0 else 0.5 * (a + b)
        if mid in (a, b):
            break
        if gap(np.array([mid]))[0] > 1e-9 * scale:
            b = mid
        else:
            a = mid
    return float(b)


def find_drivers(
    winner: Option,
    rival: Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    capex: CapexView = "cash",
    credit_residual: bool = False,
    currency: Currency = USD,
) -> list[Driver]:
    """Inputs at which ``rival`` would become as cheap as ``winner`` (see :data:`DRIVERS`);
    their findings state money in ``currency`` (the values stay in US dollars).

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(2e9, months=24, output_share=0.3)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
    ...                        procurement=tco.Rent(2.0), setup_usd=40_000)
    >>> drivers = find_drivers(fleet, api, usage)
    >>> gpu = next(d for d in drivers if d.driver == "GPU price")
    >>> round(gpu.flip, 2)  # 24 x 9,500 = 228,000 = 40,000 + 24 x 730 x price
    10.73
    """
    check_option(winner, "winner")
    check_option(rival, "rival")
    check_usage(usage)
    search = _Search(
        winner,
        rival,
        usage.arrays(),
        CostContext(None, check_capex(capex), check_flag(credit_residual, "credit_residual")),
        check_rate(discount_rate),
        currency,
    )
    drivers = []
    for spec in DRIVERS:
        found = search.driver(spec)
        if found is not None:
            drivers.append(found)
    return drivers


@dataclass(frozen=True)
class _Search:
    """Winner and rival costed against the same usage, for each driver in turn."""

    winner: Option
    rival: Option
    arrays: UsageArrays
    context: CostContext
    rate: float
    currency: Currency = USD

    @property
    def options(self) -> tuple[Option, Option]:
        return self.winner, self.rival

    def gap(self, spec: DriverSpec) -> Callable[[np.ndarray], np.ndarray]:
        """Winner minus rival cost as a function of the driver's value(s)."""

        def values(x: np.ndarray, option: Option) -> dict[str, Any]:
            if spec.group is None:
                return {}
            matched = _matching(option, spec.group)
            if spec.multiplier:
                return {k: v * x for k, (v, _) in matched.items()}
            return {k: x for k in matched}

        def gap(x: np.ndarray) -> np.ndarray:
            usage = self.arrays.scaled(x[:, None]) if spec.group is None else self.arrays
            w = _objective(self.winner, usage, self.context, self.rate, values(x, self.winner))
            r = _objective(self.rival, usage, self.context, self.rate, values(x, self.rival))
            return np.broadcast_to(w - r, x.shape)

        return gap

    def driver(self, spec: DriverSpec) -> Driver | None:
        """The driver's flip point, or None when neither option has such an input."""
        found = [] if spec.group is None else [_matching(o, spec.group) for o in self.options]
        matched = {k: v for m in found for k, v in m.items()}
        if spec.group is not None and not matched:
            return None
        lo, hi = spec.searched
        names = f"{self.winner.name} stays cheaper than {self.rival.name}"
        if not spec.multiplier:
            now_values = [v for m in found for v, _ in m.values()]
            if max(now_values) - min(now_values) >= 1e-12:
                return None
            now = now_values[0]
            flip = _flip(self.gap(spec), now, lo, hi, log=False)
            return _driver(spec.name, spec.unit, now, flip, spec.searched, names, self.currency)
        m = _flip(self.gap(spec), 1.0, lo, hi, log=True)
        if spec.unit != "declared":
            return _driver(spec.name, spec.unit, 1.0, m, spec.searched, names, self.currency)
        now, unit = next(iter(matched.values()))
        flip = None if m is None else m * now
        return _driver(spec.name, unit, now, flip, (lo * now, hi * now), names, self.currency)


_FORMATS: dict[str, Callable[[float, Currency], str]] = {
    "USD per GPU-hour": lambda x, cur: f"{cur.words(x, 2)}/GPU-hour",
    "USD per GPU": lambda x, cur: f"{cur.words(x)}/GPU",
    "USD per GPU-second": lambda x, cur: f"{cur.words(x, 6)}/GPU-second",
    "share": lambda x, _: f"{x:.0%}",
    "x forecast": lambda x, _: f"{x:.0%} of the forecast",
    "x today's": lambda x, _: f"{x:.0%} of today's",
    "per year": lambda x, _: f"{x:.0%} a year",
}
"""How a driver's value reads in words, by unit (money in the currency given)."""


def _driver(
    what: str,
    unit: str,
    now: float,
    flip: float | None,
    searched: tuple[float, float],
    names: str,
    currency: Currency,
) -> Driver:
    if flip is None:
        words = f"{names} for any {what} in the range searched"
        return Driver(what, unit, now, None, "", searched, words)
    holds = "below" if flip > now else "above"
    fmt = _FORMATS.get(unit, lambda x, _: f"{x:,.4g} {unit}")
    words = (
        f"{names} while the {what} stays {holds} {fmt(flip, currency)} (now {fmt(now, currency)})"
    )
    return Driver(what, unit, now, flip, holds, searched, words)
