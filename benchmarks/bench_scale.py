"""Scale-out: the nightly relationship batch over a book that never sits in one process (#22).

The book: Parquet parts by client range written by ``benchmarks/make_scale_book.py``
(one directory per frame, one file per part, ``manifest.json`` with each part's first
and last client id and its rows' offsets in the whole book). The work:
`lendcrm.relationship.frames.relationship_frame` with every composed model (pricing,
a scorecard and the master scale, the builtin stage rules of ``assess_stages``, fitted
tiers and the risk overlay, as ``benchmarks/bench_relationship.py``): one row per
client with the stage assessment, the facility pricing and the score.

Contestants:

- distributed: a ``dask.distributed.LocalCluster`` of two worker processes (one
  thread each) with a per-worker memory limit (``--memory-limit``, 3 GiB by
  default: the 1M-client book alone takes about 3.5 GB in one process, the 10M
  one about 35 GB). One `lendcrm.relationship.scaleout.ClientRange` per part (its
  reader, `read_part`, runs on the worker that processes the part: the library
  opens no file) and `relationship_dask` over them: known divisions, the exact
  ``meta`` of `relationship_meta` (no part read on the driver), each part written
  from its worker with ``to_parquet``; nothing is gathered. With ``--batches``
  the other batch paths run the same way after it, each timed alone:
  `stages_dask` (``assess_stages``), `pricing_dask` (``price_facilities_frame``,
  a row per facility) and `scores_dask` (``score_frame``); each reads every range
  again. Peak memory per worker: each worker process's ``ru_maxrss`` after the
  runs. The models are ``benchmarks/_models.py``'s (as ``bench_relationship``).
- single (``--single``, books up to 1M clients): all parts read into one process
  and one `relationship_frame` call, timed alone (the 1M single-process figure
  the issue asks to stand beside); the distributed result, read back from its
  Parquet files, is asserted equal to it.

Run: ``python benchmarks/make_scale_book.py /tmp/scale-book/n1000000 --clients 1000000``
then ``python benchmarks/bench_scale.py /tmp/scale-book/n1000000 [--single]
[--memory-limit 3GiB] [--timeout 1500] [--batches]``. ``benchmarks/run.py bench_scale`` runs the
200k book at ``/tmp/scale-book/n200000`` if it is there.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
from _models import AS_OF, PRICE_TERMS, fitted_models

from lendcrm.frames import BookFrames
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.frames import relationship_frame
from lendcrm.relationship.scaleout import (
    BookPartition,
    ClientRange,
    pricing_dask,
    pricing_range,
    relationship_dask,
    scores_dask,
    scores_range,
    stages_dask,
    stages_range,
)

FRAMES = tuple(f.name for f in attrs.fields(BookFrames))
DEFAULT_BOOK = Path(tempfile.gettempdir()) / "scale-book" / "n200000"


def manifest(root: Path) -> dict[str, Any]:
    """The book's manifest (written by make_scale_book.py)."""
    return dict(json.loads((root / "manifest.json").read_text()))


def read_frame(root: Path, name: str, k: int, offset: int) -> pd.DataFrame:
    """Part ``k`` of one frame, its rows labelled by their place in the whole book."""
    frame = pd.read_parquet(root / name / f"part-{k:05d}.parquet")
    return frame.set_axis(pd.RangeIndex(offset, offset + len(frame)))


def read_part(root: Path, k: int) -> BookPartition:
    """The caller's reader: part ``k`` read where it is processed."""
    part = manifest(root)["parts"][k]
    frames = {
        name: read_frame(root, name, k, part["offsets"][name])
        for name in (*FRAMES, "signals")
    }
    signals = frames.pop("signals")
    return BookPartition(frames=BookFrames(**frames), signals=signals)


def ranges(root: Path) -> list[ClientRange]:
    """One `ClientRange` per part: its reader (``read_part`` of that part, run on
    the worker that processes it) and its first and last client id."""
    return [
        ClientRange(
            reader=functools.partial(read_part, root, k),
            lower=part["first"],
            upper=part["last"],
        )
        for k, part in enumerate(manifest(root)["parts"])
    ]


def collections(
    parts: list[ClientRange], models: RelationshipModels, *, batches: bool
) -> dict[str, Any]:
    """The lazy results to write: the relationship view, and the other batch paths."""
    lazy = {"relationship": relationship_dask(parts, as_of=AS_OF, models=models)}
    if batches:
        assert models.stage_rules is not None
        assert models.scorecard is not None
        lazy["stages"] = stages_dask(parts, as_of=AS_OF, rules=models.stage_rules)
        lazy["pricing"] = pricing_dask(parts, as_of=AS_OF, terms=PRICE_TERMS)
        lazy["scores"] = scores_dask(parts, scorecard=models.scorecard)
    return lazy


