"""scikit-learn adapters: Pipeline, clone, params, same numbers as the core."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    BinningConfig,
    build_scorecard,
    fit_binning_set,
    fit_logistic,
)
from lendcrm.risk.scoring.sklearn import ScorecardClassifier, WoETransformer


def _data(n=3_000):
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": rng.normal(size=n), "c": rng.choice(["a", "b", "c"], n)})
    eta = -2 + frame["x"] + (frame["c"] == "b") * 0.8
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return frame, y


def test_transformer_in_a_pipeline_matches_the_core():
    frame, y = _data()
    pipe = Pipeline(
        [("woe", WoETransformer(categorical=["c"])), ("lr", LogisticRegression())]
    )
    pipe.fit(frame, y)
    assert pipe.predict_proba(frame).shape == (len(frame), 2)
    core = fit_binning_set({"x": frame["x"].to_numpy(), "c": frame["c"].to_numpy()}, y,
                           categorical=["c"])  # fmt: skip
    np.testing.assert_array_equal(
        pipe.named_steps["woe"].transform(frame),
        core.transform({"x": frame["x"].to_numpy(), "c": frame["c"].to_numpy()}),
    )
    assert list(pipe.named_steps["woe"].get_feature_names_out()) == ["x", "c"]


def test_params_and_clone():
    est = ScorecardClassifier(l2=0.5, config=BinningConfig(max_bins=4))
    params = est.get_params()
    assert params["l2"] == 0.5
    assert params["config"].max_bins == 4
    other = clone(est).set_params(l2=1.0)
    assert other.l2 == 1.0
    assert est.l2 == 0.5


def test_classifier_reproduces_the_scorecard():
    frame, y = _data()
    clf = ScorecardClassifier(categorical=["c"]).fit(frame, y)
    feats = {"x": frame["x"].to_numpy(), "c": frame["c"].to_numpy()}
    bins = fit_binning_set(feats, y, categorical=["c"])
    card = build_scorecard(
        bins, fit_logistic(bins.transform(feats), y, names=["x", "c"])
    )
    np.testing.assert_allclose(clf.score_points(frame), card.score(feats))
    proba = clf.predict_proba(frame)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(frame), (proba[:, 1] >= 0.5).astype(int))
    assert list(clf.classes_) == [0, 1]


def test_numpy_input_names_columns():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1_000, 2))
    y = (rng.random(1_000) < 1 / (1 + np.exp(2 - x[:, 0]))).astype(int)
    t = WoETransformer().fit(x, y)
    assert t.binnings_.names == ("x0", "x1")
    assert t.transform(x).shape == (1_000, 2)


def test_selection_by_iv():
    frame, y = _data()
    frame = frame.assign(noise=np.random.default_rng(3).normal(size=len(frame)))
    full = WoETransformer(categorical=["c"]).fit(frame, y)
    # noise binned on 3,000 rows still picks up some IV; 0.1 separates it here
    assert full.ivs_["noise"] < 0.1 <= min(full.ivs_["x"], full.ivs_["c"])
    t = WoETransformer(categorical=["c"], min_iv=0.1).fit(frame, y)
    assert list(t.get_feature_names_out()) == ["x", "c"]
    np.testing.assert_array_equal(t.transform(frame), full.transform(frame)[:, :2])
    assert t.ivs_ == full.ivs_
    capped = WoETransformer(categorical=["c"], max_iv=full.ivs_["x"] - 1e-9).fit(
        frame, y
    )
    assert "x" not in capped.get_feature_names_out()
    clf = ScorecardClassifier(categorical=["c"], min_iv=0.1).fit(frame, y)
    assert clf.scorecard_.names == ("x", "c")
    feats = {"x": frame["x"].to_numpy(), "c": frame["c"].to_numpy()}
    bins = fit_binning_set(feats, y, categorical=["c"])
    card = build_scorecard(
        bins, fit_logistic(bins.transform(feats), y, names=["x", "c"])
    )
    np.testing.assert_allclose(clf.score_points(frame), card.score(feats))
    with pytest.raises(
        InvalidValueError,
        match=r"`min_iv` must be a floor that at least one column reaches \(the best, "
        r"`x`, has IV ",
    ):
        WoETransformer(categorical=["c"], min_iv=5.0).fit(frame, y)
