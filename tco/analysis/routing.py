"""Routing by task: send each class of work to the cheapest option able to do it.

A workload is a mix of task classes (:class:`TaskClass`): each takes a share of the
tokens, may have its own token shape (output share, cache share), needs a capability, and
may require that its data stays in the environment. Options declare the capability they
meet, either as a tier (``"basic" < "strong" < "frontier"``) or as a score from a benchmark
of your choice (any number, higher is better), for all classes or class by class.

:func:`route` finds the assignment of classes to options with the lowest total cost (or
NPV) over the horizon. Classes sent to the same option are costed together (one fleet, one
staff, one setup), so the search is over partitions of the classes, not class by class: all
subsets of classes are costed for each option in one batched call, and a dynamic programme
over subsets picks the cheapest partition exactly (up to :data:`MAX_CLASSES` classes).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.metrics import per_mtok_words
from tco.analysis.partition import (
    Group,
    best_partition,
    eligibility,
    subset_arrays,
    subset_costs,
)
from tco.core.checks import check_capex, check_flag, check_options, check_rate, check_usage
from tco.core.money import USD, Currency
from tco.core.option import Option, data_leaves
from tco.core.parts import CapexView, CostContext
from tco.core.result import Result, html_table
from tco.core.usage import Usage
from tco.options.routed import (
    Capability,
    CapabilitySpec,
    Routed,
    TaskClass,
    capability_for,
    check_classes,
    meets,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["MAX_CLASSES", "Routing", "route"]

MAX_CLASSES = 12
"""Most task classes :func:`route` searches exhaustively (3**12 subset pairs)."""


@dataclass(frozen=True, repr=False)
class Routing(Result):
    """The cheapest assignment of task classes to options (the result of :func:`route`).

    Attributes
    ----------
    assignment : dict
        Class name -> option name.
    total_usd, npv_usd : float
        Cost of the routed workload over the horizon. [USD]
    objective : str
        ``"total_usd"`` or ``"npv_usd"`` (with a discount rate): what was minimised.
    baseline : str or None
        The option everything would go to without routing (the frontier option).
    baseline_total_usd, baseline_npv_usd : float or None
    savings_usd : float or None
        Baseline minus routed, in the objective's terms (total, or NPV). [USD]
    blended_usd_per_mtok, baseline_usd_per_mtok : float
        Undiscounted cost per million tokens, routed and baseline. [USD per million tokens]
    table : DataFrame
        One row per class: share, need, option, its capability, tokens, cost (each
        option's cost allocated to its classes by tokens) and cost per million tokens.
    excluded : DataFrame
        ``option, task_class, reason`` for every option ruled out for a class.
    option : Routed
        The routed workload as an option, for :func:`~tco.simulate` and friends.
    notes : tuple of str
    """

    assignment: dict[str, str]
    total_usd: float
    npv_usd: float
    objective: str
    discount_rate: float
    baseline: str | None
    baseline_total_usd: float | None
    baseline_npv_usd: float | None
    savings_usd: float | None
    blended_usd_per_mtok: float
    baseline_usd_per_mtok: float | None
    table: pd.DataFrame
    excluded: pd.DataFrame
    option: Routed = field(compare=False)
    notes: tuple[str, ...] = ()

    def headline(self, currency: Currency = USD) -> str:
        """The routing and its cost in one sentence (money in ``currency``)."""
        groups: dict[str, list[str]] = {}
        for cls, opt in self.assignment.items():
            groups.setdefault(opt, []).append(cls)
        plan = "; ".join(f"{', '.join(c)} -> {o}" for o, c in groups.items())
        what = "NPV" if self.objective == "npv_usd" else "total"
        value = self.npv_usd if self.objective == "npv_usd" else self.total_usd
        cost = per_mtok_words(self.blended_usd_per_mtok, currency)
        text = f"Route {plan}: {what} {currency.words(value)} ({cost})"
        if self.baseline is not None and self.savings_usd is not None:
            base = self.baseline_npv_usd if self.objective == "npv_usd" else self.baseline_total_usd
            pct = self.savings_usd / base if base else 0.0
            text += (
                f", {currency.words(self.savings_usd)} ({pct:.0%}) less than sending "
                f"everything to {self.baseline}"
            )
        return text + "."

    def to_frame(self) -> pd.DataFrame:
        """The per-class table."""
        return self.table.copy()

    def repr_lines(self) -> list[str]:
        lines = [f"Routing ({len(self.assignment)} classes)", f"  {self.headline()}"]
        lines += [f"  note: {n}" for n in self.notes]
        if len(self.excluded):
            lines.append(f"  excluded: {len(self.excluded)} option/class pairs (see .excluded)")
        return lines

    def html_tables(self) -> list[str]:
        out = [html_table(self.table)]
        if len(self.excluded):
            out.append("<p>Excluded</p>" + html_table(self.excluded, index=False))
        return out + [f"<p>{html.escape(n)}</p>" for n in self.notes]


def route(
    classes: Sequence[TaskClass],
    options: Sequence[Option],
    usage: Usage,
    capabilities: Mapping[str, CapabilitySpec],
    discount_rate: float = 0.0,
    *,
    baseline: str | None = None,
    data_must_stay: bool = False,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> Routing:
    """Send each task class to the option that makes the whole workload cheapest.

    Parameters
    ----------
    classes : sequence of TaskClass
        The workload's classes; shares add up to 1.
    options : sequence of Option
        Candidate options (vendor APIs, fleets, strategies).
    usage : Usage
        The whole workload's tokens per month.
    capabilities : mapping
        Option name -> capability (a tier or score for every class) or a mapping class
        name -> capability. Options without an entry are excluded.
    discount_rate : float
        Annual rate; with a rate the NPV is minimised. [-]
    baseline : str, optional
        Option that everything would go to without routing; default: among the options
        that meet every class's need, the cheapest for the whole workload.
    data_must_stay : bool
        Every class's data must stay in the environment (otherwise per class).
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Returns
    -------
    Routing

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=12, output_share=0.5)
    >>> frontier = tco.VendorAPI("frontier", input_usd_per_mtok=3, output_usd_per_mtok=15)
    >>> small = tco.VendorAPI("small", input_usd_per_mtok=0.2, output_usd_per_mtok=0.6)
    >>> classes = [tco.TaskClass("reasoning", share=0.3, need="frontier"),
    ...            tco.TaskClass("extraction", share=0.7, need="basic")]
    >>> r = tco.route(classes, [frontier, small], usage,
    ...               capabilities={"frontier": "frontier", "small": "strong"})
    >>> r.assignment
    {'reasoning': 'frontier', 'extraction': 'small'}
    >>> round(r.savings_usd)  # all-frontier 108,000 - (32,400 + 3,360)
    72240
    """
    classes, options = _check_route(classes, options, capabilities, baseline)
    check_usage(usage)
    rate = check_rate(discount_rate)
    check_capex(capex)
    check_flag(data_must_stay, "data_must_stay")
    check_flag(credit_residual, "credit_residual")
    k = len(classes)
    subsets = subset_arrays(usage.arrays(), classes)
    eligible, caps, excluded = eligibility(options, classes, capabilities, data_must_stay)
    context = CostContext(capex=capex, credit_residual=credit_residual)
    obj, totals = subset_costs(options, subsets, context, rate, classes, eligible, excluded)
    groups = best_partition(obj, eligible, classes, excluded)
    full = 2**k - 1
    total_tokens = subsets.total.sum(axis=-1)
    routed_total = float(sum(totals[j, part] for j, part in groups))
    routed_npv = float(sum(obj[j, part] for j, part in groups)) if rate else routed_total
    notes: list[str] = []
    base_name, base_total, base_npv = _baseline(
        baseline, options, classes, capabilities, totals, obj, full, notes
    )
    notes += _baseline_notes(base_name, options, classes, data_must_stay)
    savings = None
    if base_name is not None and base_total is not None and base_npv is not None:
        savings = (base_npv - routed_npv) if rate else (base_total - routed_total)
    per_mtok = _per_mtok(float(total_tokens[full]))
    return Routing(
        assignment=_assignment(groups, classes, options),
        total_usd=routed_total,
        npv_usd=routed_npv,
        objective="npv_usd" if rate else "total_usd",
        discount_rate=rate,
        baseline=base_name,
        baseline_total_usd=base_total,
        baseline_npv_usd=base_npv,
        savings_usd=savings,
        blended_usd_per_mtok=float(per_mtok(routed_total)),
        baseline_usd_per_mtok=None if base_total is None else float(per_mtok(base_total)),
        table=_class_table(groups, classes, options, totals, total_tokens, caps, data_must_stay),
        excluded=pd.DataFrame(excluded, columns=["option", "task_class", "reason"]),
        option=_routed_option(groups, classes, options),
        notes=tuple(notes),
    )


def _check_route(
    classes: Sequence[TaskClass],
    options: Sequence[Option],
    capabilities: Mapping[str, CapabilitySpec],
    baseline: str | None,
) -> tuple[tuple[TaskClass, ...], list[Option]]:
    checked = check_classes(classes)
    if not isinstance(capabilities, Mapping):
        raise TypeError(
            f"capabilities: {type(capabilities).__name__} -> a mapping of option name -> "
            "tier or score, e.g. {'gpt-4o': 'frontier'}"
        )
    if baseline is not None and not isinstance(baseline, str):
        raise TypeError(f"baseline: {baseline!r} -> an option name, or None")
    if len(checked) > MAX_CLASSES:
        raise ValueError(f"classes: {len(checked)} -> at most {MAX_CLASSES} task classes")
    opts = check_options(options)
    names = [o.name for o in opts]
    unknown = sorted(set(capabilities) - set(names))
    if unknown:
        raise KeyError(f"capabilities: unknown option(s) {unknown}; options are {names}")
    if baseline is not None and baseline not in names:
        raise KeyError(f"baseline: {baseline!r} -> one of {names}")
    return checked, opts


def _assignment(
    groups: list[Group], classes: Sequence[TaskClass], options: Sequence[Option]
) -> dict[str, str]:
    out = {
        c.name: options[j].name
        for j, part in groups
        for i, c in enumerate(classes)
        if part >> i & 1
    }
    return {c.name: out[c.name] for c in classes}


def _per_mtok(tokens: float):  # type: ignore[no-untyped-def]
    if tokens > 0:
        return lambda usd: usd / (tokens / 1e6)
    return lambda usd: np.inf


def _class_table(
    groups: list[Group],
    classes: Sequence[TaskClass],
    options: Sequence[Option],
    totals: np.ndarray,
    total_tokens: np.ndarray,
    caps: dict[tuple[str, str], Capability],
    data_must_stay: bool,
) -> pd.DataFrame:
    """One row per class: each option's cost shared among its classes by tokens."""
    rows = []
    for j, part in groups:
        group_tokens = total_tokens[part]
        for i, c in enumerate(classes):
            if not part >> i & 1:
                continue
            t = total_tokens[1 << i]
            usd = totals[j, part] * (t / group_tokens if group_tokens > 0 else 0.0)
            rows.append(
                {
                    "task_class": c.name,
                    "share": c.share,
                    "need": c.need,
                    "data_must_stay": c.data_must_stay or data_must_stay,
                    "option": options[j].name,
                    "capability": caps[(options[j].name, c.name)],
                    "tokens": t,
                    "cost_usd": usd,
                    "usd_per_mtok": usd / (t / 1e6) if t > 0 else np.inf,
                }
            )
    order = {c.name: i for i, c in enumerate(classes)}
    table = pd.DataFrame(rows).sort_values("task_class", key=lambda s: s.map(order))
    return table.set_index("task_class")


