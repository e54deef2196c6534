"""When does the candidate overtake the baseline? In time (break_even) and in volume.

Cumulative cost is piecewise linear in continuous time ``t`` (months): one-time costs
jump at month starts, recurring costs accrue linearly within their month, credits at
the horizon fall at its end. Break-even ``t*`` is the earliest time after which the
candidate's cumulative cost stays at or below the baseline's until the horizon
(DESIGN.md). With constant monthly costs that is the payback formula
``upfront / (baseline_monthly - candidate_monthly)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tco.analysis.money import as_currency, money_frame
from tco.analysis.question import Question, takes_question
from tco.analysis.simulate import Simulation, simulate
from tco.core.ledger import break_even_time, never_reason
from tco.core.option import Option
from tco.core.result import Result, html_rows
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.currency import CurrencyLike
else:
    from tco.core.lazy import pandas as pd

__all__ = ["BreakEven", "break_even"]


@dataclass(frozen=True, repr=False)
class BreakEven(Result):
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

    def to_frame(self, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """Cumulative cost of both options and the savings, by month.

        [USD; with ``currency="EUR"`` (a code of the catalog's ``fx.csv``) in that currency,
        named in ``attrs["currency"]``]
        """
        cum = self.simulation.cumulative(discounted=self.discount_rate != 0)
        cum["savings"] = cum[self.baseline] - cum[self.candidate]
        return money_frame(cum, currency, rename=False)

    def headline(self, *, currency: CurrencyLike = None) -> str:
        """The answer in one sentence; with a discount rate it says which figures are
        discounted (the break-even month, the NPV savings) and which is not (the savings).

        ``currency="EUR"`` (a code of the catalog's ``fx.csv``, a row of it or a
        :class:`~tco.core.money.Currency`) writes the money in that currency.

        Examples
        --------
        >>> import tco
        >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
        >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
        >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
        ...                       setup_usd=18_000)
        >>> print(tco.break_even(api, cheap, usage, discount_rate=0.08).headline())
        cheap breaks even against api after 3.04 months (in month 4, discounted payback at
        8.0% a year) and saves $126,000 over 24 months, undiscounted; NPV savings $115,037
        at 8.0%.
        >>> from tco.core.money import Currency
        >>> print(tco.break_even(api, cheap, usage).headline(currency=Currency("EUR", 1.25)))
        cheap breaks even against api after 3.0 months (in month 3) and saves €100,800 over
        24 months.
        """
        cash = as_currency(currency).words
        h = self.simulation.usage.horizon
        if self.months is None:
            return f"{self.candidate} does not break even against {self.baseline}: {self.reason}."
        rate = self.discount_rate
        payback = f", discounted payback at {rate:.1%} a year" if rate else ""
        when = (
            "from the start"
            if self.months == 0
            else f"after {_months(self.months)} months (in month {self.month}{payback})"
        )
        word = "saves" if self.savings_usd >= 0 else "costs"
        text = (
            f"{self.candidate} breaks even against {self.baseline} {when} and {word} "
            f"{cash(abs(self.savings_usd))} over {h} months"
        )
        if not rate:
            return text + "."
        npv = self.npv_savings_usd
        npv_words = f"NPV savings {cash(npv)}" if npv >= 0 else f"NPV {cash(-npv)} more"
        return f"{text}, undiscounted; {npv_words} at {rate:.1%}."

    def repr_lines(self) -> list[str]:
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        npv = ", ".join(f"{k} ${v:,.0f}" for k, v in self.npv_usd.items())
        months = "None" if self.months is None else f"{self.months:.2f}"
        return [
            f"BreakEven({self.candidate!r} vs {self.baseline!r}{rate})",
            f"  months: {months}  month: {self.month}",
            *([f"  reason: {self.reason}"] if self.reason else []),
            f"  savings at horizon: ${self.savings_usd:,.0f}",
            f"  NPV: {npv}",
            f"  {self.headline()}",
        ]

    def html_tables(self) -> list[str]:
        return [
            html_rows(
                (
                    (
                        "break-even (months)",
                        "None" if self.months is None else f"{self.months:.2f}",
                    ),
                    ("month", self.month),
                    ("reason", self.reason or ""),
                    ("savings at horizon", f"${self.savings_usd:,.0f}"),
                    *((f"NPV {k}", f"${v:,.0f}") for k, v in self.npv_usd.items()),
                )
            )
        ]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Cumulative cost of both options with the break-even point marked."""
        from tco import plot

        return plot.cumulative_cost(self, ax=ax, **kwargs)


def _months(t: float) -> str:
    """``t`` with one decimal, or as many more (up to 4) as it takes not to read as the
    month before the one it falls in (3.02 months is in month 4, not "3.0").

    >>> _months(9.8), _months(3.02), _months(3.0)
    ('9.8', '3.02', '3.0')
    """
    month = math.ceil(t)
    for digits in range(1, 5):
        shown = f"{t:.{digits}f}"
        if math.ceil(float(shown)) == month:
            return shown
    return shown


@takes_question
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
        Any two options (vendor API, self-hosted fleet or strategy); or a
        :class:`~tco.Question` in place of ``baseline, candidate, usage`` and the settings.
    usage : Usage
        Monthly token volumes over the horizon.
    discount_rate : float
        Annual rate; with a rate, break-even is the discounted payback. [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Returns
    -------
    BreakEven

    Notes
    -----
    With ``D(t)`` the candidate's cumulative cost minus the baseline's (at present value
    when there is a rate), piecewise linear in continuous time ``t`` with jumps at month
    starts, ``t* = inf{t : D(s) <= 0 for all s in [t, H]}``. For constant monthly costs this
    is the payback ``upfront / (baseline_monthly - candidate_monthly)``.

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
    q = Question(baseline, candidate, usage, discount_rate, capex, credit_residual)  # type: ignore[arg-type]
    sim = simulate([q.baseline, q.candidate], q.usage, q.discount_rate, **_counting(q))
    return _answer(q, sim)


def _counting(q: Question) -> dict[str, Any]:
    return {"capex": q.capex, "credit_residual": q.credit_residual}


def _answer(q: Question, sim: Simulation) -> BreakEven:
    """The break-even of ``q`` from its simulation (both options' ledgers)."""
    b, c = sim.ledgers[q.baseline.name], sim.ledgers[q.candidate.name]
    t_arr, diff = break_even_time(b.pv, c.pv, q.horizon)
    t = float(t_arr)
    if math.isinf(t):
        months, month, reason = None, None, never_reason(diff, q.horizon)
        if q.usage.tokens.sum() == 0:
            reason = f"no token volume in the horizon; {reason}"
    else:
        months, month, reason = t, math.ceil(t), None
    return BreakEven(
        baseline=q.baseline.name,
        candidate=q.candidate.name,
        months=months,
        month=month,
        reason=reason,
        savings_usd=float(b.total() - c.total()),
        npv_usd={n: float(sim.ledgers[n].total(discounted=True)) for n in sim.names},
        discount_rate=q.discount_rate,
        simulation=sim,
    )