def peak_rss_mib() -> float:
    """This process's peak resident memory (Linux ``ru_maxrss`` is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def distributed_run(
    root: Path, out: Path, models: RelationshipModels, args: argparse.Namespace
) -> dict[str, Any]:
    """The book on a two-worker LocalCluster, written from the workers."""
    from dask.distributed import Client, LocalCluster, wait

    book = manifest(root)
    parts = ranges(root)
    shutil.rmtree(out, ignore_errors=True)
    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=args.memory_limit,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        lazy = collections(parts, models, batches=args.batches)
        walls: dict[str, float] = {}
        for name, frame in lazy.items():  # one at a time: each reads every range
            start = time.perf_counter()
            future = client.compute(frame.to_parquet(out / name, compute=False))
            done, _ = wait(future, timeout=args.timeout)
            if not done:
                client.cancel(future)
                msg = f"{name} took longer than {args.timeout} s: stopped"
                raise TimeoutError(msg)
            future.result()
            walls[name] = time.perf_counter() - start
        peaks = client.run(peak_rss_mib)
        limit = next(iter(cluster.workers.values())).memory_manager.memory_limit
    return {
        "clients": book["clients"],
        "parts": len(parts),
        "wall": walls["relationship"],
        "walls": walls,
        "peaks": sorted(peaks.values()),
        "limit_mib": limit / 2**20 if limit else float("nan"),
        "known_divisions": all(f.known_divisions for f in lazy.values()),
    }


def read_result(out: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The written result, its files in part order (``part.10`` after ``part.9``)."""
    files = sorted(out.glob("part.*.parquet"), key=lambda f: int(f.name.split(".")[1]))
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files])


def single_run(
    root: Path, models: RelationshipModels, *, batches: bool
) -> dict[str, tuple[pd.DataFrame, float]]:
    """All parts in one process; each batch over the whole book, timed alone.

    ``relationship_frame`` itself; with ``batches`` also the worker functions of
    the other paths on one range holding the whole book (the one-process run of
    ``assess_stages``, ``price_facilities_frame`` and ``score_frame`` with the
    partitioned face's dtypes).
    """
    parts = [read_part(root, k) for k in range(len(manifest(root)["parts"]))]
    frames = {
        name: pd.concat([getattr(p.frames, name) for p in parts]) for name in FRAMES
    }
    signals = pd.concat([p.signals for p in parts if p.signals is not None])
    del parts
    book = BookFrames(**frames)
    runs: dict[str, Any] = {
        "relationship": lambda: relationship_frame(
            book, as_of=AS_OF, models=models, signals=signals
        )
    }
    if batches:
        assert models.stage_rules is not None
        assert models.scorecard is not None
        whole = BookPartition(frames=book, signals=signals)
        everything = ClientRange(
            reader=lambda: whole,
            lower=str(book.clients["client_id"].min()),
            upper=str(book.clients["client_id"].max()),
        )
        rules, card = models.stage_rules, models.scorecard
        runs["stages"] = lambda: stages_range(everything, as_of=AS_OF, rules=rules)
        runs["pricing"] = lambda: pricing_range(
            everything, as_of=AS_OF, terms=PRICE_TERMS
        )
        runs["scores"] = lambda: scores_range(everything, scorecard=card)
    out: dict[str, tuple[pd.DataFrame, float]] = {}
    for name, run in runs.items():
        start = time.perf_counter()
        result = run()
        out[name] = (result, time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the distributed batch (and the single one with ``--single``); print figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("book", type=Path, nargs="?", default=DEFAULT_BOOK)
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory-limit", default="3GiB")
    p.add_argument("--timeout", type=float, default=1500.0)
    p.add_argument("--single", action="store_true")
    p.add_argument(
        "--batches",
        action="store_true",
        help="also write assess_stages, pricing and scoring (stages_dask, ...)",
    )
    args = p.parse_args([] if argv is None else argv)
    root: Path = args.book
    if not (root / "manifest.json").exists():
        print(f"no book at {root}: run benchmarks/make_scale_book.py first")
        return
    out = args.out or root.with_name(root.name + "-out")
    models = fitted_models()
    run = distributed_run(root, out, models, args)
    n = run["clients"]
    peaks = ", ".join(f"{m:,.0f}" for m in run["peaks"])
    print(
        f"distributed: {n:,} clients in {run['parts']} parts, {args.workers} workers "
        f"(limit {run['limit_mib']:,.0f} MiB each): {run['wall']:.1f} s, "
        f"{n / run['wall']:,.0f} clients/s; peak RSS per worker {peaks} MiB; "
        f"known divisions {run['known_divisions']}"
    )
    for name, seconds in run["walls"].items():
        print(f"  {name}: {seconds:.1f} s, {n / seconds:,.0f} clients/s (written)")
    written = read_result(out / "relationship", columns=[])
    assert len(written) == n, (len(written), n)
    assert written.index.is_monotonic_increasing
    assert written.index.is_unique
    if args.single:
        singles = single_run(root, models, batches=args.batches)
        for name, (result, seconds) in singles.items():
            print(
                f"single process: {name} {seconds:.1f} s, {n / seconds:,.0f} clients/s"
            )
            back = read_result(out / name)
            # the partitioned face's dtypes (the metas): strings, fixed categories
            single = result.astype(back.dtypes.to_dict())
            single.index = single.index.astype(back.index.dtype)
            pd.testing.assert_frame_equal(back, single)
        print(
            f"driver peak RSS {peak_rss_mib():,.0f} MiB; every distributed result "
            "(read back) equals the single-process result"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
