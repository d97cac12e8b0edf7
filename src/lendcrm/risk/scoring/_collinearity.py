r"""Correlation and VIF filter over WoE features: which to drop, and why.

Three passes, each reported:

1. **constant** features (one WoE value in the sample: a single bin in use) carry no
   information and make the information matrix singular;
2. **correlation**: for every pair with $|r| >$ `max_correlation`, from the most
   correlated pair down, the feature with the lower IV is dropped (the later column
   when no IVs are given);
3. **VIF**: while the largest variance inflation factor
   $\mathrm{VIF}_j = 1 / (1 - R_j^2)$ exceeds `max_vif`, that feature is dropped;
   $R_j^2$ is the $R^2$ of feature $j$ on the other kept features, computed from their
   correlation matrix $C$ as $R_j^2 = C_{j,-j} C_{-j,-j}^{+} C_{-j,j}$.

Thresholds 0.7 and 5 are common in scorecard practice (Siddiqi, *Credit Risk
Scorecards*, 2006, ch. 7 discusses correlation among characteristics; a VIF above 5–10
is the usual sign of multicollinearity, e.g. James et al., *An Introduction to
Statistical Learning*, 2013, §3.3.3).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray
from lendcrm._validators import require_labels
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._design import DroppedFeature, DropRule, as_matrix

__all__ = ["CollinearityReport", "collinearity_filter"]

_PERFECT = 1.0 - 1e-12


@attrs.frozen(kw_only=True)
class CollinearityReport:
    """Outcome of `collinearity_filter`.

    Attributes:
        kept: The features kept, in column order.
        dropped: The features dropped, in the order they were dropped.
        vif: VIF of each kept feature at the end (same order as `kept`).
    """

    kept: tuple[str, ...]
    dropped: tuple[DroppedFeature, ...]
    vif: tuple[float, ...]


def vifs(corr: FloatArray) -> FloatArray:
    """VIF of each column from the columns' correlation matrix (inf if collinear)."""
    p = corr.shape[0]
    out = np.ones(p)
    for j in range(p):
        rest = [k for k in range(p) if k != j]
        if not rest:
            break
        beta = np.linalg.lstsq(corr[np.ix_(rest, rest)], corr[rest, j], rcond=None)[0]
        r2 = float(corr[j, rest] @ beta)
        out[j] = np.inf if r2 >= _PERFECT else 1.0 / (1.0 - r2)
    return out


def _checked(
    features: npt.ArrayLike,
    names: Sequence[str],
    ivs: Mapping[str, float] | None,
    max_correlation: float,
    max_vif: float,
) -> FloatArray:
    x = as_matrix(features)
    if len(names) != x.shape[1] or len(set(names)) != len(names):
        raise InvalidValueError(
            field="names",
            value=list(names),
            expected=f"{x.shape[1]} unique names (one per column)",
        )
    if x.shape[0] < 2:  # noqa: PLR2004 - a correlation needs two rows
        raise InvalidValueError(
            field="features", value=f"{x.shape[0]} rows", expected="at least 2 rows"
        )
    if not 0 < max_correlation <= 1:
        raise InvalidValueError(
            field="max_correlation", value=max_correlation, expected="in (0, 1]"
        )
    if not max_vif >= 1:
        raise InvalidValueError(field="max_vif", value=max_vif, expected="at least 1")
    if ivs is not None:
        absent = [n for n in names if n not in ivs]
        if absent:
            raise InvalidValueError(
                field="ivs",
                value=f"no IV for {absent}",
                expected="an information value for every feature",
            )
    return x


