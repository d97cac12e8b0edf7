r"""Expected credit loss: 12-month and lifetime, discounted at the EIR, scenario-weighted.

**Formula** (IFRS 9 §5.5.17, B5.5.28-B5.5.33, B5.5.44). For a facility with marginal PD
$q_t$ in bucket $t$ (ending at $\tau_t = t \cdot \Delta$ years), exposure at default
$EAD_t$ in that bucket, loss given default $LGD$ and effective interest rate $r$:
$$ECL_{life} = LGD \sum_{t=1}^{T} q_t\,EAD_t\,(1 + r)^{-\tau_t},\qquad
ECL_{12m} = LGD \sum_{t:\ \tau_t \le 1} q_t\,EAD_t\,(1 + r)^{-\tau_t}.$$
The 12-month ECL is the part of the lifetime loss from defaults in the next 12 months
(Appendix A, "12-month expected credit losses"), so $ECL_{12m} \le ECL_{life}$.

**Scenarios** (§5.5.17 (a), B5.5.42): with marginal PDs $q^{(s)}_t$ per scenario and
weights $w_s$, the ECL is $\sum_s w_s\,ECL^{(s)}$; as the ECL is linear in the PDs this
is the ECL of the weighted PDs $\sum_s w_s q^{(s)}_t$, which is how it is computed.

**Stage picks the measure**: stage 1, the 12-month ECL (§5.5.5); stage 2, the lifetime
ECL (§5.5.3); stage 3, credit-impaired (§5.5.3, B5.5.33): default has happened, the
loss is $LGD \cdot EAD_1$ (undiscounted exposure of the first bucket, PD 1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align_to, as_float_array, numeric_array
from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment._scalars import one_number
from lendcrm.risk.impairment._term_structure import check_scenario_weights

__all__ = [
    "ExpectedCreditLoss",
    "FacilityEcl",
    "expected_credit_loss",
    "facility_ecl",
]

#: Rows per block of the batch loop: the block's (rows x buckets) temporaries stay in
#: cache-friendly sizes (a few MB) whatever the size of the book.
CHUNK_ROWS: Final = 4_096
#: Allowed excess of a facility's summed marginal PDs over 1.
PD_SUM_TOLERANCE: Final = 1e-9


@attrs.frozen(kw_only=True)
class ExpectedCreditLoss:
    r"""The ECL of each facility, its three measures and the one its stage picks.

    Attributes:
        twelve_month: 12-month ECL, float64 `(n,)`, in the currency of the EAD.
        lifetime: Lifetime ECL, float64 `(n,)`.
        credit_impaired: $LGD \\cdot EAD_1$, the stage 3 measure, float64 `(n,)`.
        stage: int8 `(n,)`, 1, 2 or 3.
        ecl: The allowance: the measure the stage picks, float64 `(n,)`.

    Examples:
        >>> e = expected_credit_loss([[0.1, 0.1]], 0.5, [[100.0, 50.0]], 0.0, stage=2)
        >>> e.twelve_month.tolist(), e.lifetime.tolist(), e.ecl.tolist()
        ([5.0], [7.5], [7.5])
    """

    twelve_month: FloatArray
    lifetime: FloatArray
    credit_impaired: FloatArray
    stage: npt.NDArray[np.int8]
    ecl: FloatArray

    def by_stage(self) -> dict[int, float]:
        """Total allowance per stage, ``{1: ..., 2: ..., 3: ...}``.

        Examples:
            >>> e = expected_credit_loss([[0.1], [0.1]], 0.5, [[100.0], [10.0]], 0.0,
            ...                          stage=[1, 3])
            >>> e.by_stage()
            {1: 5.0, 2: 0.0, 3: 5.0}
        """
        totals = np.bincount(self.stage, weights=self.ecl, minlength=4)
        return {k: float(totals[k]) for k in (1, 2, 3)}


def pick_measure(
    stage: npt.NDArray[np.int8],
    twelve_month: FloatArray,
    lifetime: FloatArray,
    credit_impaired: FloatArray,
) -> FloatArray:
    """The measure each stage uses: 1 → 12-month, 2 → lifetime, 3 → credit-impaired."""
    return np.where(
        stage == 1,
        twelve_month,
        np.where(stage == 2, lifetime, credit_impaired),  # noqa: PLR2004
    )


def stage_codes(stage: npt.ArrayLike, n: int) -> npt.NDArray[np.int8]:
    """Stages as int8 `(n,)` (one value broadcasts); refuses anything but 1, 2, 3."""
    arr = as_float_array(stage, name="stage")
    (stages,) = align_to(n, "facility", stage=arr)
    bad = ~np.isin(arr, (1.0, 2.0, 3.0))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"stage[{i}]", value=float(arr[i]), expected="a stage 1, 2 or 3"
        )
    return stages.astype(np.int8)


def _check_pd_grid(q: FloatArray) -> None:
    """Every marginal PD in [0, 1] and each curve summing to at most 1."""
    if q.size and not (q.min() >= 0.0 and q.max() <= 1.0):  # NaN fails both
        bad = ~((q >= 0.0) & (q <= 1.0))
        idx = tuple(int(k) for k in np.argwhere(bad)[0])
        raise InvalidValueError(
            field=f"marginal_pd{list(idx)}",
            value=float(q[idx]),
            expected="a probability in [0, 1]",
        )
    sums = q.sum(axis=-1)
    over = sums > 1.0 + PD_SUM_TOLERANCE
    if over.any():
        idx = tuple(int(k) for k in np.argwhere(over)[0])
        raise InvalidValueError(
            field=f"marginal_pd{list(idx)}",
            value=f"sums to {float(sums[idx]):.6g}",
            expected="marginal PDs of one facility summing to at most 1",
        )


def _check_inputs(
    marginal_pd: npt.ArrayLike,
    ead: npt.ArrayLike,
    scenario_weights: npt.ArrayLike | None,
) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    q = numeric_array(marginal_pd, name="marginal_pd").astype(np.float64, copy=False)
    if q.ndim not in (2, 3) or q.shape[-1] == 0:
        raise InvalidValueError(
            field="marginal_pd",
            value=f"array of shape {q.shape}",
            expected="(facilities, periods) or (scenarios, facilities, periods)",
        )
    w = None
    if q.ndim == 3:  # noqa: PLR2004
        if scenario_weights is None:
            raise InvalidValueError(
                field="scenario_weights",
                value=None,
                expected=f"one weight per scenario of `marginal_pd` ({q.shape[0]})",
            )
        w = check_scenario_weights(scenario_weights)
        if w.shape[0] != q.shape[0]:
            raise InvalidValueError(
                field="scenario_weights",
                value=f"length {w.shape[0]}",
                expected=f"one weight per scenario of `marginal_pd` ({q.shape[0]})",
            )
    elif scenario_weights is not None:
        raise InvalidValueError(
            field="scenario_weights",
            value=scenario_weights,
            expected="None when `marginal_pd` has no scenario axis (2-d)",
        )
    e = numeric_array(ead, name="ead").astype(np.float64, copy=False)
    if e.shape != q.shape[-2:]:
        raise InvalidValueError(
            field="ead",
            value=f"array of shape {e.shape}",
            expected=f"(facilities, periods) = {q.shape[-2:]}, as `marginal_pd`",
        )
    return q, e, w


def _check_values(q: FloatArray, e: FloatArray) -> None:
    """Raise naming the first bad marginal PD, curve or EAD (the slow, exact search)."""
    _check_pd_grid(q)
    if e.size and not (e.min() >= 0.0 and np.isfinite(e.max())):
        i, t = (int(k) for k in np.argwhere(~(np.isfinite(e) & (e >= 0.0)))[0])
        raise InvalidValueError(
            field=f"ead[{i}, {t}]",
            value=float(e[i, t]),
            expected="a finite amount >= 0",
        )


def discount_factors(step: FloatArray, *, out: FloatArray) -> FloatArray:
    """Fill `out` (rows x buckets) with ``step ** t``, t = 1, 2, ..., column by column.

    One multiplication per bucket instead of an exponential per cell; the relative
    rounding error grows like ``t`` ulps (below 1e-14 at 30 buckets).
    """
    out[:, 0] = step
    for t in range(1, out.shape[1]):
        np.multiply(out[:, t - 1], step, out=out[:, t])
    return out


def _block_is_valid(q_block: FloatArray, ones: FloatArray) -> bool:
    """All marginal PDs in [0, 1] (NaN fails) and each curve summing to <= 1."""
    if not q_block.min() >= 0.0:  # NaN fails; with sums <= 1 each PD is <= 1 too
        return False
    return bool((q_block @ ones).max() <= 1.0 + PD_SUM_TOLERANCE)


def _discounted_losses(  # noqa: PLR0917 - the arrays of one formula
    q: FloatArray,
    e: FloatArray,
    w: FloatArray,
    log_growth: FloatArray,
    period_years: float,
    n12: int,
    *,
    on_error: Callable[[], None],
) -> tuple[FloatArray, FloatArray]:
    """Sum_t (sum_s w_s q_st) EAD_t v^t over all and the first `n12` buckets.

    Runs in blocks of `CHUNK_ROWS` facilities with two reused buffers, checking each
    block's PDs and EADs while they are in cache; `on_error` raises the named error.
    """
    n, horizon = e.shape
    ones = np.ones(horizon)
    step = np.exp(-log_growth * period_years)  # (1 + r)^-period: one bucket's factor
    rows_max = min(CHUNK_ROWS, n)
    weighted = np.empty((rows_max, horizon))
    scratch = np.empty((rows_max, horizon))
    lifetime, twelve = np.empty(n), np.empty(n)
    for i0 in range(0, n, CHUNK_ROWS):
        i1 = min(i0 + CHUNK_ROWS, n)
        block, tmp = weighted[: i1 - i0], scratch[: i1 - i0]
        ead = e[i0:i1]
        if ead.size and not (ead.min() >= 0.0 and np.isfinite(ead.max())):
            on_error()
        for s in range(w.shape[0]):
            q_block = q[s, i0:i1]
            if q_block.size and not _block_is_valid(q_block, ones):
                on_error()
            if s == 0:
                np.multiply(q_block, w[0], out=block)
            else:
                np.multiply(q_block, w[s], out=tmp)
                block += tmp
        block *= ead
        discount_factors(step[i0:i1], out=tmp)
        block *= tmp
        lifetime[i0:i1] = block @ ones
        twelve[i0:i1] = block[:, :n12] @ ones[:n12]
    return lifetime, twelve


def _periods(period_years: float, horizon: int) -> tuple[FloatArray, int]:
    dt = one_number(
        period_years, name="period_years", lower=0.0, upper=1.0, lower_open=True
    )
    times = dt * np.arange(1, horizon + 1, dtype=np.float64)
    return times, int(np.count_nonzero(times <= 1.0 + 1e-9))


def expected_credit_loss(
    marginal_pd: npt.ArrayLike,
    lgd: npt.ArrayLike,
    ead: npt.ArrayLike,
    eir: npt.ArrayLike,
    *,
    stage: npt.ArrayLike,
    scenario_weights: npt.ArrayLike | None = None,
    period_years: float = 1.0,
) -> ExpectedCreditLoss:
    """12-month, lifetime and staged ECL of every facility (see the module formula).

    Args:
        marginal_pd: Marginal PD per facility and bucket, `(n, T)`, or per scenario,
            facility and bucket, `(s, n, T)` (fractions; each curve sums to <= 1).
        lgd: Loss given default per facility (or one for all), fractions in [0, 1].
        ead: Exposure at default per facility and bucket, `(n, T)`, amounts >= 0
            (e.g. an EAD profile from a repayment schedule).
        eir: Effective interest rate per facility (or one for all), per year, > -1.
        stage: Stage 1, 2 or 3 per facility (or one for all), e.g. `stage_book`.
        scenario_weights: Weights of the scenarios of a 3-d `marginal_pd`, >= 0,
            summing to 1 (e.g. `ScenarioSet.weights`); None for a 2-d one.
        period_years: Length of a bucket in years, in (0, 1] (1: annual buckets).

    Returns:
        `ExpectedCreditLoss` with the three measures and the allowance per facility.

    Raises:
        InvalidValueError: shapes that do not match (naming the argument and the
            shapes), a PD outside [0, 1] or summing over 1, an LGD outside [0, 1], a
            negative EAD, a rate <= -1, a stage other than 1, 2, 3, or scenario weights
            not summing to 1 — each naming the facility's row (``lgd[3]``).

    Examples:
        A 3-year loan of 100, 60, 30 at EIR 5 %, LGD 40 %, marginal PDs 2 %, 3 %, 3 %:

        >>> e = expected_credit_loss([[0.02, 0.03, 0.03]], 0.4, [[100, 60, 30]], 0.05,
        ...                          stage=1)
        >>> e.twelve_month.round(4).tolist(), e.lifetime.round(4).tolist()
        ([0.7619], [1.7259])
    """
    q, e, w = _check_inputs(marginal_pd, ead, scenario_weights)
    n, horizon = e.shape
    loss_rate, rate = align_to(
        n,
        "facility",
        lgd=as_float_array(lgd, name="lgd", lower=0.0, upper=1.0),
        eir=as_float_array(eir, name="eir", lower=-1.0, lower_open=True),
    )
    stages = stage_codes(stage, n)
    times, n12 = _periods(period_years, horizon)
    lifetime, twelve = _discounted_losses(
        q[None] if w is None else q,
        e,
        np.ones(1) if w is None else w,
        np.log1p(rate),
        float(times[0]),
        n12,
        on_error=lambda: _check_values(q, e),
    )
    lifetime *= loss_rate
    twelve *= loss_rate
    impaired = loss_rate * e[:, 0] if horizon else np.zeros(n)
    return ExpectedCreditLoss(
        twelve_month=twelve,
        lifetime=lifetime,
        credit_impaired=impaired,
        stage=stages,
        ecl=pick_measure(stages, twelve, lifetime, impaired),
    )


@attrs.frozen(kw_only=True)
class FacilityEcl:
    """The ECL of one facility, from `facility_ecl` (amounts in the EAD's currency).

    Examples:
        >>> facility_ecl([0.1, 0.1], 0.5, [100.0, 50.0], 0.0, stage=1).ecl
        5.0
    """

    twelve_month: float
    lifetime: float
    credit_impaired: float
    stage: int
    ecl: float


def facility_ecl(
    marginal_pd: npt.ArrayLike,
    lgd: float,
    ead: npt.ArrayLike,
    eir: float,
    *,
    stage: int,
    scenario_weights: npt.ArrayLike | None = None,
    period_years: float = 1.0,
) -> FacilityEcl:
    """The ECL of one facility: the one-facility form of `expected_credit_loss`.

    Args:
        marginal_pd: `(T,)` marginal PDs, or `(s, T)` one curve per scenario.
        lgd: Loss given default in [0, 1].
        ead: `(T,)` exposure at default per bucket.
        eir: Effective interest rate per year, > -1.
        stage: 1, 2 or 3.
        scenario_weights: One weight per scenario of a 2-d `marginal_pd`.
        period_years: Length of a bucket in years, in (0, 1].

    Raises:
        InvalidValueError: as `expected_credit_loss`.

    Examples:
        >>> r = facility_ecl([0.02, 0.03, 0.03], 0.4, [100, 60, 30], 0.05, stage=2)
        >>> round(r.ecl, 4)
        1.7259
    """
    q = numeric_array(marginal_pd, name="marginal_pd").astype(np.float64)
    amounts = numeric_array(ead, name="ead").astype(np.float64)
    for name, arr, dims in (("marginal_pd", q, (1, 2)), ("ead", amounts, (1,))):
        if arr.ndim not in dims:
            raise InvalidValueError(
                field=name,
                value=f"array of shape {arr.shape}",
                expected="(periods,)"
                if dims == (1,)
                else "(periods,) or (scenarios, periods)",
            )
    grid = q[:, None, :] if q.ndim == 2 else q[None, :]  # noqa: PLR2004
    checked, e, w = _check_inputs(grid, amounts[None, :], scenario_weights)
    _check_pd_grid(q)  # named by the caller's (T,) or (s, T) positions
    if not np.isfinite(amounts).all() or (amounts < 0.0).any():
        t = int(np.argmax(~(np.isfinite(amounts) & (amounts >= 0.0))))
        raise InvalidValueError(
            field=f"ead[{t}]", value=float(amounts[t]), expected="a finite amount >= 0"
        )
    loss_rate = one_number(lgd, name="lgd", lower=0.0, upper=1.0)
    rate = one_number(eir, name="eir", lower=-1.0, lower_open=True)
    code = int(stage_codes(stage, 1)[0])
    times, n12 = _periods(period_years, e.shape[1])
    curves = checked.reshape(-1, e.shape[1])
    weight = [1.0] if w is None else w.tolist()
    lifetime = twelve = 0.0
    for t in range(e.shape[1]):
        pd_t = sum(
            wt * float(curve[t]) for wt, curve in zip(weight, curves, strict=True)
        )
        term = pd_t * float(e[0, t]) * (1.0 + rate) ** -float(times[t])
        lifetime += term
        if t < n12:
            twelve += term
    impaired = loss_rate * float(e[0, 0])
    picked = {1: loss_rate * twelve, 2: loss_rate * lifetime, 3: impaired}[code]
    return FacilityEcl(
        twelve_month=loss_rate * twelve,
        lifetime=loss_rate * lifetime,
        credit_impaired=impaired,
        stage=code,
        ecl=picked,
    )
