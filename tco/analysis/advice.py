"""How a recommendation is reasoned and told: who can serve what, the rival, the summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tco.analysis.drivers import Driver
from tco.analysis.metrics import per_mtok_words
from tco.analysis.routing import Routing
from tco.core.money import USD, Currency
from tco.core.option import Option, data_leaves
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.routed import CapabilitySpec, TaskClass, capability_for, meets

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["by_name", "cannot_serve", "minimal_self_hosting", "rival_of", "summary"]


def by_name(options: Sequence[Option], name: str) -> Option:
    return next(o for o in options if o.name == name)


def minimal_self_hosting(
    routing: Routing,
    classes: Sequence[TaskClass],
    options: Sequence[Option],
    capabilities: Mapping[str, CapabilitySpec],
    data_must_stay: bool,
) -> dict[str, Any] | None:
    """Capabilities that let fleets serve only the classes no option without GPUs may serve.

    None when the routing uses no fleet (there is nothing to compare it with).
    """
    if not routing.option.uses_gpus():
        return None
    only_fleets = []
    for c in classes:
        served = False
        for o in options:
            if o.uses_gpus():
                continue
            cap, why = capability_for(capabilities.get(o.name), c)
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
        if not o.uses_gpus():
            out[o.name] = spec
            continue
        per_class = {}
        for c in only_fleets:
            cap, why = capability_for(spec, c)
            if why is None:
                per_class[c.name] = cap
        if per_class:
            out[o.name] = per_class
    return out


def cannot_serve(option: Option, classes: Sequence[TaskClass], spec: CapabilitySpec | None) -> str:
    """Why ``option`` cannot serve every class ('' when it can)."""
    problems = []
    for c in classes:
        cap, why = capability_for(spec, c)
        if why is None and not meets(cap, c.need):  # type: ignore[arg-type]
            why = f"capability {cap!r} below {c.name}'s need {c.need!r}"
        if why is None and c.data_must_stay and data_leaves(option):
            why = f"{c.name}'s data must stay in the environment"
        if why is not None:
            problems.append(why)
    return "; ".join(dict.fromkeys(problems))


def rival_of(
    winner: Option,
    table: pd.DataFrame,
    by_name: dict[str, Option],
    reference: VendorAPI | None,
) -> Option | None:
    """The closest option of the other kind: without GPUs against a fleet, or vice versa."""
    for name in table.index[1:]:
        if by_name[name].uses_gpus() != winner.uses_gpus():
            return by_name[name]
    return by_name[table.index[1]] if len(table) > 1 else None


def summary(
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
    currency: Currency = USD,
) -> str:
    what = "NPV" if rate else "total cost"
    col = "npv_usd" if rate else "total_usd"
    rate_words = f" at a {rate:.0%} discount rate" if rate else ""
    rows = table.to_dict(orient="index")
    w = rows[winner.name]
    parts = [
        f"Over {usage.horizon} months{rate_words}, the cheapest feasible choice is "
        f"{winner.name} ({w['kind']}), {what} {currency.words(w[col])} "
        f"({per_mtok_words(w['usd_per_mtok'], currency)})."
    ]
    if rival is not None:
        r = rows[rival.name]
        gap = float(r[col] - w[col])
        pct = gap / r[col] if r[col] else 0.0
        kind = "" if r["kind"] == rival.name else f" ({r['kind']})"
        parts.append(f"That is {currency.words(gap)} ({pct:.0%}) less than {rival.name}{kind}.")
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
        parts.append(routing.headline(currency))
    if excluded:
        parts.append("Excluded: " + "; ".join(f"{n} ({reason})" for n, reason in excluded) + ".")
    return " ".join(parts)
