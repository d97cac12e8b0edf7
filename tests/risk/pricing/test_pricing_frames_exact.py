# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""The pricing frame with every argument set, each boundary exact (issue #23).

Each column is compared with the batch functions on the same inputs: EAD = drawn +
CCF x max(limit - drawn, 0), the IRB weight at the remaining maturity (actual/365.25),
RWA, capital = 8 % of RWA, and `minimum_rate` over the contractual life with the
arrangement fee over the limit.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.risk.capital import BASEL_II, BASEL_III, risk_weight
from lendcrm.risk.pricing import minimum_rate
from lendcrm.risk.pricing.frames import price_facilities_frame

AS_OF = dt.date(2026, 1, 1)
RATES: dict[str, Any] = {
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.09,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "limit": [1000.0, 400.0],
            "drawn": [600.0, 500.0],  # the second is overdrawn: no undrawn part
            "start_on": pd.to_datetime(["2025-01-01", "2024-01-01"]),
            "maturity_on": pd.to_datetime(["2029-01-01", "2026-01-02"]),
            "arrangement_fee": [12.0, 0.0],
            "default_probability": [0.02, 1.0],
            "loss_given_default": [0.4, 0.45],
            "credit_conversion_factor": [0.5, 0.75],
        },
        index=["F-1", "F-2"],
    )


def test_every_column_with_every_argument():
    frame = _frame()
    out = price_facilities_frame(
        frame,
        as_of=AS_OF,
        regime=BASEL_II,
        asset_class="other_retail",
        risk_weight_override=[math.nan, 0.9],
        expected_loss_rate_override=[0.011, math.nan],
        el_best=0.35,
        hurdle_basis="post_tax",
        tax_rate=0.25,
        **{**RATES, "hurdle_rate": 0.0675},
    )
    assert "ead" not in frame.columns  # the input is not changed
    assert list(out.index) == ["F-1", "F-2"]
    ead = np.array([600.0 + 0.5 * 400.0, 500.0])
    np.testing.assert_array_equal(out["ead"], ead)
    remaining = np.array([1096.0, 1.0]) / 365.25
    rw0 = float(
        risk_weight(
            0.02,
            0.4,
            regime=BASEL_II,
            asset_class="other_retail",
            maturity=remaining[0],
        )[0]
    )
    np.testing.assert_allclose(out["risk_weight"], [rw0, 0.9], rtol=1e-12)
    np.testing.assert_allclose(
        out["risk_weighted_assets"], [rw0 * 800, 0.9 * 500], rtol=1e-12
    )
    np.testing.assert_allclose(
        out["capital"], [0.08 * rw0 * 800, 0.08 * 0.9 * 500], rtol=1e-12
    )
    # EL: the override on F-1, EL_best on the defaulted F-2
    np.testing.assert_allclose(
        out["expected_loss"], [0.011 * 800, 0.35 * 500], rtol=1e-12
    )
    life = np.array([1461.0, 731.0]) / 365.25
    want = minimum_rate(
        [0.02, 1.0],
        [0.4, 0.45],
        maturity=life,
        regime=BASEL_II,
        asset_class="other_retail",
        upfront_fee=[0.012, 0.0],
        risk_weight_override=[math.nan, 0.9],
        expected_loss_rate_override=[0.011, math.nan],
        el_best=0.35,
        hurdle_basis="post_tax",
        tax_rate=0.25,
        **{**RATES, "hurdle_rate": 0.0675},
    )
    np.testing.assert_allclose(out["minimum_rate"], want, rtol=1e-12)


def test_the_defaults():
    frame = _frame().iloc[:1]
    out = price_facilities_frame(frame, as_of=AS_OF, regime=BASEL_III, **RATES)
    rw = float(risk_weight(0.02, 0.4, regime=BASEL_III, maturity=1096 / 365.25)[0])
    assert out["risk_weight"].tolist() == pytest.approx([rw], rel=1e-12)
    assert out["expected_loss"].tolist() == pytest.approx([0.008 * 800], rel=1e-12)
    want = minimum_rate(
        0.02, 0.4, maturity=4.0, regime=BASEL_III, upfront_fee=0.012, **RATES
    )
    assert out["minimum_rate"].tolist() == pytest.approx(want.tolist(), rel=1e-12)


def test_maturity_on_the_as_of_date_is_matured():
    frame = _frame().iloc[:1].copy()
    frame["maturity_on"] = pd.to_datetime(["2026-01-02"])
    price_facilities_frame(
        frame, as_of=AS_OF, regime=BASEL_III, **RATES
    )  # one day left
    frame["maturity_on"] = pd.to_datetime(["2026-01-01"])
    with pytest.raises(InvalidRowsError) as err:
        price_facilities_frame(frame, as_of=AS_OF, regime=BASEL_III, **RATES)
    assert (err.value.column, err.value.rows, err.value.count) == (
        "maturity_on",
        ("F-1",),
        1,
    )
    assert err.value.expected == "a date after as_of (2026-01-01)"


def test_a_zero_limit_needs_a_zero_fee():
    frame = _frame().copy()
    frame["limit"] = [0.0, 0.0]
    frame["drawn"] = [0.0, 0.0]
    frame["arrangement_fee"] = [0.0, 0.0]
    out = price_facilities_frame(
        frame, as_of=AS_OF, regime=BASEL_III, el_best=0.35, **RATES
    )
    assert out["ead"].tolist() == [0.0, 0.0]
    frame["arrangement_fee"] = [0.0, 1.0]
    with pytest.raises(InvalidRowsError) as err:
        price_facilities_frame(
            frame, as_of=AS_OF, regime=BASEL_III, el_best=0.35, **RATES
        )
    assert (err.value.column, err.value.rows) == ("limit", ("F-2",))
    assert err.value.expected == "a positive limit to spread the arrangement fee over"


def test_row_inputs_one_value_or_one_per_row():
    frame = _frame()
    for name, values in (
        ("risk_weight_override", [0.5, 0.5, 0.5]),
        ("expected_loss_rate_override", [0.1, 0.1, 0.1]),
        ("el_best", [0.3, 0.3, 0.3]),
    ):
        with pytest.raises(InvalidValueError) as err:
            price_facilities_frame(
                frame,
                as_of=AS_OF,
                regime=BASEL_III,
                **RATES,
                **{"el_best": 0.35, name: values},
            )
        assert (err.value.field, err.value.value) == (name, "length 3")
        assert err.value.expected == "one value or one per row of the frame (2)"
    for bad in (-1e-300, 1.0000001):
        with pytest.raises(InvalidValueError) as err:
            price_facilities_frame(
                frame, as_of=AS_OF, regime=BASEL_III, el_best=bad, **RATES
            )
        assert err.value.field == "el_best[0]"
        assert "[0, 1]" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        price_facilities_frame(frame, as_of=AS_OF, regime="basel_iii", **RATES)
    assert (err.value.field, err.value.expected) == ("regime", "a CapitalRegime")
    with pytest.raises(InvalidValueError) as err:
        price_facilities_frame(
            frame,
            as_of=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            regime=BASEL_III,
            **RATES,
        )
    assert err.value.field == "as_of"
