"""The ``tco`` command line.

Exit codes: 0 success; 1 the pricing data has problems (each printed as
``file:line: column: value -> allowed``); 2 a usage error (bad option, missing file or
folder), reported in one line on stderr without a traceback.

Commands are registered by small functions (``parsers.add_prices_commands`` ...) listed in
``COMMANDS``; each adds its sub-parsers and sets ``func``, a :class:`parsers.Command` that
imports the function running the command only when it runs (so ``tco --help`` starts
quickly). The modules: ``parsers`` (every option), ``prices`` (``tco prices ...``),
``scenarios`` (break-even, simulate, recommend, report), ``output`` (tables, numbers and
JSON as printed) and ``args`` (argument types and :class:`CliError`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from tco.cli import parsers
from tco.cli.args import CliError

__all__ = ["COMMANDS", "CliError", "build_parser", "main"]

COMMANDS: list[Callable[[Any], None]] = [
    parsers.add_scenario_commands,
    parsers.add_recommend_command,
    parsers.add_report_command,
    parsers.add_prices_commands,
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
    except CliError as err:
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
    except Exception as err:
        return _user_error(err)


def _user_error(err: Exception) -> int:
    """Exit code of a mistake in the input (pricing data: 1; scenario: 2); anything else is
    a bug and goes on as a traceback."""
    from tco.cli.output import print_problems
    from tco.pricing import PricingError
    from tco.scenario import ScenarioError

    if isinstance(err, PricingError):
        print_problems(err, sys.stderr)
        return 1
    if isinstance(err, ScenarioError):
        print(f"tco: error: {err}", file=sys.stderr)
        return 2
    raise err
