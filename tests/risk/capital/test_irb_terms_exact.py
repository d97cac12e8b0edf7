"""Exact tests of the IRB terms (`lendcrm.risk.capital._irb_terms`), issue #23.

Each test pins a rule the mutation run of `_irb_terms` found unread: the ends of the
retail correlation formula, a financial row's own-LGD restriction beside a corporate
row with sales, the whole refusal words, and the pricing path's risk weight.
"""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_II, BASEL_III, AdvancedLGDPolicy, AssetClass
from lendcrm.risk.capital._irb_terms import (
    IRBInputs,
    advanced_lgd_restricted,
    capital_k,
    floored_lgd,
    floored_pd,
    irb_risk_weight,
    supervisory_correlation,
    validate_irb_inputs,
)

REFUSE = attrs.evolve(
    BASEL_III,
    name="Basel III (refuse)",
    advanced_lgd_policy=AdvancedLGDPolicy.REFUSE,
)


def _inputs(pd_, lgd, asset_class, *, sales=None, el_best=None, regime=BASEL_III):
    return validate_irb_inputs(
        pd_,
        lgd,
        asset_class=asset_class,
        maturity=2.5,
        sales=sales,
        el_best=el_best,
        regime=regime,
    )


def test_other_retail_correlation_at_pd_one_is_the_formulas_low_end():
    # §330: R = 0.03 w + 0.16 (1 - w), w = (1 - e^{-35 PD}) / (1 - e^{-35}); at PD = 1
    # w is exactly 1 (numerator and denominator are the same number), so R = 0.16 -
    # 0.13 with no rounding of w; at PD = 0, w = 0 and R = 0.16.
    inp = _inputs([1.0, 0.0], 0.45, "other_retail")
    r = supervisory_correlation(np.array([1.0, 0.0]), inp, BASEL_III)
    assert r[0] == 0.16 - 0.13
    assert r[1] == 0.16


def test_a_bank_row_stays_restricted_beside_a_corporate_row_with_sales():
    # CRE30.34(2) flags the bank row; the corporate row's sales (10 <= 500) flag
    # nothing, and must not clear the bank's flag.
    inp = _inputs([0.01, 0.01], [0.30, 0.30], ["bank", "corporate"], sales=[10.0, 10.0])
    assert advanced_lgd_restricted(inp, BASEL_III).tolist() == [True, False]
    # The bank's own 30 % becomes the financial foundation 45 % (CRE32.6); the
    # corporate keeps its 30 %, above the 25 % A-IRB floor (CRE32.16).
    assert floored_lgd(inp, BASEL_III, apply_lgd_floor=True).tolist() == [0.45, 0.30]


def test_refusal_of_a_financial_row_in_whole_words():
    inp = _inputs([0.01, 0.01], [0.30, 0.35], ["corporate", "bank"], sales=[10.0, 20.0])
    with pytest.raises(InvalidValueError) as info:
        floored_lgd(inp, REFUSE, apply_lgd_floor=True)
    err = info.value
    assert err.field == "lgd[1]"
    assert err.value == 0.35
    assert str(err) == (
        "`lgd[1]` must be a foundation LGD with apply_lgd_floor=False: own LGD "
        "estimates are not allowed for exposures to banks and other financial "
        "institutions (bank) under Basel III (refuse), CRE30.34(2); got 0.35. "
        "Pass supervisory_lgd(...) or foundation_lgd(...), or use a regime with "
        "advanced_lgd_policy=AdvancedLGDPolicy.FOUNDATION."
    )


def test_refusal_of_a_large_corporate_in_whole_words():
    inp = _inputs([0.01, 0.01], [0.30, 0.32], "corporate", sales=[10.0, 600.0])
    with pytest.raises(InvalidValueError) as info:
        floored_lgd(inp, REFUSE, apply_lgd_floor=True)
    assert info.value.field == "lgd[1]"
    assert str(info.value) == (
        "`lgd[1]` must be a foundation LGD with apply_lgd_floor=False: own LGD "
        "estimates are not allowed for corporates with consolidated revenue above "
        "EUR 500 m (sales[1] = 600) under Basel III (refuse), CRE30.34(1); got 0.32. "
        "Pass supervisory_lgd(...) or foundation_lgd(...), or use a regime with "
        "advanced_lgd_policy=AdvancedLGDPolicy.FOUNDATION."
    )


