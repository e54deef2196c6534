"""tco: pay a vendor per token, or host an open model on your own GPUs?

Examples
--------
>>> import tco
>>> usage = tco.Usage.constant(5e9, months=36, output_share=0.25)
>>> api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
>>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=40_000, decode_tokens_per_s=4_000,
...                        procurement=tco.Rent(usd_per_gpu_hour=2.0), gpus_per_replica=1,
...                        setup_usd=20_000)
>>> tco.break_even(api, fleet, usage).month  # 20,000 / (21,875 - 1,460) = 0.98 months
1
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below load on first use (PEP 562), so `import tco` is quick
    from tco import plot
    from tco.analysis.breakeven import BreakEven, break_even
    from tco.analysis.commitment import CommitmentRisk, commitment_risk
    from tco.analysis.montecarlo import MonteCarloResult, monte_carlo
    from tco.analysis.overflow_sizing import OverflowChoice, best_overflow
    from tco.analysis.paths import ParameterPathError, parameter_paths
    from tco.analysis.question import Question
    from tco.analysis.recommend import Recommendation, recommend
    from tco.analysis.routing import Routing, route
    from tco.analysis.simulate import Simulation, simulate
    from tco.analysis.sobol import SobolResult, sobol
    from tco.analysis.sweep import SweepResult, sweep
    from tco.analysis.switch_month import SwitchMonth, best_switch_month
    from tco.analysis.switch_volume import SwitchVolume, best_switch_volume
    from tco.analysis.tornado import TornadoResult, tornado
    from tco.analysis.trends import price_trend_effect, with_trends
    from tco.analysis.volume import VolumeBreakEven, break_even_volume
    from tco.core.option import Option
    from tco.core.params import Param
    from tco.core.parts import CostContext, CostParts, Window
    from tco.core.plausible import PlausibilityWarning
    from tco.core.presets import API_PRICE_TRENDS, GPU_PRICE_TRENDS
    from tco.core.usage import Usage
    from tco.options.api import VendorAPI
    from tco.options.hosting import SelfHosted
    from tco.options.latency import Latency
    from tco.options.longer_inputs import LatencyWarning
    from tco.options.overflow import Overflow
    from tco.options.procurement import Buy, Rent
    from tco.options.routed import Routed, TaskClass
    from tco.options.serverless import Serverless
    from tco.options.switch import Switch, SwitchOnVolume
    from tco.pricing import (
        AmbiguousPriceError,
        PricingCatalog,
        PricingError,
        PricingProblem,
        RetiredModelWarning,
        StalePriceWarning,
        UnknownPriceError,
        load_pricing,
    )
    from tco.pricing.benchmarks import import_bench
    from tco.pricing.litellm import import_litellm
    from tco.pricing.mlperf import import_mlperf
    from tco.scenario import Scenario, ScenarioError

__version__ = "0.1.0"

__all__ = [
    "API_PRICE_TRENDS",
    "GPU_PRICE_TRENDS",
    "AmbiguousPriceError",
    "BreakEven",
    "Buy",
    "CommitmentRisk",
    "CostContext",
    "CostParts",
    "Latency",
    "LatencyWarning",
    "MonteCarloResult",
    "Option",
    "Overflow",
    "OverflowChoice",
    "Param",
    "ParameterPathError",
    "PlausibilityWarning",
    "PricingCatalog",
    "PricingError",
    "PricingProblem",
    "Question",
    "Recommendation",
    "Rent",
    "RetiredModelWarning",
    "Routed",
    "Routing",
    "Scenario",
    "ScenarioError",
    "SelfHosted",
    "Serverless",
    "Simulation",
    "SobolResult",
    "StalePriceWarning",
    "SweepResult",
    "Switch",
    "SwitchMonth",
    "SwitchOnVolume",
    "SwitchVolume",
    "TaskClass",
    "TornadoResult",
    "UnknownPriceError",
    "Usage",
    "VendorAPI",
    "VolumeBreakEven",
    "Window",
    "best_overflow",
    "best_switch_month",
    "best_switch_volume",
    "break_even",
    "break_even_volume",
    "commitment_risk",
    "explore",
    "import_bench",
    "import_litellm",
    "import_mlperf",
    "load_pricing",
    "monte_carlo",
    "parameter_paths",
    "plot",
    "price_trend_effect",
    "recommend",
    "route",
    "simulate",
    "sobol",
    "sweep",
    "tornado",
    "with_trends",
]


_MODULES: dict[str, tuple[str, ...]] = {
    "tco.analysis.breakeven": ("BreakEven", "break_even"),
    "tco.analysis.commitment": ("CommitmentRisk", "commitment_risk"),
    "tco.analysis.montecarlo": ("MonteCarloResult", "monte_carlo"),
    "tco.analysis.overflow_sizing": ("OverflowChoice", "best_overflow"),
    "tco.analysis.paths": ("ParameterPathError", "parameter_paths"),
    "tco.analysis.question": ("Question",),
    "tco.analysis.recommend": ("Recommendation", "recommend"),
    "tco.analysis.routing": ("Routing", "route"),
    "tco.analysis.simulate": ("Simulation", "simulate"),
    "tco.analysis.sobol": ("SobolResult", "sobol"),
    "tco.analysis.sweep": ("SweepResult", "sweep"),
    "tco.analysis.switch_month": ("SwitchMonth", "best_switch_month"),
    "tco.analysis.switch_volume": ("SwitchVolume", "best_switch_volume"),
    "tco.analysis.tornado": ("TornadoResult", "tornado"),
    "tco.analysis.trends": ("price_trend_effect", "with_trends"),
    "tco.analysis.volume": ("VolumeBreakEven", "break_even_volume"),
    "tco.core.option": ("Option",),
    "tco.core.params": ("Param",),
    "tco.core.parts": ("CostContext", "CostParts", "Window"),
    "tco.core.plausible": ("PlausibilityWarning",),
    "tco.core.presets": ("API_PRICE_TRENDS", "GPU_PRICE_TRENDS"),
    "tco.core.usage": ("Usage",),
    "tco.whatif.widget": ("explore",),
    "tco.options.api": ("VendorAPI",),
    "tco.options.hosting": ("SelfHosted",),
    "tco.options.latency": ("Latency",),
    "tco.options.longer_inputs": ("LatencyWarning",),
    "tco.options.overflow": ("Overflow",),
    "tco.options.procurement": ("Buy", "Rent"),
    "tco.options.routed": ("Routed", "TaskClass"),
    "tco.options.serverless": ("Serverless",),
    "tco.options.switch": ("Switch", "SwitchOnVolume"),
    "tco.pricing": (
        "AmbiguousPriceError",
        "PricingCatalog",
        "PricingError",
        "PricingProblem",
        "RetiredModelWarning",
        "StalePriceWarning",
        "UnknownPriceError",
        "load_pricing",
    ),
    "tco.pricing.benchmarks": ("import_bench",),
    "tco.pricing.litellm": ("import_litellm",),
    "tco.pricing.mlperf": ("import_mlperf",),
    "tco.scenario": ("Scenario", "ScenarioError"),
}
"""Where each public name is defined (``tco.plot`` is the charts package itself)."""

_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Load a public name on first use: ``tco.break_even`` imports the analysis it needs."""
    if name == "plot":
        return importlib.import_module("tco.plot")
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tco' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