def collinearity_filter(
    features: npt.ArrayLike,
    *,
    names: Sequence[str],
    ivs: Mapping[str, float] | None = None,
    max_correlation: float = 0.7,
    max_vif: float = 5.0,
) -> CollinearityReport:
    """Drop constant, highly correlated and high-VIF features, saying which and why.

    Args:
        features: WoE matrix `(n, p)` (WoE = ln(share of goods / share of bads)).
        names: One name per column.
        ivs: Information value per name (e.g. `BinningSet.ivs`): of a correlated pair
            the lower-IV feature is dropped, and VIF ties go to the lower IV. Without
            it, the later column is dropped.
        max_correlation: Largest `|r|` allowed between two kept features, in (0, 1].
        max_vif: Largest variance inflation factor allowed, >= 1.

    Returns:
        The `CollinearityReport`.

    Raises:
        InvalidValueError: a non-finite value, names not one per column or not unique,
            fewer than 2 rows, thresholds out of range, `ivs` missing a feature.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> a = rng.normal(size=1_000)
        >>> x = np.column_stack([a, a + 0.1 * rng.normal(size=1_000),
        ...                      rng.normal(size=1_000), np.ones(1_000)])
        >>> report = collinearity_filter(x, names=["dscr", "icr", "age", "flag"],
        ...                              ivs={"dscr": 0.3, "icr": 0.2, "age": 0.1,
        ...                                   "flag": 0.0})
        >>> report.kept
        ('dscr', 'age')
        >>> for d in report.dropped:
        ...     print(d.name, d.rule.value, d.reason)
        flag constant one WoE value in the sample (a single bin in use)
        icr correlation |r| = 0.995 > 0.7 with `dscr`, which has the higher IV (0.3000 vs 0.2000)
    """
    names = require_labels(names, name="names", what="feature names")
    x = _checked(features, names, ivs, max_correlation, max_vif)
    iv = dict(ivs) if ivs is not None else {}
    order = {n: j for j, n in enumerate(names)}
    dropped: list[DroppedFeature] = []
    kept = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    dropped.extend(
        DroppedFeature(
            name=names[j], rule=DropRule.CONSTANT, value=float("nan"), partner=None,
            reason="one WoE value in the sample (a single bin in use)",
        )
        for j in range(x.shape[1])
        if j not in kept
    )  # fmt: skip
    corr = np.corrcoef(x[:, kept], rowvar=False) if kept else np.empty((0, 0))
    corr = np.atleast_2d(corr)
    pos = {j: k for k, j in enumerate(kept)}

    def rank(j: int) -> tuple[float, int]:  # higher is better to keep
        return (iv.get(names[j], 0.0), -order[names[j]])

    pairs = sorted(
        ((abs(corr[pos[a], pos[b]]), a, b) for a in kept for b in kept if a < b),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for r, a, b in pairs:
        if r <= max_correlation or a not in kept or b not in kept:
            continue
        keep, drop = (a, b) if rank(a) >= rank(b) else (b, a)
        kept.remove(drop)
        why = (
            f"which has the higher IV ({iv[names[keep]]:.4f} vs {iv[names[drop]]:.4f})"
            if ivs is not None
            else "which comes first"
        )
        dropped.append(DroppedFeature(
            name=names[drop], rule=DropRule.CORRELATION, value=float(r),
            partner=names[keep],
            reason=f"|r| = {r:.3f} > {max_correlation:g} with `{names[keep]}`, {why}",
        ))  # fmt: skip
    final = _vif_pass(corr, pos, kept, names, rank, max_vif, dropped)
    return CollinearityReport(
        kept=tuple(names[j] for j in kept),
        dropped=tuple(dropped),
        vif=tuple(final.tolist()),
    )


def _vif_pass(  # noqa: PLR0917 - one step of collinearity_filter
    corr: FloatArray,
    pos: dict[int, int],
    kept: list[int],
    names: Sequence[str],
    rank: Callable[[int], tuple[float, int]],
    max_vif: float,
    dropped: list[DroppedFeature],
) -> FloatArray:
    """Drop the largest-VIF feature while any VIF exceeds `max_vif`; final VIFs."""
    while True:
        if len(kept) < 2:  # noqa: PLR2004 - a VIF needs two features
            return np.ones(len(kept))
        sub = [pos[j] for j in kept]
        v = vifs(corr[np.ix_(sub, sub)])
        if v.max() <= max_vif:
            return v
        top = float(v.max())
        worst = [j for j, vj in zip(kept, v, strict=True) if vj == top]
        drop = min(worst, key=rank)
        kept.remove(drop)
        dropped.append(DroppedFeature(
            name=names[drop], rule=DropRule.VIF, value=float(top), partner=None,
            reason=f"VIF {top:.2f} > {max_vif:g} on the other kept features",
        ))  # fmt: skip
