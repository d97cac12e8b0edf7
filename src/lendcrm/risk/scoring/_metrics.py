r"""Validation metrics for scorecards and PD models.

Discrimination: `auc`, `accuracy_ratio`, `ks`. Accuracy: `brier`. Stability: `psi`,
`score_psi`, `csi` with `stability_band`. Score shift: `characteristic_analysis`.
Variable strength: `iv_strength`. Calibration and back-testing (Hosmer–Lemeshow,
binomial, Jeffreys) are in `_calibration`.

Conventions: the target is 1 for a bad (default); `predictions` rank bads high (a PD,
or minus a score); WoE = ln(share of goods / share of bads).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, check_same_length
from lendcrm._concentration import without_overflow
from lendcrm._validators import is_real_number, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning import BinningSet
from lendcrm.risk.scoring._binning_check import RawValues, as_binary_target
from lendcrm.risk.scoring._scorecard import Scorecard

__all__ = [
    "CharacteristicShift",
    "IVStrength",
    "Stability",
    "accuracy_ratio",
    "auc",
    "brier",
    "characteristic_analysis",
    "csi",
    "iv_strength",
    "ks",
    "psi",
    "score_psi",
    "stability_band",
]

_PSI_FLOOR: Final = 1e-4


def _pair(
    target: npt.ArrayLike, predictions: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    y = as_binary_target(target)
    s = as_float_array(predictions, name="predictions")
    check_same_length(target=y, predictions=s)
    return y, s


def auc(target: npt.ArrayLike, predictions: npt.ArrayLike) -> float:
    r"""Area under the ROC curve (ties count one half).

    Args:
        target: 1 for bad, 0 for good, shape `(n,)`.
        predictions: Higher for riskier rows (a PD, or `-score`), shape `(n,)`.

    Returns:
        AUC in [0, 1]; 0.5 is random ranking.

    Raises:
        InvalidValueError: bad target, non-finite predictions, mismatched lengths.

    Examples:
        >>> auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75

    Notes:
        Mann–Whitney form: $\mathrm{AUC} = (R_B - n_B(n_B+1)/2)/(n_B n_G)$ with
        $R_B$ the sum of the bads' mid-ranks.
    """
    y, s = _pair(target, predictions)
    ranks = _mid_ranks(s)
    nb = float(y.sum())
    ng = float(len(y) - nb)
    return float((ranks[y == 1].sum() - nb * (nb + 1) / 2) / (nb * ng))


def _mid_ranks(s: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing their mean rank (``scipy.stats.rankdata``'s default)."""
    order = np.argsort(s, kind="mergesort")
    inverse = np.empty(len(s), dtype=np.intp)
    inverse[order] = np.arange(len(s), dtype=np.intp)
    ordered = s[order]
    starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    dense = np.cumsum(starts)[inverse]
    bounds = np.concatenate((np.flatnonzero(starts), [len(s)]))
    out: FloatArray = 0.5 * (bounds[dense] + bounds[dense - 1] + 1).astype(np.float64)
    return out


def accuracy_ratio(target: npt.ArrayLike, predictions: npt.ArrayLike) -> float:
    """Accuracy ratio, `2 AUC - 1` (the "Gini" of scorecard validation reports).

    Not the Lorenz Gini of a distribution, which is `lendcrm.segmentation.gini`.

    Raises:
        InvalidValueError: as `auc`.

    Examples:
        >>> accuracy_ratio([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.5
    """
    return 2.0 * auc(target, predictions) - 1.0


def ks(target: npt.ArrayLike, predictions: npt.ArrayLike) -> float:
    """Kolmogorov–Smirnov statistic: largest gap between the bads' and goods' CDFs.

    Raises:
        InvalidValueError: as `auc`.

    Examples:
        >>> ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.5
    """
    y, s = _pair(target, predictions)
    order = np.argsort(s, kind="stable")
    ys, ss = y[order], s[order]
    last = np.r_[ss[1:] != ss[:-1], True]  # evaluate the CDFs after each distinct value
    cb = np.cumsum(ys)[last] / ys.sum()
    cg = np.cumsum(1 - ys)[last] / (len(ys) - ys.sum())
    return float(np.max(np.abs(cb - cg)))


