r"""Guarantees: the covered part of an exposure takes the guarantor's risk weight.

The covered part of an exposure takes the guarantor's PD (and LGD, and risk-weight
function); the uncovered part keeps the borrower's (Basel II §§301-303;
CRE32.24-32.25).

- **Declining a guarantee.** A bank may choose not to recognise credit protection
  that would raise its capital requirement (CRE32.22). With
  ``decline_if_costlier=True`` (the default) lendcrm declines, row by row, a guarantee
  whose guarantor carries a higher risk weight than the borrower; pass ``False`` to
  substitute regardless.
- **Maturity mismatch.** A guarantee that runs off before the exposure counts for
  $G (t - 0.25)/(T - 0.25)$, and not at all with three months or less to run or under
  one year at origin (CRE22.10-22.14 via CRE32.56; `maturity_mismatch_factor`).
- **Currency mismatch.** A guarantee in another currency than the exposure counts for
  $G (1 - H_{FX})$, $H_{FX}$ the 8 % supervisory currency haircut over 10 business
  days, scaled by the square-root-of-time rule to the revaluation interval of the
  protection (Basel II §200; the split into covered and uncovered parts is CRE32.26).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_bool_array, as_float_array
from lendcrm._dates import check_as_of
from lendcrm._entities import Facility
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital._exposure import (
    facility_exposure_at_default,
    facility_pd_lgd,
)
from lendcrm.risk.capital._haircuts import (
    SUPERVISORY_HAIRCUTS,
    TEN_BUSINESS_DAYS,
    HaircutSchedule,
    HoldingPeriod,
    maturity_mismatch_factor,
)
from lendcrm.risk.capital._irb import risk_weight
from lendcrm.risk.capital._regimes import AssetClass, CapitalRegime

__all__ = ["facility_guaranteed_rwa", "guaranteed_risk_weighted_assets"]


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
    el_best: npt.ArrayLike | None = None,
    decline_if_costlier: bool = True,
    guarantee_maturity: npt.ArrayLike | None = None,
    exposure_maturity: npt.ArrayLike | None = None,
    guarantee_original_maturity: npt.ArrayLike | None = None,
    currency_mismatch: npt.ArrayLike = False,
    holding_period: HoldingPeriod = TEN_BUSINESS_DAYS,
    schedule: HaircutSchedule = SUPERVISORY_HAIRCUTS,
) -> FloatArray:
    r"""RWA of a guaranteed exposure by substitution.

    The recognised cover $G_A = G\,(1 - H_{FX})\,f_{MM}$ is weighted with the
    guarantor's PD, LGD and asset class, the rest with the borrower's (CRE32.24-32.26;
    Basel II §§301-303), unless the guarantor's weight is the higher and the bank
    declines the guarantee (CRE32.22).

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
        el_best: Best estimate of expected loss of a defaulted borrower (PD = 1),
            required then (see `capital_requirement`).
        decline_if_costlier: Decline the guarantee on rows where the guarantor's
            risk weight exceeds the borrower's (CRE32.22, a bank's choice; default).
            `False` substitutes regardless.
        guarantee_maturity: Residual maturity of the guarantee in years, for the
            maturity mismatch $f_{MM}$ (`maturity_mismatch_factor`); `None`: matched.
        exposure_maturity: Residual (contractual) maturity of the exposure in years;
            required with `guarantee_maturity`.
        guarantee_original_maturity: Original maturity of the guarantee in years;
            `None` takes its residual maturity.
        currency_mismatch: True where the guarantee is in another currency than the
            exposure ($H_{FX}$).
        holding_period: Revaluation of the protection that scales $H_{FX}$ (10
            business days, daily revaluation: 8 %).
        schedule: Source of the 10-day currency haircut (8 %).

    Returns:
        Float64 array `(n,)` of RWA.

    Raises:
        InvalidValueError: as `risk_weighted_assets`, a covered amount outside
            [0, ead], a non-boolean mismatch flag, or only one of
            `guarantee_maturity` and `exposure_maturity`.

    Notes:
        $$RWA = RW(PD_G, LGD_G)\cdot G_A + RW(PD, LGD)\cdot(EAD - G_A)$$

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> guaranteed_risk_weighted_assets([100.0, 100.0], [0.0, 60.0],
        ...     default_probability=0.05, lgd=0.45, guarantor_pd=0.001,
        ...     guarantor_lgd=0.45, guarantor_class="bank", regime=BASEL_III).round(1)
        array([149.9,  77.7])
        >>> guaranteed_risk_weighted_assets(100.0, 60.0, default_probability=0.05,
        ...     lgd=0.45, guarantor_pd=0.001, guarantor_lgd=0.45,
        ...     guarantor_class="bank", regime=BASEL_III, guarantee_maturity=2.0,
        ...     exposure_maturity=5.0).round(1)  # 60 x 1.75 / 4.75 = 22.1 covered
        array([123.3])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(
        schedule, HaircutSchedule, name="schedule", what="a HaircutSchedule"
    )
    e = as_float_array(ead, name="ead", lower=0.0)
    cov = as_float_array(covered, name="covered", lower=0.0)
    rw_b = risk_weight(
        default_probability,
        lgd,
        regime=regime,
        asset_class=asset_class,
        maturity=maturity,
        el_best=el_best,
    )
    rw_g = risk_weight(
        guarantor_pd,
        guarantor_lgd,
        regime=regime,
        asset_class=guarantor_class,
        maturity=maturity,
    )
    fx = as_bool_array(currency_mismatch, name="currency_mismatch").astype(np.float64)
    mm = _mismatch(guarantee_maturity, exposure_maturity, guarantee_original_maturity)
    e, cov, rw_b, rw_g, fx, mm = align(
        ead=e,
        covered=cov,
        default_probability=rw_b,
        guarantor_pd=rw_g,
        currency_mismatch=fx,
        guarantee_maturity=mm,
    )
    over = cov > e
    if over.any():
        i = int(np.argmax(over))
        raise InvalidValueError(
            field=f"covered[{i}]",
            value=float(cov[i]),
            expected=f"at most the exposure ead[{i}] ({float(e[i]):g})",
        )
    h_fx = schedule.currency_mismatch * holding_period.scale
    recognised = cov * np.maximum(0.0, 1.0 - fx * h_fx) * mm
    if decline_if_costlier:
        rw_g = np.minimum(rw_g, rw_b)  # a declined cover keeps the borrower's weight
    return rw_g * recognised + rw_b * (e - recognised)


