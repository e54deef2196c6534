"""The ``tco`` command line.

Exit codes (:data:`EXIT_CODES`, the epilog of ``tco --help``): 0 success; 1 the pricing data
has problems (each printed as ``file:line: column: value -> allowed``); 2 a usage error (a bad
option, a missing file, an invalid scenario, inputs for which no answer can be given),
reported in one line per problem on stderr without a traceback; ``--debug`` shows it.

Commands are registered by small functions (``parsers.add_prices_commands`` ...) listed in
``COMMANDS``; each adds its sub-parsers and sets ``func``, a :class:`parsers.Command` that
imports the function running the command only when it runs (so ``tco --help`` starts
quickly). The modules: ``parsers`` (the options of ``tco prices``), ``scenario_parsers``
(those of the commands on a scenario file), ``prices`` (``tco prices ...``),
``scenarios`` (break-even, simulate, recommend, report), ``output`` (tables, numbers and
JSON as printed), ``args`` (argument types and :class:`CliError`) and ``errors`` (how a
failure is reported).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from tco.cli import parsers, scenario_parsers
from tco.cli.args import CliError
from tco.cli.errors import EXIT_CODES, report, warnings_as_lines

__all__ = ["COMMANDS", "EXIT_CODES", "CliError", "build_parser", "main"]

COMMANDS: list[Callable[[Any], None]] = [
    scenario_parsers.add_scenario_commands,
    scenario_parsers.add_recommend_command,
    scenario_parsers.add_report_command,
    parsers.add_prices_commands,
]
"""Functions that register sub-commands on the top-level sub-parsers, in help order."""


def _add_debug(parser: argparse.ArgumentParser, default: Any) -> None:
    """``--debug`` on ``parser`` and every sub-parser below it, so it may follow the
    command; sub-parsers leave the value alone unless given (``SUPPRESS``)."""
    parser.add_argument("--debug", action="store_true", default=default, help=_DEBUG_HELP)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _add_debug(sub, argparse.SUPPRESS)


_DEBUG_HELP = "show the Python traceback of an error (for a bug report)"


def build_parser() -> argparse.ArgumentParser:
    """The ``tco`` argument parser with every registered command."""
    from tco import __version__

    parser = argparse.ArgumentParser(
        prog="tco",
        description="Vendor LLM API or self-hosted GPUs? Costs, break-even and uncertainty.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tco {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(subparsers)
    _add_debug(parser, False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``tco`` command; returns the exit code (see :data:`EXIT_CODES`).

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
    with warnings_as_lines(sys.stderr):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the command; a mistake in the input becomes its message and exit code."""
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        if args.debug:
            raise
        return 130
    except Exception as err:
        code = report(err, sys.stderr, debug=args.debug)
        if code is None:  # not a mistake in the input: a bug, with its traceback
            raise
        return code
