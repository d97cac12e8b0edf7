"""Attrition risk: indicators, the scorecard-style logit, reasons, fitting, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial import (
    ATTRITION_FACTORS,
    DEFAULT_ATTRITION,
    AttritionModel,
    attrition_indicators,
    attrition_risk,
    attrition_scores,
    fit_attrition,
)

QUIET = {
    "utilisation_change": 0.05,
    "exposure_growth": 0.1,
    "product_count_change": 1,
    "satisfaction_change": 0.5,
    "satisfaction": 8.0,
    "prepaid_share": 0.0,
}


def test_a_client_without_warning_signs_is_at_the_base_rate():
    r = attrition_risk(QUIET)
    assert r.probability == pytest.approx(0.04)
    assert r.score == 0.0
    assert r.reasons == ()


def test_hand_computed_probability_points_and_reasons():
    # logit = ln(0.04/0.96) + 4.0 * 0.25 + 0.7 * 1 + 0.3 * (5 - 3) = -3.178 + 2.3
    signals = {
        **QUIET,
        "utilisation_change": -0.25,
        "product_count_change": -1,
        "satisfaction": 3.0,
    }
    r = attrition_risk(signals)
    logit = math.log(0.04 / 0.96) + 1.0 + 0.7 + 0.6
    assert r.probability == pytest.approx(1 / (1 + math.exp(-logit)))
    assert r.score == pytest.approx(20 / math.log(2) * 2.3)
    assert r.reasons == ("utilisation_fall", "product_loss", "low_satisfaction")


def test_missing_feedback_is_no_warning_sign():
    x = attrition_indicators(
        utilisation_change=[0.0],
        exposure_growth=[0.0],
        product_count_change=[0],
        satisfaction_change=[np.nan],
        satisfaction=[np.nan],
        prepaid_share=[0.0],
    )
    assert x.tolist() == [[0.0] * 6]


finite = st.floats(-1.0, 1.0)
signal_rows = st.fixed_dictionaries(
    {
        "utilisation_change": finite,
        "exposure_growth": st.floats(-1.0, 3.0),
        "product_count_change": st.integers(-4, 4),
        "satisfaction_change": st.one_of(st.just(math.nan), st.floats(-10, 10)),
        "satisfaction": st.one_of(st.just(math.nan), st.floats(0, 10)),
        "prepaid_share": st.floats(0, 1),
    }
)


@given(st.lists(signal_rows, min_size=1, max_size=8))
def test_batch_scores_equal_one_client(rows):
    x = attrition_indicators(**{k: [r[k] for r in rows] for k in QUIET})
    batch = attrition_scores(x)
    for i, row in enumerate(rows):
        one = attrition_risk(row)
        assert one.probability == pytest.approx(
            batch.probability[i], rel=1e-9, abs=1e-15
        )
        assert one.score == pytest.approx(batch.score[i], abs=1e-9)
        assert one.reasons == batch.reason_names(i)


@given(signal_rows, st.sampled_from(ATTRITION_FACTORS), st.floats(0.0, 1.0))
def test_a_worse_warning_sign_never_lowers_the_risk(row, factor, extra):
    x = attrition_indicators(**{k: [row[k]] for k in QUIET})
    worse = x.copy()
    worse[0, ATTRITION_FACTORS.index(factor)] += extra
    assert attrition_scores(worse).probability[0] >= attrition_scores(x).probability[0]


def test_fit_recovers_the_weight_of_a_simulated_sign():
    rng = np.random.default_rng(4)
    n = 20_000
    x = np.zeros((n, 6))
    x[:, 0] = rng.random(n) * 0.5
    x[:, 5] = rng.random(n) * 0.3
    logit = -3.0 + 5.0 * x[:, 0] + 2.0 * x[:, 5]
    left = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    hold = np.arange(n) % 4 == 0
    m = fit_attrition(x, left, validation=hold)
    assert m.intercept == pytest.approx(-3.0, abs=0.2)
    assert m.weights[0] == pytest.approx(5.0, abs=0.6)
    assert m.weights[5] == pytest.approx(2.0, abs=0.8)
    assert m.weights[1] == 0.0
    assert 0.55 < m.validation_auc < 0.8
    assert math.isnan(DEFAULT_ATTRITION.validation_auc)


def test_bad_attrition_inputs_are_refused():
    with pytest.raises(InvalidValueError) as e:
        attrition_indicators(
            utilisation_change=[0.0, 0.0],
            exposure_growth=[0.0],
            product_count_change=[0],
            satisfaction_change=[0.0],
            satisfaction=[5.0],
            prepaid_share=[0.0],
        )
    assert str(e.value) == (
        "`exposure_growth` must be the same length as `utilisation_change` (2); "
        "got 'length 1'."
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`satisfaction\[0\]` must be a finite number in \[0, 10\]",
    ):
        attrition_risk({**QUIET, "satisfaction": 11.0})
    with pytest.raises(
        InvalidValueError, match=r"`signals\['prepaid_share'\]` must be all of"
    ):
        attrition_risk({k: v for k, v in QUIET.items() if k != "prepaid_share"})
    with pytest.raises(
        InvalidValueError, match=r"`indicators` must be a matrix \(n, 6\)"
    ):
        attrition_scores(np.zeros((2, 5)))
    with pytest.raises(
        InvalidValueError, match=r"`indicators\[1\]` must be a finite number >= 0"
    ):
        attrition_scores([[0.0, -1.0, 0, 0, 0, 0]])
    with pytest.raises(InvalidValueError, match="`weights` must be 6 finite weights"):
        AttritionModel(intercept=0.0, weights=(1.0, 2.0))
    with pytest.raises(InvalidValueError, match="`left` must be both classes"):
        fit_attrition(np.zeros((3, 6)), [0, 0, 0])
    with pytest.raises(
        InvalidValueError, match="`indicators` must be the same length as `left`"
    ):
        fit_attrition(np.zeros((3, 6)), [0, 1])
