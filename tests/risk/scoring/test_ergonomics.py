"""Workflow ergonomics: names from frames, named degenerate features, JSON, extras."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import BatchValidationError, InvalidValueError, ModelMismatchError
from lendcrm.risk.scoring import (
    Binning,
    BinningConfig,
    BinningSet,
    DropRule,
    Scorecard,
    Trend,
    build_scorecard,
    fit_binning_set,
    fit_categorical,
    fit_logistic,
    fit_numeric,
    stepwise,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, score_frame, woe_frame
from lendcrm.serialization import from_dict, to_dict


def _apps(n=4_000, seed=21):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "dscr": rng.lognormal(0.3, 0.3, n),
        "age": rng.uniform(20, 75, n),
        "sector": rng.choice(["energy", "water", "roads"], n),
    })  # fmt: skip
    frame.loc[rng.random(n) < 0.05, "dscr"] = -999.0
    eta = (
        -2.5
        - 2 * (np.log(frame["dscr"].clip(lower=0.1)) - 0.3)
        + 0.002 * (frame["age"] - 45) ** 2
        + (frame["sector"] == "energy") * 0.4
    )
    frame["bad"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return frame


# ---------------------------------------------------------------- fit_logistic


def test_fit_logistic_takes_names_from_a_dataframe():
    apps = _apps()
    bins = fit_binning_frame(apps, target="bad")
    woe = woe_frame(bins, apps.drop(columns="bad"))
    from_frame = fit_logistic(woe, apps["bad"])
    from_array = fit_logistic(woe.to_numpy(), apps["bad"], names=list(woe.columns))
    assert from_frame.names == ("dscr", "age", "sector")
    assert from_frame == from_array
    with pytest.raises(
        InvalidValueError,
        match=r"`names` must be the DataFrame's columns \['dscr', 'age', 'sector'\]; "
        r"got \['a', 'b', 'c'\]. Omit `names=`",
    ):
        fit_logistic(woe, apps["bad"], names=["a", "b", "c"])
    assert stepwise(woe, apps["bad"]).names[0] in woe.columns


def test_constant_and_collinear_features_are_named():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 500))
    y = (rng.random(500) < 1 / (1 + np.exp(1 + a))).astype(int)
    x = pd.DataFrame({"a": a, "b": b, "flag": 0.25, "mix": 2 * a - b})
    with pytest.raises(
        InvalidValueError,
        match=r"`flag` must be a feature that varies \(a constant duplicates the "
        r"intercept\); got 'one value in the sample \(0.25\)'. Drop it, or pass "
        r"drop_collinear=True",
    ):
        fit_logistic(x, y)
    with pytest.raises(
        InvalidValueError,
        match=r"`mix` must be a feature that is not a linear combination of the "
        r"others; got 'an exact linear combination of `a`, `b`'",
    ):
        fit_logistic(x.drop(columns="flag"), y)
    m = fit_logistic(x, y, drop_collinear=True)
    assert m.names == ("a", "b")
    assert [(d.name, d.rule) for d in m.dropped] == [
        ("flag", DropRule.CONSTANT), ("mix", DropRule.COLLINEAR),
    ]  # fmt: skip
    assert m.coefficients == pytest.approx(
        fit_logistic(x[["a", "b"]], y).coefficients, rel=1e-12
    )
    # a ridge penalty identifies collinear features: they are kept
    ridge = fit_logistic(x.drop(columns="flag"), y, l2=1.0)
    assert ridge.names == ("a", "b", "mix")
    # stepwise skips a candidate that would make the model collinear
    assert not {"a", "b", "mix"} <= set(stepwise(x.drop(columns="flag"), y).names)


def test_a_scorecard_uses_the_features_the_model_kept():
    apps = _apps()
    bins = fit_binning_frame(apps.assign(copy=apps["age"]), target="bad")
    woe = woe_frame(bins, apps.assign(copy=apps["age"]).drop(columns="bad"))
    model = fit_logistic(woe, apps["bad"], drop_collinear=True)
    assert [d.name for d in model.dropped] == ["copy"]
    card = build_scorecard(bins, model)
    assert card.names == ("dscr", "age", "sector")


def test_logistic_weights_errors():
    x = np.array([0.0, 1.0, 0.5, 0.2])
    y = np.array([0, 1, 0, 1])
    with pytest.raises(
        InvalidValueError, match=r"`weights\[2\]` must be a finite number >= 0"
    ):
        fit_logistic(x, y, weights=[1, 1, -1, 1])
    with pytest.raises(
        InvalidValueError,
        match=r"`weights` must be positive weight on both classes; got 'zero total "
        r"weight on the bads'",
    ):
        fit_logistic(x, y, weights=[1, 0, 1, 0])


# ---------------------------------------------------------------- JSON


def test_scorecard_and_binning_round_trip_to_json():
    apps = _apps()
    cfg = BinningConfig(special_codes=[-999.0])
    bins = fit_binning_frame(apps, target="bad", config=cfg)
    assert bins["age"].trend is Trend.VALLEY
    card = build_scorecard(bins, fit_logistic(woe_frame(bins, apps.drop(columns="bad")),
                                              apps["bad"]), round_points=True)  # fmt: skip
    text = json.dumps(to_dict(card))
    back = from_dict(json.loads(text), Scorecard)
    assert back == card
    raw = apps.drop(columns="bad")
    pd.testing.assert_frame_equal(score_frame(back, raw), score_frame(card, raw))
    one = from_dict(json.loads(json.dumps(to_dict(bins["dscr"]))), Binning)
    assert one == bins["dscr"]
    assert one.trend_choice == bins["dscr"].trend_choice
    assert from_dict(json.loads(json.dumps(to_dict(bins))), BinningSet) == bins


def test_json_with_a_wrong_key_names_it():
    b = fit_numeric(np.arange(200.0), np.arange(200) % 3 == 0, name="x")
    data = to_dict(b)
    data["trend"] = "sideways"
    with pytest.raises(BatchValidationError, match="trend"):
        from_dict(data, Binning)


# ---------------------------------------------------------------- extra columns


def test_scoring_a_frame_with_the_target_says_how_to_ignore_it():
    apps = _apps()
    bins = fit_binning_frame(apps, target="bad")
    card = build_scorecard(bins, fit_logistic(woe_frame(bins, apps.drop(columns="bad")),
                                              apps["bad"]))  # fmt: skip
    with pytest.raises(ModelMismatchError, match=r"unexpected \['bad'\]") as exc:
        score_frame(card, apps)
    assert "pass ignore_extra=True to ignore them" in exc.value.__notes__[0]
    assert "frame.drop(columns=['bad'])" in exc.value.__notes__[0]
    assert len(score_frame(card, apps, ignore_extra=True)) == len(apps)
    with pytest.raises(ModelMismatchError) as exc2:
        card.score({**{n: apps[n].to_numpy() for n in card.names}, "bad": apps["bad"]})
    assert "without the target" in exc2.value.__notes__[0]


# ---------------------------------------------------------------- bad input, named


def test_binning_bad_input_names_the_feature():
    x = np.arange(100.0)
    with pytest.raises(
        InvalidValueError,
        match=r"`target` must be both classes, 0 \(good\) and 1 \(bad\); got 'only 0'. "
        r"Raised while binning `age`.",
    ):
        fit_numeric(x, np.zeros(100), name="age")
    with pytest.raises(InvalidValueError, match=r"Raised while binning `sector`"):
        fit_categorical(["a", "b"] * 50, np.ones(100), name="sector")
    y = np.arange(100) % 2
    with pytest.raises(
        InvalidValueError,
        match=r"`weights\[3\]` must be a finite number >= 0; got -1.0. Raised while "
        r"binning `age`.",
    ):
        fit_numeric(x, y, name="age", weights=np.r_[1, 1, 1, -1, np.ones(96)])
    with pytest.raises(
        InvalidValueError,
        match=r"`weights` must be a positive total weight; got 'all zero'. Raised "
        r"while binning `age`.",
    ):
        fit_numeric(x, y, name="age", weights=np.zeros(100))
    for fit in (fit_numeric, fit_categorical):
        values = x if fit is fit_numeric else np.where(x < 50, "a", "b")
        with pytest.raises(
            InvalidValueError,
            match=r"`weights` must be positive weight on both classes; got 'zero "
            r"weight on a class'. Raised while binning `f`.",
        ):
            fit(values, y, name="f", weights=1.0 - y)
    with pytest.raises(InvalidValueError, match=r"Raised while binning `first`"):
        fit_binning_set({"first": x, "second": x}, np.ones(100))
    with pytest.raises(InvalidValueError, match=r"Raised while binning `dscr`"):
        fit_binning_frame(pd.DataFrame({"dscr": x, "bad": 1}), target="bad")


def test_json_without_trend_choice_still_loads():
    b = fit_numeric(np.arange(200.0), np.arange(200) % 3 == 0, name="x")
    data = to_dict(b)
    del data["trend_choice"]
    old = from_dict(data, Binning)
    assert old.trend_choice.reason == "given"
    assert old.trend_choice.chosen is b.trend
    assert old.woe == b.woe
