"""Transition estimates in strict interchange (#16, deliverable 4).

A `TransitionEstimate` holds numpy arrays. Through `to_payload` / `from_payload` each
becomes a nested list (``null`` for a value that is not finite) and comes back with the
dtype its annotation names; the estimate equals its round trip and validates against
its `json_schema`. An estimate whose parts do not fit is refused when it is built, so
a bad payload cannot slip through.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import BatchValidationError, InvalidValueError
from lendcrm.risk.portfolio import TransitionEstimate, cohort_matrix, duration_matrix
from lendcrm.serialization import from_payload, json_schema, to_payload
from tests.test_serialization_interchange import strict_json, validate

# The docstring examples of the two estimators; B has no obligor-cohort in the second
# (its row of the cohort matrix is what the estimator gives for an empty row).
COHORT = cohort_matrix(
    ["a", "a", "b", "b", "c", "c"],
    [0.0, 1.0, 0.0, 1.0, 0.0, 1.0],
    ["A", "A", "A", "B", "B", "D"],
    scale=["A", "B", "D"],
)
EMPTY_ROW = cohort_matrix(
    ["a", "a", "b", "b"],
    [0.0, 1.0, 0.0, 1.0],
    ["A", "A", "A", "D"],
    scale=["A", "B", "D"],
)
DURATION = duration_matrix(
    ["a", "a", "b", "b"], [0.0, 2.0, 0.0, 2.0], ["A", "D", "A", "A"], scale=["A", "D"]
)


@pytest.mark.parametrize(
    "est", [COHORT, EMPTY_ROW, DURATION], ids=["cohort", "empty-row", "duration"]
)
def test_estimates_round_trip_equal_through_strict_json(est):
    payload = strict_json(to_payload(est))
    back = from_payload(payload, TransitionEstimate)
    assert back == est
    assert back.counts.dtype == np.int64
    assert back.matrix.dtype == np.float64
    assert to_payload(back) == payload
    schema = json_schema(TransitionEstimate)
    assert validate(payload["data"], schema, schema) == []


def test_the_arrays_are_nested_lists_with_the_estimators_values():
    data = strict_json(to_payload(COHORT))["data"]
    assert data["matrix"] == [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    assert data["counts"] == [[1, 1, 0], [0, 0, 1], [0, 0, 0]]
    assert data["at_risk"] == [2.0, 1.0, 0.0]
    assert data["generator"] is None
    assert strict_json(to_payload(DURATION))["data"]["generator"] == [
        [-0.25, 0.25],
        [0.0, 0.0],
    ]


def test_not_finite_values_are_null_and_nan_again():
    est = TransitionEstimate(
        grades=("A", "D"),
        matrix=np.array([[math.nan, math.inf], [0.0, 1.0]]),
        counts=np.zeros((2, 2), dtype=np.int64),
        at_risk=np.array([0.0, -math.inf]),
        lower=np.zeros((2, 2)),
        upper=np.ones((2, 2)),
        generator=None,
        horizon=1.0,
        confidence=0.95,
        method="cohort",
        default_index=1,
    )
    payload = strict_json(to_payload(est))
    assert payload["data"]["matrix"] == [[None, None], [0.0, 1.0]]
    assert payload["data"]["at_risk"] == [0.0, None]
    back = from_payload(payload, TransitionEstimate)
    assert np.isnan(back.matrix[0]).all()
    assert back != est  # an infinity comes back as "not available"
    assert to_payload(back) == payload


def test_estimates_that_differ_in_one_cell_are_not_equal():
    other = from_payload(strict_json(to_payload(COHORT)), TransitionEstimate)
    changed = to_payload(COHORT)
    changed["data"]["counts"][0][0] = 2
    assert from_payload(changed, TransitionEstimate) != other
    assert COHORT != EMPTY_ROW


def _payload_with(**data):
    payload = to_payload(COHORT)
    payload["data"].update(data)
    return payload


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"matrix": [[0.5, 0.5], [0.0]]}, "matrix", "rectangular nested list"),
        ({"matrix": "0.5"}, "matrix", "a (nested) list of numbers"),
        ({"matrix": [[0.5, "x", 0.0]] * 3}, "matrix", "numbers or null; found 'x'"),
        ({"matrix": [[True, 0.5, 0.0]] * 3}, "matrix", "found True"),
        ({"counts": [[1, 1.0, 0]] * 3}, "counts", "integers; found 1.0"),
        ({"counts": [[1, None, 0]] * 3}, "counts", "integers; found None"),
    ],
)
def test_a_bad_array_is_named_by_its_path(data, field, words):
    with pytest.raises(BatchValidationError) as e:
        from_payload(_payload_with(**data), TransitionEstimate)
    (err,) = e.value.exceptions
    assert isinstance(err, InvalidValueError)
    assert err.field == field
    assert words in err.expected


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"matrix": [[0.5, 0.5], [0.0, 1.0]]}, "matrix", "shape (3, 3)"),
        ({"at_risk": [1.0, 2.0]}, "at_risk", "shape (3,)"),
        ({"generator": [[0.0]]}, "generator", "shape (3, 3)"),
        ({"method": "hazard"}, "method", "'cohort' or 'duration'"),
        ({"default_index": 3}, "default_index", "an index into the 3 grades"),
        ({"default_index": -1}, "default_index", "an index into the 3 grades"),
    ],
)
def test_an_estimate_whose_parts_do_not_fit_is_refused(data, field, words):
    with pytest.raises(BatchValidationError) as e:
        from_payload(_payload_with(**data), TransitionEstimate)
    (err,) = e.value.exceptions
    assert isinstance(err, InvalidValueError)
    assert err.field == field
    assert words in err.expected


def test_the_schema_names_nested_number_and_integer_arrays():
    schema = json_schema(TransitionEstimate)
    assert schema["properties"]["matrix"] == {"$ref": "#/$defs/float64_array"}
    assert schema["properties"]["counts"] == {"$ref": "#/$defs/int64_array"}
    assert schema["$defs"]["int64_array"] == {
        "type": "array",
        "items": {"anyOf": [{"type": "integer"}, {"$ref": "#/$defs/int64_array"}]},
    }
    bad = {**strict_json(to_payload(COHORT))["data"], "counts": [[1.5]]}
    assert validate(bad, schema, schema) != []


def test_both_spellings_of_an_array_annotation_are_read():
    # numpy >= 2.5 on Python 3.12+ spells npt.NDArray[X] as an alias subscripted by X;
    # older numpy as np.ndarray[shape, np.dtype[X]]. The schema was {} for the first.
    import numpy.typing as npt

    from lendcrm._json_arrays import array_dtype, is_array_type

    old_style = np.ndarray[tuple[int, ...], np.dtype[np.int64]]
    for tp, dtype in [
        (npt.NDArray[np.int64], np.int64),
        (old_style, np.int64),
        (npt.NDArray[np.float64], np.float64),
        (np.ndarray, np.float64),
    ]:
        assert is_array_type(tp)
        assert array_dtype(tp) == np.dtype(dtype)
    assert not is_array_type(int | None)
    assert not is_array_type(tuple[float, ...])
