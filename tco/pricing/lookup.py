"""Finding catalog rows by filters, and the messages of look-ups that find none or many.

:class:`tco.pricing.PricingCatalog` answers its look-ups with these functions:
:func:`matching` filters rows, :func:`one_throughput` picks the single throughput row a
fleet is built from (offline unless a regime is asked for), and :func:`throughput_rows`
returns every row that matches, for a caller that chooses among regimes and concurrencies.
"""

from __future__ import annotations

import typing
from collections.abc import Collection, Sequence
from typing import Any

from tco.pricing.problems import AmbiguousPriceError, UnknownPriceError, unknown_key_error
from tco.pricing.rowbase import PricingRow
from tco.pricing.serving import REGIMES, ThroughputMeasurement

__all__ = [
    "THROUGHPUT_FILTERS",
    "asked",
    "describe_throughput",
    "matching",
    "one_throughput",
    "throughput_rows",
]

AnyRow = typing.TypeVar("AnyRow", bound=PricingRow)

THROUGHPUT_FILTERS = tuple(
    name for name in ThroughputMeasurement.model_fields if name not in ("model", "gpu")
)
"""Columns :func:`throughput_rows` can filter on besides ``model`` and ``gpu``."""


def matching(rows: Sequence[AnyRow], wanted: dict[str, Any]) -> list[AnyRow]:
    """The rows equal to every filter of ``wanted`` that is not None (None: any).

    Examples
    --------
    >>> from tco.pricing.schema import GpuHardware
    >>> rows = [GpuHardware(gpu=g, memory_gb=80, tdp_watts=700, source="s", as_of="2026-01-01")
    ...         for g in ("A", "B")]
    >>> [r.gpu for r in matching(rows, {"gpu": "B", "memory_gb": None})]
    ['B']
    """
    return [r for r in rows if all(v is None or getattr(r, k) == v for k, v in wanted.items())]


def asked(wanted: dict[str, Any]) -> str:
    """The filters given, for messages: ``plan='spot', region='eu'``.

    Examples
    --------
    >>> asked({"plan": "spot", "region": None, "gpus": 8})
    "plan='spot', gpus=8"
    """
    return ", ".join(f"{k}={v!r}" for k, v in wanted.items() if v is not None)


def describe_throughput(row: ThroughputMeasurement) -> str:
    """A throughput row as the keyword arguments that would select it (for messages)."""
    text = (
        f"gpu={row.gpu!r}, gpus_per_replica={row.gpus_per_replica}, "
        f"engine={row.engine!r}, precision={row.precision!r}"
    )
    if row.regime != "offline":
        text += f", regime={row.regime!r}, concurrency={row.concurrency!r}"
    return text


def _check_regime(regime: str | None) -> None:
    if regime is not None and regime not in REGIMES:
        raise ValueError(f"regime: {regime!r} -> one of {', '.join(REGIMES)}")


def one_throughput(
    rows: Sequence[ThroughputMeasurement], model: str, wanted: dict[str, Any]
) -> ThroughputMeasurement:
    """The one row for ``model`` matching ``wanted`` (regime None means ``offline``).

    Raises
    ------
    UnknownPriceError
        No row matches: the closest models, or the rows there are for the model.
    AmbiguousPriceError
        Several rows match; the message lists them.
    ValueError
        ``regime`` is not one of :data:`~tco.pricing.serving.REGIMES`.
    """
    _check_regime(wanted.get("regime"))
    for_model = [r for r in rows if r.model == model]
    if not for_model:
        raise unknown_key_error("model", str(model), {r.model for r in rows})
    wanted = {**wanted, "regime": wanted.get("regime") or "offline"}
    match = matching(for_model, wanted)
    if not match:
        raise UnknownPriceError(
            f"no throughput row for {model!r} with {asked(wanted)}; rows for it: "
            + "; ".join(describe_throughput(r) for r in for_model),
            model,
        )
    if len(match) > 1:
        raise AmbiguousPriceError(
            f"{len(match)} throughput rows match {model!r}; narrow the look-up to one of: "
            + "; ".join(describe_throughput(r) for r in match)
        )
    return match[0]


def throughput_rows(
    rows: Sequence[ThroughputMeasurement],
    model: str,
    gpu: str | None,
    filters: dict[str, Any],
    *,
    known_models: Collection[str],
    known_gpus: Collection[str],
) -> list[ThroughputMeasurement]:
    """Every row for ``model`` (and ``gpu``) equal to each filter that is not None.

    Parameters
    ----------
    rows : sequence of ThroughputMeasurement
        The catalog's throughput rows.
    model : str
        A model of the throughput rows or of the model specs (``known_models``).
    gpu : str, optional
        A GPU of the hardware file (``known_gpus``); None: any.
    filters : dict
        Column name -> value; names from :data:`THROUGHPUT_FILTERS`.
    known_models, known_gpus : collection of str
        Names a look-up may use; an unknown one raises, naming the closest.

    Returns
    -------
    list of ThroughputMeasurement
        In file order; empty when the names are known but no row matches.
    """
    bad = sorted(set(filters) - set(THROUGHPUT_FILTERS))
    if bad:
        raise TypeError(
            f"throughput_rows: unknown filter {', '.join(bad)} -> one of "
            + ", ".join(THROUGHPUT_FILTERS)
        )
    _check_regime(filters.get("regime"))
    if model not in known_models:
        raise unknown_key_error("model", str(model), known_models)
    if gpu is not None and gpu not in known_gpus:
        raise unknown_key_error("GPU", str(gpu), known_gpus)
    return matching([r for r in rows if r.model == model], {"gpu": gpu, **filters})
