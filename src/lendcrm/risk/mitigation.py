r"""Credit risk mitigation: supervisory haircuts, effective LGD, guarantee substitution.

**Collateral.** Under the foundation IRB approach (Basel Framework CRE32.9-32.10,
December 2017 revision) an exposure $E$ partly secured by collateral worth $C$ has the
effective LGD

$$LGD^* = LGD_U \cdot \frac{E_U}{E(1+H_E)} + LGD_S \cdot \frac{E_S}{E(1+H_E)},\qquad
E_S = \min\{C(1 - H_C - H_{FX}),\ E(1+H_E)\},\quad E_U = E(1+H_E) - E_S,$$

where $H_C$ is the supervisory haircut of the collateral kind, $H_{FX} = 8\,\%$ when
collateral and exposure are in different currencies (CRE22.54-22.56; Basel II §153),
$H_E$ the haircut on the exposure (0 for a loan), $LGD_U$ the unsecured LGD (45 %, or
40 % for non-financial corporates under CRE32.6) and $LGD_S$ the LGD of the secured part:
0 % for financial collateral, 20 % for receivables and real estate, 25 % for other
physical collateral. With financial collateral only, this is Basel II §291's
$LGD^* = LGD \cdot E^*/E$.

**Guarantees.** The covered part of an exposure takes the guarantor's PD (and LGD, and
risk-weight function); the uncovered part keeps the borrower's (Basel II §§301-303;
CRE32.25-32.26). Recognition is the rule's substitution; it is not floored at the
borrower's own risk weight here.

One collateral kind per exposure row; split an exposure into rows to pool several.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_bool_array, as_float_array
from lendcrm._validators import fraction_in
from lendcrm.errors import InvalidValueError
from lendcrm.risk._pricing_arrays import align
from lendcrm.risk.capital import AssetClass, CapitalRegime, _codes, risk_weight

__all__ = [
    "SUPERVISORY_HAIRCUTS",
    "CollateralKind",
    "HaircutSchedule",
    "collateral_after_haircut",
    "foundation_lgd",
    "guaranteed_risk_weighted_assets",
    "supervisory_haircut",
]


class CollateralKind(StrEnum):
    """Kinds of collateral with a supervisory haircut.

    Sovereign debt is rated AA- or better; the suffix is its residual maturity
    (short: <= 1 year, medium: 1-5 years, long: > 5 years).

    Examples:
        >>> CollateralKind("real_estate")
        <CollateralKind.REAL_ESTATE: 'real_estate'>
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
    value: Mapping[CollateralKind, float] | Mapping[str, float],
) -> Mapping[CollateralKind, float]:
    return MappingProxyType({CollateralKind(k): float(v) for k, v in value.items()})


def _complete(
    _inst: object, attr: attrs.Attribute[Mapping[CollateralKind, float]], value: object
) -> None:
    table: Mapping[CollateralKind, float] = value  # type: ignore[assignment]
    missing = [k.value for k in CollateralKind if k not in table]
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
        haircuts: $H_C$ per `CollateralKind`, fractions in [0, 1].
        secured_lgd: $LGD_S$ per `CollateralKind`, fractions in [0, 1].
        currency_mismatch: $H_{FX}$ when collateral and exposure currencies differ.

    Examples:
        >>> SUPERVISORY_HAIRCUTS.haircuts[CollateralKind.MAIN_INDEX_EQUITY]
        0.2
    """

    haircuts: Mapping[CollateralKind, float] = attrs.field(
        converter=_frozen, validator=_complete
    )
    secured_lgd: Mapping[CollateralKind, float] = attrs.field(
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
        CollateralKind.CASH: 0.0,
        CollateralKind.SOVEREIGN_SHORT: 0.005,
        CollateralKind.SOVEREIGN_MEDIUM: 0.02,
        CollateralKind.SOVEREIGN_LONG: 0.04,
        CollateralKind.MAIN_INDEX_EQUITY: 0.20,
        CollateralKind.OTHER_LISTED_EQUITY: 0.30,
        CollateralKind.GOLD: 0.20,
        CollateralKind.RECEIVABLES: 0.40,
        CollateralKind.REAL_ESTATE: 0.40,
        CollateralKind.OTHER_PHYSICAL: 0.40,
    },
    secured_lgd={
        CollateralKind.CASH: 0.0,
        CollateralKind.SOVEREIGN_SHORT: 0.0,
        CollateralKind.SOVEREIGN_MEDIUM: 0.0,
        CollateralKind.SOVEREIGN_LONG: 0.0,
        CollateralKind.MAIN_INDEX_EQUITY: 0.0,
        CollateralKind.OTHER_LISTED_EQUITY: 0.0,
        CollateralKind.GOLD: 0.0,
        CollateralKind.RECEIVABLES: 0.20,
        CollateralKind.REAL_ESTATE: 0.20,
        CollateralKind.OTHER_PHYSICAL: 0.25,
    },
)


def _table(
    kind: CollateralKind | str | npt.ArrayLike, table: Mapping[CollateralKind, float]
) -> FloatArray:
    members, codes = _codes(kind, CollateralKind, name="kind")
    values = np.array([table[m] for m in members], dtype=np.float64)
    out: FloatArray = values[codes]
    return out


def supervisory_haircut(
    kind: CollateralKind | str | npt.ArrayLike,
    *,
    currency_mismatch: npt.ArrayLike = False,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    """Total haircut $H_C + H_{FX}$ of each piece of collateral.

    Args:
        kind: One `CollateralKind` (or value) for all rows, or one per row.
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
    hc = _table(kind, schedule.haircuts)
    fx = as_bool_array(currency_mismatch, name="currency_mismatch").astype(np.float64)
    hc, fx = align(kind=hc, currency_mismatch=fx)
    return hc + fx * schedule.currency_mismatch


