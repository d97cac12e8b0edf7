r"""Calibration and back-testing of PDs: Hosmer–Lemeshow, binomial and Jeffreys tests.

Each test says on which sample it runs, because that decides its null distribution:

- **in sample** (`ValidationSample.IN`): the PDs were fitted on the rows being tested,
  as when a logistic model's fit is checked on its development data;
- **out of sample** (`ValidationSample.OUT`): the PDs were fixed before the rows were
  observed, as in a back-test on a holdout or on the next year's defaults (CRE36.123
  asks banks to compare realised default rates with the estimated PDs of each grade).

`hosmer_lemeshow` takes the sample as a parameter: its statistic is compared with
$\chi^2_{G-2}$ in sample (Hosmer & Lemeshow, *Applied Logistic Regression*, 2nd ed.
2000, §5.2.2: two degrees of freedom are used up by the fitted model) and with
$\chi^2_{G}$ out of sample, where no parameter was estimated on the rows tested
(Hosmer & Lemeshow 2000, §5.6 on external validation; Engelmann & Rauhmeier (eds.),
*The Basel II Risk Parameters*, Springer, on back-testing PDs).

`binomial_test` and `jeffreys_test` run **out of sample only**: they test a grade's PD
fixed at the start of the observation period against the defaults observed in it (a PD
calibrated on the same defaults would pass by construction, and no degrees-of-freedom
correction repairs that). Both are **one-sided** against PD underestimation, the
direction that matters for capital: the null hypothesis is that the PD is not lower
than the true default rate, and a small p-value rejects it (ECB, *Instructions for
reporting the validation results of internal models – IRB Pillar I models for credit
risk*, February 2019, §2.5.3.1, "PD back-testing using a Jeffreys test"). A grade with
fewer defaults than expected gets a p-value near 1, never a rejection.
"""

from __future__ import annotations

from enum import StrEnum

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, check_same_length
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning_check import as_binary_target
from lendcrm.risk.scoring._masterscale import MasterScale

__all__ = [
    "GradeCalibration",
    "HosmerLemeshow",
    "ValidationSample",
    "binomial_test",
    "calibration_by_grade",
    "hosmer_lemeshow",
    "jeffreys_test",
]


class ValidationSample(StrEnum):
    """On which rows a calibration test runs, relative to where the PDs were fitted.

    `IN`: the PDs were fitted on the rows tested (model development). `OUT`: the PDs
    were fixed before the rows were observed (holdout, back-test).

    Examples:
        >>> ValidationSample("out")
        <ValidationSample.OUT: 'out'>
    """

    IN = "in"
    OUT = "out"


def _sample(value: ValidationSample | str) -> ValidationSample:
    try:
        return ValidationSample(value)
    except ValueError:
        raise InvalidValueError(
            field="sample",
            value=value,
            expected="'in' (PDs fitted on these rows) or 'out' (PDs fixed before)",
        ) from None


@attrs.frozen(kw_only=True)
class HosmerLemeshow:
    """Result of the Hosmer–Lemeshow test.

    Attributes:
        statistic: The chi-square statistic.
        dof: Degrees of freedom: `groups - 2` in sample, `groups` out of sample.
        p_value: `P(chi2(dof) >= statistic)`; small values reject calibration.
        sample: The sample the test ran on (`ValidationSample`).
    """

    statistic: float
    dof: int
    p_value: float
    sample: ValidationSample = ValidationSample.IN


