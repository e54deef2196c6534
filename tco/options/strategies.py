"""Strategies mixing options: overflow to a vendor API, switch at a month, switch on volume.

A strategy is an :class:`~tco.core.costs.Option` like any other, so :func:`~tco.simulate`,
:func:`~tco.break_even` and the sensitivity functions accept it. Its cost is built from
the cost parts of the options it combines, costed against the same usage:

* components keep their names (``api_input`` of the API part, ``gpu_rent`` of the fleet,
  ``setup`` and ``staff`` summed over the parts), so ``simulate(...).costs`` reads the same
  as for a plain option;
* :meth:`core_params` exposes the parts' numeric fields under a path prefix (``fleet.``,
  ``api.``, ``first.``, ``then.``), e.g. ``"fleet.procurement.usd_per_gpu_hour"``, and
  :meth:`cost_parts` accepts them as overrides (arrays of shape ``(n,)`` for a batch);
* ``data_leaves_environment`` is True when any part's data leaves the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field, SerializeAsAny, model_validator

from tco.core.costs import CostContext, CostParts, Option, Window
from tco.core.loadshape import unserved_share
from tco.core.usage import Usage, UsageArrays
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted, busy_replicas, replicas_needed

TIMING_GROUPS = ("upfront", "recurring", "end")


# --------------------------------------------------------------------------- helpers
def data_leaves(option: Option) -> bool:
    """Whether ``option`` sends data outside the organisation's environment.

    Options that do not say (no ``data_leaves_environment`` attribute) are assumed to.

    Examples
    --------
    >>> data_leaves(VendorAPI("api", input_usd_per_mtok=1, output_usd_per_mtok=1))
    True
    """
    return bool(getattr(option, "data_leaves_environment", True))


def split_params(params: Mapping[str, Any], parts: Mapping[str, Option]) -> dict[str, dict]:
    """Route ``"role.path"`` overrides to the part named ``role``, checking every path.

    Examples
    --------
    >>> api = VendorAPI("api", input_usd_per_mtok=1, output_usd_per_mtok=1)
    >>> split_params({"api.setup_usd": 5.0}, {"api": api})
    {'api': {'setup_usd': 5.0}}
    """
    out: dict[str, dict[str, Any]] = {role: {} for role in parts}
    for key, value in params.items():
        role, _, rest = key.partition(".")
        if role not in parts or not rest:
            valid = sorted(f"{r}.{k}" for r, o in parts.items() for k in o.core_params())
            raise KeyError(f"unknown parameter {key!r}; valid ones are {valid}")
        if rest not in parts[role].core_params():
            valid = sorted(f"{role}.{k}" for k in parts[role].core_params())
            raise KeyError(f"unknown parameter {key!r}; valid ones are {valid}")
        out[role][rest] = value
    return out


def prefixed_params(parts: Mapping[str, Option]) -> dict[str, Any]:
    """The parts' :meth:`~tco.core.costs.Option.core_params` keyed ``"role.path"``."""
    return {f"{role}.{k}": v for role, opt in parts.items() for k, v in opt.core_params().items()}


def combine_parts(parts: list[tuple[str, CostParts]]) -> CostParts:
    """One :class:`~tco.core.costs.CostParts` from several, summing components of the same name.

    A name used with different timings by two parts is prefixed with the part's role
    (``"then.setup"``) so that each name keeps one timing.
    """
    out = CostParts()
    timing_of: dict[str, str] = {}
    gpus: list[np.ndarray] = []
    unserved: list[np.ndarray] = []
    residual: Any = 0.0
    for role, part in parts:
        for timing in TIMING_GROUPS:
            target = getattr(out, timing)
            for name, values in getattr(part, timing).items():
                key = name if timing_of.get(name, timing) == timing else f"{role}.{name}"
                timing_of.setdefault(key, timing)
                target[key] = target[key] + values if key in target else values
        if part.gpus is not None:
            gpus.append(part.gpus)
        if part.unserved_tokens is not None:
            unserved.append(part.unserved_tokens)
        residual = residual + np.asarray(part.residual_usd)
    out.gpus = sum(gpus[1:], gpus[0]) if gpus else None
    out.unserved_tokens = sum(unserved[1:], unserved[0]) if unserved else None
    out.residual_usd = residual
    return out


