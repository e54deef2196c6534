"""When does the candidate overtake the baseline? In time (break_even) and in volume.

Cumulative cost is piecewise linear in continuous time ``t`` (months): one-time costs
jump at month starts, recurring costs accrue linearly within their month, credits at
the horizon fall at its end. Break-even ``t*`` is the earliest time after which the
candidate's cumulative cost stays at or below the baseline's until the horizon
(DESIGN.md). With constant monthly costs that is the payback formula
``upfront / (baseline_monthly - candidate_monthly)``.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tco.analysis.simulate import Simulation, cost_path, simulate
from tco.core.costs import CostContext, Option
from tco.core.usage import Usage, UsageArrays

REL_TOL = 1e-9
"""Differences smaller than this share of the costs involved count as equal."""

_VOLUME_REL_TOL = 1e-12
"""In :func:`break_even_volume`, monthly costs this close (relative) count as equal: well
above float noise, small enough to keep the volume threshold exact to ~1e-12."""

_MAX_REFINEMENTS = 200
"""Rounds of interval halving in :func:`break_even_volume` (float precision comes first)."""


def break_even_months(
    up: np.ndarray, rec: np.ndarray, end: np.ndarray, tol: Any = 0.0
) -> np.ndarray:
    """Break-even time from the candidate-minus-baseline cost differences. [months]

    Parameters
    ----------
    up, rec, end : ndarray, shape (..., H)
        Differences (candidate - baseline) of one-time costs at month starts, recurring
        costs over each month, and end-of-month credits. [USD]
    tol : numeric
        Differences up to ``tol`` count as zero. [USD]

    Returns
    -------
    ndarray, shape (...)
        ``t*`` in months: 0.0 when the candidate is never more expensive, ``inf`` when it
        is more expensive at the horizon.

    Notes
    -----
    With ``C`` the cumulative difference, month m starts at ``a = C[m-1] + up[m]`` and
    ends at ``b = a + rec[m]``. If ``b > 0`` the difference is positive just before m,
    so ``t* >= m``; else if ``a > 0`` it crosses zero inside month m at
    ``m - 1 + a / (a - b)`` (at most ``m``: a ``b`` within ``tol`` of zero counts as
    zero, so float noise never pushes ``t*`` past a month end). ``t*`` is the latest
    such time.

    Examples
    --------
    Candidate pays 1,000 up front and saves 300 a month: payback 3.33 months.

    >>> float(break_even_months(np.array([1000.0, 0, 0, 0, 0]), np.full(5, -300.0),
    ...                          np.zeros(5)).round(4))
    3.3333
    """
    cum_end = np.cumsum(up + rec + end, axis=-1)
    prev = np.concatenate([np.zeros_like(cum_end[..., :1]), cum_end[..., :-1]], axis=-1)
    a = prev + up
    b = a + rec
    tol = np.asarray(tol, dtype=float)
    # each month's candidate time lies in [m - 1, m], so the latest is the one of the last
    # month with a > tol or b > tol: evaluate the formula there only (fast for a batch)
    over = (a > tol[..., None]) | (b > tol[..., None])
    if over.shape != a.shape:  # tol has leading axes the paths lack
        a, b, cum_end = (np.broadcast_to(x, over.shape) for x in (a, b, cum_end))
    last = over.shape[-1] - 1 - np.argmax(over[..., ::-1], axis=-1)
    if over.ndim == 1:
        a_l, b_l = a[last], b[last]
    else:
        a_l = np.take_along_axis(a, last[..., None], axis=-1)[..., 0]
        b_l = np.take_along_axis(b, last[..., None], axis=-1)[..., 0]
    month = last + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = month - 1.0 + np.clip(a_l / (a_l - b_l), 0.0, 1.0)
    t_star = np.where(over.any(axis=-1), np.where(b_l > tol, month, inside), 0.0)
    return np.where(cum_end[..., -1] > tol, np.inf, t_star)


def _scale(*paths: np.ndarray) -> np.ndarray:
    """Magnitude of the costs in play, for a tolerance relative to them."""
    return sum(np.abs(p).sum(axis=-1) for p in paths) * REL_TOL


def never_reason(up: np.ndarray, rec: np.ndarray, end: np.ndarray) -> str:
    """Words for why a candidate does not break even (1-D difference paths)."""
    horizon = up.shape[-1]
    cum = float(np.sum(up + rec + end))
    if np.all(rec >= -REL_TOL * np.abs(rec).max()):
        return "candidate never cheaper per month"
    if rec[-1] >= 0:
        return "candidate not cheaper per month at the end of the horizon"
    more = cum / -rec[-1]
    return (
        f"horizon too short: would break even at month {horizon + math.ceil(more - 1e-9)} "
        f"if month-{horizon} costs continued"
    )


@dataclass(frozen=True, repr=False)
class BreakEven:
    """When the candidate's cumulative cost falls to the baseline's and stays there.

    Attributes
    ----------
    baseline, candidate : str
        Option names.
    months : float or None
        Break-even time ``t*``; 0.0 when the candidate is cheaper from the start. [months]
    month : int or None
        ``ceil(t*)``: the month in which break-even happens (0 = from the start).
    reason : str or None
        Why there is no break-even, in words (None when there is one).
    savings_usd : float
        Baseline minus candidate cumulative cost at the horizon. [USD]
    npv_usd : dict
        Present value of each option's costs at ``discount_rate``. [USD]
    discount_rate : float
        Annual rate; with a rate, ``months`` is the discounted payback.
    simulation : Simulation
        Both options costed month by month.
    """

    baseline: str
    candidate: str
    months: float | None
    month: int | None
    reason: str | None
    savings_usd: float
    npv_usd: dict[str, float]
    discount_rate: float
    simulation: Simulation = field(compare=False)

    @property
    def breaks_even(self) -> bool:
        return self.months is not None

    @property
    def npv_savings_usd(self) -> float:
        """Baseline NPV minus candidate NPV. [USD]"""
        return self.npv_usd[self.baseline] - self.npv_usd[self.candidate]

    def to_dict(self) -> dict[str, Any]:
        """Plain values (JSON-ready)."""
        return {
            "baseline": self.baseline,
            "candidate": self.candidate,
            "months": self.months,
            "month": self.month,
            "reason": self.reason,
            "savings_usd": self.savings_usd,
            "npv_usd": dict(self.npv_usd),
            "npv_savings_usd": self.npv_savings_usd,
            "discount_rate": self.discount_rate,
            "horizon_months": self.simulation.usage.horizon,
        }

    def to_frame(self) -> pd.DataFrame:
        """Cumulative cost of both options and the savings, by month. [USD]"""
        cum = self.simulation.cumulative(discounted=self.discount_rate != 0)
        cum["savings"] = cum[self.baseline] - cum[self.candidate]
        return cum

    def headline(self) -> str:
        """The answer in one sentence."""
        h = self.simulation.usage.horizon
        if self.months is None:
            return f"{self.candidate} does not break even against {self.baseline}: {self.reason}."
        when = (
            "from the start"
            if self.months == 0
            else f"after {self.months:.1f} months (in month {self.month})"
        )
        word = "saves" if self.savings_usd >= 0 else "costs"
        return (
            f"{self.candidate} breaks even against {self.baseline} {when} and {word} "
            f"${abs(self.savings_usd):,.0f} over {h} months."
        )

    def __repr__(self) -> str:
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        npv = ", ".join(f"{k} ${v:,.0f}" for k, v in self.npv_usd.items())
        months = "None" if self.months is None else f"{self.months:.2f}"
        return (
            f"BreakEven({self.candidate!r} vs {self.baseline!r}{rate})\n"
            f"  months: {months}  month: {self.month}\n"
            + (f"  reason: {self.reason}\n" if self.reason else "")
            + f"  savings at horizon: ${self.savings_usd:,.0f}\n"
            f"  NPV: {npv}\n"
            f"  {self.headline()}"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td>{html.escape(str(v))}</td></tr>"
            for k, v in (
                ("break-even (months)", "None" if self.months is None else f"{self.months:.2f}"),
                ("month", self.month),
                ("reason", self.reason or ""),
                ("savings at horizon", f"${self.savings_usd:,.0f}"),
                *((f"NPV {k}", f"${v:,.0f}") for k, v in self.npv_usd.items()),
            )
        )
        return f"<div><p><b>{html.escape(self.headline())}</b></p><table>{rows}</table></div>"

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Cumulative cost of both options with the break-even point marked."""
        from tco import plot

        return plot.cumulative_cost(self, ax=ax, **kwargs)


