"""Monte Carlo: how sure is the break-even answer when the inputs are uncertain?

Each parameter path gets a distribution (a frozen ``scipy.stats`` distribution, or a
plain number for a fixed value). Draws are made by inverse transform from a Gaussian
copula: standard normals ``Z`` (correlated by a Cholesky factor when a correlation
matrix is given), ``U = Phi(Z)``, ``x = dist.ppf(U)``. Without a correlation matrix the
inputs are independent. All randomness comes from one ``numpy.random.Generator``
seeded by ``seed``; global random state is never touched.

The draws are evaluated in chunks (:mod:`tco.analysis.batch`), so 1,000,000 draws of a
120-month horizon run in bounded memory. Fan-chart percentiles of the cumulative cost paths use all
draws when ``n x H`` is at most :data:`FAN_CELLS`, else the first ``FAN_CELLS // H``
draws (the draws are independent and identically distributed, so these are a simple
random sample); every other figure uses all draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.batch import Comparison
from tco.analysis.fan import fan_frame, percentile_label
from tco.analysis.metrics import format_months
from tco.analysis.money import money_frame, money_series
from tco.analysis.progress import Progress, progress_for
from tco.analysis.question import Question, takes_question
from tco.analysis.sampling import check_n, checked_draws, seeded
from tco.core.checks import is_real, refuse_flags
from tco.core.ledger import cumulative_into
from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.result import Result, html_rows
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.currency import CurrencyLike
else:
    from tco.core.lazy import pandas as pd

__all__ = ["FAN_CELLS", "MonteCarloResult", "monte_carlo"]

FAN_CELLS = 6_000_000
"""Draw-months kept for the fan-chart percentiles (about 48 MB per cost path)."""


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, repr=False, eq=False)
class MonteCarloResult(Result):
    """Per-draw break-even and savings of a Monte Carlo run, and their distribution.

    Attributes
    ----------
    baseline, candidate : str
        Option names.
    samples : DataFrame
        The draws: one column per parameter path, one row per draw.
    months : ndarray, shape (n,)
        Break-even time ``t*`` per draw; ``inf`` where the draw never breaks even (the
        discounted payback when ``discount_rate`` is not 0). [months]
    savings_usd : ndarray, shape (n,)
        Baseline minus candidate cumulative cost at the horizon, per draw. [USD]
    npv_savings_usd : ndarray, shape (n,)
        Baseline NPV minus candidate NPV, per draw. [USD]
    fan : DataFrame
        Percentiles of the cumulative cost at each month end: index ``month`` (1..H),
        columns a MultiIndex ``(series, percentile)`` with series ``"baseline"``,
        ``"candidate"``, ``"savings"`` (baseline minus candidate) and percentiles
        ``"p10"``, ``"p50"``, ``"p90"``. Discounted when ``discount_rate`` is not 0. [USD]
    horizon : int
        H. [months]
    discount_rate : float
    seed : int or None
        The seed that reproduces the run (the generated entropy when none was given;
        None when a Generator was passed).
    percentiles : tuple of float
        The percentiles of ``fan`` and of :meth:`break_even_percentiles`.
    fan_draws : int
        Number of draws the fan percentiles use (all of them unless n x H is large).
    correlation : DataFrame or None
        Correlation of the copula's normals, labelled by path.
    """

    baseline: str
    candidate: str
    samples: pd.DataFrame
    months: np.ndarray
    savings_usd: np.ndarray
    npv_savings_usd: np.ndarray
    fan: pd.DataFrame
    horizon: int
    discount_rate: float
    seed: int | None
    percentiles: tuple[float, ...] = (10.0, 50.0, 90.0)
    fan_draws: int = 0
    correlation: pd.DataFrame | None = field(default=None)

    @property
    def n(self) -> int:
        """Number of draws."""
        return int(self.months.size)

    def prob_break_even_by(self, month: Any) -> Any:
        """Share of draws with ``t* <= month`` (break-even by the end of that month).

        ``month`` may be a number or an array of them; 0 counts draws cheaper from the
        start.
        """
        refuse_flags(month, "month")
        try:
            m = np.asarray(month, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"month: {month!r} -> a month number, or an array of them") from None
        if not np.all(np.isfinite(m)):
            raise ValueError(f"month: {month!r} -> a finite month number")
        if np.any(m < 0):
            raise ValueError(f"month: {month!r} -> a month number >= 0")
        flat = np.sort(self.months)
        counts = np.searchsorted(flat, m.ravel(), side="right").reshape(m.shape)
        prob = counts / self.n
        return float(prob) if prob.ndim == 0 else prob

    @property
    def prob_never(self) -> float:
        """Share of draws that never break even within the horizon."""
        return float(np.mean(np.isinf(self.months)))

    def break_even_curve(self) -> pd.Series:
        """Probability of breaking even by each month 0..H (a non-decreasing curve)."""
        months = np.arange(self.horizon + 1)
        return pd.Series(
            self.prob_break_even_by(months),
            index=pd.Index(months, name="month"),
            name="prob_break_even",
        )

    def break_even_percentiles(self) -> pd.Series:
        """Percentiles of ``t*`` (``inf``: that share of draws never breaks even). [months]

        The empirical (inverted-CDF) percentile: ``p`` is the smallest ``t`` with at least
        ``p`` % of draws breaking even by ``t``, so ``prob_break_even_by(p50) >= 0.5``.
        """
        q = np.quantile(self.months, np.asarray(self.percentiles) / 100, method="inverted_cdf")
        return pd.Series(q, index=[percentile_label(p) for p in self.percentiles], name="months")

    def savings_percentiles(
        self, discounted: bool = False, *, currency: CurrencyLike = None
    ) -> pd.Series:
        """Percentiles of savings at the horizon (NPV savings when ``discounted``).

        [USD; in ``currency`` when given, the name then ``savings_eur``]
        """
        values = self.npv_savings_usd if discounted else self.savings_usd
        q = np.percentile(values, self.percentiles)
        name = "npv_savings_usd" if discounted else "savings_usd"
        index = [percentile_label(p) for p in self.percentiles]
        return money_series(pd.Series(q, index=index, name=name), currency)

    def to_frame(self, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """One row per draw: the sampled paths, then ``months`` (inf = never), ``never``,
        ``savings_usd`` and ``npv_savings_usd`` (``savings_eur``, ... in ``currency``)."""
        out = self.samples.copy()
        out["months"] = self.months
        out["never"] = np.isinf(self.months)
        out["savings_usd"] = self.savings_usd
        out["npv_savings_usd"] = self.npv_savings_usd
        return money_frame(out, currency, ["savings_usd", "npv_savings_usd"])

    def summary(self) -> pd.Series:
        """Headline figures: probability of break-even, percentiles of ``t*`` and savings."""
        data: dict[str, Any] = {
            "draws": self.n,
            "prob_break_even": 1.0 - self.prob_never,
        }
        for k, v in self.break_even_percentiles().items():
            data[f"months_{k}"] = v
        for k, v in self.savings_percentiles().items():
            data[f"savings_usd_{k}"] = v
        data["savings_usd_mean"] = float(np.mean(self.savings_usd))
        data["prob_savings_positive"] = float(np.mean(self.savings_usd > 0))
        return pd.Series(data, name=f"{self.candidate} vs {self.baseline}", dtype=object)

    def headline(self) -> str:
        """The answer in one sentence."""
        pct = self.break_even_percentiles()
        labels = ", ".join(f"{str(k).upper()} {format_months(v)}" for k, v in pct.items())
        return (
            f"{self.candidate} breaks even against {self.baseline} within {self.horizon} months "
            f"in {1 - self.prob_never:.1%} of {self.n:,} draws (months: {labels})."
        )

    def repr_lines(self) -> list[str]:
        sav = self.savings_percentiles()
        sav_text = ", ".join(f"{str(k).upper()} ${v:,.0f}" for k, v in sav.items())
        pct = self.break_even_percentiles()
        months_text = ", ".join(f"{str(k).upper()} {format_months(v)}" for k, v in pct.items())
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        return [
            f"MonteCarloResult({self.candidate!r} vs {self.baseline!r}, {self.n:,} draws, "
            f"{self.horizon} months{rate}, seed {self.seed})",
            f"  inputs: {', '.join(self.samples.columns)}",
            f"  P(break even by month {self.horizon}): {1 - self.prob_never:.1%}",
            f"  break-even months: {months_text}",
            f"  savings at horizon: {sav_text}",
        ]

    def html_tables(self) -> list[str]:
        return [html_rows((k, _cell(k, v)) for k, v in self.summary().items())]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Fan chart of the cumulative costs (see :func:`tco.plot.fan`)."""
        from tco import plot

        return plot.fan(self, ax=ax, **kwargs)

    def plot_probability(self, ax: Any = None, **kwargs: Any) -> Any:
        """Probability of breaking even by each month (see
        :func:`tco.plot.break_even_probability`)."""
        from tco import plot

        return plot.break_even_probability(self, ax=ax, **kwargs)


