"""Row models of the self-hosted side: throughput measurements and model specs.

``throughput.csv`` holds one row per measured (or estimated) serving configuration, in one
of four regimes (:data:`REGIMES`):

* ``offline`` -- no latency limit (maximum throughput);
* ``server``, ``interactive`` -- MLPerf Inference scenarios: the p99 time to first token
  and p99 time per output token limits the result met are in ``ttft_p99_s`` /
  ``tpot_p99_s``;
* ``measured`` -- a benchmark run (a user's or a public one) at a stated concurrency, with
  the p99 latencies it achieved.

``model_specs.csv`` holds the architecture figures a memory-fit check and a roofline
estimate need (parameters, layers, KV heads, head dimension, context). Both row models are
re-exported by :mod:`tco.pricing.schema` and :mod:`tco.pricing`.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from tco.pricing.cells import Flag, Name, Positive, PositiveInt
from tco.pricing.rowbase import AsOf, Notes, PricingRow, Source, row_rule

__all__ = ["MIX_TOLERANCE", "REGIMES", "ModelSpec", "Regime", "ThroughputMeasurement"]

REGIMES = ("offline", "server", "interactive", "measured")
"""Regimes a throughput row may be measured in (see the module docstring)."""

Regime = Literal["offline", "server", "interactive", "measured"]

MIX_TOLERANCE = 0.02
"""How far ``T * (ISL / OSL / P + 1 / D)`` may be from 1 in a row (rounding of P and D)."""

_LATENCY = {"server": "limit met", "interactive": "limit met", "measured": "p99 achieved"}


def _regime(info: ValidationInfo) -> str | None:
    """The row's regime, or None when the regime cell itself is bad (reported there)."""
    regime = info.data.get("regime")
    return regime if isinstance(regime, str) else None