def _mismatch(
    guarantee_maturity: npt.ArrayLike | None,
    exposure_maturity: npt.ArrayLike | None,
    original: npt.ArrayLike | None,
) -> FloatArray:
    """Maturity-mismatch factor of each guarantee; 1 when no maturities are given."""
    if guarantee_maturity is None and exposure_maturity is None and original is None:
        return np.ones(1)
    if guarantee_maturity is None or exposure_maturity is None:
        raise InvalidValueError(
            field="exposure_maturity"
            if exposure_maturity is None
            else ("guarantee_maturity"),
            value=None,
            expected="given together with guarantee_maturity and exposure_maturity "
            "(residual maturities in years, for the maturity-mismatch adjustment of "
            "CRE22.10-22.14)",
        )
    return maturity_mismatch_factor(
        guarantee_maturity, exposure_maturity, protection_original_maturity=original
    )


def facility_guaranteed_rwa(
    facility: Facility,
    *,
    as_of: dt.date,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    guarantor_class: AssetClass | str = AssetClass.CORPORATE,
    guarantor_lgd: float | None = None,
    ccf: float | None = None,
    el_best: float | None = None,
    decline_if_costlier: bool = True,
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
        el_best: Best estimate of expected loss of a defaulted facility (PD = 1).
        decline_if_costlier: Decline guarantees whose guarantor carries a higher
            risk weight than the borrower (CRE32.22; default). Guarantees on a
            facility have no maturity or currency of their own, so they are taken
            as matched; use `guaranteed_risk_weighted_assets` for mismatches.

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
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(facility, Facility, name="facility", what="a Facility")
    check_as_of(as_of)
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
    rwa_b = risk_weight(
        pd_, lgd, regime=regime, asset_class=asset_class, maturity=m, el_best=el_best
    )
    if decline_if_costlier:
        rwa_g = np.minimum(rwa_g, rwa_b[0])
    return float((rwa_g * covered).sum() + rwa_b[0] * max(0.0, uncovered))
