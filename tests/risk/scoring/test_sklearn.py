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


# --- scikit-learn conventions (#16, deliverable 6) ------------------------------------


def test_not_fitted_error_before_fit():
    from sklearn.exceptions import NotFittedError

    x = np.zeros((3, 2))
    with pytest.raises(NotFittedError, match="WoETransformer instance is not fitted"):
        WoETransformer().transform(x)
    with pytest.raises(NotFittedError, match="ScorecardClassifier instance is not"):
        ScorecardClassifier().predict_proba(x)
    with pytest.raises(NotFittedError):
        ScorecardClassifier().score_points(x)


def test_feature_names_in_only_for_frames():
    frame, y = _data()
    on_frame = WoETransformer(categorical=["c"]).fit(frame, y)
    assert on_frame.n_features_in_ == 2
    assert on_frame.feature_names_in_.tolist() == ["x", "c"]
    on_array = WoETransformer().fit(frame[["x"]].to_numpy(), y)
    assert on_array.n_features_in_ == 1
    assert not hasattr(on_array, "feature_names_in_")
    with pytest.raises(ValueError, match="X has 2 features, but WoETransformer is"):
        on_array.transform(np.zeros((3, 2)))


def test_any_two_labels_the_second_is_bad():
    frame, y = _data()
    labels = np.where(y == 1, "default", "current")  # sorted: current, default
    clf = ScorecardClassifier(categorical=["c"]).fit(frame, labels)
    assert clf.classes_.tolist() == ["current", "default"]
    ref = ScorecardClassifier(categorical=["c"]).fit(frame, y)
    np.testing.assert_array_equal(clf.predict_proba(frame), ref.predict_proba(frame))
    assert set(clf.predict(frame)) <= {"current", "default"}


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (np.zeros(3_000, dtype=int), r"got 1 class\(es\): \[0\]"),
        (np.arange(3_000) % 3, r"got 3 class\(es\): \[0, 1, 2\]"),
        (np.linspace(0, 1, 3_000), "Unknown label type"),
    ],
)
def test_target_must_have_two_labels(target, message):
    frame, _ = _data()
    with pytest.raises(ValueError, match=message):
        ScorecardClassifier(categorical=["c"]).fit(frame, target)


def test_config_none_is_the_default_binning():
    from lendcrm.risk.scoring import DEFAULT_BINNING

    frame, y = _data()
    assert WoETransformer().config is None
    a = WoETransformer(categorical=["c"]).fit(frame, y)
    b = WoETransformer(categorical=["c"], config=DEFAULT_BINNING).fit(frame, y)
    np.testing.assert_array_equal(a.transform(frame), b.transform(frame))


def test_a_single_bin_characteristic_is_left_out_of_the_regression():
    frame, y = _data()
    # 1 % of rows differ: below the 5 % bin share, so a single bin (IV 0)
    frame = frame.assign(flat=(np.arange(len(frame)) < 30).astype(float))
    clf = ScorecardClassifier(categorical=["c"]).fit(frame, y)
    assert clf.ivs_["flat"] == 0.0
    assert clf.scorecard_.names == ("x", "c")


def test_module_imports_without_sklearn():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from lendcrm.risk.scoring.sklearn import WoETransformer\n"
        "try:\n    WoETransformer()\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "pip install 'lendcrm[sklearn]'" in out.stdout
