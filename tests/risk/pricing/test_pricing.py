"""Risk-based pricing, RAROC, EVA and relationship RAROC."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_II, BASEL_III, risk_weight
from lendcrm.risk.pricing import (
    eva,
    minimum_rate,
    price_facility,
    raroc,
    rate_to_decimal,
    relationship_raroc,
    relationship_raroc_by_code,
)

BASE_NO_MATURITY: dict[str, Any] = {
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
    "regime": BASEL_III,
}
BASE: dict[str, Any] = {
    "maturity": 5.0,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
    "regime": BASEL_III,
}


def test_build_up_hand_computed():
    # RW fixed at 100 %, capital ratio 10 % -> capital 0.10 per unit of exposure.
    # EL = 0.02 x 0.40 = 0.008; capital charge = 0.10 x (0.15 - 0.025) = 0.0125;
    # fees = 0.01 / 4 + 0.001 = 0.0035;
    # minimum = 0.035 + 0.008 + 0.005 + 0.0125 - 0.0035 = 0.0570.
    p = price_facility(
        default_probability=0.02,
        lgd=0.40,
        maturity=4.0,
        funding_rate=0.035,
        operating_cost_rate=0.005,
        hurdle_rate=0.15,
        risk_free_rate=0.025,
        capital_ratio=0.10,
        regime=BASEL_III,
        upfront_fee=0.01,
        annual_fee=0.001,
        risk_weight_override=1.0,
    )
    assert p.expected_loss == pytest.approx(0.008)
    assert p.capital == pytest.approx(0.10)
    assert p.capital_charge == pytest.approx(0.0125)
    assert p.fee_income == pytest.approx(0.0035)
    assert p.minimum_rate == pytest.approx(0.0570)
    assert p.minimum_rate_decimal() == Decimal("0.057000")


def test_irb_build_up_hand_computed():
    # PD 1 %, LGD 45 %, M 5, Basel III: RW(M=2.5) = 92.32 % (Annex 5) times
    # MA(5) / MA(2.5) = (1 + 2.5 b) / (1 + 0 b) with b = 0.137486 -> 1.343715;
    # RW = 0.923168 x 1.343715 = 1.240474; capital = 0.1240474;
    # charge = 0.1240474 x 0.09 = 0.0111643; minimum = 0.03 + 0.0045 + 0.004
    # + 0.0111643 = 0.0496643.
    p = price_facility(default_probability=0.01, lgd=0.45, **BASE)
    assert p.risk_weight == pytest.approx(1.240474, rel=1e-5)
    assert p.minimum_rate == pytest.approx(0.0496643, rel=1e-5)


def test_minimum_rate_meets_hurdle_exactly():
    p = price_facility(
        default_probability=0.03, lgd=0.35, upfront_fee=0.005, annual_fee=0.001, **BASE
    )
    assert p.raroc_at(p.minimum_rate) == pytest.approx(0.12, abs=1e-12)
    assert p.raroc_at(p.minimum_rate + 0.001) > 0.12


def test_batch_matches_one_facility():
    pd_ = [0.002, 0.01, 0.05]
    lgd = [0.3, 0.45, 0.6]
    batch = minimum_rate(pd_, lgd, sales=[10.0, 60.0, 5.0], **BASE)
    single = [
        price_facility(default_probability=p, lgd=g, sales=s, **BASE).minimum_rate
        for p, g, s in zip(pd_, lgd, [10.0, 60.0, 5.0], strict=True)
    ]
    np.testing.assert_allclose(batch, single, rtol=1e-14)


def test_capital_uses_regime():
    b2 = price_facility(
        default_probability=0.01, lgd=0.45, **{**BASE, "regime": BASEL_II}
    )
    b3 = price_facility(default_probability=0.01, lgd=0.45, **BASE)
    np.testing.assert_allclose(b2.risk_weight / b3.risk_weight, 1.06, rtol=1e-12)
    assert b2.minimum_rate > b3.minimum_rate


def test_slotting_override():
    p = price_facility(
        default_probability=0.01, lgd=0.45, risk_weight_override=1.15, **BASE
    )
    assert p.capital == pytest.approx(0.115)


@given(
    pd_a=st.floats(0.0, 1.0),
    pd_b=st.floats(0.0, 1.0),
    lgd_a=st.floats(0.0, 1.0),
    lgd_b=st.floats(0.0, 1.0),
)
def test_minimum_rate_non_decreasing_in_pd_and_lgd(pd_a, pd_b, lgd_a, lgd_b):
    p_lo, p_hi = sorted((pd_a, pd_b))
    g_lo, g_hi = sorted((lgd_a, lgd_b))
    r = minimum_rate([p_lo, p_hi, p_lo], [g_lo, g_lo, g_hi], **BASE)
    assert r[0] <= r[1] + 1e-12
    assert r[0] <= r[2] + 1e-12


def test_raroc_and_eva_hand_values():
    # (60 - 30 - 4.5 - 4 + 0.03 x 130) / 130 = 25.4 / 130 = 0.195385
    np.testing.assert_allclose(
        raroc(
            revenue=60.0,
            funding_cost=30.0,
            expected_loss=4.5,
            operating_cost=4.0,
            capital=130.0,
            risk_free_rate=0.03,
        ),
        [25.4 / 130],
    )
    # EVA = 60 - 30 - 4.5 - 4 - 0.09 x 130 = 9.8 = 130 x (0.195385 - 0.12)
    np.testing.assert_allclose(
        eva(
            revenue=60.0,
            funding_cost=30.0,
            expected_loss=4.5,
            operating_cost=4.0,
            capital=130.0,
            risk_free_rate=0.03,
            hurdle_rate=0.12,
        ),
        [9.8],
    )


def test_relationship_raroc_hand_values():
    # A: (6-3-0.45-0.4+0.39) + (3-1.5-0.2-0.2+0.18) + fee 0.5 = 4.32 on capital 19.
    # B: (5-2.5-0.5-0.3+0.3) + deposit 100 x 1 % = 3.0 on capital 10.
    # C: deposit only: income 0.5, no capital -> RAROC undefined (NaN), EVA 0.5.
    r = relationship_raroc(
        facility_client=["A", "B", "A"],
        revenue=[6.0, 5.0, 3.0],
        funding_cost=[3.0, 2.5, 1.5],
        expected_loss=[0.45, 0.5, 0.2],
        operating_cost=[0.4, 0.3, 0.2],
        capital=[13.0, 10.0, 6.0],
        risk_free_rate=0.03,
        hurdle_rate=0.12,
        fee_client=["A"],
        fee_income=[0.5],
        deposit_client=["B", "C"],
        deposit_balance=[100.0, 50.0],
        deposit_margin=[0.01, 0.01],
    )
    assert r.client_ids.tolist() == ["A", "B", "C"]
    np.testing.assert_allclose(r.income, [4.32, 3.0, 0.5])
    np.testing.assert_allclose(r.raroc[:2], [4.32 / 19, 0.3])
    assert np.isnan(r.raroc[2])
    np.testing.assert_allclose(r.eva, [4.32 - 0.12 * 19, 3.0 - 1.2, 0.5])


def test_relationship_matches_facility_raroc_for_single_facility_clients():
    kw: dict[str, Any] = {  # Any: the keys are only the amount arguments
        "revenue": [6.0, 5.0],
        "funding_cost": [3.0, 2.5],
        "expected_loss": [0.45, 0.5],
        "operating_cost": [0.4, 0.3],
        "capital": [13.0, 10.0],
    }
    r = relationship_raroc(
        facility_client=["x", "y"], risk_free_rate=0.03, hurdle_rate=0.12, **kw
    )
    np.testing.assert_allclose(r.raroc, raroc(risk_free_rate=0.03, **kw))


@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.floats(0.0, 10.0),
            st.floats(0.0, 5.0),
            st.floats(0.0, 1.0),
            st.one_of(st.just(0.0), st.floats(0.01, 20.0)),
        ),
        min_size=0,
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(0, 4), st.floats(0.0, 2.0)), max_size=4),
    st.lists(
        st.tuples(st.integers(0, 4), st.floats(0.0, 100.0), st.floats(-0.01, 0.02)),
        max_size=4,
    ),
)
def test_relationship_raroc_by_code_is_relationship_raroc(facilities, fees, deposits):
    """The batch form gives, client by client, the numbers of the id form."""
    names = np.array(["a", "b", "c", "d", "e"])
    fac = np.array(facilities, dtype=np.float64).reshape(-1, 5)
    fee = np.array(fees, dtype=np.float64).reshape(-1, 2)
    dep = np.array(deposits, dtype=np.float64).reshape(-1, 3)
    amounts: dict[str, Any] = {
        "revenue": fac[:, 1],
        "funding_cost": fac[:, 2],
        "expected_loss": fac[:, 3],
        "operating_cost": fac[:, 3],
        "capital": fac[:, 4],
        "risk_free_rate": 0.03,
        "hurdle_rate": 0.12,
        "fee_income": fee[:, 1],
        "deposit_balance": dep[:, 1],
        "deposit_margin": dep[:, 2],
    }
    codes = (fac[:, 0].astype(int), fee[:, 0].astype(int), dep[:, 0].astype(int))
    by_code = relationship_raroc_by_code(
        codes[0], n_clients=5, fee_codes=codes[1], deposit_codes=codes[2], **amounts
    )
    assert by_code.client_ids.tolist() == [0, 1, 2, 3, 4]
    if not any(len(c) for c in codes):
        return
    by_id = relationship_raroc(
        facility_client=names[codes[0]],
        fee_client=names[codes[1]],
        deposit_client=names[codes[2]],
        **amounts,
    )
    rows = np.searchsorted(names, by_id.client_ids)
    for field in ("income", "capital", "raroc", "eva"):
        np.testing.assert_array_equal(
            getattr(by_code, field)[rows], getattr(by_id, field)
        )
    others = np.setdiff1d(np.arange(5), rows)
    assert (by_code.capital[others] == 0).all()
    assert np.isnan(by_code.raroc[others]).all()


def test_relationship_raroc_by_code_refuses_bad_codes():
    kw: dict[str, Any] = {
        "revenue": [1.0, 1.0],
        "funding_cost": 0.0,
        "expected_loss": 0.0,
        "operating_cost": 0.0,
        "capital": 1.0,
        "risk_free_rate": 0.0,
        "hurdle_rate": 0.1,
    }
    with pytest.raises(
        InvalidValueError,
        match=r"`facility_codes\[1\]` must be a client code in \[0, 2\); got 2\.",
    ):
        relationship_raroc_by_code([0, 2], n_clients=2, **kw)
    with pytest.raises(InvalidValueError, match=r"`facility_codes` must be integer"):
        relationship_raroc_by_code([0.0, 1.0], n_clients=2, **kw)
    with pytest.raises(InvalidValueError, match=r"`n_clients` must be an integer >= 0"):
        relationship_raroc_by_code([0, 1], n_clients=-1, **kw)
    with pytest.raises(
        InvalidValueError,
        match=r"`revenue` must be the same length as `facility_codes` \(1\)",
    ):
        relationship_raroc_by_code([0], n_clients=2, **kw)


def test_rate_to_decimal_rounds_explicitly():
    assert rate_to_decimal(0.0500001) == Decimal("0.050001")
    assert rate_to_decimal(0.0500001, rounding=ROUND_HALF_EVEN) == Decimal("0.050000")
    assert rate_to_decimal(0.05, places=2) == Decimal("0.05")


# --- bad input ------------------------------------------------------------------------


def test_hurdle_below_risk_free():
    with pytest.raises(
        InvalidValueError,
        match=r"`hurdle_rate` must be at least the risk-free rate \(0\.03\); got 0\.02\. A hurdle below",
    ):
        price_facility(
            default_probability=0.01, lgd=0.45, **{**BASE, "hurdle_rate": 0.02}
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`hurdle_rate\[1\]` must be at least the risk-free rate",
    ):
        minimum_rate(0.01, 0.45, **{**BASE, "hurdle_rate": [0.1, 0.01]})
    with pytest.raises(InvalidValueError, match=r"`hurdle_rate` must be at least"):
        eva(
            revenue=1.0,
            funding_cost=0.0,
            expected_loss=0.0,
            operating_cost=0.0,
            capital=1.0,
            risk_free_rate=0.05,
            hurdle_rate=0.04,
        )


def test_pd_lgd_out_of_range():
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[0\]` must be a finite number in \[0, 1\]; got 2\.0\.",
    ):
        minimum_rate(2.0, 0.45, **BASE)
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd\[0\]` must be a finite number in \[0, 1\]; got -1\.0\.",
    ):
        price_facility(default_probability=0.01, lgd=-1.0, **BASE)


def test_maturity_non_positive():
    with pytest.raises(
        InvalidValueError,
        match=r"`maturity\[0\]` must be a finite number > 0; got -1\.0\.",
    ):
        price_facility(default_probability=0.01, lgd=0.45, **{**BASE, "maturity": -1.0})


def test_capital_must_be_positive_for_raroc():
    with pytest.raises(
        InvalidValueError,
        match=r"`capital\[0\]` must be a finite number > 0; got 0\.0\.",
    ):
        raroc(
            revenue=1.0,
            funding_cost=0.0,
            expected_loss=0.0,
            operating_cost=0.0,
            capital=0.0,
            risk_free_rate=0.0,
        )


def test_different_lengths():
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd` must be length 1 or the same length as `default_probability` \(3\); got 'length 2'\.",
    ):
        minimum_rate([0.01, 0.02, 0.03], [0.4, 0.5], **BASE)
    with pytest.raises(
        InvalidValueError,
        match=r"`revenue` must be the same length as `facility_client` \(1\); got 'length 2'\.",
    ):
        relationship_raroc(
            facility_client=["a"],
            revenue=[1.0, 2.0],
            funding_cost=0.0,
            expected_loss=0.0,
            operating_cost=0.0,
            capital=1.0,
            risk_free_rate=0.0,
            hurdle_rate=0.1,
        )


def test_non_finite():
    with pytest.raises(
        InvalidValueError,
        match=r"`funding_rate\[0\]` must be a finite number in \[-1, 1\]; got nan\.",
    ):
        price_facility(
            default_probability=0.01, lgd=0.45, **{**BASE, "funding_rate": float("nan")}
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`rate` must be a finite number; got inf\.|`rate\[0\]` must be a finite number; got inf\.",
    ):
        rate_to_decimal(float("inf"))


def test_risk_weight_used_is_the_capital_module_one():
    p = price_facility(default_probability=0.02, lgd=0.45, sales=20.0, **BASE)
    np.testing.assert_allclose(
        p.risk_weight,
        risk_weight(0.02, 0.45, maturity=5.0, sales=20.0, regime=BASEL_III)[0],
    )


def test_price_book_equals_separate_calls():
    from lendcrm.risk.capital import (
        expected_loss,
        exposure_at_default,
        risk_weighted_assets,
    )
    from lendcrm.risk.pricing import price_book

    rng = np.random.default_rng(3)
    n = 200
    book: dict[str, Any] = {
        "drawn": rng.uniform(0, 1e6, n),
        "undrawn": rng.uniform(0, 1e6, n),
        "ccf": rng.uniform(0, 1, n),
        "default_probability": rng.uniform(0, 0.3, n),
        "lgd": rng.uniform(0, 1, n),
        "maturity": rng.uniform(0.2, 8, n),
        "sales": rng.uniform(0, 100, n),
    }
    classes = rng.choice(
        ["corporate", "bank", "other_retail", "qualifying_revolving"], n
    )
    b = price_book(
        asset_class=classes,
        upfront_fee=0.01,
        annual_fee=0.001,
        **book,
        **BASE_NO_MATURITY,
    )
    ead = exposure_at_default(book["drawn"], book["undrawn"], book["ccf"])
    np.testing.assert_allclose(b.ead, ead, rtol=1e-15)
    np.testing.assert_allclose(
        b.expected_loss,
        expected_loss(book["default_probability"], book["lgd"], ead),
        rtol=1e-15,
    )
    rwa = risk_weighted_assets(
        ead,
        book["default_probability"],
        book["lgd"],
        maturity=book["maturity"],
        sales=book["sales"],
        asset_class=classes,
        regime=BASEL_III,
    )
    np.testing.assert_allclose(b.risk_weighted_assets, rwa, rtol=1e-14)
    np.testing.assert_allclose(b.capital, 0.10 * rwa, rtol=1e-14)
    rate = minimum_rate(
        book["default_probability"],
        book["lgd"],
        maturity=book["maturity"],
        sales=book["sales"],
        asset_class=classes,
        upfront_fee=0.01,
        annual_fee=0.001,
        **BASE_NO_MATURITY,
    )
    np.testing.assert_allclose(b.minimum_rate, rate, rtol=1e-14)


def test_price_book_bad_input():
    from lendcrm.risk.pricing import price_book

    with pytest.raises(
        InvalidValueError,
        match=r"`undrawn\[0\]` must be a finite number >= 0; got -1\.0\.",
    ):
        price_book(
            drawn=1.0,
            undrawn=-1.0,
            ccf=0.5,
            default_probability=0.01,
            lgd=0.45,
            maturity=1.0,
            **BASE_NO_MATURITY,
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability` must be length 1 or the same length as `drawn` \(3\); got 'length 2'\.",
    ):
        price_book(
            drawn=[1.0, 2.0, 3.0],
            undrawn=0.0,
            ccf=0.5,
            default_probability=[0.01, 0.02],
            lgd=0.45,
            maturity=1.0,
            **BASE_NO_MATURITY,
        )


def test_scalar_risk_inputs_with_array_rates_broadcast():
    r = minimum_rate(0.01, 0.45, **{**BASE, "funding_rate": [0.02, 0.03, 0.04]})
    single = price_facility(default_probability=0.01, lgd=0.45, **BASE).minimum_rate
    np.testing.assert_allclose(r, [single - 0.01, single, single + 0.01], rtol=1e-12)
