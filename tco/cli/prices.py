"""``tco prices check | list | stale | columns | import-litellm | import-genai-prices |
import-mlperf | import-bench``: the pricing catalog."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tco.cli.args import CliError, existing_path
from tco.cli.output import csv_safe, print_problems, text_table
from tco.pricing import STALE_AFTER_DAYS, PricingCatalog, PricingError, load_pricing
from tco.pricing.lifecycle import RETIRING_WITHIN_DAYS

if TYPE_CHECKING:
    from tco.pricing.importing import ImportResult

__all__ = [
    "check",
    "columns",
    "estimate",
    "import_bench",
    "import_genai_prices",
    "import_litellm",
    "import_mlperf",
    "list_table",
    "stale",
]

_LIST_COLUMNS = {
    "api": [
        "id",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cache_read_usd_per_mtok",
        "cache_write_usd_per_mtok",
        "batch_discount",
        "context_window",
        "open_weights",
        "as_of",
    ],
    "gpu": [
        "provider",
        "instance",
        "gpu",
        "gpus_per_instance",
        "plan",
        "usd_per_gpu_hour",
        "region",
        "as_of",
    ],
    "hardware": [
        "gpu",
        "memory_gb",
        "tdp_watts",
        "purchase_usd_per_gpu",
        "memory_bandwidth_tbps",
        "fp16_tflops",
        "fp8_tflops",
        "fp4_tflops",
        "as_of",
    ],
    "history": [
        "provider",
        "model",
        "tier",
        "effective_from",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cache_read_usd_per_mtok",
        "as_of",
    ],
    "fx": ["currency", "usd_per_unit", "as_of"],
    "throughput": [
        "model",
        "gpu",
        "gpus_per_replica",
        "engine",
        "precision",
        "regime",
        "ttft_p99_s",
        "tpot_p99_s",
        "prefill_tokens_per_s",
        "decode_tokens_per_s",
        "concurrency",
        "output_tokens_per_s",
        "estimated",
        "as_of",
    ],
    "serverless": [
        "provider",
        "product",
        "gpu",
        "usd_per_gpu_second",
        "billing_increment_s",
        "cold_start_s",
        "idle_timeout_s",
        "max_workers",
        "max_gpus",
        "max_gpus_per_worker",
        "scale_to_zero",
        "as_of",
    ],
    "models": [
        "model",
        "total_params_b",
        "active_params_b",
        "layers",
        "kv_heads",
        "head_dim",
        "max_context",
        "weight_precision_native",
        "as_of",
    ],
}


_SHORT_NAMES = {
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cache_read_usd_per_mtok": "cache_read",
    "cache_write_usd_per_mtok": "cache_write",
    "batch_discount": "batch_discount",
    "context_window": "context",
    "open_weights": "open_weights",
    "purchase_usd_per_gpu": "purchase",
    "memory_bandwidth_tbps": "bandwidth",
    "prefill_tokens_per_s": "prefill",
    "decode_tokens_per_s": "decode",
    "output_tokens_per_s": "output",
    "ttft_p99_s": "ttft_p99",
    "tpot_p99_s": "tpot_p99",
    "weight_precision_native": "precision",
    "usd_per_gpu_second": "usd_per_gpu_s",
    "billing_increment_s": "increment_s",
    "max_gpus_per_worker": "max_per_worker",
}
_LIST_NOTES = {
    "api": "prices in USD per million tokens; - = not published "
    "(an empty cache_read means the input price applies)",
    "gpu": "usd_per_gpu_hour in USD per GPU-hour; - = any region / not stated",
    "hardware": "memory in GB, TDP in W, purchase in USD per GPU, bandwidth in TB/s, dense "
    "TFLOPS; - = not published",
    "throughput": "tokens per second per replica, aggregate over its concurrent requests; "
    "ttft/tpot p99 in s (limit met for server/interactive, achieved for measured); "
    "estimated = roofline estimate, not a measurement",
    "models": "parameters in billions; kv_heads x head_dim per layer; context in tokens",
    "serverless": "usd_per_gpu_s in USD per GPU-second (GPU only); times in s; max_* are "
    "default quotas; - = not published",
    "history": "prices in USD per million tokens from effective_from until the model's next row",
    "fx": "usd_per_unit: US dollars per unit of the currency",
}


def _days(args: argparse.Namespace) -> int:
    """``--days``, or the catalog's staleness limit."""
    return STALE_AFTER_DAYS if args.days is None else int(args.days)


def _load(args: argparse.Namespace, folder: str | None) -> PricingCatalog:
    path = existing_path(folder)
    if path is None and args.no_bundled:
        raise CliError("--no-bundled needs a pricing folder")
    return load_pricing(path, bundled=not args.no_bundled)


