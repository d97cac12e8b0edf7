"""Short text ids as 64-bit words: looked up by a binary search, not a hash (#20).

Ids of one width of at most eight UTF-8 bytes (``C0000001``, the usual export) are
each one big-endian word, zero-padded: two ids of that width are equal exactly when
their words are, and the words sort like the ids. The clients' words, sorted once
(already in order in the usual export: one comparison of neighbours proves it and
also that no id repeats), answer every record frame's look-up with
`numpy.searchsorted`: no hash table of a million strings, no Python string made for
text held by pyarrow (its buffers are read), Python strings joined and encoded once.

Anything else (wider or mixed-width ids, a NUL byte, a value that is not text) gives
``None``: the caller then looks the ids up by hashing, as before.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray

__all__ = ["IdTable", "fixed_width_text", "id_table", "id_words"]

#: Bytes per word: the widest id read as one.
WORD: Final = 8
#: Offsets dtype of the Arrow string types whose buffers are read.
_OFFSETS: Final = {"string": np.int32, "large_string": np.int64}

#: ``_KEEP[k]`` keeps the first ``k`` bytes of a big-endian word.
_KEEP: Final = np.array(
    [(2**64 - 1) ^ (2 ** (8 * (WORD - k)) - 1) for k in range(WORD + 1)],
    dtype=np.uint64,
)

_U64 = npt.NDArray[np.uint64]
_Bools = npt.NDArray[np.bool_]


@attrs.frozen(eq=False)
class _Slots:
    """Each value's UTF-8 bytes: ``data[starts[k] : starts[k] + lengths[k]]``.

    ``gap``: bytes between one value's end and the next one's start (0: Arrow's
    buffer, 1: the NUL of joined Python strings), for rows that all hold text.
    """

    data: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    valid: _Bools | None  # None: every row holds text
    gap: int


def _arrow_slots(values: pd.Series | pd.Index) -> _Slots | None:
    arrow = values.array.__arrow_array__().combine_chunks()
    offsets_type = _OFFSETS.get(str(arrow.type))
    if offsets_type is None:
        return None
    n = len(arrow)
    validity, offsets_buffer, data_buffer = arrow.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offsets_type)[
        arrow.offset : arrow.offset + n + 1
    ].astype(np.int64, copy=False)
    data = (
        np.zeros(0, dtype=np.uint8)
        if data_buffer is None
        else np.frombuffer(data_buffer, dtype=np.uint8)
    )
    valid = None
    if arrow.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        valid = bits[arrow.offset : arrow.offset + n].view(np.bool_)
    return _Slots(data, offsets[:-1], np.diff(offsets), valid, 0)


def _python_slots(values: pd.Series | pd.Index) -> _Slots | None:
    objects = np.asarray(values.to_numpy(dtype=object))
    valid = None
    try:
        joined = "\x00".join(objects)
    except TypeError:  # a missing value, or a value that is not text
        valid = ~pd.isna(objects)
        objects = objects[valid]
        try:
            joined = "\x00".join(objects)
        except TypeError:
            return None
    try:
        encoded = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    data = np.frombuffer(encoded, dtype=np.uint8)
    ends = np.flatnonzero(data == 0)
    m = len(objects)
    if len(ends) != max(m - 1, 0):  # an id holds a NUL itself
        return None
    starts = np.zeros(m, dtype=np.int64)
    starts[1:] = ends + 1
    lengths = np.append(ends, len(data)).astype(np.int64) - starts
    if valid is None:
        return _Slots(data, starts, lengths, None, 1)
    every = np.zeros(len(valid), dtype=np.int64)
    widths = np.zeros(len(valid), dtype=np.int64)
    every[valid], widths[valid] = starts, lengths
    return _Slots(data, every, widths, valid, 1)


def _slots(values: pd.Series | pd.Index) -> _Slots | None:
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return _arrow_slots(values)
    if isinstance(dtype, pd.StringDtype) or (
        isinstance(dtype, np.dtype) and dtype.kind == "O"
    ):
        return _python_slots(values)
    return None


def id_words(
    values: pd.Series | pd.Index, width: int | None = None
) -> tuple[_U64, _Bools, int] | None:
    """Each id of ``width`` bytes as a word, which rows are such ids, and the width.

    ``width`` None: the width of the values, which must all be present and of one
    width of at most `WORD` bytes (else None). A row missing, or of another width,
    is marked False (its word is meaningless). None: the values are not all text.
    """
    slots = _slots(values)
    if slots is None:
        return None
    n, lengths = len(slots.lengths), slots.lengths
    if width is None:
        width = int(lengths[0]) if n else 0
        if not 0 < width <= WORD or slots.valid is not None:
            return None
        if not (lengths == width).all():
            return None
    ok = lengths == width
    if slots.valid is not None:
        ok &= slots.valid
    if not ok.any():
        return np.zeros(n, dtype=np.uint64), ok, width
    return _gathered(slots, ok, width), ok, width


def _gathered(slots: _Slots, ok: _Bools, width: int) -> _U64:
    """The first `WORD` bytes from each row's start as a word, cut to ``width``.

    One gather over an unaligned view of every eight-byte window of the bytes (the
    bytes padded with zeros so the last window is whole); rows not ``ok`` read the
    first window. When every row is ``ok`` (all of one width, one after the other)
    the windows are a strided slice: no gather.
    """
    data = slots.data
    if len(data) < WORD or int(slots.starts.max()) + WORD > len(data):
        data = np.concatenate([data, np.zeros(WORD, dtype=np.uint8)])
    windows = np.ndarray(
        shape=(len(data) - WORD + 1,), dtype=">u8", buffer=data, strides=(1,)
    )
    n, step = len(ok), width + slots.gap
    first = int(slots.starts[0]) if n else 0
    strided = windows[first : first + n * step : step]
    last = first + (n - 1) * step
    if bool(ok.all()) and len(strided) == n and int(slots.starts[-1]) == last:
        words = strided.astype(np.uint64)
    else:
        words = windows[np.where(ok, slots.starts, 0)].astype(np.uint64)
    if width < WORD:
        words &= _KEEP[width]
    return words


@attrs.frozen(eq=False)
class IdTable:
    """The clients' ids as sorted words, for look-ups by binary search.

    Attributes:
        width: The ids' byte width.
        words: The clients' words, in the clients' order.
        sorted_words: The same, sorted.
        order: The client row of each sorted word (None: already in order).
    """

    width: int
    words: _U64
    sorted_words: _U64
    order: IntArray | None

    def rows(self, words: _U64, ok: _Bools) -> IntArray:
        """The client row of each word (-1: not a client's, or not ``ok``)."""
        table = self.sorted_words
        at = np.searchsorted(table, words)
        np.minimum(at, len(table) - 1, out=at)
        hit = ok & (table[at] == words)
        found = at if self.order is None else self.order[at]
        return np.where(hit, found, -1).astype(np.int64, copy=False)


def id_table(index: pd.Index[Any]) -> tuple[IdTable, int] | None:
    """The clients' word table and the first row repeating an earlier id (-1: none).

    None when the ids are not all text of one width of at most `WORD` bytes.
    """
    read = id_words(index)
    if read is None:
        return None
    words, _ok, width = read
    if len(words) < 2 or bool(np.all(words[1:] > words[:-1])):  # noqa: PLR2004
        return IdTable(width, words, words, None), -1
    order = np.argsort(words, kind="stable")
    table = words[order]
    again = table[1:] == table[:-1]
    first = int(order[1:][again].min()) if again.any() else -1
    return IdTable(width, words, table, order.astype(np.int64)), first


def fixed_width_text(words: _U64, width: int) -> npt.NDArray[np.str_] | None:
    """Ids read as words, as a fixed-width str array (``<U{width}``); None: not ASCII.

    Each word's first ``width`` bytes widened to code points: the array
    ``np.asarray(ids, dtype=str)`` makes from the ids, without a Python string.
    A byte outside ASCII (a character of several UTF-8 bytes) gives None.

    Examples:
        >>> from lendcrm.relationship._id_words import id_words
        >>> words, _ok, width = id_words(pd.Index(["C01", "C02"]))
        >>> fixed_width_text(words, width)
        array(['C01', 'C02'], dtype='<U3')
        >>> fixed_width_text(*id_words(pd.Index(["é"]))[::2]) is None
        True
    """
    n = len(words)
    raw = words.astype(">u8").view(np.uint8).reshape(n, WORD)[:, :width]
    if n and int(raw.max()) >= 0x80:  # noqa: PLR2004 - the first byte beyond ASCII
        return None
    points = np.ascontiguousarray(raw, dtype=np.uint32)
    return points.view(np.dtype(f"U{width}")).reshape(n)
