"""Concentration and loss figures stay right up to the float maximum (#17, class 3).

Shares, curves, the Gini coefficient and the HHI are ratios to a total; near 1.8e308
the total overflowed (a share of 0, a Gini of 0, an ``OverflowError`` from the
unexpected loss). They now rescale by an exact power of two first, so scaling every
amount by ``c`` leaves them unchanged for ``c`` from 1e-300 to 1e300; a result that
itself does not fit a float is refused by name.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import segmentation
from lendcrm.errors import InvalidValueError
from lendcrm.risk import portfolio

AMOUNTS = st.lists(st.floats(min_value=1.0, max_value=100.0), min_size=1, max_size=8)
SCALE = st.floats(min_value=1e-300, max_value=1e300).filter(lambda c: c > 0)


def _scaled(values: list[float], c: float) -> np.ndarray:
    """``values`` times ``c``, the largest at most 1.7e308 (still a finite float)."""
    arr = np.asarray(values) * c
    top = float(arr.max())
    return arr if top <= 1.7e308 else arr * (1.7e308 / top)


@settings(max_examples=60, deadline=None)
@given(values=AMOUNTS, c=SCALE)
def test_concentration_is_scale_invariant_up_to_the_float_maximum(
    values: list[float], c: float
) -> None:
    big = _scaled(values, c)
    small = big / float(big.max())  # the same shape at magnitude 1
    assert segmentation.hhi(big) == pytest.approx(segmentation.hhi(small), rel=1e-12)
    assert segmentation.gini(big) == pytest.approx(
        segmentation.gini(small), rel=1e-9, abs=1e-12
    )
    assert segmentation.lorenz_curve(big).value_share == pytest.approx(
        segmentation.lorenz_curve(small).value_share, rel=1e-12, abs=1e-15
    )
    assert segmentation.top_share(big, 0.5) == pytest.approx(
        segmentation.top_share(small, 0.5), rel=1e-12
    )
    assert portfolio.exposure_hhi(big) == pytest.approx(
        portfolio.exposure_hhi(small), rel=1e-12
    )
    assert portfolio.top_k_share(big, 1) == pytest.approx(
        portfolio.top_k_share(small, 1), rel=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(values=AMOUNTS, c=st.floats(min_value=1e-300, max_value=1e300))
def test_unexpected_loss_scales_with_the_exposures(
    values: list[float], c: float
) -> None:
    big = _scaled(values, c)
    factor = float(big.max())
    small = big / factor
    ul = portfolio.unexpected_loss(big, 0.02, 0.45, default_correlation=0.1)
    assert math.isfinite(ul)
    assert ul == pytest.approx(
        factor * portfolio.unexpected_loss(small, 0.02, 0.45, default_correlation=0.1),
        rel=1e-12,
    )


def test_three_amounts_at_1e308_give_the_shares_of_three_equal_ones() -> None:
    v = [1e308, 1e308, 1e308]
    assert segmentation.hhi(v) == pytest.approx(1 / 3)
    assert segmentation.equivalent_number(v) == pytest.approx(3.0)
    assert segmentation.gini(v) == pytest.approx(0.0, abs=1e-15)
    assert segmentation.lorenz_curve(v).value_share.tolist() == pytest.approx(
        [0.0, 1 / 3, 2 / 3, 1.0]
    )
    assert segmentation.pareto_point(v, 0.5) == pytest.approx(2 / 3)
    assert portfolio.sector_hhi(v, ["a", "a", "b"]) == pytest.approx(5 / 9)


def test_an_unexpected_loss_beyond_the_float_maximum_is_refused() -> None:
    with pytest.raises(InvalidValueError) as info:
        portfolio.unexpected_loss([1.7e308] * 10, 0.5, 1.0)
    assert str(info.value) == (
        "`ead` must be exposures whose unexpected loss fits a float (below 1.8e308); "
        "got 'largest 1.7e+308 of 10'."
    )


def test_ordinary_amounts_are_not_rescaled() -> None:
    from lendcrm._concentration import without_overflow

    v = np.array([1.0, 2.0, 3.0])
    assert without_overflow(v) is v
    assert portfolio.unexpected_loss([100.0, 100.0], 0.01, 0.5) == 7.035623639735144
