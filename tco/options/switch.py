"""Switching strategies: from one option to another at a month, or at a monthly volume."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import numpy as np
from pydantic import Field, SerializeAsAny, model_validator

from tco.core.arrays import UsageArrays
from tco.core.option import Option, data_leaves
from tco.core.params import Param
from tco.core.parts import CostContext, CostParts, Window
from tco.core.units import NonNegative, WholeNumber
from tco.core.usage import Usage
from tco.options.composite import combine_parts, select_draws

__all__ = ["Switch", "SwitchOnVolume", "switch_parts", "volume_switch_month"]


def switch_parts(
    first: Option, then: Option, month: int, usage: UsageArrays, context: CostContext
) -> CostParts:
    """Costs of ``first`` over months ``1..month`` and ``then`` over ``month+1..H``.

    Both are restricted to the context's window, if any; a part whose months are
    empty costs nothing and is not called.
    """
    lo, hi = context.bounds(usage.months)
    parts: list[tuple[str, CostParts]] = []
    if min(month, hi) >= lo:
        ctx = replace(context, window=Window(lo, min(month, hi)))
        parts.append(("first", first.costs(usage, ctx)))
    if max(month + 1, lo) <= hi:
        ctx = replace(context, window=Window(max(month + 1, lo), hi))
        parts.append(("then", then.costs(usage, ctx)))
    return combine_parts(parts)


class _TwoPhase(Option):
    first: SerializeAsAny[Option]
    then: SerializeAsAny[Option]

    @property
    def data_leaves_environment(self) -> bool:
        return data_leaves(self.first) or data_leaves(self.then)


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

    month: Annotated[WholeNumber, Field(ge=0, le=100_000)]

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

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Costs of both phases."""
        return switch_parts(self.first, self.then, self.month, usage, context)

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

    threshold_tokens_per_month: Annotated[NonNegative, Param("switch volume", "tokens/month")]

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

    def switch_month(self, usage: Usage) -> int:
        """The switch month ``s`` for ``usage`` (``H``: never switches)."""
        return int(volume_switch_month(usage.tokens, self.threshold_tokens_per_month))

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Costs of both phases, switching per draw."""
        months = volume_switch_month(usage.total, self.threshold_tokens_per_month)
        distinct = np.unique(months)
        if distinct.size == 1 and months.ndim == 0:
            return switch_parts(self.first, self.then, int(distinct[0]), usage, context)
        selected: list[tuple[str, CostParts]] = []
        for s in distinct:
            parts = switch_parts(self.first, self.then, int(s), usage, context)
            selected.append((f"s{s}", select_draws(parts, months == s)))
        return combine_parts(selected)

    def __repr__(self) -> str:
        return (
            f"SwitchOnVolume({self.name!r}: {self.first.name!r} until "
            f"{self.threshold_tokens_per_month:.4g} tokens/month, then {self.then.name!r})"
        )

    __str__ = __repr__
