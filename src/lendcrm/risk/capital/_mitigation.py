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

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
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
from lendcrm._entities import Facility
from lendcrm._enums import CollateralKind as CoreCollateralKind
from lendcrm._validators import fraction_in
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital._exposure import (
    facility_exposure_at_default,
    facility_pd_lgd,
)
from lendcrm.risk.capital._irb import risk_weight
from lendcrm.risk.capital._regimes import AssetClass, CapitalRegime

__all__ = [
    "FACILITY_COLLATERAL",
    "SUPERVISORY_HAIRCUTS",
    "HaircutSchedule",
    "SupervisoryCollateral",
    "collateral_after_haircut",
    "facility_foundation_lgd",
    "facility_guaranteed_rwa",
    "foundation_lgd",
    "guaranteed_risk_weighted_assets",
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


def _table(
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    table: Mapping[SupervisoryCollateral, float],
) -> FloatArray:
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
    hc = _table(kind, schedule.haircuts)
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


def foundation_lgd(
    exposure: npt.ArrayLike,
    collateral_value: npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
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
    default_probability: npt.ArrayLike,
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
        default_probability: Borrower PD in [0, 1].
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
        >>> guaranteed_risk_weighted_assets([100.0, 100.0], [0.0, 60.0],
        ...     default_probability=0.05, lgd=0.45, guarantor_pd=0.001,
        ...     guarantor_lgd=0.45, guarantor_class="bank", regime=BASEL_III).round(1)
        array([149.9,  77.7])
    """
    e = as_float_array(ead, name="ead", lower=0.0)
    cov = as_float_array(covered, name="covered", lower=0.0)
    rw_b = risk_weight(
        default_probability,
        lgd,
        regime=regime,
        asset_class=asset_class,
        maturity=maturity,
    )
    rw_g = risk_weight(
        guarantor_pd,
        guarantor_lgd,
        regime=regime,
        asset_class=guarantor_class,
        maturity=maturity,
    )
    e, cov, rw_b, rw_g = align(
        ead=e, covered=cov, default_probability=rw_b, guarantor_pd=rw_g
    )
    over = cov > e
    if over.any():
        i = int(np.argmax(over))
        raise InvalidValueError(
            field=f"covered[{i}]",
            value=float(cov[i]),
            expected=f"at most the exposure ead[{i}] ({float(e[i]):g})",
        )
    return rw_g * cov + rw_b * (e - cov)


#: How the collateral kinds recorded on a `lendcrm.Facility` map to supervisory
#: categories. Securities are taken as other listed equities (the most conservative
#: financial haircut, 30 %); equipment, inventory and project assets as other physical
#: collateral; a share pledge (typically over an unlisted project company) is not
#: recognised collateral under the foundation approach (`None`).
FACILITY_COLLATERAL: Final[
    Mapping[CoreCollateralKind, SupervisoryCollateral | None]
] = MappingProxyType(
    {
        CoreCollateralKind.CASH: SupervisoryCollateral.CASH,
        CoreCollateralKind.SECURITIES: SupervisoryCollateral.OTHER_LISTED_EQUITY,
        CoreCollateralKind.REAL_ESTATE: SupervisoryCollateral.REAL_ESTATE,
        CoreCollateralKind.EQUIPMENT: SupervisoryCollateral.OTHER_PHYSICAL,
        CoreCollateralKind.RECEIVABLES: SupervisoryCollateral.RECEIVABLES,
        CoreCollateralKind.INVENTORY: SupervisoryCollateral.OTHER_PHYSICAL,
        CoreCollateralKind.PROJECT_ASSETS: SupervisoryCollateral.OTHER_PHYSICAL,
        CoreCollateralKind.SHARE_PLEDGE: None,
    }
)


def facility_foundation_lgd(
    facility: Facility,
    *,
    lgd_unsecured: float = 0.45,
    ccf: float | None = None,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
    mapping: Mapping[CoreCollateralKind, SupervisoryCollateral | None] = (
        FACILITY_COLLATERAL
    ),
) -> float:
    r"""Foundation-IRB effective LGD of one `Facility` and all its collateral.

    Each recognised piece of collateral secures part of the exposure after its
    supervisory haircut (the facility's own `Collateral.haircut` is a bank view and is
    not used here), taking the lowest-LGD collateral first (CRE32.10); the rest is
    unsecured. All amounts on a facility share its currency, so $H_{FX} = 0$.

    $$LGD^* = \frac{LGD_U\,E_U + \sum_k LGD_{S,k}\,E_{S,k}}{E}$$

    Args:
        facility: The facility (its EAD is the exposure $E$).
        lgd_unsecured: $LGD_U$ in [0, 1].
        ccf: Overrides the facility's CCF for the EAD.
        schedule: Supervisory haircuts and secured LGDs.
        mapping: Facility collateral kind to supervisory category (`None`: not
            recognised).

    Returns:
        The effective LGD, a fraction; $LGD_U$ for a zero exposure.

    Raises:
        InvalidValueError: no CCF, or an LGD outside [0, 1].

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Collateral, CollateralKind, Facility,
        ...     FacilityId, FacilityKind, FacilityStatus, Money, Pricing, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("100", "EUR"), drawn=Money.of("100", "EUR"),
        ...     start_on=dt.date(2025, 1, 1), maturity_on=dt.date(2030, 1, 1),
        ...     seniority=Seniority.SENIOR_SECURED,
        ...     pricing=Pricing(reference_rate="FIXED", margin_bps=300,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE, credit_conversion_factor=1.0,
        ...     collateral=(Collateral(kind=CollateralKind.REAL_ESTATE,
        ...                            value=Money.of("50", "EUR")),
        ...                 Collateral(kind=CollateralKind.CASH,
        ...                            value=Money.of("20", "EUR"))))
        >>> round(facility_foundation_lgd(f), 4)  # (0.2 x 30 + 0.45 x 50) / 100
        0.285
    """
    lu = float(
        as_float_array(lgd_unsecured, name="lgd_unsecured", lower=0.0, upper=1.0)[0]
    )
    exposure = float(facility_exposure_at_default(facility, ccf=ccf).amount)
    if exposure <= 0.0:
        return lu
    pieces = []
    for item in facility.collateral:  # one facility's few collateral items
        category = mapping.get(item.kind)
        if category is None:
            continue
        value = float(item.value.amount) * max(0.0, 1.0 - schedule.haircuts[category])
        pieces.append((schedule.secured_lgd[category], value))
    remaining = exposure
    loss = 0.0
    for lgd_s, value in sorted(pieces):
        used = min(value, remaining)
        loss += lgd_s * used
        remaining -= used
    return (loss + lu * remaining) / exposure


def facility_guaranteed_rwa(
    facility: Facility,
    *,
    as_of: dt.date,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    guarantor_class: AssetClass | str = AssetClass.CORPORATE,
    guarantor_lgd: float | None = None,
    ccf: float | None = None,
) -> float:
    """RWA of one `Facility` with its guarantees recognised by substitution.

    Each guarantee with a `guarantor_default_probability` covers its `covered` amount
    at the guarantor's PD (guarantees without one are not recognised); if the covered
    amounts exceed the EAD they are scaled down pro rata. The rest carries the
    borrower's PD. The one-facility form of `guaranteed_risk_weighted_assets`.

    Args:
        facility: The facility, with `default_probability` and `loss_given_default`.
        as_of: Business date for the remaining maturity.
        regime: Capital rules.
        asset_class: Borrower asset class.
        guarantor_class: Guarantors' asset class.
        guarantor_lgd: LGD of the guarantee claim; defaults to the facility's LGD.
        ccf: Overrides the facility's CCF.

    Returns:
        RWA in the facility's currency, as a float.

    Raises:
        InvalidValueError: PD, LGD or CCF missing or outside [0, 1], or as
            `guaranteed_risk_weighted_assets`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Guarantee, Money, Pricing, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("100", "EUR"), drawn=Money.of("100", "EUR"),
        ...     start_on=dt.date(2025, 1, 1), maturity_on=dt.date(2030, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="FIXED", margin_bps=300,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE, credit_conversion_factor=1.0,
        ...     default_probability=0.05, loss_given_default=0.45,
        ...     guarantees=(Guarantee(covered=Money.of("60", "EUR"),
        ...         guarantor_name="Parent AG", guarantor_default_probability=0.001),))
        >>> from lendcrm.risk.capital import BASEL_III
        >>> round(facility_guaranteed_rwa(f, as_of=dt.date(2027, 7, 2),
        ...     regime=BASEL_III, guarantor_class="bank"), 1)
        77.8
    """
    ead = float(facility_exposure_at_default(facility, ccf=ccf).amount)
    p, g = facility_pd_lgd(facility, None, None)
    pd_, lgd = float(p), float(g)
    g_lgd = lgd if guarantor_lgd is None else guarantor_lgd
    recognised = [
        (float(g.covered.amount), g.guarantor_default_probability)
        for g in facility.guarantees
        if g.guarantor_default_probability is not None
    ]
    total = sum(c for c, _ in recognised)
    scale = min(1.0, ead / total) if total > 0 else 0.0
    covered = np.array([c * scale for c, _ in recognised] + [0.0])
    g_pd = np.array([p for _, p in recognised] + [0.0])
    uncovered = ead - float(covered.sum())
    m = facility.remaining_years(as_of)
    rwa_g = risk_weight(
        g_pd, g_lgd, regime=regime, asset_class=guarantor_class, maturity=m
    )
    rwa_b = risk_weight(pd_, lgd, regime=regime, asset_class=asset_class, maturity=m)
    return float((rwa_g * covered).sum() + rwa_b[0] * max(0.0, uncovered))
