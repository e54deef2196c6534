"""Every notebook in notebooks/ runs from top to bottom, within a time budget, without error.

The worked examples written as question -> answer also start with the question in one
sentence and end by printing the answer, computed by the notebook.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
BUDGET_S = 120.0
"""Wall-clock budget of one notebook (the kernel start included). [s]"""

QUESTION_ANSWER = (
    "quickstart.ipynb",
    "sensitivity_and_monte_carlo.ipynb",
    "buy_rent_or_api.ipynb",
    "keeping_prices_current.ipynb",
    "hybrid_decision.ipynb",
    "reserved_or_on_demand.ipynb",
    "what_latency_costs.ipynb",
    "what_if.ipynb",
)


def _all() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_worked_examples_are_there():
    names = {p.name for p in _all()}
    assert set(QUESTION_ANSWER) <= names


def _execute(path: Path):
    nb = nbformat.read(path, as_version=4)
    deadline = time.monotonic() + BUDGET_S
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        startup_timeout=60,
        # each cell gets what is left of the notebook's budget
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


@pytest.mark.parametrize("path", _all(), ids=lambda p: p.stem)
def test_notebook_runs(path):
    nb = _execute(path)  # raises CellExecutionError (or a timeout) on any failing cell
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    if path.name not in QUESTION_ANSWER:
        return
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    question = [line for line in first.source.splitlines() if line.startswith("**Question:**")]
    assert question, f"{path.name}: the first cell states the question"
    last = nb.cells[-1]
    assert last.cell_type == "code"
    printed = "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    assert printed.startswith("Answer: ") and printed.strip().endswith(".")
    assert printed.count("\n") == 1, "the answer is one line"


def test_committed_notebooks_carry_their_outputs():
    for path in (NOTEBOOKS / name for name in QUESTION_ANSWER):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{path.name}: run it before committing"
        assert any(o.output_type == "display_data" for c in code for o in c.outputs), path.name
