"""The observed decline of vendor API prices, fitted from ``api_price_history.csv``.

Each history row is one point: the date its prices took effect and the price of a
reference request mix, ``(1 - output_share) * input + output_share * output`` [USD per
million tokens of the mix]. Within a provider and tier (a vendor's flagship, mid or small
line, successors included) the points are fitted by least squares on a log scale,

    log(price) = a + b * t    (t in years),

so the fitted annual decline is ``1 - exp(b)`` (0.3 = 30 % cheaper each year). A fit over
several tiers (``tier=None`` in :func:`observed_trend`, or the ``all`` rows of
:func:`observed_decline`) gives each tier its own level ``a`` and shares the slope ``b``:
like is compared with like, and a flagship launch does not read as a price rise of the
small line. Announced prices that take effect after ``today`` are left out.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.core.presets import TrendPreset, from_fit

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = [
    "DECLINE_COLUMNS",
    "MIN_POINTS",
    "fit_decline",
    "observed_decline",
    "observed_preset",
    "pooled_decline",
]

MIN_POINTS = 3
"""Fewest points (on at least two dates) a fit needs."""

DECLINE_COLUMNS = [
    "provider",
    "tier",
    "annual_decline",
    "points",
    "models",
    "first",
    "last",
    "span_years",
]
"""Columns of the table :func:`observed_decline` returns."""

_DAYS_PER_YEAR = 365.25


def fit_decline(years: Any, log_prices: Any, groups: Any) -> float:
    """The annual decline of a log-linear fit with one level per group.

    Parameters
    ----------
    years : array_like
        Time of each point. [years]
    log_prices : array_like
        Natural log of each point's price.
    groups : array_like
        Group label of each point (a tier, or provider and tier): each gets its own level.

    Returns
    -------
    float
        ``1 - exp(slope)``. [share per year]

    Examples
    --------
    Prices halving every year, at two levels:

    >>> t = [0.0, 1.0, 2.0, 0.0, 1.0]
    >>> y = [math.log(8), math.log(4), math.log(2), math.log(1), math.log(0.5)]
    >>> round(fit_decline(t, y, ["a", "a", "a", "b", "b"]), 6)
    0.5
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(log_prices, dtype=float)
    labels = list(groups)
    levels = sorted(set(labels))
    design = np.column_stack([t, *[[1.0 if g == lv else 0.0 for g in labels] for lv in levels]])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(1.0 - math.exp(coef[0]))


def _points(history: pd.DataFrame, output_share: float, today: date | None) -> pd.DataFrame:
    """The history rows as fit points: provider, tier, model, date, years, log price."""
    if not 0.0 <= output_share <= 1.0:
        raise ValueError(f"output_share: {output_share!r} -> a share in [0, 1]")
    cut = pd.Timestamp(today or date.today())
    df = history.loc[pd.to_datetime(history["effective_from"]) <= cut].copy()
    df["date"] = pd.to_datetime(df["effective_from"])
    price = (1.0 - output_share) * df["input_usd_per_mtok"] + output_share * df[
        "output_usd_per_mtok"
    ]
    df = df.loc[price > 0]  # a free price has no log; it says nothing about a trend
    df["log_price"] = np.log(price.loc[df.index].astype(float))
    origin = pd.Timestamp("2020-01-01")
    df["years"] = (df["date"] - origin).dt.days / _DAYS_PER_YEAR
    return df[["provider", "tier", "model", "date", "years", "log_price"]]


def _fit_row(provider: str, tier: str, group: pd.DataFrame, levels: list[str]) -> dict | None:
    """One row of the decline table, or None when the group is too small to fit."""
    if len(group) < MIN_POINTS or group["date"].nunique() < 2:
        return None
    first, last = group["date"].min(), group["date"].max()
    return {
        "provider": provider,
        "tier": tier,
        "annual_decline": fit_decline(group["years"], group["log_price"], levels),
        "points": len(group),
        "models": group["model"].nunique(),
        "first": first,
        "last": last,
        "span_years": (last - first).days / _DAYS_PER_YEAR,
    }


