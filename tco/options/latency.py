"""Latency targets, and the throughput row that meets one.

A fleet asked to meet a latency target is sized from a throughput row measured under that
target (DESIGN.md): never from a faster row measured without it, never by extrapolation.

* :class:`Latency` holds targets: p99 time to first token and p99 time per output token
  (and, optionally, a floor on tokens per second per user).
* Named tiers: ``"offline"`` (no target: the highest throughput of any row), ``"server"`` and
  ``"interactive"``: rows measured in MLPerf's Server or Interactive scenario (each under its
  benchmark's own limits; an interactive row also serves the server tier), and measured rows
  that meet the tier's targets. The targets are MLPerf Inference's for Llama-2-70B (Server:
  TTFT 2 s, TPOT 200 ms; Interactive: TTFT 450 ms, TPOT 40 ms; `mlperf.conf` and the
  inference rules, "Constraints for the Closed division", v5.0 to v6.1).
* Explicit targets (``Latency(ttft_s=..., tpot_s=...)``) accept server, interactive and
  measured rows whose p99 latencies are within them; offline rows say nothing of latency.
* On a measured curve (rows of one benchmark run at rising concurrency), the point where
  latency reaches the target is interpolated linearly between the two measured points around
  it; beyond the last point that meets it nothing is assumed.

Of the rows that meet the target, the one with the most output tokens per second per GPU is
chosen. None meeting it is an error listing what exists.

A row's time to first token was measured at its own mean input length; for longer requests
see :mod:`tco.options.longer_inputs`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tco.core.units import Flag, Number

__all__ = [
    "TIERS",
    "Latency",
    "Measurement",
    "ServedAt",
    "choose_row",
    "meets",
]

Tier = Literal["offline", "server", "interactive"]


class Latency(BaseModel):
    """Latency targets a fleet must meet (p99 over requests).

    Parameters
    ----------
    ttft_s : float, optional
        Time to first token, 99th percentile. [s]
    tpot_s : float, optional
        Time per output token after the first, 99th percentile. [s]
    tokens_per_s_per_user : float, optional
        Output tokens per second each user sees, at least. [tokens/s]
    name : str
        A label (``"server"`` for the named tier).

    Examples
    --------
    >>> Latency(ttft_s=1.0, tpot_s=0.05)
    Latency(TTFT p99 <= 1 s, TPOT p99 <= 50 ms)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ttft_s: Annotated[Number, Field(gt=0)] | None = None
    tpot_s: Annotated[Number, Field(gt=0)] | None = None
    tokens_per_s_per_user: Annotated[Number, Field(gt=0)] | None = None
    name: str = "targets"

    @model_validator(mode="after")
    def _consistent(self) -> Latency:
        if self.tpot_s is not None and self.tokens_per_s_per_user is not None:
            floor = 1.0 / self.tpot_s
            if self.tokens_per_s_per_user > floor * (1 + 1e-9):
                raise ValueError(
                    f"tokens_per_s_per_user: {self.tokens_per_s_per_user:g} -> at most "
                    f"1 / tpot_s = {floor:g}: the two targets contradict each other"
                )
        return self

    @classmethod
    def tiers(cls) -> dict[str, Latency]:
        """The named tiers and their targets (MLPerf Inference's, for Llama-2-70B).

        Examples
        --------
        >>> Latency.tiers()["interactive"]
        Latency(TTFT p99 <= 0.45 s, TPOT p99 <= 40 ms)
        """
        return dict(TIERS)

    @property
    def bounded(self) -> bool:
        """Whether any target is set (offline: none)."""
        return any(v is not None for v in (self.ttft_s, self.tpot_s, self.tokens_per_s_per_user))

    def __repr__(self) -> str:
        parts = []
        if self.ttft_s is not None:
            parts.append(f"TTFT p99 <= {self.ttft_s:g} s")
        if self.tpot_s is not None:
            parts.append(f"TPOT p99 <= {self.tpot_s * 1e3:g} ms")
        if self.tokens_per_s_per_user is not None:
            parts.append(f">= {self.tokens_per_s_per_user:g} tokens/s per user")
        return f"Latency({', '.join(parts) or 'no target'})"

    __str__ = __repr__


