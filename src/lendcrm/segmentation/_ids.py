"""Client ids as fixed-width str arrays: an O(n) equality test and duplicate finder."""

from __future__ import annotations

import threading
import weakref
from typing import Final

import numpy as np
import numpy.typing as npt

StrArray = npt.NDArray[np.str_]


def _id_words(ids: StrArray) -> npt.NDArray[np.uint32]:
    """The code points of fixed-width ids as an ``(n, width)`` uint32 matrix (a view)."""
    flat = np.ascontiguousarray(ids)
    return flat.view(np.uint32).reshape(len(flat), flat.dtype.itemsize // 4)


#: Seed of the odd multipliers of the linear id hash (fixed: reproducible runs).
_HASH_SEED: Final = 20261128


def same_ids(left: StrArray, right: StrArray) -> bool:
    """Whether two id arrays hold the same ids in the same order; O(n)."""
    if left is right:
        return True
    if len(left) != len(right):
        return False
    if left.dtype != right.dtype:
        return bool(np.array_equal(left, right))
    return bool(np.array_equal(_id_words(left), _id_words(right)))


#: The id array the frame reader has just proven unique (one per thread), consumed by
#: the next `first_duplicate` call on that very array.
_proven = threading.local()


def proven_unique(ids: StrArray) -> None:
    """Record that ``ids`` (a fresh array no caller holds yet) was just checked unique.

    The next `first_duplicate` of this same array object answers ``None`` without
    hashing again, once: the frame reader checks the ids (to name the rows of a
    duplicate) and `ClientFeatures` would otherwise check them a second time.
    """
    _proven.ref = weakref.ref(ids)


def first_duplicate(ids: StrArray) -> int | None:
    """Index of the first element whose value already appeared earlier, or ``None``.

    Ids in strictly increasing order are distinct: one comparison of neighbours.
    Otherwise a linear hash of each id's code points (one pass), sorted as uint64;
    equal ids have equal hashes, so distinct hashes prove the ids unique. Only when
    two hashes collide is the exact O(n log n) string sort run to find the index.
    """
    proven = getattr(_proven, "ref", None)
    if proven is not None:
        _proven.ref = None
        if proven() is ids:
            return None
    if len(ids) < 2:  # noqa: PLR2004 - a pair is the smallest duplicate
        return None
    if bool((ids[1:] > ids[:-1]).all()):  # ids in order (the usual export): distinct
        return None
    words = _id_words(ids)
    rng = np.random.default_rng(_HASH_SEED)
    mult = rng.integers(0, 2**62, words.shape[1], dtype=np.uint64) * np.uint64(2) + 1
    hashes = np.sort(np.einsum("ij,j->i", words, mult, dtype=np.uint64))
    if not (hashes[1:] == hashes[:-1]).any():
        return None
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    repeat = ordered[1:] == ordered[:-1]
    if not repeat.any():
        return None
    # stable sort: within equal ids, original positions ascend, so every later
    # occurrence sits after its first one; the earliest such position is the answer.
    return int(order[1:][repeat].min())
