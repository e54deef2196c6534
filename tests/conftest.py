"""Shared test setup: a non-interactive matplotlib backend and no figure left open."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close every figure a test opened, so figures never pile up across tests."""
    yield
    plt.close("all")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-baselines",
        action="store_true",
        default=False,
        help="write tests/baseline_images/*.png from the charts as drawn now, instead of "
        "comparing with them (tests/test_visual.py)",
    )
