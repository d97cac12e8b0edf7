"""Client lifetime value for a million clients: lendcrm beside plain numpy and pandas.

The book: ``N`` clients (1,000,000) in the live stages and exited, each with its own
profit, expected loss and capital cost per period in each of the five live stages
(``(N, 5)`` matrices), one per-period stage chain and a 1 % per-period discount rate.

Contestants, all computing the risk-adjusted value over the whole remaining life,
``V = (I - Q / (1 + d))^{-1} (profit - EL - capital cost)`` read at the client's stage:

- lendcrm: `lifetime_value` with the stages as codes (a categorical's codes) and, in a
  second row, as stage names (strings, mapped to codes inside);
- numpy: the same closed form written by hand (one 5x5 inverse, one matrix product,
  one gather), without input checks;
- pandas: the per-stage value from the inverse, then a ``DataFrame`` with one row per
  client and stage (``melt``) joined to the operator and summed with ``groupby``, the
  way the computation reads in pandas.

The results are asserted equal (1e-9 relative), then each is timed three times
(median and range).

Run: ``python benchmarks/bench_lifetime.py``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from lendcrm.relationship.commercial import CLIENT_STAGES, StageChain, lifetime_value

N = 1_000_000
RUNS = 3
RATE = 0.01
LIMIT_SECONDS = 2.0


def book(
    n: int, seed: int = 5
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stage codes and per-client profit, expected loss and capital cost."""
    rng = np.random.default_rng(seed)
    stages = rng.choice(6, size=n, p=[0.06, 0.10, 0.28, 0.41, 0.12, 0.03])
    scale = rng.lognormal(10.0, 1.0, size=(n, 1))
    profit = (
        scale * np.array([-0.2, 0.3, 1.0, 1.2, 0.4]) * rng.lognormal(0, 0.2, (n, 5))
    )
    el = scale * 0.1 * rng.random((n, 5))
    cc = scale * 0.15 * rng.random((n, 5))
    return stages, profit, el, cc


CHAIN = StageChain(
    matrix=np.array(
        [
            [0.80, 0.15, 0.00, 0.00, 0.00, 0.05],
            [0.00, 0.70, 0.25, 0.00, 0.02, 0.03],
            [0.00, 0.00, 0.85, 0.12, 0.02, 0.01],
            [0.00, 0.00, 0.03, 0.92, 0.04, 0.01],
            [0.00, 0.00, 0.05, 0.05, 0.80, 0.10],
            [0.00, 0.00, 0.00, 0.00, 0.00, 1.00],
        ]
    )
)


def numpy_value(stages: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The closed form by hand."""
    q = CHAIN.matrix[:5, :5] / (1 + RATE)
    m = np.linalg.inv(np.eye(5) - q)
    out = np.zeros(stages.shape[0])
    live = stages < 5
    out[live] = np.einsum("ij,ij->i", m[stages[live]], r[live])
    return out


def pandas_value(stages: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The closed form the pandas way: melt, join the operator, group and sum."""
    q = CHAIN.matrix[:5, :5] / (1 + RATE)
    m = pd.DataFrame(np.linalg.inv(np.eye(5) - q)).stack().rename("weight")  # noqa: PD013
    m.index.names = ["stage", "j"]
    long = (
        pd.DataFrame(r)
        .rename_axis("client")
        .reset_index()
        .melt(id_vars="client", var_name="j", value_name="r")
    )
    long["stage"] = stages[long["client"].to_numpy()]
    long = long[long["stage"] < 5].join(m, on=["stage", "j"])
    summed = (long["r"] * long["weight"]).groupby(long["client"]).sum()
    return summed.reindex(range(stages.shape[0]), fill_value=0.0).to_numpy()


def timed(fn: Callable[[], np.ndarray]) -> tuple[list[float], np.ndarray]:
    """Three timed runs; the last result."""
    times: list[float] = []
    out = np.empty(0)
    for _ in range(RUNS):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return times, out


def _fmt(times: list[float]) -> str:
    return f"{statistics.median(times):7.3f} s ({min(times):.3f}-{max(times):.3f})"


def main() -> None:
    """Time the contestants, check they agree, print times and ratios."""
    stages, profit, el, cc = book(N)
    names = np.array([s.value for s in CLIENT_STAGES], dtype=object)[stages]
    net = profit - el - cc

    def ours_codes() -> np.ndarray:
        return lifetime_value(
            stages, profit, chain=CHAIN, discount_rate=RATE,
            expected_loss_per_stage=el, capital_cost_per_stage=cc,
        )  # fmt: skip

    def ours_names() -> np.ndarray:
        return lifetime_value(
            names, profit, chain=CHAIN, discount_rate=RATE,
            expected_loss_per_stage=el, capital_cost_per_stage=cc,
        )  # fmt: skip

    rows = {
        "lendcrm lifetime_value (codes)": timed(ours_codes),
        "lendcrm lifetime_value (names)": timed(ours_names),
        "numpy closed form, no checks": timed(lambda: numpy_value(stages, net)),
        "pandas melt/join/groupby": timed(lambda: pandas_value(stages, net)),
    }
    ref = rows["numpy closed form, no checks"][1]
    for label, (_, out) in rows.items():
        np.testing.assert_allclose(out, ref, rtol=1e-9, atol=1e-6, err_msg=label)
    base = statistics.median(rows["lendcrm lifetime_value (codes)"][0])
    print(f"lifetime value, {N:,} clients, per-client profits (N, 5)")
    for label, (times, _) in rows.items():
        ratio = statistics.median(times) / base
        print(f"  {label:32s} {_fmt(times)}  {ratio:5.2f}x lendcrm (codes)")
    print(f"  within {LIMIT_SECONDS:g} s: {base <= LIMIT_SECONDS}")


if __name__ == "__main__":
    main()
