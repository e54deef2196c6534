"""The ledger adds cost parts up: totals, present values and break-even, by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tco.core.ledger import (
    Ledger,
    Timed,
    break_even_time,
    cumulative_into,
    never_reason,
    spent_so_far,
    timed,
)
from tco.core.parts import CostParts

H = 4


def parts() -> CostParts:
    return CostParts(
        upfront={"setup": np.array([1_000.0, 0.0, 500.0, 0.0])},
        recurring={"fees": np.full(H, 100.0), "staff": np.array([10.0, 20.0, 30.0, 40.0])},
        end={"credit": np.array([0.0, 0.0, 0.0, -300.0])},
    )


def test_totals_by_hand() -> None:
    ledger = Ledger.of(parts(), H)
    monthly = [1_000 + 110, 120, 500 + 130, 140 - 300]
    assert ledger.monthly().tolist() == monthly
    assert ledger.cumulative().tolist() == np.cumsum(monthly).tolist()
    assert float(ledger.total()) == sum(monthly)


def test_present_value_by_the_formula() -> None:
    rate = 0.1
    i = (1 + rate) ** (1 / 12) - 1
    up = [1_000.0, 0, 500.0, 0]
    rec = [110.0, 120.0, 130.0, 140.0]
    end = [0, 0, 0, -300.0]
    npv = sum(up[k] * (1 + i) ** -k + (rec[k] + end[k]) * (1 + i) ** -(k + 1) for k in range(H))
    assert float(Ledger.of(parts(), H, rate).total(discounted=True)) == pytest.approx(
        npv, rel=1e-14
    )


def test_no_rate_is_no_discounting() -> None:
    ledger = Ledger.of(parts(), H, 0.0)
    assert ledger.pv is ledger.cost
    assert ledger.monthly(discounted=True) is ledger.monthly()


def test_absent_groups_are_zeros_and_batches_broadcast() -> None:
    only = CostParts(recurring={"fees": np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])})
    t = timed(only)
    assert t.upfront is None and t.end is None
    ledger = Ledger(t, H, np.array([0.0, 0.5]))
    assert ledger.total().tolist() == [10.0, 26.0]
    i = 1.5 ** (1 / 12) - 1
    second = sum(v * (1 + i) ** -(k + 1) for k, v in enumerate([5.0, 6.0, 7.0, 8.0]))
    assert ledger.total(discounted=True).tolist() == pytest.approx([10.0, second], rel=1e-14)


def test_break_even_is_the_payback() -> None:
    baseline = Timed(None, np.full(12, 900.0), None)
    candidate = Timed(np.array([1_500.0] + [0.0] * 11), np.full(12, 400.0), None)
    t, diff = break_even_time(baseline, candidate, 12)
    assert float(t) == pytest.approx(1_500 / 500)
    assert diff.recurring.tolist() == [-500.0] * 12


def test_never_reasons_in_words() -> None:
    months = 6
    dearer = Timed(None, np.full(months, 10.0), None)
    assert never_reason(dearer, months) == "candidate never cheaper per month"
    late = Timed(None, np.array([-1.0] * 5 + [1.0]), None)
    assert never_reason(late, months) == "candidate not cheaper per month at the end of the horizon"
    slow = Timed(np.array([100.0, 0, 0, 0, 0, 0]), np.full(months, -10.0), None)
    # 100 - 60 left after 6 months at 10 a month: 4 more months, month 10
    assert never_reason(slow, months).startswith("horizon too short: would break even at month 10")


def test_running_totals() -> None:
    assert spent_so_far(np.array([[1.0, 2.0], [3.0, 0.0]])).tolist() == [[1.0, 3.0], [3.0, 3.0]]
    out = np.empty((3, 2))
    cumulative_into(np.array([1.0, 2.0, 3.0]), out)
    assert out.T.tolist() == [[1.0, 3.0, 6.0], [1.0, 3.0, 6.0]]


money = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(money, min_size=H, max_size=H),
    st.lists(money, min_size=H, max_size=H),
    st.floats(0.0, 0.5),
)
def test_a_missing_group_counts_as_zeros(rec: list[float], other: list[float], rate: float) -> None:
    """A group left out adds exactly what a group of zeros adds."""
    a = Ledger(Timed(None, np.array(rec), None), H, rate)
    b = Ledger(Timed(np.zeros(H), np.array(rec), np.zeros(H)), H, rate)
    assert a.monthly(True).tolist() == b.monthly(True).tolist()
    c = Timed(None, np.array(other), None)
    t1, _ = break_even_time(a.pv, c, H)
    t2, _ = break_even_time(b.pv, Timed(np.zeros(H), np.array(other), np.zeros(H)), H)
    assert float(t1) == float(t2)
