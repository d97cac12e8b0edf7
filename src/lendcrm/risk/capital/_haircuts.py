r"""Supervisory collateral kinds, their haircuts, and the haircut of each piece.

The supervisory haircuts $H_C$ of the comprehensive approach (Basel Framework CRE22,
December 2017 revision; Basel II §151) and the currency-mismatch haircut $H_{FX}$, used
by the foundation IRB treatment of collateral in `lendcrm.risk.capital` (CRE32.10-32.12).

**Holding period.** The supervisory haircuts of financial collateral and the 8 %
currency haircut are 10-business-day haircuts $H_{10}$ (CRE22.59). A transaction with
minimum holding period $T_M$ business days (CRE22.57: 5 for repo-style transactions,
10 for other capital-market transactions, 20 for secured lending) whose collateral is
revalued every $N_R$ business days takes the square-root-of-time haircut (CRE22.58-22.59)

$$H = H_{10}\,\sqrt{\frac{N_R + T_M - 1}{10}}.$$

lendcrm lends, so the default is `SECURED_LENDING`: $T_M = 20$ with daily revaluation
($N_R = 1$), i.e. $H = \sqrt{2}\,H_{10}$ (CRE32.11 requires this adjustment under the
foundation IRB approach too). Pass another `HoldingPeriod` for repo-style or
capital-market transactions or for less frequent revaluation. The 40 % haircut of
receivables, real estate and other physical collateral (CRE32.11) is not a
holding-period haircut and is never scaled; the currency haircut is scaled for every
kind (CRE32.12 takes it from the comprehensive approach).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    FloatArray,
    FrozenMap,
    align,
    as_bool_array,
    as_float_array,
    enum_codes,
)
from lendcrm._validators import (
    enum_member,
    fraction_in,
    positive_int,
    refuse_object,
    require_instance,
)
from lendcrm.errors import InvalidValueError

__all__ = [
    "FINANCIAL_COLLATERAL",
    "SECURED_LENDING",
    "SUPERVISORY_HAIRCUTS",
    "TEN_BUSINESS_DAYS",
    "HaircutSchedule",
    "HoldingPeriod",
    "SupervisoryCollateral",
    "collateral_after_haircut",
    "haircut_table",
    "maturity_mismatch_factor",
    "supervisory_haircut",
]


class SupervisoryCollateral(StrEnum):
    """Kinds of collateral with a supervisory haircut.

    Sovereign debt is rated AA- or better; the suffix is its residual maturity
    (short: <= 1 year, medium: 1-5 years, long: > 5 years).

    Examples:
        >>> SupervisoryCollateral("real_estate")
        <SupervisoryCollateral.REAL_ESTATE: 'real_estate'>
    """

    CASH = "cash"
    SOVEREIGN_SHORT = "sovereign_short"
    SOVEREIGN_MEDIUM = "sovereign_medium"
    SOVEREIGN_LONG = "sovereign_long"
    MAIN_INDEX_EQUITY = "main_index_equity"
    OTHER_LISTED_EQUITY = "other_listed_equity"
    GOLD = "gold"
    RECEIVABLES = "receivables"
    REAL_ESTATE = "real_estate"
    OTHER_PHYSICAL = "other_physical"


#: The financial collateral kinds: their haircut is a price-volatility haircut over a
#: 10-business-day holding period, scaled by `HoldingPeriod` (CRE22.58-22.59).
FINANCIAL_COLLATERAL: Final = frozenset(
    {
        SupervisoryCollateral.CASH,
        SupervisoryCollateral.SOVEREIGN_SHORT,
        SupervisoryCollateral.SOVEREIGN_MEDIUM,
        SupervisoryCollateral.SOVEREIGN_LONG,
        SupervisoryCollateral.MAIN_INDEX_EQUITY,
        SupervisoryCollateral.OTHER_LISTED_EQUITY,
        SupervisoryCollateral.GOLD,
    }
)


@attrs.frozen(kw_only=True)
class HoldingPeriod:
    r"""Minimum holding period and revaluation interval of a collateralised transaction.

    The supervisory haircuts are 10-business-day haircuts $H_{10}$; the transaction
    takes $H = H_{10}\sqrt{(N_R + T_M - 1)/10}$ (CRE22.58-22.59). Every haircut
    function defaults to `SECURED_LENDING` (20 business days, daily revaluation), the
    minimum holding period of a secured loan (CRE22.57).

    Attributes:
        minimum_days: $T_M$, the minimum holding period in business days (CRE22.57:
            5 repo-style, 10 other capital-market transactions, 20 secured lending).
        revaluation_days: $N_R$, business days between two revaluations of the
            collateral (1: daily).

    Examples:
        >>> round(SECURED_LENDING.scale, 6)  # sqrt((1 + 20 - 1) / 10)
        1.414214
        >>> round(HoldingPeriod(minimum_days=5).scale, 6)  # repo-style, daily margin
        0.707107
        >>> round(HoldingPeriod(minimum_days=20, revaluation_days=20).scale, 6)
        1.974842
    """

    minimum_days: int = attrs.field(validator=positive_int)
    revaluation_days: int = attrs.field(default=1, validator=positive_int)

    @property
    def scale(self) -> float:
        r"""$\sqrt{(N_R + T_M - 1)/10}$: the factor on a 10-business-day haircut."""
        return math.sqrt((self.revaluation_days + self.minimum_days - 1) / 10)


#: Secured lending revalued daily: $T_M$ = 20 business days, $N_R$ = 1 (CRE22.57), the
#: default holding period of every haircut function.
SECURED_LENDING: Final = HoldingPeriod(minimum_days=20)

#: The 10-business-day basis of the supervisory haircuts with daily revaluation (scale
#: 1): other capital-market transactions (CRE22.57), and the currency haircut of a
#: guarantee revalued daily.
TEN_BUSINESS_DAYS: Final = HoldingPeriod(minimum_days=10)


def _frozen(
    value: Mapping[SupervisoryCollateral, float] | Mapping[str, float], name: str
) -> Mapping[SupervisoryCollateral, float]:
    given: object = value
    if not isinstance(given, Mapping):
        refuse_object(given, name=name, what="a mapping of SupervisoryCollateral")
    out: dict[SupervisoryCollateral, float] = {}
    for k, v in value.items():
        key = enum_member(SupervisoryCollateral, k, name=name)
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            refuse_object(v, name=f"{name}[{k!r}]", what="a fraction in [0, 1]")
        try:
            out[key] = float(v)
        except ValueError:
            raise InvalidValueError(
                field=f"{name}[{k!r}]", value=v, expected="a fraction in [0, 1]"
            ) from None
    return FrozenMap(out)


def _frozen_haircuts(
    value: Mapping[SupervisoryCollateral, float] | Mapping[str, float],
) -> Mapping[SupervisoryCollateral, float]:
    return _frozen(value, "haircuts")


def _frozen_secured_lgd(
    value: Mapping[SupervisoryCollateral, float] | Mapping[str, float],
) -> Mapping[SupervisoryCollateral, float]:
    return _frozen(value, "secured_lgd")


def _complete(
    _inst: object,
    attr: attrs.Attribute[Mapping[SupervisoryCollateral, float]],
    value: object,
) -> None:
    table: Mapping[SupervisoryCollateral, float] = value  # type: ignore[assignment]
    missing = [k.value for k in SupervisoryCollateral if k not in table]
    bad = [k.value for k, v in table.items() if not 0.0 <= v <= 1.0]
    if missing or bad:
        raise InvalidValueError(
            field=attr.name,
            value=sorted(k.value for k in table),
            expected="a fraction in [0, 1] for every collateral kind"
            + (f" (missing {', '.join(missing)})" if missing else "")
            + (f" (out of range: {', '.join(bad)})" if bad else ""),
        )


@attrs.frozen(kw_only=True)
class HaircutSchedule:
    """Supervisory haircuts and secured LGDs by collateral kind.

    Attributes:
        haircuts: $H_C$ per `SupervisoryCollateral`, fractions in [0, 1].
        secured_lgd: $LGD_S$ per `SupervisoryCollateral`, fractions in [0, 1].
        currency_mismatch: $H_{FX}$ when collateral and exposure currencies differ.

    Examples:
        >>> SUPERVISORY_HAIRCUTS.haircuts[SupervisoryCollateral.MAIN_INDEX_EQUITY]
        0.2
    """

    haircuts: Mapping[SupervisoryCollateral, float] = attrs.field(
        converter=_frozen_haircuts, validator=_complete
    )
    secured_lgd: Mapping[SupervisoryCollateral, float] = attrs.field(
        converter=_frozen_secured_lgd, validator=_complete
    )
    currency_mismatch: float = attrs.field(default=0.08, validator=fraction_in())


#: Basel III (December 2017) supervisory haircuts, 10-business-day holding period:
#: financial collateral per CRE22.49 (cash 0 %; sovereigns AA- or better 0.5 % up to
#: 1 year, 2 % to 5 years, 4 % beyond; main-index equities and gold 20 %; other listed
#: equities 30 %), non-financial collateral 40 % (CRE32.11); secured LGDs per CRE32.11:
#: 0 % financial, 20 % receivables and real estate, 25 % other physical; FX 8 %
#: (CRE22.52, via CRE32.12). `HoldingPeriod` scales the 10-day values.
SUPERVISORY_HAIRCUTS: Final = HaircutSchedule(
    haircuts={
        SupervisoryCollateral.CASH: 0.0,
        SupervisoryCollateral.SOVEREIGN_SHORT: 0.005,
        SupervisoryCollateral.SOVEREIGN_MEDIUM: 0.02,
        SupervisoryCollateral.SOVEREIGN_LONG: 0.04,
        SupervisoryCollateral.MAIN_INDEX_EQUITY: 0.20,
        SupervisoryCollateral.OTHER_LISTED_EQUITY: 0.30,
        SupervisoryCollateral.GOLD: 0.20,
        SupervisoryCollateral.RECEIVABLES: 0.40,
        SupervisoryCollateral.REAL_ESTATE: 0.40,
        SupervisoryCollateral.OTHER_PHYSICAL: 0.40,
    },
    secured_lgd={
        SupervisoryCollateral.CASH: 0.0,
        SupervisoryCollateral.SOVEREIGN_SHORT: 0.0,
        SupervisoryCollateral.SOVEREIGN_MEDIUM: 0.0,
        SupervisoryCollateral.SOVEREIGN_LONG: 0.0,
        SupervisoryCollateral.MAIN_INDEX_EQUITY: 0.0,
        SupervisoryCollateral.OTHER_LISTED_EQUITY: 0.0,
        SupervisoryCollateral.GOLD: 0.0,
        SupervisoryCollateral.RECEIVABLES: 0.20,
        SupervisoryCollateral.REAL_ESTATE: 0.20,
        SupervisoryCollateral.OTHER_PHYSICAL: 0.25,
    },
)


def haircut_table(
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    table: Mapping[SupervisoryCollateral, float],
) -> FloatArray:
    """The value of `table` for each row's collateral kind (raises on unknown kinds)."""
    members, codes = enum_codes(kind, SupervisoryCollateral, name="kind")
    values = np.array([table[m] for m in members], dtype=np.float64)
    out: FloatArray = values[codes]
    return out


