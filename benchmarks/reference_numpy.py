"""The benchmark study written by hand in plain numpy: the peer tco.monte_carlo is timed against.

The study (``bench_break_even.scenario``): a vendor API against a rented fleet of 4-GPU
replicas, compound usage growth, six uncertain inputs drawn independently by inverse
transform of standard normals (the Gaussian copula without correlation). For each draw:
the API's token bill with its yearly price decline, the fleet sized each month to the peak
load (``max(1, ceil(busy * peak / 0.7)) + 1`` replicas), its rent, staff and setup; the
break-even month ``t*`` of the fleet against the API, the savings at the horizon, and the
P10/P50/P90 of both cumulative costs and of the savings by month.

Nothing here imports tco: it is the arithmetic a careful analyst would write directly, so
that its time is the floor tco's general engine is measured against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

HOURS = 730.0
PERCENTILES = (10.0, 50.0, 90.0)

# the scenario, as numbers
API_INPUT, API_CACHE = 2.5, 1.25  # USD per million tokens
START, OUTPUT_SHARE, CACHED_SHARE = 2e9, 0.25, 0.3
PREFILL, GPUS_PER_REPLICA, SPARE, UTILISATION = 20_000.0, 4, 1, 0.7
STAFF_USD_PER_MONTH, SETUP_USD = 200_000.0 / 12.0, 50_000.0

DISTRIBUTIONS = {
    "gpu_hour": stats.lognorm(0.25, scale=2.5),
    "decode": stats.uniform(1_500, 2_000),
    "api_output": stats.uniform(5.0, 10.0),
    "api_decline": stats.uniform(0.0, 0.4),
    "growth": stats.norm(0.06, 0.02),
    "peak": stats.uniform(1.5, 2.0),
}


@dataclass
class Answer:
    months: np.ndarray  # t* per draw, inf = never
    savings: np.ndarray  # API minus fleet at the horizon, per draw
    fan: np.ndarray  # (3 series, 3 percentiles, H): API, fleet, savings


def sample(n: int, seed: int) -> dict[str, np.ndarray]:
    z = np.random.default_rng(seed).standard_normal((n, len(DISTRIBUTIONS)))
    u = np.minimum(special.ndtr(z), 1.0 - 2.0**-53)
    return {k: d.ppf(u[:, j]) for j, (k, d) in enumerate(DISTRIBUTIONS.items())}


def monthly_costs(x: dict[str, np.ndarray], months: int) -> tuple[np.ndarray, np.ndarray]:
    """API and fleet cost of each month, shape (draws, H); the fleet's setup in month 1.

    Tokens grow as ``exp(m log(1 + g))`` and the API price falls as ``exp(m log(1 - d) / 12)``,
    so the API bill is one coefficient per draw times one exponential; the fleet's busy
    replicas are tokens times a per-draw coefficient.
    """
    m = np.arange(months, dtype=float)
    log_growth = np.log1p(x["growth"])[:, None]
    tokens = START * np.exp(m * log_growth)
    uncached = (1.0 - OUTPUT_SHARE) * (1.0 - CACHED_SHARE)
    cached = (1.0 - OUTPUT_SHARE) * CACHED_SHARE
    usd_per_token = (
        uncached * API_INPUT + cached * API_CACHE + OUTPUT_SHARE * x["api_output"]
    ) / 1e6
    api_log = log_growth + np.log1p(-x["api_decline"])[:, None] / 12.0
    api = (START * usd_per_token)[:, None] * np.exp(m * api_log)
    seconds_per_token = uncached / PREFILL + OUTPUT_SHARE / x["decode"]
    load = (seconds_per_token * x["peak"] / (HOURS * 3600.0 * UTILISATION))[:, None]
    replicas = np.maximum(np.ceil(tokens * load * (1.0 - 1e-9)), 1.0)
    rent = (GPUS_PER_REPLICA * HOURS * x["gpu_hour"])[:, None]
    fleet = (replicas + SPARE) * rent + STAFF_USD_PER_MONTH
    fleet[:, 0] += SETUP_USD
    return api, fleet


def break_even(api: np.ndarray, fleet: np.ndarray) -> np.ndarray:
    """t*: the latest time the fleet's cumulative cost is above the API's (inf: at the end)."""
    diff = fleet - api
    upfront = np.zeros_like(diff)
    upfront[:, 0] = SETUP_USD
    cum = np.cumsum(diff, axis=1)
    start = cum - diff + upfront  # difference just after each month's one-time cost
    costs = np.abs(api).sum(axis=1) + np.abs(fleet - upfront).sum(axis=1) + SETUP_USD
    tol = 1e-9 * costs  # differences this small count as zero
    over = (start > tol[:, None]) | (cum > tol[:, None])
    last = months_of(over)
    a = np.take_along_axis(start, last[:, None], axis=1)[:, 0]
    b = np.take_along_axis(cum, last[:, None], axis=1)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = last + np.clip(a / (a - b), 0.0, 1.0)
    t = np.where(over.any(axis=1), np.where(b > tol, last + 1.0, inside), 0.0)
    return np.where(cum[:, -1] > tol, np.inf, t)


def months_of(over: np.ndarray) -> np.ndarray:
    """Index of the last True of each row (0 when none)."""
    return over.shape[1] - 1 - np.argmax(over[:, ::-1], axis=1)


def percentiles_by_month(cum: np.ndarray) -> np.ndarray:
    """P10/P50/P90 of each row of a month-major (H, draws) array (reordered in place), as
    ``numpy.percentile`` defines them; the order statistics are selected one partition at a
    time, each within the part left of the next (numpy's partition with several positions
    at once is several times slower)."""
    n = cum.shape[1]
    pos = np.asarray(PERCENTILES) / 100.0 * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    bound = n
    for k in sorted(set(lo) | set(hi), reverse=True):
        cum[:, :bound].partition(k, axis=1)
        bound = k
    return cum[:, lo] + (cum[:, hi] - cum[:, lo]) * (pos - lo)


def run(n: int, months: int, seed: int, chunk: int = 1_600) -> Answer:
    x = sample(n, seed)
    t = np.empty(n)
    api_cum = np.empty((months, n))  # month-major: each month's percentiles on one row
    fleet_cum = np.empty((months, n))
    for lo in range(0, n, chunk):
        part = {k: v[lo : lo + chunk] for k, v in x.items()}
        api, fleet = monthly_costs(part, months)
        t[lo : lo + chunk] = break_even(api, fleet)
        np.cumsum(api.T, axis=0, out=api_cum[:, lo : lo + chunk])
        np.cumsum(fleet.T, axis=0, out=fleet_cum[:, lo : lo + chunk])
    savings_cum = api_cum - fleet_cum
    savings = savings_cum[-1].copy()
    fan = np.stack([percentiles_by_month(c) for c in (api_cum, fleet_cum, savings_cum)])
    return Answer(t, savings, fan.transpose(0, 2, 1))
