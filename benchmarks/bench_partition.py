"""Cutting a book into client ranges: the key partitioner against the per-part ``isin``.

The book: `lendcrm.synthetic.generate_frames` of ``n`` clients (all frames), built
once and pickled to ``/tmp`` (generation at 1M clients takes minutes). Contestants,
both producing the same parts (asserted equal, frame by frame):

- lendcrm: `lendcrm.relationship.scaleout.partition_book` (one stable sort of part
  numbers and one ``searchsorted`` per frame, plus the integrity checks);
- isin: the previous recipe (`isin_partition` below): one ``isin`` per part and frame.

Each is timed three times (median, min–max). Run:
``python benchmarks/bench_partition.py [n] [partitions]``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

import attrs
import numpy as np
import pandas as pd

from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship.scaleout import partition_book
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
_BY_CLIENT = frozenset(
    {"feedback", "referrals", "measures", "ratings", "statements", "contacts"}
    | {"interactions"}
)
_BY_PROJECT = frozenset(
    {"projects", "milestones", "drawdowns", "cash_flows"} | {"sponsors"}
)


def _keep(frame: pd.DataFrame, column: str, keys: pd.Index) -> pd.DataFrame:
    mask = np.asarray(frame[column].isin(keys), dtype=bool)
    return frame[mask].reset_index(drop=True)


def isin_partition(book: BookFrames, count: int) -> list[dict[str, pd.DataFrame]]:
    """The previous cut: for each part, one ``isin`` per frame."""
    clients = book.clients
    bounds = np.linspace(0, len(clients), min(count, max(len(clients), 1)) + 1)
    out = []
    for lo, hi in itertools.pairwise(np.round(bounds).astype(np.int64)):
        part = {"clients": clients.iloc[lo:hi].reset_index(drop=True)}
        ids = pd.Index(part["clients"][schema.CLIENT_ID])
        fac = part["facilities"] = _keep(book.facilities, schema.CLIENT_ID, ids)
        keys = {
            schema.CLIENT_ID: ids,
            schema.FACILITY_ID: pd.Index(fac[schema.FACILITY_ID]),
            schema.PROJECT_ID: pd.Index(fac[schema.PROJECT_ID].dropna().unique()),
        }
        for f in attrs.fields(BookFrames):
            if f.name not in part:
                column = (
                    schema.CLIENT_ID
                    if f.name in _BY_CLIENT
                    else schema.PROJECT_ID
                    if f.name in _BY_PROJECT
                    else schema.FACILITY_ID
                )
                part[f.name] = _keep(getattr(book, f.name), column, keys[column])
        out.append(part)
    return out


def _book(n: int) -> BookFrames:
    path = Path(tempfile.gettempdir()) / f"lendcrm-bench-partition-{n}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            frames: BookFrames = pickle.load(fh)  # noqa: S301 - our own cache
            return frames
    frames = generate_frames(n, seed=7, as_of=AS_OF).book_frames()
    with path.open("wb") as fh:
        pickle.dump(frames, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return frames


def _times(run: object, runs: int = 3) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def main(n: int = 1_000_000, partitions: int = 16) -> None:
    """Time both cuts at ``n`` clients and print medians, ranges and the ratio."""
    print("loadavg:", Path("/proc/loadavg").read_text().strip())
    book = _book(n)
    new = partition_book(book, partitions=partitions)
    old = isin_partition(book, partitions)
    for part, want in zip(new, old, strict=True):
        for name, frame in want.items():
            pd.testing.assert_frame_equal(getattr(part.frames, name), frame, obj=name)
    t_new = _times(lambda: partition_book(book, partitions=partitions))
    t_old = _times(lambda: isin_partition(book, partitions))
    for name, ts in (("partition_book", t_new), ("isin per part", t_old)):
        print(
            f"{name:15s} n={n} parts={partitions}: median {statistics.median(ts):.2f} s"
            f" (min {min(ts):.2f}, max {max(ts):.2f})"
        )
    print(
        f"speed-up (median): {statistics.median(t_old) / statistics.median(t_new):.1f}x"
    )
    print("loadavg:", Path("/proc/loadavg").read_text().strip())


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
