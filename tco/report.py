"""A scenario's answer as a folder: key charts (PNG) and a short Markdown summary.

``tco report SCENARIO.toml --out DIR`` calls :func:`write_report`. The summary gives the
answer in one sentence, every option's totals, the inputs (usage and each option's
parameters) and where the figures come from (the catalog rows' sources and dates).

Figures are drawn on :class:`matplotlib.figure.Figure` objects directly, without pyplot,
so a report never opens a window or leaves figures behind. Every file is written through
a temporary file and a rename.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from tco import plot
from tco.analysis.breakeven import BreakEven
from tco.analysis.simulate import Simulation
from tco.analysis.volume import VolumeBreakEven
from tco.core.files import write_atomically, write_text_atomically
from tco.core.usage import Usage
from tco.scenario import Scenario
from tco.words import usd, volume_words

__all__ = ["Report", "write_report"]

REPORT_NAME = "report.md"
"""File name of the Markdown summary inside the output folder."""


@dataclass(frozen=True)
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    markdown : Path
        The summary.
    charts : dict
        Chart name -> PNG path.
    headline : str
        The answer in one sentence.
    """

    markdown: Path
    charts: dict[str, Path]
    headline: str


def _figure(width: float = 8.0, height: float = 4.8) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _save(fig: Any, path: Path) -> None:
    write_atomically(path, lambda fh: fig.savefig(fh, format="png", dpi=120))


def _charts(sim: Simulation, result: BreakEven, out: Path) -> dict[str, Path]:
    """Draw and save the key charts; returns name -> path."""
    charts: dict[str, Path] = {}

    def save(name: str, draw: Callable[..., Any], height: float = 4.8) -> None:
        fig = _figure(height=height)
        draw(ax=fig.add_subplot())
        path = out / f"{name}.png"
        _save(fig, path)
        charts[name] = path

    save("cumulative_cost", partial(plot.cumulative_cost, result))
    if len(sim.names) > 2:
        save("all_options", partial(plot.cumulative_cost, sim))
    for role, option in (("candidate", result.candidate), ("baseline", result.baseline)):
        if role == "candidate" or sim.parts[option].gpus is not None:
            save(f"monthly_{role}", partial(plot.monthly_breakdown, sim, option), height=5.4)
    save("cost_per_mtok", partial(plot.cost_per_mtok, sim))
    return charts


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.6g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


_CHART_TITLES = {
    "cumulative_cost": "Cumulative cost and break-even",
    "all_options": "Every option",
    "monthly_candidate": "Monthly cost of the candidate by component",
    "monthly_baseline": "Monthly cost of the baseline by component",
    "cost_per_mtok": "Cost per million tokens",
}


def _answer(scenario: Scenario, result: BreakEven, volume: VolumeBreakEven) -> list[str]:
    """Title, description, the answer in one sentence and the break-even volume."""
    lines = [f"# {scenario.name}", ""]
    if scenario.meta.description:
        lines += [scenario.meta.description, ""]
    lines += ["## Answer", "", f"**{result.headline()}**", ""]
    if result.discount_rate:
        lines += [
            f"At a discount rate of {result.discount_rate:.1%} a year the break-even is the "
            f"discounted payback; present value of the savings: "
            f"{usd(result.npv_savings_usd)}.",
            "",
        ]
    lines += [f"Break-even volume: {volume_words(volume)}.", ""]
    return lines


def _role(name: str, result: BreakEven) -> str:
    if name == result.baseline:
        return " (baseline)"
    return " (candidate)" if name == result.candidate else ""


def _options(full: Simulation, result: BreakEven, usage: Usage) -> list[str]:
    """Every option's totals, NPV, peak GPUs and average cost per million tokens."""
    served_mtok = float(usage.tokens.sum()) / 1e6
    rows = []
    for name, row in full.summary().iterrows():
        per = row.total_usd / served_mtok if served_mtok else math.inf
        rows.append(
            [
                f"{name}{_role(str(name), result)}",
                usd(row.total_usd),
                usd(row.npv_usd),
                f"{row.peak_gpus:g}",
                f"${per:,.3f}" if math.isfinite(per) else "n/a",
            ]
        )
    lines = [f"## Options over {usage.horizon} months", ""]
    lines += _table(["option", "total", "NPV", "peak GPUs", "average $/MTok"], rows)
    return [*lines, ""]


