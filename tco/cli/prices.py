"""``tco prices check | list | stale | columns | import-litellm``: the pricing catalog."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tco.cli.args import CliError, existing_path
from tco.cli.output import csv_safe, print_problems, text_table
from tco.pricing import STALE_AFTER_DAYS, PricingCatalog, PricingError, load_pricing

__all__ = ["check", "columns", "import_litellm", "list_table", "stale"]

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
    "hardware": ["gpu", "memory_gb", "tdp_watts", "purchase_usd_per_gpu", "as_of"],
    "throughput": [
        "model",
        "gpu",
        "gpus_per_replica",
        "engine",
        "precision",
        "prefill_tokens_per_s",
        "decode_tokens_per_s",
        "concurrency",
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
}
_LIST_NOTES = {
    "api": "prices in USD per million tokens; - = not published "
    "(an empty cache_read means the input price applies)",
    "gpu": "usd_per_gpu_hour in USD per GPU-hour; - = any region / not stated",
    "hardware": "memory in GB, TDP in W, purchase in USD per GPU; - = no public price",
    "throughput": "tokens per second per replica, aggregate over its concurrent requests",
}


def _days(args: argparse.Namespace) -> int:
    """``--days``, or the catalog's staleness limit."""
    return STALE_AFTER_DAYS if args.days is None else int(args.days)


def _load(args: argparse.Namespace, folder: str | None) -> PricingCatalog:
    path = existing_path(folder)
    if path is None and args.no_bundled:
        raise CliError("--no-bundled needs a pricing folder")
    return load_pricing(path, bundled=not args.no_bundled)


def check(args: argparse.Namespace) -> int:
    from tco.pricing.load import check_pricing

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
    return 0


def list_table(args: argparse.Namespace) -> int:
    catalog = _load(args, args.dir)
    df = catalog.table(args.kind)
    if args.csv:
        out = df.copy()
        out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
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
        return 0
    print(text_table(df[["origin", "key", "as_of", "age_days"]]))
    print(f"{len(df)} rows with as_of more than {days} days before {catalog.today}")
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
    print(result.summary())
    for label, ids in (
        ("added", result.added),
        ("updated", result.updated),
        ("unchanged", result.confirmed),
    ):
        if ids and args.verbose:
            print(f"{label}: {', '.join(ids)}")
    if result.skipped and args.verbose:
        for key, reason in result.skipped:
            print(f"skipped {key}: {reason}")
    return 0


def columns(args: argparse.Namespace) -> int:
    from tco.pricing.schema import SPECS

    kinds = [args.kind] if args.kind else list(SPECS)
    for i, kind in enumerate(kinds):
        spec = SPECS[kind]
        if i:
            print()
        print(f"{spec.file} (key: {', '.join(spec.row.key_fields)})")
        width = max(len(c) for c in spec.columns)
        for name, field in spec.row.model_fields.items():
            print(f"  {name.ljust(width)}  {field.description}")
    return 0
