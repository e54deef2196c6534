"""Matplotlib charts of costs, break-even and uncertainty.

Every helper takes an optional ``ax`` (a new figure is made when it is None), draws on it
and returns it. Money axes read ``$12k``, ``$1.2M`` (:func:`format_usd`), time runs along
the x axis in months, and legends name the options by their names. Options keep the same
colour in every chart of one simulation (their order in it).

``matplotlib.pyplot`` is imported inside the functions only, so ``import tco`` never
pulls in a plotting backend.

One module per chart; :mod:`tco.plot.format` holds what they share (money and value
labels, colours, axes). Charts of sensitivity, Monte Carlo and switching results read
those results by their documented attributes and import nothing from :mod:`tco.analysis`.
A module whose chart function would share its name is called ``<name>_chart``, so that
``tco.plot.fan`` is always the function.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import tco
>>> usage = tco.Usage.constant(2e9, months=24, output_share=0.25)
>>> api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
>>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
...                        procurement=tco.Rent(usd_per_gpu_hour=2.0), setup_usd=20_000)
>>> ax = tco.plot.cumulative_cost(tco.break_even(api, fleet, usage))
>>> ax.get_ylabel()
'Cumulative cost [USD]'
"""

from tco.core.ledger import cumulative_at, cumulative_path
from tco.plot.breakdown import COMPONENT_LABELS, component_label, monthly_breakdown
from tco.plot.commitment_chart import commitment_risk
from tco.plot.cumulative import cumulative_cost
from tco.plot.fan_chart import fan
from tco.plot.format import format_usd, money_formatter, usd_formatter
from tco.plot.heatmap_chart import heatmap
from tco.plot.panels import monthly_breakdowns
from tco.plot.per_token import cost_per_mtok
from tco.plot.probability import break_even_probability
from tco.plot.sobol_chart import sobol
from tco.plot.switching import switch_month
from tco.plot.tornado_chart import tornado
from tco.plot.trends_chart import price_trends

__all__ = [
    "COMPONENT_LABELS",
    "break_even_probability",
    "commitment_risk",
    "component_label",
    "cost_per_mtok",
    "cumulative_at",
    "cumulative_cost",
    "cumulative_path",
    "fan",
    "format_usd",
    "heatmap",
    "money_formatter",
    "monthly_breakdown",
    "monthly_breakdowns",
    "price_trends",
    "sobol",
    "switch_month",
    "tornado",
    "usd_formatter",
]
