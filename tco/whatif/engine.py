"""The what-if's arithmetic: the answer for slider settings, without any widget.

One :class:`WhatIf` holds a comparison (:class:`~tco.analysis.batch.Comparison`) and its
drivers; :meth:`WhatIf.answer` sets the drivers' parameters (by their declared paths),
costs both options through the ledger and returns the break-even, the savings and the
cumulative cost paths to draw. It is the same arithmetic as :func:`tco.break_even`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tco.analysis.batch import Comparison
from tco.analysis.question import Question
from tco.core.ledger import Ledger, break_even_time, cumulative_path
from tco.whatif.drivers import Driver, find_drivers, settings_values

__all__ = ["Answer", "WhatIf"]


@dataclass(frozen=True)
class Answer:
    """The answer for one setting of the sliders.

    Attributes
    ----------
    months : float or None
        Break-even time ``t*`` (None: no break-even within the horizon). [months]
    savings_usd : float
        Baseline minus candidate cost over the horizon. [USD]
    npv_savings_usd : float
        The same at present value. [USD]
    paths : dict
        Option name -> (t, cost): the cumulative cost path drawn (present value with a
        discount rate), one-time jumps included. [months, USD]
    """

    months: float | None
    savings_usd: float
    npv_savings_usd: float
    paths: dict[str, tuple[np.ndarray, np.ndarray]]

    @property
    def month(self) -> int | None:
        """``ceil(t*)``: the month of the break-even (0: from the start)."""
        return None if self.months is None else math.ceil(self.months - 1e-12)


def _one(values: np.ndarray) -> np.ndarray:
    """The one draw of a batch of one (or the arrays not varied), shape (H,)."""
    arr = np.asarray(values, dtype=float)
    return arr.reshape(-1, arr.shape[-1])[0] if arr.ndim > 1 else arr


class WhatIf:
    """A comparison whose drivers can be moved, answered in well under a millisecond.

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> what = WhatIf(tco.Question(api, cheap, usage))
    >>> what.answer({}).months  # $18,000 / ($9,000 - $3,000 a month)
    3.0
    >>> what.answer({"api_price": 0.5}).months  # both APIs' prices halved: twice as long
    6.0
    """

    def __init__(self, question: Question) -> None:
        self.question = question
        self.comparison = Comparison(question)
        self.drivers: dict[str, Driver] = find_drivers(self.comparison.space)

    @property
    def names(self) -> tuple[str, str]:
        return self.question.baseline.name, self.question.candidate.name

    def answer(self, settings: Mapping[str, float]) -> Answer:
        """The break-even, savings and cost paths with the drivers at ``settings``
        (driver key -> slider position; drivers left out stay as given)."""
        values = settings_values(self.drivers, settings)
        b, c = self.comparison.ledgers(values)
        h = self.comparison.horizon
        t = float(np.asarray(break_even_time(b.pv, c.pv, h)[0]).ravel()[0])
        discounted = self.comparison.discount_rate != 0
        paths = {
            name: self._path(ledger, discounted)
            for name, ledger in zip(self.names, (b, c), strict=True)
        }
        return Answer(
            months=None if math.isinf(t) else t,
            savings_usd=float(np.ravel(b.total() - c.total())[0]),
            npv_savings_usd=float(np.ravel(b.total(True) - c.total(True))[0]),
            paths=paths,
        )

    def _path(self, ledger: Ledger, discounted: bool) -> tuple[np.ndarray, np.ndarray]:
        h = self.comparison.horizon
        up, rec, end = (np.broadcast_to(_one(a), (h,)) for a in ledger.timing(discounted).arrays(h))
        return cumulative_path(up, rec, end)