def break_even(
    baseline: Option,
    candidate: Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    capex: str = "cash",
    credit_residual: bool = False,
) -> BreakEven:
    """When does ``candidate`` become cheaper than ``baseline`` for good?

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy).
    usage : Usage
        Monthly token volumes over the horizon.
    discount_rate : float
        Annual rate; with a rate, break-even is the discounted payback. [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Returns
    -------
    BreakEven

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> tco.break_even(api, cheap, usage).months  # 18,000 / (9,000 - 3,000)
    3.0
    """
    if baseline.name == candidate.name:
        raise ValueError(
            f"baseline and candidate are both named {baseline.name!r}; give them distinct names"
        )
    sim = simulate(
        [baseline, candidate],
        usage,
        discount_rate,
        capex=capex,  # type: ignore[arg-type]
        credit_residual=credit_residual,
    )
    shape = (usage.horizon,)
    b = cost_path(sim.parts[baseline.name], shape, sim.discount_rate)
    c = cost_path(sim.parts[candidate.name], shape, sim.discount_rate)
    diff = (c[0] - b[0], c[1] - b[1], c[2] - b[2])  # upfront, recurring, end
    t = float(break_even_months(*diff, tol=_scale(*b, *c)))
    totals = sim.total_array()
    savings = float(totals[0] - totals[1])
    npv = dict(zip(sim.names, (float(v) for v in sim.total_array(discounted=True)), strict=True))
    if math.isinf(t):
        months, month, reason = None, None, never_reason(*diff)
        if usage.tokens.sum() == 0:
            reason = f"no token volume in the horizon; {reason}"
    else:
        months, month, reason = t, math.ceil(t), None
    return BreakEven(
        baseline=baseline.name,
        candidate=candidate.name,
        months=months,
        month=month,
        reason=reason,
        savings_usd=savings,
        npv_usd=npv,
        discount_rate=sim.discount_rate,
        simulation=sim,
    )