def supervisory_haircut(
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    *,
    currency_mismatch: npt.ArrayLike = False,
    holding_period: HoldingPeriod = SECURED_LENDING,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""Total haircut $H_C + H_{FX}$ of each piece of collateral, for a holding period.

    The 10-business-day haircuts of financial collateral and the FX haircut are scaled
    by $\sqrt{(N_R + T_M - 1)/10}$ (CRE22.58-22.59); the 40 % of non-financial
    collateral is not.

    Args:
        kind: One `SupervisoryCollateral` (or value) for all rows, or one per row.
        currency_mismatch: True where the collateral's currency differs from the
            exposure's (adds the schedule's FX haircut, 8 % over 10 days).
        holding_period: The transaction's minimum holding period and revaluation
            interval; `SECURED_LENDING` (20 business days, daily revaluation) by
            default.
        schedule: Haircut table (10-business-day haircuts).

    Returns:
        Float64 array `(n,)` of haircuts >= 0 (above 1 only for rarely revalued
        collateral, which then counts for nothing).

    Raises:
        InvalidValueError: an unknown kind, a mismatch flag that is not boolean, or
            arrays of different lengths.

    Examples:
        >>> supervisory_haircut(["cash", "gold", "real_estate"],
        ...                     currency_mismatch=[True, False, False]).round(4)
        array([0.1131, 0.2828, 0.4   ])
        >>> supervisory_haircut(["cash", "gold"], currency_mismatch=[True, False],
        ...                     holding_period=HoldingPeriod(minimum_days=10))
        array([0.08, 0.2 ])
    """
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    scale = holding_period.scale
    members, codes = enum_codes(kind, SupervisoryCollateral, name="kind")
    by_kind = [
        schedule.haircuts[m] * (scale if m in FINANCIAL_COLLATERAL else 1.0)
        for m in members
    ]
    hc: FloatArray = np.array(by_kind, dtype=np.float64)[codes]
    fx = as_bool_array(currency_mismatch, name="currency_mismatch").astype(np.float64)
    hc, fx = align(kind=hc, currency_mismatch=fx)
    return hc + fx * (schedule.currency_mismatch * scale)


def collateral_after_haircut(
    collateral_value: npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    *,
    currency_mismatch: npt.ArrayLike = False,
    holding_period: HoldingPeriod = SECURED_LENDING,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""Value of collateral after haircuts, $\max(0, C(1 - H_C - H_{FX}))$.

    Args:
        collateral_value: Current market value $C$, >= 0, in the exposure's currency.
        kind: Collateral kind(s).
        currency_mismatch: Currency mismatch flag(s).
        holding_period: See `supervisory_haircut` (secured lending by default).
        schedule: Haircut table.

    Returns:
        Float64 array `(n,)` of adjusted values >= 0.

    Raises:
        InvalidValueError: a negative or non-finite value, an unknown kind or arrays
            of different lengths.

    Examples:
        >>> collateral_after_haircut([100.0, 100.0], "main_index_equity",
        ...                          currency_mismatch=[False, True]).round(2)
        array([71.72, 60.4 ])
    """
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    c = as_float_array(collateral_value, name="collateral_value", lower=0.0)
    h = supervisory_haircut(
        kind,
        currency_mismatch=currency_mismatch,
        holding_period=holding_period,
        schedule=schedule,
    )
    c, h = align(collateral_value=c, kind=h)
    out: FloatArray = np.maximum(0.0, c * (1.0 - h))
    return out


