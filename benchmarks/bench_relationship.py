"""Relationship layer: the batch view at 100,000 and 1,000,000 clients, step by step.

Models: every composed model (pricing, a scorecard and the master scale, the builtin
stage rules, fitted tier cut-offs and the risk overlay), fitted on a 20,000-client
training book.

1. `relationship_frame` on 100,000 and 1,000,000 clients from `generate_frames` (with
   signals), through `timed_relationship_frame`: three runs per size, the median and
   range of the total and of each named step (`FRAME_STEPS`), wall and processor
   seconds (the processor seconds are the steadier figure on a shared machine), the
   growth slope ``log10(t_1M / t_100k)`` (1.0 is linear), and the peak resident memory
   above the loaded book (``VmHWM`` reset before the runs; ``ru_maxrss`` where it
   cannot be reset). Each size runs with the text held by pyarrow (pandas' default
   when it is installed) and again held as Python strings
   (``mode.string_storage = "python"``). Against a plain-pandas baseline that
   computes a subset of the same columns with ``groupby`` (exposure, limit,
   utilisation, live facilities, feedback count, last score and NPS).
   Targets (#20): <= 2 s and <= 1.5 GB above the book at 1M, slope <= 1.05, the same
   with and without pyarrow.
2. `client_view` latency for one client of a 100,000-client `Book` (median over 300
   clients), against a plain-pandas baseline that selects the client's rows from the
   frames with boolean masks and sums them. Target: <= 5 ms.

Run: ``python benchmarks/run.py bench_relationship`` (both), or
``python benchmarks/bench_relationship.py batch 100000 1000000`` (the batch part).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import resource
import statistics
import sys
import time
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
from _models import AS_OF, FX, fitted_models

from lendcrm.frames import book_from_frames
from lendcrm.relationship import client_view
from lendcrm.relationship.frames import (
    FRAME_STEPS,
    relationship_frame,
    timed_relationship_frame,
)
from lendcrm.synthetic import generate_frames

MODELS = fitted_models()
LIVE = ["approved", "active", "watchlist", "non_performing", "restructured"]


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; 0 elsewhere)."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return 0.0
    pages = int(statm.read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def _trim() -> None:
    """Hand the freed heap back to the system (glibc), so the base is the book's."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> bool:
    """Reset the process's resident peak (Linux ``clear_refs`` 5); False if not."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mb() -> float:
    """Resident peak in MB since the last reset (``VmHWM``), else ``ru_maxrss``."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    """The 1-minute load average (the machine is shared)."""
    path = Path("/proc/loadavg")
    return path.read_text().split()[0] if path.exists() else "?"


def _pandas_baseline(frames, rates: dict[str, float]) -> pd.DataFrame:
    fac = frames.facilities
    live = fac[fac["status"].astype(str).isin(LIVE)]
    rate = live["currency"].astype(str).map({**rates, "EUR": 1.0}).astype(float)
    agg = (
        live.assign(exp=live["drawn"] * rate, lim=live["limit"] * rate)
        .groupby("client_id", observed=True)
        .agg(exposure=("exp", "sum"), limit=("lim", "sum"), facilities=("exp", "size"))
    )
    fb = frames.feedback.sort_values(["client_id", "feedback_on"], kind="stable")
    score = fb["score"]
    fbg = fb.assign(
        promoter=(score >= 9).astype(float), detractor=(score <= 6).astype(float)
    ).groupby("client_id", observed=True)
    feedback = fbg.agg(
        feedback=("score", "size"),
        last_score=("score", "last"),
        promoters=("promoter", "mean"),
        detractors=("detractor", "mean"),
    )
    out = (
        frames.clients[["client_id"]]
        .set_index("client_id")
        .join(agg)
        .join(feedback)
        .fillna({"exposure": 0.0, "limit": 0.0, "facilities": 0, "feedback": 0})
    )
    out["utilisation"] = np.where(
        out["limit"] > 0, out["exposure"] / out["limit"].where(out["limit"] > 0), 0.0
    )
    out["nps"] = 100 * (out["promoters"] - out["detractors"])
    return out


def _python_text(syn):
    """The same book with every pyarrow-held text column held as Python strings."""

    def convert(frame: pd.DataFrame) -> pd.DataFrame:
        text = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
        return frame.assign(**{c: frame[c].astype(PYTHON_TEXT) for c in text})

    frames = {
        f.name: convert(getattr(syn, f.name))
        for f in attrs.fields(type(syn))
        if isinstance(getattr(syn, f.name), pd.DataFrame)
    }
    return attrs.evolve(syn, **frames)


PYTHON_TEXT = pd.StringDtype("python", na_value=np.nan)


def _med(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def _timed(syn, repeats: int) -> dict[str, object]:
    """Three runs of the frame: totals, steps, peak above the loaded book."""
    frames = syn.book_frames()
    gc.collect()
    _trim()
    base = _rss_mb()
    exact = _reset_peak()
    wall: list[float] = []
    cpu: list[float] = []
    steps: list[pd.DataFrame] = []
    for _ in range(repeats):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        rf, by_step = timed_relationship_frame(
            frames, as_of=AS_OF, models=MODELS, signals=syn.signals
        )
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        steps.append(by_step)
        del rf
    peak = _peak_mb() - base if exact else float("nan")
    return {"wall": wall, "cpu": cpu, "steps": steps, "peak": peak, "base": base}


def _print_steps(steps: list[pd.DataFrame]) -> None:
    for step in FRAME_STEPS:
        cpu = [float(s.loc[step, "cpu_s"]) for s in steps]
        wall = [float(s.loc[step, "wall_s"]) for s in steps]
        print(f"      {step:13s} cpu {_med(cpu)} s   wall {_med(wall)} s")


def _batch(sizes: tuple[int, ...], repeats: int) -> None:
    results: dict[tuple[str, int], dict[str, object]] = {}
    for n in sizes:
        t = time.perf_counter()
        syn = generate_frames(n, seed=8, as_of=AS_OF, periods=1)
        print(f"  generated {n:,} clients in {time.perf_counter() - t:.1f} s")
        for storage in ("pyarrow", "python"):
            book = syn if storage == "pyarrow" else _python_text(syn)
            r = _timed(book, repeats)
            results[storage, n] = r
            print(
                f"  relationship_frame, {n:,} clients, text in {storage}: "
                f"cpu {_med(r['cpu'])} s, wall {_med(r['wall'])} s "
                f"(load {_load()}); peak above the book {r['peak']:,.0f} MB "
                f"(book loaded: {r['base']:,.0f} MB)"
            )
            _print_steps(r["steps"])
            del book
        peer: list[float] = []
        frames = syn.book_frames()
        for _ in range(repeats):
            t = time.perf_counter()
            base = _pandas_baseline(frames, FX)
            peer.append(time.perf_counter() - t)
        rf = relationship_frame(frames, as_of=AS_OF, models=MODELS, signals=syn.signals)
        np.testing.assert_allclose(
            base["exposure"].to_numpy(), rf["exposure"].to_numpy(), rtol=1e-9
        )
        ours = statistics.median(results["pyarrow", n]["wall"])
        print(
            f"  pandas groupby baseline, 7 of those columns: wall {_med(peer)} s; "
            f"ratio ours/baseline {ours / statistics.median(peer):.2f}"
        )
        del syn, frames, rf, base
        gc.collect()
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        for storage in ("pyarrow", "python"):
            for kind in ("cpu", "wall"):
                a = statistics.median(results[storage, lo][kind])
                b = statistics.median(results[storage, hi][kind])
                slope = math.log10(b / a) / math.log10(hi / lo)
                print(
                    f"  slope {lo:,} -> {hi:,} ({storage}, {kind}): {slope:.2f} "
                    "(target <= 1.05)"
                )


def _latency(n: int, samples: int) -> None:
    t = time.perf_counter()
    syn = generate_frames(n, seed=9, as_of=AS_OF, periods=1)
    frames = syn.book_frames()
    book = book_from_frames(frames)
    print(f"  built a Book of {n:,} clients in {time.perf_counter() - t:.1f} s")
    ids = syn.clients["client_id"].to_numpy()[
        np.random.default_rng(0).choice(n, samples, replace=False)
    ]
    signals = syn.signals.set_index("client_id")
    rows = {cid: signals.loc[cid].to_dict() for cid in ids}
    client_view(book, str(ids[0]), as_of=AS_OF, models=MODELS, signals=rows[ids[0]])
    ours = []
    for cid in ids:
        t = time.perf_counter()
        client_view(book, str(cid), as_of=AS_OF, models=MODELS, signals=rows[cid])
        ours.append(time.perf_counter() - t)
    fac, fb = frames.facilities, frames.feedback
    rates = {**FX, "EUR": 1.0}
    peer = []
    for cid in ids:
        t = time.perf_counter()
        own = fac[fac["client_id"] == cid]
        own = own[own["status"].astype(str).isin(LIVE)]
        rate = own["currency"].astype(str).map(rates).astype(float)
        _ = (own["drawn"] * rate).sum(), (own["limit"] * rate).sum()
        scores = fb.loc[fb["client_id"] == cid, "score"]
        _ = (scores >= 9).mean() - (scores <= 6).mean()
        peer.append(time.perf_counter() - t)
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(
        f"  client_view in a {n:,}-client book: median {1e3 * m_ours:.2f} ms, "
        f"p95 {1e3 * float(np.quantile(ours, 0.95)):.2f} ms over {samples} clients; "
        "target <= 5 ms"
    )
    print(
        f"  pandas mask-and-sum baseline (exposure, limit, NPS only): median "
        f"{1e3 * m_peer:.2f} ms; ratio ours/baseline {m_ours / m_peer:.2f}"
    )


def main() -> None:
    """Run both measurements and print them with their baselines."""
    args = sys.argv[1:]
    if args and args[0] == "batch":
        _batch(tuple(int(a) for a in args[1:]) or (100_000, 1_000_000), repeats=3)
        return
    _batch((100_000, 1_000_000), repeats=3)
    _latency(100_000, samples=300)


if __name__ == "__main__":
    main()