TIERS: dict[str, Latency] = {
    "offline": Latency(name="offline"),
    "server": Latency(ttft_s=2.0, tpot_s=0.2, name="server"),
    "interactive": Latency(ttft_s=0.45, tpot_s=0.04, name="interactive"),
}
"""The named tiers and their targets (MLPerf Inference, Llama-2-70B)."""

REGIMES_OF_TIER = {"server": ("server", "interactive"), "interactive": ("interactive",)}
"""MLPerf scenarios whose rows serve a named tier, whatever their benchmark's own limits."""


class Measurement(Protocol):
    """What a throughput row tells (the catalog's ``ThroughputMeasurement`` has it)."""

    model: str
    gpu: str
    gpus_per_replica: int
    engine: str
    precision: str
    regime: str
    ttft_p99_s: float | None
    tpot_p99_s: float | None
    concurrency: int | None
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    source: str


def as_latency(target: Latency | str | Mapping[str, Any] | None) -> Latency:
    """A :class:`Latency` from a tier name, targets (or their mapping, as in a scenario
    file), or None (offline)."""
    if target is None:
        return TIERS["offline"]
    if isinstance(target, Latency):
        return target
    if isinstance(target, str) and target in TIERS:
        return TIERS[target]
    if isinstance(target, Mapping):
        return Latency(**target)
    raise ValueError(
        f"latency: {target!r} -> one of {', '.join(map(repr, TIERS))} or "
        "tco.Latency(ttft_s=..., tpot_s=...)"
    )


class ServedAt(BaseModel):
    """Fields of an option served from a throughput row (mixed into options): the latency
    target it meets, the row's regime, and whether the row is an estimate.

    Parameters
    ----------
    latency : Latency or str, optional
        A tier name (``"offline"``, ``"server"``, ``"interactive"``) or targets.
    regime : str, optional
        Regime of the throughput row used (set by ``from_catalog``).
    estimated : bool
        True when the throughput is a roofline estimate, not a measurement.
    """

    latency: Latency | None = None
    regime: str | None = None
    estimated: Flag = False

    @field_validator("latency", mode="before")
    @classmethod
    def _tier_by_name(cls, value: Any) -> Any:
        return as_latency(value) if isinstance(value, str | dict) else value


def meets(row: Measurement, target: Latency) -> bool:
    """Whether a row was measured within ``target``.

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> row = Row(regime="measured", ttft_p99_s=0.3, tpot_p99_s=0.03)
    >>> meets(row, TIERS["interactive"]), meets(row, Latency(tpot_s=0.02))
    (True, False)
    """
    if not target.bounded:
        return True
    if target.name in REGIMES_OF_TIER and row.regime in REGIMES_OF_TIER[target.name]:
        return True
    if row.regime == "offline":
        return False
    checks = [(row.ttft_p99_s, target.ttft_s), (row.tpot_p99_s, target.tpot_s)]
    if target.tokens_per_s_per_user is not None:
        checks.append((row.tpot_p99_s, 1.0 / target.tokens_per_s_per_user))
    return all(limit is None or (got is not None and got <= limit) for got, limit in checks)


def per_gpu(row: Measurement, mix: tuple[float, float] = (1.0, 1.0)) -> float:
    """Requests per second per GPU at a request ``mix`` of (input, output) tokens (the
    ranking; by default one input and one output token).

    A replica is busy ``input/P + output/D`` seconds per request (the time-per-request model
    of :mod:`tco.options.capacity`); its requests per second are the inverse, per GPU.

    Examples
    --------
    >>> from types import SimpleNamespace as Row
    >>> row = Row(prefill_tokens_per_s=10_000.0, decode_tokens_per_s=1_000.0, gpus_per_replica=2)
    >>> per_gpu(row, (2_000, 200))  # 0.2 s + 0.2 s per request, on 2 GPUs
    1.25
    """
    tokens_in, tokens_out = mix
    seconds = tokens_in / row.prefill_tokens_per_s + tokens_out / row.decode_tokens_per_s
    return 1.0 / seconds / row.gpus_per_replica


def _curve_key(row: Measurement) -> tuple[Any, ...]:
    return (row.model, row.gpu, row.gpus_per_replica, row.engine, row.precision, row.source)


def _crossing(lo: float | None, hi: float | None, limit: float | None) -> float:
    """Fraction in [0, 1] between two measured points where a rising latency reaches
    ``limit`` (1: it never does)."""
    if limit is None or lo is None or hi is None or hi <= limit:
        return 1.0
    if hi <= lo:
        return 0.0
    return max(0.0, min(1.0, (limit - lo) / (hi - lo)))


