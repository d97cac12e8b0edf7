"""Uniqueness of a text column from its UTF-8 bytes (private to `lendcrm.frames`).

`proven_unique_text` reads the UTF-8 bytes of a text column (an Arrow column's
buffers, or Python strings joined by NUL and encoded once: `utf8_of`) and packs each
value's bytes, zero-padded, into big-endian 64-bit words: equal strings give equal
words, and the words compare like the strings. Ids already in order (numbered,
shortest first, or sorted as strings: the usual exports) are proven distinct by one
comparison of neighbours; others by a sort of a hash of the words. No set or hash table of Python strings is built. When the proof
fails (a repeat, a hash collision, a NUL byte, nulls, a value that is not text) the
caller runs the exact check that names the repeated rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames._utf8 import Utf8, utf8_of

__all__ = ["proven_unique_bytes", "proven_unique_text"]

#: Bytes per packed word.
_WORD = 8
#: Values compared per chunk by `_numbered` (their words stay in the cache).
_CHUNK: Final = 1 << 16
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
    start plus ``8 k``, native order, then byte-swapped in place), then the bytes
    past the value's end are masked off.
    """
    n, lengths, data = len(utf8.lengths), utf8.lengths, utf8.data
    width = int(lengths.max())
    n_words = max(1, -(-width // _WORD))
    if utf8.contiguous and width and int(lengths.min()) == width and width % _WORD == 0:
        block = data[: n * width].reshape(n, n_words * _WORD)  # a matrix
        return np.ascontiguousarray(block).view(">u8").astype(np.uint64)
    padded = np.concatenate([data, np.zeros(_WORD * n_words, dtype=np.uint8)])
    # every eight-byte window of the bytes (an unaligned view in native order: a
    # gather from a big-endian view is several times slower)
    windows = np.ndarray(
        shape=(len(padded) - _WORD + 1,), dtype="<u8", buffer=padded, strides=(1,)
    )
    words = np.empty((n, n_words), dtype=np.uint64)
    for k in range(n_words):  # over words, not rows
        # the value's bytes in word k (np.clip is slower than the two bounds)
        kept = (
            np.minimum(lengths, _WORD)
            if k == 0
            else np.clip(lengths - _WORD * k, 0, _WORD)
        )
        word = windows[utf8.starts + _WORD * k] if k else windows[utf8.starts]
        word.byteswap(inplace=True)  # big-endian: compares like the bytes
        np.bitwise_and(word, _KEEP_MASKS[kept], out=words[:, k])
    return words


def _strictly_increasing(keys: Sequence[npt.NDArray[Any]]) -> bool:
    """Whether the rows of the ``keys`` columns increase strictly (lexicographically)."""
    first = keys[0]
    greater = first[1:] > first[:-1]
    equal = first[1:] == first[:-1]
    for key in keys[1:]:
        if not equal.any():
            break
        greater |= equal & (key[1:] > key[:-1])
        equal &= key[1:] == key[:-1]
    return bool(greater.all())


def _numbered(utf8: Utf8) -> bool:
    """Whether values of at most eight bytes increase shortest first.

    The order of ids numbered without padding (``C9`` < ``C10``): the values of one
    length lie together, evenly spaced (back to back, or one NUL apart when joined),
    so each length is read as big-endian words through a strided view of the bytes
    (no gather, no copy but the few values at the very end) and compared with its
    neighbours (`_words_increase`). Where the length grows comes from one pass over
    the lengths (`Utf8.summary`). Fewer than two values: vacuously ``True``.
    """
    starts, ends, data = utf8.starts, utf8.ends, utf8.data
    n = len(starts)
    if n < 2:  # noqa: PLR2004 - none or one value
        return True
    joined = utf8.separators == n - 1 and utf8.valid is None
    if not (utf8.contiguous or joined):
        return False
    lengths = utf8.summary  # where the length grows, if it never falls
    if lengths.steps is None or lengths.greatest > _WORD:
        return False
    gap = 1 if utf8.separators else 0  # the NUL between joined values
    for first, end in pairwise([0, *lengths.steps, n]):
        width, count = int(ends[first] - starts[first]), end - first
        if count < 2:  # noqa: PLR2004 - one value of this length
            continue
        if width == 0:  # two empty values
            return False
        if not _words_increase(data, int(starts[first]), count, width, gap):
            return False
    return True


def _words_increase(
    data: npt.NDArray[np.uint8], start: int, count: int, width: int, gap: int
) -> bool:
    """Whether ``count`` values of ``width`` bytes, ``gap`` apart, increase as bytes.

    Each value's eight-byte window is read big-endian through a strided view of
    ``data``, in chunks that stay in the cache, and shifted right to drop the bytes
    past the value (the next value's or a separator). Only the last values, whose
    windows would run past ``data``, are copied and zero-padded.
    """
    stride, shift = width + gap, np.uint64(8 * (_WORD - width))
    fit = min(count, max(0, (len(data) - start - _WORD) // stride + 1))
    if fit:
        windows = np.ndarray(
            shape=(fit,), dtype=">u8", buffer=data, offset=start, strides=(stride,)
        )
        words = np.empty(min(fit, _CHUNK + 1), dtype=np.uint64)
        for first in range(0, fit - 1, _CHUNK):  # one value shared with the next
            part = windows[first : first + _CHUNK + 1]
            chunk = words[: len(part)]
            np.copyto(chunk, part)  # to native order
            chunk >>= shift
            if not bool((chunk[1:] > chunk[:-1]).all()):
                return False
    if fit == count:
        return True
    first = max(fit - 1, 0)  # the last value read above, to compare with the rest
    low = start + first * stride
    tail = np.concatenate(
        [data[low : start + (count - 1) * stride + width], np.zeros(_WORD, np.uint8)]
    )
    last = (
        np.ndarray(
            shape=(count - first,), dtype=">u8", buffer=tail, strides=(stride,)
        ).astype(np.uint64)
        >> shift
    )
    return bool((last[1:] > last[:-1]).all())


def _in_order(utf8: Utf8, words: npt.NDArray[np.uint64]) -> bool:
    """Whether the values increase strictly, shortest first or as strings.

    Shortest first, then as strings (shortlex) is the order of ids numbered without
    padding (``C9`` < ``C10``); as strings is the order of a sorted export. Either
    proves the values distinct in one pass over neighbours.
    """
    columns = [words[:, k] for k in range(words.shape[1])]
    return _strictly_increasing([utf8.lengths, *columns]) or _strictly_increasing(
        columns
    )


def proven_unique_text(column: pd.Series) -> bool:
    """Whether ``column`` is text whose values are shown to be all distinct.

    ``False`` means "not shown", not "repeated": the caller then checks exactly.
    Arrow text is read from its buffers, Python strings from one NUL-joined encoding
    (`utf8_of`); `proven_unique_bytes` does the rest.
    """
    return proven_unique_bytes(utf8_of(column))


def proven_unique_bytes(utf8: Utf8 | None) -> bool:
    """Whether the text read as ``utf8`` (`utf8_of`) is shown to be all distinct.

    ``False`` (also for ``None``: a column not read as text) means "not shown".
    O(n * width) for ids in order (shortest first, or as strings), plus one sort of
    n hashes otherwise.
    """
    if utf8 is None or utf8.nulls:
        return False
    if len(utf8.starts) < 2:  # noqa: PLR2004 - none or one value is unique
        return True
    if _numbered(utf8):
        return True
    words = _packed_words(utf8)
    if _in_order(utf8, words):
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
