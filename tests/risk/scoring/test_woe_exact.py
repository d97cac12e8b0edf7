"""Weight of evidence and information value: hand values and every refusal (#23).

WoE_i = ln((g_i / G) / (b_i / B)), IV = sum (g_i / G - b_i / B) WoE_i (N. Siddiqi,
*Credit Risk Scorecards*, Wiley 2006, ch. 6): goods 60, 30, 10 and bads 10, 20, 70 give
shares 0.6 / 0.1, 0.3 / 0.2, 0.1 / 0.7.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import information_value, iv_contributions, weight_of_evidence

GOODS = [60.0, 30.0, 10.0]
BADS = [10.0, 20.0, 70.0]
WOE = [math.log(0.6 / 0.1), math.log(0.3 / 0.2), math.log(0.1 / 0.7)]
IV = [(0.6 - 0.1) * WOE[0], (0.3 - 0.2) * WOE[1], (0.1 - 0.7) * WOE[2]]


def test_hand_values():
    np.testing.assert_allclose(weight_of_evidence(GOODS, BADS), WOE, rtol=1e-14)
    np.testing.assert_allclose(iv_contributions(GOODS, BADS), IV, rtol=1e-14)
    assert information_value(GOODS, BADS) == pytest.approx(sum(IV), rel=1e-14)
    assert isinstance(information_value(GOODS, BADS), float)
    # higher WoE, lower risk: goods over bads, not the reverse
    assert weight_of_evidence([3.0, 1.0], [1.0, 3.0]).tolist() == [
        math.log(3.0),
        math.log(1 / 3),
    ]
    # weights, not only counts; one bin
    assert weight_of_evidence([0.5], [2.5]).tolist() == [0.0]
    assert information_value([0.5], [2.5]) == 0.0


@pytest.mark.parametrize(
    "call", [weight_of_evidence, iv_contributions, information_value]
)
def test_refusals_name_the_field(call):
    for goods, bads, field, words in [
        ([1.0, -1e-300], [1.0, 1.0], "goods[1]", ">= 0"),
        ([1.0, 1.0], [2.0, -1e-300], "bads[1]", ">= 0"),
        ([1.0, 1.0], [math.nan, 1.0], "bads[0]", "finite"),
        ([], [], "goods", "non-empty"),
        ([1.0], [], "bads", "non-empty"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            call(goods, bads)
        assert err.value.field == field
        assert words in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        call([1.0, 2.0], [1.0, 2.0, 3.0])
    assert err.value.field == "bads"
    assert "`goods` (2)" in err.value.expected
    for goods, bads, field in [
        ([0.0, 0.0], [1.0, 1.0], "goods"),
        ([1.0, 1.0], [0.0, 0.0], "bads"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            call(goods, bads)
        assert (err.value.field, err.value.value) == (field, [0.0, 0.0])
        assert err.value.expected == "a positive total"
    for goods, bads, field in [
        ([1.0, 0.0, 1.0], [1.0, 1.0, 1.0], "goods[1]"),
        ([1.0, 1.0, 1.0], [1.0, 1.0, 0.0], "bads[2]"),
        ([1.0, 0.0], [1.0, 0.0], "goods[1]"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            call(goods, bads)
        assert (err.value.field, err.value.value) == (field, 0.0)
        assert (
            err.value.expected
            == "a positive count (the WoE of an empty class is infinite)"
        )
        assert err.value.hint == "Merge the bin with a neighbour or smooth its counts."


def test_tiny_positive_counts_are_allowed():
    got = weight_of_evidence([1e-300, 1.0], [1.0, 1e-300])
    assert got[0] == pytest.approx(math.log(1e-300), rel=1e-12)
    assert got[1] == pytest.approx(-math.log(1e-300), rel=1e-12)
