r"""Collateral under the foundation IRB approach: the effective LGD of a secured exposure.

Under the foundation IRB approach (Basel Framework CRE32.10-32.11,
December 2017 revision) an exposure $E$ partly secured by collateral worth $C$ has the
effective LGD

$$LGD^* = LGD_U \cdot \frac{E_U}{E(1+H_E)} + LGD_S \cdot \frac{E_S}{E(1+H_E)},\qquad
E_S = \min\{C(1 - H_C - H_{FX}),\ E(1+H_E)\},\quad E_U = E(1+H_E) - E_S,$$

where $H_C$ is the supervisory haircut of the collateral kind, $H_{FX} = 8\,\%$ when
collateral and exposure are in different currencies (CRE32.12, CRE22.52; Basel II §153),
both scaled to the transaction's holding period (`HoldingPeriod`; secured lending,
20 business days, by default: CRE22.56-22.59, CRE32.11),
$H_E$ the haircut on the exposure (0 for a loan), $LGD_U$ the unsecured LGD of the claim
(`supervisory_lgd`: by seniority and regime, CRE32.6-32.7) and $LGD_S$ the LGD of the
secured part:
0 % for financial collateral, 20 % for receivables and real estate, 25 % for other
physical collateral. With financial collateral only, this is Basel II §291's
$LGD^* = LGD \cdot E^*/E$.

One collateral kind per exposure row; split an exposure into rows to pool several.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array, enum_codes
from lendcrm._entities import Facility
from lendcrm._enums import CollateralKind as CoreCollateralKind
from lendcrm._enums import Seniority
from lendcrm._validators import enum_member, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital._exposure import facility_exposure_at_default
from lendcrm.risk.capital._haircuts import (
    SECURED_LENDING,
    SUPERVISORY_HAIRCUTS,
    HaircutSchedule,
    HoldingPeriod,
    SupervisoryCollateral,
    haircut_table,
    maturity_mismatch_factor,
    supervisory_haircut,
)
from lendcrm.risk.capital._regimes import (
    RETAIL_CLASSES,
    SECURED_FLOOR_CLASSES,
    AssetClass,
    CapitalRegime,
)

__all__ = [
    "FACILITY_COLLATERAL",
    "airb_lgd_floor",
    "facility_airb_lgd_floor",
    "facility_foundation_lgd",
    "foundation_lgd",
    "supervisory_lgd",
]

#: Subordinated ranks: a mezzanine tranche is expressly subordinated to senior debt.
_SUBORDINATED: Final = frozenset({Seniority.MEZZANINE, Seniority.SUBORDINATED})


def supervisory_lgd(
    asset_class: AssetClass | str | npt.ArrayLike,
    *,
    regime: CapitalRegime,
    seniority: Seniority | str | npt.ArrayLike = Seniority.SENIOR_UNSECURED,
) -> FloatArray:
    """Foundation-IRB LGD of a claim not secured by recognised collateral.

    The $LGD_U$ of `foundation_lgd` (CRE32.10(4)): senior claims on non-financial
    corporates take the regime's `foundation_lgd_senior` (40 % under Basel III, 45 %
    under Basel II); senior claims on sovereigns, banks and other financial
    institutions (`BANK`, `LARGE_FINANCIAL`, `OTHER_FINANCIAL`, `SOVEREIGN`) 45 %
    (CRE32.6); subordinated claims 75 % (CRE32.7). `Seniority.SENIOR_SECURED` is a
    senior claim (its collateral enters through `foundation_lgd`); `MEZZANINE` and
    `SUBORDINATED` are subordinated.

    Args:
        asset_class: One `AssetClass` for all rows or one per row; retail classes
            are refused (there is no foundation approach for retail, CRE30.42).
        regime: The capital rules (`BASEL_II`, `BASEL_III` or your own).
        seniority: One `lendcrm.Seniority` (or value) for all rows or one per row.

    Returns:
        Float64 array `(n,)` of supervisory LGDs.

    Raises:
        InvalidValueError: a retail or unknown asset class, an unknown seniority, or
            arrays of different lengths.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_II, BASEL_III
        >>> supervisory_lgd(["corporate", "bank", "corporate"], regime=BASEL_III,
        ...     seniority=["senior_unsecured", "senior_unsecured", "subordinated"])
        array([0.4 , 0.45, 0.75])
        >>> supervisory_lgd("corporate", regime=BASEL_II)
        array([0.45])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    classes, class_codes = enum_codes(asset_class, AssetClass, name="asset_class")
    retail = np.array([c in RETAIL_CLASSES for c in classes])[class_codes]
    if retail.any():
        i = int(np.argmax(retail))
        raise InvalidValueError(
            field="asset_class" if retail.shape[0] == 1 else f"asset_class[{i}]",
            value=classes[int(class_codes[i])].value,
            expected="a corporate, sovereign or bank class (retail LGDs are the "
            "bank's own estimates: there is no foundation approach for retail, "
            "CRE30.42)",
        )
    ranks, rank_codes = enum_codes(seniority, Seniority, name="seniority")
    by_class = np.array([regime.senior_foundation_lgd(c) for c in classes])[class_codes]
    subordinated = np.array([r in _SUBORDINATED for r in ranks])[rank_codes]
    senior, sub = align(asset_class=by_class, seniority=subordinated.astype(np.float64))
    out: FloatArray = np.where(sub > 0.0, regime.foundation_lgd_subordinated, senior)
    return out


