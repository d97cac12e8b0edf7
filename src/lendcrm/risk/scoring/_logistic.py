r"""Logistic regression for scorecards: Newton (IRLS) fit, Wald statistics, selection.

The model is $\Pr(\text{bad}) = \sigma(\beta_0 + \sum_j \beta_j x_j)$ with
$\sigma(t) = 1/(1+e^{-t})$. On WoE features (WoE = ln(share of goods / share of bads),
higher is lower risk) the fitted $\beta_j$ are therefore negative for a useful variable.

The fit maximises the (optionally L2-penalised, intercept not penalised) log-likelihood
by Newton's method, which for the logistic model is iteratively reweighted least squares
(McCullagh & Nelder, *Generalized Linear Models*, 1989, §4.4). Standard errors are the
square roots of the diagonal of the inverse observed information; p-values are two-sided
Wald tests.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm._validators import enum_member, is_real_number, require_instance
from lendcrm.errors import ConvergenceError, InvalidValueError
from lendcrm.risk.scoring._binning_check import as_binary_target
from lendcrm.risk.scoring._design import (
    DroppedFeature,
    DropRule,
    as_matrix,
    check_names,
    degenerate_columns,
)

__all__ = [
    "Criterion",
    "LogisticModel",
    "Selection",
    "fit_logistic",
    "select_by_iv",
    "stepwise",
]

#: Largest absolute coefficient accepted before the fit is declared separated.
_DIVERGED: Final = 50.0


class Criterion(StrEnum):
    """Information criterion for stepwise selection: AIC or BIC.

    Examples:
        >>> Criterion("bic").value
        'bic'
    """

    AIC = "aic"
    BIC = "bic"


@attrs.frozen(kw_only=True)
class LogisticModel:
    """A fitted logistic regression, `Pr(bad) = 1 / (1 + exp(-(b0 + sum_j b_j x_j)))`.

    Attributes:
        names: Feature names, in column order.
        intercept: `b0`.
        coefficients: `b_j`, one per feature.
        intercept_se: Standard error of `b0`.
        standard_errors: Standard error of each `b_j`.
        log_likelihood: Maximised log-likelihood (without the penalty).
        n_obs: Number (or total weight) of observations.
        iterations: Newton iterations used.
        l2: The L2 penalty strength used (0 for maximum likelihood).
        dropped: Features left out by `fit_logistic(drop_collinear=True)`, and why.

    Examples:
        >>> m = fit_logistic([[0.0], [1.0]] * 20, [0, 1, 1, 0, 0, 1, 1, 1] * 5)
        >>> round(m.coefficients[0], 4)
        1.0986
    """

    names: tuple[str, ...]
    intercept: float
    coefficients: tuple[float, ...]
    intercept_se: float
    standard_errors: tuple[float, ...]
    log_likelihood: float
    n_obs: float
    iterations: int
    l2: float = 0.0
    dropped: tuple[DroppedFeature, ...] = ()

    @property
    def z_values(self) -> FloatArray:
        """Wald statistics `b_j / se_j`, shape `(p,)`."""
        out: FloatArray = np.asarray(self.coefficients) / np.asarray(
            self.standard_errors
        )
        return out

    @property
    def p_values(self) -> FloatArray:
        """Two-sided Wald p-values of the coefficients, shape `(p,)`."""
        from scipy.special import ndtr  # noqa: PLC0415 - scipy loads when used (#20)

        out: FloatArray = 2.0 * ndtr(-np.abs(self.z_values))  # norm.sf
        return out

    @property
    def intercept_p_value(self) -> float:
        """Two-sided Wald p-value of the intercept."""
        from scipy.special import ndtr  # noqa: PLC0415 - scipy loads when used (#20)

        return float(2.0 * ndtr(-abs(self.intercept / self.intercept_se)))

    @property
    def n_params(self) -> int:
        """Number of estimated parameters, intercept included."""
        return len(self.coefficients) + 1

    @property
    def aic(self) -> float:
        """Akaike information criterion, `2k - 2 lnL`."""
        return 2.0 * self.n_params - 2.0 * self.log_likelihood

    @property
    def bic(self) -> float:
        """Bayesian information criterion, `k ln(n) - 2 lnL`."""
        return self.n_params * math.log(self.n_obs) - 2.0 * self.log_likelihood

    def linear_predictor(self, features: npt.ArrayLike) -> FloatArray:
        """Log-odds of bad, `b0 + X b`, shape `(n,)`.

        Raises:
            InvalidValueError: `features` is not finite or has the wrong number of
                columns.
        """
        x = as_matrix(features, len(self.coefficients))
        out: FloatArray = self.intercept + x @ np.asarray(self.coefficients)
        return out

    def predict_proba(self, features: npt.ArrayLike) -> FloatArray:
        """Probability of bad per row, float64 shape `(n,)`, values in (0, 1).

        Raises:
            InvalidValueError: as `linear_predictor`.

        Examples:
            >>> m = fit_logistic([[0.0], [1.0]] * 20, [0, 1, 1, 0, 0, 0, 1, 1] * 5)
            >>> m.predict_proba([[0.0], [1.0]]).round(3)
            array([0.4, 0.6])
        """
        from scipy.special import expit  # noqa: PLC0415 - scipy loads when used (#20)

        out: FloatArray = expit(self.linear_predictor(features))
        return out


def _loglik(y: FloatArray, eta: FloatArray, w: FloatArray) -> float:
    from scipy.special import expit, xlogy  # noqa: PLC0415 - scipy loads when used (#20)

    p = expit(eta)
    return float(np.sum(w * (xlogy(y, p) + xlogy(1.0 - y, 1.0 - p))))


def fit_logistic(
    features: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    l2: float = 0.0,
    weights: npt.ArrayLike | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
    drop_collinear: bool = False,
) -> LogisticModel:
    r"""Fit `Pr(bad) = sigmoid(b0 + X b)` by Newton's method (IRLS).

    Without a penalty, a constant feature (it duplicates the intercept) or a feature
    that is an exact linear combination of others has no unique coefficient: the error
    names it, or with `drop_collinear=True` it is left out and reported in
    `LogisticModel.dropped`.

    Args:
        features: Matrix `(n, p)` (typically WoE, where WoE = ln(share of goods /
            share of bads)); a 1-d array is one column; a DataFrame gives its column
            names.
        target: 1 for bad, 0 for good, shape `(n,)`.
        names: Feature names (default: a DataFrame's columns, else `x0, x1, ...`).
        l2: Ridge penalty `l2/2 * sum_j b_j^2` (intercept not penalised), >= 0.
        weights: Optional non-negative sample weights, shape `(n,)`.
        max_iter: Most Newton iterations.
        tol: Convergence threshold on the largest coefficient change.
        drop_collinear: Leave constant and exactly collinear features out (reported
            in `LogisticModel.dropped`) instead of raising; with `l2 > 0` they are
            kept unless this is set, since the penalty identifies them.

    Returns:
        The fitted `LogisticModel`; its `names` are the features it uses.

    Raises:
        InvalidValueError: non-finite features, bad target, mismatched shapes or names,
            bad `l2`, negative or all-zero weights or no weight on a class; a constant
            or collinear feature (named) when `l2 == 0` and not `drop_collinear`.
        ConvergenceError: the likelihood has no finite maximum (complete or
            quasi-complete separation: a coefficient diverges), the information matrix
            is singular, or `max_iter` is reached.

    Examples:
        >>> m = fit_logistic([[0.0], [1.0]] * 100, [0, 0, 0, 1, 0, 1, 1, 1] * 25)
        >>> round(m.intercept, 4), round(m.coefficients[0], 4)
        (-1.0986, 2.1972)
        >>> import pandas as pd
        >>> woe = pd.DataFrame({"dscr": [0.0, 1.0] * 100, "flag": 1.0})
        >>> m = fit_logistic(woe, [0, 0, 0, 1, 0, 1, 1, 1] * 25, drop_collinear=True)
        >>> m.names, m.dropped[0].reason
        (('dscr',), 'one value in the sample (1)')
        >>> fit_logistic(woe, [0, 0, 0, 1, 0, 1, 1, 1] * 25)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `flag` must be a feature that varies (a constant duplicates the intercept); got 'one value in the sample (1)'. Drop it, or pass drop_collinear=True to leave it out with a report in `LogisticModel.dropped`.

    Notes:
        Newton step: $\beta \leftarrow \beta + (X^\top W X + \Lambda)^{-1}
        (X^\top w(y - p) - \Lambda\beta)$ with $W = \mathrm{diag}(w\,p(1-p))$.
    """
    x, y, w, cols = _validated_inputs(features, target, names, l2, weights)
    dropped: tuple[DroppedFeature, ...] = ()
    if l2 == 0 or drop_collinear:
        dropped = degenerate_columns(x, cols)
        if dropped and not drop_collinear:
            raise _degenerate_error(dropped[0])
        gone = {d.name for d in dropped}
        keep = [j for j, c in enumerate(cols) if c not in gone]
        x, cols = x[:, keep], tuple(cols[j] for j in keep)
    n, p = x.shape
    design = np.column_stack((np.ones(n), x))
    penalty = np.full(p + 1, float(l2))
    penalty[0] = 0.0
    beta, eta, it = _newton(design, y, w, penalty, cols, max_iter=max_iter, tol=tol)
    intercept_se, standard_errors = _standard_errors(design, eta, w, penalty, it)
    return LogisticModel(
        names=cols,
        intercept=float(beta[0]),
        coefficients=tuple(beta[1:].tolist()),
        intercept_se=intercept_se,
        standard_errors=standard_errors,
        log_likelihood=_loglik(y, eta, w),
        n_obs=float(w.sum()),
        iterations=it,
        l2=float(l2),
        dropped=dropped,
    )


def _degenerate_error(d: DroppedFeature) -> InvalidValueError:
    what = (
        "a feature that varies (a constant duplicates the intercept)"
        if d.rule is DropRule.CONSTANT
        else "a feature that is not a linear combination of the others"
    )
    return InvalidValueError(
        field=d.name,
        value=d.reason,
        expected=what,
        hint="Drop it, or pass drop_collinear=True to leave it out with a report "
        "in `LogisticModel.dropped`.",
    )


def _validated_inputs(
    features: npt.ArrayLike,
    target: npt.ArrayLike,
    names: Sequence[str] | None,
    l2: float,
    weights: npt.ArrayLike | None,
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[str, ...]]:
    """Check `fit_logistic`'s inputs: the matrix, target, weights and column names."""
    if not is_real_number(l2) or l2 < 0:
        raise InvalidValueError(field="l2", value=l2, expected="a finite number >= 0")
    x = as_matrix(features)
    y = as_binary_target(target)
    n, p = x.shape
    if len(y) != n:
        raise InvalidValueError(
            field="target",
            value=f"length {len(y)}",
            expected=f"length {n} (rows of features)",
        )
    w = (
        np.ones(n)
        if weights is None
        else as_float_array(weights, name="weights", lower=0)
    )
    if len(w) != n:
        raise InvalidValueError(
            field="weights", value=f"length {len(w)}", expected=f"length {n}"
        )
    for label, mass in (("bads", float(w @ y)), ("goods", float(w @ (1.0 - y)))):
        if mass <= 0:
            raise InvalidValueError(
                field="weights",
                value=f"zero total weight on the {label}",
                expected="positive weight on both classes",
            )
    return x, y, w, check_names(features, names, p)


def _information(
    design: FloatArray, w: FloatArray, prob: FloatArray, penalty: FloatArray
) -> FloatArray:
    """Penalised observed information `X' diag(w p (1-p)) X + diag(penalty)`."""
    out: FloatArray = (
        design * (w * prob * (1.0 - prob))[:, None]
    ).T @ design + np.diag(penalty)
    return out


def _newton(
    design: FloatArray,
    y: FloatArray,
    w: FloatArray,
    penalty: FloatArray,
    cols: tuple[str, ...],
    *,
    max_iter: int,
    tol: float,
) -> tuple[FloatArray, FloatArray, int]:
    """Newton iterations from the base-rate intercept: `(beta, eta, iterations)`.

    Raises:
        ConvergenceError: singular information, a diverging coefficient, or
            `max_iter` reached.
    """
    from scipy.special import expit  # noqa: PLC0415 - scipy loads when used (#20)

    ybar = float(np.sum(w * y) / np.sum(w))
    beta = np.zeros(design.shape[1])
    beta[0] = math.log(ybar / (1.0 - ybar))
    eta = design @ beta
    ll = _loglik(y, eta, w) - 0.5 * float(penalty @ beta**2)
    change = math.inf
    for it in range(1, max_iter + 1):
        prob = expit(eta)
        grad = design.T @ (w * (y - prob)) - penalty * beta
        info = _information(design, w, prob, penalty)
        try:
            step = np.asarray(np.linalg.solve(info, grad), dtype=np.float64)
        except np.linalg.LinAlgError:
            raise ConvergenceError(
                model="logistic",
                iterations=it,
                detail="the information matrix is singular (collinear or constant "
                "features, or separation)",
            ) from None
        cand, eta_c, ll_c = _halved_step(
            design, y, w, penalty, beta=beta, step=step, ll=ll
        )
        change = float(np.max(np.abs(cand - beta)))
        beta, eta, ll = cand, eta_c, ll_c
        _check_not_diverging(beta, cols, it)
        if change < tol:
            return beta, eta, it
    raise ConvergenceError(
        model="logistic",
        iterations=max_iter,
        detail=f"the largest coefficient change is still {change:.3g}",
    )


def _halved_step(
    design: FloatArray,
    y: FloatArray,
    w: FloatArray,
    penalty: FloatArray,
    *,
    beta: FloatArray,
    step: FloatArray,
    ll: float,
) -> tuple[FloatArray, FloatArray, float]:
    """Take `step`, halving it until the penalised likelihood does not decrease.

    Returns the new coefficients, their linear predictor and penalised likelihood.
    """
    t = 1.0
    while True:
        cand = beta + t * step
        eta_c = design @ cand
        ll_c = _loglik(y, eta_c, w) - 0.5 * float(penalty @ cand**2)
        if ll_c >= ll - 1e-12 * abs(ll) or t < 1e-8:  # noqa: PLR2004 - step-halving floor
            return cand, eta_c, ll_c
        t /= 2.0


def _check_not_diverging(beta: FloatArray, cols: tuple[str, ...], it: int) -> None:
    """Raise when a slope exceeds `_DIVERGED` (separation: no finite maximum)."""
    if np.max(np.abs(beta[1:]), initial=0.0) > _DIVERGED:
        j = int(np.argmax(np.abs(beta[1:])))
        raise ConvergenceError(
            model="logistic",
            iterations=it,
            detail=f"separation: the coefficient of `{cols[j]}` diverges "
            f"(|b| > {_DIVERGED:g}); drop or merge that feature, or set l2 > 0",
        )


def _standard_errors(
    design: FloatArray, eta: FloatArray, w: FloatArray, penalty: FloatArray, it: int
) -> tuple[float, tuple[float, ...]]:
    """Standard errors at the optimum: the intercept's and the slopes'."""
    from scipy.special import expit  # noqa: PLC0415 - scipy loads when used (#20)

    info = _information(design, w, expit(eta), penalty)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:  # pragma: no cover - solve above would have failed
        raise ConvergenceError(
            model="logistic", iterations=it, detail="singular information matrix"
        ) from None
    se = np.sqrt(np.diag(cov))
    return float(se[0]), tuple(se[1:].tolist())


def select_by_iv(
    ivs: Mapping[str, float], *, min_iv: float = 0.02, max_iv: float | None = None
) -> tuple[str, ...]:
    """Names whose information value lies in `[min_iv, max_iv]`, highest IV first.

    Siddiqi (*Credit Risk Scorecards*, 2006) calls IV < 0.02 unpredictive and IV > 0.5
    suspiciously strong (check for leakage); pass `max_iv=0.5` to drop those.

    Raises:
        InvalidValueError: a bound is negative or `max_iv < min_iv`.

    Examples:
        >>> select_by_iv({"age": 0.31, "noise": 0.004, "dti": 0.12})
        ('age', 'dti')
    """
    require_instance(ivs, Mapping, name="ivs", what="a mapping of name to IV")
    bounds = (
        {"min_iv": min_iv} if max_iv is None else {"min_iv": min_iv, "max_iv": max_iv}
    )
    named: list[tuple[str, object]] = [
        *bounds.items(),
        *((f"ivs[{k!r}]", v) for k, v in ivs.items()),
    ]
    for field, iv in named:
        if isinstance(iv, bool) or not isinstance(iv, numbers.Real):
            raise InvalidValueError(field=field, value=iv, expected="a number")
    if min_iv < 0:
        raise InvalidValueError(field="min_iv", value=min_iv, expected="a number >= 0")
    if max_iv is not None and max_iv < min_iv:
        raise InvalidValueError(
            field="max_iv", value=max_iv, expected=f"at least min_iv ({min_iv:g})"
        )
    top = math.inf if max_iv is None else max_iv
    kept = [(v, k) for k, v in ivs.items() if min_iv <= v <= top]
    return tuple(k for _, k in sorted(kept, key=lambda t: -t[0]))


@attrs.frozen(kw_only=True)
class Selection:
    """Outcome of stepwise selection.

    Attributes:
        names: Selected feature names, in the order they entered.
        criterion: The criterion minimised.
        value: The criterion of the final model.
        steps: The moves made, e.g. `("+ age", "+ dti", "- age")`.
    """

    names: tuple[str, ...]
    criterion: Criterion
    value: float
    steps: tuple[str, ...]


def stepwise(
    features: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    criterion: Criterion = Criterion.AIC,
    l2: float = 0.0,
    max_steps: int = 100,
) -> Selection:
    """Bidirectional stepwise selection minimising AIC or BIC.

    Starting from the intercept-only model, each step adds the feature that lowers the
    criterion most, then removes any feature whose removal lowers it; it stops when no
    move improves the criterion. Models that do not converge, or whose features are
    constant or collinear, are skipped.

    Args:
        features: Matrix `(n, p)` of candidate features (WoE values); a DataFrame
            gives its column names.
        target: 1 for bad, 0 for good, shape `(n,)`.
        names: One name per column (default: a DataFrame's columns, else
            `x0, x1, ...`).
        criterion: `AIC` (2k - 2lnL) or `BIC` (k ln n - 2lnL).
        l2: Ridge penalty passed to `fit_logistic`.
        max_steps: Safety bound on the number of moves.

    Returns:
        The `Selection`.

    Raises:
        InvalidValueError: as `fit_logistic`.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(500, 3))
        >>> y = (rng.random(500) < 1 / (1 + np.exp(-2 * x[:, 0]))).astype(int)
        >>> stepwise(x, y, names=["signal", "noise1", "noise2"]).names[0]
        'signal'
    """
    x = as_matrix(features)
    y = as_binary_target(target)
    crit = enum_member(Criterion, criterion, name="criterion")
    cols = list(check_names(features, names, x.shape[1]))

    def score(subset: Sequence[int]) -> float:
        try:
            m = fit_logistic(x[:, list(subset)], y, l2=l2)
        except (ConvergenceError, InvalidValueError):
            return math.inf
        return m.aic if crit is Criterion.AIC else m.bic

    chosen: list[int] = []
    current = score([])
    steps: list[str] = []
    for _ in range(max_steps):
        candidates = [j for j in range(len(cols)) if j not in chosen]
        moved = False
        if candidates:
            vals = [score([*chosen, j]) for j in candidates]
            k = int(np.argmin(vals))
            if vals[k] < current:
                chosen.append(candidates[k])
                current = vals[k]
                steps.append(f"+ {cols[candidates[k]]}")
                moved = True
        if len(chosen) > 1:
            vals = [score([c for c in chosen if c != j]) for j in chosen]
            k = int(np.argmin(vals))
            if vals[k] < current:
                steps.append(f"- {cols[chosen[k]]}")
                del chosen[k]
                current = vals[k]
                moved = True
        if not moved:
            break
    return Selection(
        names=tuple(cols[j] for j in chosen), criterion=crit, value=current,
        steps=tuple(steps),
    )  # fmt: skip