def collateral_after_haircut(
    collateral_value: npt.ArrayLike,
    kind: CollateralKind | str | npt.ArrayLike,
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


def foundation_lgd(
    exposure: npt.ArrayLike,
    collateral_value: npt.ArrayLike,
    kind: CollateralKind | str | npt.ArrayLike,
    *,
    currency_mismatch: npt.ArrayLike = False,
    exposure_haircut: npt.ArrayLike = 0.0,
    lgd_unsecured: npt.ArrayLike = 0.45,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""Effective LGD of a partly secured exposure (foundation IRB, CRE32.9).

    Args:
        exposure: Current exposure value $E$, > 0.
        collateral_value: Collateral market value $C$, >= 0.
        kind: Collateral kind(s) (selects $H_C$ and $LGD_S$).
        currency_mismatch: Currency mismatch flag(s) ($H_{FX}$).
        exposure_haircut: $H_E$, in [0, 1] (0 for a loan).
        lgd_unsecured: $LGD_U$ in [0, 1] (45 %; 40 % for non-financial corporates).
        schedule: Haircut table.

    Returns:
        Float64 array `(n,)` of effective LGDs between $LGD_S$ and $LGD_U$;
        non-increasing in the collateral value.

    Raises:
        InvalidValueError: exposure <= 0, a negative collateral value, an LGD or
            haircut outside [0, 1], an unknown kind, non-finite values or arrays of
            different lengths.

    Notes:
        $$LGD^* = LGD_U \frac{E_U}{E(1+H_E)} + LGD_S \frac{E_S}{E(1+H_E)}$$

    Examples:
        >>> foundation_lgd([100.0, 100.0, 100.0], [0.0, 50.0, 200.0],
        ...                ["real_estate", "cash", "real_estate"]).round(4)
        array([0.45 , 0.225, 0.2  ])
    """
    e = as_float_array(exposure, name="exposure", lower=0.0, lower_open=True)
    c = as_float_array(collateral_value, name="collateral_value", lower=0.0)
    he = as_float_array(exposure_haircut, name="exposure_haircut", lower=0.0, upper=1.0)
    lu = as_float_array(lgd_unsecured, name="lgd_unsecured", lower=0.0, upper=1.0)
    h = supervisory_haircut(
        kind, currency_mismatch=currency_mismatch, schedule=schedule
    )
    ls = _table(kind, schedule.secured_lgd)
    e, c, he, lu, h, ls = align(
        exposure=e,
        collateral_value=c,
        exposure_haircut=he,
        lgd_unsecured=lu,
        kind=h,
        secured_lgd=ls,
    )
    gross = e * (1.0 + he)
    secured = np.minimum(np.maximum(0.0, c * (1.0 - h)), gross)
    return (lu * (gross - secured) + ls * secured) / gross


def guaranteed_risk_weighted_assets(
    ead: npt.ArrayLike,
    covered: npt.ArrayLike,
    *,
    pd: npt.ArrayLike,
    lgd: npt.ArrayLike,
    guarantor_pd: npt.ArrayLike,
    guarantor_lgd: npt.ArrayLike,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    guarantor_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    maturity: npt.ArrayLike = 2.5,
) -> FloatArray:
    r"""RWA of a guaranteed exposure by substitution.

    The covered amount is weighted with the guarantor's PD, LGD and asset class; the
    rest with the borrower's (Basel II §§301-303).

    Args:
        ead: Exposure at default, >= 0.
        covered: Amount covered by the guarantee, in [0, ead] (larger is refused).
        pd: Borrower PD in [0, 1].
        lgd: Borrower LGD in [0, 1].
        guarantor_pd: Guarantor PD in [0, 1].
        guarantor_lgd: LGD of the guarantee claim in [0, 1].
        regime: Capital rules.
        asset_class: Borrower asset class(es).
        guarantor_class: Guarantor asset class(es) (e.g. `bank`, `sovereign`).
        maturity: Effective maturity in years (> 0).

    Returns:
        Float64 array `(n,)` of RWA.

    Raises:
        InvalidValueError: as `risk_weighted_assets`, or a covered amount outside
            [0, ead].

    Notes:
        $$RWA = RW(PD_G, LGD_G)\cdot cov + RW(PD, LGD)\cdot(EAD - cov)$$

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> guaranteed_risk_weighted_assets([100.0, 100.0], [0.0, 60.0], pd=0.05,
        ...     lgd=0.45, guarantor_pd=0.001, guarantor_lgd=0.45, guarantor_class="bank",
        ...     regime=BASEL_III).round(1)
        array([149.9,  77.7])
    """
    e = as_float_array(ead, name="ead", lower=0.0)
    cov = as_float_array(covered, name="covered", lower=0.0)
    rw_b = risk_weight(
        pd, lgd, regime=regime, asset_class=asset_class, maturity=maturity
    )
    rw_g = risk_weight(
        guarantor_pd,
        guarantor_lgd,
        regime=regime,
        asset_class=guarantor_class,
        maturity=maturity,
    )
    e, cov, rw_b, rw_g = align(ead=e, covered=cov, pd=rw_b, guarantor_pd=rw_g)
    over = cov > e
    if over.any():
        i = int(np.argmax(over))
        raise InvalidValueError(
            field=f"covered[{i}]",
            value=float(cov[i]),
            expected=f"at most the exposure ead[{i}] ({float(e[i]):g})",
        )
    return rw_g * cov + rw_b * (e - cov)
