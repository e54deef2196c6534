"""recommend(): rank every feasible option and strategy, and say what the answer rests on.

The recommendation is built in steps a careful adviser would take:

1. rule out options that may not be used (data that must stay in the environment) or cannot
   serve the workload alone (a fixed fleet that leaves demand unserved), with the reason;
2. add the strategies worth considering for each self-hosted fleet paired with the cheapest
   vendor API: the switch from the API to the fleet at its best month, and overflow (the
   fleet takes the base load, the API the peaks) at its best sizing; with task classes,
   the cheapest routing of classes to options;
3. cost everything against the same usage and rank by total cost (NPV with a discount rate),
   with the break-even of each option against the cheapest API;
4. find the drivers: for the winner against its closest rival of the other kind (API versus
   self-hosted), the GPU price, planned utilisation, token volume, API price and API price
   decline at which the answer flips (root finds over each parameter, all other inputs
   held);
5. write it down in one paragraph.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tco.analysis.breakeven import break_even
from tco.analysis.optimize import best_overflow, best_switch_month
from tco.analysis.routing import (
    CapabilitySpec,
    Routed,
    Routing,
    TaskClass,
    _capability_for,
    check_classes,
    meets,
    route,
)
from tco.analysis.simulate import Simulation, cost_path, simulate
from tco.core.costs import CapexView, CostContext, Option
from tco.core.usage import Usage, UsageArrays
from tco.options.api import VendorAPI
from tco.options.hosting import Buy, SelfHosted
from tco.options.strategies import Overflow, Switch, SwitchOnVolume, data_leaves, scale_usage


def with_horizon(usage: Usage, horizon: int | None) -> Usage:
    """``usage`` over ``horizon`` months (curves extended or cut; data series cut only).

    Examples
    --------
    >>> u = Usage.constant(1e9, months=12, output_share=0.5)
    >>> with_horizon(u, 36).horizon
    36
    """
    if horizon is None or horizon == usage.horizon:
        return usage
    if not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon: {horizon!r} -> a whole number of months >= 1")
    curve = usage.curve.model_dump()
    if curve["kind"] == "series":
        if horizon > usage.horizon:
            raise ValueError(
                f"horizon: {horizon} -> the usage is a data series of {usage.horizon} months; "
                "give a horizon up to that, or a longer series"
            )
        curve["values"] = curve["values"][:horizon]
    curve["months"] = horizon
    return Usage.model_validate({**usage.model_dump(), "curve": curve})


def kind_of(option: Option) -> str:
    """A short label for an option's kind (``"api"``, ``"self-hosted (rent)"``, ...)."""
    if isinstance(option, VendorAPI):
        return "api"
    if isinstance(option, SelfHosted):
        return "self-hosted (buy)" if isinstance(option.procurement, Buy) else "self-hosted (rent)"
    return {
        Switch: "switch",
        SwitchOnVolume: "switch on volume",
        Overflow: "overflow",
        Routed: "routed",
    }.get(type(option), type(option).__name__)


def uses_gpus(option: Option) -> bool:
    """Whether an option runs a fleet of its own (alone or as part of a strategy)."""
    return any(k.startswith("procurement.") or ".procurement." in k for k in option.core_params())


# --------------------------------------------------------------------------- drivers
@dataclass(frozen=True)
class Driver:
    """An input at which the recommendation flips.

    Attributes
    ----------
    driver : str
        What varies: ``"GPU price"``, ``"planned utilisation"``, ``"token volume"``,
        ``"API price"`` or ``"API price decline"``.
    current : float
        Its value now (for multipliers: 1.0).
    flip : float or None
        Value at which the winner and the rival cost the same (None: no flip in ``searched``).
    holds_while : str
        ``"below"`` or ``"above"``: the winner stays ahead while the input stays below or
        above ``flip``.
    searched : tuple of float
        Range searched.
    words : str
        The finding in a sentence.
    """

    driver: str
    unit: str
    current: float
    flip: float | None
    holds_while: str
    searched: tuple[float, float]
    words: str