def scale_usage(usage: UsageArrays, share: Any) -> UsageArrays:
    """The same usage with every token array multiplied by ``share`` (broadcast)."""
    share = np.asarray(share, dtype=float)
    return UsageArrays(
        input=usage.input * share,
        output=usage.output * share,
        cached_input=usage.cached_input * share,
        peak_to_average=usage.peak_to_average,
        operating_hours=usage.operating_hours,
    )


def _window(context: CostContext, months: int) -> tuple[int, int]:
    if context.window is None:
        return 1, months
    return context.window.first, context.window.last


# --------------------------------------------------------------------------- overflow
class _CappedFleet(SelfHosted):
    """A fleet sized for a lower peak and/or capped; load above its capacity is unserved."""

    max_replicas: Annotated[int, Field(ge=1)] | None = None
    sizing_peak_to_average: Annotated[float, Field(ge=1.0, le=1000.0)] | None = None

    def fleet(
        self, usage: UsageArrays, p: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        p = p or self.core_params()
        if self.fixed_replicas is not None:
            return super().fleet(usage, p)
        busy = busy_replicas(usage, p["prefill_tokens_per_s"], p["decode_tokens_per_s"])
        peak = np.asarray(usage.peak_to_average, dtype=float)
        sizing = peak
        if self.sizing_peak_to_average is not None:
            sizing = np.minimum(peak, self.sizing_peak_to_average)
        replicas = replicas_needed(
            busy,
            peak_to_average=sizing,
            target_utilization=p["target_utilization"],
            min_replicas=p["min_replicas"],
            spare_replicas=p["spare_replicas"],
        )
        if self.max_replicas is not None:
            replicas = np.minimum(replicas, float(self.max_replicas))
        serving = replicas - np.asarray(p["spare_replicas"])[..., None]
        capacity = np.maximum(serving, 0.0) * np.asarray(p["target_utilization"])[..., None]
        share = unserved_share(capacity, busy, peak[..., None])
        share = np.where(share < 1e-12, 0.0, share)
        return np.broadcast_to(replicas, share.shape).copy(), share


class Overflow(Option):
    """A self-hosted fleet serves what it can; demand above its capacity goes to a vendor API.

    The fleet is the ``fleet`` option as given (sized to demand, or ``fixed_replicas``),
    optionally sized for a lower peak (``sizing_peak_to_average``, e.g. 1.0 for the
    average load) and/or capped at ``max_replicas``. Its capacity is
    ``(replicas - spare_replicas) * target_utilization`` busy replicas; the tokens that
    arrive while the load is above it follow the linear load-duration curve of
    :mod:`tco.core.loadshape` and are served by ``api`` at its prices, with the usage's token
    mix. The same fleet alone reports exactly those tokens as unserved.

    Parameters
    ----------
    fleet : SelfHosted
        The fleet that takes the base load.
    api : VendorAPI
        The vendor API that takes the overflow.
    name : str, optional
        Defaults to ``"<fleet> + <api> overflow"``.
    max_replicas : int, optional
        Cap on the fleet's replicas (spares included); must exceed ``spare_replicas``.
    sizing_peak_to_average : float, optional
        Size the fleet for this peak-to-average ratio instead of the usage's. [>= 1]

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(3600 * 730 * 2.0, months=1, output_share=0.5,
    ...                            peak_to_average=2.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=2.0, decode_tokens_per_s=1.0,
    ...                        procurement=tco.Rent(1.0), target_utilization=1.0,
    ...                        fixed_replicas=2)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    >>> split = tco.Overflow(fleet, api).split(usage)
    >>> round(float(split["api_share"].iloc[0]), 6)  # busy 1.5, capacity 2, peak 3
    0.111111
    """

    fleet: SelfHosted
    api: VendorAPI
    max_replicas: Annotated[int, Field(ge=1)] | None = None
    sizing_peak_to_average: (
        Annotated[float, Field(ge=1.0, le=1000.0, allow_inf_nan=False)] | None
    ) = None

    def __init__(
        self, fleet: SelfHosted | None = None, api: VendorAPI | None = None, /, **data: Any
    ) -> None:
        if fleet is not None:
            data["fleet"] = fleet
        if api is not None:
            data["api"] = api
        super().__init__(**data)

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and "name" not in data:
            fleet, api = data.get("fleet"), data.get("api")
            if isinstance(fleet, Option) and isinstance(api, Option):
                data = {**data, "name": f"{fleet.name} + {api.name} overflow"}
        return data

    @model_validator(mode="after")
    def _check_fleet(self) -> Overflow:
        sized = self.max_replicas is not None or self.sizing_peak_to_average is not None
        if self.fleet.fixed_replicas is not None and sized:
            raise ValueError(
                f"fleet: {self.fleet.name!r} has fixed_replicas={self.fleet.fixed_replicas}; "
                "max_replicas and sizing_peak_to_average apply to a fleet sized to demand"
            )
        if self.max_replicas is not None and self.max_replicas <= self.fleet.spare_replicas:
            raise ValueError(
                f"max_replicas: {self.max_replicas} -> must exceed the fleet's spare_replicas "
                f"({self.fleet.spare_replicas}) so that some replicas serve"
            )
        return self

    @property
    def data_leaves_environment(self) -> bool:
        return data_leaves(self.fleet) or data_leaves(self.api)

    @property
    def _capped(self) -> _CappedFleet:
        return _CappedFleet.model_validate(
            {
                **self.fleet.model_dump(),
                "max_replicas": self.max_replicas,
                "sizing_peak_to_average": self.sizing_peak_to_average,
            }
        )

    def _parts(self) -> dict[str, Option]:
        return {"fleet": self.fleet, "api": self.api}

    def core_params(self) -> dict[str, Any]:
        return prefixed_params(self._parts())

    def overflow_share(self, usage: UsageArrays, **params: Any) -> tuple[np.ndarray, np.ndarray]:
        """Replicas per month and the share of each month's tokens sent to the API."""
        split = split_params(params, self._parts())
        p = {**self._capped.core_params(), **split["fleet"]}
        return self._capped.fleet(usage, p)

    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **params: Any
    ) -> CostParts:
        """Fleet costs plus the API's costs of the overflow tokens (see :meth:`core_params`)."""
        context = context or CostContext()
        split = split_params(params, self._parts())
        fleet_parts = self._capped.cost_parts(usage, context, **split["fleet"])
        _, share = self.overflow_share(usage, **params)
        api_parts = self.api.cost_parts(scale_usage(usage, share), context, **split["api"])
        parts = combine_parts([("fleet", fleet_parts), ("api", api_parts)])
        parts.unserved_tokens = np.zeros_like(usage.total * share)
        return parts

    def split(self, usage: Usage) -> pd.DataFrame:
        """Tokens served by the fleet and by the API, month by month.

        Returns
        -------
        DataFrame
            Indexed by month: ``tokens``, ``fleet_tokens``, ``api_tokens``, ``api_share``
            and ``replicas``.
        """
        arrays = usage.arrays()
        replicas, share = self.overflow_share(arrays)
        total = arrays.total
        return pd.DataFrame(
            {
                "tokens": total,
                "fleet_tokens": total * (1.0 - share),
                "api_tokens": total * share,
                "api_share": share,
                "replicas": replicas,
            },
            index=pd.Index(usage.months, name="month"),
        )

    def __repr__(self) -> str:
        how = ""
        if self.max_replicas is not None:
            how += f", max_replicas={self.max_replicas}"
        if self.sizing_peak_to_average is not None:
            how += f", sized for peak/avg {self.sizing_peak_to_average:g}"
        return f"Overflow({self.name!r}: fleet {self.fleet.name!r}, api {self.api.name!r}{how})"

    __str__ = __repr__


