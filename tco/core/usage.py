"""Token volumes per month: growth curves, actuals, seasonality and load shape.

A :class:`Usage` is the workload every option is costed against. It stores the
total monthly token volume (input + output) for months ``1..H`` together with the
shape of that volume: the output share, the share of input served from a prefix
cache, the peak-to-average ratio and the operating hours per month.

The curve functions (:func:`constant_tokens`, :func:`compound_tokens`, ...) are
pure numpy and broadcast over their parameters, so a batch of scenarios is one call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

HOURS_PER_MONTH = 730.0
"""Hours in an average month: 8,760 / 12. [h]"""

Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]


# --------------------------------------------------------------------------- curves
def _month_index(months: int) -> np.ndarray:
    return np.arange(months, dtype=float)


def constant_tokens(tokens: Any, months: int) -> np.ndarray:
    """Same volume every month.

    Parameters
    ----------
    tokens : numeric
        Monthly tokens (input + output). [tokens/month]
    months : int
        Horizon H. [months]

    Examples
    --------
    >>> constant_tokens(5.0, 3)
    array([5., 5., 5.])
    """
    return np.asarray(tokens, dtype=float)[..., None] * np.ones(months)


def linear_tokens(start: Any, end: Any, months: int) -> np.ndarray:
    """Straight line from ``start`` in month 1 to ``end`` in month H.

    Examples
    --------
    >>> linear_tokens(10.0, 30.0, 3)
    array([10., 20., 30.])
    """
    start = np.asarray(start, dtype=float)[..., None]
    end = np.asarray(end, dtype=float)[..., None]
    if months == 1:
        return start * np.ones(1)
    frac = _month_index(months) / (months - 1)
    return start + (end - start) * frac


def compound_tokens(start: Any, monthly_growth: Any, months: int) -> np.ndarray:
    """Compound growth: ``start * (1 + monthly_growth) ** (m - 1)``.

    Examples
    --------
    >>> compound_tokens(100.0, 0.1, 3)
    array([100., 110., 121.])
    """
    start = np.asarray(start, dtype=float)[..., None]
    growth = np.asarray(monthly_growth, dtype=float)[..., None]
    return start * (1.0 + growth) ** _month_index(months)


def logistic_tokens(ceiling: Any, midpoint_month: Any, steepness: Any, months: int) -> np.ndarray:
    """S-curve adoption: ``ceiling / (1 + exp(-steepness * (m - midpoint_month)))``.

    Parameters
    ----------
    ceiling : numeric
        Volume the adoption tends to. [tokens/month]
    midpoint_month : numeric
        Month at which volume is half the ceiling. [month]
    steepness : numeric
        Logistic growth rate. [1/month]

    Examples
    --------
    >>> logistic_tokens(100.0, 2.0, 1.0, 3).round(2)
    array([26.89, 50.  , 73.11])
    """
    ceiling = np.asarray(ceiling, dtype=float)[..., None]
    mid = np.asarray(midpoint_month, dtype=float)[..., None]
    k = np.asarray(steepness, dtype=float)[..., None]
    month = _month_index(months) + 1.0
    with np.errstate(over="ignore"):  # exp -> inf long before the midpoint: volume 0, exact
        return ceiling / (1.0 + np.exp(-k * (month - mid)))


# --------------------------------------------------------------------------- curve specs
class _Curve(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    months: Annotated[int, Field(ge=1, le=1200)]


class ConstantCurve(_Curve):
    """Spec of :meth:`Usage.constant`."""

    kind: Literal["constant"] = "constant"
    tokens: NonNegative

    def tokens_array(self, **override: Any) -> np.ndarray:
        return constant_tokens(override.get("tokens", self.tokens), self.months)


class LinearCurve(_Curve):
    """Spec of :meth:`Usage.linear`."""

    kind: Literal["linear"] = "linear"
    start: NonNegative
    end: NonNegative

    def tokens_array(self, **override: Any) -> np.ndarray:
        return linear_tokens(
            override.get("start", self.start), override.get("end", self.end), self.months
        )


class CompoundCurve(_Curve):
    """Spec of :meth:`Usage.compound`."""

    kind: Literal["compound"] = "compound"
    start: NonNegative
    monthly_growth: Annotated[float, Field(gt=-1.0, le=10.0, allow_inf_nan=False)]

    def tokens_array(self, **override: Any) -> np.ndarray:
        return compound_tokens(
            override.get("start", self.start),
            override.get("monthly_growth", self.monthly_growth),
            self.months,
        )


class LogisticCurve(_Curve):
    """Spec of :meth:`Usage.logistic`."""

    kind: Literal["logistic"] = "logistic"
    ceiling: NonNegative
    midpoint_month: Annotated[float, Field(allow_inf_nan=False)]
    steepness: Positive

    def tokens_array(self, **override: Any) -> np.ndarray:
        return logistic_tokens(
            override.get("ceiling", self.ceiling),
            override.get("midpoint_month", self.midpoint_month),
            override.get("steepness", self.steepness),
            self.months,
        )


class SeriesCurve(_Curve):
    """Spec of :meth:`Usage.from_series` and :meth:`Usage.from_requests`: given totals."""

    kind: Literal["series"] = "series"
    values: tuple[NonNegative, ...]

    def tokens_array(self, **override: Any) -> np.ndarray:
        if "scale" in override:
            return np.asarray(override["scale"], dtype=float)[..., None] * np.asarray(self.values)
        return np.asarray(self.values, dtype=float)


Curve = Annotated[
    ConstantCurve | LinearCurve | CompoundCurve | LogisticCurve | SeriesCurve,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- arrays
@dataclass(frozen=True)
class UsageArrays:
    """Monthly token arrays of one usage, or of a batch (leading axes broadcast).

    All arrays have months on the last axis. ``cached_input`` is part of ``input``.
    """

    input: np.ndarray
    output: np.ndarray
    cached_input: np.ndarray
    peak_to_average: Any
    operating_hours: Any

    @property
    def months(self) -> int:
        return int(self.input.shape[-1])

    @property
    def uncached_input(self) -> np.ndarray:
        return self.input - self.cached_input

    @property
    def total(self) -> np.ndarray:
        return self.input + self.output


# --------------------------------------------------------------------------- Usage
class Usage(BaseModel):
    """Token volumes per month over a horizon of H months.

    Build one with a constructor: :meth:`constant`, :meth:`linear`, :meth:`compound`,
    :meth:`logistic`, :meth:`from_series` or :meth:`from_requests`.

    Parameters
    ----------
    curve : Curve
        How the monthly totals (input + output tokens) are generated. [tokens/month]
    output_share : float
        Output tokens as a share of all tokens. [0-1]
    cached_input_share : float
        Share of input tokens served from a prefix cache. [0-1]
    peak_to_average : float
        Peak load over average load within operating hours. [>= 1]
    operating_hours_per_month : float
        Hours per month in which the load arrives (730 = 24/7). [h]
    seasonality : tuple of 12 float, optional
        Multipliers per calendar month, applied to the curve. [-]
    start_month : int
        Calendar month (1-12) of month 1, to align seasonality.

    Examples
    --------
    >>> u = Usage.compound(start=1e9, monthly_growth=0.1, months=3, output_share=0.25)
    >>> u.output_tokens
    array([2.500e+08, 2.750e+08, 3.025e+08])
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    curve: Curve
    output_share: Share
    cached_input_share: Share = 0.0
    peak_to_average: Annotated[float, Field(ge=1.0, le=1000.0, allow_inf_nan=False)] = 1.0
    operating_hours_per_month: Annotated[
        float, Field(gt=0.0, le=HOURS_PER_MONTH, allow_inf_nan=False)
    ] = HOURS_PER_MONTH
    seasonality: tuple[Positive, ...] | None = None
    start_month: Annotated[int, Field(ge=1, le=12)] = 1

    @field_validator("seasonality")
    @classmethod
    def _twelve(cls, v: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if v is not None and len(v) != 12:
            raise ValueError(f"needs 12 monthly multipliers (January..December), got {len(v)}")
        return v

    @model_validator(mode="after")
    def _finite(self) -> Usage:
        with np.errstate(over="ignore", invalid="ignore"):
            tokens = self.tokens
        if not np.all(np.isfinite(tokens)):
            raise ValueError("curve gives non-finite token volumes; check its parameters")
        return self

    # ---------------------------------------------------------------- constructors
    @classmethod
    def constant(cls, tokens: float, months: int, **shape: Any) -> Usage:
        """The same ``tokens`` (input + output) every month for ``months`` months.

        Examples
        --------
        >>> Usage.constant(1e9, months=12, output_share=0.2).horizon
        12
        """
        return cls(curve=ConstantCurve(tokens=tokens, months=months), **shape)

    @classmethod
    def linear(cls, start: float, end: float, months: int, **shape: Any) -> Usage:
        """A straight line from ``start`` tokens in month 1 to ``end`` in month ``months``."""
        return cls(curve=LinearCurve(start=start, end=end, months=months), **shape)

    @classmethod
    def compound(cls, start: float, monthly_growth: float, months: int, **shape: Any) -> Usage:
        """``start * (1 + monthly_growth) ** (month - 1)`` tokens per month."""
        return cls(
            curve=CompoundCurve(start=start, monthly_growth=monthly_growth, months=months),
            **shape,
        )

    @classmethod
    def logistic(
        cls,
        ceiling: float,
        midpoint_month: float,
        steepness: float,
        months: int,
        **shape: Any,
    ) -> Usage:
        """S-curve adoption towards ``ceiling`` tokens/month, half-way at ``midpoint_month``."""
        return cls(
            curve=LogisticCurve(
                ceiling=ceiling, midpoint_month=midpoint_month, steepness=steepness, months=months
            ),
            **shape,
        )

    @classmethod
    def from_series(cls, series: Sequence[float] | np.ndarray | pd.Series, **shape: Any) -> Usage:
        """Monthly totals given as data (e.g. last year's actuals), one value per month.

        Examples
        --------
        >>> Usage.from_series([1e6, 2e6], output_share=0.5).output_tokens
        array([ 500000., 1000000.])
        """
        values = _series_values(series, "series")
        return cls(curve=SeriesCurve(values=values, months=len(values)), **shape)

    @classmethod
    def from_requests(
        cls,
        requests_per_month: float | Sequence[float] | np.ndarray | pd.Series,
        input_tokens_per_request: float,
        output_tokens_per_request: float,
        months: int | None = None,
        **shape: Any,
    ) -> Usage:
        """Requests per month times mean input and output tokens per request.

        ``requests_per_month`` is a number (then ``months`` is required) or one value per month.

        Examples
        --------
        >>> u = Usage.from_requests(1000, 700, 300, months=2)
        >>> u.input_tokens, u.output_tokens
        (array([700000., 700000.]), array([300000., 300000.]))
        """
        for name, value in (
            ("input_tokens_per_request", input_tokens_per_request),
            ("output_tokens_per_request", output_tokens_per_request),
        ):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name}: {value!r} -> must be a finite number >= 0")
        per_request = input_tokens_per_request + output_tokens_per_request
        if per_request <= 0:
            raise ValueError("input_tokens_per_request + output_tokens_per_request must be > 0")
        if np.ndim(requests_per_month) == 0:
            if months is None:
                raise ValueError("months: required when requests_per_month is a single number")
            requests = [float(requests_per_month)] * months  # type: ignore[arg-type]
        else:
            requests = list(_series_values(requests_per_month, "requests_per_month"))
            if months is not None and months != len(requests):
                raise ValueError(
                    f"months: {months} but requests_per_month has {len(requests)} values"
                )
        values = _series_values([r * per_request for r in requests], "requests_per_month")
        shape.setdefault("output_share", output_tokens_per_request / per_request)
        return cls(curve=SeriesCurve(values=values, months=len(values)), **shape)

    # ---------------------------------------------------------------- arrays
    @property
    def horizon(self) -> int:
        """Number of months H."""
        return self.curve.months

    @property
    def months(self) -> np.ndarray:
        """Month numbers ``1..H``."""
        return np.arange(1, self.horizon + 1)

    @property
    def tokens(self) -> np.ndarray:
        """Total tokens (input + output) per month, seasonality applied. [tokens/month]"""
        return self.tokens_for()

    def tokens_for(self, **override: Any) -> np.ndarray:
        """Totals per month with curve parameters overridden (arrays broadcast to a batch)."""
        tokens = self.curve.tokens_array(**override)
        if self.seasonality is not None:
            calendar = (self.start_month - 1 + np.arange(self.horizon)) % 12
            tokens = tokens * np.asarray(self.seasonality)[calendar]
        return tokens

    @property
    def input_tokens(self) -> np.ndarray:
        """Input tokens per month, cached ones included. [tokens/month]"""
        return self.tokens * (1.0 - self.output_share)

    @property
    def output_tokens(self) -> np.ndarray:
        """Output tokens per month. [tokens/month]"""
        return self.tokens * self.output_share

    @property
    def cached_input_tokens(self) -> np.ndarray:
        """Input tokens served from a prefix cache (part of ``input_tokens``). [tokens/month]"""
        return self.input_tokens * self.cached_input_share

    def arrays(self, **override: Any) -> UsageArrays:
        """Token arrays for the engine; any curve or shape parameter may be overridden
        by a number or an array of shape ``(n,)`` for a batch of n scenarios (months are
        appended as the last axis, as for every other engine parameter).

        Examples
        --------
        >>> u = Usage.constant(100.0, months=2, output_share=0.5)
        >>> u.arrays(tokens=np.array([100.0, 200.0]), output_share=np.array([0.1, 0.5])).output
        array([[ 10.,  10.],
               [100., 100.]])
        """
        curve_keys = set(type(self.curve).model_fields) - {"kind", "months"} | {"scale"}
        unknown = set(override) - curve_keys - _SHAPE_FIELDS
        if unknown:
            raise KeyError(f"unknown usage parameter(s) {sorted(unknown)}")
        total = self.tokens_for(**{k: v for k, v in override.items() if k in curve_keys})
        output_share = np.asarray(override.get("output_share", self.output_share))[..., None]
        cached_share = np.asarray(override.get("cached_input_share", self.cached_input_share))
        inp = total * (1.0 - output_share)
        return UsageArrays(
            input=inp,
            output=total * output_share,
            cached_input=inp * cached_share[..., None],
            peak_to_average=override.get("peak_to_average", self.peak_to_average),
            operating_hours=override.get(
                "operating_hours_per_month", self.operating_hours_per_month
            ),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per month: total, input, cached input, uncached input and output tokens."""
        return pd.DataFrame(
            {
                "tokens": self.tokens,
                "input_tokens": self.input_tokens,
                "cached_input_tokens": self.cached_input_tokens,
                "uncached_input_tokens": self.input_tokens - self.cached_input_tokens,
                "output_tokens": self.output_tokens,
            },
            index=pd.Index(self.months, name="month"),
        )

    def with_shape(self, **changes: Any) -> Usage:
        """A copy with shape fields changed (validated)."""
        return type(self).model_validate({**self.model_dump(), **changes})

    def __repr__(self) -> str:
        t = self.tokens
        return (
            f"Usage({self.curve.kind}, {self.horizon} months, "
            f"{t[0]:.3g} -> {t[-1]:.3g} tokens/month, output_share={self.output_share:g}, "
            f"cached_input_share={self.cached_input_share:g}, "
            f"peak_to_average={self.peak_to_average:g})"
        )


_SHAPE_FIELDS = {
    "output_share",
    "cached_input_share",
    "peak_to_average",
    "operating_hours_per_month",
}


def _series_values(series: Any, name: str) -> tuple[float, ...]:
    try:
        values = np.asarray(series, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {series!r} -> one number per month") from None
    if values.ndim > 1:
        raise ValueError(f"{name}: shape {values.shape} -> a 1-D sequence, one value per month")
    values = values.ravel()
    if values.size == 0:
        raise ValueError(f"{name}: empty -> needs at least one month")
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name}: value {float(values[i])!r} at position {i} (month {i + 1}) "
            "-> every month must be a finite number >= 0"
        )
    return tuple(float(v) for v in values)
