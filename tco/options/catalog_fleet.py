"""A self-hosted fleet from the pricing catalog: the throughput row that meets a latency
target for the user's workload, the memory it needs, and the GPUs' price.

The steps of :meth:`tco.SelfHosted.from_catalog`, each a function:

1. the rows for (model, GPU) in every regime, narrowed by GPUs per replica, engine and
   precision (``prices.throughput_rows``);
2. the row, or the point of a measured curve, that meets the latency target and serves the
   most requests per second per GPU at the workload's request mix
   (:func:`tco.options.latency.choose_row`); no row meeting it is an error listing them;
3. the memory fit: the weights at the row's precision plus the KV cache of its concurrency
   (one request when it does not say) at the workload's tokens per request (the row's own
   mix when the usage does not say) must fit the replica's usable memory
   (:mod:`tco.options.memory`); a model without specs is said so in the sources, or is an
   error when ``check_memory=True``;
4. the procurement: a GPU rental offer (a reserved plan is a term with on-demand above it)
   or the hardware's purchase price.

Workload translation: the row's prefill and decode rates are taken as the replica's rates
at any mix, so a request of ``i`` input and ``o`` output tokens keeps a replica busy
``i / prefill + o / decode`` seconds (:mod:`tco.options.capacity`). The rates of a row
measured at a latency target are those the target allows; a longer input than the row's
raises the time to first token, which this model does not capture: when, grown in
proportion to the input, it would pass the target, a
:class:`~tco.options.latency.LatencyWarning` says so (bring a row measured at a similar
mix).
"""

from __future__ import annotations

from typing import Any

from tco.core.usage import Usage
from tco.options.latency import Latency, as_latency, choose_row
from tco.options.longer_inputs import warn_longer_inputs
from tco.options.memory import BYTES_PER_PARAM, check_fit, fit
from tco.options.procurement import Buy, Plan, Rent

__all__ = [
    "RESERVED_TERMS",
    "catalog_procurement",
    "choose_throughput",
    "describe_row",
    "memory_note",
    "on_demand_of",
    "request_mix",
    "served_from_catalog",
]

RESERVED_TERMS = {"reserved_1y": 12, "reserved_3y": 36}
"""Term in months of the catalog's reserved plans. A catalog fleet on one commits the GPUs
it needs at each term's start (renewed through the horizon) and rents what it needs above
them at the same instance's on-demand price."""


def request_mix(usage: Usage | None) -> tuple[float, float] | None:
    """Mean (input, output) tokens per request of ``usage`` (None when it does not say).

    Examples
    --------
    >>> u = Usage.from_requests(1e6, 1_500, 500, months=1)
    >>> request_mix(u)
    (1500.0, 500.0)
    """
    if usage is None or usage.tokens_per_request is None:
        return None
    per_request = float(usage.tokens_per_request)
    return per_request * (1.0 - usage.output_share), per_request * usage.output_share


def choose_throughput(
    prices: Any,
    model: str,
    gpu: str,
    latency: Latency | str | None,
    mix: tuple[float, float] | None,
    filters: dict[str, Any],
) -> Any:
    """The catalog row (or curve point) that meets ``latency`` best at ``mix``."""
    rows = prices.throughput_rows(model, gpu=gpu, **filters)
    if not rows:
        asked = ", ".join(f"{k}={v!r}" for k, v in filters.items() if v is not None)
        others = prices.throughput_rows(model)
        listing = sorted({f"{r.gpus_per_replica}x{r.gpu}" for r in others}) or ["none"]
        raise ValueError(
            f"no throughput row for {model!r} on {gpu!r}{' with ' + asked if asked else ''}; "
            f"rows for this model are on: {', '.join(listing)}"
        )
    target = as_latency(latency)
    row = choose_row(rows, target, mix)
    warn_longer_inputs(row, mix, target)
    return row


def served_from_catalog(
    prices: Any,
    model: str,
    gpu: str,
    latency: Latency | str | None,
    usage: Usage | None,
    filters: dict[str, Any],
    check_memory: bool | None,
) -> tuple[Any, dict[str, Any], list[str]]:
    """Steps 1 to 3 for a fleet or serverless workers: the throughput row chosen, the
    fields it sets (throughput, latency target, regime, estimated) and the source lines
    (the row, the memory fit)."""
    mix = request_mix(usage)
    row = choose_throughput(prices, model, gpu, latency, mix, filters)
    fields = {
        "prefill_tokens_per_s": row.prefill_tokens_per_s,
        "decode_tokens_per_s": row.decode_tokens_per_s,
        "latency": as_latency(latency),
        "regime": row.regime,
        "estimated": bool(getattr(row, "estimated", False)),
    }
    return row, fields, [describe_row(row, gpu), memory_note(prices, row, mix, check_memory)]


