"""The ``tco`` argument parsers: every ``tco prices`` command and option, and the function
that runs it (the commands on a scenario file are in :mod:`tco.cli.scenario_parsers`).

Each sub-parser names its command as ``"module:function"`` (``func``), imported only when
that command runs, so ``tco --help`` and argument errors never load the analysis.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from tco.cli.args import iso_date, non_negative_int


class Command:
    """The function that runs a command, named ``"module:function"`` and imported when
    called."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, args: argparse.Namespace) -> int:
        module, _, function = self.name.partition(":")
        run = getattr(importlib.import_module(module), function)
        return int(run(args))

    def __repr__(self) -> str:
        return f"Command({self.name!r})"


__all__ = ["Command", "add_prices_commands"]


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
        default=None,
        help=f"{what} (default: the catalog's staleness limit, 180)",
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
    check.set_defaults(func=Command("tco.cli.prices:check"))


def _add_list(sub: Any) -> None:
    lst = sub.add_parser("list", help="print a pricing table")
    lst.add_argument(
        "--kind",
        choices=["api", "gpu", "hardware", "throughput", "models", "serverless", "history", "fx"],
        default="api",
        help="api: vendor API prices (default); gpu: GPU rental offers; hardware: GPU "
        "types; throughput: serving throughput per replica and regime; models: open "
        "models' architecture figures; serverless: serverless GPU offers per GPU-second; "
        "history: dated API list prices; fx: exchange rates",
    )
    lst.add_argument("--csv", action="store_true", help="print every column as CSV")
    _add_data_options(lst)
    lst.set_defaults(func=Command("tco.cli.prices:list_table"))


def _add_stale(sub: Any) -> None:
    stale = sub.add_parser("stale", help="list rows whose as_of is older than N days")
    _add_days(stale, "age threshold in days")
    _add_data_options(stale)
    stale.set_defaults(func=Command("tco.cli.prices:stale"))


def _add_columns(sub: Any) -> None:
    cols = sub.add_parser(
        "columns", help="describe every column of the pricing CSVs and what it allows"
    )
    cols.add_argument(
        "--kind",
        choices=["api", "hardware", "gpu", "throughput", "models", "serverless", "history", "fx"],
        help="one table (default: the catalog tables); serverless is the optional table "
        "serverless_offers.csv, history and fx the reference tables api_price_history.csv "
        "and fx.csv",
    )
    cols.set_defaults(func=Command("tco.cli.prices:columns"))


def _add_import_litellm(sub: Any) -> None:
    imp = sub.add_parser(
        "import-litellm",
        help="add or update API prices from LiteLLM's model_prices_and_context_window.json",
        description="Add or update rows of DIR/api_models.csv from a local copy of LiteLLM's "
        "model_prices_and_context_window.json (chat, completion and responses models). Rows not "
        "imported keep their exact bytes; the file is validated, then replaced atomically.",
    )
    imp.add_argument("file", metavar="FILE", help="the LiteLLM JSON file")
    imp.add_argument(
        "--provider",
        action="append",
        metavar="P",
        help="only this litellm_provider (repeat for several)",
    )
    _add_destination(imp, "api_models.csv", made=False)
    imp.add_argument("--source", help="source column for the rows written")
    imp.add_argument("--as-of", type=iso_date, help="as_of for the rows written (default today)")
    imp.add_argument("-v", "--verbose", action="store_true", help="list every id and skip")
    imp.set_defaults(func=Command("tco.cli.prices:import_litellm"))


def _add_import_genai_prices(sub: Any) -> None:
    imp = sub.add_parser(
        "import-genai-prices",
        help="add or update API prices from genai-prices (its data file or installed package)",
        description="Add or update rows of DIR/api_models.csv from genai-prices: FILE is its "
        "data file (prices/new_data/v2/data.json of pydantic/genai-prices); without FILE the "
        "installed genai-prices package is read (it is not a dependency of tco). Rows not "
        "imported keep their exact bytes; the file is validated, then replaced atomically.",
    )
    imp.add_argument("file", metavar="FILE", nargs="?", help="the genai-prices JSON data file")
    imp.add_argument(
        "--provider", action="append", metavar="P", help="only this provider (repeat for several)"
    )
    _add_destination(imp, "api_models.csv", made=False)
    imp.add_argument("--source", help="source column for the rows written")
    imp.add_argument(
        "--as-of", type=iso_date, help="date whose prices are taken and as_of (default today)"
    )
    imp.add_argument("-v", "--verbose", action="store_true", help="list every id and skip")
    imp.set_defaults(func=Command("tco.cli.prices:import_genai_prices"))


def _add_destination(parser: argparse.ArgumentParser, file: str, *, made: bool = True) -> None:
    """``--dir``, the folder whose ``file`` a command updates (``prices/`` in the working
    directory by default, never the installed package; created when ``made``, else it must
    exist when named), and ``--dry-run``."""
    given = "created" if made else "an existing one"
    parser.add_argument(
        "--dir",
        default="prices" if made else None,
        metavar="DIR",
        help=f"folder whose {file} to update ({given}; default: prices/ in the working "
        "directory, created)",
    )
    parser.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")