# --------------------------------------------------------------------------- volume
@dataclass(frozen=True)
class VolumeBreakEven:
    """Steady monthly volume from which the candidate is cheaper per month.

    Attributes
    ----------
    tokens_per_month : float or None
        Smallest volume from which the candidate's monthly cost is below the baseline's
        (0.0: cheaper at every volume, or at every volume from one token a month, e.g.
        two APIs without fixed fees). [tokens/month]
    reason : str or None
        Why there is none, in words.
    baseline_usd_per_mtok, candidate_usd_per_mtok : float or None
        Each side's cost per million tokens at that volume. [USD per million tokens]
    baseline_monthly_usd, candidate_monthly_usd : float or None
        Each side's monthly cost at that volume. [USD/month]
    """

    baseline: str
    candidate: str
    tokens_per_month: float | None
    reason: str | None
    baseline_usd_per_mtok: float | None
    candidate_usd_per_mtok: float | None
    baseline_monthly_usd: float | None
    candidate_monthly_usd: float | None

    def __repr__(self) -> str:
        if self.tokens_per_month is None:
            return f"VolumeBreakEven({self.candidate!r} vs {self.baseline!r}: {self.reason})"
        return (
            f"VolumeBreakEven({self.candidate!r} vs {self.baseline!r}: cheaper from "
            f"{self.tokens_per_month:.4g} tokens/month; at that volume "
            f"{self.baseline} ${self.baseline_usd_per_mtok:.4g}/MTok, "
            f"{self.candidate} ${self.candidate_usd_per_mtok:.4g}/MTok)"
        )


def _steady_monthly(option: Option, usage: Usage, volumes: np.ndarray, month: int) -> np.ndarray:
    """Recurring cost in ``month`` of a steady volume, for each volume (capex amortised)."""
    shape = usage.with_shape()  # validated copy; only its shape fields matter
    total = volumes[:, None] * np.ones(month)
    inp = total * (1.0 - shape.output_share)
    arrays = UsageArrays(
        input=inp,
        output=total * shape.output_share,
        cached_input=inp * shape.cached_input_share,
        peak_to_average=shape.peak_to_average,
        operating_hours=shape.operating_hours_per_month,
    )
    parts = option.cost_parts(arrays, CostContext(capex="amortized"))
    _, rec, _ = parts.sums(arrays.input.shape)
    return rec[:, -1]


