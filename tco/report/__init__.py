"""A scenario's answer as a folder: ``report.html``, ``report.md`` and the key charts (PNG).

``tco report SCENARIO.toml --out DIR`` calls :func:`write_report`. Both pages lead with the
answer in one sentence, the one ``tco report`` prints: the break-even of the candidate
against the baseline, or, for a scenario with task classes (or whose data must stay in the
environment), the recommendation of ``tco recommend`` with the same ranking and exclusions.

``report.html`` (:mod:`tco.report.page`) is one self-contained page that loads nothing: the
answer, the recommendation of :func:`tco.recommend` and why options are excluded, how sure
the answer is (a Monte Carlo over the file's ``[ranges]``, or the documented defaults of
:mod:`tco.report.uncertainty`: GPU and API prices +-30 %, monthly growth +-50 %), the inputs,
every source with its date and staleness, and a model's retirement within the horizon.
``report.md`` (:mod:`tco.report.summary`) gives the answer, every option's totals, the
inputs, the sources and links to the PNG charts.

Money is computed in US dollars and shown in the ``currency`` asked for (``--currency``, or
the scenario file's ``[scenario] currency``), the rate's source and date stated once.
Everything is computed and drawn before anything is written; the files then go through
:func:`~tco.core.files.write_folder_atomically`, so a failed report leaves nothing behind.
Third-party text (option names, sources, notes, the scenario's name and path) is escaped
in both pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tco import plot as plot  # the charts are drawn through it (tests replace a chart)
from tco.core.files import write_folder_atomically
from tco.core.money import Currency
from tco.report.charts import key_charts, uncertainty_charts
from tco.report.facts import gather, recommendation_headline
from tco.report.page import html_page
from tco.report.summary import markdown
from tco.report.uncertainty import DRAWS
from tco.scenario import Scenario

__all__ = ["HTML_NAME", "REPORT_NAME", "Report", "recommendation_headline", "write_report"]

REPORT_NAME = "report.md"
"""File name of the Markdown summary inside the output folder."""

HTML_NAME = "report.html"
"""File name of the self-contained HTML report inside the output folder."""


@dataclass(frozen=True)
class Report:
    """What :func:`write_report` wrote.

    Attributes
    ----------
    markdown : Path
        The Markdown summary.
    charts : dict
        Chart name -> PNG path (the key charts, linked from the Markdown summary).
    headline : str
        The answer in one sentence.
    html : Path
        The self-contained HTML report.
    """

    markdown: Path
    charts: dict[str, Path]
    headline: str
    html: Path


def write_report(
    scenario: Scenario | str | Path,
    out: str | Path,
    *,
    today: date | None = None,
    currency: Currency | str | None = None,
    draws: int = DRAWS,
) -> Report:
    """Write the HTML report, the Markdown summary and the key charts of a scenario.

    Parameters
    ----------
    scenario : Scenario or path
        A scenario, or the path of a scenario TOML file.
    out : str or Path
        Output folder (created if missing). Existing files of the same names are
        replaced.
    today : datetime.date, optional
        Date written in the footer and from which sources' ages are counted (default
        today).
    currency : Currency or str, optional
        Show money in this currency (an ISO code of the scenario's catalog, ``fx.csv``);
        default: the file's ``[scenario] currency``, else US dollars.
    draws : int
        Monte Carlo draws of the uncertainty section (seed 0).

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
    ...     report = write_report(scenario, out, draws=500)
    ...     sorted(p.name for p in report.charts.values()), report.html.name
    (['cost_per_mtok.png', 'cumulative_cost.png', 'monthly_candidate.png'], 'report.html')
    >>> report.headline
    'cheap breaks even against api after 3.0 months (in month 3) and saves $54,000 over 12 months.'
    """
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_toml(scenario)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out}: is a file -> a folder to write the report into")
    if isinstance(currency, str) or (currency is None and scenario.meta.currency):
        currency = scenario.currency(currency)
    facts = gather(scenario, currency=currency, today=today, draws=draws)
    charts = key_charts(facts)
    page = html_page(facts, {**charts, **uncertainty_charts(facts)})
    files = {f"{name}.png": data for name, data in charts.items()}
    files[REPORT_NAME] = markdown(facts, list(charts)).encode("utf-8")
    files[HTML_NAME] = page.encode("utf-8")
    write_folder_atomically(out, files)
    return Report(
        markdown=out / REPORT_NAME,
        charts={name: out / f"{name}.png" for name in charts},
        headline=facts.headline,
        html=out / HTML_NAME,
    )
