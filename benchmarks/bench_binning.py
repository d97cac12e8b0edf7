"""Binning fit against its sort floor, beside optbinning's fit of the same data (#20).

One numeric variable (a logistic target on a normal feature, about 16 % bads) is
binned at 10k, 100k and 1M rows under the constraints of `bench_scoring.py` (at most
20 pre-bins, minimum bin share 5 %, at least 5 goods and 5 bads per bin, automatic
trend). The floor is ``np.sort`` of the same values: pre-binning needs the order of
the values, so a fit can not be cheaper than one sort, and the ratio ``fit ÷ sort``
says how much the pre-binning, the counting and the optimal merge add to it.

Workloads: the default tree pre-binning (quantile candidates plus CART splits) beside
optbinning's `OptimalBinning` (CART pre-binning, the same constraints, its ``auto``
trend), and quantile pre-binning alone. The splits are checked to be observed values
and optbinning's IV is printed beside lendcrm's.

Run: ``python benchmarks/bench_binning.py`` (``BENCH_SIZES`` limits the sizes).
"""

from __future__ import annotations

import warnings

import _harness
import numpy as np

from lendcrm.risk.scoring import BinningConfig, PreBinning, Trend, fit_numeric

SEED = 20_261_207


def make_data(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """A normal feature and a logistic 0/1 target (about 16 % ones)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, n)
    y = (rng.random(n) < 1 / (1 + np.exp(2.0 - x))).astype(np.int64)
    return x, y


def config(prebinning: PreBinning) -> BinningConfig:
    """The constraints of the scoring benchmark."""
    return BinningConfig(
        trend=Trend.AUTO,
        prebinning=prebinning,
        max_prebins=20,
        min_bin_share=0.05,
        min_bin_goods=5,
        min_bin_bads=5,
    )


def optbinning_fit(x: np.ndarray, y: np.ndarray) -> object | None:
    """optbinning's fit under the same constraints, or None when not installed."""
    try:
        from optbinning import OptimalBinning
    except ImportError:
        return None
    ob = OptimalBinning(
        name="x",
        monotonic_trend="auto",
        max_n_prebins=20,
        min_prebin_size=0.05,
        min_bin_size=0.05,
        min_bin_n_event=5,
        min_bin_n_nonevent=5,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ob.fit(x, y)
    return ob


def setup(prebinning: PreBinning, *, peer: bool) -> _harness.Setup:
    cfg = config(prebinning)

    def at(n: int) -> _harness.Contest:
        x, y = make_data(n)
        b = fit_numeric(x, y, name="x", config=cfg)
        observed = np.isin(np.asarray(b.splits), x)
        assert observed.all(), "splits are observed values"
        ob = optbinning_fit(x, y) if peer else None
        if ob is not None:
            iv = float(ob.binning_table.build().loc["Totals", "IV"])
            print(
                f"  n={n:,}: lendcrm {b.n_regular} bins, IV {b.iv:.4f} ({b.trend});"
                f" optbinning {len(ob.splits) + 1} bins, IV {iv:.4f}"
            )
        return _harness.Contest(
            ours=lambda: fit_numeric(x, y, name="x", config=cfg),
            floor=lambda: np.sort(x),
            floor_name="np.sort",
            peer=None if ob is None else lambda: optbinning_fit(x, y),
            peer_name="optbinning",
        )

    return at


def main() -> None:
    _harness.scale("fit_numeric, tree pre-bins", setup(PreBinning.TREE, peer=True))
    _harness.scale(
        "fit_numeric, quantile pre-bins", setup(PreBinning.QUANTILE, peer=False)
    )


if __name__ == "__main__":
    main()
