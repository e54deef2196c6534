"""The Markdown summary of a report (``report.md``): the answer in one sentence (the
recommendation first, for a scenario with task classes), how sure it is (the ranges and the
key numbers of the Monte Carlo run), every option's totals, the inputs, the sources and the
key charts.

Third-party text (option names, sources, the scenario's name) is escaped
(:mod:`tco.markdown`); money is written in the report's currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tco import markdown as md
from tco.report.charts import CHART_TITLES
from tco.report.facts import Facts, recommendation_headline
from tco.report.sureness import (
    NOTHING_TO_VARY,
    RANGES_HEADER,
    SAVINGS_NOTE,
    key_numbers,
    origin,
    range_rows,
)
from tco.words import VOLUME_LABEL, rate_words, retirement_words, symbol, volume_words

if TYPE_CHECKING:
    from tco.analysis.recommend import Recommendation

__all__ = [
    "discount_words",
    "markdown",
    "option_rows",
    "per_mtok_header",
    "ranking_header",
    "ranking_rows",
    "role",
    "sentence",
]


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:,.6g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _answer(facts: Facts) -> list[str]:
    """The break-even of the candidate against the baseline, the break-even volume, and
    the models that retire within the horizon."""
    result = facts.result
    cur = None if facts.currency.is_usd else facts.currency
    lines = [f"**{md.text(result.headline(currency=cur))}**", ""]
    if result.discount_rate:
        lines += [md.text(discount_words(facts)), ""]
    volume = volume_words(facts.volume, currency=cur)
    lines += [f"{VOLUME_LABEL}: {md.text(volume)}.", ""]
    for move in facts.retirements:
        lines += [f"Lifecycle: {md.text(retirement_words(move, cur))}", ""]
    return lines


def discount_words(facts: Facts) -> str:
    """What is discounted and what is not, and the present value of the savings."""
    result = facts.result
    npv = result.npv_savings_usd
    value = (
        f"present value of the savings: {facts.money(npv)}"
        if npv >= 0
        else f"in present value {result.candidate} costs {facts.money(-npv)} more"
    )
    return (
        f"At a discount rate of {result.discount_rate:.1%} a year the break-even is the "
        f"discounted payback and the savings at the horizon are undiscounted; {value}."
    )


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised (the rest as written: ``USD``)."""
    return text[:1].upper() + text[1:]


def _title(facts: Facts) -> list[str]:
    scenario = facts.scenario
    lines = [f"# {md.text(scenario.name)}", ""]
    if scenario.meta.description:
        lines += [md.text(scenario.meta.description), ""]
    if not facts.currency.is_usd:
        lines += [f"*{md.text(sentence(rate_words(facts.currency)))}.*", ""]
    return lines


def ranking_rows(facts: Facts, rec: Recommendation) -> list[list[str]]:
    """The recommendation's ranking as text cells: rank, option, kind, total, NPV,
    average cost per million tokens, break-even against the reference API."""
    return [
        [
            str(r["rank"]),
            str(name),
            str(r["kind"]),
            facts.money(r["total_usd"]),
            facts.money(r["npv_usd"]),
            _per_mtok(facts, r["usd_per_mtok"]),
            str(r["break_even"]),
        ]
        for name, r in rec.table.to_dict(orient="index").items()
    ]


def per_mtok_header(facts: Facts) -> str:
    """``average $/MTok`` (or ``average €/MTok``, ...)."""
    return f"average {symbol(facts.currency).strip()}/MTok"


def ranking_header(facts: Facts, rec: Recommendation) -> list[str]:
    """The ranking's column headings (the reference API's name unescaped)."""
    reference = rec.reference_api or "the cheapest API"
    return [
        "rank",
        "option",
        "kind",
        "total",
        "NPV",
        per_mtok_header(facts),
        f"break-even vs {reference}",
    ]


def _recommendation(facts: Facts) -> list[str]:
    """``tco recommend``'s answer: summary, ranking and exclusions; and whether the
    scenario's own baseline and candidate are among the options it may use."""
    rec, result = facts.recommendation, facts.result
    head = recommendation_headline(rec, facts.currency)
    lines = ["## Recommendation", "", f"**{md.text(head)}**", ""]
    lines += [md.text(rec.summary), ""]
    header = [md.text(h) for h in ranking_header(facts, rec)]
    lines += md.table(header, ranking_rows(facts, rec))
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


def _per_mtok(facts: Facts, x: float) -> str:
    text = facts.per_mtok(x)
    return "n/a (no tokens)" if text == "n/a" else text


