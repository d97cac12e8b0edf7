"""Look-alike ranking: lendcrm's chunked k-d tree beside scikit-learn's NearestNeighbors.

The task: the ten nearest reference clients of each of ``n`` prospects (10k and
100k; not 1M: a query, not a batch path over the book) among ``N_REFERENCE`` diamond and gold clients (50,000), on six features of
a prospect profile (log revenue, leverage, EBITDA margin, revenue growth, years
trading, rating log-odds), drawn correlated as such features are, standardised with
the reference set's mean and standard deviation.

Contestants:

- lendcrm: `LookAlikeIndex.fit` then `query(k=10, workers=-1)` (standardisation, the
  tree, the chunked query and the closest-feature explanations of every match);
- scipy (the floor): ``cKDTree`` on the same standardised matrices, ``query(k=10,
  workers=-1)`` (no explanations);
- scikit-learn: ``NearestNeighbors(n_neighbors=10, algorithm="kd_tree", n_jobs=-1)``
  on the same standardised matrices (fit and ``kneighbors``; no explanations).

All use every core of the machine.

The neighbours are asserted equal (same rows; where two reference clients are at the
same distance the order may differ, so equal distances are accepted), then each is
timed three times (median and range) through the shared harness. Peak memory is the resident peak
(``ru_maxrss``) of a child process that builds the data and runs lendcrm once.

Run: ``python benchmarks/bench_lookalike.py``.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import _harness
import numpy as np
from scipy.spatial import cKDTree

from lendcrm.relationship.commercial import LookAlikeIndex

N_PROSPECTS = 100_000
N_REFERENCE = 50_000
K = 10
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


def _scipy(reference: dict[str, np.ndarray], prospects: dict[str, np.ndarray]):
    """The floor: scipy's k-d tree on the standardised matrices, no explanations."""
    r = np.column_stack([reference[n] for n in NAMES])
    p = np.column_stack([prospects[n] for n in NAMES])
    mean, sd = r.mean(axis=0), r.std(axis=0)
    return cKDTree((r - mean) / sd).query((p - mean) / sd, k=K, workers=-1)


def setup(n: int) -> _harness.Contest:
    """`n` prospects against the reference clients; the three agree."""
    reference, prospects = features(N_REFERENCE, 1), features(n, 2)
    ours = _lendcrm(reference, prospects)
    dist, idx = _sklearn(reference, prospects)
    np.testing.assert_allclose(ours.distances, dist, rtol=1e-9, atol=1e-12)
    floor_dist, _ = _scipy(reference, prospects)
    np.testing.assert_allclose(ours.distances, floor_dist, rtol=1e-9, atol=1e-12)
    same = ours.neighbours == idx
    print(
        f"  {n:,} prospects: neighbours identical {same.mean():.6%} (the rest are ties)"
    )
    return _harness.Contest(
        ours=lambda: _lendcrm(reference, prospects),
        floor=lambda: _scipy(reference, prospects),
        floor_name="scipy cKDTree",
        peer=lambda: _sklearn(reference, prospects),
        peer_name="sklearn",
    )


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


def main() -> None:
    """Time the three at 10k and 100k prospects (they agree), then peak memory."""
    print(f"top-{K} look-alikes, n prospects x {N_REFERENCE:,} clients")
    rows = _harness.scale(
        "LookAlikeIndex fit + query (n = prospects)", setup, at=(10_000, N_PROSPECTS)
    )
    peak = _peak_bytes()
    print(f"  lendcrm peak RSS at {N_PROSPECTS:,}: {peak / 1024**2:.0f} MiB")
    med = rows[-1].ours.median
    print(
        f"  within {LIMIT_SECONDS:g} s: {med <= LIMIT_SECONDS}; within 2 GB: {peak <= LIMIT_BYTES}"
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        main()
