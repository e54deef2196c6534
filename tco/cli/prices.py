"""``tco prices check | list | stale | columns | import-litellm``: the pricing catalog."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tco.cli.args import CliError, existing_path, iso_date, non_negative_int
from tco.cli.output import print_problems, text_table
from tco.pricing import STALE_AFTER_DAYS, PricingCatalog, PricingError, load_pricing

__all__ = ["add_commands"]

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


def _load(args: argparse.Namespace, folder: str | None) -> PricingCatalog:
    path = existing_path(folder)
    if path is None and args.no_bundled:
        raise CliError("--no-bundled needs a pricing folder")
    return load_pricing(path, bundled=not args.no_bundled)


def _prices_check(args: argparse.Namespace) -> int:
    try:
        catalog = _load(args, args.dir)
    except PricingError as err:
        print_problems(err, sys.stdout)
        return 1
    c = catalog.counts()
    print(
        f"ok: {' + '.join(catalog.folders)}: {c['api']} API models, {c['gpu']} GPU offers, "
        f"{c['hardware']} GPU types, {c['throughput']} throughput rows"
    )
    for line in catalog.stale_summary(args.days):
        print(f"warning: {line}")
    return 0


def _prices_list(args: argparse.Namespace) -> int:
    catalog = _load(args, args.dir)
    df = catalog.table(args.kind)
    if args.csv:
        out = df.copy()
        out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
        out.to_csv(sys.stdout, index=False)
    else:
        print(text_table(df[_LIST_COLUMNS[args.kind]].rename(columns=_SHORT_NAMES)))
        print(_LIST_NOTES[args.kind])
    return 0


def _prices_stale(args: argparse.Namespace) -> int:
    catalog = _load(args, args.dir)
    df = catalog.stale(args.days)
    if df.empty:
        print(f"no rows older than {args.days} days")
        return 0
    print(text_table(df[["origin", "key", "as_of", "age_days"]]))
    print(f"{len(df)} rows with as_of more than {args.days} days before {catalog.today}")
    return 0


def _prices_import_litellm(args: argparse.Namespace) -> int:
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


def _prices_columns(args: argparse.Namespace) -> int:
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


# ---------------------------------------------------------------------------------------
# Sub-parsers


def _add_data_options(parser: argparse.ArgumentParser, *, positional: bool = False) -> None:
    if positional:
        parser.add_argument(
            "dir", nargs="?", metavar="DIR", help="folder overriding the bundled pricing data"
        )
    else:
        parser.add_argument(
            "--dir", metavar="DIR", help="folder overriding the bundled pricing data"
        )
    parser.add_argument(
        "--no-bundled",
        action="store_true",
        help="read DIR alone, without the bundled data underneath",
    )


def _add_days(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--days",
        type=non_negative_int,
        default=STALE_AFTER_DAYS,
        help=f"{what} (default {STALE_AFTER_DAYS})",
    )


def _add_check(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help="validate the pricing CSVs; exit 1 listing every problem",
        description="Validate the bundled pricing CSVs, and DIR's on top of them. Prints "
        "every problem as file:line: column: value -> allowed and exits 1; on clean data "
        "prints a summary (plus warnings for stale rows) and exits 0.",
    )
    _add_data_options(check, positional=True)
    _add_days(check, "warn about rows older than this many days")
    check.set_defaults(func=_prices_check)


def _add_list(sub: Any) -> None:
    lst = sub.add_parser("list", help="print a pricing table")
    lst.add_argument(
        "--kind",
        choices=["api", "gpu", "hardware", "throughput"],
        default="api",
        help="api: vendor API prices (default); gpu: GPU rental offers; hardware: GPU "
        "types; throughput: measured serving throughput",
    )
    lst.add_argument("--csv", action="store_true", help="print every column as CSV")
    _add_data_options(lst)
    lst.set_defaults(func=_prices_list)


def _add_stale(sub: Any) -> None:
    stale = sub.add_parser("stale", help="list rows whose as_of is older than N days")
    _add_days(stale, "age threshold in days")
    _add_data_options(stale)
    stale.set_defaults(func=_prices_stale)


def _add_columns(sub: Any) -> None:
    cols = sub.add_parser(
        "columns", help="describe every column of the pricing CSVs and what it allows"
    )
    cols.add_argument("--kind", choices=["api", "hardware", "gpu", "throughput"])
    cols.set_defaults(func=_prices_columns)


def _add_import_litellm(sub: Any) -> None:
    imp = sub.add_parser(
        "import-litellm",
        help="add or update API prices from LiteLLM's model_prices_and_context_window.json",
        description="Add or update rows of DIR/api_models.csv from a local copy of LiteLLM's "
        "model_prices_and_context_window.json (chat and completion models only). Rows not "
        "imported keep their exact bytes; the file is validated, then replaced atomically.",
    )
    imp.add_argument("file", metavar="FILE", help="the LiteLLM JSON file")
    imp.add_argument(
        "--provider",
        action="append",
        metavar="P",
        help="only this litellm_provider (repeat for several)",
    )
    imp.add_argument(
        "--dir", metavar="DIR", help="folder whose api_models.csv to update (default: bundled)"
    )
    imp.add_argument("--source", help="source column for the rows written")
    imp.add_argument("--as-of", type=iso_date, help="as_of for the rows written (default today)")
    imp.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")
    imp.add_argument("-v", "--verbose", action="store_true", help="list every id and skip")
    imp.set_defaults(func=_prices_import_litellm)


def add_commands(subparsers: Any) -> None:
    """``tco prices check | list | stale | columns | import-litellm``."""
    prices = subparsers.add_parser(
        "prices",
        help="check, list and update the pricing catalog",
        description="Check, list and update the pricing catalog (bundled CSVs, optionally "
        "overridden row by row by a folder of your own).",
    )
    sub = prices.add_subparsers(dest="prices_command", required=True, metavar="SUBCOMMAND")
    for add in (_add_check, _add_list, _add_stale, _add_columns, _add_import_litellm):
        add(sub)