def _routed_option(
    groups: list[Group], classes: Sequence[TaskClass], options: Sequence[Option]
) -> Routed:
    """The routing as an option: options in the order of the first class each serves."""
    k = len(classes)
    used = sorted(
        {j for j, _ in groups},
        key=lambda j: min(i for g, part in groups if g == j for i in range(k) if part >> i & 1),
    )
    routes = tuple(
        tuple(
            c.name
            for i, c in enumerate(classes)
            if any(g == j and part >> i & 1 for g, part in groups)
        )
        for j in used
    )
    name = "routed: " + "; ".join(
        f"{', '.join(r)} -> {options[j].name}" for j, r in zip(used, routes, strict=True)
    )
    return Routed(
        name=name, classes=tuple(classes), options=tuple(options[j] for j in used), routes=routes
    )


def _baseline_notes(
    base_name: str | None,
    options: Sequence[Option],
    classes: Sequence[TaskClass],
    data_must_stay: bool,
) -> list[str]:
    if base_name is None:
        return []
    base = next(o for o in options if o.name == base_name)
    bad = [c.name for c in classes if (data_must_stay or c.data_must_stay) and data_leaves(base)]
    if not bad:
        return []
    return [
        f"the baseline {base_name} may not serve {', '.join(bad)} (data must stay); "
        "it is shown for reference"
    ]


