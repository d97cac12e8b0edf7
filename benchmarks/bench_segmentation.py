"""Segmentation of clients from generate_frames: lendcrm vs plain pandas (the floor).

Workload (both sides, two measurement periods): weighted value score of the four
factors (percentile ranks, default weights) tiered by the default cut-offs, for each
period; Gini and top-20 % share of revenue; the tier migration matrix between the two
periods (counts and row shares). The pandas side uses ``rank``, ``cut``,
``sort_values``/``nlargest`` and ``crosstab``; both sides are checked to agree.
Timed from the features (`ClientFeatures` built, not timed) and end to end from the
two frames (features included). Then ``gini`` and ``lorenz_curve`` against a bare
``np.sort`` of the same array. All on the shared harness (`_harness`): 10k, 100k and
1M clients, median of 3 with range, the growth slope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import _harness
import numpy as np
import pandas as pd

from lendcrm.frames.columns import (
    ONBOARDED_ON,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    REFERRAL_AMOUNT,
    REVENUE_TO_BANK,
)
from lendcrm.segmentation import (
    ClientFeatures,
    WeightedValueScore,
    gini,
    lorenz_curve,
    migration_matrix,
    top_share,
)
from lendcrm.synthetic import RATING_GRADES, generate_frames

CUTOFFS = (75.0, 60.0, 40.0)
WEIGHTS = (0.35, 0.35, 0.15, 0.15)
AS_OF = dt.date(2026, 6, 30)


def two_periods(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``generate_frames`` clients, and the same book a quarter later (drifted measures)."""
    clients = generate_frames(n, seed=11, as_of=AS_OF, periods=1).clients
    rng = np.random.default_rng(12)
    later = clients.assign(
        **{
            REVENUE_TO_BANK: clients[REVENUE_TO_BANK] * rng.lognormal(0.0, 0.25, n),
            PROFIT_TO_BANK: clients[PROFIT_TO_BANK] + rng.normal(0.0, 300.0, n),
        }
    )
    return clients, later


def features(clients: pd.DataFrame) -> ClientFeatures:
    return ClientFeatures.from_frame(clients, as_of=AS_OF, rating_scale=RATING_GRADES)


def lendcrm_run(f0: ClientFeatures, f1: ClientFeatures) -> tuple:
    strategy = WeightedValueScore(cutoffs=CUTOFFS)
    s0, s1 = strategy.assign(f0), strategy.assign(f1)
    g = gini(f1.revenue)
    top = top_share(f1.revenue, 0.2)
    m = migration_matrix(s0, s1)
    return s1.codes, g, top, m.counts, m.shares


def pandas_score(frame: pd.DataFrame) -> pd.Series:
    n = len(frame)

    def pr(col: pd.Series) -> pd.Series:
        return (col.rank(method="average") - 1.0) / (n - 1)

    tenure = (pd.Timestamp(AS_OF) - frame[ONBOARDED_ON]).dt.days / 365.25
    loyalty = (pr(tenure) + pr(frame[PRODUCT_COUNT])) / 2.0
    w = np.asarray(WEIGHTS) / sum(WEIGHTS)
    score = 100.0 * (
        w[0] * pr(frame[REVENUE_TO_BANK])
        + w[1] * pr(frame[PROFIT_TO_BANK])
        + w[2] * loyalty
        + w[3] * pr(frame[REFERRAL_AMOUNT])
    )
    return score.clip(0.0, 100.0)


LABELS = ["basic", "silver", "gold", "diamond"]


def pandas_run(p0: pd.DataFrame, p1: pd.DataFrame) -> tuple:
    bins = [-np.inf, CUTOFFS[2], CUTOFFS[1], CUTOFFS[0], np.inf]
    t0 = pd.cut(pandas_score(p0), bins=bins, right=False, labels=LABELS)
    t1 = pd.cut(pandas_score(p1), bins=bins, right=False, labels=LABELS)
    revenue = p1[REVENUE_TO_BANK]
    ordered = revenue.sort_values(ignore_index=True)
    n = len(ordered)
    g = (
        2.0 * float((ordered * np.arange(1, n + 1)).sum()) / (n * ordered.sum())
        - (n + 1) / n
    )
    k = int(np.ceil(0.2 * n))
    top = float(revenue.nlargest(k).sum() / revenue.sum())
    counts = pd.crosstab(t0, t1).reindex(index=LABELS, columns=LABELS, fill_value=0)
    shares = pd.crosstab(t0, t1, normalize="index").reindex(
        index=LABELS, columns=LABELS, fill_value=0.0
    )
    return t1, g, top, counts, shares


def check_agree(ours: tuple, theirs: tuple) -> None:
    codes, g, top, counts, shares = ours
    t1, g2, top2, counts2, shares2 = theirs
    tier_of_label = {"diamond": 0, "gold": 1, "silver": 2, "basic": 3}
    their_codes = t1.map(tier_of_label).to_numpy(dtype=np.int64)
    assert (codes == their_codes).all(), "tiers differ"
    assert abs(g - g2) < 1e-9, (g, g2)
    assert abs(top - top2) < 1e-9, (top, top2)
    # crosstab rows/cols are basic..diamond reversed vs our diamond..basic
    order = [3, 2, 1, 0]
    assert (counts == counts2.to_numpy()[np.ix_(order, order)]).all(), "counts differ"
    assert np.allclose(shares, shares2.to_numpy()[np.ix_(order, order)]), (
        "shares differ"
    )


def _book(n: int) -> tuple[pd.DataFrame, pd.DataFrame, ClientFeatures, ClientFeatures]:
    c0, c1 = two_periods(n)
    f0, f1 = features(c0), features(c1)
    check_agree(lendcrm_run(f0, f1), pandas_run(c0, c1))
    return c0, c1, f0, f1


_books = _harness.cached(_book)


def _from_features(n: int) -> _harness.Contest:
    c0, c1, f0, f1 = _books(n)
    return _harness.Contest(
        ours=lambda: lendcrm_run(f0, f1),
        floor=lambda: pandas_run(c0, c1),
        floor_name="pandas",
    )


def _from_frames(n: int) -> _harness.Contest:
    c0, c1, _, _ = _books(n)
    return _harness.Contest(
        ours=lambda: lendcrm_run(features(c0), features(c1)),
        floor=lambda: pandas_run(c0, c1),
        floor_name="pandas",
    )


def _against_sort(fn: Callable[[np.ndarray], object]) -> _harness.Setup:
    def at(n: int) -> _harness.Contest:
        revenue = _books(n)[3].revenue
        return _harness.Contest(
            ours=lambda: fn(revenue),
            floor=lambda: np.sort(revenue),
            floor_name="np.sort",
        )

    return at


def main() -> None:
    """Run at 10k, 100k and 1M clients (``BENCH_SIZES`` for others)."""
    _harness.scale(
        "tiers x2 + Gini + top share + migration (features built)", _from_features
    )
    _harness.scale(
        "tiers x2 + Gini + top share + migration, end to end from the frames",
        _from_frames,
    )
    _harness.scale("gini (floor: one sort)", _against_sort(gini))
    _harness.scale("lorenz_curve (floor: one sort)", _against_sort(lorenz_curve))


if __name__ == "__main__":
    main()
