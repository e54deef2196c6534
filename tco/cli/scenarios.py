"""Commands on a scenario file: ``break-even``, ``simulate``, ``recommend``, ``report``."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tco.analysis.breakeven import BreakEven
from tco.analysis.volume import VolumeBreakEven
from tco.cli.args import CliError
from tco.cli.output import (
    NO_TOKENS,
    cost_table,
    csv_safe,
    money_json,
    money_table,
    plain,
    print_json,
)
from tco.core.files import STDOUT, write_text_atomically
from tco.pricing import STALE_AFTER_DAYS
from tco.scenario import Scenario, ScenarioError, ScenarioMeta
from tco.words import VOLUME_LABEL, rate_words, retirement_words, source_date, volume_words

if TYPE_CHECKING:
    from tco.analysis.recommend import Recommendation
    from tco.core.money import Currency
    from tco.scenario.lifecycle import Retirement

__all__ = ["break_even", "recommend", "report", "simulate"]

_VOLUME_COSTS = "; at that volume {baseline} costs {baseline_cost} and {candidate} {candidate_cost}"
"""How the break-even volume's costs read on the terminal (see :func:`volume_words`)."""


def _load_scenario(args: argparse.Namespace) -> Scenario:
    """The scenario file, with ``--baseline``, ``--candidate``, ``--discount-rate`` applied."""
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
    if not changes:
        return scenario
    meta = ScenarioMeta.model_validate({**scenario.meta.model_dump(), **changes})
    scenario = dataclasses.replace(scenario, meta=meta)
    if scenario.baseline.name == scenario.candidate.name:
        flag = "--candidate" if "candidate" in changes else "--baseline"
        others = [n for n in scenario.options if n != scenario.baseline.name]
        raise CliError(
            f"{flag}: {scenario.candidate.name!r} is both baseline and candidate -> "
            f"compare it with another option: {others}"
        )
    return scenario


def _currency(scenario: Scenario, args: argparse.Namespace) -> Currency | None:
    """The currency money is printed in: ``--currency``, else the file's
    ``[scenario] currency``; None for US dollars given by neither (no rates loaded)."""
    code = getattr(args, "currency", None)
    if code is not None:
        return scenario.currency(code, field="--currency")
    if scenario.meta.currency is not None:
        return scenario.currency(field="scenario.currency")
    return None


def _staleness(source: str, days: int = STALE_AFTER_DAYS) -> str:
    """`` [stale: checked N days ago]`` for a source ending in ``(YYYY-MM-DD)`` older than days."""
    checked = source_date(source)
    if checked is None:
        return ""
    age = (date.today() - checked).days
    return f"  [stale: checked {age} days ago]" if age > days else ""


# ---------------------------------------------------------------------------------------
# tco break-even


def _break_even_json(
    scenario: Scenario,
    result: BreakEven,
    volume: VolumeBreakEven,
    currency: Currency | None,
) -> None:
    data = result.to_dict() | {
        "scenario": scenario.name,
        "summary": result.simulation.summary().reset_index().to_dict(orient="records"),
        "break_even_volume": dataclasses.asdict(volume) | {"prices_of_month": 1},
        "lifecycle": [_move_json(move) for move in _retirements(scenario, result)],
        "sources": {o.name: list(o.sources) for o in scenario.options.values()},
    }
    data = plain(data)
    if currency is not None:
        data = money_json(data, currency) | {"currency": currency.attrs()}
    print_json(data)


def _move_json(move: Retirement) -> dict[str, Any]:
    return {
        "option": move.option,
        "model": move.model,
        "retires": move.retires.isoformat(),
        "last_month": move.last_month,
        "successor_from_month": move.first_month,
        "successor": move.successor,
        "migration_usd": move.migration_usd,
    }


def _retirements(scenario: Scenario, result: BreakEven) -> list[Retirement]:
    """Retirements within the horizon of the options costed in ``result``."""
    names = set(result.simulation.names)
    return [move for move in scenario.retirements() if move.option in names]


def _print_break_even(
    scenario: Scenario,
    result: BreakEven,
    volume: VolumeBreakEven,
    currency: Currency | None,
) -> None:
    usage = scenario.usage
    print(f"{scenario.name}")
    print(f"  usage: {usage!r}")
    rate = f" (NPV at {result.discount_rate:.1%} a year)" if result.discount_rate else ""
    print(f"  horizon: {usage.horizon} months{rate}")
    if currency is not None:
        print(f"  {rate_words(currency)}")
    print()
    sim = result.simulation
    served = usage.tokens.sum() / 1e6
    rows = {
        name: {
            "total_usd": total,
            "npv_usd": npv,
            "peak_gpus": sim.peak_gpus(name),
            "usd_per_mtok": total / served if served else None,
        }
        for name, total, npv in zip(
            sim.names, sim.total_array(), sim.total_array(discounted=True), strict=True
        )
    }
    print(money_table("option", rows, currency))
    if not served:
        print(NO_TOKENS)
    print(f"\nAnswer: {result.headline(currency=currency)}")
    print(f"{VOLUME_LABEL}: {volume_words(volume, _VOLUME_COSTS, currency)}")
    for move in _retirements(scenario, result):
        print(f"Lifecycle: {retirement_words(move, currency)}")
    sources = [s for o in scenario.options.values() for s in o.sources]
    if sources:
        print("Sources:")
        for s in sources:
            print(f"  - {s}{_staleness(s)}")


