# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""The rating master scale: the default pinned, band edges exact, refusals named (#23).

The default scale's upper bounds 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20 and 100 % and its
representative PDs, the geometric mean of each band with 0.03 % (Basel II §285) as the
lower end of grade 1 and 50 % for grade 10, are pinned; a PD equal to an upper bound
belongs to the next grade (bands are [lower, upper)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE, MasterScale

UPPER = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.10, 0.20, 1.0]
LOWER = [0.0003, *UPPER[:-1]]


def test_the_default_scale_entry_by_entry():
    s = DEFAULT_MASTER_SCALE
    assert s.grades == tuple(str(k) for k in range(1, 11))
    assert s.upper_bounds == tuple(UPPER)
    want = [math.sqrt(lo * hi) for lo, hi in zip(LOWER[:-1], UPPER[:-1], strict=True)]
    assert s.pds == (*want, 0.5)
    np.testing.assert_allclose(
        s.pds,
        [
            0.000387,
            0.000707,
            0.001581,
            0.003536,
            0.007071,
            0.014142,
            0.031623,
            0.070711,
            0.141421,
            0.5,
        ],
        rtol=1e-3,
    )


def test_each_band_edge_goes_to_the_next_grade():
    s = DEFAULT_MASTER_SCALE
    edges = UPPER[:-1]
    assert s.grade_of(edges).tolist() == [str(k) for k in range(2, 11)]
    below = [math.nextafter(e, 0.0) for e in edges]
    assert s.grade_of(below).tolist() == [str(k) for k in range(1, 10)]
    assert s.grade_index(edges).tolist() == list(range(1, 10))
    assert s.grade_index(below).tolist() == list(range(9))
    assert s.grade_index(below).dtype == np.int64
    tiny, top = 5e-324, math.nextafter(1.0, 0.0)
    assert s.grade_of([tiny, top]).tolist() == ["1", "10"]
    assert s.grade_index([tiny, top]).tolist() == [0, 9]


@pytest.mark.parametrize("method", ["grade_of", "grade_index"])
def test_pd_must_be_strictly_inside_zero_and_one(method):
    call = getattr(DEFAULT_MASTER_SCALE, method)
    for bad in (0.0, 1.0, math.nan):
        with pytest.raises(InvalidValueError) as err:
            call([0.01, bad])
        assert err.value.field == "default_probability[1]"
    with pytest.raises(InvalidValueError) as err:
        call(1.0)
    assert "(0, 1)" in err.value.expected


def test_pd_of_every_grade_and_unknown_labels():
    s = DEFAULT_MASTER_SCALE
    assert s.pd_of([str(k) for k in range(10, 0, -1)]).tolist() == list(s.pds[::-1])
    assert s.pd_of("7").tolist() == [s.pds[6]]
    scale = MasterScale(
        grades=["B", "A", "C"], upper_bounds=[0.1, 0.5, 1.0], pds=[0.05, 0.2, 0.7]
    )
    assert scale.pd_of(["A", "B", "C", "A"]).tolist() == [0.2, 0.05, 0.7, 0.2]
    for bad, i in ((["A", "D"], 1), (["0", "A"], 0), (["Z"], 0)):
        with pytest.raises(InvalidValueError) as err:
            scale.pd_of(bad)
        assert (err.value.field, err.value.value) == (f"grades[{i}]", bad[i])
        assert err.value.expected == "a grade of the scale (B, A, C)"


BASE: dict[str, Any] = {
    "grades": ["A", "B", "C"],
    "upper_bounds": [0.1, 0.5, 1.0],
    "pds": [0.05, 0.2, 0.7],
}


def test_a_scale_may_sit_on_its_band_edges():
    s = MasterScale(**{**BASE, "pds": [5e-324, 0.1, 0.5]})
    assert s.pds == (5e-324, 0.1, 0.5)
    assert MasterScale(grades=["X"], upper_bounds=[1], pds=[0.5]).grades == ("X",)
    assert MasterScale(**{**BASE, "grades": [1, 2, 3]}).grades == ("1", "2", "3")


def test_scale_refusals():
    for grades in ([], ["A", "A", "B"]):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, "grades": grades})
        assert (err.value.field, err.value.value) == ("grades", grades)
        assert err.value.expected == "unique labels, at least one"
    for name in ("upper_bounds", "pds"):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, name: BASE[name][:2]})
        assert (err.value.field, err.value.value) == (name, "length 2")
        assert err.value.expected == "one per grade (3)"
    for bounds in (
        [0.1, 0.1, 1.0],
        [0.5, 0.1, 1.0],
        [0.1, 0.5, math.nextafter(1.0, 0.0)],
    ):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, "upper_bounds": bounds, "pds": [0.01, 0.02, 0.6]})
        assert (err.value.field, err.value.value) == ("upper_bounds", bounds)
        assert err.value.expected == "strictly increasing bounds ending at 1"
    for bounds, field in (
        ([0.0, 0.5, 1.0], "upper_bounds[0]"),
        ([0.1, 0.5, 1.5], "upper_bounds[2]"),
    ):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, "upper_bounds": bounds})
        assert err.value.field == field
    for pds, i, band in (
        ([0.1, 0.2, 0.7], 0, "'A' [0, 0.1)"),
        ([0.05, 0.09, 0.7], 1, "'B' [0.1, 0.5)"),
        ([0.05, 0.5, 0.7], 1, "'B' [0.1, 0.5)"),
    ):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, "pds": pds})
        assert (err.value.field, err.value.value) == (f"pds[{i}]", pds[i])
        assert err.value.expected == f"inside the band of grade {band}"
    for pds, field in (([0.0, 0.2, 0.7], "pds[0]"), ([0.05, 0.2, 1.0], "pds[2]")):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, "pds": pds})
        assert err.value.field == field
        assert "(0, 1)" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        MasterScale(**{**BASE, "grades": "ABC"})
    assert err.value.field == "grades"


def test_the_converters_name_their_field():
    for name, value, field, shown, expected in (
        ("grades", "ABC", "grades", "ABC", "a sequence of grade labels"),
        ("upper_bounds", ["a", 0.5, 1.0], "upper_bounds[0]", "a", "a finite number"),
        ("pds", [0.05, "x", 0.7], "pds[1]", "x", "a finite number"),
    ):
        with pytest.raises(InvalidValueError) as err:
            MasterScale(**{**BASE, name: value})
        assert (err.value.field, err.value.value, err.value.expected) == (
            field,
            shown,
            expected,
        )


def test_numeric_grade_labels_are_read_as_text():
    s = DEFAULT_MASTER_SCALE
    assert s.pd_of([1, 10]).tolist() == s.pd_of(["1", "10"]).tolist()
