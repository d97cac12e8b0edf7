"""The numeric input boundary: coerce once, validate once, name the first bad index.

Every public numeric function of lendcrm passes its array arguments through
:func:`as_float_array` (and friends) before computing, so a NaN, an infinity or a value
outside the allowed range is reported as an `InvalidValueError` naming the argument and
the first offending index, never carried on as a silent wrong number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from lendcrm._messages import range_text
from lendcrm.errors import InvalidValueError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

_NO_BOUND: Final = None


#: Wording of the refusals of `numeric_array`, by what the value is.
_NOT_A_NUMBER: Final = {
    "text": "a number, not text (convert text to numbers before the call)",
    "bool": "a number, not a boolean (pass 0.0/1.0 if a number is meant)",
    "complex": "a real number, not a complex one",
}
_NUMBERS: Final = "numbers (an array-like of floats)"


def _what_kind(item: object, *, allow_bool: bool) -> str | None:
    """``text``, ``bool`` or ``complex`` for an item that is not a real number."""
    if isinstance(item, str | bytes):
        return "text"
    if isinstance(item, bool | np.bool_) and not allow_bool:
        return "bool"
    if isinstance(item, complex | np.complexfloating):
        return "complex"
    return None


def _refuse(arr: npt.NDArray[Any], i: int, kind: str, name: str) -> InvalidValueError:
    item = arr.reshape(-1)[i]
    value = item.item() if isinstance(item, np.generic) else item
    field = name if arr.ndim == 0 else f"{name}[{i}]"
    return InvalidValueError(field=field, value=value, expected=_NOT_A_NUMBER[kind])


def _list_holds_bool(values: object, raw: npt.NDArray[Any]) -> bool:
    """Whether a list or tuple that numpy read as numbers had a boolean among them."""
    if not isinstance(values, list | tuple) or raw.size == 0:
        return False
    items = (
        values if raw.ndim == 1 else np.asarray(values, dtype=object).ravel().tolist()
    )
    types = set(map(type, items))
    return bool in types or np.bool_ in types


def numeric_array(
    values: npt.ArrayLike, *, name: str, allow_bool: bool = False
) -> npt.NDArray[Any]:
    """Return ``values`` as an integer or float array; refuse text, booleans, complex.

    NumPy would turn ``'0.01'`` into 0.01, ``True`` into 1.0 and drop an imaginary
    part; here each is an error naming the first offending index. Object arrays are
    checked item by item and then converted. No copy is made for a numeric array.
    ``allow_bool`` accepts booleans as 0/1 where a boolean is the meaning (a target).

    Raises:
        InvalidValueError: an item is text, a boolean or complex, or the input is not
            numeric at all (dates, ragged nesting, arbitrary objects).

    Examples:
        >>> numeric_array([1, 2.5], name="limit")
        array([1. , 2.5])
        >>> numeric_array([1.0, "0.01"], name="limit")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `limit[1]` must be a number, not text (convert text to numbers before the call); got '0.01'.
    """
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):
        raise InvalidValueError(field=name, value=values, expected=_NUMBERS) from None
    kind = raw.dtype.kind
    if kind in "fiu" and (allow_bool or not _list_holds_bool(values, raw)):
        return raw
    if kind == "b" and allow_bool:
        return raw.astype(np.float64)
    if (kind in "USc" and not isinstance(values, np.ndarray)) or kind in "fiu":
        # find the item that was text or complex, or the boolean numpy read as 1.0
        raw = np.asarray(values, dtype=object)
        kind = "O"
    if kind in "USbc" and raw.size:
        what = {"U": "text", "S": "text", "b": "bool", "c": "complex"}[kind]
        raise _refuse(raw, 0, what, name)
    if kind == "O":
        for i, item in enumerate(raw.reshape(-1).tolist()):
            what_kind = _what_kind(item, allow_bool=allow_bool)
            if what_kind is not None:
                raise _refuse(raw, i, what_kind, name)
        try:
            return np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            pass
    raise InvalidValueError(field=name, value=values, expected=_NUMBERS)


def as_float_array(
    values: npt.ArrayLike,
    *,
    name: str,
    lower: float | None = _NO_BOUND,
    upper: float | None = _NO_BOUND,
    lower_open: bool = False,
    upper_open: bool = False,
    allow_empty: bool = True,
    allow_nan: bool = False,
    allow_bool: bool = False,
) -> FloatArray:
    """Return ``values`` as a finite 1-d float64 array, or raise naming the first bad index.

    Scalars become shape ``(1,)``. The input is not modified; a copy is made only
    when the dtype or layout requires it.

    Args:
        values: Scalar, sequence, numpy array or pandas Series of numbers.
        name: The argument's name, used in error messages.
        lower: Smallest allowed value (``None``: unbounded).
        upper: Largest allowed value (``None``: unbounded).
        lower_open: Exclude ``lower`` itself.
        upper_open: Exclude ``upper`` itself.
        allow_empty: Accept a zero-length array.
        allow_nan: Accept NaN (documented as "missing") while still refusing infinity.
        allow_bool: Accept booleans as 0.0/1.0 (where a boolean is the meaning).

    Returns:
        Float64 array of shape ``(n,)``.

    Raises:
        InvalidValueError: not numeric (text, booleans and complex numbers are refused,
            see `numeric_array`), not 1-d, empty when not allowed, non-finite, or
            out of range; ``field`` is ``name[i]`` for the first bad index ``i``.

    Examples:
        >>> as_float_array([0.1, 0.2], name="default_probability", lower=0, upper=1)
        array([0.1, 0.2])
        >>> as_float_array([0.1, 1.5], name="default_probability", lower=0, upper=1)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `default_probability[1]` must be a finite number in [0, 1]; got 1.5.
    """
    arr = numeric_array(values, name=name, allow_bool=allow_bool)
    arr = arr.astype(np.float64, copy=False)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    elif arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one-dimensional"
        )
    if not allow_empty and arr.size == 0:
        raise InvalidValueError(
            field=name, value=[], expected="a non-empty array (at least one value)"
        )
    expected = range_text(lower, upper, lower_open=lower_open, upper_open=upper_open)
    bad = np.isinf(arr) if allow_nan else ~np.isfinite(arr)
    if lower is not None:
        bad |= (arr <= lower) if lower_open else (arr < lower)
    if upper is not None:
        bad |= (arr >= upper) if upper_open else (arr > upper)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]", value=_shown_item(values, arr, i), expected=expected
        )
    return arr


def _shown_item(values: npt.ArrayLike, arr: FloatArray, i: int) -> float | None:
    """The bad item as the caller passed it: a missing ``None`` is shown as None."""
    if np.isnan(arr[i]) and not isinstance(values, np.ndarray | float | int):
        items = np.asarray(values, dtype=object).reshape(-1)
        if items.shape[0] == arr.shape[0] and items[i] is None:
            return None
    return float(arr[i])


def as_bool_array(values: npt.ArrayLike, *, name: str) -> BoolArray:
    """Return ``values`` as a 1-d bool array; numbers must be exactly 0 or 1.

    Raises:
        InvalidValueError: a value is neither a boolean nor 0/1; names the first index.

    Examples:
        >>> as_bool_array([1, 0, True], name="watchlist")
        array([ True, False,  True])
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "US" and isinstance(values, list | tuple):
        # numpy turns [True, "x"] into the text ["True", "x"]: read the items as given,
        # so the refusal names the first item that is text, not the first boolean
        arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.dtype == np.bool_:
        return arr
    num = as_float_array(arr, name=name, allow_bool=True)
    bad = (num != 0.0) & (num != 1.0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]", value=float(num[i]), expected="a boolean (0 or 1)"
        )
    return num.astype(np.bool_)


