"""Input checks of binning: the 0/1 target, sample weights, the feature, raw levels.

The event is a **bad** (target 1). Every check raises `InvalidValueError` naming the
argument (and the first bad index where there is one).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm.errors import InvalidValueError

__all__ = ["as_binary_target"]

#: Raw values of a variable: numbers, or level labels (None or NaN is missing).
RawValues = npt.ArrayLike | Sequence[object]


def is_missing(arr: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """None or NaN, elementwise, for an object array."""
    none = np.equal(arr, np.asarray(None, dtype=object))
    nan = np.not_equal(arr, arr)
    out: npt.NDArray[np.bool_] = np.asarray(none | nan, dtype=bool)
    return out


def level_codes(
    values: RawValues, levels: Sequence[str], *, name: str
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Position of each value in sorted `levels` (-1 unseen) and the missing mask."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one-dimensional"
        )
    missing = is_missing(arr)
    text = np.where(missing, "", arr).astype(str)
    lv = np.asarray(levels, dtype=str)
    if len(lv) == 0:
        return np.full(len(arr), -1, dtype=np.int64), missing
    pos = np.searchsorted(lv, text).clip(0, len(lv) - 1)
    found = lv[pos] == text
    codes = np.where(found & ~missing, pos, -1).astype(np.int64)
    return codes, missing


def as_binary_target(
    target: npt.ArrayLike, *, name: str = "target", feature: str | None = None
) -> npt.NDArray[np.float64]:
    """Validate a 0/1 target (1 = bad, the event) and return it as float64.

    Args:
        target: The target, shape `(n,)`.
        name: Its name in error messages.
        feature: The feature being fitted, named in the error of a one-class target.

    Raises:
        InvalidValueError: a value is NaN, infinite or not 0/1 (names the first index),
            the target is empty, or only one class is present.

    Examples:
        >>> as_binary_target([0, 1, 1]).tolist()
        [0.0, 1.0, 1.0]
        >>> as_binary_target([0, 0])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `target` must be both classes, 0 (good) and 1 (bad); got 'only 0'.
    """
    y = as_float_array(target, name=name, allow_empty=False, allow_bool=True)
    bad = (y != 0.0) & (y != 1.0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]", value=float(y[i]), expected="0 (good) or 1 (bad)"
        )
    n_bad = int(y.sum())
    if n_bad in {0, len(y)}:
        raise InvalidValueError(
            field=name,
            value=f"only {int(y[0])}",
            expected="both classes, 0 (good) and 1 (bad)",
            hint=_while(feature),
        )
    return y


def _while(feature: str | None) -> str:
    return "" if feature is None else f"Raised while binning `{feature}`."


def as_weights(
    weights: npt.ArrayLike | None, target: FloatArray, *, feature: str | None = None
) -> FloatArray | None:
    """Validate optional non-negative sample weights, one per `target` row (`None` passes).

    Raises:
        InvalidValueError: a weight is negative or not finite, the weights are all
            zero, or the lengths differ; names `feature` when given.

    Examples:
        >>> as_weights([1.0, 2.0], np.array([0.0, 1.0])).tolist()
        [1.0, 2.0]
    """
    if weights is None:
        return None
    try:
        w = as_float_array(weights, name="weights", lower=0)
    except InvalidValueError as exc:
        raise InvalidValueError(
            field=exc.field, value=exc.value, expected=exc.expected,
            hint=_while(feature),
        ) from None  # fmt: skip
    check_same_length(target=target, weights=w)
    if len(w) and not w.any():
        raise InvalidValueError(
            field="weights",
            value="all zero",
            expected="a positive total weight",
            hint=_while(feature),
        )
    return w


def check_class_weights(goods: float, bads: float, feature: str) -> None:
    """Refuse weights that leave a class (goods or bads) with no weight at all."""
    if goods <= 0 or bads <= 0:
        raise InvalidValueError(
            field="weights",
            value="zero weight on a class",
            expected="positive weight on both classes",
            hint=_while(feature),
        )


def check_feature(clean: npt.NDArray[np.bool_], name: str) -> None:
    """Refuse a numeric feature without any ordinary (clean) value.

    A constant feature is refused by `check_not_constant` once the values are sorted.
    """
    if not clean.any():
        raise InvalidValueError(
            field=name,
            value="all missing or special",
            expected="at least two distinct ordinary values",
        )


def check_not_constant(xs: FloatArray, xc: FloatArray, name: str) -> None:
    """Refuse a feature whose ordinary values `xc` (sorted: `xs`) are all equal."""
    if xs[0] == xs[-1]:
        raise InvalidValueError(
            field=name,
            value=f"constant {xc[0]:g}",
            expected="at least two distinct ordinary values",
        )