def _baseline(
    baseline: str | None,
    options: list[Option],
    classes: tuple[TaskClass, ...],
    capabilities: Mapping[str, CapabilitySpec],
    totals: np.ndarray,
    obj: np.ndarray,
    full: int,
    notes: list[str],
) -> tuple[str | None, float | None, float | None]:
    """The all-to-one option: given, or the cheapest meeting every need (else the most able)."""
    names = [o.name for o in options]
    if baseline is None:
        able = []
        for j, opt in enumerate(options):
            caps = [capability_for(capabilities.get(opt.name), c) for c in classes]
            if all(why is None for _, why in caps) and all(
                meets(cap, c.need)  # type: ignore[arg-type]
                for (cap, _), c in zip(caps, classes, strict=True)
            ):
                able.append(j)
        if not able:
            notes.append("no single option meets every class's need: no all-to-one baseline")
            return None, None, None
        finite = [j for j in able if np.isfinite(obj[j, full])]
        if not finite:
            return None, None, None
        j = min(finite, key=lambda j: obj[j, full])
    else:
        j = names.index(baseline)
    if not np.isfinite(obj[j, full]):
        notes.append(f"the baseline {names[j]} cannot serve the whole workload")
        return names[j], None, None
    return names[j], float(totals[j, full]), float(obj[j, full])
