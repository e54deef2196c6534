"""Prefill and decode from one measurement: the formula and the ratios behind it."""

from __future__ import annotations

import re
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tco.pricing import load_pricing
from tco.pricing.derive import (
    DEFAULT_RATIO,
    PREFILL_DECODE_RATIOS,
    RATIO_SIBLINGS,
    prefill_decode_ratio,
    split_output_rate,
)

POSITIVE = st.floats(min_value=100.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(POSITIVE, st.floats(1, 20000), st.floats(1, 20000), st.floats(0.2, 20))
def test_split_reproduces_the_measurement_and_the_ratio(
    t: float, isl: float, osl: float, r: float
) -> None:
    s = split_output_rate(t, isl, osl, r)
    # Equation (1): the replica is busy exactly all the time at the measured mix; rounding
    # P and D (>= 20 here) to whole tokens/s moves each term by at most 0.5 / value.
    busy = t * isl / osl / s.prefill_tokens_per_s + t / s.decode_tokens_per_s
    smallest = min(s.prefill_tokens_per_s, s.decode_tokens_per_s)
    assert busy == pytest.approx(1.0, rel=1.0 / smallest)
    assert s.decode_tokens_per_s >= round(t)  # decoding alone is at least the output rate
    assert s.prefill_tokens_per_s / s.decode_tokens_per_s == pytest.approx(r, rel=1.0 / smallest)


def test_split_by_hand() -> None:
    # 2000 tok/s at 500 in / 100 out with r = 4: D = 2000 (1 + 5 / 4) = 4500, P = 18000.
    s = split_output_rate(2000, 500, 100, 4)
    assert (s.prefill_tokens_per_s, s.decode_tokens_per_s) == (18000, 4500)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_split_refuses_bad_numbers(bad: float) -> None:
    with pytest.raises(ValueError, match="finite numbers > 0"):
        split_output_rate(bad, 100, 100, 2)
    with pytest.raises(ValueError, match="finite numbers > 0"):
        split_output_rate(1000, 100, 100, bad)


def two_point_ratios() -> dict[str, list[float]]:
    """P / D of the bundled TensorRT-LLM two-point rows, by GPU."""
    out: dict[str, list[float]] = {}
    df = load_pricing().throughputs
    for row in df.itertuples():
        if re.search(r"ISL/OSL \d+/\d+ -> [\d.]+ tok/s and \d+/\d+", row.notes or ""):
            out.setdefault(row.gpu, []).append(row.prefill_tokens_per_s / row.decode_tokens_per_s)
    return out


def test_ratios_are_the_medians_of_the_two_point_rows() -> None:
    ratios = two_point_ratios()
    assert sum(len(v) for v in ratios.values()) == 44
    assert set(ratios) == set(PREFILL_DECODE_RATIOS)
    for gpu, values in ratios.items():
        assert PREFILL_DECODE_RATIOS[gpu] == round(statistics.median(values), 2)
    every = [v for values in ratios.values() for v in values]
    assert round(statistics.median(every), 2) == DEFAULT_RATIO


def test_ratio_look_up() -> None:
    assert prefill_decode_ratio("H200")[0] == PREFILL_DECODE_RATIOS["H200"]
    for gpu, sibling in RATIO_SIBLINGS.items():
        ratio, basis = prefill_decode_ratio(gpu)
        assert ratio == PREFILL_DECODE_RATIOS[sibling] and sibling in basis
    ratio, basis = prefill_decode_ratio("MI355X")
    assert ratio == DEFAULT_RATIO and "no sibling" in basis
