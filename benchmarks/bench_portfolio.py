"""Portfolio benchmarks (#7): chunked Monte Carlo copula and cohort estimation.

1. Monte Carlo, one factor, 1,000 obligors x 100,000 scenarios: lendcrm's chunked
   two-pass `simulate_losses` (VaR, ES and every obligor's Euler contributions)
   against a naive implementation that materialises the whole scenario x obligor
   matrix (VaR, ES and ES contributions). Time and tracemalloc peak of each, and
   whether the two VaRs agree within Monte Carlo error (binomial order-statistic
   95 % interval of the quantile).
2. Cohort estimation of a one-year matrix: lendcrm on 1,000,000 rating observations
   (target <= 1 s) against a plain pandas baseline (groupby-shift + crosstab) on the
   same data, and against the `transitionMatrix` package (Open Risk) on 100,000
   observations, because its row loop (`DataFrame.iterrows`) would take minutes on a
   million.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from lendcrm.risk.portfolio import cohort_matrix, simulate_losses

N_OBLIGORS = 1_000
N_SCENARIOS = 100_000
PD, LGD, RHO = 0.01, 0.45, 0.12
LEVELS = np.array([0.99, 0.999])


def _measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(seconds, peak MiB by tracemalloc, result) of one call."""
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dt, peak / 2**20, out


