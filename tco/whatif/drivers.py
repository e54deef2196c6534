"""The drivers a what-if moves, found from the parameters the options and usage declare.

A driver is one slider: a multiplier on every parameter of one kind (token volume, API
prices, GPU prices, throughput) or a value set on each (monthly growth, API price decline,
planned utilisation, staff). Which parameters belong to a driver comes from their
declarations (:class:`tco.Param`: its ``driver``, unit and label), so any option type,
strategy or usage curve that declares its numbers gets sliders without registration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from tco.analysis.paths import Parameter, ParameterSpace

__all__ = ["DRIVERS", "Driver", "DriverSpec", "find_drivers", "settings_values"]


@dataclass(frozen=True)
class DriverSpec:
    """How to find one driver's parameters and move them.

    Attributes
    ----------
    key : str
        The slider's name (``"gpu_price"``).
    label : str
        What it moves, in words.
    scale : bool
        True: a multiplier on each parameter's own value (1 = as given); False: one value
        set on every parameter.
    low, high : float
        The slider's range (a multiplier, or the value in the parameters' unit).
    matches : callable
        Whether a parameter belongs to the driver.
    """

    key: str
    label: str
    scale: bool
    low: float
    high: float
    matches: Callable[[Parameter], bool]


def _driver(name: str) -> Callable[[Parameter], bool]:
    return lambda p: p.declared.param.driver == name


def _volume(p: Parameter) -> bool:
    return p.role == "usage" and p.declared.param.unit in ("tokens/month", "x")


def _throughput(p: Parameter) -> bool:
    return p.key.rsplit(".", 1)[-1] in ("prefill_tokens_per_s", "decode_tokens_per_s")


def _growth(p: Parameter) -> bool:
    return p.path == "usage.monthly_growth"


def _staff(p: Parameter) -> bool:
    return p.declared.param.label == "staff" and p.declared.param.unit == "FTE"


DRIVERS: tuple[DriverSpec, ...] = (
    DriverSpec("volume", "Token volume (x as given)", True, 0.1, 10.0, _volume),
    DriverSpec("growth", "Monthly growth [share per month]", False, -0.05, 0.3, _growth),
    DriverSpec("api_price", "API price (x list price)", True, 0.1, 3.0, _driver("api_price")),
    DriverSpec(
        "api_decline",
        "API price decline [share per year]",
        False,
        0.0,
        0.9,
        _driver("api_price_decline"),
    ),
    DriverSpec("gpu_price", "GPU price (x as given)", True, 0.25, 3.0, _driver("gpu_price")),
    DriverSpec("throughput", "Throughput (x as given)", True, 0.25, 3.0, _throughput),
    DriverSpec(
        "utilisation",
        "Planned utilisation [share]",
        False,
        0.05,
        1.0,
        _driver("utilisation"),
    ),
    DriverSpec("staff", "Self-hosting staff [FTE]", False, 0.0, 5.0, _staff),
)
"""The drivers a what-if offers, in slider order."""


@dataclass(frozen=True)
class Driver:
    """One slider of a what-if, bound to its parameters.

    Attributes
    ----------
    spec : DriverSpec
    parameters : tuple of Parameter
        The parameters it moves (with their values as given).
    start : float
        The slider's starting position: 1 for a multiplier, else the first parameter's
        value as given.
    low, high : float
        The slider's range: the spec's, widened to hold ``start``.
    """

    spec: DriverSpec
    parameters: tuple[Parameter, ...]
    start: float
    low: float
    high: float

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.parameters]

    def values(self, position: float) -> dict[str, np.ndarray]:
        """Each parameter's value with the slider at ``position``, as a batch of one."""
        out = {}
        for p in self.parameters:
            base = float(p.base or 0.0)
            value = base * position if self.spec.scale else position
            out[p.path] = np.array([value])
        return out


def _self_hosting_roles(params: list[Parameter]) -> set[str]:
    """The roles whose options run GPUs (they declare a GPU price or a throughput)."""
    return {
        p.role for p in params if p.role != "usage" and (_driver("gpu_price")(p) or _throughput(p))
    }


def find_drivers(
    space: ParameterSpace, specs: tuple[DriverSpec, ...] = DRIVERS
) -> dict[str, Driver]:
    """The drivers of a comparison that have parameters, by key, in slider order.

    Parameters left unset (None) are skipped; staff counts only on the options that run
    GPUs (the candidate when neither does).

    Examples
    --------
    >>> import tco
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=10_000, decode_tokens_per_s=1_000,
    ...                        procurement=tco.Rent(2.0), staff_fte=0.5)
    >>> usage = tco.Usage.compound(start=1e9, monthly_growth=0.05, months=12, output_share=0.2)
    >>> drivers = find_drivers(ParameterSpace(api, fleet, usage))
    >>> list(drivers)
    ['volume', 'growth', 'api_price', 'api_decline', 'gpu_price', 'throughput', 'utilisation', \
'staff']
    >>> drivers["gpu_price"].paths, drivers["staff"].paths, drivers["staff"].start
    (['candidate.procurement.usd_per_gpu_hour'], ['candidate.staff_fte'], 0.5)
    """
    params = [space.resolve(path) for path in space.paths]
    params = [p for p in params if p.base is not None and not p.integer]
    hosting = _self_hosting_roles(params) or {"candidate"}
    found: dict[str, Driver] = {}
    for spec in specs:
        mine = [p for p in params if spec.matches(p)]
        if spec.key == "staff":
            mine = [p for p in mine if p.role in hosting]
        if not mine:
            continue
        start = 1.0 if spec.scale else float(mine[0].base or 0.0)
        low, high = min(spec.low, start), max(spec.high, start)
        found[spec.key] = Driver(spec, tuple(mine), start, low, high)
    return found


def settings_values(
    drivers: Mapping[str, Driver], settings: Mapping[str, float]
) -> dict[str, np.ndarray]:
    """Parameter values by path for slider ``settings``.

    Drivers not in ``settings``, or at their starting position, leave their parameters as
    given (so the starting answer is the models' own, also where a value driver's
    parameters differ from each other).

    Raises
    ------
    KeyError
        For a setting that names no driver of this comparison (the message lists them).
    ValueError
        For a position outside the driver's range.
    """
    out: dict[str, np.ndarray] = {}
    for key, position in settings.items():
        if key not in drivers:
            raise KeyError(f"settings: {key!r} is not a driver here; drivers: {list(drivers)}")
        d = drivers[key]
        if not d.low <= float(position) <= d.high:
            raise ValueError(f"settings[{key!r}]: {position!r} -> within [{d.low}, {d.high}]")
        if float(position) != d.start:
            out.update(d.values(float(position)))
    return out