def _cell(key: Any, value: Any) -> str:
    key = str(key)
    if key.startswith("months_"):
        return format_months(float(value))
    if key.startswith("prob"):
        return f"{float(value):.1%}"
    if key.startswith("savings"):
        return f"${float(value):,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


# --------------------------------------------------------------------------- entry point
def _check_percentiles(percentiles: Sequence[float]) -> tuple[float, ...]:
    message = f"percentiles: {percentiles!r} -> increasing numbers in [0, 100], e.g. (10, 50, 90)"
    items = list(percentiles) if isinstance(percentiles, Sequence | np.ndarray) else None
    if isinstance(percentiles, str) or items is None or not all(map(is_real, items)):
        raise ValueError(message)
    out = tuple(float(p) for p in items)
    if not out or any(not (0 <= p <= 100) for p in out) or list(out) != sorted(set(out)):
        raise ValueError(message)
    return out


@takes_question
def monte_carlo(
    baseline: Option,
    candidate: Option,
    usage: Usage,
    distributions: Mapping[str, Any],
    n: int = 10_000,
    seed: int | np.random.Generator | None = None,
    *,
    correlation: Any = None,
    discount_rate: float = 0.0,
    capex: CapexView = "cash",
    credit_residual: bool = False,
    percentiles: Sequence[float] = (10, 50, 90),
    progress: bool | None = None,
) -> MonteCarloResult:
    """Break-even and savings over ``n`` random draws of uncertain inputs.

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy).
    usage : Usage
        Monthly token volumes.
    distributions : mapping of path -> distribution
        A frozen ``scipy.stats`` distribution per parameter path (see
        :func:`tco.parameter_paths`), or a number for a fixed value. Every draw must be a
        value the model accepts (prices >= 0, shares in [0, 1], whole replica counts).
    n : int
        Number of draws (>= 1).
    seed : int, numpy Generator or None
        Seed of the random draws; the same seed gives the same result. With None, fresh
        entropy is drawn and recorded in ``result.seed``.
    correlation : array, DataFrame or mapping, optional
        Correlation of the Gaussian copula's normals: a (k, k) array in the order of
        ``distributions``, a DataFrame labelled by paths, or ``{(path_a, path_b): rho}``.
        It sets the dependence of the inputs (e.g. input and output prices of one vendor
        move together); with non-normal marginals the inputs' rank correlation is
        ``6/pi * arcsin(rho/2)``.
    discount_rate : float
        Annual rate; with a rate, break-even is the discounted payback. [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.
    percentiles : sequence of float
        Percentiles for the fan chart and the break-even summary. [%]
    progress : bool, optional
        Show progress (a line on stderr, or a bar in a notebook): True always, False
        never; by default only when the draws will take more than about a second and
        someone is watching (:mod:`tco.analysis.progress`).

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> import tco
    >>> from scipy import stats
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> mc = tco.monte_carlo(api, cheap, usage, {"candidate.setup_usd": stats.uniform(0, 36_000)},
    ...                      n=1000, seed=1)
    >>> mc.prob_break_even_by(3)  # t* = setup / 6,000 <= 3 when setup <= 18,000
    0.512
    >>> mc.fan["savings"].columns.tolist()
    ['p10', 'p50', 'p90']
    """
    n = check_n(n)
    cmp = Comparison(Question(baseline, candidate, usage, discount_rate, capex, credit_residual))
    seed_rng = seeded(seed)
    values, corr = checked_draws(cmp.space, distributions, n, seed_rng[0], correlation)
    pct = _check_percentiles(percentiles)
    fan_draws = min(n, max(1, FAN_CELLS // cmp.horizon))
    report = progress_for(progress, "Monte Carlo", n, n * cmp.horizon)
    months, savings, npv, b_paths, c_paths = _run(cmp, values, n, fan_draws, report)
    paths = list(values)
    samples = pd.DataFrame(values, columns=paths)
    samples.index.name = "draw"
    return MonteCarloResult(
        baseline=cmp.question.baseline.name,
        candidate=cmp.question.candidate.name,
        samples=samples,
        months=_readonly(months),
        savings_usd=_readonly(savings),
        npv_savings_usd=_readonly(npv),
        fan=fan_frame(b_paths, c_paths, pct, cmp.horizon),
        horizon=cmp.horizon,
        discount_rate=cmp.discount_rate,
        seed=seed_rng[1],
        percentiles=pct,
        fan_draws=fan_draws,
        correlation=None if corr is None else pd.DataFrame(corr, index=paths, columns=paths),
    )


def _run(
    cmp: Comparison,
    values: dict[str, np.ndarray],
    n: int,
    fan_draws: int,
    progress: Progress | None = None,
) -> tuple[np.ndarray, ...]:
    """Per-draw months, savings and NPV savings, and the cumulative cost paths of the first
    ``fan_draws`` draws, month-major (H, draws) so each month's percentiles partition one
    contiguous row."""
    months, savings, npv = np.empty(n), np.empty(n), np.empty(n)
    b_paths = np.empty((cmp.horizon, fan_draws))
    c_paths = np.empty((cmp.horizon, fan_draws))

    def sample(start: int, stop: int) -> dict[str, np.ndarray]:
        return {p: v[start:stop] for p, v in values.items()}

    def in_fan(start: int, stop: int) -> bool:
        return start < fan_draws

    for start, stop, res in cmp.chunks(sample, n, paths=in_fan, progress=progress):
        months[start:stop] = res.months
        savings[start:stop] = res.savings_usd
        npv[start:stop] = res.npv_savings_usd
        if res.baseline_monthly is not None and res.candidate_monthly is not None:
            keep = min(stop, fan_draws) - start
            cumulative_into(res.baseline_monthly, b_paths[:, start : start + keep])
            cumulative_into(res.candidate_monthly, c_paths[:, start : start + keep])
    return months, savings, npv, b_paths, c_paths
