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
  one about 35 GB). Each part is read on the worker that processes it (`read_part`:
  the caller's reader, the library opens no file), run through
  `lendcrm.relationship.scaleout.relationship_partition` and written from that
  worker with ``to_parquet``; nothing is gathered to the driver. The collection has
  known divisions (the parts' first client ids) and a ``meta`` computed from the
  first 50 clients of part 0. Peak memory per worker: each worker process's
  ``ru_maxrss`` after the run.
- single (``--single``, books up to 1M clients): all parts read into one process
  and one `relationship_frame` call, timed alone (the 1M single-process figure
  the issue asks to stand beside); the distributed result, read back from its
  Parquet files, is asserted equal to it.

Run: ``python benchmarks/make_scale_book.py /tmp/scale-book/n1000000 --clients 1000000``
then ``python benchmarks/bench_scale.py /tmp/scale-book/n1000000 [--single]
[--memory-limit 3GiB] [--timeout 1500]``. ``benchmarks/run.py bench_scale`` runs the
200k book at ``/tmp/scale-book/n200000`` if it is there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa

from lendcrm.frames import BookFrames
from lendcrm.lifecycle import StageRules
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.relationship.scaleout import BookPartition, relationship_partition
from lendcrm.risk.scoring import (
    DEFAULT_MASTER_SCALE,
    BinningConfig,
    build_scorecard,
    fit_logistic,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame
from lendcrm.segmentation import RiskOverlay
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
FX = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}
FRAMES = tuple(f.name for f in attrs.fields(BookFrames))
DEFAULT_BOOK = Path(tempfile.gettempdir()) / "scale-book" / "n200000"


def fitted_models() -> RelationshipModels:
    """Every composed model, fitted on a 20,000-client training book (as bench_relationship)."""
    training = generate_frames(20_000, seed=4, as_of=AS_OF, periods=1)
    rng = np.random.default_rng(0)
    apps = training.clients[["annual_revenue", "sector", "product_count"]].copy()
    apps["bad"] = (
        rng.random(len(apps)) < training.clients["default_probability"]
    ).astype(int)
    bins = fit_binning_frame(apps, target="bad", config=BinningConfig(max_bins=5))
    logistic = fit_logistic(
        woe_frame(bins, apps.drop(columns="bad")).to_numpy(),
        apps["bad"],
        names=list(bins.names),
    )
    models = RelationshipModels(
        fx_rates=FX,
        pricing=RelationshipPricing(),
        scorecard=build_scorecard(bins, logistic),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    tiers = fit_tiering(training.book_frames(), as_of=AS_OF, models=models)
    return attrs.evolve(models, tiering=tiers)


def manifest(root: Path) -> dict[str, Any]:
    """The book's manifest (written by make_scale_book.py)."""
    return dict(json.loads((root / "manifest.json").read_text()))


def read_frame(root: Path, name: str, k: int, offset: int) -> pd.DataFrame:
    """Part ``k`` of one frame, its rows labelled by their place in the whole book."""
    frame = pd.read_parquet(root / name / f"part-{k:05d}.parquet")
    return frame.set_axis(pd.RangeIndex(offset, offset + len(frame)))


def head(frames: dict[str, pd.DataFrame], n: int) -> dict[str, pd.DataFrame]:
    """The first ``n`` clients of a part's frames and every record they need."""
    ids = frames["clients"]["client_id"].iloc[:n]
    fac = frames["facilities"]
    fac = fac[np.asarray(fac["client_id"].isin(ids), dtype=bool)]
    keys = {
        "facility_id": fac["facility_id"],
        "project_id": fac["project_id"].dropna(),
        "client_id": ids,
    }
    out = {"clients": frames["clients"].iloc[:n], "facilities": fac}
    for name, frame in frames.items():
        if name in out:
            continue
        column = next(c for c in keys if c in frame.columns)
        out[name] = frame[np.asarray(frame[column].isin(keys[column]), dtype=bool)]
    return out


def read_part(root: Path, k: int, clients: int | None = None) -> BookPartition:
    """The caller's reader: part ``k`` read where it is processed.

    ``clients`` keeps only the first clients (and their records): the driver's
    sample for ``meta``.
    """
    part = manifest(root)["parts"][k]
    frames = {
        name: read_frame(root, name, k, part["offsets"][name])
        for name in (*FRAMES, "signals")
    }
    if clients is not None:
        frames = head(frames, clients)
    signals = frames.pop("signals")
    return BookPartition(frames=BookFrames(**frames), signals=signals)


def run_part(
    k: int, *, root: Path, models: RelationshipModels, as_of: dt.date
) -> pd.DataFrame:
    """What a worker runs for part ``k``: read it, then `relationship_partition`."""
    return relationship_partition(read_part(root, k), as_of=as_of, models=models)


def peak_rss_mib() -> float:
    """This process's peak resident memory (Linux ``ru_maxrss`` is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def distributed_run(
    root: Path, out: Path, models: RelationshipModels, args: argparse.Namespace
) -> dict[str, Any]:
    """The book on a two-worker LocalCluster, written from the workers."""
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, wait

    book = manifest(root)
    parts = book["parts"]
    meta = relationship_partition(
        read_part(root, 0, clients=50), as_of=AS_OF, models=models
    ).iloc[:0]
    divisions = (*(p["first"] for p in parts), parts[-1]["last"])
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
        start = time.perf_counter()
        frame = dd.from_map(
            run_part,
            range(len(parts)),
            root=root,
            models=models,
            as_of=AS_OF,
            meta=meta,
            divisions=divisions,
            enforce_metadata=False,
        )
        # a categorical's categories depend on the part (``actions``: which actions
        # occur), so pyarrow's dictionary index width does too: fix it at int32
        arrow = pa.Schema.from_pandas(meta, preserve_index=False)
        widths = {
            f.name: pa.dictionary(pa.int32(), f.type.value_type)
            for f in arrow
            if pa.types.is_dictionary(f.type)
        }
        future = client.compute(frame.to_parquet(out, compute=False, schema=widths))
        done, _ = wait(future, timeout=args.timeout)
        if not done:
            client.cancel(future)
            msg = f"the run took longer than {args.timeout} s: stopped"
            raise TimeoutError(msg)
        future.result()
        wall = time.perf_counter() - start
        peaks = client.run(peak_rss_mib)
        limit = next(iter(cluster.workers.values())).memory_manager.memory_limit
    return {
        "clients": book["clients"],
        "parts": len(parts),
        "wall": wall,
        "peaks": sorted(peaks.values()),
        "limit_mib": limit / 2**20 if limit else float("nan"),
        "known_divisions": frame.known_divisions,
    }


def read_result(out: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The written result, its files in part order (``part.10`` after ``part.9``)."""
    files = sorted(out.glob("part.*.parquet"), key=lambda f: int(f.name.split(".")[1]))
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files])


def single_run(root: Path, models: RelationshipModels) -> tuple[pd.DataFrame, float]:
    """All parts in one process and one relationship_frame call (timed alone)."""
    parts = [read_part(root, k) for k in range(len(manifest(root)["parts"]))]
    frames = {
        name: pd.concat([getattr(p.frames, name) for p in parts]) for name in FRAMES
    }
    signals = pd.concat([p.signals for p in parts if p.signals is not None])
    del parts
    book = BookFrames(**frames)
    start = time.perf_counter()
    result = relationship_frame(book, as_of=AS_OF, models=models, signals=signals)
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    """Run the distributed batch (and the single one with ``--single``); print figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("book", type=Path, nargs="?", default=DEFAULT_BOOK)
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--memory-limit", default="3GiB")
    p.add_argument("--timeout", type=float, default=1500.0)
    p.add_argument("--single", action="store_true")
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
    written = read_result(out, columns=[])
    assert len(written) == n, (len(written), n)
    assert written.index.is_monotonic_increasing
    assert written.index.is_unique
    if args.single:
        single, seconds = single_run(root, models)
        print(
            f"single process: relationship_frame {seconds:.1f} s, "
            f"{n / seconds:,.0f} clients/s; driver peak RSS {peak_rss_mib():,.0f} MiB"
        )
        back = read_result(out)
        pd.testing.assert_frame_equal(
            back, single, check_dtype=False, check_categorical=False
        )
        print("distributed result (read back) equals the single-process result")


if __name__ == "__main__":
    main(sys.argv[1:])
