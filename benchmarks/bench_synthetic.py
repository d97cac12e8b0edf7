"""lendcrm.synthetic.generate_frames against a plain pandas row-by-row generator.

Figures, all from the same run:

1. ``generate_frames(1_000_000)``: median wall time of 3 runs (and their median CPU
   time: these machines are shared, and CPU time is what the code costs), the peak
   traced memory (tracemalloc) of one more run, and the rows it produced.
2. The baseline: what a plain pandas script does to get comparable frames, one Python
   dict per client and per facility (sector, country, lognormal revenue, parent, PD
   grade, 1-6 facilities with kind, limit, drawn, dates, margin, LGD), then
   ``pd.DataFrame(rows)``. It draws fewer columns than lendcrm (no projects, referrals,
   feedback, signals or child frames), so it flatters the baseline. It runs on 20,000
   clients and is scaled linearly to 1,000,000 (row-wise cost is linear in rows); the
   ratio is baseline / lendcrm.
3. ``generate_book`` on 2,000 clients (entities through the frames bridge), per client.
4. The histories side by side: ``generate_frames(1_000_000, periods=p)`` for
   ``p`` = 1 (today's book alone: one observation per facility, one record per
   yearly history) and 13 (the default: thirteen month ends, two years), one run
   each: wall and CPU time, peak traced memory, history rows. Figures 1-3 use
   ``periods=1``, the book they measured before the histories existed.
   ``python benchmarks/bench_synthetic.py --periods`` runs this part alone.

tracemalloc sees numpy's and Python's allocations, not pyarrow's (the ``str`` id
columns live in Arrow buffers), so the peaks are a floor.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial

import pandas as pd

from lendcrm.synthetic import generate_book, generate_frames

AS_OF = dt.date(2025, 12, 31)
N = 1_000_000
PERIODS = (1, 13)
HISTORIES = ("observations", "measures", "ratings", "statements", "valuations")
N_BASELINE = 20_000
N_BOOK = 2_000
RUNS = 3

SECTORS = "ABCDEFGHIJKLMNOPQRS"
COUNTRIES = ["DE", "FR", "GB", "NL", "ES", "IT", "BE", "AT", "PL", "US"]
KINDS = ["term_loan", "revolving_credit", "guarantee", "receivables_finance", "bridge"]


def baseline_frames(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plain way: a Python loop building one dict per row, then DataFrames."""
    rnd = random.Random(seed)
    clients: list[dict[str, object]] = []
    facilities: list[dict[str, object]] = []
    for i in range(n):
        revenue = round(rnd.lognormvariate(math.log(15e6), 0.9), -3)
        pd_ = min(max(rnd.lognormvariate(math.log(0.012), 0.9), 0.0003), 0.2)
        tenure = rnd.randint(0, 10_000)
        onboarded = AS_OF - dt.timedelta(days=tenure)
        clients.append(
            {
                "client_id": f"C{i + 1:07d}",
                "legal_name": f"Client {i + 1} GmbH",
                "sector": rnd.choice(SECTORS),
                "country": rnd.choice(COUNTRIES),
                "parent_id": f"C{rnd.randint(1, i):07d}"
                if i and rnd.random() < 0.24
                else None,
                "onboarded_on": onboarded,
                "annual_revenue": revenue,
                "default_probability": pd_,
                "rating_grade": str(min(10, 1 + int(math.log(pd_ / 0.0003) / 0.72))),
            }
        )
        for _ in range(1 + min(5, int(rnd.expovariate(1.0)))):
            limit = max(round(revenue * 0.3 * rnd.random(), -3), 1000.0)
            tenor = rnd.randint(365, 3650)
            start = max(onboarded, AS_OF - dt.timedelta(days=rnd.randint(0, tenor - 1)))
            facilities.append(
                {
                    "facility_id": f"F{len(facilities) + 1:09d}",
                    "client_id": f"C{i + 1:07d}",
                    "kind": rnd.choice(KINDS),
                    "limit": limit,
                    "drawn": round(limit * rnd.betavariate(3, 2), 2),
                    "start_on": start,
                    "maturity_on": start + dt.timedelta(days=tenor),
                    "margin_bps": rnd.randint(60, 400),
                    "loss_given_default": round(rnd.betavariate(4.5, 5.5), 4),
                }
            )
    cf = pd.DataFrame(clients)
    cf["onboarded_on"] = pd.to_datetime(cf["onboarded_on"])
    ff = pd.DataFrame(facilities)
    ff["start_on"] = pd.to_datetime(ff["start_on"])
    ff["maturity_on"] = pd.to_datetime(ff["maturity_on"])
    return cf, ff


