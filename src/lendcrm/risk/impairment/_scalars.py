"""One number from a scalar argument, refused by name when it is not one number."""

from __future__ import annotations

import numpy.typing as npt

from lendcrm._arrays import as_float_array
from lendcrm.errors import InvalidValueError

__all__ = ["one_number"]


def one_number(
    value: npt.ArrayLike,
    *,
    name: str,
    lower: float | None = None,
    upper: float | None = None,
    lower_open: bool = False,
) -> float:
    """``value`` as a float after the checks of `as_float_array`; exactly one value.

    Raises:
        InvalidValueError: not a number, out of range, or not exactly one value.

    Examples:
        >>> one_number(0.5, name="persistence", lower=0.0, upper=1.0)
        0.5
        >>> one_number([], name="persistence")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `persistence` must be one number; got 'array of shape (0,)'.
    """
    arr = as_float_array(
        value, name=name, lower=lower, upper=upper, lower_open=lower_open
    )
    if arr.shape != (1,):
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one number"
        )
    return float(arr[0])