# CRE22.10-22.14: exposure maturity capped at 5 years; 0.25-year offset (hedges with
# three months or less to run are not recognised); hedges under one year at origin
# are not recognised when mismatched.
_MISMATCH_CAP_YEARS: Final = 5.0
_MISMATCH_OFFSET: Final = 0.25
_MIN_ORIGINAL_YEARS: Final = 1.0


def maturity_mismatch_factor(
    protection_maturity: npt.ArrayLike,
    exposure_maturity: npt.ArrayLike,
    *,
    protection_original_maturity: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Share of a collateral or guarantee value recognised under a maturity mismatch.

    A maturity mismatch is a hedge whose residual maturity is shorter than the
    exposure's (CRE22.10-22.14, which CRE32.56 applies to the IRB approach; Basel II
    §§202-205). A mismatched hedge is not recognised when its original maturity is
    under one year or its residual maturity is three months or less; otherwise its
    value $P$ (after haircuts) counts as

    $$P_a = P\,\frac{t - 0.25}{T - 0.25},\qquad T = \min(5, \text{exposure's residual
    maturity}),\quad t = \min(T, \text{hedge's residual maturity}).$$

    This returns $P_a / P$: 1 without a mismatch, 0 where the hedge is not recognised.

    Args:
        protection_maturity: Residual maturity of the collateral or guarantee in
            years, >= 0, scalar or `(n,)`.
        exposure_maturity: Residual maturity of the exposure in years (its longest
            possible remaining time, CRE22.11), >= 0.
        protection_original_maturity: Original maturity of the hedge in years, >= its
            residual maturity. `None` takes the residual maturity (conservative: a
            hedge of unknown origin with less than a year to run is not recognised).

    Returns:
        Float64 array `(n,)` of factors in [0, 1], non-decreasing in the hedge's
        residual maturity.

    Raises:
        InvalidValueError: a negative or non-finite maturity, an original maturity
            below the residual one, or arrays of different lengths.

    Examples:
        >>> maturity_mismatch_factor([2.0, 0.2, 6.0, 4.0], [5.0, 5.0, 10.0, 3.0]).round(4)
        array([0.3684, 0.    , 1.    , 1.    ])
    """
    t_h = as_float_array(protection_maturity, name="protection_maturity", lower=0.0)
    t_e = as_float_array(exposure_maturity, name="exposure_maturity", lower=0.0)
    orig = (
        t_h
        if protection_original_maturity is None
        else as_float_array(
            protection_original_maturity,
            name="protection_original_maturity",
            lower=0.0,
        )
    )
    t_h, t_e, orig = align(
        protection_maturity=t_h,
        exposure_maturity=t_e,
        protection_original_maturity=orig,
    )
    short = orig < t_h
    if short.any():
        i = int(np.argmax(short))
        raise InvalidValueError(
            field=f"protection_original_maturity[{i}]",
            value=float(orig[i]),
            expected=f"at least the residual maturity protection_maturity[{i}] "
            f"({float(t_h[i]):g} years)",
        )
    big_t = np.minimum(_MISMATCH_CAP_YEARS, t_e)
    small_t = np.minimum(big_t, t_h)
    mismatch = t_h < t_e
    refused = mismatch & ((t_h <= _MISMATCH_OFFSET) | (orig < _MIN_ORIGINAL_YEARS))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (small_t - _MISMATCH_OFFSET) / (big_t - _MISMATCH_OFFSET)
    out: FloatArray = np.where(
        refused, 0.0, np.where(mismatch, np.clip(ratio, 0.0, 1.0), 1.0)
    )
    return out