def _secured_split(
    exposure: npt.ArrayLike,
    collateral_value: npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    *,
    currency_mismatch: npt.ArrayLike,
    exposure_haircut: npt.ArrayLike,
    holding_period: HoldingPeriod,
    schedule: HaircutSchedule,
    mismatch: FloatArray,
    **per_row: FloatArray,
) -> tuple[FloatArray, FloatArray, list[FloatArray]]:
    """$E(1+H_E)$ and $E_S$ of each row (CRE32.10), with `per_row` aligned to them.

    $E_S$ is the collateral after haircuts, times the maturity-mismatch factor when
    maturities are given (CRE22.10-22.14 via CRE32.56), capped at $E(1+H_E)$.
    """
    e = as_float_array(exposure, name="exposure", lower=0.0, lower_open=True)
    c = as_float_array(collateral_value, name="collateral_value", lower=0.0)
    he = as_float_array(exposure_haircut, name="exposure_haircut", lower=0.0, upper=1.0)
    h = supervisory_haircut(
        kind,
        currency_mismatch=currency_mismatch,
        holding_period=holding_period,
        schedule=schedule,
    )
    e, c, he, *rest, h, mm = align(
        exposure=e,
        collateral_value=c,
        exposure_haircut=he,
        **per_row,
        kind=h,
        collateral_maturity=mismatch,
    )
    gross = e * (1.0 + he)
    secured: FloatArray = np.minimum(np.maximum(0.0, c * (1.0 - h)) * mm, gross)
    return gross, secured, rest


def _mismatch(
    collateral_maturity: npt.ArrayLike | None,
    exposure_maturity: npt.ArrayLike | None,
    collateral_original_maturity: npt.ArrayLike | None,
) -> FloatArray:
    """The maturity-mismatch factor of each row; 1 when no maturities are given."""
    given = {
        "collateral_maturity": collateral_maturity,
        "exposure_maturity": exposure_maturity,
    }
    missing = [k for k, v in given.items() if v is None]
    if len(missing) == 1 or (missing and collateral_original_maturity is not None):
        raise InvalidValueError(
            field=missing[0],
            value=None,
            expected="given together with collateral_maturity and exposure_maturity "
            "(residual maturities in years, for the maturity-mismatch adjustment of "
            "CRE22.10-22.14)",
        )
    if collateral_maturity is None or exposure_maturity is None:
        return np.ones(1)
    return maturity_mismatch_factor(
        collateral_maturity,
        exposure_maturity,
        protection_original_maturity=collateral_original_maturity,
    )