class ThroughputMeasurement(PricingRow):
    """A row of ``throughput.csv``: one serving configuration and what it achieved.

    Throughputs are aggregate over the replica's concurrent requests. ``prefill`` and
    ``decode`` are the rates the cost model charges (busy time per request = input /
    prefill + output / decode); ``output_tokens_per_s`` is the figure the row comes from,
    and must agree with them at the stated mix: ``T * (ISL / OSL / P + 1 / D) = 1`` within
    :data:`MIX_TOLERANCE`.

    Examples
    --------
    >>> t = ThroughputMeasurement(model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM",
    ...     gpus_per_replica=1, engine="vllm-0.11.0", precision="bf16", regime="measured",
    ...     ttft_p99_s=0.8, tpot_p99_s=0.05, prefill_tokens_per_s=40000,
    ...     decode_tokens_per_s=5000, concurrency=64, input_tokens=1000, output_tokens=1000,
    ...     output_tokens_per_s=4444.4, estimated=False, source="https://example.org/bench",
    ...     as_of="2026-10-01")
    >>> t.label
    'meta-llama/Llama-3.1-8B-Instruct on 1xH100-SXM vllm-0.11.0 bf16 measured at concurrency 64'
    """

    key_fields: ClassVar[tuple[str, ...]] = (
        "model",
        "gpu",
        "gpus_per_replica",
        "engine",
        "precision",
        "regime",
        "concurrency",
    )

    model: Name = Field(description="model name, non-empty (Hugging Face id)")
    gpu: Name = Field(description="a gpu listed in gpu_hardware.csv")
    gpus_per_replica: PositiveInt = Field(description="a whole number > 0 [GPUs]")
    engine: Name = Field(description="serving engine, non-empty (e.g. vllm-0.11.0, trt-llm)")
    precision: Name = Field(description="weight precision, non-empty (e.g. bf16, fp8, fp4)")
    regime: Regime = Field(description="one of " + ", ".join(REGIMES))
    ttft_p99_s: Positive | None = Field(
        None,
        validate_default=True,
        description="a number > 0 [s]: p99 time to first token (the limit met for server "
        "and interactive, the p99 achieved for measured); empty for offline",
    )
    tpot_p99_s: Positive | None = Field(
        None,
        validate_default=True,
        description="a number > 0 [s]: p99 time per output token (limit met or p99 "
        "achieved, as ttft_p99_s); empty for offline",
    )
    tokens_per_s_per_user: Positive | None = Field(
        None,
        validate_default=True,
        description="a number > 0 [output tokens per second seen by one request], or empty; "
        "required for server, interactive and measured when tpot_p99_s is empty",
    )
    prefill_tokens_per_s: Positive = Field(
        description="a number > 0 [input tokens per second per replica]"
    )
    decode_tokens_per_s: Positive = Field(
        description="a number > 0 [output tokens per second per replica]"
    )
    concurrency: PositiveInt | None = Field(
        None,
        validate_default=True,
        description="a whole number > 0 [concurrent requests], or empty (unbounded); "
        "required for measured",
    )
    input_tokens: PositiveInt | None = Field(
        None,
        validate_default=True,
        description="a whole number > 0 [mean input tokens per request], or empty (not "
        "stated: offline only)",
    )
    output_tokens: PositiveInt | None = Field(
        None,
        validate_default=True,
        description="a whole number > 0 [mean output tokens per request], or empty (not "
        "stated: offline only)",
    )
    output_tokens_per_s: Positive = Field(
        description="a number > 0 [output tokens per second per replica, as measured], "
        "with T * (input_tokens / output_tokens / prefill + 1 / decode) = 1 within 2 %"
    )
    estimated: Flag = Field(
        False, description="true or false: true for an estimate (roofline), false if measured"
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    @field_validator("ttft_p99_s", "tpot_p99_s")
    @classmethod
    def _latency_fits_regime(cls, value: float | None, info: ValidationInfo) -> float | None:
        regime = _regime(info)
        if regime == "offline" and value is not None:
            raise row_rule(
                str(info.field_name),
                f"empty for regime offline (no latency limit); a number > 0 [s] for "
                f"server, interactive or measured rows ({info.field_name})",
            )
        if regime in _LATENCY and value is None and info.field_name == "ttft_p99_s":
            raise row_rule(
                str(info.field_name),
                f"required for regime {regime}: a number > 0 [s], the p99 time to first "
                f"token ({_LATENCY[regime]})",
            )
        return value

    @field_validator("tokens_per_s_per_user")
    @classmethod
    def _some_per_token_latency(cls, value: float | None, info: ValidationInfo) -> float | None:
        regime = _regime(info)
        tpot_empty = "tpot_p99_s" in info.data and info.data["tpot_p99_s"] is None
        if regime in _LATENCY and value is None and tpot_empty:
            raise row_rule(
                str(info.field_name),
                f"required for regime {regime} when tpot_p99_s is empty: a number > 0 "
                "[output tokens per second per request] (or give tpot_p99_s)",
            )
        return value

    @field_validator("concurrency")
    @classmethod
    def _concurrency_for_measured(cls, value: int | None, info: ValidationInfo) -> int | None:
        if _regime(info) == "measured" and value is None:
            raise row_rule(
                str(info.field_name),
                "required for regime measured: a whole number > 0 [concurrent requests of the run]",
            )
        return value

    @field_validator("input_tokens", "output_tokens")
    @classmethod
    def _mix_for_latency_rows(cls, value: int | None, info: ValidationInfo) -> int | None:
        regime = _regime(info)
        if regime in _LATENCY and value is None:
            raise row_rule(
                str(info.field_name),
                f"required for regime {regime}: a whole number > 0 [mean tokens per "
                "request of the run] (the request mix the latencies hold for)",
            )
        return value

    @field_validator("output_tokens_per_s")
    @classmethod
    def _agrees_with_rates(cls, value: float, info: ValidationInfo) -> float:
        d = info.data
        prefill, decode = d.get("prefill_tokens_per_s"), d.get("decode_tokens_per_s")
        if prefill is None or decode is None:
            return value  # a bad rate is reported in its own column
        isl, osl = d.get("input_tokens"), d.get("output_tokens")
        share = value / decode + (value * isl / osl / prefill if isl and osl else 0.0)
        bad = share > 1 + MIX_TOLERANCE if not (isl and osl) else abs(share - 1) > MIX_TOLERANCE
        if bad:
            what = "T * (ISL / OSL / P + 1 / D)" if isl and osl else "T / D"
            allowed = "1" if isl and osl else "at most 1"
            raise row_rule(
                str(info.field_name),
                f"a number > 0 [output tokens per second per replica] that agrees with "
                f"prefill_tokens_per_s and decode_tokens_per_s: {what} must be {allowed} "
                f"within {MIX_TOLERANCE:.0%}, here {share:.3f}",
            )
        return value

    @property
    def label(self) -> str:
        base = f"{self.model} on {self.gpus_per_replica}x{self.gpu} {self.engine} {self.precision}"
        if self.regime == "offline":
            return base
        at = f" at concurrency {self.concurrency}" if self.concurrency is not None else ""
        return f"{base} {self.regime}{at}"


class ModelSpec(PricingRow):
    """A row of ``model_specs.csv``: one open model's architecture figures.

    ``kv_heads`` and ``head_dim`` are what one token's KV cache holds per layer: a KV cache
    stores ``2 * layers * kv_heads * head_dim`` values per token of context
    (:attr:`kv_values_per_token`). Models with multi-head latent attention (DeepSeek-V3/R1)
    cache one compressed latent per layer instead; their rows give the equivalent
    ``kv_heads = 1`` and ``head_dim`` = half the latent width, and say so in ``notes``.

    Examples
    --------
    >>> spec = ModelSpec(model="meta-llama/Llama-3.1-8B-Instruct", total_params_b=8.03,
    ...     active_params_b=8.03, layers=32, kv_heads=8, head_dim=128, hidden_size=4096,
    ...     max_context=131072, weight_precision_native="bf16",
    ...     source="https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct", as_of="2024-07-23")
    >>> spec.kv_values_per_token, spec.moe
    (65536, False)
    """

    key_fields: ClassVar[tuple[str, ...]] = ("model",)

    model: Name = Field(description="model name, non-empty (Hugging Face id)")
    total_params_b: Positive = Field(description="a number > 0 [billions of parameters]")
    active_params_b: Positive = Field(
        description="a number > 0 [billions of parameters used per token], at most "
        "total_params_b (= total for a dense model)"
    )
    layers: PositiveInt = Field(description="a whole number > 0 [transformer layers]")
    kv_heads: PositiveInt = Field(description="a whole number > 0 [key/value heads per layer]")
    head_dim: PositiveInt = Field(description="a whole number > 0 [values per head]")
    hidden_size: PositiveInt = Field(description="a whole number > 0 [model width]")
    max_context: PositiveInt = Field(description="a whole number > 0 [tokens of context]")
    weight_precision_native: Name = Field(
        description="weight precision of the published checkpoint (bf16, fp8, mxfp4, ...)"
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    @field_validator("active_params_b")
    @classmethod
    def _active_within_total(cls, value: float, info: ValidationInfo) -> float:
        total = info.data.get("total_params_b")
        if total is not None and value > total:
            raise row_rule(
                str(info.field_name),
                f"a number > 0 [billions of parameters used per token], at most "
                f"total_params_b ({total:g})",
            )
        return value

    @property
    def moe(self) -> bool:
        """True for a mixture-of-experts model (fewer active than total parameters)."""
        return self.active_params_b < self.total_params_b

    @property
    def kv_values_per_token(self) -> int:
        """Values the KV cache holds per token of context, all layers: ``2 * layers *
        kv_heads * head_dim``. Times bytes per value gives bytes per token."""
        return 2 * self.layers * self.kv_heads * self.head_dim

    @property
    def label(self) -> str:
        return self.model
