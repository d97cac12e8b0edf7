"""Supervisory slotting: HVCRE weights and expected-loss rates (CRE33.2-33.12).

CRE33.5: HVCRE weights 95, 120, 140, 250, 0 %; CRE33.7: 70 % / 95 % for strong / good
below 2.5 years at national discretion. CRE33.8: EL amount = 8 % x EL risk weight x
EAD. CRE33.9: EL weights 5, 10, 35, 100, 625 % (other SL); CRE33.10: 0 % / 5 % for
strong / good under the relief. CRE33.11: HVCRE EL weights 5, 5, 35, 100, 625 %;
CRE33.12: unchanged by the relief.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    SlottingCategory,
    slotting_expected_loss_rate,
    slotting_risk_weight,
)

CATS = ["strong", "good", "satisfactory", "weak", "default"]


def test_hvcre_weights_and_relief():
    np.testing.assert_allclose(
        slotting_risk_weight(CATS, 4.0, hvcre=True), [0.95, 1.20, 1.40, 2.50, 0.0]
    )
    np.testing.assert_allclose(
        slotting_risk_weight(CATS, 2.0, hvcre=True, short_maturity_relief=True),
        [0.70, 0.95, 1.40, 2.50, 0.0],
    )
    # One flag per row: an HVCRE row next to an other-SL row.
    np.testing.assert_allclose(
        slotting_risk_weight("good", 4.0, hvcre=[True, False]), [1.20, 0.90]
    )


def test_expected_loss_rates_by_category():
    # 8 % x (5, 10, 35, 100, 625 %) = 0.4, 0.8, 2.8, 8, 50 % of EAD.
    el = [0.08 * w for w in (0.05, 0.10, 0.35, 1.00, 6.25)]
    np.testing.assert_allclose(slotting_expected_loss_rate(CATS, 4.0), el)
    np.testing.assert_allclose(
        slotting_expected_loss_rate(CATS, 4.0), [0.004, 0.008, 0.028, 0.08, 0.5]
    )


def test_defaulted_slotted_loan_carries_half_its_ead_as_expected_loss():
    # A defaulted slotted exposure: no UL weight (CRE33.2), EL = 8 % x 625 % x EAD.
    ead = 10_000_000.0
    assert slotting_risk_weight("default", 3.0)[0] == 0.0
    assert slotting_expected_loss_rate("default", 3.0)[0] * ead == pytest.approx(5e6)


def test_expected_loss_under_relief_and_hvcre():
    # CRE33.10: relief -> strong 0 %, good 5 %; only below 2.5 years.
    np.testing.assert_allclose(
        slotting_expected_loss_rate(
            ["strong", "good", "strong"], [2.0, 2.0, 3.0], short_maturity_relief=True
        ),
        [0.0, 0.08 * 0.05, 0.08 * 0.05],
    )
    # CRE33.11-33.12: HVCRE strong and good 5 %, with or without relief.
    for relief in (False, True):
        np.testing.assert_allclose(
            slotting_expected_loss_rate(
                CATS, 1.0, hvcre=True, short_maturity_relief=relief
            ),
            [0.004, 0.004, 0.028, 0.08, 0.5],
        )


@given(
    m=st.floats(0.01, 30.0),
    hv=st.booleans(),
    relief=st.booleans(),
)
def test_weights_and_el_non_decreasing_from_strong_to_weak(m, hv, relief):
    kw = {"hvcre": hv, "short_maturity_relief": relief}
    cats = [c.value for c in SlottingCategory][:4]
    rw = slotting_risk_weight(cats, m, **kw)
    el = slotting_expected_loss_rate(cats, m, **kw)
    assert (np.diff(rw) >= 0).all()
    assert (np.diff(el) >= 0).all()
    relief_rw = slotting_risk_weight(cats, m, hvcre=hv, short_maturity_relief=True)
    assert (relief_rw <= slotting_risk_weight(cats, m, hvcre=hv)).all()


def test_bad_hvcre_flag_and_lengths():
    with pytest.raises(
        InvalidValueError,
        match=r"`hvcre\[0\]` must be a boolean \(0 or 1\); got 2\.0\.",
    ):
        slotting_expected_loss_rate("good", 3.0, hvcre=2)
    with pytest.raises(
        InvalidValueError,
        match=r"`hvcre` must be length 1 or the same length as `category` \(3\)",
    ):
        slotting_risk_weight(["good", "weak", "strong"], 3.0, hvcre=[True, False])
