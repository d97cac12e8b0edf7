"""Master scale: banding, round trips and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE, MasterScale


def test_default_scale_bands():
    s = DEFAULT_MASTER_SCALE
    assert s.grades == tuple(str(k) for k in range(1, 11))
    # band edges are inclusive below, exclusive above
    assert s.grade_of([0.0005, 0.00049, 0.2, 0.19999]).tolist() == ["2", "1", "10", "9"]
    # representative PD: geometric mean of the band, e.g. sqrt(0.01 * 0.02) for grade 6
    assert s.pd_of(["6"])[0] == pytest.approx(np.sqrt(0.01 * 0.02))


@given(st.lists(st.floats(1e-6, 1 - 1e-6), min_size=1, max_size=30))
def test_grade_of_is_monotone_and_pd_of_round_trips(pds):
    s = DEFAULT_MASTER_SCALE
    p = np.array(pds)
    idx = s.grade_index(p)
    order = np.argsort(p)
    assert (np.diff(idx[order]) >= 0).all()
    assert (s.grade_of(s.pd_of(s.grade_of(p))) == s.grade_of(p)).all()


def test_bad_input():
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[1\]` must be a finite number in \(0, 1\); got 1.0",
    ):
        DEFAULT_MASTER_SCALE.grade_of([0.1, 1.0])
    with pytest.raises(
        InvalidValueError, match=r"`grades\[0\]` must be a grade of the scale"
    ):
        DEFAULT_MASTER_SCALE.pd_of(["AAA"])
    with pytest.raises(
        InvalidValueError,
        match="`upper_bounds` must be strictly increasing bounds ending at 1",
    ):
        MasterScale(grades=("a", "b"), upper_bounds=(0.5, 0.9), pds=(0.1, 0.6))
    with pytest.raises(
        InvalidValueError, match=r"`pds\[1\]` must be inside the band of grade 'b'"
    ):
        MasterScale(grades=("a", "b"), upper_bounds=(0.5, 1.0), pds=(0.1, 0.2))
    with pytest.raises(InvalidValueError, match="`grades` must be unique labels"):
        MasterScale(grades=("a", "a"), upper_bounds=(0.5, 1.0), pds=(0.1, 0.6))
