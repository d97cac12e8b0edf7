r"""Gains, lift and KS by score band: the discrimination table of a validation pack.

Rows are score bands, **riskiest first** (lowest scores: a higher score is lower risk).
For band $k$ with $n_k$ rows, $b_k$ bads and $g_k$ goods, and totals $N$, $B$, $G$:

$$\text{bad rate}_k = \frac{b_k}{n_k},\qquad
\text{lift}_k = \frac{b_k / n_k}{B / N},\qquad
\text{KS}_k = \frac{\sum_{j \le k} b_j}{B} - \frac{\sum_{j \le k} g_j}{G},$$

the cumulative columns summing bands $1..k$. The largest $\text{KS}_k$ is the KS of the
banded score (at most the KS of the raw score, `lendcrm.risk.scoring.ks`). Source: the
gains chart of N. Siddiqi, *Credit Risk Scorecards* (Wiley, 2006), ch. 9.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, check_same_length
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning_check import as_binary_target

__all__ = ["GainsRow", "gains_table"]

_MIN_BANDS = 2


@attrs.frozen(kw_only=True)
class GainsRow:
    """One score band of a gains table (riskiest band first).

    Attributes:
        band: Band number, 1 for the riskiest (lowest scores).
        score_min: Lowest score in the band (NaN if the band is empty).
        score_max: Highest score in the band (NaN if the band is empty).
        count: Rows in the band.
        goods: Goods (target 0) in the band.
        bads: Bads (target 1) in the band.
        bad_rate: `bads / count` (NaN if empty).
        share: `count / N`, the band's share of all rows.
        cum_share: Share of all rows in bands `1..band`.
        cum_bads_share: Share of all bads in bands `1..band` (the bads "captured").
        cum_goods_share: Share of all goods in bands `1..band`.
        ks: `cum_bads_share - cum_goods_share`.
        lift: `bad_rate / (B / N)`: how much riskier than average (NaN if empty).
        cum_lift: Bad rate of bands `1..band` over the average bad rate.
    """

    band: int
    score_min: float
    score_max: float
    count: int
    goods: int
    bads: int
    bad_rate: float
    share: float
    cum_share: float
    cum_bads_share: float
    cum_goods_share: float
    ks: float
    lift: float
    cum_lift: float


def _band_index(
    s: FloatArray, bands: int, edges: npt.ArrayLike | None, name: str
) -> tuple[npt.NDArray[np.intp], int]:
    """Band of each score (0 = lowest scores) and the number of bands."""
    if edges is None:
        given: object = bands
        if not isinstance(given, int) or isinstance(given, bool) or given < _MIN_BANDS:
            raise InvalidValueError(
                field="bands", value=bands, expected="an integer >= 2"
            )
        if len(s) < bands:
            raise InvalidValueError(
                field=name,
                value=f"{len(s)} rows",
                expected=f"at least {bands} rows, one per band",
                hint="Ask for fewer bands, or pass `edges`.",
            )
        # quantile edges at observed scores; ties are never split, so equal scores
        # share a band and heavy ties give fewer bands
        ordered = np.sort(s)
        cuts = np.unique(ordered[(np.arange(1, bands) * len(s)) // bands])
        cuts = cuts[cuts > ordered[0]]
    else:
        cuts = as_float_array(edges, name="edges", allow_empty=False)
        if (np.diff(cuts) <= 0).any():
            raise InvalidValueError(
                field="edges", value=cuts.tolist(), expected="strictly increasing"
            )
    idx = np.searchsorted(cuts, s, side="right")
    return idx, len(cuts) + 1


def gains_table(
    target: npt.ArrayLike,
    scores: npt.ArrayLike,
    *,
    bands: int = 10,
    edges: npt.ArrayLike | None = None,
    name: str = "scores",
) -> tuple[GainsRow, ...]:
    r"""Gains, lift and KS table by score band, riskiest band first.

    Args:
        target: 1 for bad, 0 for good, shape `(n,)`.
        scores: Scorecard points, higher is lower risk, shape `(n,)`. For a PD, pass
            `ScoreScale().score_of_pd(pd)` (or minus the PD).
        bands: Number of quantile bands (10 for deciles) when `edges` is not given.
            Bands are cut at observed scores and ties are never split, so heavily
            tied scores can give fewer bands.
        edges: Score cut-offs `e_1 < ... < e_{k-1}` of fixed bands `(-inf, e_1)`,
            `[e_1, e_2)`, ..., `[e_{k-1}, inf)` (e.g. a policy's score bands); an
            empty band is kept with NaN rates.
        name: Name of the score in error messages.

    Returns:
        One `GainsRow` per band, from the lowest scores (riskiest) up.

    Raises:
        InvalidValueError: bad target (one class, not 0/1); non-finite scores;
            mismatched lengths; `bands` < 2 or more bands than rows; `edges` not
            strictly increasing or not finite.

    Examples:
        >>> rows = gains_table([1, 1, 0, 1, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8], bands=4)
        >>> [(r.band, r.bads, round(r.cum_bads_share, 4), round(r.ks, 4)) for r in rows]
        [(1, 2, 0.6667, 0.6667), (2, 1, 1.0, 0.8), (3, 0, 1.0, 0.4), (4, 0, 1.0, 0.0)]
        >>> rows[0].lift
        2.6666666666666665

    Notes:
        $\text{lift}_k = (b_k/n_k) / (B/N)$ and
        $\text{KS}_k = \sum_{j\le k} b_j / B - \sum_{j\le k} g_j / G$.
    """
    y = as_binary_target(target)
    s = as_float_array(scores, name=name)
    check_same_length(target=y, **{name: s})
    idx, k = _band_index(s, bands, edges, name)
    n = np.bincount(idx, minlength=k)
    b = np.bincount(idx, weights=y, minlength=k).round().astype(np.int64)
    g = n - b
    lo = np.full(k, np.nan)
    hi = np.full(k, np.nan)
    np.fmin.at(lo, idx, s)
    np.fmax.at(hi, idx, s)
    total, total_b, total_g = len(s), int(b.sum()), int(g.sum())
    avg = total_b / total
    cn, cb, cg = np.cumsum(n), np.cumsum(b), np.cumsum(g)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, b / n, np.nan)
        cum_rate = np.where(cn > 0, cb / cn, np.nan)
    return tuple(
        GainsRow(
            band=j + 1,
            score_min=float(lo[j]),
            score_max=float(hi[j]),
            count=int(n[j]),
            goods=int(g[j]),
            bads=int(b[j]),
            bad_rate=float(rate[j]),
            share=float(n[j] / total),
            cum_share=float(cn[j] / total),
            cum_bads_share=float(cb[j] / total_b),
            cum_goods_share=float(cg[j] / total_g),
            ks=float(cb[j] / total_b - cg[j] / total_g),
            lift=float(rate[j] / avg),
            cum_lift=float(cum_rate[j] / avg),
        )
        for j in range(k)
    )