def brier(target: npt.ArrayLike, default_probability: npt.ArrayLike) -> float:
    """Brier score, the mean squared error of the PDs.

    Raises:
        InvalidValueError: bad target; a PD outside [0, 1].

    Examples:
        >>> round(brier([0, 1, 0], [0.1, 0.7, 0.2]), 6)
        0.046667
    """
    y = as_binary_target(target)
    p = as_float_array(
        default_probability, name="default_probability", lower=0, upper=1
    )
    check_same_length(target=y, default_probability=p)
    return float(np.mean((p - y) ** 2))


class Stability(StrEnum):
    """Population stability band of a PSI or CSI value.

    Examples:
        >>> stability_band(0.12)
        <Stability.MONITOR: 'monitor'>
    """

    STABLE = "stable"
    MONITOR = "monitor"
    SHIFTED = "shifted"


def _real(**numbers: object) -> None:
    """Refuse a band value or threshold that is not one real number (a list, None)."""
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise InvalidValueError(
                field=name, value=value, expected="a number (one value)"
            )


def stability_band(
    value: float, *, monitor: float = 0.10, shifted: float = 0.25
) -> Stability:
    """Band a PSI/CSI value: below `monitor` stable, from `shifted` on shifted.

    The usual thresholds 0.10 and 0.25 are from Siddiqi (2006, ch. 12).

    Raises:
        InvalidValueError: `value` negative or thresholds out of order.
    """
    _real(monitor=monitor, shifted=shifted)
    if not 0 <= monitor <= shifted:
        raise InvalidValueError(
            field="monitor", value=monitor, expected=f"in [0, shifted={shifted:g}]"
        )
    _real(value=value)
    as_float_array(value, name="value", lower=0)
    if value < monitor:
        return Stability.STABLE
    return Stability.MONITOR if value < shifted else Stability.SHIFTED


def psi(
    expected: npt.ArrayLike, actual: npt.ArrayLike, *, floor: float = _PSI_FLOOR
) -> float:
    r"""Population stability index between two distributions over the same bins.

    Args:
        expected: Counts (or shares) per bin at development, shape `(k,)`.
        actual: Counts (or shares) per bin now, same shape.
        floor: Smallest share used, so an empty bin gives a large finite term.

    Returns:
        PSI >= 0; band it with `stability_band`.

    Raises:
        InvalidValueError: negative or non-finite counts, a zero total, shape mismatch.

    Examples:
        >>> round(psi([25, 25, 50], [20, 30, 50]), 6)
        0.020273

    Notes:
        $\mathrm{PSI} = \sum_i (a_i - e_i)\ln(a_i / e_i)$ over shares $a_i, e_i$.
    """
    if not is_real_number(floor) or floor < 0:
        raise InvalidValueError(
            field="floor", value=floor, expected="a finite number >= 0"
        )
    e = as_float_array(expected, name="expected", lower=0, allow_empty=False)
    a = as_float_array(actual, name="actual", lower=0, allow_empty=False)
    check_same_length(expected=e, actual=a)
    e, a = without_overflow(e), without_overflow(a)  # shares: exact near 1.8e308
    for name, arr in (("expected", e), ("actual", a)):
        if arr.sum() <= 0:
            raise InvalidValueError(
                field=name, value=arr.tolist(), expected="a positive total"
            )
    es = np.maximum(e / e.sum(), floor)
    as_ = np.maximum(a / a.sum(), floor)
    return float(np.sum((as_ - es) * np.log(as_ / es)))


def score_psi(
    expected_scores: npt.ArrayLike, actual_scores: npt.ArrayLike, *, bins: int = 10
) -> float:
    """PSI of scores, over `bins` quantile bins of the expected scores.

    Raises:
        InvalidValueError: non-finite or empty scores; `bins` < 2.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> base = rng.normal(600, 50, 10_000)
        >>> round(score_psi(base, base + 25), 2)
        0.24
    """
    e = as_float_array(expected_scores, name="expected_scores", allow_empty=False)
    a = as_float_array(actual_scores, name="actual_scores", allow_empty=False)
    if bins < 2:  # noqa: PLR2004 - two bins at least
        raise InvalidValueError(field="bins", value=bins, expected="an integer >= 2")
    edges = np.unique(np.quantile(e, np.arange(1, bins) / bins))
    ce = np.bincount(np.searchsorted(edges, e, side="right"), minlength=len(edges) + 1)
    ca = np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1)
    return psi(ce, ca)