def refuse_overflow(result: FloatArray, *, name: str, inputs: str) -> FloatArray:
    """Return ``result``, or refuse its first infinity: finite inputs that overflowed.

    For results computed from validated (finite) inputs, an infinity can only be an
    overflow of float64 (its maximum is about 1.8e308); it is refused naming the
    result and the inputs that were too large, instead of being returned.

    Raises:
        InvalidValueError: ``result`` holds an infinity; names its first index.

    Examples:
        >>> import numpy as np
        >>> refuse_overflow(np.array([1.0, np.inf]), name="llcr", inputs="cfads")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `llcr[1]` must be a finite result (cfads too large for a float, whose maximum is 1.8e308); got inf.
    """
    inf = np.isinf(result)
    if inf.any():
        i = int(np.argmax(inf))
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=float(result[i]),
            expected=f"a finite result ({inputs} too large for a float, whose "
            "maximum is 1.8e308)",
        )
    return result


def check_same_length(**arrays: npt.NDArray[np.generic]) -> int:
    """Return the common length of the named arrays, or raise naming the odd one out.

    Raises:
        InvalidValueError: two arrays differ in length.

    Examples:
        >>> import numpy as np
        >>> check_same_length(default_probability=np.zeros(3), lgd=np.zeros(3))
        3
    """
    items = list(arrays.items())
    first_name, first = items[0]
    for other_name, other in items[1:]:
        if len(other) != len(first):
            raise InvalidValueError(
                field=other_name,
                value=f"length {len(other)}",
                expected=f"the same length as `{first_name}` ({len(first)})",
            )
    return len(first)