def foundation_lgd(
    exposure: npt.ArrayLike,
    collateral_value: npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    *,
    lgd_unsecured: npt.ArrayLike,
    currency_mismatch: npt.ArrayLike = False,
    exposure_haircut: npt.ArrayLike = 0.0,
    holding_period: HoldingPeriod = SECURED_LENDING,
    collateral_maturity: npt.ArrayLike | None = None,
    exposure_maturity: npt.ArrayLike | None = None,
    collateral_original_maturity: npt.ArrayLike | None = None,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""Effective LGD of a partly secured exposure (foundation IRB, CRE32.10-32.11).

    Args:
        exposure: Current exposure value $E$, > 0.
        collateral_value: Collateral market value $C$, >= 0.
        kind: Collateral kind(s) (selects $H_C$ and $LGD_S$).
        lgd_unsecured: $LGD_U$ in [0, 1], the LGD of the claim were it unsecured:
            `supervisory_lgd` by asset class, seniority and regime (CRE32.6-32.7).
        currency_mismatch: Currency mismatch flag(s) ($H_{FX}$).
        exposure_haircut: $H_E$, in [0, 1] (0 for a loan).
        holding_period: Holding period and revaluation interval that scale the
            financial and FX haircuts (`SECURED_LENDING` by default).
        collateral_maturity: Residual maturity of the collateral in years (for a
            maturity mismatch, `maturity_mismatch_factor`); `None`: matched.
        exposure_maturity: Residual maturity of the exposure in years; required
            with `collateral_maturity`.
        collateral_original_maturity: Original maturity of the collateral
            arrangement in years; `None` takes its residual maturity.
        schedule: Haircut table.

    Returns:
        Float64 array `(n,)` of effective LGDs between $LGD_S$ and $LGD_U$;
        non-increasing in the collateral value.

    Raises:
        InvalidValueError: exposure <= 0, a negative collateral value, an LGD or
            haircut outside [0, 1], an unknown kind, non-finite values, arrays of
            different lengths, or only one of the two residual maturities.

    Notes:
        $$LGD^* = LGD_U \frac{E_U}{E(1+H_E)} + LGD_S \frac{E_S}{E(1+H_E)}$$

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> lu = supervisory_lgd("corporate", regime=BASEL_III)  # 40 %, CRE32.6
        >>> foundation_lgd([100.0, 100.0, 100.0], [0.0, 50.0, 200.0],
        ...                ["real_estate", "cash", "real_estate"],
        ...                lgd_unsecured=lu).round(4)
        array([0.4, 0.2, 0.2])
    """
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    lu = as_float_array(lgd_unsecured, name="lgd_unsecured", lower=0.0, upper=1.0)
    ls = haircut_table(kind, schedule.secured_lgd)
    gross, secured, (lu, ls) = _secured_split(
        exposure,
        collateral_value,
        kind,
        currency_mismatch=currency_mismatch,
        exposure_haircut=exposure_haircut,
        holding_period=holding_period,
        schedule=schedule,
        mismatch=_mismatch(
            collateral_maturity, exposure_maturity, collateral_original_maturity
        ),
        lgd_unsecured=lu,
        secured_lgd=ls,
    )
    return (lu * (gross - secured) + ls * secured) / gross


def _floor_terms(
    asset_class: AssetClass | str | npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    regime: CapitalRegime,
) -> tuple[FloatArray, FloatArray]:
    """Unsecured and secured A-IRB LGD floors of each row (CRE32.16, CRE32.58)."""
    classes, class_codes = enum_codes(asset_class, AssetClass, name="asset_class")
    unsecured = np.array([regime.lgd_floors.get(c, 0.0) for c in classes])
    by_kind = np.array([c in SECURED_FLOOR_CLASSES for c in classes])
    kinds, kind_codes = enum_codes(kind, SupervisoryCollateral, name="kind")
    secured = np.array([regime.secured_lgd_floors.get(k, np.nan) for k in kinds])
    fu, collateral_matters, fs = align(
        asset_class=unsecured[class_codes],
        secured_floor_class=by_kind[class_codes].astype(np.float64),
        kind=secured[kind_codes],
    )
    use_secured = (collateral_matters > 0.0) & ~np.isnan(fs)
    out: FloatArray = np.where(use_secured, fs, fu)
    return fu, out


def airb_lgd_floor(
    exposure: npt.ArrayLike,
    collateral_value: npt.ArrayLike,
    kind: SupervisoryCollateral | str | npt.ArrayLike,
    *,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    currency_mismatch: npt.ArrayLike = False,
    exposure_haircut: npt.ArrayLike = 0.0,
    holding_period: HoldingPeriod = SECURED_LENDING,
    collateral_maturity: npt.ArrayLike | None = None,
    exposure_maturity: npt.ArrayLike | None = None,
    collateral_original_maturity: npt.ArrayLike | None = None,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""A-IRB LGD floor of a partly secured exposure (CRE32.16-32.17, CRE32.58-32.59).

    The floor is the exposure-weighted average of the unsecured floor on the
    unsecured part and the collateral's secured floor on the secured part, with
    $E_S$ and $E_U$ as in `foundation_lgd` (the supervisory haircuts of CRE32.11):

    $$Floor = LGD_{U,floor}\frac{E_U}{E(1+H_E)} + LGD_{S,floor}\frac{E_S}{E(1+H_E)}$$

    Under `BASEL_III`: unsecured 25 % (corporate classes) or 30 % (other retail);
    secured 0 % financial collateral, 10 % receivables and real estate, 15 % other
    physical. QRRE takes 50 % and residential mortgages 5 % whatever secures them
    (CRE32.58-32.59); sovereigns have no floor. Pass the result as `lgd_floor` to the
    IRB functions with ``apply_lgd_floor=True``.

    Args:
        exposure: Current exposure value $E$, > 0.
        collateral_value: Collateral market value $C$, >= 0 (0: unsecured).
        kind: Collateral kind(s).
        regime: The capital rules (its `lgd_floors` and `secured_lgd_floors`).
        asset_class: One `AssetClass` for all rows or one per row.
        currency_mismatch: Currency mismatch flag(s) ($H_{FX}$).
        exposure_haircut: $H_E$, in [0, 1] (0 for a loan).
        holding_period: Holding period for the financial haircuts.
        collateral_maturity: As `foundation_lgd` (maturity mismatch).
        exposure_maturity: As `foundation_lgd`.
        collateral_original_maturity: As `foundation_lgd`.
        schedule: Haircut table.

    Returns:
        Float64 array `(n,)` of LGD floors, between the secured and the unsecured
        floor; non-increasing in the collateral value.

    Raises:
        InvalidValueError: as `foundation_lgd`, or an unknown asset class.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> airb_lgd_floor([100.0, 100.0, 100.0], [0.0, 50.0, 200.0],
        ...                ["real_estate", "cash", "real_estate"],
        ...                regime=BASEL_III).round(4)  # 25 %; 12.5 %; 10 %
        array([0.25 , 0.125, 0.1  ])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    fu, fs = _floor_terms(asset_class, kind, regime)
    gross, secured, (fu, fs) = _secured_split(
        exposure,
        collateral_value,
        kind,
        currency_mismatch=currency_mismatch,
        exposure_haircut=exposure_haircut,
        holding_period=holding_period,
        schedule=schedule,
        mismatch=_mismatch(
            collateral_maturity, exposure_maturity, collateral_original_maturity
        ),
        asset_class=fu,
        secured_floor=fs,
    )
    return (fu * (gross - secured) + fs * secured) / gross


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
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    lgd_unsecured: float | None = None,
    ccf: float | None = None,
    holding_period: HoldingPeriod = SECURED_LENDING,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
    mapping: Mapping[CoreCollateralKind, SupervisoryCollateral | None] = (
        FACILITY_COLLATERAL
    ),
) -> float:
    r"""Foundation-IRB effective LGD of one `Facility` and all its collateral.

    $LGD_U$ is the supervisory LGD of the facility's `seniority` for the borrower's
    asset class under `regime` (`supervisory_lgd`, CRE32.6-32.7) unless given. Each
    recognised piece of collateral secures part of the exposure after its
    supervisory haircut (the facility's own `Collateral.haircut` is a bank view and is
    not used here), taking the lowest-LGD collateral first (CRE32.10); the rest is
    unsecured. All amounts on a facility share its currency, so $H_{FX} = 0$.

    $$LGD^* = \frac{LGD_U\,E_U + \sum_k LGD_{S,k}\,E_{S,k}}{E}$$

    Args:
        facility: The facility (its EAD is the exposure $E$, its `seniority` selects
            $LGD_U$).
        regime: The capital rules (`BASEL_III`: 40 % senior non-financial corporate;
            `BASEL_II`: 45 %).
        asset_class: The borrower's asset class (not retail).
        lgd_unsecured: Overrides $LGD_U$, in [0, 1].
        ccf: Overrides the facility's CCF for the EAD.
        holding_period: Holding period and revaluation interval that scale the
            financial haircuts (`SECURED_LENDING` by default).
        schedule: Supervisory haircuts and secured LGDs.
        mapping: Facility collateral kind to supervisory category (`None`: not
            recognised).

    Returns:
        The effective LGD, a fraction; $LGD_U$ for a zero exposure.

    Raises:
        InvalidValueError: no CCF, an LGD outside [0, 1], or a retail asset class.

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
        >>> from lendcrm.risk.capital import BASEL_III
        >>> round(facility_foundation_lgd(f, regime=BASEL_III), 4)  # (6 + 0.4 x 50) / 100
        0.26
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    require_instance(facility, Facility, name="facility", what="a Facility")
    if lgd_unsecured is None:
        lu_arr = supervisory_lgd(
            asset_class, regime=regime, seniority=facility.seniority
        )
    else:
        lu_arr = as_float_array(
            lgd_unsecured, name="lgd_unsecured", lower=0.0, upper=1.0, allow_empty=False
        )
    lu = float(lu_arr[0])
    exposure, remaining, used = _allocate(
        facility,
        ccf=ccf,
        holding_period=holding_period,
        schedule=schedule,
        mapping=mapping,
    )
    if exposure <= 0.0:
        return lu
    loss = sum(schedule.secured_lgd[category] * amount for category, amount in used)
    return (loss + lu * remaining) / exposure


def _allocate(
    facility: Facility,
    *,
    ccf: float | None,
    holding_period: HoldingPeriod,
    schedule: HaircutSchedule,
    mapping: Mapping[CoreCollateralKind, SupervisoryCollateral | None],
) -> tuple[float, float, list[tuple[SupervisoryCollateral, float]]]:
    """EAD, its unsecured rest and the part each collateral secures (CRE32.14).

    Recognised collateral, after its supervisory haircut, secures the exposure in turn,
    lowest secured LGD first, until the exposure is used up.
    """
    exposure = float(facility_exposure_at_default(facility, ccf=ccf).amount)
    pieces = []
    for item in facility.collateral:  # one facility's few collateral items
        category = mapping.get(item.kind)
        if category is None:
            continue
        h = supervisory_haircut(
            category, holding_period=holding_period, schedule=schedule
        )[0]
        value = float(item.value.amount) * max(0.0, 1.0 - float(h))
        pieces.append((schedule.secured_lgd[category], value, category))
    remaining = max(exposure, 0.0)
    used = []
    for _, value, category in sorted(pieces, key=lambda p: (p[0], p[1])):
        amount = min(value, remaining)
        used.append((category, amount))
        remaining -= amount
    return exposure, remaining, used


def facility_airb_lgd_floor(
    facility: Facility,
    *,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    ccf: float | None = None,
    holding_period: HoldingPeriod = SECURED_LENDING,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
    mapping: Mapping[CoreCollateralKind, SupervisoryCollateral | None] = (
        FACILITY_COLLATERAL
    ),
) -> float:
    r"""A-IRB LGD floor of one `Facility` and all its collateral (CRE32.16-32.17).

    The one-facility form of `airb_lgd_floor`: each recognised piece of collateral
    secures the part `facility_foundation_lgd` gives it (lowest secured LGD first,
    CRE32.14) and takes its kind's secured floor; the rest takes the unsecured floor.
    `facility_irb_capital` applies it to own-estimate LGDs.

    $$Floor = rac{LGD_{U,floor}\,E_U + \sum_k LGD_{S,floor,k}\,E_{S,k}}{E}$$

    Args:
        facility: The facility (its EAD is the exposure $E$).
        regime: The capital rules (`lgd_floors`, `secured_lgd_floors`).
        asset_class: The borrower's asset class.
        ccf: Overrides the facility's CCF for the EAD.
        holding_period: Holding period for the financial haircuts.
        schedule: Supervisory haircuts and secured LGDs.
        mapping: Facility collateral kind to supervisory category.

    Returns:
        The LGD floor, a fraction; the unsecured floor for a zero exposure.

    Raises:
        InvalidValueError: no CCF, or an unknown asset class.

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
        >>> from lendcrm.risk.capital import BASEL_III
        >>> round(facility_airb_lgd_floor(f, regime=BASEL_III), 4)  # (3 + 12.5) / 100
        0.155
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    require_instance(facility, Facility, name="facility", what="a Facility")
    fu_arr, _ = _floor_terms(asset_class, SupervisoryCollateral.CASH, regime)
    fu = float(fu_arr[0])
    cls = enum_member(AssetClass, asset_class, name="asset_class")
    exposure, remaining, used = _allocate(
        facility,
        ccf=ccf,
        holding_period=holding_period,
        schedule=schedule,
        mapping=mapping,
    )
    if exposure <= 0.0:
        return fu
    floor = fu * remaining
    for category, amount in used:
        floor += float(_floor_terms(cls, category, regime)[1][0]) * amount
    return floor / exposure
