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

__all__ = [
    "MAX_CODE_WIDTH",
    "ColumnTexts",
    "Lengths",
    "Utf8",
    "fixed_width_within",
    "utf8_of",
]

#: Widest values (bytes) `fixed_width_within` reads as integers.
MAX_CODE_WIDTH: Final = 4
#: Values looked up per block by `fixed_width_within` (its temporaries fit a cache).
_BLOCK: Final = 1 << 15
#: Codes of one or two bytes looked up per block by `fixed_width_within`.
_DIRECT_BLOCK: Final = 1 << 16
#: Changes of length `Lengths.steps` lists at most (ids numbered up to eight bytes
#: change length at most seven times).
_MAX_STEPS: Final = 64
#: Offsets dtype of the Arrow string types whose buffers are read.
_OFFSETS: Final = {"string": np.int32, "large_string": np.int64}


@dataclass(frozen=True)
class Lengths:
    """What the id checks need of a text column's value lengths (`Utf8.summary`)."""

    #: Whether a present value is empty.
    empty: bool
    #: The greatest slot length in bytes (missing Arrow slots included: a superset).
    greatest: int
    #: The slots where the length changes, when lengths never decrease and change
    #: at most `_MAX_STEPS` times; None otherwise.
    steps: tuple[int, ...] | None


@dataclass(frozen=True)
class Utf8:
    """The present values of a text column as bytes.

    Slot ``k`` is ``data[starts[k] : ends[k]]``; the slots are the
    present values, or, for Arrow text with nulls, every row with ``valid`` marking
    the present ones (a missing slot is usually empty, but Arrow does not promise
    it). Bytes of ``data`` outside every value are either the ``separators`` NUL
    bytes put between joined values or bytes of missing Arrow slots: a scan of all
    of ``data`` looks at a superset of the values' bytes. ``lengths`` are computed
    on first use (a column of codes only needs `one_width`).
    """

    data: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.signedinteger[Any]]
    ends: npt.NDArray[np.signedinteger[Any]]
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

    @functools.cached_property
    def lengths(self) -> npt.NDArray[np.signedinteger[Any]]:
        """Each slot's length in bytes."""
        return self.ends - self.starts

    def one_width(self) -> int | None:
        """The length every slot has, or None when they differ (or there is none).

        Computed in blocks that stay in the cache unless ``lengths`` were already
        read: no array of n lengths for a column of codes.
        """
        n = len(self.starts)
        if n == 0:
            return None
        width = int(self.ends[0] - self.starts[0])
        if "lengths" in self.__dict__:
            return None if bool((self.lengths != width).any()) else width
        part = np.empty(min(n, _BLOCK), dtype=np.result_type(self.starts, self.ends))
        for first in range(0, n, _BLOCK):
            m = min(n - first, _BLOCK)
            np.subtract(
                self.ends[first : first + m],
                self.starts[first : first + m],
                out=part[:m],
            )
            if bool((part[:m] != width).any()):
                return None
        return width

    @functools.cached_property
    def summary(self) -> Lengths:
        """The `Lengths` of the slots, from one pass over them in cached blocks."""
        n, valid = len(self.starts), self.valid
        empty, greatest, previous = False, 0, -1
        steps: list[int] | None = []
        part = np.empty(min(n, _BLOCK), dtype=np.result_type(self.starts, self.ends))
        for first in range(0, n, _BLOCK):
            m = min(n - first, _BLOCK)
            lengths = part[:m]
            np.subtract(
                self.ends[first : first + m],
                self.starts[first : first + m],
                out=lengths,
            )
            if valid is None:
                empty = empty or int(lengths.min()) == 0
            else:
                empty = empty or bool(((lengths == 0) & valid[first : first + m]).any())
            greatest = max(greatest, int(lengths.max()))
            if steps is not None:
                steps = _steps(lengths, first, previous, steps)
            previous = int(lengths[-1])
        return Lengths(empty, greatest, None if steps is None else tuple(steps))


