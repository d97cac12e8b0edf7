"""Uniqueness of a text column from its UTF-8 bytes (private to `lendcrm.frames`).

`proven_unique_text` reads the UTF-8 bytes of a text column (an Arrow column's
buffers, or Python strings joined by NUL and encoded once: `utf8_of`) and packs each
value's bytes, zero-padded, into big-endian 64-bit words: equal strings give equal
words, and the words compare like the strings. Ids already in order (the usual
export) are proven distinct by one comparison of neighbours; others by a sort of a
hash of the words. No set or hash table of Python strings is built. When the proof
fails (a repeat, a hash collision, a NUL byte, nulls, a value that is not text) the
caller runs the exact check that names the repeated rows.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames._utf8 import Utf8, utf8_of

__all__ = ["proven_unique_text"]

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


def _packed_words(utf8: Utf8) -> npt.NDArray[np.uint64]:
    """Each value's bytes, zero-padded to whole words, as ``(n, words)`` uint64.

    Big-endian packing: comparing the rows word by word compares the byte strings.
    Word ``k`` of every value is read in one gather (the eight bytes from the value's
    start plus ``8 k``), then the bytes past the value's end are masked off.
    """
    n, lengths, data = len(utf8.lengths), utf8.lengths, utf8.data
    width = int(lengths.max())
    n_words = max(1, -(-width // _WORD))
    if utf8.contiguous and width and int(lengths.min()) == width and width % _WORD == 0:
        block = data[: n * width].reshape(n, n_words * _WORD)  # a matrix
        return np.ascontiguousarray(block).view(">u8").astype(np.uint64)
    padded = np.concatenate([data, np.zeros(_WORD * n_words, dtype=np.uint8)])
    # every eight-byte window of the bytes, as big-endian words (an unaligned view)
    windows = np.ndarray(
        shape=(len(padded) - _WORD + 1,), dtype=">u8", buffer=padded, strides=(1,)
    )
    words = np.empty((n, n_words), dtype=np.uint64)
    for k in range(n_words):  # over words, not rows
        # the value's bytes in word k (np.clip is slower than the two bounds)
        kept = (
            np.minimum(lengths, _WORD)
            if k == 0
            else np.clip(lengths - _WORD * k, 0, _WORD)
        )
        np.bitwise_and(
            windows[utf8.starts + _WORD * k], _KEEP_MASKS[kept], out=words[:, k]
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
    """Whether ``column`` is text whose values are shown to be all distinct.

    ``False`` means "not shown", not "repeated": the caller then checks exactly.
    O(n * width) for ids in order, plus one sort of n hashes otherwise. Arrow text is
    read from its buffers, Python strings from one NUL-joined encoding (`utf8_of`).
    """
    utf8 = utf8_of(column)
    if utf8 is None or utf8.nulls:
        return False
    if len(utf8.lengths) < 2:  # noqa: PLR2004 - none or one value is unique
        return True
    words = _packed_words(utf8)
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
