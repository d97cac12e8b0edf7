"""numpy arrays in lendcrm's JSON form (private): nested lists, ``null`` for not finite.

A fitted result that holds arrays (a `TransitionEstimate`'s matrices) goes through
`lendcrm.serialization` like any attrs class: an ``NDArray[float64]`` field is a nested
list of numbers in which NaN and infinities are ``null`` (read back as NaN), an
``NDArray[int64]`` field a nested list of integers. `array_key` is the ``eq`` key of such
a field, so a result equals its JSON round trip.
"""

from __future__ import annotations

import typing
from typing import Any

import numpy as np
import numpy.typing as npt

from lendcrm.errors import InvalidValueError

__all__ = [
    "array_dtype",
    "array_from_json",
    "array_key",
    "array_to_json",
    "is_array_type",
]


def is_array_type(tp: object) -> bool:
    """Whether ``tp`` is ``np.ndarray`` or an ``npt.NDArray[...]`` annotation.

    ``npt.NDArray[X]`` is ``np.ndarray[shape, np.dtype[X]]`` in older numpy and an
    alias subscripted by ``X`` in newer numpy on Python 3.12+: both are read.
    """
    origin = typing.get_origin(tp)
    return tp is np.ndarray or origin is np.ndarray or origin is npt.NDArray


def array_dtype(tp: object) -> np.dtype[Any]:
    """The dtype an ``npt.NDArray[X]`` annotation names; float64 when it names none."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) is np.ndarray and len(args) == 2:  # noqa: PLR2004
        args = typing.get_args(args[1])  # (shape, dtype[X]) -> (X,)
    if args and isinstance(args[0], type) and issubclass(args[0], np.generic):
        return np.dtype(args[0])
    return np.dtype(np.float64)


def array_to_json(arr: npt.NDArray[Any]) -> list[Any]:
    """Nested lists of Python numbers; a float that is not finite becomes None."""
    if arr.dtype.kind != "f":
        return list(arr.tolist())
    out = arr.astype(object)
    out[~np.isfinite(arr)] = None
    return list(out.tolist())


def array_from_json(value: object, dtype: np.dtype[Any]) -> npt.NDArray[Any]:
    """The array of nested lists ``value``; an InvalidValueError says what is wrong.

    Rows must have equal lengths; a float array takes numbers and None (NaN), an
    integer array integers only; booleans and text are refused.
    """
    rectangular = "a rectangular nested list (rows of equal length)"
    if not isinstance(value, list):
        raise InvalidValueError(
            field="array", value=value, expected="a (nested) list of numbers"
        )
    try:
        raw = np.array(value, dtype=object)
    except ValueError:  # numpy refuses some ragged nestings outright
        raise InvalidValueError(
            field="array", value=value, expected=rectangular
        ) from None
    leaves = raw.reshape(-1).tolist()
    if any(isinstance(x, list) for x in leaves):
        raise InvalidValueError(field="array", value=value, expected=rectangular)
    floats = dtype.kind == "f"
    for x in leaves:
        ok = isinstance(x, int) or (floats and (x is None or isinstance(x, float)))
        if isinstance(x, bool) or not ok:
            what = "numbers or null" if floats else "integers"
            raise InvalidValueError(
                field="array",
                value=value,
                expected=f"a (nested) list of {what}; found {x!r}",
            )
    if floats:
        raw[raw == None] = np.nan  # noqa: E711 - elementwise: the nulls of the JSON
    return raw.astype(dtype).reshape(raw.shape)


def array_key(arr: npt.NDArray[Any] | None) -> object:
    """The ``eq`` key of an array field: shape, dtype and values, two NaN equal."""
    if arr is None:
        return None
    values = arr.astype(object)
    if arr.dtype.kind == "f":
        values[np.isnan(arr)] = None
    return (arr.shape, arr.dtype.str, tuple(values.reshape(-1).tolist()))
