"""A scenario's answer as a folder: key charts (PNG) and a short Markdown summary.

``tco report SCENARIO.toml --out DIR`` calls :func:`write_report`. The summary gives the
answer in one sentence, every option's totals, the inputs (usage and each option's
parameters) and where the figures come from (the catalog rows' sources and dates).

A scenario with task classes (or whose data must stay in the environment) is answered as
``tco recommend`` answers it: the report leads with the same recommendation, ranking and
exclusions (:meth:`Scenario.recommend`), then compares the baseline and the candidate.

Figures are drawn on :class:`matplotlib.figure.Figure` objects directly, without pyplot,
so a report never opens a window or leaves figures behind. Everything is computed and drawn
before anything is written; the files then go through
:func:`~tco.core.files.write_folder_atomically`, so a failed report leaves nothing behind.
Third-party text (option names, sources, the scenario's name) is escaped
(:mod:`tco.markdown`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tco import markdown as md
from tco import plot
from tco.analysis.breakeven import BreakEven
from tco.analysis.simulate import Simulation
from tco.analysis.volume import VolumeBreakEven
from tco.core.files import write_folder_atomically
from tco.core.usage import Usage
from tco.scenario import Scenario
from tco.words import usd, volume_words

if TYPE_CHECKING:
    from tco.analysis.recommend import Recommendation

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


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    return buffer.getvalue()


def _charts(sim: Simulation, result: BreakEven) -> dict[str, bytes]:
    """Draw the key charts; returns name -> PNG bytes (nothing is written yet)."""
    charts: dict[str, bytes] = {}

    def draw_one(name: str, draw: Callable[..., Any], height: float = 4.8) -> None:
        fig = _figure(height=height)
        draw(ax=fig.add_subplot())
        charts[name] = _png(fig)

    draw_one("cumulative_cost", partial(plot.cumulative_cost, result))
    if len(sim.names) > 2:
        draw_one("all_options", partial(plot.cumulative_cost, sim))
    for role, option in (("candidate", result.candidate), ("baseline", result.baseline)):
        if role == "candidate" or sim.parts[option].gpus is not None:
            draw_one(f"monthly_{role}", partial(plot.monthly_breakdown, sim, option), height=5.4)
    draw_one("cost_per_mtok", partial(plot.cost_per_mtok, sim))
    return charts


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.6g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


_CHART_TITLES = {
    "cumulative_cost": "Cumulative cost and break-even",
    "all_options": "Every option",
    "monthly_candidate": "Monthly cost of the candidate by component",
    "monthly_baseline": "Monthly cost of the baseline by component",
    "cost_per_mtok": "Cost per million tokens",
}


def _answer(scenario: Scenario, result: BreakEven, volume: VolumeBreakEven) -> list[str]:
    """The break-even of the candidate against the baseline, and the break-even volume."""
    lines = [f"**{md.text(result.headline())}**", ""]
    if result.discount_rate:
        lines += [
            f"At a discount rate of {result.discount_rate:.1%} a year the break-even is the "
            f"discounted payback; the savings at the horizon are undiscounted; present value "
            f"of the savings: {usd(result.npv_savings_usd)}.",
            "",
        ]
    lines += [f"Break-even volume: {md.text(volume_words(volume))}.", ""]
    return lines


def _title(scenario: Scenario) -> list[str]:
    lines = [f"# {md.text(scenario.name)}", ""]
    if scenario.meta.description:
        lines += [md.text(scenario.meta.description), ""]
    return lines


def _recommendation(rec: Recommendation, result: BreakEven) -> list[str]:
    """``tco recommend``'s answer: summary, ranking and exclusions; and whether the
    scenario's own baseline and candidate are among the options it may use."""
    lines = ["## Recommendation", "", f"**{md.text(recommendation_headline(rec))}**", ""]
    lines += [md.text(rec.summary), ""]
    rows = [
        [
            r["rank"],
            name,
            r["kind"],
            usd(r["total_usd"]),
            usd(r["npv_usd"]),
            _per_mtok(r["usd_per_mtok"]),
            r["break_even"],
        ]
        for name, r in rec.table.to_dict(orient="index").items()
    ]
    header = ["rank", "option", "kind", "total", "NPV", "average $/MTok"]
    reference = md.text(rec.reference_api) if rec.reference_api else "the cheapest API"
    lines += md.table([*header, f"break-even vs {reference}"], rows)
    lines.append("")
    excluded = dict(zip(rec.excluded["option"], rec.excluded["reason"], strict=True))
    if excluded:
        lines += ["Excluded:", ""]
        lines += [f"- {md.text(name)}: {md.text(why)}" for name, why in excluded.items()]
        lines.append("")
    ruled_out = [n for n in (result.baseline, result.candidate) if n in excluded]
    title = f"## {md.text(result.candidate)} against {md.text(result.baseline)}"
    lines += [title, ""]
    if ruled_out:
        names = " and ".join(md.text(n) for n in ruled_out)
        lines += [
            f"*For reference only: {names} cannot be used for this workload (see Excluded "
            "above); the recommendation is the answer.*",
            "",
        ]
    return lines