def naive_monte_carlo(
    ead: np.ndarray, pd_: np.ndarray, lgd: np.ndarray, *, rho: float, n: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Textbook version: the full (scenarios x obligors) matrices at once."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 1))
    eps = rng.standard_normal((n, len(ead)))
    x = np.sqrt(rho) * z + np.sqrt(1.0 - rho) * eps
    default = x < special.ndtri(pd_)
    w = ead * lgd
    losses = default @ w
    order = np.argsort(losses)
    k = np.ceil(LEVELS * n).astype(int)
    var = losses[order][k - 1]
    es_contrib = np.stack([default[order[kk - 1 :]].mean(axis=0) * w for kk in k])
    return losses, var, es_contrib


def bench_monte_carlo() -> None:
    ead = np.full(N_OBLIGORS, 1_000_000.0)
    pd_ = np.full(N_OBLIGORS, PD)
    lgd = np.full(N_OBLIGORS, LGD)
    print(
        f"Monte Carlo, one factor: {N_OBLIGORS:,} obligors x {N_SCENARIOS:,} "
        "scenarios, levels 99 % and 99.9 %"
    )
    t_ours, m_ours, sim = _measure(
        lambda: simulate_losses(
            ead,
            pd_,
            lgd,
            correlation=RHO,
            n_scenarios=N_SCENARIOS,
            rng=np.random.default_rng(1),
            levels=LEVELS,
        )
    )
    t_naive, m_naive, (losses_n, var_n, es_c_n) = _measure(
        lambda: naive_monte_carlo(ead, pd_, lgd, rho=RHO, n=N_SCENARIOS, seed=2)
    )
    print(
        f"  lendcrm chunked ({sim.passes} pass, VaR+ES+Euler):  {t_ours:7.2f} s  peak {m_ours:8.1f} MiB"
    )
    print(
        f"  naive full matrix (VaR+ES contributions):  {t_naive:7.2f} s  peak {m_naive:8.1f} MiB"
    )
    print(
        f"  ratio naive/lendcrm: time {t_naive / t_ours:.2f}x, "
        f"memory {m_naive / m_ours:.1f}x (lendcrm uses {m_ours / m_naive:.3f} of it)"
    )
    sorted_ours = np.sort(sim.losses)
    for j, q in enumerate(LEVELS):
        half = 1.96 * np.sqrt(N_SCENARIOS * q * (1 - q))
        lo = sorted_ours[max(int(np.floor(q * N_SCENARIOS - half)) - 1, 0)]
        hi = sorted_ours[min(int(np.ceil(q * N_SCENARIOS + half)) - 1, N_SCENARIOS - 1)]
        inside = lo <= var_n[j] <= hi
        print(
            f"  VaR {q:.1%}: lendcrm {sim.var[j] / 1e6:8.2f} m, naive {var_n[j] / 1e6:8.2f} m,"
            f" lendcrm 95 % MC interval [{lo / 1e6:.2f}, {hi / 1e6:.2f}] m -> "
            f"{'same within MC error' if inside else 'OUTSIDE MC error'}"
        )
    print(
        f"  ES 99.9 %: lendcrm {sim.expected_shortfall[1] / 1e6:.2f} m, "
        f"sum of ES contributions {sim.es_contributions[1].sum() / 1e6:.2f} m; "
        f"naive {es_c_n[1].sum() / 1e6:.2f} m"
    )
    print(f"  peak memory <= 1 GB: {'yes' if m_ours <= 1024 else 'NO'} (lendcrm)")
    del losses_n


def _histories(n_obs: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = 10
    n_ob = n_obs // years
    rng = np.random.default_rng(seed)
    ob = np.repeat(np.arange(n_ob), years)
    t = np.tile(np.arange(years), n_ob)
    # a sticky chain: keep the grade with probability 0.8, else draw one of 8
    g = np.empty(n_ob * years, dtype=np.int64).reshape(n_ob, years)
    g[:, 0] = rng.integers(0, 7, n_ob)
    for y in range(1, years):
        move = rng.random(n_ob) < 0.2
        g[:, y] = np.where(move, rng.integers(0, 8, n_ob), g[:, y - 1])
        g[:, y] = np.where(g[:, y - 1] == 7, 7, g[:, y])
    return ob, t.astype(np.float64), g.ravel()


def pandas_cohort(ob: np.ndarray, t: np.ndarray, g: np.ndarray) -> np.ndarray:
    frame = pd.DataFrame({"id": ob, "t": t, "g": g})
    frame = frame.sort_values(["id", "t"], kind="stable")
    nxt = frame.groupby("id")["g"].shift(-1)
    nxt_t = frame.groupby("id")["t"].shift(-1)
    pairs = frame.assign(to=nxt, dt=nxt_t - frame["t"]).dropna()
    pairs = pairs[(pairs["dt"] == 1.0) & (pairs["g"] != 7)]
    counts = pd.crosstab(pairs["g"], pairs["to"].astype(int)).reindex(
        index=range(8), columns=range(8), fill_value=0
    )
    return counts.to_numpy()


def bench_cohort() -> None:
    scale = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "D"]
    n_obs = 1_000_000
    ob, t, g = _histories(n_obs, seed=3)
    runs = []
    est = None
    for _ in range(3):
        t0 = time.perf_counter()
        est = cohort_matrix(ob, t, g, scale=scale)
        runs.append(time.perf_counter() - t0)
    assert est is not None
    runs_pd = []
    counts_pd = None
    for _ in range(3):
        t0 = time.perf_counter()
        counts_pd = pandas_cohort(ob, t, g)
        runs_pd.append(time.perf_counter() - t0)
    same = counts_pd is not None and np.array_equal(counts_pd, est.counts)
    _, m_ours, _ = _measure(lambda: cohort_matrix(ob, t, g, scale=scale))
    med, med_pd = statistics.median(runs), statistics.median(runs_pd)
    print(
        f"Cohort estimation, {n_obs:,} rating observations (100,000 obligors x 10 years)"
    )
    print(
        f"  lendcrm median {med:.3f} s (target <= 1 s: {'yes' if med <= 1 else 'NO'}),"
        f" peak {m_ours:.0f} MiB; pandas baseline median {med_pd:.3f} s;"
        f" ratio pandas/lendcrm {med_pd / med:.2f}x; same counts: {same}"
    )
    try:
        import transitionMatrix as tmx  # noqa: N813
        from transitionMatrix.estimators.cohort_estimator import CohortEstimator
    except ImportError as exc:  # peer is optional (bench extra)
        print(f"  transitionMatrix not available ({exc}); skipped")
        return
    small = 100_000
    ob_s, t_s, g_s = ob[:small], t[:small], g[:small]
    frame = pd.DataFrame({"ID": ob_s, "Time": t_s.astype(int), "State": g_s})
    states = tmx.StateSpace([(str(i), s) for i, s in enumerate(scale)])
    t0 = time.perf_counter()
    peer = CohortEstimator(
        states=states,
        ci={"method": "goodman", "alpha": 0.05},
        cohort_bounds=list(range(10)),
    )
    try:
        peer.fit(frame)
        t_peer = time.perf_counter() - t0
        peer_ok = True
    except Exception as exc:
        t_peer = time.perf_counter() - t0
        peer_ok = False
        print(f"  transitionMatrix failed on this data: {type(exc).__name__}: {exc}")
    t0 = time.perf_counter()
    mine = cohort_matrix(ob_s, t_s, g_s, scale=scale)
    t_mine = time.perf_counter() - t0
    if peer_ok:
        diff = np.abs(peer.average_matrix[:7] - mine.matrix[:7]).max()
        print(
            f"  on {small:,} observations: transitionMatrix {t_peer:.2f} s, lendcrm "
            f"{t_mine:.4f} s, ratio {t_peer / t_mine:.0f}x; max |P_peer - P| over "
            f"non-default rows {diff:.2e}"
        )


def main() -> None:
    bench_cohort()
    bench_monte_carlo()


if __name__ == "__main__":
    main()