def _inputs(scenario: Scenario, result: BreakEven) -> list[str]:
    """The usage, the costing choices and each option's parameters."""
    usage, meta = scenario.usage, scenario.meta
    lines = [
        "## Inputs",
        "",
        f"- Usage: {usage!r}",
        f"- Tokens over the horizon: {usage.tokens.sum():.4g} "
        f"({usage.tokens[0]:.3g} in month 1, {usage.tokens[-1]:.3g} in month {usage.horizon})",
        f"- Discount rate: {meta.discount_rate:.1%} a year; capex view: {meta.capex}"
        + ("; residual value credited at the horizon" if meta.credit_residual else ""),
        f"- Baseline: {result.baseline}; candidate: {result.candidate}",
    ]
    if meta.pricing:
        lines.append(f"- Pricing folder overriding the bundled catalog: `{meta.pricing}`")
    lines.append("")
    for option in scenario.options.values():
        lines += [f"### {option.name}", "", f"`{option!r}`", ""]
        params = option.core_params()
        if params:
            lines += _table(["parameter", "value"], [[k, _value(v)] for k, v in params.items()])
            lines.append("")
    return lines


def _sources(scenario: Scenario) -> list[str]:
    """Each option's catalog rows (source and date), or a line saying there are none."""
    sources = [
        f"- {option.name}: {source}"
        for option in scenario.options.values()
        for source in option.sources
    ]
    if not sources:
        sources = ["- No catalog rows: every figure is as given in the scenario file."]
    return ["## Sources", "", *sources, ""]


def _chart_sections(charts: dict[str, Path]) -> list[str]:
    """Every chart but the cumulative cost (shown with the answer) under its title."""
    lines = ["## Charts", ""]
    for name, path in charts.items():
        if name == "cumulative_cost":
            continue
        lines += [f"### {_CHART_TITLES.get(name, name)}", "", f"![{name}]({path.name})", ""]
    return lines


def _footer(scenario: Scenario, today: date) -> list[str]:
    from tco import __version__

    where = f" from `{scenario.path.name}`" if scenario.path else ""
    return ["---", f"Generated by tco {__version__}{where} on {today.isoformat()}.", ""]


def _markdown(
    scenario: Scenario,
    full: Simulation,
    result: BreakEven,
    volume: VolumeBreakEven,
    charts: dict[str, Path],
    today: date,
) -> str:
    """The summary: answer, options, inputs, sources, charts, footer."""
    return "\n".join(
        [
            *_answer(scenario, result, volume),
            f"![Cumulative cost]({charts['cumulative_cost'].name})",
            "",
            *_options(full, result, scenario.usage),
            *_inputs(scenario, result),
            *_sources(scenario),
            *_chart_sections(charts),
            *_footer(scenario, today),
        ]
    )


def write_report(
    scenario: Scenario | str | Path,
    out: str | Path,
    *,
    today: date | None = None,
) -> Report:
    """Write the key charts and a Markdown summary of a scenario into a folder.

    Parameters
    ----------
    scenario : Scenario or path
        A scenario, or the path of a scenario TOML file.
    out : str or Path
        Output folder (created if missing). Existing files of the same names are
        replaced.
    today : datetime.date, optional
        Date written in the footer (default today).

    Returns
    -------
    Report
        Paths written and the headline.

    Examples
    --------
    >>> import tempfile, tco
    >>> from tco.report import write_report
    >>> scenario = tco.Scenario.from_dict({
    ...     "scenario": {"name": "Cheaper API?", "baseline": "api", "candidate": "cheap"},
    ...     "usage": {"output_share": 0.5,
    ...               "curve": {"kind": "constant", "tokens": 1e9, "months": 12}},
    ...     "options": {
    ...         "api": {"type": "api", "input_usd_per_mtok": 3, "output_usd_per_mtok": 15},
    ...         "cheap": {"type": "api", "input_usd_per_mtok": 1, "output_usd_per_mtok": 5,
    ...                   "setup_usd": 18000}}})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = write_report(scenario, out)
    ...     sorted(p.name for p in report.charts.values())
    ['cost_per_mtok.png', 'cumulative_cost.png', 'monthly_candidate.png']
    >>> report.headline
    'cheap breaks even against api after 3.0 months (in month 3) and saves $54,000 over 12 months.'
    """
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_toml(scenario)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = scenario.break_even()
    volume = scenario.break_even_volume()
    full = scenario.simulate()
    charts = _charts(full, result, out)
    text = _markdown(scenario, full, result, volume, charts, today or date.today())
    markdown = out / REPORT_NAME
    write_text_atomically(markdown, text)
    return Report(markdown=markdown, charts=charts, headline=result.headline())