def role(name: str, facts: Facts) -> str:
    if name == facts.result.baseline:
        return " (baseline)"
    return " (candidate)" if name == facts.result.candidate else ""


def option_rows(facts: Facts) -> list[list[str]]:
    """Every option's total, NPV, peak GPUs and average cost per million tokens (the
    option's name unescaped, its role after it)."""
    usage = facts.scenario.usage
    served_mtok = float(usage.tokens.sum()) / 1e6
    rows = []
    for name, row in facts.simulation.summary().iterrows():
        per = row.total_usd / served_mtok if served_mtok else float("nan")
        rows.append(
            [
                str(name),
                facts.money(row.total_usd),
                facts.money(row.npv_usd),
                f"{row.peak_gpus:g}",
                _per_mtok(facts, per),
            ]
        )
    return rows


def _options(facts: Facts) -> list[str]:
    usage = facts.scenario.usage
    rows = [[f"{md.text(r[0])}{role(r[0], facts)}", *r[1:]] for r in option_rows(facts)]
    lines = [f"## Options over {usage.horizon} months", ""]
    header = ["option", "total", "NPV", "peak GPUs", per_mtok_header(facts)]
    lines += md.table(header, rows, escape=False)
    if not usage.tokens.sum():
        lines += ["", "No tokens are served: cost per million tokens is undefined."]
    return [*lines, ""]


def _uncertainty(facts: Facts) -> list[str]:
    """How sure the answer is: where the ranges come from, each with its savings at both
    ends, and the three key numbers (the charts are in ``report.html``)."""
    lines = ["## How sure is the answer?", ""]
    if facts.uncertainty is None:
        return [*lines, md.text(NOTHING_TO_VARY), ""]
    lines += [*(f"- **{md.text(big)}** {md.text(small)}" for big, small in key_numbers(facts))]
    lines += ["", md.text(origin(facts)), ""]
    rows = [
        [f"{md.text(label)} (`{path}`)", *(md.text(c) for c in cells)]
        for label, path, cells in range_rows(facts)
    ]
    lines += md.table(RANGES_HEADER, rows, escape=False)
    lines += ["", md.text(SAVINGS_NOTE), ""]
    lines += ["The chance of breaking even by each month and the fan of costs: report.html.", ""]
    return lines


def _inputs(facts: Facts) -> list[str]:
    """The usage, the costing choices and each option's parameters."""
    scenario, result = facts.scenario, facts.result
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
    if not facts.currency.is_usd:
        lines.append("- Inputs are shown as given: prices in US dollars.")
    lines.append("")
    for option in scenario.options.values():
        lines += [f"### {md.text(option.name)}", "", md.text(repr(option)), ""]
        params = option.core_params()
        if params:
            rows = [[k, _value(v)] for k, v in params.items()]
            lines += md.table(["parameter", "value"], rows, escape=False)
            lines.append("")
    return lines


def _sources(facts: Facts) -> list[str]:
    """Each option's catalog rows (source and date, flagged when stale), or a line saying
    there are none."""
    lines = []
    for s in facts.sources:
        stale = f" **(stale: checked {s.age_days} days ago)**" if s.stale else ""
        lines.append(f"- {md.text(s.option)}: {md.text(s.text)}{stale}")
    if not lines:
        lines = ["- No catalog rows: every figure is as given in the scenario file."]
    return ["## Sources", "", *lines, ""]


def _chart_sections(charts: list[str]) -> list[str]:
    """Every chart but the cumulative cost (shown with the answer) under its title."""
    lines = ["## Charts", ""]
    for name in charts:
        if name == "cumulative_cost":
            continue
        lines += [f"### {CHART_TITLES.get(name, name)}", "", f"![{name}]({name}.png)", ""]
    return lines


def _footer(facts: Facts) -> list[str]:
    from tco import __version__

    scenario = facts.scenario
    name = "" if scenario.path is None else scenario.path.name.replace("`", "'")
    where = f" from `{name}`" if name else ""
    return ["---", f"Generated by tco {__version__}{where} on {facts.today.isoformat()}.", ""]


def markdown(facts: Facts, charts: list[str]) -> str:
    """The summary: title, answer (the recommendation first when it is the answer), how
    sure it is, options, inputs, sources, charts, footer."""
    lead = _recommendation(facts) if facts.leads else ["## Answer", ""]
    return "\n".join(
        [
            *_title(facts),
            *lead,
            *_answer(facts),
            "![Cumulative cost](cumulative_cost.png)",
            "",
            *_uncertainty(facts),
            *_options(facts),
            *_inputs(facts),
            *_sources(facts),
            *_chart_sections(charts),
            *_footer(facts),
        ]
    )