def break_even_volume(
    baseline: Option,
    candidate: Option,
    usage_shape: Usage,
    *,
    month: int = 1,
    max_tokens_per_month: float = 1e16,
) -> VolumeBreakEven:
    """The steady monthly volume at which the candidate becomes cheaper per month.

    Monthly cost is taken in ``month`` (prices and trends as of that month) for a volume
    held constant, one-time costs excluded and hardware amortised straight-line. Only the
    shape of ``usage_shape`` (output share, cache share, peak, hours) is used.

    The difference of the monthly costs is a step function of volume (fleets come in
    whole replicas), so the candidate can be cheaper at every point of a grid and still
    more expensive in a narrow window just above a replica step. The search evaluates a
    fine logarithmic grid up to ``max_tokens_per_month`` and then refines it: an interval
    ``[lo, hi]`` whose ends are both cheaper is certified when ``candidate(hi) <
    baseline(lo)`` (each side's monthly cost never falls as volume grows, so the
    candidate is cheaper everywhere inside); any other interval above the last volume
    that is not cheaper is halved, and so is the interval just above it, until float
    precision. Volumes below one token a month are not resolved: a threshold there is 0.

    Examples
    --------
    >>> import tco
    >>> shape = tco.Usage.constant(0, months=1, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    >>> flat = tco.VendorAPI("flat", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0,
    ...                      fixed_usd_per_month=1000.0)
    >>> round(tco.break_even_volume(api, flat, shape).tokens_per_month)  # 1000 / ($1/MTok)
    1000000000
    """
    if month < 1:
        raise ValueError(f"month: {month!r} -> a month number >= 1")
    if not (math.isfinite(max_tokens_per_month) and max_tokens_per_month > 1e3):
        raise ValueError(f"max_tokens_per_month: {max_tokens_per_month!r} -> a number > 1000")
    volumes = np.concatenate([[0.0], np.geomspace(1e3, max_tokens_per_month, 20_001)])

    def costs(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (
            _steady_monthly(candidate, usage_shape, v, month),
            _steady_monthly(baseline, usage_shape, v, month),
        )

    def last_not_cheaper() -> tuple[np.ndarray, np.ndarray, int]:
        tol = (np.abs(c) + np.abs(b)) * _VOLUME_REL_TOL
        not_cheaper = c - b >= -tol
        last = int(np.flatnonzero(not_cheaper)[-1]) if not_cheaper.any() else -1
        return tol, not_cheaper, last

    c, b = costs(volumes)
    names = {"baseline": baseline.name, "candidate": candidate.name}
    for _ in range(_MAX_REFINEMENTS):
        tol, not_cheaper, last = last_not_cheaper()
        if last == volumes.size - 1:
            reason = (
                "candidate never cheaper per month at any steady volume"
                if not_cheaper.all()
                else "candidate cheaper per month at some volumes but not from any volume on"
            )
            return VolumeBreakEven(
                **names,
                tokens_per_month=None,
                reason=f"{reason} (checked up to {max_tokens_per_month:.3g} tokens/month)",
                baseline_usd_per_mtok=None,
                candidate_usd_per_mtok=None,
                baseline_monthly_usd=None,
                candidate_monthly_usd=None,
            )
        # intervals [volumes[j], volumes[j + 1]] from the last volume that is not cheaper on
        j = np.arange(max(last, 0), volumes.size - 1)
        lo, hi = volumes[j], volumes[j + 1]
        split = c[j + 1] - b[j] >= -np.maximum(tol[j], tol[j + 1])
        if last >= 0:
            split[0] = True  # the bracket of the last sign change, bisected to float precision
        mid = 0.5 * (lo + hi)
        split &= (mid > lo) & (mid < hi) & (hi > 1.0)
        if not split.any():
            break
        new = mid[split]
        c_new, b_new = costs(new)
        at = j[split] + 1
        volumes = np.insert(volumes, at, new)
        c = np.insert(c, at, c_new)
        b = np.insert(b, at, b_new)
    else:
        _, _, last = last_not_cheaper()
    volume = float(volumes[last + 1]) if last >= 0 else 0.0
    if volume <= 1.0:  # less than a token a month: cheaper from (almost) nothing
        volume = 0.0
    at = np.array([volume])
    b_cost = float(_steady_monthly(baseline, usage_shape, at, month)[0])
    c_cost = float(_steady_monthly(candidate, usage_shape, at, month)[0])
    per = (lambda usd: usd / (volume / 1e6)) if volume > 0 else (lambda usd: math.inf)
    return VolumeBreakEven(
        **names,
        tokens_per_month=volume,
        reason=None,
        baseline_usd_per_mtok=per(b_cost),
        candidate_usd_per_mtok=per(c_cost),
        baseline_monthly_usd=b_cost,
        candidate_monthly_usd=c_cost,
    )


__all__ = ["BreakEven", "VolumeBreakEven", "break_even", "break_even_months", "break_even_volume"]
