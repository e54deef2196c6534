"""Token volumes per month: the workload every option is costed against.

A :class:`Usage` stores the total monthly token volume (input + output) for months
``1..H`` (a curve from :mod:`tco.core.curves`, or given values) together with the shape of
that volume: the output share, the share of input served from a prefix cache, the
peak-to-average ratio, the operating hours per month and, optionally, the mean tokens per
request. :class:`UsageArrays` is what the cost engine reads: input, output and cached input
tokens and requests per month, split from the totals in one place (:meth:`UsageArrays.split`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tco.core.arrays import UsageArrays
from tco.core.curves import (
    CompoundCurve,
    ConstantCurve,
    Curve,
    LinearCurve,
    LogisticCurve,
    SeriesCurve,
    per_month,
    series_values,
)
from tco.core.params import Param, vary
from tco.core.units import (
    HOURS_PER_MONTH,
    NonNegative,
    Number,
    Positive,
    Share,
    is_real,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Usage"]


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
    tokens_per_request : float, optional
        Mean input + output tokens of a request, for per-request costs; unset, the usage
        has no request count. [tokens]
    bytes_per_request : float, optional
        Mean bytes a request sends back out (prompt and response over the network), for
        egress charges; needs ``tokens_per_request``. [bytes]
    cache_write_share : float
        Share of input tokens written to a vendor's prompt cache (billed at its cache-write
        price instead of the input price). [0-1]
    reasoning_per_output : float
        Hidden reasoning tokens per visible output token: billed as output by a vendor,
        decoded by a fleet. [-]
    request_length_mix : tuple of (input tokens, share) pairs, optional
        How the input tokens split by request length, e.g. ``((8_000, 0.9), (300_000,
        0.1))``: 10 % of the tokens come in requests of 300,000 input tokens. A vendor's
        long-context prices apply to the share above its threshold. [tokens, 0-1]
    calendar_start : date, optional
        Calendar month of month 1 (its first day); default: the current month. Dated events
        (a model's retirement) fall in the right month by it.
    seasonality : tuple of 12 float, optional
        Multipliers per calendar month, applied to the curve. [-]
    start_month : int
        Calendar month (1-12) of month 1, to align seasonality (``calendar_start`` sets it
        too).

    Examples
    --------
    >>> u = Usage.compound(start=1e9, monthly_growth=0.1, months=3, output_share=0.25)
    >>> u.output_tokens
    array([2.500e+08, 2.750e+08, 3.025e+08])
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    curve: Curve
    output_share: Annotated[Share, Param("output share of tokens", "share")]
    cached_input_share: Annotated[Share, Param("cached share of input", "share")] = 0.0
    peak_to_average: Annotated[
        Number, Field(ge=1.0, le=1000.0), Param("peak-to-average load", "ratio")
    ] = 1.0
    operating_hours_per_month: Annotated[
        Number, Field(gt=0.0, le=HOURS_PER_MONTH), Param("operating hours", "h/month")
    ] = HOURS_PER_MONTH
    tokens_per_request: Annotated[Positive, Param("tokens per request", "tokens")] | None = None
    bytes_per_request: Annotated[Positive, Param("bytes per request", "bytes")] | None = None
    cache_write_share: Annotated[Share, Param("cache-write share of input", "share")] = 0.0
    reasoning_per_output: Annotated[
        NonNegative, Param("reasoning tokens per output token", "ratio")
    ] = 0.0
    request_length_mix: tuple[tuple[Positive, Share], ...] | None = None
    calendar_start: date | None = None
    seasonality: tuple[Positive, ...] | None = None
    start_month: Annotated[int, Field(ge=1, le=12, strict=True)] = 1

    @field_validator("seasonality")
    @classmethod
    def _twelve(cls, v: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if v is not None and len(v) != 12:
            raise ValueError(f"needs 12 monthly multipliers (January..December), got {len(v)}")
        return v

    @field_validator("request_length_mix")
    @classmethod
    def _shares_add_up(
        cls, v: tuple[tuple[float, float], ...] | None
    ) -> tuple[tuple[float, float], ...] | None:
        if v is not None and (not v or abs(sum(s for _, s in v) - 1.0) > 1e-6):
            raise ValueError(
                f"shares add up to {sum(s for _, s in v):.6g} -> (input tokens, share) pairs "
                "whose shares add up to 1"
            )
        return v

    @model_validator(mode="before")
    @classmethod
    def _month_from_calendar(cls, data: Any) -> Any:
        """``start_month`` follows ``calendar_start`` unless given (then they must agree)."""
        if not isinstance(data, dict) or "start_month" in data:
            return data
        start = data.get("calendar_start")
        if isinstance(start, str):
            try:
                start = date.fromisoformat(start)
            except ValueError:
                return data  # the field's own validation names the bad value
        return {**data, "start_month": start.month} if isinstance(start, date) else data

    @field_validator("calendar_start")
    @classmethod
    def _first_of_month(cls, v: date | None) -> date | None:
        return None if v is None else v.replace(day=1)

    @model_validator(mode="after")
    def _one_calendar(self) -> Usage:
        first = self.calendar_start
        given = "start_month" in self.model_fields_set
        if first is not None and given and self.start_month != first.month:
            raise ValueError(
                f"start_month: {self.start_month} but calendar_start is {first:%Y-%m} -> "
                "give one of them"
            )
        return self

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
        values = series_values(series, "series")
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
        The usage keeps the tokens per request, so per-request costs can be counted.

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
            if not (is_real(value) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name}: {value!r} -> must be a finite number >= 0")
        if months is not None and not (is_real(months) and float(months).is_integer()):
            raise ValueError(f"months: {months!r} -> a whole number of months >= 1")
        per_request = input_tokens_per_request + output_tokens_per_request
        if per_request <= 0:
            raise ValueError("input_tokens_per_request + output_tokens_per_request must be > 0")
        requests = per_month(requests_per_month, months, "requests_per_month")
        values = series_values([r * per_request for r in requests], "requests_per_month")
        shape.setdefault("output_share", output_tokens_per_request / per_request)
        shape.setdefault("tokens_per_request", per_request)
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
        return self._seasonal(self.curve.tokens_array())

    def param_children(self) -> dict[str, BaseModel]:
        """The curve's parameters are the usage's own (``"usage.start"``)."""
        return {"": self.curve}

    def with_param_children(self, children: Mapping[str, Any]) -> Usage:
        return self.model_copy(update={"curve": children[""]})

    @property
    def first_month(self) -> date:
        """Calendar month of month 1 (its first day): ``calendar_start``, or the current
        month."""
        if self.calendar_start is not None:
            return self.calendar_start
        return date.today().replace(day=1)

    def _seasonal(self, tokens: np.ndarray) -> np.ndarray:
        if self.seasonality is None:
            return tokens
        first = self.start_month if self.calendar_start is None else self.calendar_start.month
        calendar = (first - 1 + np.arange(self.horizon)) % 12
        return tokens * np.asarray(self.seasonality)[calendar]

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
        """Token arrays for the engine; any declared parameter of the usage or its curve may
        be overridden by a number or an array of shape ``(n,)`` for a batch of n scenarios
        (months are appended as the last axis, as for every other engine parameter).

        Examples
        --------
        >>> u = Usage.constant(100.0, months=2, output_share=0.5)
        >>> u.arrays(tokens=np.array([100.0, 200.0]), output_share=np.array([0.1, 0.5])).output
        array([[ 10.,  10.],
               [100., 100.]])
        """
        usage: Usage = vary(self, override)
        return UsageArrays.split(
            usage.tokens,
            output_share=usage.output_share,
            cached_input_share=usage.cached_input_share,
            peak_to_average=usage.peak_to_average,
            operating_hours=usage.operating_hours_per_month,
            tokens_per_request=usage.tokens_per_request,
            bytes_per_request=usage.bytes_per_request,
            cache_write_share=usage.cache_write_share,
            reasoning_per_output=usage.reasoning_per_output,
            length_mix=usage.request_length_mix,
            start=usage.first_month,
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