def break_even(args: argparse.Namespace) -> int:
    scenario = _load_scenario(args)
    currency = _currency(scenario, args)
    result = scenario.break_even()
    volume = scenario.break_even_volume()
    if args.json:
        _break_even_json(scenario, result, volume, currency)
    else:
        _print_break_even(scenario, result, volume, currency)
    return 0


# ---------------------------------------------------------------------------------------
# tco simulate


def simulate(args: argparse.Namespace) -> int:
    if args.every < 1:
        raise ScenarioError(f"--every: {args.every} -> a whole number >= 1")
    scenario = _load_scenario(args)
    currency = _currency(scenario, args)
    sim = scenario.simulate()
    if args.csv:
        costs = sim.costs if currency is None else sim.costs.pipe(_in, currency)
        write_text_atomically(args.csv, csv_safe(costs).to_csv(index=False))
        if args.csv == STDOUT:  # the CSV is the output; the rate goes to stderr
            if currency is not None:
                print(f"tco: note: {rate_words(currency)}", file=sys.stderr)
            return 0
    cum = sim.cumulative(currency=currency)
    rows = [m for m in cum.index if m % args.every == 0 or m in (1, cum.index[-1])]
    code = "USD" if currency is None else currency.code
    print(f"{scenario.name}: cumulative cost ({code})")
    if currency is not None:
        print(rate_words(currency))
    print(cum.loc[rows].to_string(float_format=lambda x: f"{x:,.0f}"))
    print()
    print(sim.summary(currency=currency).to_string(float_format=lambda x: f"{x:,.0f}"))
    return 0


def _in(frame: Any, currency: Currency) -> Any:
    """A tidy cost table with its money columns (``usd``, ``usd_pv``) in ``currency``,
    renamed as the library renames them (``eur``, ``eur_pv``)."""
    from tco.pricing.currency import in_currency

    return in_currency(frame, currency)


# ---------------------------------------------------------------------------------------
# tco recommend


def _recommend(
    scenario: Scenario, args: argparse.Namespace, currency: Currency | None
) -> Recommendation:
    kwargs: dict[str, Any] = {"strategies": not args.no_strategies, "currency": currency}
    if args.horizon is not None:
        if args.horizon < 1:
            raise CliError(f"--horizon: {args.horizon} -> a whole number of months >= 1")
        kwargs["horizon"] = args.horizon
    if args.data_must_stay:
        kwargs["data_must_stay"] = True
    try:
        return scenario.recommend(**kwargs)
    except (ValueError, KeyError) as err:
        raise CliError(str(err.args[0] if err.args else err)) from None


def _recommendation_json(
    scenario: Scenario, result: Recommendation, currency: Currency | None
) -> None:
    data = plain(
        {
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
    )
    if currency is not None:  # the drivers' values keep their unit (their "unit" says it)
        data = money_json(data, currency) | {"currency": currency.attrs()}
    print_json(data)


def _print_recommendation(
    scenario: Scenario, result: Recommendation, currency: Currency | None
) -> None:
    rate = f", NPV at {result.discount_rate:.1%} a year" if result.discount_rate else ""
    print(f"{scenario.name}: {result.horizon} months{rate}")
    if currency is not None:
        print(rate_words(currency))
    print()
    columns = ["kind", "total_usd", "npv_usd", "usd_per_mtok", "break_even"]
    print(cost_table(result.table[columns], currency))
    if not scenario.usage.tokens.sum():
        print(NO_TOKENS)
    if len(result.excluded):
        print("\nExcluded:")
        for row in result.excluded.itertuples():
            print(f"  - {row.option}: {row.reason}")
    if len(result.drivers):
        print("\nWhat the answer rests on:")
        for finding in result.drivers["finding"]:
            print(f"  - {finding}")
    print(f"\n{result.summary}")


def recommend(args: argparse.Namespace) -> int:
    scenario = _load_scenario(args)
    currency = _currency(scenario, args)
    result = _recommend(scenario, args, currency)
    if args.json:
        _recommendation_json(scenario, result, currency)
    else:
        _print_recommendation(scenario, result, currency)
    return 0


# ---------------------------------------------------------------------------------------
# tco report


def report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out: {args.out!r} is a file -> a folder to write the report into")
    from tco.report import write_report  # charts: loaded for this command only

    scenario = _load_scenario(args)
    report = write_report(scenario, out, currency=_currency(scenario, args))
    print(report.headline)
    print(f"wrote {report.markdown}")
    print(f"wrote {report.html}")
    for path in report.charts.values():
        print(f"wrote {path}")
    return 0


# ---------------------------------------------------------------------------------------
# Sub-parsers
