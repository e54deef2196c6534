"""The README's Python examples run as written, in order (they share one namespace)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_examples_run() -> None:
    matplotlib.use("Agg")
    blocks = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # our own README
    assert namespace["risk"].to_frame().shape[0] == 2  # type: ignore[attr-defined]