def recommendation_headline(rec: Recommendation) -> str:
    """The recommendation in one sentence, saying which figure is discounted.

    ``"Recommended: X (kind): NPV $N at 8.0 % ($T undiscounted) over 36 months; excluded:
    A, B."``
    """
    row = rec.table.to_dict(orient="index")[rec.best]
    total, npv = float(row["total_usd"]), float(row["npv_usd"])
    if rec.discount_rate:
        cost = f"NPV {usd(npv)} at {rec.discount_rate:.1%} ({usd(total)} undiscounted)"
    else:
        cost = f"total {usd(total)}"
    text = f"Recommended: {rec.best} ({row['kind']}): {cost} over {rec.horizon} months"
    if len(rec.excluded):
        text += "; excluded: " + ", ".join(rec.excluded["option"])
    return text + "."


def _per_mtok(x: float) -> str:
    return f"${x:,.3f}" if math.isfinite(x) else "n/a (no tokens)"


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
                f"{md.text(name)}{_role(str(name), result)}",
                usd(row.total_usd),
                usd(row.npv_usd),
                f"{row.peak_gpus:g}",
                _per_mtok(per),
            ]
        )
    lines = [f"## Options over {usage.horizon} months", ""]
    lines += md.table(["option", "total", "NPV", "peak GPUs", "average $/MTok"], rows, escape=False)
    if not served_mtok:
        lines += ["", "No tokens are served: cost per million tokens is undefined."]
    return [*lines, ""]


def _inputs(scenario: Scenario, result: BreakEven) -> list[str]:
    """The usage, the costing choices and each option's parameters."""
    usage, meta = scenario.usage, scenario.meta
    lines = [
        "## Inputs",
        "",
        f"- Usage: {md.text(repr(usage))}",
        f"- Tokens over the horizon: {usage.tokens.sum():.4g} "
        f"({usage.tokens[0]:.3g} in month 1, {usage.tokens[-1]:.3g} in month {usage.horizon})",
        f"- Discount rate: {meta.discount_rate:.1%} a year; capex view: {meta.capex}"
        + ("; residual value credited at the horizon" if meta.credit_residual else ""),
        f"- Baseline: {md.text(result.baseline)}; candidate: {md.text(result.candidate)}",
    ]
    if meta.pricing:
        lines.append(f"- Pricing folder overriding the bundled catalog: {md.text(meta.pricing)}")
    lines.append("")
    for option in scenario.options.values():
        lines += [f"### {md.text(option.name)}", "", md.text(repr(option)), ""]
        params = option.core_params()
        if params:
            rows = [[k, _value(v)] for k, v in params.items()]
            lines += md.table(["parameter", "value"], rows, escape=False)
            lines.append("")
    return lines


def _sources(scenario: Scenario) -> list[str]:
    """Each option's catalog rows (source and date), or a line saying there are none."""
    sources = [
        f"- {md.text(option.name)}: {md.text(source)}"
        for option in scenario.options.values()
        for source in option.sources
    ]
    if not sources:
        sources = ["- No catalog rows: every figure is as given in the scenario file."]
    return ["## Sources", "", *sources, ""]


def _chart_sections(charts: list[str]) -> list[str]:
    """Every chart but the cumulative cost (shown with the answer) under its title."""
    lines = ["## Charts", ""]
    for name in charts:
        if name == "cumulative_cost":
            continue
        lines += [f"### {_CHART_TITLES.get(name, name)}", "", f"![{name}]({name}.png)", ""]
    return lines


def _footer(scenario: Scenario, today: date) -> list[str]:
    from tco import __version__

    name = "" if scenario.path is None else scenario.path.name.replace("`", "'")
    where = f" from `{name}`" if name else ""
    return ["---", f"Generated by tco {__version__}{where} on {today.isoformat()}.", ""]


def _markdown(
    scenario: Scenario,
    full: Simulation,
    answer: tuple[BreakEven, VolumeBreakEven, Recommendation | None],
    charts: list[str],
    today: date,
) -> str:
    """The summary: answer (the recommendation first, if any), options, inputs, sources,
    charts, footer."""
    result, volume, rec = answer
    lead = ["## Answer", ""] if rec is None else _recommendation(rec, result)
    return "\n".join(
        [
            *_title(scenario),
            *lead,
            *_answer(scenario, result, volume),
            "![Cumulative cost](cumulative_cost.png)",
            "",
            *_options(full, result, scenario.usage),
            *_inputs(scenario, result),
            *_sources(scenario),
            *_chart_sections(charts),
            *_footer(scenario, today),
        ]
    )


def _recommends(scenario: Scenario) -> bool:
    """Whether ``tco recommend`` may exclude options of this scenario (task classes, data
    that must stay): then the report carries its answer."""
    return bool(scenario.task_classes) or scenario.meta.data_must_stay


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
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out}: is a file -> a folder to write the report into")
    result = scenario.break_even()
    volume = scenario.break_even_volume()
    full = scenario.simulate()
    rec = scenario.recommend() if _recommends(scenario) else None
    charts = _charts(full, result)
    text = _markdown(scenario, full, (result, volume, rec), list(charts), today or date.today())
    files = {f"{name}.png": data for name, data in charts.items()}
    files[REPORT_NAME] = text.encode("utf-8")
    write_folder_atomically(out, files)
    headline = result.headline() if rec is None else recommendation_headline(rec)
    return Report(
        markdown=out / REPORT_NAME,
        charts={name: out / f"{name}.png" for name in charts},
        headline=headline,
    )