def csi(
    binnings: BinningSet,
    expected: Mapping[str, RawValues],
    actual: Mapping[str, RawValues],
) -> dict[str, float]:
    """Characteristic stability index (PSI of each binned characteristic).

    Raises:
        ModelMismatchError: a mapping has other columns than `binnings`.
        InvalidValueError: as `Binning.bin_index`.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_binning_set
        >>> x = np.arange(1_000.0)
        >>> s = fit_binning_set({"x": x}, x % 7 == 0)
        >>> csi(s, {"x": x}, {"x": x})
        {'x': 0.0}
    """
    require_instance(binnings, BinningSet, name="binnings", what="a BinningSet")
    for name, sample in (("expected", expected), ("actual", actual)):
        require_instance(
            sample, Mapping, name=name, what="a mapping of characteristic to values"
        )
    ie = binnings.bin_indices(expected)
    ia = binnings.bin_indices(actual)
    out: dict[str, float] = {}
    for k, b in enumerate(binnings):
        n = len(b.labels)
        ce = np.bincount(ie[:, k], minlength=n)
        ca = np.bincount(ia[:, k], minlength=n)
        used = (ce > 0) | (ca > 0)
        out[b.name] = psi(ce[used], ca[used])
    return out


@attrs.frozen(kw_only=True)
class CharacteristicShift:
    """Score shift explained by one characteristic between two populations.

    Attributes:
        characteristic: The characteristic's name.
        expected_points: Mean points on it in the expected (development) population.
        actual_points: Mean points on it in the actual population.
        shift: `actual_points - expected_points`; the shifts add up to the change of
            the mean score.
    """

    characteristic: str
    expected_points: float
    actual_points: float
    shift: float


def characteristic_analysis(
    scorecard: Scorecard,
    expected: Mapping[str, RawValues],
    actual: Mapping[str, RawValues],
) -> tuple[CharacteristicShift, ...]:
    """Characteristic analysis: mean points shift per characteristic (Siddiqi, ch. 12).

    Raises:
        ModelMismatchError: a mapping has other columns than the scorecard.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_binning_set
        >>> from lendcrm.risk.scoring import fit_logistic
        >>> from lendcrm.risk.scoring import build_scorecard
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=5_000)
        >>> y = (rng.random(5_000) < 1 / (1 + np.exp(2.5 + x))).astype(int)
        >>> s = fit_binning_set({"x": x}, y)
        >>> card = build_scorecard(s, fit_logistic(s.transform({"x": x}), y, names=["x"]))
        >>> shift = characteristic_analysis(card, {"x": x}, {"x": x - 0.5})[0].shift
        >>> bool(shift < 0)
        True
    """
    require_instance(scorecard, Scorecard, name="scorecard", what="a Scorecard")
    for name, sample in (("expected", expected), ("actual", actual)):
        require_instance(
            sample, Mapping, name=name, what="a mapping of characteristic to values"
        )
    pe = scorecard.characteristic_points(expected).mean(axis=0)
    pa = scorecard.characteristic_points(actual).mean(axis=0)
    return tuple(
        CharacteristicShift(
            characteristic=n,
            expected_points=float(e),
            actual_points=float(a),
            shift=float(a - e),
        )
        for n, e, a in zip(scorecard.names, pe, pa, strict=True)
    )


class IVStrength(StrEnum):
    """Predictive strength of a variable by its information value.

    Examples:
        >>> iv_strength(0.15)
        <IVStrength.MEDIUM: 'medium'>
    """

    UNPREDICTIVE = "unpredictive"
    WEAK = "weak"
    MEDIUM = "medium"
    STRONG = "strong"


def iv_strength(
    iv: float, *, weak: float = 0.02, medium: float = 0.1, strong: float = 0.3
) -> IVStrength:
    """Band an IV: < 0.02 unpredictive, < 0.1 weak, < 0.3 medium, else strong.

    The default bands are Siddiqi's (*Credit Risk Scorecards*, 2006, ch. 6).

    Raises:
        InvalidValueError: `iv` negative or not finite; thresholds out of order.
    """
    _real(weak=weak, medium=medium, strong=strong)
    if not 0 <= weak <= medium <= strong:
        raise InvalidValueError(
            field="weak",
            value=(weak, medium, strong),
            expected="0 <= weak <= medium <= strong",
        )
    _real(iv=iv)
    as_float_array(iv, name="iv", lower=0)
    if iv < weak:
        return IVStrength.UNPREDICTIVE
    if iv < medium:
        return IVStrength.WEAK
    return IVStrength.MEDIUM if iv < strong else IVStrength.STRONG
