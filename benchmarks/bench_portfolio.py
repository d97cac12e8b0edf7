"""Portfolio benchmarks (#7, #20): cohort estimation and chunked Monte Carlo copula.

1. Cohort estimation of a one-year matrix through the shared harness at 10k, 100k and
   1M rating observations (target <= 1 s at 1M): lendcrm's `cohort_matrix` against
   its floor, the same counts in plain numpy (`numpy_cohort`: one lexsort, the next
   observation by shifting, one `bincount`), and a plain pandas baseline
   (groupby-shift + crosstab); the three counts are asserted equal. Then the
   `transitionMatrix` package (Open Risk) on 100,000 observations, because its row
   loop (`DataFrame.iterrows`) would take minutes on a million.
2. Monte Carlo, one factor, 1,000 obligors, at 10k and 100k scenarios (1M scenarios
   would be 10^9 draws; the cost is linear in scenarios x obligors, so two sizes show
   the slope): lendcrm's chunked two-pass `simulate_losses` (VaR, ES and every
   obligor's Euler contributions) against its floor, the draws and the loss matmul
   alone, drawn as fast as found (`draws_floor`), and the naive full-matrix implementation (VaR, ES and ES
   contributions). Then the tracemalloc peak of each at 100k and whether the two VaRs
   agree within Monte Carlo error (binomial order-statistic 95 % interval).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import _harness
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


def draws_floor(
    ead: np.ndarray, pd_: np.ndarray, lgd: np.ndarray, *, rho: float, n: int, seed: int
) -> np.ndarray:
    """The floor: the scenario losses alone, drawn the fastest way found.

    Chunks of 2,000 scenarios (the working set stays in cache), float32 draws, the
    default test as ``eps < (threshold - sqrt(rho) z) / sqrt(1 - rho)``, then the
    loss matmul; no VaR, ES or contributions.
    """
    rng = np.random.default_rng(seed)
    thr = special.ndtri(pd_).astype(np.float32)
    a, inv_b = np.float32(np.sqrt(rho)), np.float32(1.0 / np.sqrt(1.0 - rho))
    w = ead * lgd
    chunk = 2_000
    out = np.empty(n)
    for lo in range(0, n, chunk):
        m = min(chunk, n - lo)
        z = rng.standard_normal((m, 1), dtype=np.float32)
        eps = rng.standard_normal((m, len(ead)), dtype=np.float32)
        out[lo : lo + m] = (eps < (thr - a * z) * inv_b) @ w
    return out


def monte_carlo_setup(n: int) -> _harness.Contest:
    """`n` scenarios over the 1,000 obligors."""
    ead = np.full(N_OBLIGORS, 1_000_000.0)
    pd_ = np.full(N_OBLIGORS, PD)
    lgd = np.full(N_OBLIGORS, LGD)
    return _harness.Contest(
        ours=lambda: simulate_losses(
            ead, pd_, lgd, correlation=RHO, n_scenarios=n,
            rng=np.random.default_rng(1), levels=LEVELS,
        ),
        floor=lambda: draws_floor(ead, pd_, lgd, rho=RHO, n=n, seed=1),
        floor_name="draws+matmul",
        peer=lambda: naive_monte_carlo(ead, pd_, lgd, rho=RHO, n=n, seed=2),
        peer_name="naive full matrix",
    )  # fmt: skip


def bench_monte_carlo() -> None:
    _harness.scale(
        f"simulate_losses, {N_OBLIGORS:,} obligors (n = scenarios)",
        monte_carlo_setup,
        at=(10_000, 100_000),
    )
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


def numpy_cohort(ob: np.ndarray, t: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The floor: one-year transition counts in plain numpy (lexsort, shift, bincount)."""
    order = np.lexsort((t, ob))
    o, tt, gg = ob[order], t[order], g[order]
    pair = (o[1:] == o[:-1]) & (tt[1:] - tt[:-1] == 1.0) & (gg[:-1] != 7)
    return np.bincount(gg[:-1][pair] * 8 + gg[1:][pair], minlength=64).reshape(8, 8)


SCALE = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "D"]


def cohort_setup(n: int) -> _harness.Contest:
    """`n` rating observations (n / 10 obligors x 10 years); the counts agree."""
    ob, t, g = _histories(n, seed=3)
    est = cohort_matrix(ob, t, g, scale=SCALE)
    np.testing.assert_array_equal(numpy_cohort(ob, t, g), est.counts)
    np.testing.assert_array_equal(pandas_cohort(ob, t, g), est.counts)
    return _harness.Contest(
        ours=lambda: cohort_matrix(ob, t, g, scale=SCALE),
        floor=lambda: numpy_cohort(ob, t, g),
        peer=lambda: pandas_cohort(ob, t, g),
        peer_name="pandas",
    )


def bench_cohort() -> None:
    scale = SCALE
    print("Cohort estimation (n observations = n / 10 obligors x 10 years)")
    _harness.scale("cohort_matrix", cohort_setup)
    ob, t, g = _histories(100_000, seed=3)
    _, m_ours, _ = _measure(lambda: cohort_matrix(ob, t, g, scale=scale))
    print(f"  lendcrm peak traced memory at 100,000 observations: {m_ours:.0f} MiB")
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