def _steps(
    lengths: npt.NDArray[np.signedinteger[Any]],
    first: int,
    previous: int,
    steps: list[int],
) -> list[int] | None:
    """``steps`` and the slots of this block where the length grows; None if it falls.

    ``lengths`` are the slots from ``first`` on; ``previous`` is the length of the
    slot before them (-1 for none). None also when there are over `_MAX_STEPS`.
    """
    here = np.flatnonzero(lengths[1:] != lengths[:-1])
    if len(here) + len(steps) >= _MAX_STEPS:
        return None
    if bool((lengths[here + 1] < lengths[here]).any()):
        return None  # a value shorter than the one before
    if previous >= 0 and int(lengths[0]) != previous:
        if int(lengths[0]) < previous:
            return None
        steps.append(first)
    steps.extend((here + first + 1).tolist())
    return steps


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
    if offsets[0]:  # a slice: offsets into a shared buffer
        offsets = offsets - offsets[0]
    starts, ends = offsets[:-1], offsets[1:]
    nulls = arrow.null_count
    valid = None
    if nulls:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        valid = bits[arrow.offset : arrow.offset + n].view(np.bool_)
    return Utf8(data, starts, ends, 0, nulls, contiguous=not nulls, valid=valid)


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
    return Utf8(data, starts, ends, n - 1, nulls, contiguous=n == 1)


def _empty() -> npt.NDArray[np.int64]:
    return np.zeros(0, dtype=np.int64)


def fixed_width_within(utf8: Utf8, allowed: Iterable[str]) -> bool | None:
    """Whether every value is one of ``allowed``, read as integers; None if unsure.

    For values all of one width of at most four bytes lying back to back (country and
    currency codes): each value's bytes are one little-endian integer (a view of the
    bytes, strided for three). Codes of one or two bytes index a table of every
    integer of their width (`_directly_within`); wider ones a table of the allowed
    values' integers with a False slot at each end that every integer outside it is
    clipped to (`_clipped_within`: one subtraction and one gather per block of
    values). No hashing. None for other columns: the caller checks them another way.
    """
    n = len(utf8.starts)
    if not utf8.contiguous or n == 0:
        return None
    if not 1 <= int(utf8.ends[0] - utf8.starts[0]) <= MAX_CODE_WIDTH:
        return None
    width = utf8.one_width()
    if width is None:
        return None
    codes = _codes(utf8.data, n, width)
    if width <= 2:  # noqa: PLR2004 - every code is a slot of a 256- or 65536-table
        return _directly_within(codes, _direct_table(frozenset(allowed), width))
    return _clipped_within(utf8, codes, width, _table(frozenset(allowed), width))


def _clipped_within(
    utf8: Utf8,
    codes: npt.NDArray[np.unsignedinteger[Any]],
    width: int,
    table: tuple[npt.NDArray[np.bool_], int],
) -> bool:
    """Whether every code of three or four bytes is in ``table`` (`_table`).

    In blocks that stay in the cache (the positions are 8 bytes per 3-4 read); each
    code minus the table's least, clipped to the False slots at its ends.
    """
    known, low = table
    if len(known) == 0:
        return False
    if width == 3:  # noqa: PLR2004 - the last code, past the four-byte windows
        n = len(utf8.starts)
        last = int.from_bytes(utf8.data[3 * n - 3 : 3 * n].tobytes(), "little")
        if not known[min(max(last - low + 1, 0), len(known) - 1)]:
            return False
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


def _directly_within(
    codes: npt.NDArray[np.unsignedinteger[Any]], known: npt.NDArray[np.bool_]
) -> bool:
    """Whether every code (one or two bytes) is allowed: ``known[code]`` for each.

    When every integer between the least and the greatest code is allowed (one code,
    or a run of letters such as the NACE sections), two reductions decide; otherwise
    the codes index the table in blocks (no subtraction, no bounds to clip).
    """
    if bool(known[int(codes.min()) : int(codes.max()) + 1].all()):
        return True
    hit = np.empty(min(len(codes), _DIRECT_BLOCK), dtype=np.bool_)
    for first in range(0, len(codes), _DIRECT_BLOCK):
        part = codes[first : first + _DIRECT_BLOCK]
        np.take(known, part, out=hit[: len(part)])
        if not hit[: len(part)].all():
            return False
    return True


@functools.lru_cache(maxsize=64)
def _direct_table(allowed: frozenset[str], width: int) -> npt.NDArray[np.bool_]:
    """Which integers of ``width`` (1 or 2) bytes, little-endian, are allowed codes.

    One slot per integer (256 or 65,536): a code indexes it as it is. Kept between
    calls, like `_table`.
    """
    known = np.zeros(256**width, dtype=np.bool_)
    for code in allowed:
        encoded = code.encode("utf-8")
        if len(encoded) == width:
            known[int.from_bytes(encoded, "little")] = True
    known.flags.writeable = False
    return known


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