def observed_decline(
    history: pd.DataFrame,
    provider: str | None = None,
    tier: str | None = None,
    *,
    output_share: float = 0.25,
    today: date | None = None,
) -> pd.DataFrame:
    """The fitted annual price decline per provider and tier.

    Parameters
    ----------
    history : pandas.DataFrame
        ``api_price_history.csv`` as a table (``PricingCatalog.price_history``).
    provider, tier : str, optional
        Only this provider / tier (None: each).
    output_share : float
        Output tokens' share of the reference request mix. [0-1]
    today : datetime.date, optional
        Prices taking effect after it are left out (default: today).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DECLINE_COLUMNS`: ``annual_decline`` [share per year; negative when
        prices rose], ``points`` (history rows), ``models``, ``first`` and ``last`` (dates),
        ``span_years``. One row per provider and tier with at least :data:`MIN_POINTS`
        points on two dates, then per provider a row with tier ``all`` (one level per
        tier, a shared slope) when ``tier`` is not given.
    """
    points = _points(history, output_share, today)
    if provider is not None:
        points = points.loc[points["provider"] == provider]
    if tier is not None:
        points = points.loc[points["tier"] == tier]
    rows = []
    for name, by_provider in points.groupby("provider", sort=True):
        for level, group in by_provider.groupby("tier", sort=True):
            rows.append(_fit_row(str(name), str(level), group, [str(level)] * len(group)))
        if tier is None and by_provider["tier"].nunique() > 1:
            rows.append(_fit_row(str(name), "all", by_provider, list(by_provider["tier"])))
    frame = pd.DataFrame.from_records([r for r in rows if r], columns=DECLINE_COLUMNS)
    return frame.astype({"points": "int64", "models": "int64"})


def pooled_decline(
    history: pd.DataFrame,
    provider: str | None = None,
    tier: str | None = None,
    *,
    output_share: float = 0.25,
    today: date | None = None,
) -> tuple[float, int, float]:
    """One decline over the chosen rows: ``(decline, points, span in years)``.

    Each provider and tier gets its own level. Raises ValueError when there are too few
    points.
    """
    points = _points(history, output_share, today)
    if provider is not None:
        points = points.loc[points["provider"] == provider]
    if tier is not None:
        points = points.loc[points["tier"] == tier]
    asked = ", ".join(f"{k}={v!r}" for k, v in (("provider", provider), ("tier", tier)) if v)
    if len(points) < MIN_POINTS or points["date"].nunique() < 2:
        raise ValueError(
            f"too few price-history points to fit a trend ({len(points)} for "
            f"{asked or 'all providers'}; at least {MIN_POINTS} on two dates are needed)"
        )
    levels = list(points["provider"] + "/" + points["tier"])
    decline = fit_decline(points["years"], points["log_price"], levels)
    span = (points["date"].max() - points["date"].min()).days / _DAYS_PER_YEAR
    return decline, len(points), span


def observed_preset(
    history: pd.DataFrame,
    provider: str | None = None,
    tier: str | None = None,
    *,
    output_share: float = 0.25,
    today: date | None = None,
) -> TrendPreset:
    """The ``observed`` price-trend preset, fitted now from ``history``.

    The fit is :func:`pooled_decline`'s; the preset follows
    :func:`tco.core.presets.from_fit`: a fall is used as it is, a rise is reported in the
    summary and ``fitted_decline`` and the preset is 0 (flat), since
    ``annual_price_decline`` takes a decline in [0, 1).

    Parameters
    ----------
    history : pandas.DataFrame
        ``api_price_history.csv`` as a table (``PricingCatalog.price_history``).
    provider, tier : str, optional
        Only this provider / tier (None: each, with its own level).
    output_share : float
        Output tokens' share of the reference request mix. [0-1]
    today : datetime.date, optional
        Prices taking effect after it are left out (default: today).

    Returns
    -------
    TrendPreset
        Named ``observed`` (with the provider and tier when given); its sources are the
        ``source`` cells of the rows fitted.

    Raises
    ------
    ValueError
        Too few points to fit (:data:`MIN_POINTS` on two dates).
    """
    decline, points, span = pooled_decline(
        history, provider, tier, output_share=output_share, today=today
    )
    when = (today or date.today()).isoformat()
    scope = "/".join(x for x in (provider, tier) if x) or "every provider and tier"
    used = pd.to_datetime(history["effective_from"]) <= pd.Timestamp(today or date.today())
    if provider is not None:
        used &= history["provider"] == provider
    if tier is not None:
        used &= history["tier"] == tier
    name = "observed" if provider is None and tier is None else f"observed ({scope})"
    what = (
        f"the price history of {scope} ({points} list prices over {span:.1f} years, "
        f"in effect on {when})"
    )
    return from_fit(name, decline, what, sorted(set(history.loc[used, "source"])))
