"""The ``tco`` command line.

Exit codes: 0 success; 1 the pricing data has problems (each printed as
``file:line: column: value -> allowed``); 2 a usage error (bad option, missing file or
folder), reported in one line on stderr without a traceback.

Commands are registered by small functions (``_add_prices_commands`` ...) listed in
``COMMANDS``; each adds its sub-parsers and sets ``func``, a callable taking the parsed
arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from tco.analysis.breakeven import VolumeBreakEven
from tco.core.files import write_text_atomically
from tco.pricing import (
    STALE_AFTER_DAYS,
    PricingCatalog,
    PricingError,
    load_pricing,
)
from tco.scenario import Scenario, ScenarioError, ScenarioMeta

__all__ = ["COMMANDS", "CliError", "build_parser", "main"]


class CliError(Exception):
    """A usage error: printed as one line on stderr, exit code 2."""


# ---------------------------------------------------------------------------------------
# Helpers shared by commands


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 0")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _existing_path(path: str | None, what: str = "pricing folder") -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if not p.exists():
        raise CliError(f"{what} {path!r} does not exist")
    return p


def _load(args: argparse.Namespace, folder: str | None) -> PricingCatalog:
    path = _existing_path(folder)
    if path is None and args.no_bundled:
        raise CliError("--no-bundled needs a pricing folder")
    return load_pricing(path, bundled=not args.no_bundled)


def _print_problems(err: PricingError, stream: Any) -> None:
    for problem in err.problems:
        print(problem, file=stream)
    n = len(err.problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=stream)


def _number(x: Any) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.10g}"


def _table(df: pd.DataFrame) -> str:
    """A plain-text table: text left-aligned, numbers right-aligned, ``-`` for empty."""
    if df.empty:
        return "(no rows)"
    columns = []
    for name in df.columns:
        col = df[name]
        numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
        if pd.api.types.is_datetime64_any_dtype(col):
            cells = [x.strftime("%Y-%m-%d") if pd.notna(x) else "-" for x in col]
        elif pd.api.types.is_bool_dtype(col):
            cells = ["-" if pd.isna(x) else "true" if x else "false" for x in col]
        elif numeric:
            cells = [_number(x) if pd.notna(x) else "-" for x in col]
        else:
            cells = ["-" if pd.isna(x) else str(x) for x in col]
        width = max(len(str(name)), *(len(c) for c in cells))
        align = str.rjust if numeric else str.ljust
        columns.append([align(str(name), width)] + [align(c, width) for c in cells])
    return "\n".join("  ".join(row).rstrip() for row in zip(*columns, strict=True))


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


# ---------------------------------------------------------------------------------------
# tco prices ...

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


def _prices_check(args: argparse.Namespace) -> int:
    try:
        catalog = _load(args, args.dir)
    except PricingError as err:
        _print_problems(err, sys.stdout)
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
        print(_table(df[_LIST_COLUMNS[args.kind]].rename(columns=_SHORT_NAMES)))
        print(_LIST_NOTES[args.kind])
    return 0


def _prices_stale(args: argparse.Namespace) -> int:
    catalog = _load(args, args.dir)
    df = catalog.stale(args.days)
    if df.empty:
        print(f"no rows older than {args.days} days")
        return 0
    print(_table(df[["origin", "key", "as_of", "age_days"]]))
    print(f"{len(df)} rows with as_of more than {args.days} days before {catalog.today}")
    return 0


def _prices_import_litellm(args: argparse.Namespace) -> int:
    from tco.pricing.litellm import import_litellm

    json_path = Path(args.file)
    if not json_path.is_file():
        raise CliError(f"file {args.file!r} does not exist")
    folder = _existing_path(args.dir)
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
    from tco.pricing.schema import SPECS as _SPECS

    kinds = [args.kind] if args.kind else list(_SPECS)
    for i, kind in enumerate(kinds):
        spec = _SPECS[kind]
        if i:
            print()
        print(f"{spec.file} (key: {', '.join(spec.row.key_fields)})")
        width = max(len(c) for c in spec.columns)
        for name, field in spec.row.model_fields.items():
            print(f"  {name.ljust(width)}  {field.description}")
    return 0


def _add_prices_commands(subparsers: Any) -> None:
    """``tco prices check | list | stale | columns | import-litellm``."""
    prices = subparsers.add_parser(
        "prices",
        help="check, list and update the pricing catalog",
        description="Check, list and update the pricing catalog (bundled CSVs, optionally "
        "overridden row by row by a folder of your own).",
    )
    sub = prices.add_subparsers(dest="prices_command", required=True, metavar="SUBCOMMAND")

    check = sub.add_parser(
        "check",
        help="validate the pricing CSVs; exit 1 listing every problem",
        description="Validate the bundled pricing CSVs, and DIR's on top of them. Prints "
        "every problem as file:line: column: value -> allowed and exits 1; on clean data "
        "prints a summary (plus warnings for stale rows) and exits 0.",
    )
    _add_data_options(check, positional=True)
    check.add_argument(
        "--days",
        type=_non_negative_int,
        default=STALE_AFTER_DAYS,
        help=f"warn about rows older than this many days (default {STALE_AFTER_DAYS})",
    )
    check.set_defaults(func=_prices_check)

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

    stale = sub.add_parser("stale", help="list rows whose as_of is older than N days")
    stale.add_argument(
        "--days",
        type=_non_negative_int,
        default=STALE_AFTER_DAYS,
        help=f"age threshold in days (default {STALE_AFTER_DAYS})",
    )
    _add_data_options(stale)
    stale.set_defaults(func=_prices_stale)

    cols = sub.add_parser(
        "columns", help="describe every column of the pricing CSVs and what it allows"
    )
    cols.add_argument("--kind", choices=["api", "hardware", "gpu", "throughput"])
    cols.set_defaults(func=_prices_columns)

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
    imp.add_argument("--as-of", type=_iso_date, help="as_of for the rows written (default today)")
    imp.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")
    imp.add_argument("-v", "--verbose", action="store_true", help="list every id and skip")
    imp.set_defaults(func=_prices_import_litellm)


# ---------------------------------------------------------------------------------------
# Scenarios: break-even, simulate
def _add_scenario_commands(sub: argparse._SubParsersAction) -> None:
    be = sub.add_parser(
        "break-even",
        help="when the candidate overtakes the baseline in a scenario file",
        description="Cost both options of a scenario file and print when the candidate "
        "becomes cheaper for good, the savings at the horizon and the break-even volume.",
    )
    be.add_argument("scenario", help="scenario TOML file (e.g. tco/examples/demo.toml)")
    be.add_argument("--json", action="store_true", help="print JSON instead of a table")
    be.add_argument("--baseline", help="option name to use as the baseline")
    be.add_argument("--candidate", help="option name to use as the candidate")
    be.add_argument("--discount-rate", type=float, help="annual rate overriding the file's")
    be.set_defaults(func=_cmd_break_even)

    sim = sub.add_parser(
        "simulate",
        help="monthly and cumulative cost of every option in a scenario file",
        description="Cost every option of a scenario file month by month.",
    )
    sim.add_argument("scenario", help="scenario TOML file")
    sim.add_argument("--csv", help="write the tidy cost table (option, month, component, ...)")
    sim.add_argument("--every", type=int, default=6, help="print every Nth month [6]")
    sim.set_defaults(func=_cmd_simulate)


def _load_scenario(args: argparse.Namespace) -> Scenario:
    scenario = Scenario.from_toml(args.scenario)
    changes: dict[str, Any] = {}
    for role in ("baseline", "candidate"):
        chosen = getattr(args, role, None)
        if chosen is not None:
            if chosen not in scenario.options:
                raise ScenarioError(f"--{role}: {chosen!r} -> one of {list(scenario.options)}")
            changes[role] = chosen
    rate = getattr(args, "discount_rate", None)
    if rate is not None:
        changes["discount_rate"] = rate
    if changes:
        meta = ScenarioMeta.model_validate({**scenario.meta.model_dump(), **changes})
        scenario = dataclasses.replace(scenario, meta=meta)
    return scenario


def _usd(x: float) -> str:
    return f"${x:,.0f}"


def _cmd_break_even(args: argparse.Namespace) -> int:
    scenario = _load_scenario(args)
    result = scenario.break_even()
    volume = scenario.break_even_volume()
    sim = result.simulation
    if args.json:
        out = result.to_dict() | {
            "scenario": scenario.name,
            "summary": sim.summary().reset_index().to_dict(orient="records"),
            "break_even_volume": dataclasses.asdict(volume),
            "sources": {o.name: list(o.sources) for o in scenario.options.values()},
        }
        print(json.dumps(_plain(out), indent=2))
        return 0
    usage = scenario.usage
    print(f"{scenario.name}")
    print(f"  usage: {usage!r}")
    rate = f" (NPV at {result.discount_rate:.1%} a year)" if result.discount_rate else ""
    print(f"  horizon: {usage.horizon} months{rate}\n")
    table = sim.summary()[["total_usd", "npv_usd", "peak_gpus"]].copy()
    served = usage.tokens.sum() / 1e6
    table["usd_per_mtok"] = table["total_usd"] / served if served else float("inf")
    shown = table.rename(
        columns={
            "total_usd": "total",
            "npv_usd": "NPV",
            "peak_gpus": "peak GPUs",
            "usd_per_mtok": "avg $/MTok",
        }
    )
    print(
        shown.to_string(
            formatters={
                "total": _usd,
                "NPV": _usd,
                "peak GPUs": "{:g}".format,
                "avg $/MTok": "${:,.3f}".format,
            }
        )
    )
    print(f"\nAnswer: {result.headline()}")
    print(f"Break-even volume: {_volume_words(volume)}")
    sources = [s for o in scenario.options.values() for s in o.sources]
    if sources:
        print("Sources:")
        for s in sources:
            print(f"  - {s}{_staleness(s)}")
    return 0


def _staleness(source: str, days: int = STALE_AFTER_DAYS) -> str:
    """`` [stale: checked N days ago]`` for a source ending in ``(YYYY-MM-DD)`` older than days."""
    match = re.search(r"\((\d{4}-\d{2}-\d{2})\)$", source)
    if match is None:
        return ""
    age = (date.today() - date.fromisoformat(match.group(1))).days
    return f"  [stale: checked {age} days ago]" if age > days else ""


def _volume_words(volume: VolumeBreakEven) -> str:
    if volume.tokens_per_month is None:
        return f"none ({volume.reason})"
    if volume.tokens_per_month == 0:
        return f"{volume.candidate} is cheaper per month at every volume"
    return (
        f"{volume.candidate} is cheaper per month from {volume.tokens_per_month:.3g} "
        f"tokens/month; at that volume {volume.baseline} costs "
        f"${volume.baseline_usd_per_mtok:.3f}/MTok and {volume.candidate} "
        f"${volume.candidate_usd_per_mtok:.3f}/MTok"
    )


def _cmd_simulate(args: argparse.Namespace) -> int:
    if args.every < 1:
        raise ScenarioError(f"--every: {args.every} -> a whole number >= 1")
    scenario = _load_scenario(args)
    sim = scenario.simulate()
    if args.csv:
        write_text_atomically(args.csv, sim.costs.to_csv(index=False))
    cum = sim.cumulative()
    rows = [m for m in cum.index if m % args.every == 0 or m in (1, cum.index[-1])]
    print(f"{scenario.name}: cumulative cost (USD)")
    print(cum.loc[rows].to_string(float_format=lambda x: f"{x:,.0f}"))
    print()
    print(sim.summary().to_string(float_format=lambda x: f"{x:,.0f}"))
    return 0


def _plain(value: Any) -> Any:
    """JSON-ready copy: numpy scalars to Python, non-finite floats to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------------------------------