def hosmer_lemeshow(
    target: npt.ArrayLike,
    default_probability: npt.ArrayLike,
    *,
    groups: int = 10,
    sample: ValidationSample | str = ValidationSample.IN,
) -> HosmerLemeshow:
    r"""Hosmer–Lemeshow goodness-of-fit test over `groups` PD-sorted groups.

    Rows are sorted by PD and split into `groups` groups of (nearly) equal size.

    Args:
        target: 1 for bad, 0 for good, shape `(n,)`.
        default_probability: Each row's PD, in (0, 1), shape `(n,)`.
        groups: Number of groups $G$: at least 3 in sample, at least 1 out of
            sample, at most the number of rows.
        sample: `"in"` when the PDs were fitted on these rows (the statistic is
            compared with $\chi^2_{G-2}$), `"out"` for a holdout or back-test
            ($\chi^2_{G}$).

    Returns:
        A `HosmerLemeshow` with the statistic, degrees of freedom, p-value and sample.

    Raises:
        InvalidValueError: bad target; PD outside (0, 1); `groups` out of range; an
            unknown `sample`.

    Examples:
        >>> y = [0] * 8 + [1] * 2 + [0] * 8 + [1] * 2 + [0] * 3 + [1] * 7
        >>> p = [0.1] * 10 + [0.2] * 10 + [0.5] * 10
        >>> r = hosmer_lemeshow(y, p, groups=3)
        >>> round(r.statistic, 6), r.dof, round(r.p_value, 4)
        (2.711111, 1, 0.0997)
        >>> r = hosmer_lemeshow(y, p, groups=3, sample="out")
        >>> r.dof, round(r.p_value, 4)
        (3, 0.4383)

    Notes:
        $H = \sum_g (O_g - n_g\bar\pi_g)^2 / (n_g\bar\pi_g(1-\bar\pi_g))$, compared
        with $\chi^2_{G-2}$ in sample (Hosmer & Lemeshow, *Applied Logistic
        Regression*, 2000, §5.2.2) and with $\chi^2_{G}$ out of sample (§5.6).
    """
    from scipy.special import chdtrc  # noqa: PLC0415 - scipy loads when used (#20)

    which = _sample(sample)
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
    least = 3 if which is ValidationSample.IN else 1  # in sample: G - 2 >= 1
    if not least <= groups <= len(y):
        raise InvalidValueError(
            field="groups", value=groups, expected=f"an integer in [{least}, {len(y)}]"
        )
    order = np.argsort(p, kind="stable")
    bounds = (np.arange(groups + 1) * len(y)) // groups
    n = np.diff(bounds).astype(np.float64)
    obs = np.add.reduceat(y[order], bounds[:-1])
    exp = np.add.reduceat(p[order], bounds[:-1])
    pbar = exp / n
    stat = float(np.sum((obs - exp) ** 2 / (n * pbar * (1 - pbar))))
    dof = groups - 2 if which is ValidationSample.IN else groups
    return HosmerLemeshow(
        statistic=stat,
        dof=dof,
        p_value=float(chdtrc(dof, stat)),  # chi2.sf
        sample=which,
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
    """One-sided binomial back-test per grade: p-value of `defaults` or more.

    Out of sample only: `default_probability` is the grade's PD fixed before the
    observation period. One-sided against PD underestimation (the null hypothesis is
    that the PD is not too low): small p-values say the PD is too low; a grade with
    fewer defaults than expected gets a p-value near 1. Obligors are assumed to
    default independently.

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
        >>> binomial_test([100, 100], [5, 0], [0.02, 0.02]).round(4)
        array([0.0508, 1.    ])
    """
    # scipy.stats (~0.4 s to import) is loaded here, when used: its binomial tail has
    # no public scipy.special twin that gives the same floats.
    from scipy import stats  # noqa: PLC0415

    nn, d, p = _counts(n, defaults, default_probability)
    out: FloatArray = np.asarray(stats.binom.sf(d - 1, nn, p), dtype=np.float64)
    return out


def jeffreys_test(
    n: npt.ArrayLike, defaults: npt.ArrayLike, default_probability: npt.ArrayLike
) -> FloatArray:
    """Jeffreys back-test per grade (ECB validation instructions): PD adequacy p-values.

    The posterior of the default rate under the Jeffreys prior Beta(1/2, 1/2) is
    Beta(D + 1/2, N - D + 1/2); the p-value is its CDF at the grade's PD, the
    posterior probability that the true default rate is below the PD (ECB,
    *Instructions for reporting the validation results of internal models*, 2019,
    §2.5.3.1). Out of sample only and one-sided against PD underestimation, as
    `binomial_test`: small values say the PD is too low; rejection at 5 % when the
    p-value is below 0.05.

    Args:
        n: Obligors per grade, shape `(k,)`.
        defaults: Defaults per grade, shape `(k,)`.
        default_probability: The grade's PD, in (0, 1), shape `(k,)`.

    Returns:
        Float64 p-values, shape `(k,)`.

    Raises:
        InvalidValueError: as `binomial_test`.

    Examples:
        >>> jeffreys_test([100, 100], [5, 0], [0.02, 0.02]).round(4)
        array([0.0286, 0.9558])
    """
    from scipy.special import betainc  # noqa: PLC0415 - scipy loads when used (#20)

    nn, d, p = _counts(n, defaults, default_probability)
    out: FloatArray = np.asarray(  # beta.cdf(p, a, b)
        betainc(d + 0.5, nn - d + 0.5, p), dtype=np.float64
    )
    return out


@attrs.frozen(kw_only=True)
class GradeCalibration:
    """Back-test of one grade of a master scale.

    Attributes:
        grade: The grade label.
        n: Obligors in the grade.
        defaults: Defaults observed.
        default_probability: The grade's PD (the scale's representative PD).
        default_rate: `defaults / n`.
        binomial_p: One-sided binomial p-value (small: PD too low).
        jeffreys_p: One-sided Jeffreys p-value (small: PD too low).
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
    """Binomial and Jeffreys back-tests for every grade that holds obligors.

    Each obligor is graded by its PD on `scale` at the start of the observation
    period, and each grade's defaults in the period are tested against the scale's
    representative PD: an out-of-sample back-test, one-sided against PD
    underestimation (see `binomial_test`).

    Raises:
        InvalidValueError: PD outside (0, 1); bad target; mismatched lengths.

    Examples:
        >>> from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE
        >>> r = calibration_by_grade(DEFAULT_MASTER_SCALE, [0.015] * 100, [1] * 5 + [0] * 95)
        >>> r[0].grade, r[0].defaults, round(r[0].binomial_p, 4)
        ('6', 5, 0.0141)
    """
    require_instance(scale, MasterScale, name="scale", what="a MasterScale")
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
