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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["Utf8", "fixed_width_within", "utf8_of"]

#: Widest values (bytes) `fixed_width_within` reads as integers.
_MAX_CODE_WIDTH: Final = 4
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
    arrow = getattr(column.array, "__arrow_array__")().combine_chunks()  # noqa: B009
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
    currency codes): each value's bytes are one big-endian integer, looked up in a
    table of the allowed values' integers (one gather, no hashing). None for other
    columns: the caller checks them another way.
    """
    n, lengths = len(utf8.lengths), utf8.lengths
    if not utf8.contiguous or n == 0:
        return None
    width = int(lengths[0])
    if not 1 <= width <= _MAX_CODE_WIDTH or bool((lengths != width).any()):
        return None
    # each value's bytes as one big-endian integer: a strided view of 4-byte windows
    padded = np.concatenate([utf8.data[: n * width], np.zeros(4, dtype=np.uint8)])
    windows = np.ndarray(shape=(n,), dtype=">u4", buffer=padded, strides=(width,))
    codes = windows.astype(np.uint32) >> np.uint32(8 * (4 - width))
    encoded = [a.encode("utf-8") for a in allowed]
    table = [int.from_bytes(e, "big") for e in encoded if len(e) == width]
    if not table:
        return False
    low, high = min(table), max(table)
    if int(codes.min()) < low or int(codes.max()) > high:
        return False
    known = np.zeros(high - low + 1, dtype=np.bool_)
    known[np.array(table, dtype=np.int64) - low] = True
    return bool(known[codes - np.uint32(low)].all())
