"""The public names are a contract: every exported name exists, is documented, and the
README quickstart runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import tco

DESIGN_NAMES = {
    "load_pricing",
    "Usage",
    "VendorAPI",
    "SelfHosted",
    "Rent",
    "Buy",
    "simulate",
    "break_even",
    "break_even_volume",
    "BreakEven",
    "Switch",
    "Overflow",
    "best_switch_month",
    "route",
    "recommend",
    "tornado",
    "sweep",
    "monte_carlo",
    "sobol",
    "PricingError",
    "plot",
}


def test_every_exported_name_exists_and_is_documented() -> None:
    assert len(tco.__all__) == len(set(tco.__all__)), "a name is exported twice"
    for name in tco.__all__:
        obj = getattr(tco, name)
        if callable(obj):
            assert obj.__doc__, f"tco.{name} has no docstring"


def test_design_names_are_public() -> None:
    missing = {n for n in DESIGN_NAMES if not hasattr(tco, n)}
    assert not missing


def test_plot_helper_names() -> None:
    for name in (
        "cumulative_cost",
        "monthly_breakdown",
        "cost_per_mtok",
        "tornado",
        "heatmap",
        "fan",
        "break_even_probability",
        "switch_month",
    ):
        assert callable(getattr(tco.plot, name))


def test_readme_python_examples_run() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert len(blocks) >= 3, "README has quickstart, uncertainty and hybrid examples"
    namespace: dict[str, object] = {}
    for block in blocks:  # the README's own code, in order, in one namespace
        exec(compile(block, "README.md", "exec"), namespace)
    assert isinstance(namespace["result"], tco.BreakEven)
    assert 0.0 <= namespace["mc"].prob_break_even_by(24) <= 1.0  # type: ignore[attr-defined]
