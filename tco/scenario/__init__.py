"""Scenario files (TOML): a usage curve and the options to compare, by name.

A scenario file has three parts::

    [scenario]                       # what to compare and how
    name = "Support bot: API or Llama?"
    baseline = "gpt-4o"              # option names below
    candidate = "llama-70b"
    discount_rate = 0.08             # annual; optional
    pricing = "my_prices/"           # optional folder overriding the bundled catalog
    currency = "EUR"                 # optional: money shown in EUR (fx.csv); computed in USD

    [usage]                          # any tco.Usage field
    output_share = 0.25
    [usage.curve]                    # kind: constant | linear | compound | logistic | series
    kind = "compound"
    start = 2e9
    monthly_growth = 0.08
    months = 36

    [options.gpt-4o]                 # type: api | self_hosted
    type = "api"
    catalog = "openai/gpt-4o"        # optional: start from a catalog row
    batch_share = 0.2                # any VendorAPI field overrides it

    [options.llama-70b]
    type = "self_hosted"
    catalog = { model = "meta-llama/Llama-3.3-70B-Instruct", gpu = "H100-SXM" }
    staff_fte = 1.0                  # any SelfHosted field

Strategies refer to options defined above them by name (``tco recommend`` adds the best
switch and overflow by itself)::

    [options.move-at-8]              # type: switch | switch_on_volume | overflow
    type = "switch"
    first = "gpt-4o"
    then = "llama-70b"
    month = 8                        # switch_on_volume: threshold_tokens_per_month = 5e9
                                     # overflow: fleet = ..., api = ..., max_replicas = 4

For task-class routing (``tco recommend``), give each option a ``capability`` (a tier
``basic | strong | frontier`` or a benchmark score, or a table class -> capability) and
describe the classes (``data_must_stay = true`` in ``[scenario]`` applies to all)::

    [task_classes.extraction]        # any tco.TaskClass field
    share = 0.7
    need = "basic"
    output_share = 0.1

Uncertainty ranges (for ``tco report``'s Monte Carlo and tornado) name declared parameters
by path (``tco.parameter_paths`` lists them) with a low and a high value, each drawn
uniformly and independently; without them the report uses documented defaults (GPU and API
prices +-30 %, monthly growth +-50 %; see :mod:`tco.report.uncertainty`)::

    [ranges]
    "candidate.procurement.usd_per_gpu_hour" = [2.0, 3.5]
    "usage.monthly_growth" = [0.02, 0.10]

A vendor model retiring within the horizon (the catalog's ``deprecation_date``) moves to its
successor's prices from the next month, with the option's ``migration_usd``
(:meth:`Scenario.retirements` lists the moves; ``tco break-even`` prints them).

Files are parsed (tomllib), validated with pydantic, never executed.
"""

from tco.scenario.build import (
    EXAMPLES_DIR,
    OPTION_TYPES,
    STRATEGY_TYPES,
    ScenarioError,
    ScenarioMeta,
    example_path,
)
from tco.scenario.model import Scenario

__all__ = [
    "EXAMPLES_DIR",
    "OPTION_TYPES",
    "STRATEGY_TYPES",
    "Scenario",
    "ScenarioError",
    "ScenarioMeta",
    "example_path",
]
