"""Exposure at default and expected loss."""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import expected_loss, exposure_at_default


def test_ead_hand_values():
    # 80 drawn + 0.75 x 20 undrawn = 95; 0 + 0.75 x 50 = 37.5; 10 + 0 x 10 = 10.
    np.testing.assert_allclose(
        exposure_at_default([80.0, 0.0, 10.0], [20.0, 50.0, 10.0], [0.75, 0.75, 0.0]),
        [95.0, 37.5, 10.0],
    )


def test_el_hand_values():
    # 1 % x 45 % x 1,000,000 = 4,500.
    np.testing.assert_allclose(expected_loss(0.01, 0.45, 1e6), [4500.0])


def test_scalar_gives_shape_one():
    assert exposure_at_default(1.0, 1.0, 0.5).shape == (1,)


def test_negative_exposure():
    with pytest.raises(
        InvalidValueError,
        match=r"`drawn\[1\]` must be a finite number >= 0; got -1\.0\.",
    ):
        exposure_at_default([1.0, -1.0], 0.0, 0.5)
    with pytest.raises(
        InvalidValueError, match=r"`ead\[0\]` must be a finite number >= 0; got -3\.0\."
    ):
        expected_loss(0.01, 0.45, [-3.0])


def test_ccf_outside_unit_interval():
    with pytest.raises(
        InvalidValueError,
        match=r"`ccf\[0\]` must be a finite number in \[0, 1\]; got 1\.5\.",
    ):
        exposure_at_default(1.0, 1.0, 1.5)


def test_pd_lgd_outside_unit_interval():
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[0\]` must be a finite number in \[0, 1\]; got -0\.01\.",
    ):
        expected_loss(-0.01, 0.45, 1.0)
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd\[0\]` must be a finite number in \[0, 1\]; got 1\.01\.",
    ):
        expected_loss(0.01, 1.01, 1.0)


def test_different_lengths():
    with pytest.raises(
        InvalidValueError,
        match=r"`undrawn` must be length 1 or the same length as `drawn` \(3\); got 'length 2'\.",
    ):
        exposure_at_default([1.0, 2.0, 3.0], [1.0, 2.0], 0.5)


def test_non_finite():
    with pytest.raises(
        InvalidValueError,
        match=r"`undrawn\[0\]` must be a finite number >= 0; got inf\.",
    ):
        exposure_at_default(1.0, float("inf"), 0.5)
