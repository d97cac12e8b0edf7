"""Sorted owner-day keys: the lookups every history signal is built from.

Every history (measures per client, ratings per client, observations per facility) is
held as one sorted int64 key per record, ``owner << 32 | day``: the owner's code in
the high bits, the record's day (days since 1970-01-01, offset to be non-negative) in
the low bits. "The owner's latest record on or before a day" is then one
``numpy.searchsorted`` for all owners at once, and nothing loops over rows or owners.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import IntArray
from lendcrm._dates import month_numbers, month_starts

#: Days are stored in the low 32 bits of a key, shifted to be non-negative.
DAY_BITS: Final = 32
DAY_OFFSET: Final = 1 << 31
_DAY_MASK: Final = (1 << DAY_BITS) - 1
#: Rows per chunk when keys are built and checked (bounds the temporaries).
CHUNK: Final = 1 << 22


@attrs.frozen(kw_only=True, eq=False)
class History:
    """Dated records of many owners, sorted by (owner, day), one record per day.

    Attributes:
        keys: ``owner << 32 | (day + 2**31)``, strictly increasing, int64; the
            owner is a client or facility position.
        starts: First row of each owner ``0..n-1``; ``starts[n]`` ends the last.
    """

    keys: IntArray
    starts: IntArray

    def day(self, rows: IntArray) -> IntArray:
        """Days (since 1970-01-01) of the given rows (0 for a history without rows)."""
        if not len(self.keys):
            return np.zeros(len(rows), dtype=np.int64)
        out: IntArray = (self.keys[rows] & _DAY_MASK) - DAY_OFFSET
        return out

    def after(self, owners: IntArray, days: IntArray | int) -> IntArray:
        """Row after each owner's latest record on or before ``days``.

        That is the row of the owner's first record after ``days``, if it has one.
        """
        out: IntArray = np.searchsorted(
            self.keys, key_of(owners, days), side="right"
        ).astype(np.int64)
        return out

    def latest_of_all(self, day: int) -> IntArray:
        """Row of every owner's latest record on or before ``day`` (-1: none).

        An owner's last row is the answer unless it is after ``day``; only those
        owners are searched for.
        """
        first, row = self.starts[:-1], self.starts[1:] - 1
        has = row >= first
        late = np.flatnonzero(has & (self.day(np.where(has, row, 0)) > day))
        row[late] = self.after(late, day) - 1
        out: IntArray = np.where(has & (row >= first), row, -1)
        return out

    def latest(self, owners: IntArray, days: IntArray | int) -> IntArray:
        """Row of each owner's latest record on or before ``days`` (-1: none)."""
        return self.owned(self.after(owners, days) - 1, owners)

    def in_month(
        self, owners: IntArray, months: IntArray, known: IntArray, known_month: IntArray
    ) -> IntArray:
        """Each owner's latest record in the given month, before a known row (-1: none).

        ``known`` is a row of the owner in ``known_month`` (later than ``months``).
        A monthly series has the answer ``known - (known_month - months)`` rows
        back; that guess is checked (the row is the owner's, in that month, and the
        next row is not), and only the owners it misses are searched for.
        """
        n = len(self.keys)
        if not n:
            return np.full(len(owners), -1, dtype=np.int64)
        guess = known - (known_month - months)
        inside = (guess >= 0) & (guess < n)
        g = np.where(inside, guess, 0)
        here, after = self.keys[g], self.keys[np.minimum(g + 1, n - 1)]
        hit = inside & ((here >> DAY_BITS) == owners)
        hit &= month_numbers((here & _DAY_MASK) - DAY_OFFSET) == months
        hit &= (
            (g + 1 == n)
            | ((after >> DAY_BITS) != owners)
            | (month_numbers((after & _DAY_MASK) - DAY_OFFSET) > months)
        )
        rows = np.where(hit, guess, -1)
        miss = np.flatnonzero(~hit)
        if len(miss):
            found = self.latest(owners[miss], month_end(months[miss]))
            ok = found >= 0
            ok[ok] = month_numbers(self.day(found[ok])) == months[miss][ok]
            rows[miss] = np.where(ok, found, -1)
        return rows

    def owned(self, rows: IntArray, owners: IntArray) -> IntArray:
        """``rows`` where they hold a record of the owner asked about, else -1."""
        inside = (rows >= 0) & (rows < len(self.keys))
        if not len(self.keys):
            return np.full(len(rows), -1, dtype=np.int64)
        found = (self.keys[np.where(inside, rows, 0)] >> DAY_BITS) == owners
        out: IntArray = np.where(inside & found, rows, -1)
        return out


def key_of(owners: IntArray, days: IntArray | int) -> IntArray:
    """The sort key of (owner, day) pairs."""
    out: IntArray = (owners.astype(np.int64) << DAY_BITS) + (
        np.asarray(days, dtype=np.int64) + DAY_OFFSET
    )
    return out


def history_keys(
    owners: npt.NDArray[np.integer], stamps: IntArray, per_day: int
) -> IntArray:
    """Keys of the records, built chunk by chunk (no full-length temporaries).

    Args:
        owners: Owner code of each record.
        stamps: The record's date as an integer count of some unit since 1970.
        per_day: Units per day (``stamps // per_day`` is the day).
    """
    keys = np.empty(len(owners), dtype=np.int64)
    for i in range(0, len(keys), CHUNK):  # a few chunks, never a loop over rows
        part = keys[i : i + CHUNK]
        part[:] = owners[i : i + CHUNK]
        part <<= DAY_BITS
        part += stamps[i : i + CHUNK] // per_day + DAY_OFFSET
    return keys


def owner_starts(keys: IntArray, n: int) -> IntArray:
    """First row of each owner ``0..n-1`` in sorted keys (``n + 1`` entries).

    The records per owner are counted chunk by chunk, then summed up.
    """
    counts = np.zeros(n, dtype=np.int64)
    for i in range(0, len(keys), CHUNK):  # a few chunks, never a loop over rows
        counts += np.bincount(keys[i : i + CHUNK] >> DAY_BITS, minlength=n)
    out: IntArray = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def history_order(keys: IntArray) -> tuple[IntArray | None, int, int]:
    """How to sort the records, and the records that repeat an (owner, day).

    Returns:
        ``(order, repeat, count)``: ``order`` sorts the keys (``None`` when they
        already are), ``repeat`` is the input position of the first record whose
        owner and day an earlier record has (-1: none), ``count`` how many do.
    """
    n = len(keys)
    for i in range(0, max(n - 1, 0), CHUNK):  # a few chunks, never a loop over rows
        j = min(i + CHUNK, n - 1)
        if not np.all(keys[i + 1 : j + 1] > keys[i:j]):
            break
    else:
        return None, -1, 0
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return order, -1, 0
    return order, int(order[int(np.argmax(same)) + 1]), int(same.sum())


def month_end(months: IntArray) -> IntArray:
    """Last day (days since 1970-01-01) of each month number."""
    out: IntArray = month_starts(months + 1) - 1
    return out
