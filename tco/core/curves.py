"""Usage curves: how total monthly tokens (input + output) evolve over the horizon.

The curve functions (:func:`constant_tokens`, :func:`compound_tokens`, ...) are pure numpy
and broadcast over their parameters, so a batch of scenarios is one call. The curve specs
(:class:`ConstantCurve`, ...) are the validated models a :class:`~tco.Usage` holds; their
numeric fields are declared parameters (:mod:`tco.core.params`), so analyses can vary them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tco.core.params import Param
from tco.core.series import geometric
from tco.core.units import NonNegative, Number, Positive, is_real, refuse_flags

__all__ = [
    "CompoundCurve",
    "ConstantCurve",
    "Curve",
    "LinearCurve",
    "LogisticCurve",
    "SeriesCurve",
    "compound_tokens",
    "constant_tokens",
    "linear_tokens",
    "logistic_tokens",
    "per_month",
    "series_values",
]

TOKENS = "tokens/month"


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
    return start * geometric(1.0 + np.asarray(monthly_growth, dtype=float), months)


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


# --------------------------------------------------------------------------- specs
class _Curve(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    months: Annotated[int, Field(ge=1, le=1200, strict=True)]


class ConstantCurve(_Curve):
    """Spec of :meth:`~tco.Usage.constant`."""

    kind: Literal["constant"] = "constant"
    tokens: Annotated[NonNegative, Param("monthly tokens", TOKENS)]

    def tokens_array(self) -> np.ndarray:
        return constant_tokens(self.tokens, self.months)


class LinearCurve(_Curve):
    """Spec of :meth:`~tco.Usage.linear`."""

    kind: Literal["linear"] = "linear"
    start: Annotated[NonNegative, Param("tokens in month 1", TOKENS)]
    end: Annotated[NonNegative, Param("tokens in the last month", TOKENS)]

    def tokens_array(self) -> np.ndarray:
        return linear_tokens(self.start, self.end, self.months)


class CompoundCurve(_Curve):
    """Spec of :meth:`~tco.Usage.compound`."""

    kind: Literal["compound"] = "compound"
    start: Annotated[NonNegative, Param("tokens in month 1", TOKENS)]
    monthly_growth: Annotated[
        Number, Field(gt=-1.0, le=10.0), Param("monthly growth", "share per month")
    ]

    def tokens_array(self) -> np.ndarray:
        return compound_tokens(self.start, self.monthly_growth, self.months)


class LogisticCurve(_Curve):
    """Spec of :meth:`~tco.Usage.logistic`."""

    kind: Literal["logistic"] = "logistic"
    ceiling: Annotated[NonNegative, Param("adoption ceiling", TOKENS)]
    midpoint_month: Annotated[Number, Param("adoption midpoint", "month")]
    steepness: Annotated[Positive, Param("adoption steepness", "per month")]

    def tokens_array(self) -> np.ndarray:
        return logistic_tokens(self.ceiling, self.midpoint_month, self.steepness, self.months)


class SeriesCurve(_Curve):
    """Spec of :meth:`~tco.Usage.from_series` and :meth:`Usage.from_requests`: given totals,
    times ``scale`` (1 as given)."""

    kind: Literal["series"] = "series"
    values: tuple[NonNegative, ...]
    scale: Annotated[NonNegative, Param("scale of the series", "x")] = 1.0

    def tokens_array(self) -> np.ndarray:
        values = np.asarray(self.values, dtype=float)
        if np.ndim(self.scale) == 0 and self.scale == 1.0:
            return values
        return np.asarray(self.scale, dtype=float)[..., None] * values


Curve = Annotated[
    ConstantCurve | LinearCurve | CompoundCurve | LogisticCurve | SeriesCurve,
    Field(discriminator="kind"),
]


def series_values(series: Any, name: str) -> tuple[float, ...]:
    """One finite number >= 0 per month from ``series`` (a sequence, array or Series),
    else a ValueError naming ``name``, the bad value and its month."""
    refuse_flags(series, name)
    if isinstance(series, str | bytes):
        raise ValueError(f"{name}: {series!r} -> one number per month, not text")
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


def per_month(value: Any, months: int | None, name: str) -> tuple[float, ...]:
    """``value`` for each of ``months`` months: one number repeated (``months`` then
    required), or one value per month (``months``, when given, must match)."""
    if np.ndim(value) == 0:
        if not is_real(value):
            raise ValueError(f"{name}: {value!r} -> a number, or one per month")
        if months is None:
            raise ValueError(f"months: required when {name} is a single number")
        return (float(value),) * months
    values = series_values(value, name)
    if months is not None and months != len(values):
        raise ValueError(f"months: {months} but {name} has {len(values)} values")
    return values