def _interpolated(a: Any, b: Any, target: Latency) -> Any | None:
    """The point between measured points ``a`` (meets ``target``) and ``b`` (does not)
    where latency reaches the target, linear in concurrency; None if it is ``a`` itself."""
    tpot = target.tpot_s
    if target.tokens_per_s_per_user is not None:
        floor = 1.0 / target.tokens_per_s_per_user
        tpot = floor if tpot is None else min(tpot, floor)
    f = min(
        _crossing(a.ttft_p99_s, b.ttft_p99_s, target.ttft_s),
        _crossing(a.tpot_p99_s, b.tpot_p99_s, tpot),
    )
    if f <= 0.0 or a.concurrency is None or b.concurrency is None:
        return None

    def mid(x: Any, y: Any) -> Any:
        return None if x is None or y is None else x + f * (y - x)

    return replace(
        a,
        concurrency=math.floor(mid(a.concurrency, b.concurrency)),
        prefill_tokens_per_s=mid(a.prefill_tokens_per_s, b.prefill_tokens_per_s),
        decode_tokens_per_s=mid(a.decode_tokens_per_s, b.decode_tokens_per_s),
        ttft_p99_s=mid(a.ttft_p99_s, b.ttft_p99_s),
        tpot_p99_s=mid(a.tpot_p99_s, b.tpot_p99_s),
        source=f"{a.source} (interpolated between concurrency {a.concurrency} and {b.concurrency})",
    )


def _curve_points(rows: Sequence[Any], target: Latency) -> list[Any]:
    """Rows of measured curves that meet ``target``, plus the interpolated point of each
    curve where latency reaches it."""
    curves: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        if row.regime == "measured" and row.concurrency is not None:
            curves.setdefault(_curve_key(row), []).append(row)
    points = []
    for curve in curves.values():
        curve.sort(key=lambda r: r.concurrency)
        for a, b in itertools.pairwise(curve):
            if meets(a, target) and not meets(b, target):
                point = _interpolated(_plain(a), _plain(b), target)
                if point is not None:
                    points.append(point)
    return points


@dataclass(frozen=True)
class _Point:
    """A copy of a row's fields that :func:`dataclasses.replace` can change."""

    model: str
    gpu: str
    gpus_per_replica: int
    engine: str
    precision: str
    regime: str
    ttft_p99_s: float | None
    tpot_p99_s: float | None
    concurrency: int | None
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    source: str
    as_of: Any = None
    estimated: bool = False


def _plain(row: Any) -> _Point:
    values: dict[str, Any] = {
        k: getattr(row, k) for k in _Point.__dataclass_fields__ if hasattr(row, k)
    }
    return _Point(**values)


def choose_row(
    rows: Sequence[Any], target: Latency | str | None, mix: tuple[float, float] | None = None
) -> Any:
    """The row (or interpolated curve point) meeting ``target`` that serves the most
    requests per second per GPU at the request ``mix`` (input, output tokens; default 1:1);
    a measured row beats an estimated one.

    Raises
    ------
    ValueError
        When no row meets the target, listing the rows that exist with their regime and
        latencies.
    """
    goal = as_latency(target)
    candidates = [r for r in rows if meets(r, goal)] + _curve_points(rows, goal)
    if not candidates:
        raise ValueError(_nothing_meets(rows, goal))
    measured = [r for r in candidates if not getattr(r, "estimated", False)]
    weights = (1.0, 1.0) if mix is None else mix
    return max(measured or candidates, key=lambda r: per_gpu(r, weights))


def _nothing_meets(rows: Sequence[Any], goal: Latency) -> str:
    lines = [
        f"  {r.gpus_per_replica}x{r.gpu} {r.engine} {r.precision}: {r.regime}, "
        f"TTFT p99 {_seconds(r.ttft_p99_s)}, TPOT p99 {_seconds(r.tpot_p99_s)}"
        + (f", concurrency {r.concurrency}" if r.concurrency is not None else "")
        for r in rows
    ]
    return (
        f"latency: no throughput row meets {goal!r} (no extrapolation is made); the rows "
        "that exist:\n" + ("\n".join(lines) if lines else "  (none)")
    )


def _seconds(value: float | None) -> str:
    return "not stated" if value is None else f"{value:g} s"
