"""Scorecard scaling: Siddiqi's PDO formula reproduced exactly; reason codes."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, ModelMismatchError
from lendcrm.risk.scoring import (
    STANDARD_SCALE,
    BinningConfig,
    ScoreScale,
    build_scorecard,
    fit_binning_set,
    fit_logistic,
)


def test_pdo_scaling_golden_values():
    # Siddiqi, Credit Risk Scorecards (2006), ch. 10: 600 points at 50:1, PDO 20:
    # factor = 20 / ln 2 = 28.8539, offset = 600 - factor ln 50 = 487.1229.
    s = ScoreScale(base_score=600, base_odds=50, pdo=20)
    assert s.factor == pytest.approx(20 / math.log(2), rel=1e-15)
    assert s.factor == pytest.approx(28.8539, abs=1e-4)
    assert s.offset == pytest.approx(487.1229, abs=1e-4)
    # 600 points -> odds 50:1 -> PD 1/51 = 0.0196; 620 -> odds 100:1 -> PD 1/101
    np.testing.assert_allclose(
        s.pd_of_score([600.0, 620.0, 580.0]), [1 / 51, 1 / 101, 1 / 26]
    )
    np.testing.assert_allclose(s.score_of_pd([1 / 51, 1 / 101]), [600.0, 620.0])


@given(st.lists(st.floats(300, 900), min_size=1, max_size=20))
def test_pd_score_round_trip_and_monotone(scores):
    s = np.array(scores)
    pd_ = STANDARD_SCALE.pd_of_score(s)
    assert ((pd_ > 0) & (pd_ < 1)).all()
    np.testing.assert_allclose(STANDARD_SCALE.score_of_pd(pd_), s, rtol=1e-9)
    order = np.argsort(s)
    assert (np.diff(pd_[order]) <= 0).all()


def test_scale_bad_input():
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[1\]` must be a finite number in \(0, 1\); got 1.0",
    ):
        STANDARD_SCALE.score_of_pd([0.5, 1.0])
    with pytest.raises(
        InvalidValueError, match=r"`scores\[0\]` must be a finite number; got inf"
    ):
        STANDARD_SCALE.pd_of_score([np.inf])
    with pytest.raises(
        InvalidValueError, match="`pdo` must be a finite number > 0; got 0"
    ):
        ScoreScale(pdo=0)


def _card(**kw):
    rng = np.random.default_rng(11)
    n = 6_000
    age = rng.normal(40, 10, n)
    dti = rng.uniform(0, 1, n)
    region = rng.choice(["n", "s", "e", "w"], n)
    eta = -2.5 - 0.05 * (age - 40) + 2.0 * (dti - 0.5) + (region == "s") * 0.7
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    feats = {"age": age, "dti": dti, "region": region}
    bins = fit_binning_set(
        feats, y, categorical=["region"], config=BinningConfig(max_bins=5)
    )
    model = fit_logistic(bins.transform(feats), y, names=list(bins.names))
    return feats, y, bins, model, build_scorecard(bins, model, **kw)


def test_points_add_up_to_the_scaled_log_odds():
    feats, _, bins, model, card = _card()
    score = card.score(feats)
    pd_model = model.predict_proba(bins.transform(feats))
    np.testing.assert_allclose(score, STANDARD_SCALE.score_of_pd(pd_model), rtol=1e-12)
    np.testing.assert_allclose(card.default_probability(feats), pd_model, rtol=1e-10)
    # points of attribute i of characteristic j: -factor (b_j WoE_ij + b0/p) + offset/p
    j = 1
    b = bins["dti"]
    expected = (
        -STANDARD_SCALE.factor
        * (model.coefficients[j] * b.woe_array + model.intercept / 3)
        + STANDARD_SCALE.offset / 3
    )
    np.testing.assert_allclose(card.points[j], expected, rtol=1e-12)
    assert len(card.points_table()) == sum(len(b.labels) for b in bins)


def test_batch_score_matches_one_applicant_at_a_time():
    feats, _, _, _, card = _card()
    batch = card.score({k: v[:30] for k, v in feats.items()})
    single = [
        card.score({k: v[i : i + 1] for k, v in feats.items()})[0] for i in range(30)
    ]
    np.testing.assert_allclose(batch, single)


def test_rounding_is_reported():
    feats, _, _, _, card = _card(round_points=True)
    r = card.rounding
    assert r is not None
    assert all(float(p).is_integer() for row in card.points for p in row)
    assert 0 < r.max_abs_change <= 0.5 * 3
    assert card.score_range == (r.min_rounded, r.max_rounded)
    assert abs(r.min_rounded - r.min_exact) <= r.max_abs_change
    exact = _card()[4]
    diff = np.abs(card.score(feats) - exact.score(feats))
    assert diff.max() <= r.max_abs_change + 1e-9


def test_reason_codes_pick_the_costliest_characteristics():
    feats, _, _, _, card = _card()
    table = {"age": "A01", "dti": "D02", "region": "R03"}
    sub = {k: v[:200] for k, v in feats.items()}
    codes = card.reason_codes(sub, code_table=table, k=2)
    assert codes.shape == (200, 2)
    pts = card.characteristic_points(sub)
    best = np.array([max(r) for r in card.points])
    cost = best - pts
    for i in range(200):
        order = sorted(range(3), key=lambda j: (-cost[i, j], j))
        want = [table[card.names[j]] if cost[i, j] > 1e-9 else "" for j in order[:2]]
        assert codes[i].tolist() == want
    # an applicant on every best attribute gets no reason codes
    idx = [int(np.argmax(r)) for r in card.points]
    b_age, b_dti, b_reg = (card.binnings[n] for n in card.names)
    best_vals = {
        "age": [b_age.splits[idx[0] - 1] if idx[0] > 0 else b_age.splits[0] - 1],
        "dti": [b_dti.splits[idx[1] - 1] if idx[1] > 0 else b_dti.splits[0] - 1],
        "region": [b_reg.labels[idx[2]].split(", ")[0]],
    }
    assert card.reason_codes(best_vals, code_table=table, k=3).tolist() == [
        ["", "", ""]
    ]


def test_reason_code_errors():
    feats, _, _, _, card = _card()
    with pytest.raises(
        InvalidValueError,
        match=r"`code_table` must be a reason code for every characteristic.*\['region'\]",
    ):
        card.reason_codes(feats, code_table={"age": "A", "dti": "D"})
    with pytest.raises(InvalidValueError, match="`k` must be an integer >= 1; got 0"):
        card.reason_codes(
            feats, code_table={"age": "A", "dti": "D", "region": "R"}, k=0
        )


def test_scoring_column_errors():
    feats, _, _, _, card = _card()
    with pytest.raises(ModelMismatchError, match=r"missing \['region'\]"):
        card.score({"age": feats["age"], "dti": feats["dti"]})
    with pytest.raises(ModelMismatchError, match=r"unexpected \['zip'\]"):
        card.score({**feats, "zip": feats["age"]})


def test_model_feature_not_binned():
    feats, y, bins, _, _ = _card()
    other = fit_logistic(bins.transform(feats)[:, :1], y, names=["income"])
    with pytest.raises(
        ModelMismatchError, match=r"Model 'scorecard' .* missing \['income'\]"
    ):
        build_scorecard(bins, other)


def test_scorecard_pickles():
    _, _, _, _, card = _card()
    assert pickle.loads(pickle.dumps(card)) == card


def test_scorecard_round_trips_through_plain_dicts():
    import json

    import cattrs

    from lendcrm.risk.scoring import Scorecard

    feats, _, _, _, card = _card(round_points=True)
    conv = cattrs.Converter()
    plain = json.loads(json.dumps(conv.unstructure(card)))
    back = conv.structure(plain, Scorecard)
    assert back == card
    np.testing.assert_array_equal(back.score(feats), card.score(feats))
