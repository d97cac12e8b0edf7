"""Supervisory collateral kinds, their haircuts, and the haircut of each piece.

The supervisory haircuts $H_C$ of the comprehensive approach (Basel Framework CRE22,
December 2017 revision; Basel II §151) and the currency-mismatch haircut $H_{FX}$, used
by the foundation IRB treatment of collateral in `lendcrm.risk.capital` (CRE32.10-32.12).
"""

from __future__ import annotations

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
from lendcrm._validators import fraction_in
from lendcrm.errors import InvalidValueError

__all__ = [
    "SUPERVISORY_HAIRCUTS",
    "HaircutSchedule",
    "SupervisoryCollateral",
    "collateral_after_haircut",
    "haircut_table",
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


def _frozen(
    value: Mapping[SupervisoryCollateral, float] | Mapping[str, float],
) -> Mapping[SupervisoryCollateral, float]:
    return FrozenMap({SupervisoryCollateral(k): float(v) for k, v in value.items()})


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
        converter=_frozen, validator=_complete
    )
    secured_lgd: Mapping[SupervisoryCollateral, float] = attrs.field(
        converter=_frozen, validator=_complete
    )
    currency_mismatch: float = attrs.field(default=0.08, validator=fraction_in())


#: Basel III (December 2017) supervisory haircuts, 10-business-day holding period:
#: financial collateral per CRE22.52 (cash 0 %; sovereigns AA- or better 0.5 % up to
#: 1 year, 2 % to 5 years, 4 % beyond; main-index equities and gold 20 %; other listed
#: equities 30 %), non-financial collateral 40 % (CRE32.9); secured LGDs per CRE32.9:
#: 0 % financial, 20 % receivables and real estate, 25 % other physical; FX 8 %.
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
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    """Total haircut $H_C + H_{FX}$ of each piece of collateral.

    Args:
        kind: One `SupervisoryCollateral` (or value) for all rows, or one per row.
        currency_mismatch: True where the collateral's currency differs from the
            exposure's (adds the schedule's FX haircut, 8 %).
        schedule: Haircut table.

    Returns:
        Float64 array `(n,)` of haircuts in [0, 1.08].

    Raises:
        InvalidValueError: an unknown kind, a mismatch flag that is not boolean, or
            arrays of different lengths.

    Examples:
        >>> supervisory_haircut(["cash", "gold", "real_estate"],
        ...                     currency_mismatch=[True, False, False])
        array([0.08, 0.2 , 0.4 ])
    """
    hc = haircut_table(kind, schedule.haircuts)
    fx = as_bool_array(currency_mismatch, name="currency_mismatch").astype(np.float64)
    hc, fx = align(kind=hc, currency_mismatch=fx)
    return hc + fx * schedule.currency_mismatch


def collateral_after_haircut(
    collateral_value: npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    *,
    currency_mismatch: npt.ArrayLike = False,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""Value of collateral after haircuts, $\max(0, C(1 - H_C - H_{FX}))$.

    Args:
        collateral_value: Current market value $C$, >= 0, in the exposure's currency.
        kind: Collateral kind(s).
        currency_mismatch: Currency mismatch flag(s).
        schedule: Haircut table.

    Returns:
        Float64 array `(n,)` of adjusted values >= 0.

    Raises:
        InvalidValueError: a negative or non-finite value, an unknown kind or arrays
            of different lengths.

    Examples:
        >>> collateral_after_haircut([100.0, 100.0], "main_index_equity",
        ...                          currency_mismatch=[False, True])
        array([80., 72.])
    """
    c = as_float_array(collateral_value, name="collateral_value", lower=0.0)
    h = supervisory_haircut(
        kind, currency_mismatch=currency_mismatch, schedule=schedule
    )
    c, h = align(collateral_value=c, kind=h)
    out: FloatArray = np.maximum(0.0, c * (1.0 - h))
    return out