# --------------------------------------------------------------------------- switches
def switch_parts(
    first: Option,
    then: Option,
    month: int,
    usage: UsageArrays,
    context: CostContext,
    first_params: Mapping[str, Any],
    then_params: Mapping[str, Any],
) -> CostParts:
    """Costs of ``first`` over months ``1..month`` and ``then`` over ``month+1..H``.

    Both are restricted to the context's window, if any; a part whose months are
    empty costs nothing and is not called.
    """
    lo, hi = _window(context, usage.months)
    parts: list[tuple[str, CostParts]] = []
    if min(month, hi) >= lo:
        ctx = replace(context, window=Window(lo, min(month, hi)))
        parts.append(("first", first.cost_parts(usage, ctx, **first_params)))
    if max(month + 1, lo) <= hi:
        ctx = replace(context, window=Window(max(month + 1, lo), hi))
        parts.append(("then", then.cost_parts(usage, ctx, **then_params)))
    return combine_parts(parts)


class _TwoPhase(Option):
    first: SerializeAsAny[Option]
    then: SerializeAsAny[Option]

    @property
    def data_leaves_environment(self) -> bool:
        return data_leaves(self.first) or data_leaves(self.then)

    def _parts(self) -> dict[str, Option]:
        return {"first": self.first, "then": self.then}


