"""Lifetime ECL of a big book: lendcrm against plain numpy, vectorised and per facility.

The book: ``N`` facilities (1,000,000 by default), annual buckets up to ``T`` = 30
years, 3 macro scenarios (`BASE_UPSIDE_DOWNSIDE`). Each facility has a master-scale
grade whose through-the-cycle curve (constant hazard at the grade's PD) is moved point
in time per scenario (`scenario_marginal_pd`, done once per grade), a remaining life of
1 to 30 years with a linearly amortising EAD profile, an LGD, an EIR and a stage. The
inputs are the arrays a caller hands over: marginal PDs ``(3, N, T)``, EAD ``(N, T)``.

Contestants, each giving the 12-month and lifetime ECL of every facility:

- lendcrm: `lendcrm.risk.impairment.expected_credit_loss` (input checks included);
- numpy, blocked (the floor): the best plain numpy found — the same in blocks of
  4,096 rows that stay in cache (no checks): lendcrm's loop without its input checks;
- numpy, vectorised: plain numpy written for the whole book at once (in-place
  scenario weighting, one discount-factor array, two sums, no checks), checked
  equal but not timed (the blocked version is faster);
- numpy per facility: the well-written loop a model developer writes first, numpy on
  each facility's ``(3, T)`` curves; timed up to 100k facilities.

The shared harness times them at 10k, 100k and 1M facilities. Results are asserted
equal (1e-12 relative; the loop on the first ``SAMPLE`` facilities). Each figure is
the median of 3 runs with its range. Peak memory is the resident peak
(``ru_maxrss``) of a child process that builds the book and runs lendcrm once.

Run: ``python benchmarks/bench_impairment.py [n_facilities]``.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
from functools import partial

import _harness
import numpy as np

from lendcrm.risk.impairment import (
    BASE_UPSIDE_DOWNSIDE,
    expected_credit_loss,
    scenario_marginal_pd,
)
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE

HORIZON = 30
RUNS = 3
SAMPLE = 50_000
LOOP_MAX = 100_000
Book = dict[str, np.ndarray]


def build_book(n: int, horizon: int = HORIZON, seed: int = 11) -> Book:
    """The arrays of a synthetic book (see the module docstring)."""
    rng = np.random.default_rng(seed)
    pds = np.asarray(DEFAULT_MASTER_SCALE.pds[:-1])  # performing grades 1-9
    t = np.arange(1, horizon + 1)
    curves = 1.0 - (1.0 - pds[:, None]) ** t[None, :]
    per_grade = scenario_marginal_pd(curves, BASE_UPSIDE_DOWNSIDE, rho=0.12)
    grade = rng.integers(0, pds.size, n)
    life = rng.integers(1, horizon + 1, n)
    limit = np.round(rng.lognormal(14, 1, n), -3)
    start = np.arange(horizon)
    ead = limit[:, None] * np.clip((life[:, None] - start) / life[:, None], 0.0, None)
    return {
        "marginal_pd": per_grade[:, grade, :],
        "ead": ead,
        "lgd": rng.uniform(0.2, 0.6, n),
        "eir": rng.uniform(0.02, 0.08, n),
        "stage": rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05]),
        "weights": np.asarray(BASE_UPSIDE_DOWNSIDE.weights),
    }


def lendcrm_ecl(book: Book) -> tuple[np.ndarray, np.ndarray]:
    """12-month and lifetime ECL with lendcrm."""
    e = expected_credit_loss(
        book["marginal_pd"],
        book["lgd"],
        book["ead"],
        book["eir"],
        stage=book["stage"],
        scenario_weights=book["weights"],
    )
    return e.twelve_month, e.lifetime


def numpy_vectorised(book: Book) -> tuple[np.ndarray, np.ndarray]:
    """The whole book at once in plain numpy (no checks)."""
    q, w, ead = book["marginal_pd"], book["weights"], book["ead"]
    horizon = ead.shape[1]
    loss = w[0] * q[0]
    for s in range(1, w.size):
        loss += w[s] * q[s]
    loss *= ead
    loss *= np.exp(
        np.multiply.outer(-np.log1p(book["eir"]), np.arange(1, horizon + 1.0))
    )
    return book["lgd"] * loss[:, 0], book["lgd"] * loss.sum(axis=1)


def numpy_blocked(book: Book, rows: int = 4_096) -> tuple[np.ndarray, np.ndarray]:
    """The best plain numpy found: blocks of rows that stay in cache (no checks)."""
    q, w, ead = book["marginal_pd"], book["weights"], book["ead"]
    n, horizon = ead.shape
    times = np.arange(1, horizon + 1.0)
    log_v = -np.log1p(book["eir"])
    twelve, life = np.empty(n), np.empty(n)
    for i0 in range(0, n, rows):
        i1 = min(i0 + rows, n)
        loss = w[0] * q[0, i0:i1]
        for s in range(1, w.size):
            loss += w[s] * q[s, i0:i1]
        loss *= ead[i0:i1]
        loss *= np.exp(np.multiply.outer(log_v[i0:i1], times))
        twelve[i0:i1] = loss[:, 0]
        life[i0:i1] = loss.sum(axis=1)
    return book["lgd"] * twelve, book["lgd"] * life


def numpy_per_facility(book: Book, n: int) -> tuple[np.ndarray, np.ndarray]:
    """One facility at a time, numpy on its (scenarios, T) curves."""
    q, w, ead = book["marginal_pd"], book["weights"], book["ead"]
    times = np.arange(1, ead.shape[1] + 1.0)
    twelve, life = np.empty(n), np.empty(n)
    for i in range(n):
        loss = (w @ q[:, i, :]) * ead[i] * (1.0 + book["eir"][i]) ** -times
        twelve[i] = book["lgd"][i] * loss[0]
        life[i] = book["lgd"][i] * loss.sum()
    return twelve, life


def _peak_child(n: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    book = build_book(n)
    built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lendcrm_ecl(book)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((built, peak))


def _peak_rss(n: int) -> tuple[float, float]:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_peak_child, args=(n, queue))
    child.start()
    built, peak = queue.get()
    child.join()
    return built, peak


def setup(n: int) -> _harness.Contest:
    """The book of `n` facilities; lendcrm, both numpy versions and the loop agree."""
    book = build_book(n)
    ours, flat, blocked = lendcrm_ecl(book), numpy_vectorised(book), numpy_blocked(book)
    sample = min(SAMPLE, n)
    loop = numpy_per_facility(book, sample)
    head = (ours[0][:sample], ours[1][:sample])
    for a, b in ((ours, flat), (ours, blocked), (head, loop)):
        np.testing.assert_allclose(a[0], b[0], rtol=1e-12)
        np.testing.assert_allclose(a[1], b[1], rtol=1e-12)
    del ours, flat, blocked, loop, head
    return _harness.Contest(
        ours=partial(lendcrm_ecl, book),
        floor=partial(numpy_blocked, book),
        floor_name="numpy blocked",
        peer=partial(numpy_per_facility, book, n) if n <= LOOP_MAX else None,
        peer_name="numpy per facility",
    )


def main(n: int = 1_000_000) -> None:
    """Time the contestants at each size (they agree), then peak memory at `n`."""
    print(f"lifetime ECL, n facilities x {HORIZON} years x 3 scenarios")
    _harness.scale("expected_credit_loss (12-month + lifetime)", setup)
    built, peak = _peak_rss(n)
    print(
        f"  peak RSS at {n:,} (build + lendcrm): {peak:,.0f} MB; book alone {built:,.0f} MB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
