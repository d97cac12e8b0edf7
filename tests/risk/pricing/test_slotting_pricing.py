"""Slotted facilities in pricing: the slotting weight and the slotting expected loss.

CRE33.2: slotting weights 70, 90, 115, 250, 0 % (strong to default). CRE33.8: the EL
amount of a slotted exposure is 8 % x EL risk weight x EAD; CRE33.9: EL weights 5, 10,
35, 100, 625 %. CRE35.3: "For exposures subject to the supervisory slotting criteria EL
is calculated as described in ... CRE33.8 to CRE33.12", i.e. not as PD x LGD. Pricing
takes both through `risk_weight_override` and `expected_loss_rate_override`; a NaN row
keeps the IRB weight and PD x LGD.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_III,
    slotting_expected_loss_rate,
    slotting_risk_weight,
)
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


def test_slotted_good_loan_is_priced_on_the_slotting_weight_and_expected_loss():
    # "good", 5 years, no relief: RW 90 % (CRE33.2); EL = 8 % x 10 % = 0.008
    # (CRE33.8-33.9) instead of PD x LGD = 0.02 x 0.45 = 0.009.
    # capital = 0.90 x 0.10 = 0.09; charge = 0.09 x (0.12 - 0.03) = 0.0081;
    # minimum = 0.03 + 0.008 + 0.004 + 0.0081 = 0.0501.
    rw = float(slotting_risk_weight("good", 5.0)[0])
    el = float(slotting_expected_loss_rate("good", 5.0)[0])
    p = price_facility(
        default_probability=0.02,
        lgd=0.45,
        risk_weight_override=rw,
        expected_loss_rate_override=el,
        **BASE,
    )
    assert p.risk_weight == pytest.approx(0.90)
    assert p.expected_loss == pytest.approx(0.008)
    assert p.capital_charge == pytest.approx(0.0081)
    assert p.minimum_rate == pytest.approx(0.0501)
    assert p.raroc_at(p.minimum_rate) == pytest.approx(0.12)


def test_defaulted_slotted_loan_carries_half_its_ead_as_expected_loss():
    # "default": RW 0 % (CRE33.2), EL = 8 % x 625 % = 0.50 (CRE33.8-33.9);
    # minimum = 0.03 + 0.50 + 0.004 + 0 = 0.534. Without the EL override the same
    # loan would be charged PD x LGD = 1 x 0.45 and no capital.
    p = price_facility(
        default_probability=1.0,
        lgd=0.45,
        risk_weight_override=float(slotting_risk_weight("default", 5.0)[0]),
        expected_loss_rate_override=float(
            slotting_expected_loss_rate("default", 5.0)[0]
        ),
        **BASE,
    )
    assert p.capital == 0.0
    assert p.expected_loss == pytest.approx(0.50)
    assert p.minimum_rate == pytest.approx(0.534)


def test_nan_rows_keep_the_irb_weight_and_pd_times_lgd():
    pd_, lgd = [0.01, 0.02, 0.05], [0.45, 0.45, 0.30]
    plain = price_book(
        drawn=[1e6, 2e6, 3e6], undrawn=0.0, ccf=0.5,
        default_probability=pd_, lgd=lgd, **BASE,
    )  # fmt: skip
    mixed = price_book(
        drawn=[1e6, 2e6, 3e6], undrawn=0.0, ccf=0.5,
        default_probability=pd_, lgd=lgd, **BASE,
        risk_weight_override=[math.nan, 1.15, math.nan],
        expected_loss_rate_override=[math.nan, 0.028, math.nan],
    )  # fmt: skip
    keep = [0, 2]
    for field in ("expected_loss", "risk_weight", "capital", "minimum_rate"):
        np.testing.assert_array_equal(
            getattr(mixed, field)[keep], getattr(plain, field)[keep]
        )
    # The slotted row, "satisfactory" (RW 115 %, EL 8 % x 35 % = 0.028): EL amount
    # 0.028 x 2e6 = 56,000; RWA 1.15 x 2e6 = 2.3e6; minimum rate
    # 0.03 + 0.028 + 0.004 + 0.115 x 0.09 = 0.07235.
    assert mixed.expected_loss[1] == pytest.approx(56_000.0)
    assert mixed.risk_weighted_assets[1] == pytest.approx(2.3e6)
    assert mixed.minimum_rate[1] == pytest.approx(0.07235)


def test_batch_with_overrides_matches_one_facility():
    pd_, lgd = [0.01, 0.02, 0.05], [0.45, 0.40, 0.30]
    rw = [math.nan, 0.7, 2.5]
    el = [0.004, math.nan, 0.08]
    batch = minimum_rate(
        pd_, lgd, risk_weight_override=rw, expected_loss_rate_override=el, **BASE
    )
    single = [
        price_facility(
            default_probability=p,
            lgd=g,
            risk_weight_override=None if math.isnan(w) else w,
            expected_loss_rate_override=None if math.isnan(e) else e,
            **BASE,
        ).minimum_rate
        for p, g, w, e in zip(pd_, lgd, rw, el, strict=True)
    ]
    np.testing.assert_allclose(batch, single, rtol=1e-14)


@given(
    pd_=st.floats(0.0, 0.99),
    lgd=st.floats(0.0, 1.0),
    el_a=st.floats(0.0, 1.0),
    el_b=st.floats(0.0, 1.0),
)
def test_the_expected_loss_override_enters_the_rate_one_for_one(pd_, lgd, el_a, el_b):
    r = minimum_rate(
        [pd_, pd_, pd_], lgd, expected_loss_rate_override=[el_a, el_b, math.nan], **BASE
    )
    assert r[1] - r[0] == pytest.approx(el_b - el_a, abs=1e-12)
    plain = minimum_rate(pd_, lgd, **BASE)
    assert r[2] == plain[0]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "limit": [10e6, 4e6],
            "drawn": [6e6, 4e6],
            "start_on": pd.to_datetime(["2025-01-01", "2024-06-30"]),
            "maturity_on": pd.to_datetime(["2030-01-01", "2029-06-30"]),
            "arrangement_fee": [100e3, 0.0],
            "default_probability": [0.01, 0.03],
            "loss_given_default": [0.45, 0.40],
            "credit_conversion_factor": [0.5, 1.0],
        },
        index=["F-1", "PF-2"],
    )


def test_frame_prices_a_slotted_row_and_keeps_the_rated_one():
    kw: dict[str, Any] = {
        "as_of": dt.date(2026, 1, 1),
        "regime": BASEL_III,
        "funding_rate": 0.03,
        "operating_cost_rate": 0.004,
        "hurdle_rate": 0.12,
        "risk_free_rate": 0.03,
        "capital_ratio": 0.10,
    }
    plain = price_facilities_frame(_frame(), **kw)
    out = price_facilities_frame(
        _frame(),
        risk_weight_override=[math.nan, 0.9],
        expected_loss_rate_override=[math.nan, 0.008],
        **kw,
    )
    pd.testing.assert_frame_equal(out.loc[["F-1"]], plain.loc[["F-1"]])
    # PF-2 slotted "good": EAD 4e6; EL 0.008 x 4e6 = 32,000; RWA 0.9 x 4e6 = 3.6e6;
    # minimum rate 0.03 + 0.008 + 0.004 + 0.09 x 0.09 = 0.0501 (no fee).
    row = out.loc["PF-2"]
    assert row["expected_loss"] == pytest.approx(32_000.0)
    assert row["risk_weight"] == 0.9
    assert row["risk_weighted_assets"] == pytest.approx(3.6e6)
    assert row["minimum_rate"] == pytest.approx(0.0501)


def test_override_errors_name_the_argument():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`expected_loss_rate_override[1]` must be"),
    ):
        minimum_rate([0.01, 0.02], 0.45, expected_loss_rate_override=[0.0, 1.5], **BASE)
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`risk_weight_override[0]` must be a finite number >= 0"),
    ):
        price_facility(
            default_probability=0.01, lgd=0.45, risk_weight_override=-0.1, **BASE
        )
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`expected_loss_rate_override` must be one value or one per row of the "
            "frame (2); got 'length 3'."
        ),
    ):
        price_facilities_frame(
            _frame(),
            as_of=dt.date(2026, 1, 1),
            regime=BASEL_III,
            funding_rate=0.03,
            operating_cost_rate=0.004,
            hurdle_rate=0.12,
            risk_free_rate=0.03,
            capital_ratio=0.10,
            expected_loss_rate_override=[0.0, 0.0, 0.0],
        )
