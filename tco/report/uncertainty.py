"""How sure the report's answer is: a Monte Carlo run over the scenario's ``[ranges]``, or
over documented default ranges when the file declares none.

Each range is drawn uniformly between its low and high value, independently of the others
(:meth:`tco.Scenario.monte_carlo`). Without a ``[ranges]`` table the report varies the
inputs the answer usually turns on, found through the parameters' declarations
(:attr:`tco.core.params.Param.driver`) of the baseline and the candidate:

* every GPU price (rental per GPU-hour, on-demand rate of a reserved plan, purchase price
  per GPU): :data:`GPU_PRICE_SPREAD` (+-30 %) around its value;
* every API token price (input, output, cached input, cache writes, batch, flex, priority
  and long-context prices, a successor model's too): :data:`API_PRICE_SPREAD` (+-30 %);
* the monthly growth of a compound usage curve: :data:`GROWTH_SPREAD` (+-50 %; 10 % a
  month becomes 5 % to 15 %).

Inputs that are 0 or not set are left as they are, and so are inputs whose range moves
neither option's cost (a flex-tier price with no traffic on that tier): one at a time at
each end of its range (:func:`tco.tornado`), they leave the savings at the horizon where
they are. The prices of one model are drawn independently of each other, as ``[ranges]``
are, so the spread of a whole API bill is a little narrower than +-30 %.

Every range shown also gives the savings at the horizon with that input at its low and at
its high value, the others as given (the tornado), largest swing first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tco.analysis.paths import ParameterSpace
from tco.core.option import Option
from tco.core.usage import Usage
from tco.scenario import Scenario

if TYPE_CHECKING:
    from tco.analysis.montecarlo import MonteCarloResult

__all__ = [
    "API_PRICE_SPREAD",
    "DRAWS",
    "GPU_PRICE_SPREAD",
    "GROWTH_SPREAD",
    "Range",
    "Uncertainty",
    "default_ranges",
    "uncertainty",
]

GPU_PRICE_SPREAD = 0.30
"""Default half-width of a GPU price's range, as a share of its value. [-]"""

API_PRICE_SPREAD = 0.30
"""Default half-width of an API token price's range, as a share of its value. [-]"""

GROWTH_SPREAD = 0.50
"""Default half-width of the monthly growth's range, as a share of its value. [-]"""

DRAWS = 10_000
"""Monte Carlo draws of a report (seed 0, so a report is reproducible)."""

_SPREADS = {"gpu_price": GPU_PRICE_SPREAD, "api_price": API_PRICE_SPREAD}


@dataclass(frozen=True)
class Range:
    """One uncertain input of the report.

    Attributes
    ----------
    path : str
        Its parameter path (``"candidate.procurement.usd_per_gpu_hour"``).
    label : str
        ``"candidate: GPU rental price [USD per GPU-hour]"``.
    base : float or None
        Its value in the scenario.
    low, high : float
        The range drawn from.
    savings_low_usd, savings_high_usd : float
        Savings at the horizon (baseline minus candidate, undiscounted) with this input at
        its low and at its high value, every other input as given. [USD]
    """

    path: str
    label: str
    base: float | None
    low: float
    high: float
    savings_low_usd: float
    savings_high_usd: float


@dataclass(frozen=True)
class Uncertainty:
    """The ranges a report drew from, where they came from, and the Monte Carlo result.

    Attributes
    ----------
    ranges : tuple of Range
    from_file : bool
        True for the file's ``[ranges]``; False for the defaults of this module.
    result : MonteCarloResult
    """

    ranges: tuple[Range, ...]
    from_file: bool
    result: MonteCarloResult


def default_ranges(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """The ranges a report uses when the scenario file declares none (see the module).

    Examples
    --------
    >>> import tco
    >>> s = tco.Scenario.from_dict({
    ...     "scenario": {"baseline": "api", "candidate": "fleet"},
    ...     "usage": {"output_share": 0.25, "curve": {"kind": "compound", "start": 1e9,
    ...                                                 "monthly_growth": 0.1, "months": 12}},
    ...     "options": {
    ...         "api": {"type": "api", "input_usd_per_mtok": 2, "output_usd_per_mtok": 8},
    ...         "fleet": {"type": "self_hosted", "prefill_tokens_per_s": 20000,
    ...                   "decode_tokens_per_s": 2000,
    ...                   "procurement": {"kind": "rent", "usd_per_gpu_hour": 2.0}}}})
    >>> for path, (lo, hi) in default_ranges(s).items():
    ...     print(f"{path}: {lo:.3g} to {hi:.3g}")
    baseline.input_usd_per_mtok: 1.4 to 2.6
    baseline.output_usd_per_mtok: 5.6 to 10.4
    baseline.cache_read_usd_per_mtok: 1.4 to 2.6
    candidate.procurement.usd_per_gpu_hour: 1.4 to 2.6
    usage.monthly_growth: 0.05 to 0.15
    """
    space = ParameterSpace(*_models(scenario))
    out: dict[str, tuple[float, float]] = {}
    for role in ("baseline", "candidate"):
        for key, item in space.declared[role].items():
            spread = _SPREADS.get(item.param.driver or "")
            if spread is None or item.value is None or not float(item.value) > 0:
                continue
            value = float(item.value)
            out[f"{role}.{key}"] = (value * (1 - spread), value * (1 + spread))
    growth = space.declared["usage"].get("monthly_growth")
    if growth is not None and growth.value:
        ends = sorted(float(growth.value) * (1 + s) for s in (-GROWTH_SPREAD, GROWTH_SPREAD))
        out["usage.monthly_growth"] = (ends[0], ends[1])
    return out


def uncertainty(scenario: Scenario, draws: int = DRAWS, seed: int = 0) -> Uncertainty | None:
    """The Monte Carlo run of a report: the file's ``[ranges]``, else :func:`default_ranges`
    less those that move no cost; None when there is nothing to vary."""
    from tco.analysis.tornado import tornado

    from_file = bool(scenario.ranges)
    ranges = scenario.ranges if from_file else default_ranges(scenario)
    if not ranges:
        return None
    frame = tornado(scenario.question, ranges, "savings_usd").to_frame()
    if not from_file:
        scale = abs(float(frame.attrs["base_metric"])) + 1.0
        frame = frame[frame["swing"] > 1e-9 * scale]
        if frame.empty:
            return None
    space = ParameterSpace(*_models(scenario))
    rows = tuple(
        Range(
            str(path),
            space.resolve(str(path)).label,
            space.resolve(str(path)).base,
            float(row["low"]),
            float(row["high"]),
            float(row["metric_low"]),
            float(row["metric_high"]),
        )
        for path, row in frame.iterrows()
    )
    varied = replace(scenario, ranges={r.path: (r.low, r.high) for r in rows})
    return Uncertainty(rows, from_file, varied.monte_carlo(n=draws, seed=seed))


def _models(scenario: Scenario) -> tuple[Option, Option, Usage]:
    question = scenario.question
    return question.baseline, question.candidate, question.usage
