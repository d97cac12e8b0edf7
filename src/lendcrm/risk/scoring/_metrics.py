r"""Validation metrics for scorecards and PD models.

Discrimination: `auc`, `accuracy_ratio`, `ks`. Accuracy: `brier`. Stability: `psi`,
`score_psi`, `csi` with `stability_band`. Score shift: `characteristic_analysis`.
Calibration: `hosmer_lemeshow`, `binomial_test`, `jeffreys_test`,
`calibration_by_grade`. Variable strength: `iv_strength`.

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
from scipy import stats

from lendcrm._arrays import FloatArray, as_float_array, check_same_length
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning import BinningSet
from lendcrm.risk.scoring._binning_check import RawValues, as_binary_target
from lendcrm.risk.scoring._masterscale import MasterScale
from lendcrm.risk.scoring._scorecard import Scorecard

__all__ = [
    "CharacteristicShift",
    "GradeCalibration",
    "HosmerLemeshow",
    "IVStrength",
    "Stability",
    "accuracy_ratio",
    "auc",
    "binomial_test",
    "brier",
    "calibration_by_grade",
    "characteristic_analysis",
    "csi",
    "hosmer_lemeshow",
    "iv_strength",
    "jeffreys_test",
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
    ranks = stats.rankdata(s)
    nb = float(y.sum())
    ng = float(len(y) - nb)
    return float((ranks[y == 1].sum() - nb * (nb + 1) / 2) / (nb * ng))


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


def stability_band(
    value: float, *, monitor: float = 0.10, shifted: float = 0.25
) -> Stability:
    """Band a PSI/CSI value: below `monitor` stable, from `shifted` on shifted.

    The usual thresholds 0.10 and 0.25 are from Siddiqi (2006, ch. 12).

    Raises:
        InvalidValueError: `value` negative or thresholds out of order.
    """
    if not 0 <= monitor <= shifted:
        raise InvalidValueError(
            field="monitor", value=monitor, expected=f"in [0, shifted={shifted:g}]"
        )
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
    e = as_float_array(expected, name="expected", lower=0, allow_empty=False)
    a = as_float_array(actual, name="actual", lower=0, allow_empty=False)
    check_same_length(expected=e, actual=a)
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


@attrs.frozen(kw_only=True)
class HosmerLemeshow:
    """Result of the Hosmer–Lemeshow test.

    Attributes:
        statistic: The chi-square statistic.
        dof: Degrees of freedom, `groups - 2`.
        p_value: `P(chi2(dof) >= statistic)`; small values reject calibration.
    """

    statistic: float
    dof: int
    p_value: float


def hosmer_lemeshow(
    target: npt.ArrayLike, default_probability: npt.ArrayLike, *, groups: int = 10
) -> HosmerLemeshow:
    r"""Hosmer–Lemeshow goodness-of-fit test over `groups` PD-sorted groups.

    Rows are sorted by PD and split into `groups` groups of (nearly) equal size.

    Raises:
        InvalidValueError: bad target; PD outside (0, 1); `groups` < 3 or more than
            the rows.

    Examples:
        >>> y = [0] * 8 + [1] * 2 + [0] * 8 + [1] * 2 + [0] * 3 + [1] * 7
        >>> p = [0.1] * 10 + [0.2] * 10 + [0.5] * 10
        >>> r = hosmer_lemeshow(y, p, groups=3)
        >>> round(r.statistic, 6), r.dof, round(r.p_value, 4)
        (2.711111, 1, 0.0997)

    Notes:
        $H = \sum_g (O_g - n_g\bar\pi_g)^2 / (n_g\bar\pi_g(1-\bar\pi_g))$, compared
        with $\chi^2_{G-2}$ (Hosmer & Lemeshow, *Applied Logistic Regression*, 2000,
        §5.2.2).
    """
    y = as_binary_target(target)
    p = as_float_array(
        default_probability,
        name="default_probability",
        lower=0,
        upper=1,
        lower_open=True,
        upper_open=True,
    )
    check_same_length(target=y, default_probability=p)
    if not 3 <= groups <= len(y):  # noqa: PLR2004 - HL needs G > 2
        raise InvalidValueError(
            field="groups", value=groups, expected=f"an integer in [3, {len(y)}]"
        )
    order = np.argsort(p, kind="stable")
    bounds = (np.arange(groups + 1) * len(y)) // groups
    n = np.diff(bounds).astype(np.float64)
    obs = np.add.reduceat(y[order], bounds[:-1])
    exp = np.add.reduceat(p[order], bounds[:-1])
    pbar = exp / n
    stat = float(np.sum((obs - exp) ** 2 / (n * pbar * (1 - pbar))))
    dof = groups - 2
    return HosmerLemeshow(
        statistic=stat, dof=dof, p_value=float(stats.chi2.sf(stat, dof))
    )


def _counts(
    n: npt.ArrayLike, defaults: npt.ArrayLike, default_probability: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    nn = as_float_array(n, name="n", lower=0, lower_open=True)
    d = as_float_array(defaults, name="defaults", lower=0)
    p = as_float_array(
        default_probability,
        name="default_probability",
        lower=0,
        upper=1,
        lower_open=True,
        upper_open=True,
    )
    check_same_length(n=nn, defaults=d, default_probability=p)
    over = d > nn
    if over.any():
        i = int(np.argmax(over))
        raise InvalidValueError(
            field=f"defaults[{i}]",
            value=float(d[i]),
            expected=f"at most n[{i}] = {nn[i]:g}",
        )
    return nn, d, p


def binomial_test(
    n: npt.ArrayLike, defaults: npt.ArrayLike, default_probability: npt.ArrayLike
) -> FloatArray:
    """One-sided binomial test per grade: p-value of `defaults` or more under the PD.

    Small p-values say the grade's PD is too low.

    Args:
        n: Obligors per grade, shape `(k,)`.
        defaults: Defaults observed per grade, shape `(k,)`.
        default_probability: The grade's PD, in (0, 1), shape `(k,)`.

    Returns:
        Float64 p-values `P(X >= defaults)`, `X ~ Binomial(n, default_probability)`,
        shape `(k,)`.

    Raises:
        InvalidValueError: negative counts, defaults above `n`, PD outside (0, 1).

    Examples:
        >>> binomial_test([100], [5], [0.02]).round(4)
        array([0.0508])
    """
    nn, d, p = _counts(n, defaults, default_probability)
    out: FloatArray = np.asarray(stats.binom.sf(d - 1, nn, p), dtype=np.float64)
    return out


def jeffreys_test(
    n: npt.ArrayLike, defaults: npt.ArrayLike, default_probability: npt.ArrayLike
) -> FloatArray:
    """Jeffreys test per grade (ECB validation instructions): p-values of PD adequacy.

    The posterior of the default rate under the Jeffreys prior Beta(1/2, 1/2) is
    Beta(D + 1/2, N - D + 1/2); the p-value is its CDF at the grade's PD. Small values
    say the PD is too low (ECB, *Instructions for reporting the validation results of
    internal models*, 2019, §2.5.3.1).

    Args:
        n: Obligors per grade, shape `(k,)`.
        defaults: Defaults per grade, shape `(k,)`.
        default_probability: The grade's PD, in (0, 1), shape `(k,)`.

    Returns:
        Float64 p-values, shape `(k,)`.

    Raises:
        InvalidValueError: as `binomial_test`.

    Examples:
        >>> jeffreys_test([100], [5], [0.02]).round(4)
        array([0.0286])
    """
    nn, d, p = _counts(n, defaults, default_probability)
    out: FloatArray = np.asarray(
        stats.beta.cdf(p, d + 0.5, nn - d + 0.5), dtype=np.float64
    )
    return out


@attrs.frozen(kw_only=True)
class GradeCalibration:
    """Calibration of one grade of a master scale.

    Attributes:
        grade: The grade label.
        n: Obligors in the grade.
        defaults: Defaults observed.
        default_probability: The grade's PD (the scale's representative PD).
        default_rate: `defaults / n`.
        binomial_p: One-sided binomial p-value.
        jeffreys_p: Jeffreys p-value.
    """

    grade: str
    n: int
    defaults: int
    default_probability: float
    default_rate: float
    binomial_p: float
    jeffreys_p: float


def calibration_by_grade(
    scale: MasterScale, default_probability: npt.ArrayLike, target: npt.ArrayLike
) -> tuple[GradeCalibration, ...]:
    """Binomial and Jeffreys tests for every grade that holds obligors.

    Each obligor is graded by its PD on `scale`; each grade is tested against the
    scale's representative PD.

    Raises:
        InvalidValueError: PD outside (0, 1); bad target; mismatched lengths.

    Examples:
        >>> from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE
        >>> r = calibration_by_grade(DEFAULT_MASTER_SCALE, [0.015] * 100, [1] * 5 + [0] * 95)
        >>> r[0].grade, r[0].defaults, round(r[0].binomial_p, 4)
        ('6', 5, 0.0141)
    """
    y = as_float_array(target, name="target")
    bad = (y != 0) & (y != 1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"target[{i}]", value=float(y[i]), expected="0 (good) or 1 (bad)"
        )
    idx = scale.grade_index(default_probability)
    check_same_length(target=y, default_probability=idx)
    k = len(scale.grades)
    n = np.bincount(idx, minlength=k)
    d = np.bincount(idx, weights=y, minlength=k)
    used = np.flatnonzero(n)
    pds = np.asarray(scale.pds)[used]
    bp = binomial_test(n[used], d[used], pds)
    jp = jeffreys_test(n[used], d[used], pds)
    return tuple(
        GradeCalibration(
            grade=scale.grades[g],
            n=int(n[g]),
            defaults=int(d[g]),
            default_probability=float(pds[j]),
            default_rate=float(d[g] / n[g]),
            binomial_p=float(bp[j]),
            jeffreys_p=float(jp[j]),
        )
        for j, g in enumerate(used)
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
    if not 0 <= weak <= medium <= strong:
        raise InvalidValueError(
            field="weak",
            value=(weak, medium, strong),
            expected="0 <= weak <= medium <= strong",
        )
    as_float_array(iv, name="iv", lower=0)
    if iv < weak:
        return IVStrength.UNPREDICTIVE
    if iv < medium:
        return IVStrength.WEAK
    return IVStrength.MEDIUM if iv < strong else IVStrength.STRONG