class Switch(_TwoPhase):
    """Serve months ``1..month`` with ``first``, months ``month+1..H`` with ``then``.

    ``then``'s one-time costs (setup, hardware) fall at the start of month ``month + 1``
    and its fleet is sized from that month on; ``month=0`` uses ``then`` from the start and
    ``month >= H`` never switches (DESIGN.md). Hardware bought for ``first`` is kept (and
    its residual value reported) after the switch.

    Parameters
    ----------
    first, then : Option
        Options before and after the switch (any option, strategies included).
    month : int
        Last month served by ``first``. [month, >= 0]
    name : str, optional
        Defaults to ``"<first> -> <then> from month <month + 1>"``.

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=4, output_share=0.5)
    >>> a = tco.VendorAPI("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    >>> b = tco.VendorAPI("b", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, setup_usd=500)
    >>> s = tco.Switch(a, b, month=1)
    >>> s.name
    'a -> b from month 2'
    >>> tco.simulate([s], usage).monthly()[s.name].tolist()
    [2000.0, 1500.0, 1000.0, 1000.0]
    """

    month: Annotated[int, Field(ge=0, le=100_000)]

    def __init__(
        self,
        first: Option | None = None,
        then: Option | None = None,
        month: int | None = None,
        /,
        **data: Any,
    ) -> None:
        for key, value in (("first", first), ("then", then), ("month", month)):
            if value is not None:
                data[key] = value
        super().__init__(**data)

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and "name" not in data:
            first, then, month = data.get("first"), data.get("then"), data.get("month")
            if isinstance(first, Option) and isinstance(then, Option) and isinstance(month, int):
                data = {**data, "name": f"{first.name} -> {then.name} from month {month + 1}"}
        return data

    def core_params(self) -> dict[str, Any]:
        return prefixed_params(self._parts())

    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **params: Any
    ) -> CostParts:
        """Costs of both phases (see :meth:`core_params` for the overrides)."""
        split = split_params(params, self._parts())
        return switch_parts(
            self.first,
            self.then,
            self.month,
            usage,
            context or CostContext(),
            split["first"],
            split["then"],
        )

    def __repr__(self) -> str:
        return (
            f"Switch({self.name!r}: {self.first.name!r} for months 1..{self.month}, "
            f"then {self.then.name!r})"
        )

    __str__ = __repr__


def volume_switch_month(tokens: np.ndarray, threshold: Any) -> np.ndarray:
    """Switch month ``s`` for a volume threshold: ``then`` serves from the first month
    whose volume reaches ``threshold`` (``s = that month - 1``), or ``s = H`` if none does.

    Examples
    --------
    >>> volume_switch_month(np.array([1.0, 3.0, 2.0, 5.0]), np.array([0.5, 2.0, 4.0, 9.0]))
    array([0, 1, 3, 4])
    """
    tokens = np.asarray(tokens, dtype=float)
    thr = np.asarray(threshold, dtype=float)[..., None]
    reached = tokens >= thr
    months = tokens.shape[-1]
    return np.where(reached.any(axis=-1), reached.argmax(axis=-1), months)