def _objective(
    option: Option,
    arrays: UsageArrays,
    context: CostContext,
    rate: float,
    params: Mapping[str, Any],
) -> np.ndarray:
    parts = option.cost_parts(arrays, context, **params)
    shape = np.broadcast_shapes(
        np.shape(arrays.input), *((*np.shape(v), 1) for v in params.values())
    )
    return np.asarray(sum(np.sum(x, axis=-1) for x in cost_path(parts, shape, rate)))


def _matching(option: Option, test: Callable[[str], bool]) -> dict[str, float]:
    return {k: float(v) for k, v in option.core_params().items() if test(k)}


def _is_gpu_price(key: str) -> bool:
    return key.endswith("procurement.usd_per_gpu_hour") or key.endswith("procurement.usd_per_gpu")


def _is_api_price(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in (
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cache_read_usd_per_mtok",
    )


def _is_api_decline(key: str) -> bool:
    return key.rsplit(".", 1)[-1] == "annual_price_decline" and "procurement" not in key


def _is_utilisation(key: str) -> bool:
    return key.rsplit(".", 1)[-1] == "target_utilization"


def _flip(
    gap: Callable[[np.ndarray], np.ndarray],
    x0: float,
    lo: float,
    hi: float,
    *,
    log: bool,
    points: int = 97,
) -> float | None:
    """Nearest ``x`` to ``x0`` in ``[lo, hi]`` where ``gap`` turns positive (bisection).

    ``gap`` is winner minus rival (<= 0 at ``x0``); it may be a step function.
    """
    grid = np.geomspace(lo, hi, points) if log else np.linspace(lo, hi, points)
    grid = np.unique(np.append(grid, x0))
    values = gap(grid)
    i0 = int(np.searchsorted(grid, x0))
    scale = float(np.max(np.abs(values))) + 1.0
    positive = values > 1e-9 * scale
    best: tuple[float, int, int] | None = None  # (distance, inside index, outside index)
    for step in (-1, 1):
        i = i0
        while 0 <= i + step < len(grid) and not positive[i + step]:
            i += step
        if 0 <= i + step < len(grid):
            far = grid[i + step]
            dist = abs(math.log(far / x0)) if log and x0 > 0 else abs(far - x0)
            if best is None or dist < best[0]:
                best = (dist, i, i + step)
    if best is None:
        return None
    a, b = grid[best[1]], grid[best[2]]  # gap(a) <= 0 < gap(b)
    for _ in range(60):
        mid = math.sqrt(a * b) if log and a > 0 else 0.5 * (a + b)
        if mid in (a, b):
            break
        if gap(np.array([mid]))[0] > 1e-9 * scale:
            b = mid
        else:
            a = mid
    return float(b)


def find_drivers(
    winner: Option,
    rival: Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> list[Driver]:
    """Inputs at which ``rival`` would become as cheap as ``winner``.

    Each input is varied for both options at once (a GPU price change reaches every fleet,
    an API price change every API part), everything else held, including the month of a
    switch. GPU price, API price and volume are varied as multipliers of their current
    values (0.02x to 50x); utilisation and API price decline as values.

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(2e9, months=24, output_share=0.3)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
    ...                        procurement=tco.Rent(2.0), setup_usd=40_000)
    >>> drivers = find_drivers(fleet, api, usage)
    >>> gpu = next(d for d in drivers if d.driver == "GPU price")
    >>> round(gpu.flip, 2)  # 24 x 9,500 = 228,000 = 40,000 + 24 x 730 x price
    10.73
    """
    arrays = usage.arrays()
    context = CostContext(capex=capex, credit_residual=credit_residual)
    rate = float(discount_rate)
    both = (winner, rival)

    def gap_for(make: Callable[[np.ndarray, Option], dict[str, Any]], scale_tokens: bool):
        def gap(x: np.ndarray) -> np.ndarray:
            usage_x = scale_usage(arrays, x[:, None]) if scale_tokens else arrays
            w = _objective(winner, usage_x, context, rate, make(x, winner))
            r = _objective(rival, usage_x, context, rate, make(x, rival))
            return np.broadcast_to(w - r, x.shape)

        return gap

    def multiplier(test: Callable[[str], bool]):
        def make(x: np.ndarray, option: Option) -> dict[str, Any]:
            return {k: v * x for k, v in _matching(option, test).items()}

        return make

    def absolute(test: Callable[[str], bool]):
        def make(x: np.ndarray, option: Option) -> dict[str, Any]:
            return {k: x for k in _matching(option, test)}

        return make

    drivers: list[Driver] = []
    names = f"{winner.name} stays cheaper than {rival.name}"

    gpu = {k: v for o in both for k, v in _matching(o, _is_gpu_price).items()}
    if gpu:
        key, now = next(iter(gpu.items()))
        hourly = key.endswith("usd_per_gpu_hour")
        unit = "USD per GPU-hour" if hourly else "USD per GPU"
        m = _flip(gap_for(multiplier(_is_gpu_price), False), 1.0, 0.02, 50.0, log=True)
        flip = None if m is None else m * now
        drivers.append(_driver("GPU price", unit, now, flip, (0.02 * now, 50 * now), names))

    util = [v for o in both for v in _matching(o, _is_utilisation).values()]
    if util and max(util) - min(util) < 1e-12:
        now = util[0]
        u = _flip(gap_for(absolute(_is_utilisation), False), now, 0.05, 1.0, log=False)
        drivers.append(_driver("planned utilisation", "share", now, u, (0.05, 1.0), names))

    v = _flip(gap_for(lambda x, o: {}, True), 1.0, 0.02, 50.0, log=True)
    drivers.append(_driver("token volume", "x forecast", 1.0, v, (0.02, 50.0), names))

    if any(_matching(o, _is_api_price) for o in both):
        p = _flip(gap_for(multiplier(_is_api_price), False), 1.0, 0.02, 50.0, log=True)
        drivers.append(_driver("API price", "x today's", 1.0, p, (0.02, 50.0), names))

    declines = [v for o in both for v in _matching(o, _is_api_decline).values()]
    if declines and max(declines) - min(declines) < 1e-12:
        now = declines[0]
        d = _flip(gap_for(absolute(_is_api_decline), False), now, 0.0, 0.99, log=False)
        drivers.append(_driver("API price decline", "per year", now, d, (0.0, 0.99), names))
    return drivers


_FORMATS: dict[str, Callable[[float], str]] = {
    "USD per GPU-hour": lambda x: f"${x:,.2f}/GPU-hour",
    "USD per GPU": lambda x: f"${x:,.0f}/GPU",
    "share": lambda x: f"{x:.0%}",
    "x forecast": lambda x: f"{x:.0%} of the forecast",
    "x today's": lambda x: f"{x:.0%} of today's",
    "per year": lambda x: f"{x:.0%} a year",
}


def _driver(
    what: str,
    unit: str,
    now: float,
    flip: float | None,
    searched: tuple[float, float],
    names: str,
) -> Driver:
    if flip is None:
        words = f"{names} for any {what} in the range searched"
        return Driver(what, unit, now, None, "", searched, words)
    holds = "below" if flip > now else "above"
    fmt = _FORMATS[unit]
    words = f"{names} while the {what} stays {holds} {fmt(flip)} (now {fmt(now)})"
    return Driver(what, unit, now, flip, holds, searched, words)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, repr=False)
class Recommendation:
    """Ranked options and strategies for one workload (the result of :func:`recommend`).

    Attributes
    ----------
    best : str
        Name of the cheapest feasible option or strategy.
    table : DataFrame
        One row per feasible option, cheapest first: ``rank, kind, total_usd, npv_usd,
        usd_per_mtok, peak_gpus, savings_vs_api_usd, break_even_month, break_even``.
    excluded : DataFrame
        ``option, reason`` for options ruled out.
    drivers : DataFrame
        Inputs at which the answer flips (see :func:`find_drivers`).
    summary : str
        One paragraph in plain words.
    reference_api : str or None
        The cheapest feasible vendor API, against which break-even is measured.
    rival : str or None
        The option the drivers compare the winner with.
    options : dict
        Every option ranked, strategies included, by name.
    simulation : Simulation
        All of them costed month by month.
    routing : Routing or None
        The task-class routing, when classes were given.
    """

    best: str
    table: pd.DataFrame
    excluded: pd.DataFrame
    drivers: pd.DataFrame
    summary: str
    reference_api: str | None
    rival: str | None
    objective: str
    discount_rate: float
    horizon: int
    options: dict[str, Option] = field(compare=False)
    simulation: Simulation = field(compare=False)
    routing: Routing | None = field(default=None, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """The ranked table."""
        return self.table.copy()

    def __repr__(self) -> str:
        shown = self.table[["kind", "total_usd", "npv_usd", "break_even"]]
        text = shown.to_string(
            formatters={"total_usd": "${:,.0f}".format, "npv_usd": "${:,.0f}".format}
        )
        lines = [f"Recommendation ({self.horizon} months): {self.best}", text]
        if len(self.excluded):
            lines.append("excluded:")
            lines += [f"  {r.option}: {r.reason}" for r in self.excluded.itertuples()]
        lines.append("")
        lines.append(self.summary)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        out = f"<div><p>{html.escape(self.summary)}</p>"
        out += self.table.to_html(float_format=lambda x: f"{x:,.2f}")
        if len(self.excluded):
            out += "<p><b>Excluded</b></p>" + self.excluded.to_html(index=False)
        if len(self.drivers):
            out += "<p><b>Drivers</b></p>" + self.drivers.to_html(index=False)
        return out + "</div>"


# --------------------------------------------------------------------------- recommend
def recommend(
    workload: Usage,
    options: Sequence[Option],
    horizon: int | None = None,
    discount_rate: float = 0.0,
    *,
    data_must_stay: bool = False,
    strategies: bool = True,
    task_classes: Sequence[TaskClass] | None = None,
    capabilities: Mapping[str, CapabilitySpec] | None = None,
    tolerance: float = 0.01,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> Recommendation:
    """Rank every feasible option and strategy for a workload, and explain the answer.

    Parameters
    ----------
    workload : Usage
        Tokens per month.
    options : sequence of Option
        Vendor APIs, fleets and any strategies of your own; names must be unique.
    horizon : int, optional
        Months to decide over; default the usage's horizon. Curves are extended or cut.
    discount_rate : float
        Annual rate; with a rate options are ranked by NPV. [-]
    data_must_stay : bool
        The workload's data may not leave the environment: options whose data leaves are
        excluded (and so are strategies using them).
    strategies : bool
        Add the best switch from the cheapest API to each fleet and the best overflow of
        each fleet to that API.
    task_classes, capabilities
        When given, the routing of classes to options found by :func:`~tco.route` is ranked
        too (``capabilities``: option name -> tier or score, as in :func:`~tco.route`).
    tolerance : float
        Share of the best cost within which switch months count as equally good. [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Returns
    -------
    Recommendation

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.compound(start=5e8, monthly_growth=0.12, months=36,
    ...                            output_share=0.3, peak_to_average=2.0)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
    ...                        procurement=tco.Rent(2.5), gpus_per_replica=2,
    ...                        staff_fte=0.5, setup_usd=60_000)
    >>> rec = tco.recommend(usage, [api, fleet])
    >>> rec.best
    'api -> fleet from month 16'
    >>> rec.table[["kind", "break_even_month"]].head(2)  # doctest: +NORMALIZE_WHITESPACE
                                    kind  break_even_month
    option
    api -> fleet from month 16    switch              24.0
    fleet + api overflow        overflow              27.0
    """
    if not isinstance(workload, Usage):
        raise TypeError(f"workload: {type(workload).__name__} -> expected a tco.Usage")
    usage = with_horizon(workload, horizon)
    rate = float(discount_rate)
    if not np.isfinite(rate) or rate <= -1.0 or rate > 10.0:
        raise ValueError(f"discount_rate: {discount_rate!r} -> an annual rate in (-1, 10]")
    opts = list(options)
    if not opts:
        raise ValueError("options: empty -> give at least one option")
    names = [o.name for o in opts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"options: duplicate name(s) {dupes} -> give each option its own name")
    if (task_classes is None) != (capabilities is None):
        raise ValueError("task_classes and capabilities: give both or neither")

    objective = "npv_usd" if rate else "total_usd"
    kw: dict[str, Any] = {"capex": capex, "credit_residual": credit_residual}
    excluded: list[tuple[str, str]] = []
    allowed = []
    for o in opts:
        if data_must_stay and data_leaves(o):
            excluded.append((o.name, "data leaves the environment; the data must stay"))
        else:
            allowed.append(o)
    if not allowed:
        raise ValueError("no option may be used: " + "; ".join(f"{n}: {r}" for n, r in excluded))

    first = simulate(allowed, usage, rate, **kw)
    tokens = float(usage.tokens.sum())
    unserved = first.unserved_tokens().sum()
    feasible = []
    for o in allowed:
        if tokens > 0 and unserved[o.name] > 1e-9 * tokens:
            share = unserved[o.name] / tokens
            excluded.append(
                (o.name, f"leaves {share:.1%} of the tokens unserved (fleet too small alone)")
            )
        else:
            feasible.append(o)

    # with task classes, an option serves the whole workload only if it can do every class
    classes = None if task_classes is None else check_classes(task_classes)
    able = set(names)
    if classes is not None and capabilities is not None:
        unknown = sorted(set(capabilities) - set(names))
        if unknown:
            raise KeyError(f"capabilities: unknown option(s) {unknown}; options are {names}")
        for o in allowed:
            why = _cannot_serve(o, classes, capabilities.get(o.name))
            if why:
                able.discard(o.name)
                if o in feasible:
                    excluded.append((o.name, f"cannot serve the whole workload: {why}"))
    whole = [o for o in feasible if o.name in able]

    value = first.total_array(discounted=bool(rate))
    cost_of = dict(zip([o.name for o in allowed], value, strict=True))
    apis = sorted((o for o in whole if isinstance(o, VendorAPI)), key=lambda o: cost_of[o.name])
    reference = apis[0] if apis else None

    candidates: list[Option] = list(whole)
    notes: list[str] = []
    if strategies and reference is not None:
        fleets = [o for o in allowed if isinstance(o, SelfHosted) and o.name in able]
        for f in fleets:
            if f in whole:
                best = best_switch_month(reference, f, usage, rate, tolerance=tolerance, **kw)
                if 0 < best.month < usage.horizon:
                    candidates.append(best.strategy)
                    lo, hi = best.flat_range
                    if hi > lo:
                        notes.append(
                            f"Switching from {reference.name} to {f.name} after any month "
                            f"from {lo} to {hi} costs within {tolerance:.0%} of the best "
                            f"(best: after month {best.month})"
                        )
            choice = best_overflow(f, reference, usage, rate, **kw)
            if choice.api_share > 0:
                candidates.append(choice.strategy)

    routing = None
    if classes is not None and capabilities is not None:
        caps = {k: v for k, v in capabilities.items() if k in {o.name for o in feasible}}
        try:
            routing = route(
                classes, feasible, usage, caps, rate, data_must_stay=data_must_stay, **kw
            )
        except ValueError as err:
            notes.append(f"Routing by task class is not possible: {err}")
        else:
            if len(routing.option.options) > 1:
                candidates.append(routing.option)
            # the rival plan: fleets only for the classes no API may serve
            minimal = _minimal_self_hosting(routing, classes, feasible, caps, data_must_stay)
            if minimal is not None:
                try:
                    least = route(
                        classes, feasible, usage, minimal, rate, data_must_stay=data_must_stay, **kw
                    )
                except ValueError:
                    pass
                else:
                    plan: Option = least.option
                    if len(least.option.options) == 1:  # everything on one option: that option
                        plan = _by_name(feasible, least.option.options[0].name)
                    fresh = plan.name not in {o.name for o in candidates}
                    if least.assignment != routing.assignment and fresh:
                        candidates.append(plan)
    if not candidates:
        raise ValueError(
            "no option or strategy can serve the workload: "
            + "; ".join(f"{n}: {r}" for n, r in excluded)
            + ("; " + "; ".join(notes) if notes else "")
        )

    sim = simulate(candidates, usage, rate, **kw)
    totals, npvs = sim.total(), sim.npv()
    gpus = sim.gpus()
    rows = []
    for o in candidates:
        be = (
            None
            if reference is None or o is reference
            else break_even(reference, o, usage, rate, **kw)
        )
        if be is None:
            when = "reference" if o is reference else ""
            month = np.nan
        elif be.months is None:
            when, month = f"never: {be.reason}", np.nan
        elif be.months == 0:
            when, month = "from the start", 0.0
        else:
            when, month = f"month {be.month} ({be.months:.1f} months)", float(math.ceil(be.months))
        rows.append(
            {
                "option": o.name,
                "kind": kind_of(o),
                "total_usd": float(totals[o.name]),
                "npv_usd": float(npvs[o.name]),
                "usd_per_mtok": float(totals[o.name]) / (tokens / 1e6) if tokens else np.inf,
                "peak_gpus": float(gpus[o.name].max()) if o.name in gpus else 0.0,
                "savings_vs_api_usd": (
                    np.nan
                    if reference is None
                    else float(
                        (npvs if rate else totals)[reference.name]
                        - (npvs if rate else totals)[o.name]
                    )
                ),
                "break_even_month": month,
                "break_even": when,
            }
        )
    table = pd.DataFrame(rows).sort_values(objective, kind="stable").set_index("option")
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    by_name = {o.name: o for o in candidates}
    winner = by_name[table.index[0]]

    rival = _rival(winner, table, by_name, reference)
    drivers: list[Driver] = []
    if rival is not None:
        drivers = find_drivers(winner, rival, usage, rate, **kw)
    summary = _summary(
        usage, rate, winner, rival, reference, table, drivers, excluded, notes, routing
    )
    return Recommendation(
        best=winner.name,
        table=table,
        excluded=pd.DataFrame(excluded, columns=["option", "reason"]),
        drivers=pd.DataFrame(
            [
                {
                    "driver": d.driver,
                    "unit": d.unit,
                    "current": d.current,
                    "flip": np.nan if d.flip is None else d.flip,
                    "holds_while": d.holds_while,
                    "finding": d.words,
                }
                for d in drivers
            ],
            columns=["driver", "unit", "current", "flip", "holds_while", "finding"],
        ),
        summary=summary,
        reference_api=None if reference is None else reference.name,
        rival=None if rival is None else rival.name,
        objective=objective,
        discount_rate=rate,
        horizon=usage.horizon,
        options=by_name,
        simulation=sim,
        routing=routing,
    )


def _by_name(options: Sequence[Option], name: str) -> Option:
    return next(o for o in options if o.name == name)


def _minimal_self_hosting(
    routing: Routing,
    classes: Sequence[TaskClass],
    options: Sequence[Option],
    capabilities: Mapping[str, CapabilitySpec],
    data_must_stay: bool,
) -> dict[str, Any] | None:
    """Capabilities that let fleets serve only the classes no option without GPUs may serve.

    None when the routing uses no fleet (there is nothing to compare it with).
    """
    if not uses_gpus(routing.option):
        return None
    only_fleets = []
    for c in classes:
        served = False
        for o in options:
            if uses_gpus(o):
                continue
            cap, why = _capability_for(capabilities.get(o.name), c)
            stays = not ((data_must_stay or c.data_must_stay) and data_leaves(o))
            if why is None and meets(cap, c.need) and stays:  # type: ignore[arg-type]
                served = True
                break
        if not served:
            only_fleets.append(c)
    out: dict[str, Any] = {}
    for o in options:
        spec = capabilities.get(o.name)
        if spec is None:
            continue
        if not uses_gpus(o):
            out[o.name] = spec
            continue
        per_class = {}
        for c in only_fleets:
            cap, why = _capability_for(spec, c)
            if why is None:
                per_class[c.name] = cap
        if per_class:
            out[o.name] = per_class
    return out


def _cannot_serve(option: Option, classes: Sequence[TaskClass], spec: CapabilitySpec | None) -> str:
    """Why ``option`` cannot serve every class ('' when it can)."""
    problems = []
    for c in classes:
        cap, why = _capability_for(spec, c)
        if why is None and not meets(cap, c.need):  # type: ignore[arg-type]
            why = f"capability {cap!r} below {c.name}'s need {c.need!r}"
        if why is None and c.data_must_stay and data_leaves(option):
            why = f"{c.name}'s data must stay in the environment"
        if why is not None:
            problems.append(why)
    return "; ".join(dict.fromkeys(problems))


def _rival(
    winner: Option,
    table: pd.DataFrame,
    by_name: dict[str, Option],
    reference: VendorAPI | None,
) -> Option | None:
    """The closest option of the other kind: without GPUs against a fleet, or vice versa."""
    for name in table.index[1:]:
        if uses_gpus(by_name[name]) != uses_gpus(winner):
            return by_name[name]
    return by_name[table.index[1]] if len(table) > 1 else None


def _usd(x: float) -> str:
    return f"${x:,.0f}"


def _summary(
    usage: Usage,
    rate: float,
    winner: Option,
    rival: Option | None,
    reference: VendorAPI | None,
    table: pd.DataFrame,
    drivers: list[Driver],
    excluded: list[tuple[str, str]],
    notes: list[str],
    routing: Routing | None,
) -> str:
    what = "NPV" if rate else "total cost"
    col = "npv_usd" if rate else "total_usd"
    rate_words = f" at a {rate:.0%} discount rate" if rate else ""
    rows = table.to_dict(orient="index")
    w = rows[winner.name]
    parts = [
        f"Over {usage.horizon} months{rate_words}, the cheapest feasible choice is "
        f"{winner.name} ({w['kind']}), {what} {_usd(w[col])} "
        f"(${w['usd_per_mtok']:,.3f} per million tokens)."
    ]
    if rival is not None:
        r = rows[rival.name]
        gap = float(r[col] - w[col])
        pct = gap / r[col] if r[col] else 0.0
        kind = "" if r["kind"] == rival.name else f" ({r['kind']})"
        parts.append(f"That is {_usd(gap)} ({pct:.0%}) less than {rival.name}{kind}.")
    if reference is not None and winner is not reference:
        be = str(w["break_even"])
        if be == "from the start":
            parts.append(f"It is cheaper than {reference.name} from the start.")
        elif be.startswith("month"):
            parts.append(f"It breaks even against {reference.name} in {be}.")
        else:
            parts.append(f"Against {reference.name}: {be}.")
    found = [d for d in drivers if d.flip is not None]
    if found:
        parts.append(
            "The answer holds only within limits: "
            + "; ".join(d.words.split(" while ", 1)[1] for d in found)
            + f" (otherwise {rival.name if rival else 'the runner-up'} is cheaper)."
        )
    robust = [d.driver for d in drivers if d.flip is None]
    if robust:
        parts.append(
            f"It does not flip for any {', '.join(robust)} in the ranges searched "
            "(0.02x to 50x for prices and volume)."
        )
    parts += [n if n.endswith(".") else f"{n}." for n in notes]
    if routing is not None:
        parts.append(routing.headline())
    if excluded:
        parts.append("Excluded: " + "; ".join(f"{n} ({reason})" for n, reason in excluded) + ".")
    return " ".join(parts)


__all__ = [
    "Driver",
    "Recommendation",
    "find_drivers",
    "kind_of",
    "recommend",
    "with_horizon",
]
