"""Exact tests of the loss simulation's run-size checks and rescaling, #23.

`lendcrm.risk.portfolio._loss_scale`: every refusal by field and whole words, the
bounds themselves, the power-of-two scale at and just past ``2**500`` (frexp's
exponent minus one), overflow refused, and the amounts scaled back by name.
"""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio._loss_scale import check_run_sizes, rescaled, scaled_weights


@pytest.mark.parametrize(
    ("n", "chunk", "field", "shown"),
    [
        (0, 100, "n_scenarios", "0"),
        (1.5, 100, "n_scenarios", "1.5"),
        ("5", 100, "n_scenarios", "'5'"),
        (10, 0, "chunk_size", "0"),
        (10, 2.5, "chunk_size", "2.5"),
        (10, None, "chunk_size", "None"),
    ],
)
def test_run_sizes_must_be_whole_and_positive(n, chunk, field, shown):
    with pytest.raises(InvalidValueError) as info:
        check_run_sizes(n, chunk, limit=100)
    assert info.value.field == field
    assert str(info.value) == f"`{field}` must be an integer >= 1; got {shown}."


def test_run_sizes_at_their_bounds_are_accepted():
    check_run_sizes(1, 1, limit=1)
    check_run_sizes(10_000, 5.0, limit=10_000)


def test_more_scenarios_than_the_limit_are_refused_in_whole_words():
    with pytest.raises(InvalidValueError) as info:
        check_run_sizes(10_001, 1, limit=10_000)
    assert info.value.field == "n_scenarios"
    assert str(info.value) == (
        "`n_scenarios` must be at most 10,000 scenarios (8 bytes each in memory); "
        "got 10001."
    )


def test_ordinary_and_empty_books_are_not_rescaled():
    w, scale, h = scaled_weights(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 7.0)
    assert (w.tolist(), scale, h) == ([0.5, 1.0], 1.0, 7.0)
    w, scale, h = scaled_weights(np.array([0.0]), np.array([0.5]), 3.0)
    assert (w.tolist(), scale, h) == ([0.0], 1.0, 3.0)
    w, scale, h = scaled_weights(np.array([]), np.array([]), None)
    assert (w.tolist(), scale, h) == ([], 1.0, None)


def test_a_book_loss_of_exactly_2_to_the_500_is_not_rescaled():
    w, scale, h = scaled_weights(np.array([2.0**500]), np.array([1.0]), 5.0)
    assert (w.tolist(), scale, h) == ([2.0**500], 1.0, 5.0)


def test_past_2_to_the_500_weights_are_divided_by_the_top_power_of_two():
    # top = 3 × 2**500: frexp gives (0.75, 502), so the unit is 2**501 (the largest
    # power of two not above top) and the weights become 1.5 and 2**-501 × 2**448.
    ead = np.array([3.0 * 2.0**500, 2.0**448])
    w, scale, h = scaled_weights(ead, np.array([1.0, 1.0]), 2.0**502)
    assert scale == 2.0**501
    assert w.tolist() == [1.5, 2.0**-53]
    assert h == 2.0
    w, scale, h = scaled_weights(ead, np.array([1.0, 1.0]), None)
    assert (scale, h) == (2.0**501, None)


@pytest.mark.parametrize("ead", [[1e308, 1e308], [1.7e308, 1.7e308]])
def test_a_book_loss_beyond_the_float_maximum_is_refused(ead):
    # 2 × 1e308 overflows in the sum; 2 × 1.7e308 sums to 3.4 × 2**1023 in units,
    # which `ldexp` cannot scale back (OverflowError, read as inf).
    with pytest.raises(InvalidValueError) as info:
        scaled_weights(np.array(ead), np.array([1.0]), None)
    assert info.value.field == "ead"
    assert str(info.value) == (
        "`ead` must be exposures whose largest possible loss, sum(ead × lgd), is at "
        "most the float maximum 1.8e308; got inf."
    )


@attrs.frozen
class _Result:
    losses: float
    var: float
    expected_shortfall: float
    es_contributions: float
    var_contributions: float
    var_kernel_loss: float
    bandwidth: float
    expected_loss: float
    confidence: float


def test_rescaled_multiplies_every_amount_and_nothing_else():
    r = _Result(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, confidence=0.99)
    assert rescaled(r, 1.0) is r
    assert rescaled(r, 4.0) == _Result(
        4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0, confidence=0.99
    )
