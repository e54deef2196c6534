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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tco.analysis.advice import by_name, cannot_serve, minimal_self_hosting, rival_of, summary
from tco.analysis.drivers import Driver, find_drivers
from tco.analysis.money import as_currency
from tco.analysis.overflow_sizing import best_overflow
from tco.analysis.recommendation import (
    Recommendation,
    drivers_frame,
    kind_of,
    ranking_table,
    with_horizon,
)
from tco.analysis.routing import Routing, route
from tco.analysis.simulate import simulate
from tco.analysis.switch_month import best_switch_month
from tco.core.checks import (
    check_capex,
    check_flag,
    check_options,
    check_rate,
    check_share,
    check_usage,
)
from tco.core.money import Currency
from tco.core.option import Option, data_leaves
from tco.core.parts import CapexView
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.routed import CapabilitySpec, TaskClass, check_classes

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.currency import CurrencyLike
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Recommendation", "kind_of", "recommend", "with_horizon"]


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
    currency: CurrencyLike = None,
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
    currency : str, FxRate or Currency, optional
        The summary and the drivers' findings state money in this currency (``"EUR"``: a
        code of the catalog's ``fx.csv``); the table stays in US dollars (see
        :meth:`Recommendation.to_frame`). Default US dollars.

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
    usage = with_horizon(check_usage(workload, "workload"), horizon)
    rate = check_rate(discount_rate)
    check_capex(capex)
    opts = check_options(options)
    check_flag(data_must_stay, "data_must_stay")
    check_flag(strategies, "strategies")
    check_flag(credit_residual, "credit_residual")
    check_share(tolerance, "tolerance")
    if (task_classes is None) != (capabilities is None):
        raise ValueError("task_classes and capabilities: give both or neither")
    kw: dict[str, Any] = {"capex": capex, "credit_residual": credit_residual}
    plan = _Plan(usage, rate, kw, data_must_stay, as_currency(currency))
    plan.rule_out(opts)
    classes = None if task_classes is None else check_classes(task_classes)
    if classes is not None and capabilities is not None:
        plan.need_every_class(opts, classes, capabilities)
    if strategies and plan.reference is not None:
        plan.add_strategies(tolerance)
    routing = None
    if classes is not None and capabilities is not None:
        routing = plan.add_routings(classes, capabilities)
    return plan.ranked(routing)


