"""Shared helpers for the pricing tests: a valid fixture folder and ways to break it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import tco.pricing.load
from tco.pricing import PricingCatalog, PricingError, load_pricing

FIXTURE = Path(__file__).parent / "data" / "pricing_min"
TODAY = date(2026, 11, 28)

API_HEADER = (
    "provider,model,mode,input_usd_per_mtok,output_usd_per_mtok,cache_read_usd_per_mtok,"
    "cache_write_usd_per_mtok,cache_write_1h_usd_per_mtok,batch_discount,"
    "long_context_threshold_tokens,long_context_input_usd_per_mtok,"
    "long_context_output_usd_per_mtok,long_context_cache_read_usd_per_mtok,"
    "flex_input_usd_per_mtok,flex_output_usd_per_mtok,priority_input_usd_per_mtok,"
    "priority_output_usd_per_mtok,context_window,open_weights,data_residency,residency_uplift,"
    "deprecation_date,successor,source,as_of,notes"
)
# The header of api_models.csv before the tier and lifecycle columns (still read: the
# columns it lacks read as empty).
LEGACY_API_HEADER = (
    "provider,model,input_usd_per_mtok,output_usd_per_mtok,cache_read_usd_per_mtok,"
    "cache_write_usd_per_mtok,batch_discount,context_window,open_weights,data_residency,"
    "source,as_of,notes"
)
HARDWARE_HEADER = (
    "gpu,memory_gb,tdp_watts,purchase_usd_per_gpu,memory_bandwidth_tbps,fp16_tflops,"
    "fp8_tflops,fp4_tflops,source,as_of,notes"
)
OFFERS_HEADER = (
    "provider,instance,gpu,gpus_per_instance,plan,usd_per_gpu_hour,region,source,as_of,notes"
)
THROUGHPUT_HEADER = (
    "model,gpu,gpus_per_replica,engine,precision,regime,ttft_p99_s,tpot_p99_s,"
    "tokens_per_s_per_user,prefill_tokens_per_s,decode_tokens_per_s,concurrency,input_tokens,"
    "output_tokens,output_tokens_per_s,estimated,source,as_of,notes"
)
MODEL_SPECS_HEADER = (
    "model,total_params_b,active_params_b,layers,kv_heads,head_dim,hidden_size,max_context,"
    "weight_precision_native,source,as_of,notes"
)
# A valid api row, to be edited cell by cell: 26 cells.
API_ROW = (
    "openai,gpt-4o,chat,2.5,10,1.25,,,0.5,,,,,,,4.25,17,128000,false,,,2027-01-14,,"
    "https://openai.com/api/pricing,2026-07-24,"
)
# The same row under LEGACY_API_HEADER: 13 cells.
LEGACY_API_ROW = (
    "openai,gpt-4o,2.5,10,1.25,,0.5,128000,false,,https://openai.com/api/pricing,2026-07-24,"
)


def copy_fixture(dest: Path) -> Path:
    """A writable copy of the valid fixture folder."""
    shutil.copytree(FIXTURE, dest)
    return dest


def load(folder: Path, **kwargs: object) -> PricingCatalog:
    """Load ``folder`` alone (no bundled data) as of TODAY."""
    kwargs.setdefault("bundled", False)
    kwargs.setdefault("today", TODAY)
    return load_pricing(folder, **kwargs)  # type: ignore[arg-type]


def problems_with(
    tmp_path: Path, file: str, content: str | bytes
) -> list[tuple[str, int | None, str]]:
    """Replace ``file`` in a copy of the fixture; return (file name, line, column) of each
    problem, in the order reported. Fails if loading succeeds."""
    folder = copy_fixture(tmp_path / "prices")
    data = content.encode() if isinstance(content, str) else content
    (folder / file).write_bytes(data)
    try:
        load(folder)
    except PricingError as err:
        return [(Path(p.file).name, p.line, p.column) for p in err.problems]
    raise AssertionError("expected a PricingError")


def error_with(tmp_path: Path, file: str, content: str | bytes) -> PricingError:
    """Like :func:`problems_with` but returns the error itself."""
    folder = copy_fixture(tmp_path / "prices")
    data = content.encode() if isinstance(content, str) else content
    (folder / file).write_bytes(data)
    try:
        load(folder)
    except PricingError as err:
        return err
    raise AssertionError("expected a PricingError")


def use_fixture_as_bundled(monkeypatch: object) -> None:
    """Make the fixture folder play the bundled data."""
    monkeypatch.setattr(tco.pricing.load, "bundled_pricing_dir", lambda: FIXTURE)  # type: ignore[attr-defined]