CPU: list[float] = []  # process CPU seconds of each timed call, in order


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of ``fn()``; its CPU seconds are appended to ``CPU``."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    CPU.append(time.process_time() - cpu)
    return elapsed


def peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    print(f"generate_frames({N:,}), median of {RUNS} runs; baseline on {N_BASELINE:,}")
    frames = generate_frames(N, seed=1, as_of=AS_OF, periods=1)
    rows = {
        name: len(getattr(frames, name))
        for name in ("clients", "facilities", "projects", "feedback", "signals")
    }
    total_rows = sum(
        len(getattr(frames, a))
        for a in (
            "clients",
            "facilities",
            "projects",
            "collateral",
            "guarantees",
            "covenants",
            "milestones",
            "drawdowns",
            "cash_flows",
            "sponsors",
            "feedback",
            "referrals",
            "signals",
            "stages",
        )
    )
    del frames
    times = [
        timed(partial(generate_frames, N, seed=i, as_of=AS_OF, periods=1))
        for i in range(RUNS)
    ]
    ours = statistics.median(times)
    ours_cpu = statistics.median(CPU[-RUNS:])
    ours_mb = peak_mb(lambda: generate_frames(N, seed=9, as_of=AS_OF, periods=1))
    print(f"  rows produced: {rows} ({total_rows:,} rows in 14 frames)")
    print(
        f"  lendcrm generate_frames : median {ours:7.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in times)}), CPU {ours_cpu:.2f} s, "
        f"peak {ours_mb:7.0f} MB"
    )

    base_times = [timed(partial(baseline_frames, N_BASELINE, i)) for i in range(3)]
    base = statistics.median(base_times)
    base_cpu = statistics.median(CPU[-3:])
    scale = N / N_BASELINE
    base_mb = peak_mb(lambda: baseline_frames(N_BASELINE, 9))
    print(
        f"  pandas row-by-row       : median {base:7.2f} s on {N_BASELINE:,} clients "
        f"-> {base * scale:7.1f} s scaled to {N:,} (CPU {base_cpu * scale:.1f} s); "
        f"peak {base_mb:6.0f} MB on "
        f"{N_BASELINE:,} (-> ~{base_mb * scale:,.0f} MB scaled)"
    )
    print(
        f"  ratio baseline / lendcrm: {base * scale / ours:6.1f}x faster in wall time, "
        f"{base_cpu * scale / ours_cpu:.1f}x in CPU time (the baseline draws fewer "
        "columns and frames)"
    )

    book_time = statistics.median(
        timed(lambda: generate_book(N_BOOK, seed=3, as_of=AS_OF, periods=1))
        for _ in range(3)
    )
    frames_small = statistics.median(
        timed(lambda: generate_frames(N_BOOK, seed=3, as_of=AS_OF, periods=1))
        for _ in range(3)
    )
    print(
        f"  generate_book({N_BOOK:,})    : median {book_time:6.2f} s "
        f"({book_time / N_BOOK * 1e3:.2f} ms per client; the frames alone take "
        f"{frames_small * 1e3:.0f} ms, the rest is entity construction and validation)"
    )

    periods_case()


def periods_case() -> None:
    """generate_frames(N) with and without thirteen months of history, one run each."""
    print(f"generate_frames({N:,}, periods=p), one run each")
    for periods in PERIODS:
        frames = generate_frames(N, seed=1, as_of=AS_OF, periods=periods)
        rows = {name: len(getattr(frames, name)) for name in HISTORIES}
        del frames
        wall = timed(partial(generate_frames, N, seed=1, as_of=AS_OF, periods=periods))
        mb = peak_mb(
            lambda p=periods: generate_frames(N, seed=1, as_of=AS_OF, periods=p)
        )
        print(
            f"  periods={periods:<3}: {wall:6.2f} s wall, CPU {CPU[-1]:6.2f} s, "
            f"peak {mb:6.0f} MB traced; history rows "
            + ", ".join(f"{k} {v:,}" for k, v in rows.items())
        )


if __name__ == "__main__":
    if "--periods" in sys.argv[1:]:
        periods_case()
    else:
        main()
