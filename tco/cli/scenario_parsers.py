"""The parsers of the commands on a scenario file: ``break-even``, ``simulate``,
``recommend`` and ``report``, each naming the function that runs it lazily
(:class:`~tco.cli.parsers.Command`)."""

from __future__ import annotations

import argparse
from typing import Any

from tco.cli.args import annual_rate, positive_int
from tco.cli.parsers import Command

__all__ = ["add_recommend_command", "add_report_command", "add_scenario_commands"]

_DEMO_HELP = "scenario TOML file (e.g. tco/examples/demo.toml)"


def _scenario_command(
    sub: Any,
    name: str,
    run: Command,
    *,
    help: str,
    description: str,
    scenario_help: str = "scenario TOML file",
) -> argparse.ArgumentParser:
    """A sub-parser that runs ``run`` on the scenario file named first."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description)
    parser.add_argument("scenario", help=scenario_help)
    parser.set_defaults(func=run)
    return parser


def _add_roles(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--baseline", help="option name to use as the baseline")
    parser.add_argument("--candidate", help="option name to use as the candidate")


def _add_discount_rate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--discount-rate", type=annual_rate, help="annual rate overriding the file's (0.08 = 8 %%)"
    )


def _add_currency(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--currency",
        metavar="CODE",
        help="show money in this currency (EUR, GBP, JPY, ...: a code of the catalog's "
        "fx.csv); overrides the file's [scenario] currency; computed in USD [USD]",
    )


def add_scenario_commands(sub: Any) -> None:
    """``tco break-even`` and ``tco simulate``."""
    be = _scenario_command(
        sub,
        "break-even",
        Command("tco.cli.scenarios:break_even"),
        scenario_help=_DEMO_HELP,
        help="when the candidate overtakes the baseline in a scenario file",
        description="Cost both options of a scenario file and print when the candidate "
        "becomes cheaper for good, the savings at the horizon and the break-even volume.",
    )
    be.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_roles(be)
    _add_discount_rate(be)
    _add_currency(be)

    sim = _scenario_command(
        sub,
        "simulate",
        Command("tco.cli.scenarios:simulate"),
        help="monthly and cumulative cost of every option in a scenario file",
        description="Cost every option of a scenario file month by month.",
    )
    sim.add_argument(
        "--csv",
        metavar="FILE",
        help="write the tidy cost table (option, month, component, ...); - for stdout",
    )
    sim.add_argument("--every", type=positive_int, default=6, help="print every Nth month [6]")
    _add_currency(sim)


def add_recommend_command(sub: Any) -> None:
    """``tco recommend``."""
    rec = _scenario_command(
        sub,
        "recommend",
        Command("tco.cli.scenarios:recommend"),
        help="rank every option and the best hybrid strategies of a scenario file",
        description="Rank every feasible option of a scenario file together with the best "
        "switch from the cheapest API to each fleet and the best overflow (and, with task "
        "classes, the cheapest routing); print break-even against the cheapest API, the "
        "excluded options with reasons, the inputs at which the answer flips, and a summary.",
    )
    rec.add_argument("--json", action="store_true", help="print JSON instead of tables")
    _add_discount_rate(rec)
    rec.add_argument(
        "--horizon", type=positive_int, help="months to decide over (default: the usage's)"
    )
    rec.add_argument(
        "--data-must-stay",
        action="store_true",
        help="the data may not leave the environment: exclude options whose data leaves",
    )
    rec.add_argument("--no-strategies", action="store_true", help="rank the file's options only")
    _add_currency(rec)


def add_report_command(sub: Any) -> None:
    """``tco report``."""
    rep = _scenario_command(
        sub,
        "report",
        Command("tco.cli.scenarios:report"),
        scenario_help=_DEMO_HELP,
        help="write a report of a scenario file: report.html, report.md and key charts",
        description="Cost the options of a scenario file and write into DIR report.html "
        "(one self-contained page: the answer, the recommendation and exclusions, the "
        "uncertainty from the file's [ranges] or documented defaults, the inputs, every "
        "source with its date and staleness, a model's retirement), report.md and the key "
        "charts as PNG.",
    )
    rep.add_argument("--out", required=True, metavar="DIR", help="folder to write (created)")
    _add_roles(rep)
    _add_discount_rate(rep)
    _add_currency(rep)