@dataclass
class _Plan:
    """The options and strategies worth ranking, built step by step."""

    usage: Usage
    rate: float
    kw: dict[str, Any]
    data_must_stay: bool
    currency: Currency
    allowed: list[Option] = field(default_factory=list)
    feasible: list[Option] = field(default_factory=list)
    able: set[str] = field(default_factory=set)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    candidates: list[Option] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cost_of: dict[str, float] = field(default_factory=dict)

    def rule_out(self, options: list[Option]) -> None:
        """Step 1: options whose data may not leave, or that cannot serve alone."""
        for o in options:
            if self.data_must_stay and data_leaves(o):
                self.excluded.append((o.name, "data leaves the environment; the data must stay"))
            else:
                self.allowed.append(o)
        if not self.allowed:
            raise ValueError(
                "no option may be used: " + "; ".join(f"{n}: {r}" for n, r in self.excluded)
            )
        first = simulate(self.allowed, self.usage, self.rate, **self.kw)
        tokens = float(self.usage.tokens.sum())
        unserved = first.unserved_tokens().sum()
        for o in self.allowed:
            if tokens > 0 and unserved[o.name] > 1e-9 * tokens:
                share = unserved[o.name] / tokens
                self.excluded.append(
                    (o.name, f"leaves {share:.1%} of the tokens unserved (fleet too small alone)")
                )
            else:
                self.feasible.append(o)
        self.able = {o.name for o in options}
        value = first.total_array(discounted=bool(self.rate))
        self.cost_of = dict(zip([o.name for o in self.allowed], value, strict=True))
        self.candidates = list(self.whole)

    def need_every_class(
        self,
        options: list[Option],
        classes: Sequence[TaskClass],
        capabilities: Mapping[str, CapabilitySpec],
    ) -> None:
        """With task classes, an option serves the whole workload only if it can do each."""
        names = [o.name for o in options]
        unknown = sorted(set(capabilities) - set(names))
        if unknown:
            raise KeyError(f"capabilities: unknown option(s) {unknown}; options are {names}")
        for o in self.allowed:
            why = cannot_serve(o, classes, capabilities.get(o.name))
            if why:
                self.able.discard(o.name)
                if o in self.feasible:
                    self.excluded.append((o.name, f"cannot serve the whole workload: {why}"))
        self.candidates = list(self.whole)

    @property
    def whole(self) -> list[Option]:
        return [o for o in self.feasible if o.name in self.able]

    @property
    def reference(self) -> VendorAPI | None:
        """The cheapest vendor API that can serve the whole workload."""
        apis = [o for o in self.whole if isinstance(o, VendorAPI)]
        return min(apis, key=lambda o: self.cost_of[o.name]) if apis else None

    def add_strategies(self, tolerance: float) -> None:
        """Step 2: the best switch to each fleet and the best overflow of each fleet."""
        reference = self.reference
        assert reference is not None
        fleets = [o for o in self.allowed if isinstance(o, SelfHosted) and o.name in self.able]
        for f in fleets:
            if f in self.whole:
                self._add_switch(reference, f, tolerance)
            choice = best_overflow(f, reference, self.usage, self.rate, **self.kw)
            if choice.api_share > 0:
                self.candidates.append(choice.strategy)

    def _add_switch(self, reference: VendorAPI, fleet: SelfHosted, tolerance: float) -> None:
        best = best_switch_month(
            reference, fleet, self.usage, self.rate, tolerance=tolerance, **self.kw
        )
        if not 0 < best.month < self.usage.horizon:
            return
        self.candidates.append(best.strategy)
        lo, hi = best.flat_range
        if hi > lo:
            self.notes.append(
                f"Switching from {reference.name} to {fleet.name} after any month "
                f"from {lo} to {hi} costs within {tolerance:.0%} of the best "
                f"(best: after month {best.month})"
            )

    def add_routings(
        self, classes: Sequence[TaskClass], capabilities: Mapping[str, CapabilitySpec]
    ) -> Routing | None:
        """Step 2 with task classes: the cheapest routing, and the rival plan that uses
        fleets only for the classes no API may serve."""
        names = {o.name for o in self.feasible}
        caps = {k: v for k, v in capabilities.items() if k in names}
        try:
            routing = self._route(classes, caps)
        except ValueError as err:
            self.notes.append(f"Routing by task class is not possible: {err}")
            return None
        if len(routing.option.options) > 1:
            self.candidates.append(routing.option)
        minimal = minimal_self_hosting(routing, classes, self.feasible, caps, self.data_must_stay)
        if minimal is None:
            return routing
        try:
            least = self._route(classes, minimal)
        except ValueError:
            return routing
        plan: Option = least.option
        if len(least.option.options) == 1:  # everything on one option: that option
            plan = by_name(self.feasible, least.option.options[0].name)
        fresh = plan.name not in {o.name for o in self.candidates}
        if least.assignment != routing.assignment and fresh:
            self.candidates.append(plan)
        return routing

    def _route(self, classes: Sequence[TaskClass], caps: Mapping[str, Any]) -> Routing:
        return route(
            classes,
            self.feasible,
            self.usage,
            caps,
            self.rate,
            data_must_stay=self.data_must_stay,
            **self.kw,
        )

    def ranked(self, routing: Routing | None) -> Recommendation:
        """Steps 3 to 5: cost, rank, find the drivers and say it in words."""
        if not self.candidates:
            raise ValueError(
                "no option or strategy can serve the workload: "
                + "; ".join(f"{n}: {r}" for n, r in self.excluded)
                + ("; " + "; ".join(self.notes) if self.notes else "")
            )
        reference = self.reference
        sim = simulate(self.candidates, self.usage, self.rate, **self.kw)
        table = ranking_table(self.candidates, sim, reference, self.usage, self.rate, self.kw)
        named = {o.name: o for o in self.candidates}
        winner = named[table.index[0]]
        rival = rival_of(winner, table, named, reference)
        drivers: list[Driver] = []
        if rival is not None:
            drivers = find_drivers(
                winner, rival, self.usage, self.rate, currency=self.currency, **self.kw
            )
        words = summary(
            self.usage,
            self.rate,
            winner,
            rival,
            reference,
            table,
            drivers,
            self.excluded,
            self.notes,
            routing,
            self.currency,
        )
        return Recommendation(
            best=winner.name,
            table=table,
            excluded=pd.DataFrame(self.excluded, columns=["option", "reason"]),
            drivers=drivers_frame(drivers),
            summary=words,
            reference_api=None if reference is None else reference.name,
            rival=None if rival is None else rival.name,
            objective="npv_usd" if self.rate else "total_usd",
            discount_rate=self.rate,
            horizon=self.usage.horizon,
            options=named,
            simulation=sim,
            routing=routing,
        )
