"""Look-alike ranking: lendcrm's chunked k-d tree beside scikit-learn's NearestNeighbors.

The task: the ten nearest reference clients of each of ``N_PROSPECTS`` prospects
(100,000) among ``N_REFERENCE`` diamond and gold clients (50,000), on six features of
a prospect profile (log revenue, leverage, EBITDA margin, revenue growth, years
trading, rating log-odds), drawn correlated as such features are, standardised with
the reference set's mean and standard deviation.

Contestants:

- lendcrm: `LookAlikeIndex.fit` then `query(k=10, workers=-1)` (standardisation, the
  tree, the chunked query and the closest-feature explanations of every match);
- scikit-learn: ``NearestNeighbors(n_neighbors=10, algorithm="kd_tree", n_jobs=-1)``
  on the same standardised matrices (fit and ``kneighbors``; no explanations).

Both use every core of the machine.

The neighbours are asserted equal (same rows; where two reference clients are at the
same distance the order may differ, so equal distances are accepted), then each is
timed three times (median and range). Peak memory is the resident peak
(``ru_maxrss``) of a child process that builds the data and runs lendcrm once.

Run: ``python benchmarks/bench_lookalike.py``.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lendcrm.relationship.commercial import LookAlikeIndex

N_PROSPECTS = 100_000
N_REFERENCE = 50_000
K = 10
RUNS = 3
NAMES = ("log_revenue", "leverage", "ebitda_margin", "growth", "years", "rating_logit")
LIMIT_SECONDS = 10.0
LIMIT_BYTES = 2 * 1024**3


def features(n: int, seed: int) -> dict[str, np.ndarray]:
    """A prospect or client profile: six correlated features."""
    rng = np.random.default_rng(seed)
    size = rng.normal(size=n)
    risk = 0.5 * size + rng.normal(size=n)
    return {
        "log_revenue": 16.5 + 1.2 * size,
        "leverage": np.exp(-1.2 + 0.3 * risk + 0.3 * rng.normal(size=n)),
        "ebitda_margin": 0.12 - 0.03 * risk + 0.05 * rng.normal(size=n),
        "growth": 0.04 - 0.02 * risk + 0.08 * rng.normal(size=n),
        "years": np.round(np.exp(2.5 + 0.3 * size + 0.5 * rng.normal(size=n))),
        "rating_logit": -4.0 + 0.8 * risk,
    }


def timed(fn: Callable[[], object]) -> tuple[list[float], object]:
    """Three timed runs; the last result."""
    times, out = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return times, out


def _lendcrm(reference: dict[str, np.ndarray], prospects: dict[str, np.ndarray]):
    index = LookAlikeIndex.fit(reference, names=NAMES)
    return index.query(prospects, k=K, workers=-1)


def _sklearn(reference: dict[str, np.ndarray], prospects: dict[str, np.ndarray]):
    from sklearn.neighbors import NearestNeighbors

    r = np.column_stack([reference[n] for n in NAMES])
    p = np.column_stack([prospects[n] for n in NAMES])
    mean, sd = r.mean(axis=0), r.std(axis=0)
    nn = NearestNeighbors(n_neighbors=K, algorithm="kd_tree", n_jobs=-1)
    nn.fit((r - mean) / sd)
    return nn.kneighbors((p - mean) / sd)


def _child() -> None:
    reference, prospects = features(N_REFERENCE, 1), features(N_PROSPECTS, 2)
    _lendcrm(reference, prospects)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def _peak_bytes() -> int:
    out = subprocess.run(  # noqa: S603 - this very script, by its own path
        [sys.executable, str(Path(__file__).resolve()), "--child"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _fmt(times: list[float]) -> str:
    return f"{statistics.median(times):7.2f} s ({min(times):.2f}-{max(times):.2f})"


def main() -> None:
    """Run both contestants, check they agree, print times, ratio and peak memory."""
    reference, prospects = features(N_REFERENCE, 1), features(N_PROSPECTS, 2)
    t_lend, ours = timed(lambda: _lendcrm(reference, prospects))
    t_sk, theirs = timed(lambda: _sklearn(reference, prospects))
    dist, idx = theirs  # type: ignore[misc]
    np.testing.assert_allclose(ours.distances, dist, rtol=1e-9, atol=1e-12)  # type: ignore[attr-defined]
    same = ours.neighbours == idx  # type: ignore[attr-defined]
    print(f"neighbours identical: {same.mean():.6%} (the rest are distance ties)")
    peak = _peak_bytes()
    med_l, med_s = statistics.median(t_lend), statistics.median(t_sk)
    print(f"top-{K} look-alikes, {N_PROSPECTS:,} prospects x {N_REFERENCE:,} clients")
    print(f"  lendcrm LookAlikeIndex   {_fmt(t_lend)}")
    print(f"  sklearn NearestNeighbors {_fmt(t_sk)}")
    print(f"  ratio sklearn / lendcrm  {med_s / med_l:.2f}x")
    print(f"  lendcrm peak RSS         {peak / 1024**2:.0f} MiB")
    print(
        f"  within {LIMIT_SECONDS:g} s: {med_l <= LIMIT_SECONDS}; within 2 GB: {peak <= LIMIT_BYTES}"
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        main()