# tco recommend
def _add_recommend_command(sub: argparse._SubParsersAction) -> None:
    rec = sub.add_parser(
        "recommend",
        help="rank every option and the best hybrid strategies of a scenario file",
        description="Rank every feasible option of a scenario file together with the best "
        "switch from the cheapest API to each fleet and the best overflow (and, with task "
        "classes, the cheapest routing); print break-even against the cheapest API, the "
        "excluded options with reasons, the inputs at which the answer flips, and a summary.",
    )
    rec.add_argument("scenario", help="scenario TOML file")
    rec.add_argument("--json", action="store_true", help="print JSON instead of tables")
    rec.add_argument("--discount-rate", type=float, help="annual rate overriding the file's")
    rec.add_argument("--horizon", type=int, help="months to decide over (default: the usage's)")
    rec.add_argument(
        "--data-must-stay",
        action="store_true",
        help="the data may not leave the environment: exclude options whose data leaves",
    )
    rec.add_argument("--no-strategies", action="store_true", help="rank the file's options only")
    rec.set_defaults(func=_cmd_recommend)


def _cmd_recommend(args: argparse.Namespace) -> int:
    scenario = _load_scenario(args)
    kwargs: dict[str, Any] = {"strategies": not args.no_strategies}
    if args.horizon is not None:
        if args.horizon < 1:
            raise CliError(f"--horizon: {args.horizon} -> a whole number of months >= 1")
        kwargs["horizon"] = args.horizon
    if args.data_must_stay:
        kwargs["data_must_stay"] = True
    try:
        result = scenario.recommend(**kwargs)
    except (ValueError, KeyError) as err:
        raise CliError(str(err.args[0] if err.args else err)) from None
    if args.json:
        out = {
            "scenario": scenario.name,
            "best": result.best,
            "horizon_months": result.horizon,
            "discount_rate": result.discount_rate,
            "reference_api": result.reference_api,
            "ranking": result.table.reset_index().to_dict(orient="records"),
            "excluded": result.excluded.to_dict(orient="records"),
            "drivers": result.drivers.to_dict(orient="records"),
            "summary": result.summary,
        }
        print(json.dumps(_plain(out), indent=2))
        return 0
    rate = f", NPV at {result.discount_rate:.1%} a year" if result.discount_rate else ""
    print(f"{scenario.name}: {result.horizon} months{rate}\n")
    shown = result.table[["kind", "total_usd", "npv_usd", "usd_per_mtok", "break_even"]]
    print(
        shown.rename(
            columns={"total_usd": "total", "npv_usd": "NPV", "usd_per_mtok": "avg $/MTok"}
        ).to_string(formatters={"total": _usd, "NPV": _usd, "avg $/MTok": "${:,.3f}".format})
    )
    if len(result.excluded):
        print("\nExcluded:")
        for row in result.excluded.itertuples():
            print(f"  - {row.option}: {row.reason}")
    if len(result.drivers):
        print("\nWhat the answer rests on:")
        for finding in result.drivers["finding"]:
            print(f"  - {finding}")
    print(f"\n{result.summary}")
    return 0