class SwitchOnVolume(_TwoPhase):
    """Serve with ``first`` until monthly volume reaches a threshold, then with ``then``.

    ``then`` serves from the first month whose (forecast) volume, input plus output, is at
    least ``threshold_tokens_per_month``, and keeps serving after it even if volume falls
    back; if no month reaches it, ``first`` serves the whole horizon. In a batch (the
    threshold or the usage varying per draw) each draw switches in its own month.

    Parameters
    ----------
    first, then : Option
    threshold_tokens_per_month : float
        Volume at which to move. [tokens/month]
    name : str, optional

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.linear(1e9, 4e9, months=4, output_share=0.5)
    >>> a = tco.VendorAPI("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    >>> b = tco.VendorAPI("b", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    >>> s = tco.SwitchOnVolume(a, b, threshold_tokens_per_month=2.5e9)
    >>> s.switch_month(usage)
    2
    >>> tco.simulate([s], usage).monthly()[s.name].tolist()
    [2000.0, 4000.0, 3000.0, 4000.0]
    """

    threshold_tokens_per_month: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]

    def __init__(
        self,
        first: Option | None = None,
        then: Option | None = None,
        /,
        **data: Any,
    ) -> None:
        for key, value in (("first", first), ("then", then)):
            if value is not None:
                data[key] = value
        super().__init__(**data)

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and "name" not in data:
            first, then = data.get("first"), data.get("then")
            thr = data.get("threshold_tokens_per_month")
            if isinstance(first, Option) and isinstance(then, Option) and thr is not None:
                data = {**data, "name": f"{first.name} -> {then.name} at {thr:.3g} tokens/month"}
        return data

    def core_params(self) -> dict[str, Any]:
        return {"threshold_tokens_per_month": self.threshold_tokens_per_month} | prefixed_params(
            self._parts()
        )

    def switch_month(self, usage: Usage) -> int:
        """The switch month ``s`` for ``usage`` (``H``: never switches)."""
        return int(volume_switch_month(usage.tokens, self.threshold_tokens_per_month))

    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **params: Any
    ) -> CostParts:
        """Costs of both phases, switching per draw (see :meth:`core_params`)."""
        context = context or CostContext()
        params = dict(params)
        threshold = params.pop("threshold_tokens_per_month", self.threshold_tokens_per_month)
        split = split_params(params, self._parts())
        months = volume_switch_month(usage.total, threshold)
        distinct = np.unique(months)
        if distinct.size == 1 and months.ndim == 0:
            s = int(distinct[0])
            return switch_parts(
                self.first, self.then, s, usage, context, split["first"], split["then"]
            )
        selected: list[tuple[str, CostParts]] = []
        for s in distinct:
            parts = switch_parts(
                self.first, self.then, int(s), usage, context, split["first"], split["then"]
            )
            pick = months == s
            selected.append((f"s{s}", _select(parts, pick)))
        return combine_parts(selected)

    def __repr__(self) -> str:
        return (
            f"SwitchOnVolume({self.name!r}: {self.first.name!r} until "
            f"{self.threshold_tokens_per_month:.4g} tokens/month, then {self.then.name!r})"
        )

    __str__ = __repr__


def _select(parts: CostParts, pick: np.ndarray) -> CostParts:
    """The draws of ``parts`` where ``pick`` (shape: batch) is True; zero elsewhere."""
    mask = pick[..., None].astype(float)

    def sel(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {k: v * mask for k, v in group.items()}

    return CostParts(
        upfront=sel(parts.upfront),
        recurring=sel(parts.recurring),
        end=sel(parts.end),
        gpus=None if parts.gpus is None else parts.gpus * mask,
        unserved_tokens=None if parts.unserved_tokens is None else parts.unserved_tokens * mask,
        residual_usd=np.asarray(parts.residual_usd) * pick,
    )


__all__ = [
    "Overflow",
    "Switch",
    "SwitchOnVolume",
    "combine_parts",
    "data_leaves",
    "volume_switch_month",
]
