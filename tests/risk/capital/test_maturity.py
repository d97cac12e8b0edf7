"""The cash-flow-weighted effective maturity M of the IRB formula (CRE32.46-32.48).

CRE32.47: for an instrument with a determined cash-flow schedule
M = sum_t t CF_t / sum_t CF_t; CRE32.46: M is floored at one year and capped at five
(the floor does not apply to the short-term exposures of CRE32.51-32.53). Expected
values are computed by hand in each test.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import effective_maturity


def test_effective_maturity_hand_computed():
    # CRE32.47: M = sum t CF_t / sum CF_t.
    # 5-year bullet, 5 % coupons: (5 (1+2+3+4) + 105 x 5) / 125 = 575 / 125 = 4.6
    assert effective_maturity([1, 2, 3, 4, 5], [5, 5, 5, 5, 105]) == pytest.approx(4.6)
    # amortising 40, 35, 30 at 1, 2, 3: (40 + 70 + 90) / 105 = 1.904762
    assert effective_maturity([1, 2, 3], [40, 35, 30]) == pytest.approx(200 / 105)
    # 7-year bullet, 5 %: (5 x 21 + 105 x 7) / 135 = 840 / 135 = 6.2222 -> cap 5
    # (CRE32.46)
    seven = ([1, 2, 3, 4, 5, 6, 7], [5, 5, 5, 5, 5, 5, 105])
    assert effective_maturity(*seven) == 5.0
    assert effective_maturity(*seven, cap=math.inf) == pytest.approx(840 / 135)
    # a six-month bullet: M = 0.5 -> floor 1 (CRE32.46), unless exempt (CRE32.51-53)
    assert effective_maturity([0.5], [101.0]) == 1.0
    assert effective_maturity([0.5], [101.0], floor=0.0) == 0.5


def test_effective_maturity_errors():
    with pytest.raises(InvalidValueError, match=r"`cash_flows\[1\]` must be"):
        effective_maturity([1, 2], [5, -1])
    with pytest.raises(
        InvalidValueError, match=r"`cash_flows` must be a positive total; got \[0.0\]"
    ):
        effective_maturity([1], [0])
    with pytest.raises(InvalidValueError, match=r"`times\[0\]` must be"):
        effective_maturity([-1], [1])
    with pytest.raises(InvalidValueError, match="same length"):
        effective_maturity([1, 2], [1])
    with pytest.raises(
        InvalidValueError, match=r"`cap` must be at least floor \(2 years\); got 1"
    ):
        effective_maturity([1], [1], floor=2.0, cap=1.0)


@given(
    st.lists(
        st.tuples(st.floats(0.0, 30.0), st.floats(0.01, 1e6)), min_size=1, max_size=20
    )
)
def test_effective_maturity_is_a_weighted_mean_of_the_times(flows):
    times = [t for t, _ in flows]
    amounts = [a for _, a in flows]
    raw = effective_maturity(times, amounts, floor=0.0, cap=math.inf)
    assert min(times) - 1e-9 <= raw <= max(times) + 1e-9
    assert effective_maturity(times, amounts) == min(5.0, max(1.0, raw))
