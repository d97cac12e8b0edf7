"""Conversion propensity with the scoring tools, and the indicative offer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial import (
    OfferTerms,
    fit_conversion,
    indicative_offer,
    indicative_offers,
)
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.pricing import price_facility
from lendcrm.risk.scoring import BinningConfig, auc, fit_binning_set, fit_logistic, ks


def _prospects(n: int = 800, seed: int = 3):
    rng = np.random.default_rng(seed)
    size = rng.lognormal(3.0, 1.0, n)
    sector = rng.choice(["C", "D", "G"], n)
    logit = -2.0 + size / 25 + (sector == "D") * 1.0
    converted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return {"size": size, "sector": sector}, converted


def test_the_model_is_the_scoring_pipeline_on_the_fitting_part():
    features, y = _prospects()
    hold = np.arange(y.size) % 3 == 0
    model = fit_conversion(features, y, categorical=["sector"], validation=hold)
    fit = {k: v[~hold] for k, v in features.items()}
    bins = fit_binning_set(
        fit,
        y[~hold],
        categorical=["sector"],
        config=BinningConfig(max_bins=5, min_bin_share=0.05),
    )
    logistic = fit_logistic(bins.transform(fit), y[~hold], names=bins.names)
    assert model.logistic.coefficients == pytest.approx(logistic.coefficients)
    p = model.predict({k: v[hold] for k, v in features.items()})
    assert model.validation_auc == auc(y[hold], p)
    assert model.validation_ks == ks(y[hold], p)
    assert (model.n_fit, model.n_validation) == (int((~hold).sum()), int(hold.sum()))
    assert model.validation_auc > 0.7


def test_the_drawn_holdout_is_stratified_and_seeded():
    features, y = _prospects()
    a = fit_conversion(features, y, categorical=["sector"], seed=5)
    b = fit_conversion(features, y, categorical=["sector"], seed=5)
    assert a.validation_auc == b.validation_auc
    assert a.n_validation == round(0.3 * (y == 1).sum()) + round(0.3 * (y == 0).sum())


def test_a_feature_with_no_variance_is_refused():
    features, y = _prospects()
    features["country"] = np.full(y.size, 7.0)
    with pytest.raises(InvalidValueError) as e:
        fit_conversion(features, y, categorical=["sector"])
    assert str(e.value) == (
        "`features['country']` must be a feature that varies across the past prospects "
        "(at least two distinct values); got 'every value np.float64(7.0)'. A constant "
        "feature carries no information: drop it."
    )


def test_mismatched_lengths_and_bad_targets_are_refused():
    features, y = _prospects()
    with pytest.raises(InvalidValueError) as e:
        fit_conversion({"size": features["size"][:10]}, y)
    assert str(e.value) == (
        "`features['size']` must be the same length as `converted` (800); got 'length 10'."
    )
    with pytest.raises(InvalidValueError, match="`features` must be at least one"):
        fit_conversion({}, y)
    with pytest.raises(
        InvalidValueError, match="`validation_share` must be a fraction"
    ):
        fit_conversion(features, y, categorical=["sector"], validation_share=1.0)
    with pytest.raises(
        InvalidValueError, match=r"`converted` must be enough of each class"
    ):
        fit_conversion({"size": [1.0, 2.0, 3.0]}, [0, 1, 1])
    hold = y == 1
    with pytest.raises(
        InvalidValueError, match=r"`converted\[validation\]` must be both"
    ):
        fit_conversion(features, y, categorical=["sector"], validation=hold)


TERMS = OfferTerms(
    funding_rate=0.03,
    operating_cost_rate=0.004,
    hurdle_rate=0.12,
    risk_free_rate=0.03,
    capital_ratio=0.10,
    regime=BASEL_III,
)


def test_the_floor_is_the_pricing_minimum_rate():
    o = indicative_offer(0.01, 0.45, maturity=5.0, terms=TERMS)
    p = price_facility(
        default_probability=0.01,
        lgd=0.45,
        maturity=5.0,
        funding_rate=0.03,
        operating_cost_rate=0.004,
        hurdle_rate=0.12,
        risk_free_rate=0.03,
        capital_ratio=0.10,
        regime=BASEL_III,
    )
    assert o.minimum_rate == p.minimum_rate
    assert o.offer_rate == p.minimum_rate
    assert np.isnan(o.lookalike_rate)


@given(
    st.lists(st.floats(0.0003, 0.2), min_size=1, max_size=5),
    st.floats(0.1, 0.6),
    st.floats(0.5, 10.0),
    st.data(),
)
def test_batch_offers_equal_one_prospect_and_never_undercut_the_floor(
    pds, lgd, mat, data
):
    rates = data.draw(
        st.lists(
            st.lists(st.floats(0.0, 0.15), min_size=3, max_size=3),
            min_size=len(pds),
            max_size=len(pds),
        )
    )
    floor, offer = indicative_offers(
        pds, lgd, maturity=mat, terms=TERMS, lookalike_rates=rates
    )
    assert (offer >= floor).all()
    for i, pd_ in enumerate(pds):
        one = indicative_offer(
            pd_, lgd, maturity=mat, terms=TERMS, lookalike_rates=rates[i]
        )
        assert one.minimum_rate == pytest.approx(floor[i], rel=1e-12)
        assert one.offer_rate == pytest.approx(offer[i], rel=1e-12)
        assert one.lookalike_rate == pytest.approx(float(np.median(rates[i])))


def test_bad_offer_inputs_are_refused():
    with pytest.raises(InvalidValueError, match="`terms` must be an OfferTerms"):
        indicative_offers([0.01], 0.45, maturity=5.0, terms=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError) as e:
        indicative_offers(
            [0.01, 0.02],
            0.45,
            maturity=5.0,
            terms=TERMS,
            lookalike_rates=[[0.05, 0.06]],
        )
    assert str(e.value) == (
        "`lookalike_rates` must be one row of look-alike rates per prospect (2 rows); "
        "got 'shape (1, 2)'."
    )
    with pytest.raises(InvalidValueError, match=r"`default_probability\[0\]` must be"):
        indicative_offers([1.5], 0.45, maturity=5.0, terms=TERMS)
