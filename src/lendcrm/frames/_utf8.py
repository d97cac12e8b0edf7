"""The UTF-8 bytes of a text column, for vectorised scans (private to `lendcrm.frames`).

`utf8_of` gives the present values of a text column as one byte array with each
value's start and length: an Arrow-held column from its buffers (no Python string is
made), Python strings (``str`` storage without pyarrow, or ``object``) joined by NUL
and encoded once. The id rule (`lendcrm.frames._id_rule`) scans those bytes for
anything that may break it, and the uniqueness proof (`lendcrm.frames._text_keys`)
packs them into words; both leave every doubt to their exact checks, so `None` (a
column this cannot read, a value that is not text, an id holding a NUL) only means
"read it the slow way".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["MAX_CODE_WIDTH", "ColumnTexts", "Utf8", "fixed_width_within", "utf8_of"]

#: Widest values (bytes) `fixed_width_within` reads as integers.
MAX_CODE_WIDTH: Final = 4
#: Values looked up per block by `fixed_width_within` (its temporaries fit a cache).
_BLOCK: Final = 1 << 15
#: Offsets dtype of the Arrow string types whose buffers are read.
_OFFSETS: Final = {"string": np.int32, "large_string": np.int64}


@dataclass(frozen=True)
class Utf8:
    """The present values of a text column as bytes.

    Slot ``k`` is ``data[starts[k] : starts[k] + lengths[k]]``; the slots are the
    present values, or, for Arrow text with nulls, every row with ``valid`` marking
    the present ones (a missing slot is usually empty, but Arrow does not promise
    it). Bytes of ``data`` outside every value are either the ``separators`` NUL
    bytes put between joined values or bytes of missing Arrow slots: a scan of all
    of ``data`` looks at a superset of the values' bytes.
    """

    data: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.signedinteger[Any]]
    lengths: npt.NDArray[np.signedinteger[Any]]
    #: NUL bytes in ``data`` that belong to no value (between joined values).
    separators: int
    #: Missing values (left out of the slots, or marked by ``valid``).
    nulls: int
    #: Whether the values lie back to back from ``data[0]`` (one Arrow chunk, no nulls).
    contiguous: bool
    #: Which slots hold a value; None when all do.
    valid: npt.NDArray[np.bool_] | None = None

    def present(
        self,
    ) -> tuple[npt.NDArray[np.signedinteger[Any]], npt.NDArray[np.signedinteger[Any]]]:
        """Starts and lengths of the present values only."""
        if self.valid is None:
            return self.starts, self.lengths
        return self.starts[self.valid], self.lengths[self.valid]


def utf8_of(column: pd.Series) -> Utf8 | None:
    """The present values of ``column`` as UTF-8 bytes, or None if not all are text."""
    dtype = column.dtype
    if (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or (
        isinstance(dtype, pd.ArrowDtype) and str(dtype.pyarrow_dtype) in _OFFSETS
    ):
        return _from_arrow(column)
    if isinstance(dtype, pd.StringDtype) or (
        isinstance(dtype, np.dtype) and dtype.kind == "O"
    ):
        return _from_python(column)
    return None


def _from_arrow(column: pd.Series) -> Utf8 | None:
    chunked = getattr(column.array, "__arrow_array__")()  # noqa: B009
    # one chunk is read in place (combining copies every buffer)
    arrow = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
    offsets_type = _OFFSETS.get(str(arrow.type))
    if offsets_type is None:
        return None
    n = len(arrow)
    validity, offsets_buffer, data_buffer = arrow.buffers()
    # int32 offsets stay int32 (half the memory traffic of int64)
    offsets = np.frombuffer(offsets_buffer, dtype=offsets_type)[
        arrow.offset : arrow.offset + n + 1
    ]
    data = (
        np.zeros(0, dtype=np.uint8)
        if data_buffer is None
        else np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    )
    starts = offsets[:-1] - offsets[0] if offsets[0] else offsets[:-1]
    lengths = np.diff(offsets)
    nulls = arrow.null_count
    valid = None
    if nulls:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        valid = bits[arrow.offset : arrow.offset + n].view(np.bool_)
    return Utf8(data, starts, lengths, 0, nulls, contiguous=not nulls, valid=valid)


def _joined(values: npt.NDArray[np.object_]) -> str | None:
    try:
        return "\x00".join(values)
    except TypeError:  # a missing value, a number or another object among them
        return None


def _from_python(column: pd.Series) -> Utf8 | None:
    values = column.to_numpy(dtype=object)
    nulls = 0
    joined = _joined(values)
    if joined is None:
        present = ~column.isna().to_numpy()
        nulls = len(values) - int(present.sum())
        values = values[present]
        joined = _joined(values)
        if joined is None:
            return None
    try:
        encoded = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: left to the exact check
        return None
    data = np.frombuffer(encoded, dtype=np.uint8)
    n = len(values)
    ends = np.flatnonzero(data == 0)
    if n == 0 or len(ends) != n - 1:  # none, or an id holds a NUL itself
        return None if n else Utf8(data, _empty(), _empty(), 0, nulls, contiguous=True)
    ends = np.append(ends, len(data)).astype(np.int64)
    starts = np.empty(n, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    return Utf8(data, starts, ends - starts, n - 1, nulls, contiguous=n == 1)


def _empty() -> npt.NDArray[np.int64]:
    return np.zeros(0, dtype=np.int64)


def fixed_width_within(utf8: Utf8, allowed: Iterable[str]) -> bool | None:
    """Whether every value is one of ``allowed``, read as integers; None if unsure.

    For values all of one width of at most four bytes lying back to back (country and
    currency codes): each value's bytes are one little-endian integer (a view of the
    bytes, strided for three), looked up in a table of the allowed values' integers
    with a False slot at each end that every integer outside the table is clipped to
    (one subtraction and one gather per block of values, no hashing). None for other columns: the caller
    checks them another way.
    """
    n, lengths = len(utf8.lengths), utf8.lengths
    if not utf8.contiguous or n == 0:
        return None
    width = int(lengths[0])
    if not 1 <= width <= MAX_CODE_WIDTH or bool((lengths != width).any()):
        return None
    known, low = _table(frozenset(allowed), width)
    if len(known) == 0:
        return False
    codes = _codes(utf8.data, n, width)
    if width == 3:  # noqa: PLR2004 - the last code, past the four-byte windows
        last = int.from_bytes(utf8.data[3 * n - 3 : 3 * n].tobytes(), "little")
        if not known[min(max(last - low + 1, 0), len(known) - 1)]:
            return False
    # in blocks that stay in the cache: the positions are 8 bytes per 1-4 read
    index = np.empty(min(len(codes), _BLOCK), dtype=np.intp)
    hit = np.empty(len(index), dtype=np.bool_)
    for first in range(0, len(codes), _BLOCK):
        part = codes[first : first + _BLOCK]
        m = len(part)
        if width == 3:  # noqa: PLR2004 - the fourth byte is the next value's
            np.bitwise_and(part, 0xFFFFFF, out=index[:m], dtype=np.intp)
            index[:m] -= low - 1
        else:
            np.subtract(part, low - 1, out=index[:m], dtype=np.intp)
        np.take(known, index[:m], mode="clip", out=hit[:m])
        if not hit[:m].all():
            return False
    return True


@functools.lru_cache(maxsize=64)
def _table(allowed: frozenset[str], width: int) -> tuple[npt.NDArray[np.bool_], int]:
    """Which integers are allowed codes of ``width`` bytes, from the least one.

    Slot ``k`` is the integer ``low - 1 + k``, with a False slot at each end; empty
    when no allowed code has that width. Kept between calls: a three-byte table spans
    about 1.6 MB, whose pages a fresh table would fault in on every check.
    """
    encoded = [a.encode("utf-8") for a in allowed]
    table = [int.from_bytes(e, "little") for e in encoded if len(e) == width]
    if not table:
        return np.zeros(0, dtype=np.bool_), 0
    low, high = min(table), max(table)
    known = np.zeros(high - low + 3, dtype=np.bool_)  # False below and above
    known[np.array(table, dtype=np.int64) - low + 1] = True
    known.flags.writeable = False
    return known, low


def _codes(
    data: npt.NDArray[np.uint8], n: int, width: int
) -> npt.NDArray[np.unsignedinteger[Any]]:
    """The values of ``width`` bytes back to back in ``data``, little-endian, as a view.

    Three-byte values are four-byte windows three apart whose fourth byte is the
    next value's first (to be masked off); the last value has no window.
    """
    if width != 3:  # noqa: PLR2004 - 1, 2 and 4 bytes are a plain view
        return data[: n * width].view(f"<u{width}")
    return np.ndarray(shape=(n - 1,), dtype="<u4", buffer=data, strides=(3,))


class ColumnTexts:
    """The UTF-8 bytes of a frame's text columns, each read once (`utf8_of`).

    One check of a frame reads an id column for the id rule and again for the
    uniqueness proof; both take it from here.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._read: dict[str, Utf8 | None] = {}

    def of(self, column: str) -> Utf8 | None:
        """The bytes of ``column`` (`utf8_of`), read on first use."""
        if column not in self._read:
            self._read[column] = utf8_of(self._frame[column])
        return self._read[column]
