"""Client lifetime value at 10k, 100k and 1M clients: lendcrm beside numpy and pandas.

The book: ``n`` clients (10k, 100k, 1M through the shared harness) in the live stages and exited, each with its own
profit, expected loss and capital cost per period in each of the five live stages
(``(N, 5)`` matrices), one per-period stage chain and a 1 % per-period discount rate.

Contestants, all computing the risk-adjusted value over the whole remaining life,
``V = (I - Q / (1 + d))^{-1} (profit - EL - capital cost)`` read at the client's stage:

- lendcrm: `lifetime_value` with the stages as codes (a categorical's codes) and, in a
  second workload, as stage names (strings, mapped to codes inside);
- numpy (the floor): the same closed form written by hand (the net per stage, one
  5x5 inverse, one matrix product, one gather), without input checks;
- pandas: the per-stage value from the inverse, then a ``DataFrame`` with one row per
  client and stage (``melt``) joined to the operator and summed with ``groupby``, the
  way the computation reads in pandas.

The results are asserted equal (1e-9 relative), then each is timed three times
(median and range) per size.

Run: ``python benchmarks/bench_lifetime.py``.
"""

from __future__ import annotations

import _harness
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


def setup(*, as_names: bool) -> _harness.Setup:
    """The workload with stages as codes or as names; all contestants agree."""

    def at(n: int) -> _harness.Contest:
        stages, profit, el, cc = book(n)
        given = (
            np.array([s.value for s in CLIENT_STAGES], dtype=object)[stages]
            if as_names
            else stages
        )

        def ours() -> np.ndarray:
            return lifetime_value(
                given, profit, chain=CHAIN, discount_rate=RATE,
                expected_loss_per_stage=el, capital_cost_per_stage=cc,
            )  # fmt: skip

        def floor() -> np.ndarray:
            return numpy_value(stages, profit - el - cc)

        ref = floor()
        np.testing.assert_allclose(ours(), ref, rtol=1e-9, atol=1e-6)
        if not as_names:
            np.testing.assert_allclose(
                pandas_value(stages, profit - el - cc), ref, rtol=1e-9, atol=1e-6
            )
        return _harness.Contest(
            ours=ours,
            floor=floor,
            peer=None if as_names else lambda: pandas_value(stages, profit - el - cc),
            peer_name="pandas melt/join/groupby",
        )

    return at


def main() -> None:
    """Time the contestants at each size, check they agree, print the table."""
    rows = _harness.scale("lifetime_value (stage codes)", setup(as_names=False))
    _harness.scale("lifetime_value (stage names)", setup(as_names=True))
    big = [r for r in rows if r.n == N]
    if big:
        print(
            f"  within {LIMIT_SECONDS:g} s at {N:,}: {big[0].ours.median <= LIMIT_SECONDS}"
        )


if __name__ == "__main__":
    main()