# ---------------------------------------------------------------------------------------
# tco report
def _add_report_command(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser(
        "report",
        help="write key charts (PNG) and a Markdown summary of a scenario file",
        description="Cost the options of a scenario file and write into DIR the key charts "
        "as PNG and report.md: the answer, every option's totals, the inputs and the "
        "sources (catalog rows and their dates).",
    )
    rep.add_argument("scenario", help="scenario TOML file (e.g. tco/examples/demo.toml)")
    rep.add_argument("--out", required=True, metavar="DIR", help="folder to write (created)")
    rep.add_argument("--baseline", help="option name to use as the baseline")
    rep.add_argument("--candidate", help="option name to use as the candidate")
    rep.add_argument("--discount-rate", type=float, help="annual rate overriding the file's")
    rep.set_defaults(func=_cmd_report)


def _cmd_report(args: argparse.Namespace) -> int:
    from tco.report import write_report  # matplotlib only for this command

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out: {args.out!r} is a file -> a folder to write the report into")
    report = write_report(_load_scenario(args), out)
    print(report.headline)
    print(f"wrote {report.markdown}")
    for path in report.charts.values():
        print(f"wrote {path}")
    return 0


# ---------------------------------------------------------------------------------------
# Entry point

COMMANDS: list[Callable[[Any], None]] = [
    _add_scenario_commands,
    _add_recommend_command,
    _add_report_command,
    _add_prices_commands,
]
"""Functions that register sub-commands on the top-level sub-parsers, in help order."""


def build_parser() -> argparse.ArgumentParser:
    """The ``tco`` argument parser with every registered command."""
    from tco import __version__

    parser = argparse.ArgumentParser(
        prog="tco",
        description="Vendor LLM API or self-hosted GPUs? Costs, break-even and uncertainty.",
    )
    parser.add_argument("--version", action="version", version=f"tco {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tco`` command; returns the exit code.

    Examples
    --------
    >>> main(["prices", "check"])  # doctest: +ELLIPSIS
    ok: ...
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        return int(args.func(args))
    except PricingError as err:
        _print_problems(err, sys.stderr)
        return 1
    except (CliError, ScenarioError) as err:
        print(f"tco: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as err:
        print(f"tco: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
