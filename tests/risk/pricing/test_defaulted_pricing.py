"""Defaulted exposures in pricing: no silent zero capital (CRE31.3, CRE35.3).

CRE31.3: "The capital requirement (K) for a defaulted exposure is equal to the greater
of zero and the difference between its LGD ... and the bank's best estimate of expected
loss". CRE35.3: for exposures in default, EL is the best estimate of expected loss
(advanced approach) or the supervisory LGD (foundation approach). The capital
functions refuse PD = 1 without `el_best` (reg-a); pricing does the same wherever a
defaulted row is priced on the IRB weight, and charges EL_best as its expected loss.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.risk.capital import BASEL_II, BASEL_III, risk_weighted_assets
from lendcrm.risk.pricing import minimum_rate, price_book, price_facility
from lendcrm.risk.pricing.frames import price_facilities_frame

BASE: dict[str, Any] = {
    "maturity": 5.0,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
    "regime": BASEL_III,
}
REFUSAL = (
    "`el_best` must be a best estimate of expected loss for the defaulted exposure "
    "default_probability[1] = 1 (capital K = max(0, LGD - EL_best), CRE31.3); got "
    "None. Pass el_best=lgd for a foundation-approach exposure (K = 0: its loss is "
    "expected loss, CRE35.3), or the bank's best estimate (CRE36.86)."
)


def test_defaulted_row_without_el_best_is_refused_naming_the_row():
    with pytest.raises(InvalidValueError, match=re.escape(REFUSAL)):
        minimum_rate([0.01, 1.0], 0.45, **BASE)
    with pytest.raises(InvalidValueError, match=re.escape(REFUSAL)):
        price_book(
            drawn=[1e6, 1e6], undrawn=0.0, ccf=0.5,
            default_probability=[0.01, 1.0], lgd=0.45, **BASE,
        )  # fmt: skip
    with pytest.raises(InvalidValueError, match=r"default_probability\[0\] = 1"):
        price_facility(default_probability=1.0, lgd=0.45, **BASE)


def test_defaulted_row_is_priced_on_el_best_hand_computed():
    # CRE31.3: K = max(0, 0.45 - 0.35) = 0.10; RW = 12.5 x K = 1.25 (Basel III,
    # scaling 1.0); capital = 1.25 x 0.10 = 0.125; charge = 0.125 x 0.09 = 0.01125.
    # CRE35.3: EL = EL_best = 0.35 (not PD x LGD = 0.45).
    # minimum = 0.03 + 0.35 + 0.004 + 0.01125 = 0.39525.
    p = price_facility(default_probability=1.0, lgd=0.45, el_best=0.35, **BASE)
    assert p.risk_weight == pytest.approx(1.25)
    assert p.expected_loss == pytest.approx(0.35)
    assert p.capital_charge == pytest.approx(0.01125)
    assert p.minimum_rate == pytest.approx(0.39525)
    # Basel II scales K by 1.06: RW = 12.5 x 0.10 x 1.06 = 1.325.
    b2 = price_facility(
        default_probability=1.0, lgd=0.45, el_best=0.35, **{**BASE, "regime": BASEL_II}
    )
    assert b2.risk_weight == pytest.approx(1.325)


def test_foundation_reading_charges_the_lgd_and_no_capital():
    # EL_best = LGD (CRE35.3, foundation): EL = 0.45, K = 0;
    # minimum = 0.03 + 0.45 + 0.004 = 0.484.
    p = price_facility(default_probability=1.0, lgd=0.45, el_best=0.45, **BASE)
    assert p.capital == 0.0
    assert p.expected_loss == pytest.approx(0.45)
    assert p.minimum_rate == pytest.approx(0.484)


def test_el_best_is_read_on_defaulted_rows_only():
    with_best = minimum_rate([0.01, 0.05], [0.45, 0.30], el_best=[0.2, 0.1], **BASE)
    plain = minimum_rate([0.01, 0.05], [0.45, 0.30], **BASE)
    np.testing.assert_array_equal(with_best, plain)


def test_book_capital_equals_the_capital_module_on_defaulted_rows():
    ead = np.array([1e6, 2e6, 3e6])
    pd_, lgd, best = [0.02, 1.0, 1.0], [0.45, 0.45, 0.60], [0.0, 0.30, 0.60]
    b = price_book(
        drawn=ead, undrawn=0.0, ccf=0.0, default_probability=pd_, lgd=lgd,
        el_best=best, **BASE,
    )  # fmt: skip
    rwa = risk_weighted_assets(
        ead, pd_, lgd, maturity=5.0, el_best=best, regime=BASEL_III
    )
    np.testing.assert_allclose(b.risk_weighted_assets, rwa, rtol=1e-14)
    # EL amounts: 0.02 x 0.45 x 1e6 = 9,000; EL_best x EAD = 600,000 and 1,800,000.
    np.testing.assert_allclose(b.expected_loss, [9_000.0, 600_000.0, 1_800_000.0])


def test_only_rows_on_the_irb_weight_need_el_best():
    # Row 0 is defaulted but its weight is given (e.g. slotting "default", 0 %):
    # no refusal. Row 1 (NaN) is on the IRB weight and defaulted: refused.
    r = minimum_rate([1.0, 0.01], 0.45, risk_weight_override=[0.0, math.nan], **BASE)
    assert r[0] == pytest.approx(0.03 + 0.45 + 0.004)
    with pytest.raises(InvalidValueError, match=re.escape(REFUSAL)):
        minimum_rate([0.01, 1.0], 0.45, risk_weight_override=[0.0, math.nan], **BASE)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "limit": [10e6, 4e6],
            "drawn": [6e6, 4e6],
            "start_on": pd.to_datetime(["2025-01-01", "2024-06-30"]),
            "maturity_on": pd.to_datetime(["2030-01-01", "2029-06-30"]),
            "arrangement_fee": [100e3, 0.0],
            "default_probability": [0.01, 1.0],
            "loss_given_default": [0.45, 0.40],
            "credit_conversion_factor": [0.5, 1.0],
        },
        index=["F-1", "F-2"],
    )


KW: dict[str, Any] = {
    "as_of": dt.date(2026, 1, 1),
    "regime": BASEL_III,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
}


def test_frame_names_the_defaulted_row_and_prices_it_with_el_best():
    with pytest.raises(
        InvalidRowsError,
        match=re.escape(
            "`facilities['F-2'].default_probability` must be below 1 unless el_best "
            "is given"
        ),
    ):
        price_facilities_frame(_frame(), **KW)
    out = price_facilities_frame(_frame(), el_best=[0.0, 0.25], **KW)
    # F-2: EAD 4e6; EL = 0.25 x 4e6 = 1e6; K = 0.40 - 0.25 = 0.15, RW = 1.875,
    # RWA = 7.5e6; minimum = 0.03 + 0.25 + 0.004 + 0.1875 x 0.09 = 0.300875.
    row = out.loc["F-2"]
    assert row["expected_loss"] == pytest.approx(1e6)
    assert row["risk_weight"] == pytest.approx(1.875)
    assert row["risk_weighted_assets"] == pytest.approx(7.5e6)
    assert row["minimum_rate"] == pytest.approx(0.300875)
    # F-1 is performing: EL_best is not read.
    plain = price_facilities_frame(_frame().iloc[:1], **KW)
    pd.testing.assert_frame_equal(out.iloc[:1], plain)


def test_frame_el_best_length_is_checked():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`el_best` must be one value or one per row of the frame (2); got "
            "'length 3'."
        ),
    ):
        price_facilities_frame(_frame(), el_best=[0.1, 0.1, 0.1], **KW)