def _input_tokens(text: str) -> tuple[str, int]:
    """``BENCHMARK=N`` for ``--input-tokens``."""
    name, sep, value = text.partition("=")
    if not sep or not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} -> BENCHMARK=N with N a whole number > 0 (e.g. gpt-oss-120b=2000)"
        )
    return name.strip(), int(value)


def _add_import_mlperf(sub: Any) -> None:
    imp = sub.add_parser(
        "import-mlperf",
        help="add throughput rows from an MLPerf Inference summary.csv",
        description="Turn the closed-division datacenter LLM results (Offline, Server, "
        "Interactive) of an MLPerf Inference round's summary.csv into rows of "
        "DIR/throughput.csv: one node as one replica, the scenario's p99 latency limits, "
        "the benchmark's request mix, prefill/decode derived from the one measured rate. "
        "Rows on GPU types not in gpu_hardware.csv, non-LLM, edge and mixed-accelerator "
        "systems are left out and counted. The file is validated, then replaced atomically.",
    )
    imp.add_argument("file", metavar="SUMMARY_CSV", help="the round's summary.csv")
    _add_destination(imp, "throughput.csv")
    imp.add_argument("--round", help="v5.1, v6.0 or v6.1 (default: the file's version column)")
    imp.add_argument(
        "--as-of",
        type=iso_date,
        help="as_of of the rows (default: the round's publication date; required for v6.1)",
    )
    imp.add_argument(
        "--input-tokens",
        action="append",
        type=_input_tokens,
        metavar="BENCHMARK=N",
        help="mean input tokens of a benchmark, replacing the assumed one (repeatable)",
    )
    imp.add_argument(
        "--gpu", action="append", metavar="G", help="only results on this GPU type (repeatable)"
    )
    imp.set_defaults(func=Command("tco.cli.prices:import_mlperf"))


def _add_estimate(sub: Any) -> None:
    est = sub.add_parser(
        "estimate",
        help="add roofline estimates where no throughput is measured",
        description="Calibrate the roofline on the measured throughput rows, then add "
        "estimated rows (marked estimated) to DIR/throughput.csv: server and interactive rows "
        "for models measured only offline (anchored on that measurement), and offline, server "
        "and interactive rows for models with specs on rentable GPUs with no row at all. "
        "Estimates never replace a measurement. The file is validated, then replaced "
        "atomically.",
    )
    _add_destination(est, "throughput.csv")
    est.set_defaults(func=Command("tco.cli.prices:estimate"))


def _add_import_bench(sub: Any) -> None:
    imp = sub.add_parser(
        "import-bench",
        help="add a measured throughput-vs-latency curve from benchmark result files",
        description="Turn the JSON results of a serving benchmark (one file per concurrency "
        "level, or a sweep) into rows of DIR/throughput.csv with regime measured: one row "
        "per concurrency with the p99 TTFT and TPOT achieved, the mean input and output "
        "tokens and the output tokens/s. The tools do not record the GPU, engine or "
        "precision: give them.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="benchmark result files")
    imp.add_argument(
        "--tool",
        required=True,
        choices=["vllm", "sglang", "aiperf", "genai-perf", "guidellm"],
        help="the tool that wrote the files",
    )
    imp.add_argument("--model", required=True, help="Hugging Face id of the model served")
    imp.add_argument("--gpu", required=True, help="a GPU of gpu_hardware.csv")
    imp.add_argument(
        "--gpus-per-replica",
        required=True,
        type=int,
        metavar="N",
        help="GPUs of the replica that served the run",
    )
    imp.add_argument("--engine", required=True, help="serving engine and version (vllm-0.11.0)")
    imp.add_argument("--precision", required=True, help="weight precision (bf16, fp8, fp4)")
    imp.add_argument("--source", help="source column (default: the file names)")
    imp.add_argument(
        "--as-of",
        type=iso_date,
        help="as_of of the rows (default: the run's date, or today when the file has none)",
    )
    _add_destination(imp, "throughput.csv")
    imp.set_defaults(func=Command("tco.cli.prices:import_bench"))


def add_prices_commands(subparsers: Any) -> None:
    """``tco prices check | list | stale | columns | import-litellm | import-genai-prices |
    import-mlperf | import-bench | estimate``."""
    prices = subparsers.add_parser(
        "prices",
        help="check, list and update the pricing catalog",
        description="Check, list and update the pricing catalog (bundled CSVs, optionally "
        "overridden row by row by a folder of your own).",
    )
    sub = prices.add_subparsers(dest="prices_command", required=True, metavar="SUBCOMMAND")
    for add in (
        _add_check,
        _add_list,
        _add_stale,
        _add_columns,
        _add_import_litellm,
        _add_import_genai_prices,
        _add_import_mlperf,
        _add_import_bench,
        _add_estimate,
    ):
        add(sub)