def align(**arrays: FloatArray) -> list[FloatArray]:
    """Broadcast length-1 arrays to the common length; refuse any other mismatch.

    The common length is the longest; the error names the odd array and the first
    array of the common length.

    Raises:
        InvalidValueError: an array's length is neither 1 nor the common length.

    Examples:
        >>> import numpy as np
        >>> p, g = align(default_probability=np.array([0.1, 0.2]), lgd=np.array([0.4]))
        >>> [p.tolist(), g.tolist()]
        [[0.1, 0.2], [0.4, 0.4]]
    """
    n = max(a.shape[0] for a in arrays.values())
    ref = next(k for k, a in arrays.items() if a.shape[0] == n)
    out: list[FloatArray] = []
    for key, arr in arrays.items():
        if arr.shape[0] not in (1, n):
            raise InvalidValueError(
                field=key,
                value=f"length {arr.shape[0]}",
                expected=f"length 1 or the same length as `{ref}` ({n})",
            )
        out.append(np.broadcast_to(arr, (n,)))
    return out


G = TypeVar("G", bound=np.generic)


def align_to(n: int, per: str, **arrays: npt.NDArray[G]) -> list[npt.NDArray[G]]:
    """Broadcast each array to the known length ``n``; refuse any other length.

    Where the common length is fixed by something else (a schedule's facilities, an
    exposure matrix's rows), :func:`align` is not enough: two arrays of the same
    wrong length agree with each other.

    Raises:
        InvalidValueError: an array's length is neither 1 nor ``n``.

    Examples:
        >>> import numpy as np
        >>> [a.tolist() for a in align_to(2, "facility", lgd=np.array([0.4]))]
        [[0.4, 0.4]]
        >>> align_to(2, "facility", ccf=np.zeros(3))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `ccf` must be length 1 or one per facility (2); got 'length 3'.
    """
    out: list[npt.NDArray[G]] = []
    for key, arr in arrays.items():
        if arr.shape[0] not in (1, n):
            raise InvalidValueError(
                field=key,
                value=f"length {arr.shape[0]}",
                expected=f"length 1 or one per {per} ({n})",
            )
        out.append(np.broadcast_to(arr, (n,)))
    return out


E = TypeVar("E", bound=StrEnum)


def enum_codes(
    values: object, enum: type[E], *, name: str
) -> tuple[tuple[E, ...], IntArray]:
    """Map one label or an array of labels onto `enum` members, vectorised.

    Returns the members in order and, per row, the index of its member. Raises naming
    the first index whose label is not a member.

    Examples:
        >>> from enum import StrEnum
        >>> class Colour(StrEnum):
        ...     RED = "red"
        ...     BLUE = "blue"
        >>> members, codes = enum_codes(["blue", "red", "blue"], Colour, name="colour")
        >>> [m.value for m in members], codes.tolist()
        (['red', 'blue'], [1, 0, 1])
        >>> enum_codes("green", Colour, name="colour")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `colour` must be one of 'red', 'blue'; got 'green'.
    """
    if isinstance(values, str):
        try:
            member = enum(values)
        except ValueError:
            known = ", ".join(repr(m.value) for m in enum)
            raise InvalidValueError(
                field=name, value=values, expected=f"one of {known}"
            ) from None
        return (member,), np.zeros(1, dtype=np.int64)
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one-dimensional"
        )
    members = tuple(enum)
    labels = np.array([m.value for m in members], dtype=object)
    as_str = arr.astype(str)
    uniq, inverse = np.unique(as_str, return_inverse=True)
    lookup = np.full(len(uniq), -1, dtype=np.int64)
    for j, label in enumerate(uniq.tolist()):  # one step per distinct label, not row
        hit = np.flatnonzero(labels == label)
        if hit.size:
            lookup[j] = int(hit[0])
    codes = lookup[inverse.reshape(-1)]
    if (codes < 0).any():
        i = int(np.argmax(codes < 0))
        known = ", ".join(repr(m.value) for m in members)
        raise InvalidValueError(
            field=f"{name}[{i}]", value=arr[i], expected=f"one of {known}"
        )
    return members, codes


K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable, picklable mapping for fields of frozen parameter objects.

    `types.MappingProxyType` is read-only but neither hashable nor picklable, so a
    regime or policy holding one could not be hashed or shipped to Dask/Spark workers.

    Examples:
        >>> import pickle
        >>> m = FrozenMap({"a": 1.0})
        >>> pickle.loads(pickle.dumps(m)) == m, hash(m) == hash(FrozenMap({"a": 1.0}))
        (True, True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V]) -> None:
        """Copy `data`; later changes to it do not show through."""
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        """Look up `key`."""
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        """Iterate over the keys in insertion order."""
        return iter(self._data)

    def __len__(self) -> int:
        """Number of entries."""
        return len(self._data)

    def __hash__(self) -> int:
        """Hash of the entries, independent of insertion order."""
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        """Equal to any mapping with the same entries."""
        return isinstance(other, Mapping) and dict(self._data) == dict(other)

    def __repr__(self) -> str:
        """Show the entries like a dict."""
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle through the constructor."""
        return (FrozenMap, (self._data,))
