"""Uniqueness of an Arrow text column from its buffers (private to `lendcrm.frames`).

`proven_unique_text` reads the UTF-8 bytes and offsets of an Arrow-backed string
column and packs each value's bytes, zero-padded, into big-endian 64-bit words: equal
strings give equal words, and the words compare like the strings. Ids already in
order (the usual export) are proven distinct by one comparison of neighbours; others
by a sort of a hash of the words. No Python string is made per row. When the proof
fails (a repeat, a hash collision, a NUL byte, nulls, another storage) the caller
runs the exact check that names the repeated rows.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["proven_unique_text"]

#: Offsets dtype of the Arrow string types whose buffers are read.
_OFFSETS: Final = {"string": np.int32, "large_string": np.int64}
#: Bytes per packed word.
_WORD = 8
#: ``_KEEP_MASKS[k]`` keeps the first ``k`` bytes of a big-endian word.
_KEEP_MASKS: Final = np.array(
    [(2**64 - 1) ^ (2 ** (8 * (8 - k)) - 1) for k in range(9)], dtype=np.uint64
)
#: Odd multipliers of the word hash (fixed: reproducible runs).
_MULTIPLIERS: Final = (
    np.random.default_rng(20261207).integers(0, 2**62, 64, dtype=np.uint64) * 2 + 1
)


def _buffers(
    column: pd.Series,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]] | None:
    """Offsets (``n + 1``) and UTF-8 bytes of Arrow text without nulls, else None."""
    dtype = column.dtype
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    arrow = getattr(column.array, "__arrow_array__")().combine_chunks()  # noqa: B009
    offsets_type = _OFFSETS.get(str(arrow.type))
    if offsets_type is None or arrow.null_count:
        return None
    n = len(arrow)
    _, offsets_buffer, data_buffer = arrow.buffers()
    if data_buffer is None:
        return None
    offsets = np.frombuffer(offsets_buffer, dtype=offsets_type)[
        arrow.offset : arrow.offset + n + 1
    ].astype(np.int64)
    return offsets, np.frombuffer(data_buffer, dtype=np.uint8)


def _packed_words(
    offsets: npt.NDArray[np.int64], data: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint64]:
    """Each value's bytes, zero-padded to whole words, as ``(n, words)`` uint64.

    Big-endian packing: comparing the rows word by word compares the byte strings.
    Word ``k`` of every value is read in one gather (the eight bytes from the value's
    start plus ``8 k``), then the bytes past the value's end are masked off.
    """
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    width = int(lengths.max())
    n_words = max(1, -(-width // _WORD))
    if width and int(lengths.min()) == width and width % _WORD == 0:  # a matrix
        block = data[offsets[0] : offsets[-1]].reshape(n, n_words * _WORD)
        return np.ascontiguousarray(block).view(">u8").astype(np.uint64)
    padded = np.concatenate(
        [data[: offsets[-1]], np.zeros(_WORD * n_words, dtype=np.uint8)]
    )
    # every eight-byte window of the bytes, as big-endian words (an unaligned view)
    windows = np.ndarray(
        shape=(len(padded) - _WORD + 1,), dtype=">u8", buffer=padded, strides=(1,)
    )
    words = np.empty((n, n_words), dtype=np.uint64)
    for k in range(n_words):  # over words, not rows
        kept = np.clip(lengths - _WORD * k, 0, _WORD)  # the value's bytes in it
        np.bitwise_and(
            windows[offsets[:-1] + _WORD * k], _KEEP_MASKS[kept], out=words[:, k]
        )
    return words


def _strictly_increasing(words: npt.NDArray[np.uint64]) -> bool:
    """Whether the rows of ``words`` increase strictly (lexicographically)."""
    greater = words[1:, 0] > words[:-1, 0]
    equal = words[1:, 0] == words[:-1, 0]
    for k in range(1, words.shape[1]):
        if not equal.any():
            break
        greater |= equal & (words[1:, k] > words[:-1, k])
        equal &= words[1:, k] == words[:-1, k]
    return bool(greater.all())


def proven_unique_text(column: pd.Series) -> bool:
    """Whether ``column`` is Arrow text whose values are shown to be all distinct.

    ``False`` means "not shown", not "repeated": the caller then checks exactly.
    O(n * width) for ids in order, plus one sort of n hashes otherwise.
    """
    buffers = _buffers(column)
    if buffers is None:
        return False
    offsets, data = buffers
    if len(offsets) < 3:  # noqa: PLR2004 - fewer than two values
        return len(offsets) == 2  # noqa: PLR2004 - one value is unique
    words = _packed_words(offsets, data)
    if _strictly_increasing(words):
        return True
    if words.shape[1] == 1:  # the word is the value: exact
        keys = words[:, 0].copy()
    else:
        if words.shape[1] > len(_MULTIPLIERS):
            return False
        keys = words @ _MULTIPLIERS[: words.shape[1]]
    # timsort: ids numbered without padding (C1, C10, C100, ...) come in long runs
    keys.sort(kind="stable")
    return not bool((keys[1:] == keys[:-1]).any())
