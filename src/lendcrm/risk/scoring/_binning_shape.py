r"""Which shape a numeric binning follows: the optimal merge per shape, then the choice.

For an explicit trend the exact programme of `_binning_dp` is solved once. For
`Trend.AUTO` it is solved for every candidate shape (`BinningConfig.auto_trends`) and
the shape is chosen by a documented rule:

1. the candidates are grouped by the turns their shape allows: monotone (0), peak or
   valley (1), none (any);
2. among the simplest group present, the binning with the highest IV wins (ascending
   or descending, as before lendcrm 0.3);
3. a binning of a richer group replaces it only if its likelihood is significantly
   higher: with $\ln L = \sum_k g_k \ln(g_k/n_k) + b_k \ln(b_k/n_k)$ over the regular
   bins,

   $$G = 2(\ln L_\text{richer} - \ln L_\text{current}) >
   \chi^2_{d}\text{.isf}\left(\frac{\alpha}{m - 1}\right),$$

   $d$ the extra turns of the richer binning (at least 1), $\alpha$
   `BinningConfig.shape_alpha` and $m$ the number of pre-bins: a Bonferroni correction
   for the $m - 1$ places a turn could be. A peak or valley always has at least the IV
   of the best monotone binning (it may have no turn), so IV alone would always pick
   it; the test keeps a noisy feature from getting a turn it does not have.

The choice and its reason are kept on the binning as a `TrendChoice`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np

from lendcrm._arrays import FloatArray
from lendcrm._validators import (
    enum_member,
    enum_of,
    finite_number,
    float_items,
    instance_of,
    optional,
    tuple_converter,
)
from lendcrm.errors import InfeasibleConstraintError
from lendcrm.risk.scoring._binning_config import BinningConfig
from lendcrm.risk.scoring._binning_dp import (
    Prepared,
    Trend,
    interval_stats,
    solve,
)

__all__ = ["TrendChoice"]

#: Turns a shape allows: its rank in the choice (NONE is richest).
_RANK: Final = {
    Trend.ASCENDING: 0,
    Trend.DESCENDING: 0,
    Trend.PEAK: 1,
    Trend.VALLEY: 1,
    Trend.NONE: 2,
}
#: Fewest bins a peak or a valley needs (two sides of a turn).
MIN_TURN_BINS: Final = 3


def _trends(values: Sequence[Trend | str]) -> tuple[Trend, ...]:
    items = tuple_converter(name="tried", what="trends")(values)
    return tuple(enum_member(Trend, v, name="tried") for v in items)


def _floats(values: Sequence[float]) -> tuple[float, ...]:
    return float_items(values, name="ivs")


@attrs.frozen(kw_only=True)
class TrendChoice:
    """The shape a numeric binning follows, and why (the report of `Trend.AUTO`).

    Attributes:
        requested: The trend asked for (`AUTO`, or an explicit one).
        chosen: The shape of the fitted bins (never `AUTO`).
        tried: The shapes whose optimal binning was computed.
        ivs: IV of the regular bins of the optimal binning of each shape in `tried`,
            finite (one bin follows every shape, so no shape is infeasible alone;
            a binning with no feasible shape is refused); the missing and special
            bins, the same for every shape, are left out.
        statistic: Likelihood-ratio statistic `G` of the last test made (a richer shape
            against the simpler choice), or `None` when no test was made.
        critical_value: The value `G` had to exceed, or `None`.
        reason: The choice in words.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_numeric
        >>> rng = np.random.default_rng(0)
        >>> age = rng.uniform(18, 80, 10_000)
        >>> u_shaped = 1 / (1 + np.exp(2.5 - 0.002 * (age - 45) ** 2))
        >>> bad = (rng.random(10_000) < u_shaped).astype(int)
        >>> choice = fit_numeric(age, bad, name="age").trend_choice
        >>> choice.chosen
        <Trend.VALLEY: 'valley'>
        >>> print(choice.reason)
        auto: valley (IV 0.4511) over ascending (IV 0.3613): G = 100.3 > 17.4, the chi2(1) critical value at alpha = 0.001 / 33 turn positions
    """

    requested: Trend = attrs.field(validator=enum_of(Trend))
    chosen: Trend = attrs.field(validator=enum_of(Trend))
    tried: tuple[Trend, ...] = attrs.field(converter=_trends)
    ivs: tuple[float, ...] = attrs.field(converter=_floats)
    statistic: float | None = attrs.field(
        default=None, validator=optional(finite_number)
    )
    critical_value: float | None = attrs.field(
        default=None, validator=optional(finite_number)
    )
    reason: str = attrs.field(default="", validator=instance_of(str, what="text"))


@attrs.frozen
class _Candidate:
    trend: Trend
    cuts: tuple[int, ...]
    iv: float
    log_likelihood: float
    turns: int


def _candidate(trend: Trend, cuts: tuple[int, ...], iv: float, g: FloatArray,
               b: FloatArray) -> _Candidate:  # fmt: skip
    from scipy.special import xlogy  # noqa: PLC0415 - scipy loads when used (#20)

    bounds = np.array([0, *cuts])
    gk = np.add.reduceat(g, bounds)
    bk = np.add.reduceat(b, bounds)
    nk = gk + bk
    ll = float((xlogy(gk, gk / nk) + xlogy(bk, bk / nk)).sum())
    steps = np.sign(np.diff(bk / nk))
    turns = int(np.count_nonzero(steps[1:] != steps[:-1]))
    return _Candidate(trend, cuts, iv, ll, turns)


def _infeasible(name: str, cfg: BinningConfig, g: FloatArray, b: FloatArray) -> None:
    which = "min_bin_bads" if b.sum() < cfg.min_bin_bads else "min_bin_goods"
    if g.sum() >= cfg.min_bin_goods and b.sum() >= cfg.min_bin_bads:
        which = "min_bin_share"
    raise InfeasibleConstraintError(
        field=f"{name}.{which}",
        value=getattr(cfg, which),
        expected="a value that the ordinary rows can satisfy in at least one bin",
    )


def _bin_bound(
    cfg: BinningConfig, g: FloatArray, b: FloatArray, min_weight: float
) -> int:
    max_bins = min(cfg.max_bins or len(g), len(g))
    if min_weight > 0:  # no more bins than the minimum share allows
        max_bins = min(max_bins, max(1, int((g.sum() + b.sum()) // min_weight)))
    return max_bins


def check_shape(name: str, cfg: BinningConfig, n_prebins: int) -> None:
    """Refuse an explicit peak or valley when fewer than three bins are possible.

    Raises:
        InfeasibleConstraintError: naming `<name>.trend`, with the bound that leaves no
            room for a turn (`max_bins`, `min_bin_share` or the distinct values).
    """
    if cfg.trend not in {Trend.PEAK, Trend.VALLEY}:
        return
    limits = {"pre-bins (distinct values)": n_prebins}
    if cfg.max_bins is not None:
        limits["max_bins"] = cfg.max_bins
    if cfg.min_bin_share > 0:
        limits["min_bin_share"] = int(1.0 / cfg.min_bin_share + 1e-9)
    what, bound = min(limits.items(), key=lambda kv: kv[1])
    if bound < MIN_TURN_BINS:
        raise InfeasibleConstraintError(
            field=f"{name}.trend",
            value=str(cfg.trend),
            expected=f"a shape that fits in {bound} bins (ascending, descending, auto "
            f"or none): a {cfg.trend} needs at least {MIN_TURN_BINS} bins and {what} "
            f"allows {bound}",
        )


def optimise(  # noqa: PLR0917 - private helper over aligned arrays
    g: FloatArray,
    b: FloatArray,
    total_g: float,
    total_b: float,
    cfg: BinningConfig,
    trend: Trend,
    *,
    min_weight: float,
    name: str,
) -> tuple[tuple[int, ...], TrendChoice]:
    """Optimal cut indices among the pre-bins for `trend`, and the `TrendChoice`.

    Raises:
        InfeasibleConstraintError: no partition satisfies the size constraints.
    """
    iv, rate = interval_stats(
        g, b, total_g, total_b, min_weight=min_weight,
        min_goods=cfg.min_bin_goods, min_bads=cfg.min_bin_bads,
    )  # fmt: skip
    max_bins = _bin_bound(cfg, g, b, min_weight)
    tried = cfg.auto_trends if trend is Trend.AUTO else (trend,)
    note = ""
    if trend is Trend.AUTO and max_bins < MIN_TURN_BINS:
        kept = tuple(t for t in tried if _RANK[t] == 0) or tried
        if kept != tried:
            note = f"; {max_bins} bins leave no room for a turn"
        tried = kept
    found = []
    cache: dict[str, Prepared] = {}  # the predecessors' order, shared by the trends
    for t in tried:
        cuts, value = solve(iv, rate, trend=t, max_bins=max_bins, cache=cache)
        found.append((t, cuts, value))
    if not any(np.isfinite(v) for _, _, v in found):
        _infeasible(name, cfg, g, b)
    cands = [_candidate(t, c, v, g, b) for t, c, v in found if np.isfinite(v)]
    if trend is not Trend.AUTO:
        (only,) = cands
        choice = TrendChoice(requested=trend, chosen=trend, tried=tried,
                             ivs=(only.iv,), reason=f"requested: {trend}")  # fmt: skip
        return only.cuts, choice
    best, statistic, critical, test = _choose(cands, cfg.shape_alpha, len(g))
    choice = TrendChoice(
        requested=Trend.AUTO, chosen=best.trend, tried=tuple(t for t, _, _ in found),
        ivs=tuple(v for _, _, v in found), statistic=statistic,
        critical_value=critical,
        reason=_reason(best, cands, test) + note,
    )  # fmt: skip
    return best.cuts, choice


def _choose(
    cands: list[_Candidate], alpha: float, m: int
) -> tuple[_Candidate, float | None, float | None, str]:
    """The shape rule: best IV among the simplest, richer only if significant.

    Returns the winner, the last test's `G` and critical value, and that test in words.
    """
    from scipy.special import chdtri  # noqa: PLC0415 - scipy loads when used (#20)

    ranks = sorted({_RANK[c.trend] for c in cands})
    best = max((c for c in cands if _RANK[c.trend] == ranks[0]), key=lambda c: c.iv)
    statistic = critical = None
    test = ""
    positions = max(m - 1, 1)
    for rank in ranks[1:]:
        rich = max((c for c in cands if _RANK[c.trend] == rank), key=lambda c: c.iv)
        g_stat = max(2.0 * (rich.log_likelihood - best.log_likelihood), 0.0)
        dof = max(rich.turns - best.turns, 1)
        crit = float(chdtri(dof, alpha / positions))  # chi2.isf
        statistic, critical = g_stat, crit
        test = (
            f"G = {g_stat:.1f} {'>' if g_stat > crit else '<='} {crit:.1f}, the "
            f"chi2({dof}) critical value at alpha = {alpha:g} / {positions} turn "
            "positions"
        )
        if g_stat > crit and rich.iv > best.iv:
            best = rich
    return best, statistic, critical, test


def _reason(best: _Candidate, cands: list[_Candidate], test: str) -> str:
    head = f"auto: {best.trend} (IV {best.iv:.4f})"
    simpler = [c for c in cands if _RANK[c.trend] < _RANK[best.trend]]
    richer = [c for c in cands if _RANK[c.trend] > _RANK[best.trend]]
    if simpler:  # a richer shape passed its test
        top = max(simpler, key=lambda c: c.iv)
        return f"{head} over {top.trend} (IV {top.iv:.4f}): {test}"
    if not richer:
        rivals = [c for c in cands if c is not best]
        if not rivals:
            return head
        top = max(rivals, key=lambda c: c.iv)
        return f"{head} over {top.trend} (IV {top.iv:.4f}), the highest IV"
    top = max(richer, key=lambda c: c.iv)
    if top.turns <= best.turns:
        names = " or ".join(dict.fromkeys(str(c.trend) for c in richer))
        return f"{head}; no {names} binning has a higher IV"
    return f"{head}; the {top.trend} (IV {top.iv:.4f}) is not significant: {test}"
