"""The overflow guard of the shared concentration helpers at its exact threshold (#23)."""

import numpy as np

from lendcrm._concentration import herfindahl, without_overflow

# The guard rescales when max|x| * n reaches 2**1000 (float64 tops out near 2**1024).
SAFE_SUM = 2.0**1000


def test_empty_and_small_values_are_returned_as_they_are():
    empty = np.array([], dtype=np.float64)
    assert without_overflow(empty) is empty
    one = np.array([5.0])
    assert without_overflow(one) is one


def test_a_single_huge_value_is_rescaled():
    v = np.array([1e308])
    scaled = without_overflow(v)
    assert scaled is not v
    assert scaled[0] == np.ldexp(1e308, -1024)


def test_the_threshold_itself_is_rescaled_and_just_below_is_not():
    at = np.array([2.0**999, 2.0**999])  # max * n == 2**1000 exactly
    scaled = without_overflow(at)
    assert scaled is not at
    np.testing.assert_array_equal(scaled, [0.5, 0.5])
    below = np.array([2.0**998, 2.0**998])  # max * n == 2**999
    assert without_overflow(below) is below
    assert herfindahl(at) == 0.5
