"""Concentration: HHI, top-k shares and the Basel large-exposure check."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import (
    LARGE_EXPOSURE_LIMIT,
    LARGE_EXPOSURE_THRESHOLD,
    exposure_hhi,
    large_exposures,
    sector_hhi,
    top_k_share,
)


def test_hhi_by_hand():
    # shares 0.5, 0.3, 0.2 -> 0.25 + 0.09 + 0.04 = 0.38
    assert exposure_hhi([50.0, 30.0, 20.0]) == pytest.approx(0.38)
    assert exposure_hhi([7.0]) == 1.0
    assert exposure_hhi([0.0, 10.0]) == 1.0


def test_hhi_aggregates_rows_of_one_obligor():
    assert exposure_hhi(
        [20.0, 30.0, 50.0], obligors=["g1", "g1", "g2"]
    ) == pytest.approx(0.5)


def test_sector_hhi_by_hand():
    # energy 40 %, roads 60 % -> 0.16 + 0.36
    assert sector_hhi([10.0, 30.0, 60.0], ["energy", "energy", "roads"]) == 0.52
    assert sector_hhi([10.0, 30.0], [1, 2]) == pytest.approx(0.625)


def test_top_k_share():
    assert top_k_share([50.0, 30.0, 20.0], 1) == 0.5
    assert top_k_share([50.0, 30.0, 20.0], 10) == 1.0
    # aggregation first: "a" holds 60
    assert top_k_share([30.0, 30.0, 40.0], 1, obligors=["a", "a", "b"]) == 0.6


def test_basel_constants():
    # Basel Framework LEX20.1 (25 % of Tier 1) and LEX10.8 (10 % definition)
    assert LARGE_EXPOSURE_LIMIT == 0.25
    assert LARGE_EXPOSURE_THRESHOLD == 0.10


def test_large_exposure_boundaries():
    # exactly 25 % is allowed ("must not be higher than"), exactly 10 % is large
    res = large_exposures([25.0, 10.0, 9.99, 25.01], capital=100.0)
    assert res.breach.tolist() == [False, False, False, True]
    assert res.large.tolist() == [True, True, False, True]
    np.testing.assert_allclose(res.headroom, [0.0, 15.0, 15.01, -0.01], atol=1e-9)
    assert res.breaching.tolist() == [3]


def test_large_exposures_connected_group_and_gsib_limit():
    res = large_exposures(
        [9.0, 8.0, 5.0], capital=100.0, obligors=["grp", "grp", "x"], limit=0.15
    )
    assert res.obligors.tolist() == ["grp", "x"]
    assert res.exposure.tolist() == [17.0, 5.0]
    assert res.breach.tolist() == [True, False]


def test_batch_equals_one_by_one():
    exposures = np.array([30.0, 12.0, 5.0])
    res = large_exposures(exposures, capital=100.0)
    for i, e in enumerate(exposures):
        single = large_exposures([e], capital=100.0)
        assert single.breach[0] == res.breach[i]
        assert single.share_of_capital[0] == res.share_of_capital[i]


def test_bad_inputs():
    with pytest.raises(InvalidValueError, match=r"`exposures\[1\]` must be"):
        exposure_hhi([1.0, -1.0])
    with pytest.raises(InvalidValueError, match="at least one positive exposure"):
        exposure_hhi([0.0, 0.0])
    with pytest.raises(InvalidValueError, match="one id per exposure"):
        exposure_hhi([1.0, 2.0], obligors=["a"])
    with pytest.raises(InvalidValueError, match="integer >= 1"):
        top_k_share([1.0], 0)
    with pytest.raises(InvalidValueError, match=r"`capital\[0\]` must be"):
        large_exposures([1.0], capital=0.0)
    with pytest.raises(InvalidValueError, match=r"`limit\[0\]` must be"):
        large_exposures([1.0], capital=10.0, limit=1.5)
    with pytest.raises(InvalidValueError, match=r"`threshold\[0\]` must be .* 0.2\]"):
        large_exposures([1.0], capital=10.0, limit=0.2, threshold=0.3)


@given(st.lists(st.floats(0.01, 1e9), min_size=1, max_size=50), st.floats(0.1, 1e3))
def test_hhi_bounds_and_scale_invariance(values, scale):
    h = exposure_hhi(values)
    assert 1.0 / len(values) - 1e-12 <= h <= 1.0 + 1e-12
    assert exposure_hhi(np.array(values) * scale) == pytest.approx(h, rel=1e-9)
    assert top_k_share(values, 1) >= 1.0 / len(values) - 1e-12


@given(
    st.lists(st.floats(0.0, 1e6), min_size=1, max_size=30).filter(lambda v: sum(v) > 0)
)
def test_exposure_and_segmentation_hhi_are_one_formula(values):
    """`exposure_hhi` and `lendcrm.segmentation.hhi` both call the core herfindahl."""
    from lendcrm._concentration import herfindahl
    from lendcrm.segmentation import hhi

    arr = np.array(values)
    assert exposure_hhi(values) == hhi(values) == herfindahl(arr)
    assert herfindahl(arr / arr.sum()) == pytest.approx(herfindahl(arr), rel=1e-12)
