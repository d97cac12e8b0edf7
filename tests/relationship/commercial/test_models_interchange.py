"""The commercial models in strict interchange (#16, deliverable 4).

`ConversionModel` and `AttritionModel` go through `to_payload` / `from_payload` like
the scoring models: strict JSON, equal after the round trip, valid against their
`json_schema`. The expert attrition weights carry no validation figures (NaN), which
are ``null`` in the JSON and compare equal after the round trip.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.relationship.commercial import (
    DEFAULT_ATTRITION,
    AttritionModel,
    ConversionModel,
    fit_attrition,
    fit_conversion,
)
from lendcrm.serialization import from_payload, json_schema, to_payload
from tests.relationship.commercial.test_targeting import _prospects
from tests.test_serialization_interchange import strict_json, validate


def _fitted_attrition() -> AttritionModel:
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.random(2000) * 0.5] + [np.zeros(2000)] * 5)
    left = rng.random(2000) < 1 / (1 + np.exp(3.0 - 6.0 * x[:, 0]))
    return fit_attrition(x, left.astype(int), validation=rng.random(2000) < 0.3)


def _conversion() -> ConversionModel:
    features, y = _prospects()
    return fit_conversion(features, y, categorical=["sector"], seed=5)


@pytest.mark.parametrize(
    "model",
    [DEFAULT_ATTRITION, _fitted_attrition(), _conversion()],
    ids=["expert-attrition", "fitted-attrition", "conversion"],
)
def test_commercial_models_round_trip_equal_through_strict_json(model):
    payload = strict_json(to_payload(model))
    assert payload["type"] == type(model).__name__
    back = from_payload(payload, type(model))
    assert back == model
    assert to_payload(back) == payload
    schema = json_schema(type(model))
    assert validate(payload["data"], schema, schema) == []


def test_the_expert_models_missing_figures_are_null_and_equal():
    data = strict_json(to_payload(DEFAULT_ATTRITION))["data"]
    assert data["validation_auc"] is None
    assert data["validation_ks"] is None
    back = from_payload(strict_json(to_payload(DEFAULT_ATTRITION)), AttritionModel)
    assert math.isnan(back.validation_auc)
    assert back == DEFAULT_ATTRITION


def test_models_that_differ_in_a_figure_are_not_equal():
    fitted = _fitted_attrition()
    assert fitted != DEFAULT_ATTRITION
    nan_auc = AttritionModel(
        intercept=fitted.intercept, weights=fitted.weights, validation_ks=1.0
    )
    assert nan_auc != AttritionModel(
        intercept=fitted.intercept,
        weights=fitted.weights,
        validation_auc=0.5,
        validation_ks=1.0,
    )
    conversion = _conversion()
    other = fit_conversion(*_prospects(seed=4), categorical=["sector"], seed=5)
    assert conversion != other