def _safe(text: str) -> str:
    """Text from a price source as printed: control characters escaped (``\\x1b``)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def check(args: argparse.Namespace) -> int:
    from tco.pricing.check import check_pricing

    path = existing_path(args.dir)
    if path is None and args.no_bundled:
        raise CliError("--no-bundled needs a pricing folder")
    try:
        found = check_pricing(path, bundled=not args.no_bundled, days=_days(args))
    except PricingError as err:
        print_problems(err, sys.stdout)
        return 1
    c = found.counts
    print(
        f"ok: {' + '.join(found.folders)}: {c['api']} API models, {c['gpu']} GPU offers, "
        f"{c['hardware']} GPU types, {c['throughput']} throughput rows"
    )
    for line in found.stale:
        print(f"warning: {line}")
    for line in found.lifecycle:
        print(_safe(line))
    return 0


def list_table(args: argparse.Namespace) -> int:
    catalog = _load(args, args.dir)
    df = catalog.table(args.kind)
    if args.csv:
        out = df.copy()
        for name in ("as_of", "effective_from", "deprecation_date"):
            if name in out:
                out[name] = out[name].dt.strftime("%Y-%m-%d")
        csv_safe(out).to_csv(sys.stdout, index=False)
    else:
        print(text_table(df[_LIST_COLUMNS[args.kind]].rename(columns=_SHORT_NAMES)))
        print(_LIST_NOTES[args.kind])
    return 0


def stale(args: argparse.Namespace) -> int:
    catalog = _load(args, args.dir)
    days = _days(args)
    df = catalog.stale(days)
    if df.empty:
        print(f"no rows older than {days} days")
    else:
        print(text_table(df[["origin", "key", "as_of", "age_days"]]))
        print(f"{len(df)} rows with as_of more than {days} days before {catalog.today}")
    life = catalog.lifecycle()
    life = life[life["status"] != "current"]
    if not life.empty:
        print()
        columns = ["origin", "id", "deprecation_date", "status", "days_left", "successor"]
        print(text_table(life[columns]))
        print(
            f"{(life['status'] == 'retired').sum()} API models retired and "
            f"{(life['status'] == 'retiring').sum()} retiring within "
            f"{RETIRING_WITHIN_DAYS} days of {catalog.today}"
        )
    return 0


def import_litellm(args: argparse.Namespace) -> int:
    from tco.pricing.litellm import import_litellm

    json_path = Path(args.file)
    if not json_path.is_file():
        raise CliError(f"file {args.file!r} does not exist")
    folder = existing_path(args.dir)
    result = import_litellm(
        json_path,
        folder,
        providers=args.provider,
        source=args.source,
        as_of=args.as_of,
        dry_run=args.dry_run,
    )
    _print_import(result, verbose=args.verbose)
    return 0


def import_genai_prices(args: argparse.Namespace) -> int:
    from tco.pricing.genai_prices import import_genai_prices

    path = None
    if args.file is not None:
        path = Path(args.file)
        if not path.is_file():
            raise CliError(f"file {args.file!r} does not exist")
    result = import_genai_prices(
        path,
        existing_path(args.dir),
        providers=args.provider,
        source=args.source,
        as_of=args.as_of,
        dry_run=args.dry_run,
    )
    _print_import(result, verbose=args.verbose)
    return 0


def _print_import(result: ImportResult, *, verbose: bool) -> None:
    """The summary line; with ``verbose`` every id by what happened to it, and every skip."""
    print(result.summary())
    if verbose:
        for line in result.details():
            print(_safe(line))
    elif result.left or result.notes:
        print(
            f"{len(result.left)} rows left as they were; {len(result.notes)} notes (-v lists them)"
        )


def import_mlperf(args: argparse.Namespace) -> int:
    from tco.pricing.mlperf import import_mlperf

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"file {args.file!r} does not exist")
    result = import_mlperf(
        path,
        args.dir,
        round=args.round,
        as_of=args.as_of,
        input_tokens=dict(args.input_tokens or ()),
        gpus=args.gpu,
        dry_run=args.dry_run,
    )
    for line in result.summary():
        print(line)
    return 0


def import_bench(args: argparse.Namespace) -> int:
    from tco.pricing.benchmarks import import_bench

    for name in args.files:
        if not Path(name).is_file():
            raise CliError(f"file {name!r} does not exist")
    result = import_bench(
        [Path(f) for f in args.files],
        args.dir,
        tool=args.tool,
        model=args.model,
        gpu=args.gpu,
        gpus_per_replica=args.gpus_per_replica,
        engine=args.engine,
        precision=args.precision,
        source=args.source,
        as_of=args.as_of,
        dry_run=args.dry_run,
    )
    for line in result.summary():
        print(line)
    return 0


def estimate(args: argparse.Namespace) -> int:
    from tco.pricing.estimates import write_estimates

    merge = write_estimates(args.dir, dry_run=args.dry_run)
    print(merge.summary(written=not args.dry_run and bool(merge.added or merge.changed)))
    return 0


def columns(args: argparse.Namespace) -> int:
    from tco.pricing.schema import ALL_SPECS, SPECS

    kinds = [args.kind] if args.kind else list(SPECS)
    for i, kind in enumerate(kinds):
        spec = ALL_SPECS[kind]
        if i:
            print()
        print(f"{spec.file} (key: {', '.join(spec.row.key_fields)})")
        width = max(len(c) for c in spec.columns)
        for name, field in spec.row.model_fields.items():
            print(f"  {name.ljust(width)}  {field.description}")
    return 0
