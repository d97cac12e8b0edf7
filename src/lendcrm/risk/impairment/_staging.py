r"""IFRS 9 staging: stage 1, 2 or 3 per facility, with the reason for each stage.

**The rule** (IFRS 9 §5.5.3-5.5.5, §5.5.9-5.5.11, Appendix A "credit-impaired",
B5.5.17, B5.5.22-B5.5.24 and B5.5.37). Tests are applied in this order; the first that
fires sets the stage and its reason code:

1. **Stage 3, credit-impaired**: in default (reason `DEFAULT`), or at least
   `credit_impaired_days` (90) days past due (`DAYS_PAST_DUE_90`, the rebuttable
   presumption of B5.5.37).
2. **Stage 2 backstops and triggers**: at least `past_due_days` (30) days past due
   (`DAYS_PAST_DUE_30`, §5.5.11); forborne (`FORBEARANCE`) or on the watchlist
   (`WATCHLIST`), the qualitative indicators of B5.5.17 (g), (h) and (k).
3. **Low credit risk exemption** (§5.5.10, B5.5.22-B5.5.24): current PD below
   `low_credit_risk_pd` (about investment grade) stays in stage 1
   (`LOW_CREDIT_RISK`) whatever the PD increase; the backstops above still apply.
4. **Significant increase in credit risk** (§5.5.3, §5.5.9, B5.5.13): the current
   lifetime PD against the lifetime PD at origination. Stage 2 (`PD_INCREASE`) when
   both
   $$PD_{now} \ge r \cdot PD_{orig} \quad\text{and}\quad PD_{now} - PD_{orig} \ge a,$$
   with the relative threshold $r \ge 1$ and the absolute threshold $a \ge 0$.
5. Otherwise stage 1 (`PERFORMING`).

The reason code's tens digit is the stage (`reason // 10`).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_bool_array, as_float_array
from lendcrm._validators import number_in, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment._scalars import one_number

__all__ = [
    "DEFAULT_STAGING_RULES",
    "StageReason",
    "Staging",
    "StagingRules",
    "stage_book",
    "stage_facility",
]

Int8Array = npt.NDArray[np.int8]


class StageReason(IntEnum):
    """Why a facility is in its stage; the tens digit is the stage.

    Examples:
        >>> StageReason.PD_INCREASE.stage, int(StageReason.DEFAULT)
        (2, 31)
    """

    PERFORMING = 10
    LOW_CREDIT_RISK = 11
    PD_INCREASE = 20
    DAYS_PAST_DUE_30 = 21
    WATCHLIST = 22
    FORBEARANCE = 23
    DAYS_PAST_DUE_90 = 30
    DEFAULT = 31

    @property
    def stage(self) -> int:
        """The IFRS 9 stage (1, 2 or 3) this reason puts a facility in."""
        return int(self) // 10


@attrs.frozen(kw_only=True)
class StagingRules:
    """The bank's staging policy: SICR thresholds, backstops and the exemption.

    Attributes:
        relative_threshold: $r$, stage 2 when the current lifetime PD is at least
            $r$ times the PD at origination (>= 1; 2 or 3 is common).
        absolute_threshold: $a$, the PD must also have risen by at least this much
            (a fraction, >= 0; 0 disables the absolute test).
        low_credit_risk_pd: Current PD below which the low credit risk exemption
            keeps a facility in stage 1 (a fraction in [0, 1]; 0 disables it).
        past_due_days: Days past due that move a facility to stage 2 (30).
        credit_impaired_days: Days past due that make it credit-impaired, stage 3 (90).

    Raises:
        InvalidValueError: a threshold out of range, e.g. a relative threshold below 1.

    Examples:
        >>> StagingRules(relative_threshold=2.5).relative_threshold
        2.5
        >>> StagingRules(relative_threshold=0.8)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `relative_threshold` must be a finite number >= 1; got 0.8.
    """

    relative_threshold: float = attrs.field(default=2.0, validator=number_in(1.0))
    absolute_threshold: float = attrs.field(default=0.0, validator=number_in(0.0, 1.0))
    low_credit_risk_pd: float = attrs.field(
        default=0.003, validator=number_in(0.0, 1.0)
    )
    past_due_days: float = attrs.field(default=30, validator=number_in(0.0))
    credit_impaired_days: float = attrs.field(default=90, validator=number_in(0.0))

    def __attrs_post_init__(self) -> None:
        """The stage 3 backstop cannot come before the stage 2 one."""
        if self.credit_impaired_days < self.past_due_days:
            raise InvalidValueError(
                field="credit_impaired_days",
                value=self.credit_impaired_days,
                expected=f"at least `past_due_days` ({self.past_due_days:g})",
            )


#: Relative threshold 2, no absolute threshold, low credit risk below a PD of 0.3 %
#: (the bottom of sub-investment grade on common master scales), 30 and 90 days.
DEFAULT_STAGING_RULES: Final = StagingRules()


@attrs.frozen(kw_only=True)
class Staging:
    """Stage and reason code per facility, from `stage_book`.

    Attributes:
        stage: int8 array `(n,)` of 1, 2 or 3.
        reason: int8 array `(n,)` of `StageReason` codes.

    Examples:
        >>> s = stage_book([0.01, 0.01], [0.01, 0.05])
        >>> s.stage.tolist(), s.reason.tolist()
        ([1, 2], [10, 20])
    """

    stage: Int8Array
    reason: Int8Array

    def counts(self) -> dict[int, int]:
        """Number of facilities in each stage, ``{1: n1, 2: n2, 3: n3}``.

        Examples:
            >>> stage_book([0.01, 0.01, 0.01], [0.01, 0.05, 0.9],
            ...            in_default=[False, False, True]).counts()
            {1: 1, 2: 1, 3: 1}
        """
        found = np.bincount(self.stage, minlength=4)
        return {k: int(found[k]) for k in (1, 2, 3)}


def _one_flag(value: npt.ArrayLike, name: str) -> bool:
    arr = as_bool_array(value, name=name)
    if arr.shape != (1,):
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one boolean"
        )
    return bool(arr[0])


def _flags(values: npt.ArrayLike, name: str) -> FloatArray:
    return as_bool_array(values, name=name).astype(np.float64)


def stage_book(
    origination_pd: npt.ArrayLike,
    current_pd: npt.ArrayLike,
    *,
    days_past_due: npt.ArrayLike = 0,
    in_default: npt.ArrayLike = False,
    on_watchlist: npt.ArrayLike = False,
    forborne: npt.ArrayLike = False,
    rules: StagingRules = DEFAULT_STAGING_RULES,
) -> Staging:
    """Stage every facility of a book (IFRS 9 §5.5.3, §5.5.5; see the module's rule).

    Args:
        origination_pd: Lifetime PD at initial recognition, fractions in [0, 1].
        current_pd: Lifetime PD now, over the same horizon, fractions in [0, 1]
            (a 12-month PD is an accepted proxy, B5.5.13).
        days_past_due: Days past due now (>= 0).
        in_default: The facility is in default.
        on_watchlist: The borrower is on the watchlist.
        forborne: The facility has been forborne (restructured for difficulty).
        rules: The staging policy.

    Each argument is one value per facility or one value for all.

    Returns:
        `Staging` with the stage and the `StageReason` code per facility.

    Raises:
        InvalidValueError: a PD outside [0, 1] or negative days, naming the row
            (``current_pd[7]``); flags that are not booleans; lengths that differ.

    Examples:
        >>> s = stage_book([0.002, 0.01, 0.01, 0.01], [0.0025, 0.015, 0.03, 0.03],
        ...                days_past_due=[0, 0, 0, 95])
        >>> s.stage.tolist(), [StageReason(r).name for r in s.reason]
        ([1, 1, 2, 3], ['LOW_CREDIT_RISK', 'PERFORMING', 'PD_INCREASE', 'DAYS_PAST_DUE_90'])
    """
    require_instance(rules, StagingRules, name="rules", what="a StagingRules")
    orig, now, dpd, dflt, watch, forb = align(
        origination_pd=as_float_array(
            origination_pd, name="origination_pd", lower=0.0, upper=1.0
        ),
        current_pd=as_float_array(current_pd, name="current_pd", lower=0.0, upper=1.0),
        days_past_due=as_float_array(days_past_due, name="days_past_due", lower=0.0),
        in_default=_flags(in_default, "in_default"),
        on_watchlist=_flags(on_watchlist, "on_watchlist"),
        forborne=_flags(forborne, "forborne"),
    )
    sicr = (now >= rules.relative_threshold * orig) & (
        now - orig >= rules.absolute_threshold
    )
    # the last true condition wins: write the reasons from the weakest to the strongest
    reason = np.where(sicr, StageReason.PD_INCREASE, StageReason.PERFORMING)
    reason[now < rules.low_credit_risk_pd] = StageReason.LOW_CREDIT_RISK
    reason[watch > 0] = StageReason.WATCHLIST
    reason[forb > 0] = StageReason.FORBEARANCE
    reason[dpd >= rules.past_due_days] = StageReason.DAYS_PAST_DUE_30
    reason[dpd >= rules.credit_impaired_days] = StageReason.DAYS_PAST_DUE_90
    reason[dflt > 0] = StageReason.DEFAULT
    codes = reason.astype(np.int8)
    return Staging(stage=(codes // 10).astype(np.int8), reason=codes)


def stage_facility(  # noqa: PLR0911 - one return per rule, in the rule's order
    origination_pd: float,
    current_pd: float,
    *,
    days_past_due: float = 0,
    in_default: bool = False,
    on_watchlist: bool = False,
    forborne: bool = False,
    rules: StagingRules = DEFAULT_STAGING_RULES,
) -> StageReason:
    """Stage one facility: the one-facility form of `stage_book`.

    Returns:
        The `StageReason`; its `stage` property is the stage.

    Raises:
        InvalidValueError: as `stage_book`.

    Examples:
        >>> stage_facility(0.01, 0.03)
        <StageReason.PD_INCREASE: 20>
        >>> stage_facility(0.01, 0.03, on_watchlist=True).stage
        2
    """
    require_instance(rules, StagingRules, name="rules", what="a StagingRules")
    orig = one_number(origination_pd, name="origination_pd", lower=0.0, upper=1.0)
    now = one_number(current_pd, name="current_pd", lower=0.0, upper=1.0)
    dpd = one_number(days_past_due, name="days_past_due", lower=0.0)
    dflt, watch, forb = (
        _one_flag(flag, name)
        for flag, name in (
            (in_default, "in_default"),
            (on_watchlist, "on_watchlist"),
            (forborne, "forborne"),
        )
    )
    if dflt:
        return StageReason.DEFAULT
    if dpd >= rules.credit_impaired_days:
        return StageReason.DAYS_PAST_DUE_90
    if dpd >= rules.past_due_days:
        return StageReason.DAYS_PAST_DUE_30
    if forb:
        return StageReason.FORBEARANCE
    if watch:
        return StageReason.WATCHLIST
    if now < rules.low_credit_risk_pd:
        return StageReason.LOW_CREDIT_RISK
    if (
        now >= rules.relative_threshold * orig
        and now - orig >= rules.absolute_threshold
    ):
        return StageReason.PD_INCREASE
    return StageReason.PERFORMING