def describe_row(row: Any, gpu: str) -> str:
    """The chosen row for the sources: regime, latencies, mix, concurrency, estimate."""
    what = [row.regime]
    if row.ttft_p99_s is not None:
        what.append(f"TTFT p99 {row.ttft_p99_s:g} s")
    if row.tpot_p99_s is not None:
        what.append(f"TPOT p99 {row.tpot_p99_s * 1e3:g} ms")
    if getattr(row, "input_tokens", None) and getattr(row, "output_tokens", None):
        what.append(f"at {row.input_tokens}/{row.output_tokens} tokens")
    if row.concurrency is not None:
        what.append(f"concurrency {row.concurrency}")
    if getattr(row, "estimated", False):
        what.append("ESTIMATED (roofline)")
    return (
        f"throughput {row.model} on {row.gpus_per_replica}x{gpu} {row.engine} {row.precision} "
        f"({', '.join(what)}): {row.source} ({row.as_of})"
    )


def memory_note(
    prices: Any, row: Any, mix: tuple[float, float] | None, check_memory: bool | None
) -> str:
    """Check that the replica holds the model (raises when it does not); the line for the
    sources saying what was checked, or why not."""
    if check_memory is False:
        return "memory fit: not checked (check_memory=False)"
    spec = _spec_or_none(prices, row.model)
    if spec is None or row.precision.lower() not in BYTES_PER_PARAM:
        why = "no model spec" if spec is None else f"precision {row.precision!r} not known"
        if check_memory:
            raise ValueError(
                f"check_memory: {row.model!r} cannot be checked ({why}) -> add it to "
                "model_specs.csv, or pass check_memory=None to go on without the check"
            )
        return f"memory fit: not checked ({why})"
    context = sum(mix) if mix is not None else _row_context(row)
    window = getattr(spec, "max_context", None)
    if window is not None and context > window:
        raise ValueError(
            f"usage: requests of {context:,.0f} tokens exceed {row.model}'s context window "
            f"of {window:,} tokens -> shorter requests, or a model with a longer context"
        )
    concurrency = row.concurrency or 1
    hw = prices.hardware(row.gpu)
    result = fit(
        spec,
        precision=row.precision,
        memory_gb=hw.memory_gb,
        gpus_per_replica=row.gpus_per_replica,
        concurrency=concurrency,
        context_tokens=context,
    )
    check_fit(row.model, row.gpu, result, row.gpus_per_replica)
    held = f"{concurrency} request(s) of {context:,.0f} tokens" if context else "weights only"
    return (
        f"memory fit: {result.needed_gb:,.1f} GB needed ({held}) of "
        f"{result.available_gb:,.1f} GB usable"
    )


def _spec_or_none(prices: Any, model: str) -> Any:
    try:
        return prices.model_spec(model)
    except LookupError:
        return None


def _row_context(row: Any) -> float:
    tokens_in, tokens_out = getattr(row, "input_tokens", None), getattr(row, "output_tokens", None)
    return float((tokens_in or 0) + (tokens_out or 0))


def catalog_procurement(
    prices: Any, gpu: str, *, provider: str | None, plan: Plan, region: str | None, buy: bool
) -> tuple[Rent | Buy, str, str]:
    """The catalog's procurement for ``gpu``: (procurement, how in words, source line)."""
    if buy:
        hw = prices.hardware(gpu)
        if hw.purchase_usd_per_gpu is None:
            raise ValueError(
                f"gpu: {gpu!r} has no public purchase price in the catalog; "
                "pass procurement=tco.Buy(usd_per_gpu=...)"
            )
        procurement: Rent | Buy = Buy(
            usd_per_gpu=hw.purchase_usd_per_gpu, kw_per_gpu=hw.tdp_watts / 1000
        )
        return procurement, "bought", f"hardware {gpu}: {hw.source} ({hw.as_of})"
    offer = prices.gpu_offer(gpu, provider=provider, plan=plan, region=region)
    source = (
        f"GPU offer {offer.provider} {offer.instance} {offer.plan}: {offer.source} ({offer.as_of})"
    )
    term = RESERVED_TERMS.get(offer.plan)
    if term is None:
        return (
            Rent(usd_per_gpu_hour=offer.usd_per_gpu_hour, plan=offer.plan),
            (f"{offer.provider} {offer.plan}"),
            source,
        )
    on_demand = on_demand_of(prices, offer)
    procurement = Rent(
        usd_per_gpu_hour=offer.usd_per_gpu_hour,
        plan=offer.plan,
        term_months=term,
        renew=True,
        on_demand_usd_per_gpu_hour=on_demand.usd_per_gpu_hour,
    )
    source += f"; above the commitment: {on_demand.plan} {on_demand.source} ({on_demand.as_of})"
    return procurement, f"{offer.provider} {offer.plan}", source


def on_demand_of(prices: Any, offer: Any) -> Any:
    """The on-demand offer of the same provider, instance and region as ``offer``."""
    try:
        return prices.gpu_offer(
            offer.gpu,
            provider=offer.provider,
            plan="on_demand",
            region=offer.region,
            instance=offer.instance,
        )
    except LookupError as err:
        raise ValueError(
            f"plan: {offer.plan!r} of {offer.provider} {offer.instance} has no on-demand offer "
            "in the catalog to price the GPUs above the commitment -> pass "
            "procurement=tco.Rent(..., term_months=..., on_demand_usd_per_gpu_hour=...)"
        ) from err
