"""Fitted scoring models in strict interchange (#16, deliverable 4).

Binnings, binning sets, logistic models and their selection, scorecards, score and
master scales and binning configurations go through `to_payload` / `from_payload`
like the entities: strict JSON (no NaN or infinities), a schema version, equal after
the round trip, and valid against their `json_schema`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.risk.scoring import (
    DEFAULT_BINNING,
    DEFAULT_MASTER_SCALE,
    STANDARD_SCALE,
    Binning,
    BinningConfig,
    DroppedFeature,
    LogisticModel,
    build_scorecard,
    fit_binning_set,
    fit_categorical,
    fit_logistic,
    fit_numeric,
    stepwise,
)
from lendcrm.serialization import from_payload, json_schema, to_dict, to_payload
from tests.test_serialization_interchange import strict_json, validate

RNG = np.random.default_rng(7)
X = RNG.normal(size=3_000)
Z = RNG.normal(size=3_000)
Y = (RNG.random(3_000) < 0.15 + 0.15 * (X > 0)).astype(int)
X_SPECIAL = np.where(RNG.random(3_000) < 0.05, -999.0, X)
X_SPECIAL[:40] = np.nan


def models() -> list[object]:
    config = BinningConfig(special_codes=(-999.0,))
    bins = fit_binning_set({"x": X_SPECIAL, "z": Z}, Y, config=config)
    woe = bins.transform({"x": X_SPECIAL, "z": Z})
    model = fit_logistic(woe, Y, names=bins.names)
    constant = np.column_stack([X, np.ones_like(X), 2 * X])
    return [
        bins.binnings[0],
        fit_categorical(
            np.array(["a", "b", "c"])[RNG.integers(0, 3, 3_000)], Y, name="sector"
        ),
        bins,
        model,
        fit_logistic(woe, Y, names=bins.names, l2=2.0),
        fit_logistic(constant, Y, names=["x", "k", "x2"], drop_collinear=True),
        stepwise(woe, Y, names=bins.names),
        build_scorecard(bins, model),
        build_scorecard(bins, model, round_points=True),
        STANDARD_SCALE,
        DEFAULT_MASTER_SCALE,
        DEFAULT_BINNING,
        config,
        bins.binnings[0].trend_choice,
    ]


MODELS = models()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_fitted_models_round_trip_equal_through_strict_json(model):
    payload = strict_json(to_payload(model))
    assert payload["type"] == type(model).__name__
    back = from_payload(payload, type(model))
    assert back == model
    assert to_payload(back) == payload


@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_fitted_models_validate_against_their_json_schema(model):
    schema = strict_json(json_schema(type(model)))
    assert schema["title"] == type(model).__name__
    assert validate(strict_json(to_dict(model)), schema, schema) == []


def test_a_binnings_payload_exactly():
    """Siddiqi's two-bin example: x < 5 holds 75 bads and 25 goods, x >= 5 the reverse,
    so WoE = ln(25/75) = -ln 3 and +ln 3 (goods over bads, shares of 100 each)."""
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8] * 25)
    y = np.array([1, 1, 1, 0, 1, 0, 0, 0] * 25)
    b = fit_numeric(x, y, name="age", config=BinningConfig(min_bin_share=0.2))
    data = strict_json(to_payload(b))["data"]
    assert data["name"] == "age"
    assert data["kind"] == "numeric"
    assert data["splits"] == [5.0]
    assert data["goods"][:2] == [25.0, 75.0]
    assert data["bads"][:2] == [75.0, 25.0]
    assert data["woe"][:2] == pytest.approx([-math.log(3), math.log(3)], abs=1e-12)
    assert data["trend"] == "descending"  # the bad rate falls as x rises
    assert from_payload(strict_json(to_payload(b)), Binning).transform([7.0]) == (
        pytest.approx(math.log(3), abs=1e-12)
    )


def test_not_available_is_null_and_equal_after_the_round_trip():
    """A dropped feature's value is NaN when it has none: null in JSON, and equal."""
    model = next(m for m in MODELS if isinstance(m, LogisticModel) and m.dropped)
    data = strict_json(to_dict(model))
    assert [d["value"] for d in data["dropped"]] == [None, None]
    assert [d["rule"] for d in data["dropped"]] == ["constant", "collinear"]
    first = model.dropped[0]
    assert math.isnan(first.value)
    again = DroppedFeature(name=first.name, rule=first.rule, value=float("nan"),
                           partner=None, reason=first.reason)  # fmt: skip
    assert again == first
    assert hash(again) == hash(first)
    assert again != DroppedFeature(name=first.name, rule=first.rule, value=0.5,
                                   partner=None, reason=first.reason)  # fmt: skip


def test_the_logistic_models_schema_says_null_for_not_available():
    schema = json_schema(LogisticModel)
    assert schema["required"] == [
        "names", "intercept", "coefficients", "intercept_se", "standard_errors",
        "log_likelihood", "n_obs", "iterations",
    ]  # fmt: skip
    assert schema["properties"]["intercept"] == {"type": ["number", "null"]}
    assert schema["properties"]["dropped"] == {
        "type": "array", "items": {"$ref": "#/$defs/DroppedFeature"}
    }  # fmt: skip
    assert schema["$defs"]["DroppedFeature"]["properties"]["rule"] == {
        "enum": ["constant", "collinear", "correlation", "vif"]
    }


@settings(max_examples=15, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**32 - 1),
    st.sampled_from(["auto", "ascending", "descending", "peak", "valley"]),
)
def test_any_fitted_binning_round_trips_equal(seed, trend):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=400)
    x[rng.random(400) < 0.05] = np.nan
    y = (rng.random(400) < 0.2 + 0.2 * (x > 0)).astype(int)
    y[:2] = [0, 1]
    b = fit_numeric(x, y, name="x", config=BinningConfig(trend=trend))
    back = from_payload(strict_json(to_payload(b)), Binning)
    assert back == b
    np.testing.assert_array_equal(back.transform(x), b.transform(x))
