"""Decimal text read from its UTF-8 bytes, for the rows that can be proven (private).

`parse_numbers` checks every row's text with a regular expression, removes the
thousands separators, puts ``.`` for the decimal separator and casts: five Arrow
passes over a column of amounts, the largest cost of mapping an export. A column of
amounts has few *shapes*: replace every ASCII digit by ``0`` and ``"1.234,56"`` and
``"9.876,54"`` are both ``"0.000,00"``. `proven_decimals` works on the Arrow buffers
with numpy: each row's shape is one vectorised byte substitution, the distinct shapes
(a few dozen) are checked against the same regular expression in Python, and the rows
of a shape that fits have their separators removed in the buffer and are cast by the
same Arrow cast `parse_numbers` uses, so their values are bit for bit the ones it gives.

A shape is accepted only when it is made of ``0``, the two separators and the signs
alone, and fits the pattern: no whitespace to strip, no non-ASCII digit, no blank.
Every other row (missing, blank, padded, wrong separators, exponents, other digits)
is left unproven, for `parse_numbers`' exact path to read with its own messages.
"""

from __future__ import annotations

import re
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["number_pattern", "proven_decimals"]

#: The bytes a proven shape may hold besides the separators: a digit (as ``0``), signs.
_PLAIN: Final = frozenset("0+-")
#: Offsets dtype of the Arrow string types whose buffers are read.
_OFFSETS: Final[dict[str, type[np.signedinteger[Any]]]] = {
    "string": np.int32,
    "large_string": np.int64,
}
_ZERO: Final = np.uint8(ord("0"))


def number_pattern(*, decimal: str, thousands: str, whole: bool) -> str:
    r"""The regular expression a decimal text must fully match (sign, groups, fraction).

    Digits are ASCII only: a text with other digits (``"١"``) is refused in every
    storage (Python's ``\d`` would read it, Arrow's cast would fail on it).

    Examples:
        >>> print(number_pattern(decimal=",", thousands=".", whole=False))
        [+-]?(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)(?:,[0-9]+)?
    """
    t, d = re.escape(thousands), re.escape(decimal)
    integer = rf"[0-9]+|[0-9]{{1,3}}(?:{t}[0-9]{{3}})+" if thousands else r"[0-9]+"
    fraction = "" if whole else rf"(?:{d}[0-9]+)?"
    return rf"[+-]?(?:{integer}){fraction}"


def _arrow_text(source: pd.Series) -> Any | None:  # noqa: ANN401 - pyarrow is untyped
    """An Arrow-held text column as one Arrow array with a data buffer, else ``None``."""
    dtype = source.dtype
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    arrow = getattr(source.array, "__arrow_array__")().combine_chunks()  # noqa: B009
    if str(arrow.type) not in _OFFSETS or arrow.buffers()[2] is None:
        return None
    return arrow


def _shapes(
    arrow: Any,  # noqa: ANN401 - pyarrow is untyped
    data: npt.NDArray[np.uint8],
    offsets: npt.NDArray[np.signedinteger[Any]],
) -> tuple[list[str], npt.NDArray[np.intp]]:
    """The distinct shapes (ASCII digits as ``0``) and each row's shape code."""
    # importable: the column is held by pyarrow
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

    shape = np.where(data - _ZERO < 10, _ZERO, data)  # noqa: PLR2004 - ten digits
    array = type(arrow).from_buffers(
        len(arrow), pa.py_buffer(offsets), pa.py_buffer(shape)
    )
    encoded = pc.dictionary_encode(array)
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    return encoded.dictionary.to_pylist(), codes


def _accepted(
    shapes: list[str], *, decimal: str, thousands: str, whole: bool
) -> npt.NDArray[np.bool_]:
    """Which shapes are plain (digits, separators, signs) and fit the pattern."""
    allowed = _PLAIN | {decimal, thousands}
    pattern = re.compile(
        number_pattern(decimal=decimal, thousands=thousands, whole=whole)
    )
    return np.array(
        [set(s) <= allowed and pattern.fullmatch(s) is not None for s in shapes],
        dtype=np.bool_,
    )


def proven_decimals(
    source: pd.Series, *, decimal: str, thousands: str, whole: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]] | None:
    """The values of the rows whose text is proven a plain decimal, and which rows.

    ``None`` when the column is not Arrow-held text (nothing is proven); otherwise
    ``(values, proven)`` where ``values[proven]`` are what `parse_numbers` gives for
    those rows (without scaling) and the other rows are left to it.
    """
    arrow = _arrow_text(source)
    if arrow is None or len(arrow) == 0:
        return None
    # importable: the column is held by pyarrow
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    n, kind = len(arrow), _OFFSETS[str(arrow.type)]
    raw = np.frombuffer(
        arrow.buffers()[1], kind, n + 1, arrow.offset * np.dtype(kind).itemsize
    )
    low, high = int(raw[0]), int(raw[-1])
    offsets = (raw - low).astype(kind)
    data = np.frombuffer(arrow.buffers()[2], np.uint8)[low:high]
    shapes, codes = _shapes(arrow, data, offsets)
    proven = _accepted(shapes, decimal=decimal, thousands=thousands, whole=whole)[codes]
    if arrow.null_count:
        proven &= np.asarray(arrow.is_valid().to_numpy(zero_copy_only=False), np.bool_)
    values = np.full(n, np.nan)
    if not proven.any():
        return values, proven
    if thousands:  # the separators of each row are counted once per shape
        per_shape = np.array([s.count(thousands) for s in shapes], dtype=np.int64)
        removed = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_shape[codes], out=removed[1:])
        data = data[data != ord(thousands)]
        offsets = (offsets - removed).astype(kind)
    if decimal != ".":
        data = np.where(data == ord(decimal), np.uint8(ord(".")), data)
    clean = type(arrow).from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    if not proven.all():
        clean = pc.filter(clean, pa.array(proven))
    # pandas' ``astype("float64[pyarrow]")`` in `parse_numbers` is this cast
    values[proven] = clean.cast(pa.float64()).to_numpy(zero_copy_only=False)
    return values, proven
