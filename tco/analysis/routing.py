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
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, model_validator

from tco.analysis.simulate import cost_path
from tco.core.costs import CapexView, CostContext, CostParts, Option
from tco.core.usage import Share, Usage, UsageArrays
from tco.options.strategies import combine_parts, data_leaves, prefixed_params, split_params

Tier = Literal["basic", "strong", "frontier"]
TIERS: dict[str, int] = {"basic": 1, "strong": 2, "frontier": 3}
"""Capability tiers in increasing order."""

MAX_CLASSES = 12
"""Most task classes :func:`route` searches exhaustively (3**12 subset pairs)."""

Capability = Tier | float
CapabilitySpec = Capability | Mapping[str, Capability]


class TaskClass(BaseModel):
    """A class of work within a workload.

    Parameters
    ----------
    name : str
        Label, e.g. ``"extraction"``.
    share : float
        Share of the workload's tokens (input + output) in this class. (0-1]
    need : {"basic", "strong", "frontier"} or float
        Capability the class needs: a tier, or a minimum benchmark score.
    output_share, cached_input_share : float, optional
        The class's own token shape; defaults to the workload's. [0-1]
    data_must_stay : bool
        True when the class's data may not leave the environment (regulated data).
    description : str

    Examples
    --------
    >>> TaskClass("extraction", share=0.6, need="basic", output_share=0.1)
    TaskClass('extraction', share=0.6, need='basic')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    share: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
    need: Tier | Annotated[float, Field(allow_inf_nan=False)]
    output_share: Share | None = None
    cached_input_share: Share | None = None
    data_must_stay: bool = False
    description: str = ""

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    def __repr__(self) -> str:
        stay = ", data_must_stay=True" if self.data_must_stay else ""
        return f"TaskClass({self.name!r}, share={self.share:g}, need={self.need!r}{stay})"

    __str__ = __repr__


def meets(capability: Capability, need: Capability) -> bool:
    """Whether a capability meets a need: tiers by rank, scores by value.

    Examples
    --------
    >>> meets("frontier", "strong"), meets("basic", "strong"), meets(82.0, 80)
    (True, False, True)
    """
    cap_tier, need_tier = isinstance(capability, str), isinstance(need, str)
    if cap_tier != need_tier:
        raise ValueError(
            f"cannot compare capability {capability!r} with need {need!r}: use tiers "
            f"({', '.join(TIERS)}) or scores on both sides"
        )
    if cap_tier:
        return TIERS[capability] >= TIERS[need]  # type: ignore[index]
    return float(capability) >= float(need)


def _rank(capability: Capability) -> float:
    return float(TIERS[capability]) if isinstance(capability, str) else float(capability)


def class_arrays(usage: UsageArrays, classes: Sequence[TaskClass]) -> list[UsageArrays]:
    """Token arrays of each class (broadcast over a batch like ``usage``)."""
    total = usage.total
    with np.errstate(divide="ignore", invalid="ignore"):
        cache_ratio = np.where(usage.input > 0, usage.cached_input / usage.input, 0.0)
    out = []
    for c in classes:
        if c.output_share is None:
            inp, outp = usage.input * c.share, usage.output * c.share
        else:
            inp = total * c.share * (1.0 - c.output_share)
            outp = total * c.share * c.output_share
        cached = inp * (cache_ratio if c.cached_input_share is None else c.cached_input_share)
        out.append(
            UsageArrays(
                input=inp,
                output=outp,
                cached_input=cached,
                peak_to_average=usage.peak_to_average,
                operating_hours=usage.operating_hours,
            )
        )
    return out


def _sum_arrays(parts: Sequence[UsageArrays], like: UsageArrays) -> UsageArrays:
    zero = np.zeros_like(like.input)
    return UsageArrays(
        input=sum((p.input for p in parts), zero),
        output=sum((p.output for p in parts), zero),
        cached_input=sum((p.cached_input for p in parts), zero),
        peak_to_average=like.peak_to_average,
        operating_hours=like.operating_hours,
    )


def check_classes(classes: Sequence[TaskClass]) -> tuple[TaskClass, ...]:
    classes = tuple(classes)
    if not classes:
        raise ValueError("classes: empty -> give at least one TaskClass")
    for i, c in enumerate(classes):
        if not isinstance(c, TaskClass):
            raise TypeError(f"classes[{i}]: {type(c).__name__} -> expected a tco.TaskClass")
    names = [c.name for c in classes]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"classes: duplicate name(s) {dupes}")
    total = sum(c.share for c in classes)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(
            f"classes: shares add up to {total:.6g} -> they must add up to 1 "
            f"({', '.join(f'{c.name}={c.share:g}' for c in classes)})"
        )
    kinds = {isinstance(c.need, str) for c in classes}
    if len(kinds) > 1:
        raise ValueError("classes: needs mix tiers and scores -> use one or the other")
    return classes


# --------------------------------------------------------------------------- Routed
class Routed(Option):
    """An option that serves each task class with its assigned option.

    Classes sent to the same option are served together; every part is costed against
    its classes' tokens only. Usually built by :func:`route` (``Routing.option``).

    Parameters
    ----------
    classes : tuple of TaskClass
    options : tuple of Option
        The options in use.
    routes : tuple of tuple of str
        For each option, the names of the classes it serves.

    Notes
    -----
    :meth:`core_params` keys are ``"route1.<path>"``, ``"route2.<path>"``, ... in the order
    of ``options``.
    """

    classes: tuple[TaskClass, ...]
    options: tuple[SerializeAsAny[Option], ...]
    routes: tuple[tuple[str, ...], ...]

    @model_validator(mode="after")
    def _check_routes(self) -> Routed:
        check_classes(self.classes)
        if len(self.routes) != len(self.options):
            raise ValueError("routes: one tuple of class names per option")
        known = [c.name for c in self.classes]
        seen = [n for r in self.routes for n in r]
        unknown = sorted(set(seen) - set(known))
        if unknown:
            raise ValueError(f"routes: unknown class(es) {unknown}; classes are {known}")
        if sorted(seen) != sorted(known):
            raise ValueError("routes: every class must be routed to exactly one option")
        return self

    @property
    def data_leaves_environment(self) -> bool:
        return any(data_leaves(o) for o in self.options)

    def _parts(self) -> dict[str, Option]:
        return {f"route{i + 1}": o for i, o in enumerate(self.options)}

    def core_params(self) -> dict[str, Any]:
        return prefixed_params(self._parts())

    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **params: Any
    ) -> CostParts:
        """Each option's costs for its classes' tokens (see :meth:`core_params`)."""
        context = context or CostContext()
        split = split_params(params, self._parts())
        names = [c.name for c in self.classes]
        by_name = dict(zip(names, class_arrays(usage, self.classes), strict=True))
        parts = []
        for (role, option), served in zip(self._parts().items(), self.routes, strict=True):
            tokens = _sum_arrays([by_name[n] for n in served], usage)
            parts.append((role, option.cost_parts(tokens, context, **split[role])))
        return combine_parts(parts)

    def __repr__(self) -> str:
        routes = "; ".join(
            f"{o.name}: {', '.join(r)}" for o, r in zip(self.options, self.routes, strict=True)
        )
        return f"Routed({self.name!r}: {routes})"

    __str__ = __repr__


# --------------------------------------------------------------------------- route
@dataclass(frozen=True, repr=False)
class Routing:
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

    def headline(self) -> str:
        groups: dict[str, list[str]] = {}
        for cls, opt in self.assignment.items():
            groups.setdefault(opt, []).append(cls)
        plan = "; ".join(f"{', '.join(c)} -> {o}" for o, c in groups.items())
        what = "NPV" if self.objective == "npv_usd" else "total"
        value = self.npv_usd if self.objective == "npv_usd" else self.total_usd
        text = f"Route {plan}: {what} ${value:,.0f} (${self.blended_usd_per_mtok:,.3f}/MTok)"
        if self.baseline is not None and self.savings_usd is not None:
            base = self.baseline_npv_usd if self.objective == "npv_usd" else self.baseline_total_usd
            pct = self.savings_usd / base if base else 0.0
            text += (
                f", ${self.savings_usd:,.0f} ({pct:.0%}) less than sending everything to "
                f"{self.baseline}"
            )
        return text + "."

    def to_frame(self) -> pd.DataFrame:
        """The per-class table."""
        return self.table.copy()

    def __repr__(self) -> str:
        lines = [f"Routing ({len(self.assignment)} classes)", f"  {self.headline()}"]
        lines += [f"  note: {n}" for n in self.notes]
        if len(self.excluded):
            lines.append(f"  excluded: {len(self.excluded)} option/class pairs (see .excluded)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        out = f"<div><p><b>{html.escape(self.headline())}</b></p>"
        out += self.table.to_html(float_format=lambda x: f"{x:,.2f}")
        if len(self.excluded):
            out += "<p>Excluded</p>" + self.excluded.to_html(index=False)
        return out + "".join(f"<p>{html.escape(n)}</p>" for n in self.notes) + "</div>"


def _capability_for(
    spec: CapabilitySpec | None, cls: TaskClass
) -> tuple[Capability | None, str | None]:
    if spec is None:
        return None, "no capability declared for this option"
    if isinstance(spec, Mapping):
        if cls.name not in spec:
            return None, f"no capability declared for class {cls.name!r}"
        return spec[cls.name], None
    return spec, None


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
    classes = check_classes(classes)
    if len(classes) > MAX_CLASSES:
        raise ValueError(f"classes: {len(classes)} -> at most {MAX_CLASSES} task classes")
    options = list(options)
    if not options:
        raise ValueError("options: empty -> give at least one option")
    names = [o.name for o in options]
    if len(set(names)) != len(names):
        raise ValueError(f"options: duplicate names in {names}")
    unknown = sorted(set(capabilities) - set(names))
    if unknown:
        raise KeyError(f"capabilities: unknown option(s) {unknown}; options are {names}")
    if baseline is not None and baseline not in names:
        raise KeyError(f"baseline: {baseline!r} -> one of {names}")
    if not isinstance(usage, Usage):
        raise TypeError(f"usage: {type(usage).__name__} -> expected a tco.Usage")
    rate = float(discount_rate)
    if not np.isfinite(rate) or rate <= -1.0 or rate > 10.0:
        raise ValueError(f"discount_rate: {discount_rate!r} -> an annual rate in (-1, 10]")

    k, h = len(classes), usage.horizon
    arrays = usage.arrays()
    per_class = class_arrays(arrays, classes)
    # every subset of classes as one batch row: membership (2**k, k) @ class tokens (k, H)
    member = ((np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1).astype(float)

    def stack(attr: str) -> np.ndarray:
        return member @ np.stack([np.broadcast_to(getattr(a, attr), (h,)) for a in per_class])

    subsets = UsageArrays(
        input=stack("input"),
        output=stack("output"),
        cached_input=stack("cached_input"),
        peak_to_average=arrays.peak_to_average,
        operating_hours=arrays.operating_hours,
    )
    context = CostContext(capex=capex, credit_residual=credit_residual)
    total_tokens = subsets.total.sum(axis=-1)

    excluded: list[tuple[str, str, str]] = []
    eligible = np.zeros(len(options), dtype=np.int64)  # bitmask of classes per option
    caps: dict[tuple[str, str], Capability] = {}
    for j, opt in enumerate(options):
        for i, c in enumerate(classes):
            cap, why = _capability_for(capabilities.get(opt.name), c)
            if why is None and not meets(cap, c.need):  # type: ignore[arg-type]
                why = f"capability {cap!r} below the class's need {c.need!r}"
            if why is None and (data_must_stay or c.data_must_stay) and data_leaves(opt):
                why = "data leaves the environment; the class's data must stay"
            if why is None:
                eligible[j] |= 1 << i
                caps[(opt.name, c.name)] = cap  # type: ignore[assignment]
            else:
                excluded.append((opt.name, c.name, why))

    objective = "npv_usd" if rate else "total_usd"
    obj = np.full((len(options), 2**k), np.inf)
    totals = np.full((len(options), 2**k), np.inf)
    for j, opt in enumerate(options):
        parts = opt.cost_parts(subsets, context)
        shape = (2**k, h)
        up, rec, end = parts.sums(shape)
        totals[j] = (up + rec + end).sum(axis=-1)
        pv = sum(cost_path(parts, shape, rate)) if rate else up + rec + end
        obj[j] = np.asarray(pv).sum(axis=-1)
        if parts.unserved_tokens is not None:
            unserved = np.broadcast_to(parts.unserved_tokens, shape).sum(axis=-1)
            short = unserved > 1e-9 * np.maximum(total_tokens, 1.0)
            obj[j, short] = np.inf
            for i, c in enumerate(classes):
                if short[1 << i] and eligible[j] >> i & 1:
                    excluded.append((opt.name, c.name, "leaves demand unserved (fleet too small)"))
    obj[:, 0] = 0.0
    totals[:, 0] = 0.0

    masks = np.arange(2**k)
    allowed = (masks[None, :] & ~eligible[:, None]) == 0
    cost = np.where(allowed, obj, np.inf)
    best_option = np.argmin(cost, axis=0)
    best_cost = cost[best_option, masks]

    for i, c in enumerate(classes):
        if not np.isfinite(best_cost[1 << i]):
            reasons = "; ".join(f"{o}: {r}" for o, cl, r in excluded if cl == c.name)
            raise ValueError(f"class {c.name!r}: no option can serve it ({reasons})")

    full = 2**k - 1
    dp = np.full(2**k, np.inf)
    dp[0] = 0.0
    choice = np.zeros(2**k, dtype=np.int64)
    for mask in range(1, 2**k):
        low = mask & -mask
        rest = mask ^ low
        sub = rest
        while True:
            part = sub | low
            value = dp[mask ^ part] + best_cost[part]
            if value < dp[mask]:
                dp[mask], choice[mask] = value, part
            if sub == 0:
                break
            sub = (sub - 1) & rest

    groups: list[tuple[int, int]] = []  # (option index, subset)
    mask = full
    while mask:
        part = int(choice[mask])
        groups.append((int(best_option[part]), part))
        mask ^= part
    groups.sort(key=lambda g: (g[0], g[1]))

    assignment: dict[str, str] = {}
    for j, part in groups:
        for i, c in enumerate(classes):
            if part >> i & 1:
                assignment[c.name] = options[j].name
    assignment = {c.name: assignment[c.name] for c in classes}
    routed_total = float(sum(totals[j, part] for j, part in groups))
    routed_npv = float(sum(obj[j, part] for j, part in groups)) if rate else routed_total

    all_tokens = float(total_tokens[full])
    per_mtok = (lambda usd: usd / (all_tokens / 1e6)) if all_tokens > 0 else (lambda usd: np.inf)

    # the per-class table: each option's cost shared among its classes by tokens
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
    table = table.set_index("task_class")

    notes: list[str] = []
    base_name, base_total, base_npv = _baseline(
        baseline, options, classes, capabilities, totals, obj, full, notes
    )
    if base_name is not None:
        j = names.index(base_name)
        bad = [
            c.name
            for c in classes
            if (data_must_stay or c.data_must_stay) and data_leaves(options[j])
        ]
        if bad:
            notes.append(
                f"the baseline {base_name} may not serve {', '.join(bad)} (data must stay); "
                "it is shown for reference"
            )
    savings = None
    if base_name is not None and base_total is not None and base_npv is not None:
        savings = (base_npv - routed_npv) if rate else (base_total - routed_total)

    # options in the order of the first class each serves
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
    routed = Routed(
        name="routed: "
        + "; ".join(
            f"{', '.join(r)} -> {options[j].name}" for j, r in zip(used, routes, strict=True)
        ),
        classes=classes,
        options=tuple(options[j] for j in used),
        routes=routes,
    )
    return Routing(
        assignment=assignment,
        total_usd=routed_total,
        npv_usd=routed_npv,
        objective=objective,
        discount_rate=rate,
        baseline=base_name,
        baseline_total_usd=base_total,
        baseline_npv_usd=base_npv,
        savings_usd=savings,
        blended_usd_per_mtok=float(per_mtok(routed_total)),
        baseline_usd_per_mtok=None if base_total is None else float(per_mtok(base_total)),
        table=table,
        excluded=pd.DataFrame(excluded, columns=["option", "task_class", "reason"]),
        option=routed,
        notes=tuple(notes),
    )


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
            caps = [_capability_for(capabilities.get(opt.name), c) for c in classes]
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


__all__ = [
    "MAX_CLASSES",
    "TIERS",
    "Routed",
    "Routing",
    "TaskClass",
    "Tier",
    "class_arrays",
    "meets",
    "route",
]