def test_pricing_path_reads_el_best_as_lgd_on_a_defaulted_row():
    # Without EL_best the fused path takes EL_best = LGD (CRE35.3): K = max(0, LGD -
    # LGD) = 0 on the defaulted row; with EL_best = 0.30, K = 0.45 - 0.30 = 0.15
    # (CRE31.3) and RW = 12.5 K = 1.875 under Basel III (scaling factor 1).
    inp = _inputs([1.0], [0.45], "corporate")
    assert capital_k(inp, BASEL_III, apply_lgd_floor=False).tolist() == [0.0]
    assert irb_risk_weight(inp, BASEL_III, apply_lgd_floor=False).tolist() == [0.0]
    inp = _inputs([1.0], [0.45], "corporate", el_best=[0.30])
    rw = irb_risk_weight(inp, BASEL_III, apply_lgd_floor=False)
    assert rw[0] == pytest.approx(12.5 * 0.15, rel=1e-12)


def test_pricing_path_risk_weight_is_12_5_times_scaling_times_k():
    # Corporate, PD 1 %, LGD 45 %, M 2.5: 12.5 K = 92.32 % (Basel II Annex 5, without
    # the scaling factor); under Basel II the risk weight is 1.06 times that, 97.86 %.
    inp = _inputs([0.01], [0.45], "corporate", regime=BASEL_II)
    k = capital_k(inp, BASEL_II, apply_lgd_floor=False)
    rw = irb_risk_weight(inp, BASEL_II, apply_lgd_floor=False)
    assert rw[0] == pytest.approx(1.06 * 0.9232, abs=1e-4)
    assert rw[0] == pytest.approx(12.5 * 1.06 * k[0], rel=1e-14)


@pytest.mark.parametrize(
    ("el_best", "field", "shown"),
    [(-0.1, "el_best[0]", "-0.1"), ([0.1, 1.5], "el_best[1]", "1.5")],
)
def test_el_best_is_a_fraction_named_by_its_row(el_best, field, shown):
    # 1.5 is below a doubled upper bound: the bound must be 1 exactly.
    with pytest.raises(InvalidValueError) as info:
        _inputs([0.01, 0.02], 0.45, "corporate", el_best=el_best)
    assert info.value.field == field
    assert (
        str(info.value) == f"`{field}` must be a finite number in [0, 1]; got {shown}."
    )


def test_el_best_bounds_themselves_are_accepted():
    inp = _inputs([0.01, 1.0], 0.45, "corporate", el_best=[0.0, 1.0])
    assert inp.el_best is not None
    assert inp.el_best.tolist() == [0.0, 1.0]


def test_an_asset_class_column_of_another_length_is_named():
    with pytest.raises(InvalidValueError) as info:
        _inputs([0.01, 0.02], 0.45, ["corporate", "bank", "bank"])
    assert info.value.field == "default_probability"
    assert str(info.value) == (
        "`default_probability` must be length 1 or the same length as `asset_class` "
        "(3); got 'length 2'."
    )


def test_pd_floor_is_taken_per_class_on_a_mixed_book():
    # Basel III: sovereigns have no PD floor, corporates 0.05 % (CRE32.4), QRRE
    # revolvers 0.10 % (CRE32.58), other retail 0.05 %.
    classes = ["sovereign", "corporate", "qualifying_revolving", "other_retail"]
    inp = _inputs([0.0, 0.0, 0.0, 0.02], 0.45, classes)
    assert floored_pd(inp, BASEL_III).tolist() == [0.0, 0.0005, 0.001, 0.02]
    inp = _inputs([0.0, 0.0], 0.45, ["corporate", "sovereign"])
    assert floored_pd(inp, BASEL_III).tolist() == [0.0005, 0.0]


def test_terms_place_each_class_on_its_own_rows_with_two_classes():
    # `validate_irb_inputs` lists one class (a label) or all nine (an array); the
    # terms must not rely on that: two classes, rows given in the other order.
    inp = IRBInputs(
        default_probability=np.array([0.0, 0.0]),
        lgd=np.array([0.45, 0.45]),
        maturity=np.array([2.5, 2.5]),
        sales=None,
        el_best=None,
        classes=(AssetClass.SOVEREIGN, AssetClass.CORPORATE),
        codes=np.array([1, 0]),
    )
    # Basel III: corporate PD floor 0.05 % (CRE32.4), none for sovereigns.
    assert floored_pd(inp, BASEL_III).tolist() == [0.0005, 0.0]


def test_pricing_path_floors_an_own_lgd_when_asked():
    # An own LGD of 10 % on a corporate takes the 25 % A-IRB floor (CRE32.16): RW with
    # the floor is 2.5 times RW without it (K is linear in LGD).
    inp = _inputs([0.01], [0.10], "corporate")
    own = irb_risk_weight(inp, BASEL_III, apply_lgd_floor=False)
    floored = irb_risk_weight(inp, BASEL_III, apply_lgd_floor=True)
    assert floored[0] == pytest.approx(2.5 * own[0], rel=1e-12)
    assert floored[0] == pytest.approx(0.9232 * 0.25 / 0.45, abs=1e-4)
