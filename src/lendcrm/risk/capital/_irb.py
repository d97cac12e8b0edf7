"""IRB capital: the risk-weight functions of the Basel framework, vectorised.

The **IRB** risk-weight functions for corporate, SME, sovereign, bank, large/unregulated
financial institution and retail (residential mortgage, qualifying revolving, other
retail) exposures, with the maturity adjustment and the treatment of defaulted exposures
(Basel II, June 2006, §§272-273, 318-320, 328-330; Basel Framework CRE31), all
vectorised (arrays in, float64 arrays out) and all taking the regulatory regime as an
explicit, frozen `CapitalRegime`; and their one-facility forms (`irb_capital`,
`facility_irb_capital`).

Conventions: PD, LGD, correlations, risk weights and capital requirements are
fractions (0.45 means 45 %; a risk weight of 1.0 means 100 %). Effective maturity is in
years. Sales are annual, in EUR millions. The regime is never a global default: pass
`BASEL_II`, `BASEL_III` or your own `CapitalRegime`.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm._dates import check_as_of
from lendcrm._entities import Facility
from lendcrm._validators import require_instance
from lendcrm.risk.capital._exposure import (
    facility_exposure_at_default,
    facility_pd_lgd,
)
from lendcrm.risk.capital._irb_terms import (
    advanced_lgd_restricted,
    capital_k,
    floored_lgd,
    floored_pd,
    maturity_factor,
    require_el_best,
    supervisory_correlation,
    validate_irb_inputs,
)
from lendcrm.risk.capital._mitigation import (
    facility_airb_lgd_floor,
    facility_foundation_lgd,
)
from lendcrm.risk.capital._regimes import (
    AdvancedLGDPolicy,
    AssetClass,
    CapitalRegime,
)

__all__ = [
    "IRBCapital",
    "asset_correlation",
    "capital_requirement",
    "facility_irb_capital",
    "irb_capital",
    "maturity_adjustment",
    "risk_weight",
    "risk_weighted_assets",
]


def asset_correlation(
    default_probability: npt.ArrayLike,
    *,
    asset_class: AssetClass | str | npt.ArrayLike,
    regime: CapitalRegime,
    sales: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Supervisory asset correlation R of each exposure, after the regime's PD floor.

    Args:
        default_probability: One-year probability of default, fractions in [0, 1],
            scalar or `(n,)`.
        asset_class: One `AssetClass` (or its value) for all rows, or one per row.
        regime: The capital rules (`BASEL_II`, `BASEL_III` or your own).
        sales: Annual sales in EUR m (>= 0) for the SME firm-size adjustment of
            corporate rows, clamped to [5, 50]; `None` for no adjustment.

    Returns:
        Float64 array `(n,)` of correlations in (0, 0.3]; non-increasing in PD.

    Raises:
        InvalidValueError: PD outside [0, 1], negative or non-finite sales, an unknown
            asset class or arrays of different lengths.

    Notes:
        $$R = 0.12\,\frac{1-e^{-50\,PD}}{1-e^{-50}} + 0.24\left(1-\frac{1-e^{-50\,PD}}
        {1-e^{-50}}\right) - 0.04\left(1-\frac{S-5}{45}\right)$$

    Examples:
        >>> from lendcrm.risk.capital import BASEL_II, BASEL_III
        >>> asset_correlation([0.0003, 0.01, 0.2], asset_class="corporate",
        ...                   regime=BASEL_II).round(4)
        array([0.2382, 0.1928, 0.12  ])
        >>> asset_correlation(0.01, asset_class="large_financial",
        ...                   regime=BASEL_III).round(4)
        array([0.241])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    inp = validate_irb_inputs(
        default_probability,
        None,
        asset_class=asset_class,
        maturity=2.5,
        sales=sales,
        el_best=None,
        regime=regime,
    )
    floored = np.where(inp.default_probability >= 1.0, 1.0, floored_pd(inp, regime))
    return supervisory_correlation(floored, inp, regime)


def maturity_adjustment(
    default_probability: npt.ArrayLike,
    maturity: npt.ArrayLike,
    *,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
) -> FloatArray:
    r"""Maturity adjustment $(1 + (M - 2.5)\,b)/(1 - 1.5\,b)$ of each exposure.

    Args:
        default_probability: Probability of default, fractions in [0, 1]; floored by
            the regime.
        maturity: Effective maturity in years, > 0; floored at the regime's
            `maturity_floor` and capped at `maturity_cap` (or refused above it when
            its `maturity_policy` is `REFUSE`).
        regime: The capital rules.
        asset_class: Retail classes have no maturity adjustment (1.0).

    Returns:
        Float64 array `(n,)`, equal to 1 at M = 1 year and increasing in M.

    Raises:
        InvalidValueError: PD outside [0, 1], maturity <= 0, non-finite, above the cap
            under `MaturityPolicy.REFUSE`, or arrays of different lengths.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_II
        >>> maturity_adjustment(0.01, [0.5, 1.0, 2.5, 5.0, 7.0], regime=BASEL_II).round(4)
        array([1.    , 1.    , 1.2598, 1.6928, 1.6928])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    inp = validate_irb_inputs(
        default_probability,
        None,
        asset_class=asset_class,
        maturity=maturity,
        sales=None,
        el_best=None,
        regime=regime,
    )
    floored = floored_pd(inp, regime)
    pd_used = np.where(
        (inp.default_probability >= 1.0) | (floored <= 0.0), 0.5, floored
    )
    return maturity_factor(pd_used, inp, regime)


def capital_requirement(
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    maturity: npt.ArrayLike = 2.5,
    sales: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    apply_lgd_floor: bool = False,
    lgd_floor: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""IRB capital requirement K per unit of EAD (unexpected loss, before scaling).

    Args:
        default_probability: One-year PD, fractions in [0, 1]; PD = 1 marks a
            defaulted exposure.
        lgd: Loss given default, fractions in [0, 1].
        regime: The capital rules (PD floors, LGD floors, maturity bounds).
        asset_class: One class for all rows or one per row (`AssetClass` values).
        maturity: Effective maturity in years (> 0), ignored for retail.
        sales: The group's annual sales (revenue) in EUR m, for the SME adjustment
            (corporate rows only) and the A-IRB revenue limit of CRE30.34(1).
        el_best: Best estimate of expected loss of defaulted exposures (fraction of
            EAD; CRE31.3, CRE36.86), one for all rows or one per row (ignored on
            rows not in default). Required when any row is defaulted: pass
            ``el_best=lgd`` for foundation-approach exposures (K = 0, CRE35.3).
        apply_lgd_floor: The LGDs are the bank's own (A-IRB) estimates: apply the
            regime's A-IRB LGD floors and its advanced-approach restrictions
            (CRE30.34: under Basel III no own LGD for banks, other financial
            institutions and corporates whose `sales` exceed EUR 500 m; such rows take
            the senior unsecured foundation LGD, or raise under
            `AdvancedLGDPolicy.REFUSE`).
        lgd_floor: The A-IRB LGD floor of each row, for secured exposures
            (`airb_lgd_floor`: by collateral kind, CRE32.16-32.17); `None` takes the
            regime's unsecured floor of the class. Only with ``apply_lgd_floor=True``.

    Returns:
        Float64 array `(n,)` of K >= 0; non-decreasing in LGD.

    Raises:
        InvalidValueError: PD or LGD outside [0, 1], maturity <= 0 (or above the cap
            under `MaturityPolicy.REFUSE`), negative sales, an unknown asset class,
            non-finite values or arrays of different lengths; an own-estimate LGD
            that the regime forbids, under `AdvancedLGDPolicy.REFUSE` (CRE30.34); a
            defaulted row (PD = 1) without `el_best`.

    Notes:
        $$K = \left[LGD\,N\!\left(\frac{G(PD) + \sqrt{R}\,G(0.999)}{\sqrt{1-R}}
        \right) - PD\cdot LGD\right]\frac{1 + (M-2.5)\,b}{1-1.5\,b}$$
        with $b = (0.11852 - 0.05478 \ln PD)^2$ (Basel II §272, CRE31.5); retail has no
        maturity term (§§328-330). Defaulted: $K = \max(0, LGD - EL_{best})$.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> capital_requirement([0.01, 1.0], [0.45, 0.45], regime=BASEL_III,
        ...                     el_best=[0.0, 0.35]).round(4)
        array([0.0739, 0.1   ])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    inp = validate_irb_inputs(
        default_probability,
        lgd,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        regime=regime,
        lgd_floor=lgd_floor,
    )
    require_el_best(inp)
    return capital_k(inp, regime, apply_lgd_floor=apply_lgd_floor)


def risk_weight(
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    maturity: npt.ArrayLike = 2.5,
    sales: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    apply_lgd_floor: bool = False,
    lgd_floor: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""IRB risk weight $RW = 12.5 \times K \times$ scaling factor, as a fraction.

    Arguments, errors and conventions are those of `capital_requirement`.

    Returns:
        Float64 array `(n,)`; 1.0 means 100 %. Non-decreasing in LGD.

    Raises:
        InvalidValueError: as `capital_requirement`.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_II
        >>> unscaled = attrs.evolve(BASEL_II, scaling_factor=1.0)
        >>> (100 * risk_weight(0.01, 0.45, regime=unscaled)).round(2)  # Annex 5: 92.32
        array([92.32])
        >>> (100 * risk_weight(0.01, 0.45, regime=unscaled, sales=5.0)).round(2)
        array([72.39])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    k = capital_requirement(
        default_probability,
        lgd,
        regime=regime,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        apply_lgd_floor=apply_lgd_floor,
        lgd_floor=lgd_floor,
    )
    return k * (12.5 * regime.scaling_factor)


def risk_weighted_assets(
    ead: npt.ArrayLike,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    maturity: npt.ArrayLike = 2.5,
    sales: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    apply_lgd_floor: bool = False,
    lgd_floor: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Risk-weighted assets $RWA = RW \times EAD$ in the currency of `ead`.

    Args:
        ead: Exposure at default, >= 0, scalar or `(n,)`.
        default_probability: See `capital_requirement`.
        lgd: See `capital_requirement`.
        regime: See `capital_requirement`.
        asset_class: See `capital_requirement`.
        maturity: See `capital_requirement`.
        sales: See `capital_requirement`.
        el_best: See `capital_requirement`.
        apply_lgd_floor: See `capital_requirement`.
        lgd_floor: See `capital_requirement`.

    Returns:
        Float64 array `(n,)` of RWA >= 0.

    Raises:
        InvalidValueError: a negative or non-finite EAD, or as `capital_requirement`.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> risk_weighted_assets([1_000_000.0, 0.0], 0.01, 0.45,
        ...                      regime=BASEL_III).round(0)
        array([923168.,      0.])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    e = as_float_array(ead, name="ead", lower=0.0)
    rw = risk_weight(
        default_probability,
        lgd,
        regime=regime,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        apply_lgd_floor=apply_lgd_floor,
        lgd_floor=lgd_floor,
    )
    e, rw = align(ead=e, risk_weight=rw)
    return e * rw


@attrs.frozen(kw_only=True)
class IRBCapital:
    """The IRB capital of one exposure, term by term.

    Attributes:
        default_probability: PD used after the regime's floor (1.0 if defaulted).
        lgd: LGD used (after the A-IRB floor, if applied).
        correlation: Asset correlation R.
        maturity_adjustment: Maturity factor (1.0 for retail and defaulted).
        capital_requirement: K per unit of EAD.
        risk_weight: 12.5 × K × scaling factor (1.0 = 100 %).
        risk_weighted_assets: RW × EAD.
        capital: K × scaling × EAD, the capital at an 8 % ratio.
    """

    default_probability: float
    lgd: float
    correlation: float
    maturity_adjustment: float
    capital_requirement: float
    risk_weight: float
    risk_weighted_assets: float
    capital: float


def irb_capital(
    *,
    ead: float,
    default_probability: float,
    lgd: float,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    maturity: float = 2.5,
    sales: float | None = None,
    el_best: float | None = None,
    apply_lgd_floor: bool = False,
    lgd_floor: float | None = None,
) -> IRBCapital:
    """The IRB capital of one facility, with every intermediate term.

    The one-facility form of `risk_weighted_assets`: same rules, same errors, and the
    same numbers (tests check it).

    Raises:
        InvalidValueError: as `risk_weighted_assets`.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> c = irb_capital(ead=10e6, default_probability=0.01, lgd=0.45, maturity=2.5,
        ...                 regime=BASEL_III)
        >>> round(c.correlation, 4), round(c.risk_weight, 4), round(c.capital)
        (0.1928, 0.9232, 738534)
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    inp = validate_irb_inputs(
        default_probability,
        lgd,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        regime=regime,
        lgd_floor=lgd_floor,
    )
    require_el_best(inp)
    e = float(as_float_array(ead, name="ead", lower=0.0, allow_empty=False)[0])
    defaulted = bool(inp.default_probability[0] >= 1.0)
    pd_used = np.array([1.0]) if defaulted else floored_pd(inp, regime)
    corr = supervisory_correlation(pd_used, inp, regime)
    ma = (
        np.ones(1)
        if defaulted or pd_used[0] <= 0.0
        else maturity_factor(pd_used, inp, regime)
    )
    k = float(capital_k(inp, regime, apply_lgd_floor=apply_lgd_floor)[0])
    rw = k * 12.5 * regime.scaling_factor
    return IRBCapital(
        default_probability=float(pd_used[0]),
        lgd=float(floored_lgd(inp, regime, apply_lgd_floor=apply_lgd_floor)[0]),
        correlation=float(corr[0]),
        maturity_adjustment=float(ma[0]),
        capital_requirement=k,
        risk_weight=rw,
        risk_weighted_assets=rw * e,
        capital=k * regime.scaling_factor * e,
    )


def facility_irb_capital(
    facility: Facility,
    *,
    as_of: dt.date,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    sales: float | None = None,
    el_best: float | None = None,
    default_probability: float | None = None,
    lgd: float | None = None,
    ccf: float | None = None,
    apply_lgd_floor: bool = False,
) -> IRBCapital:
    """IRB capital of one `Facility` on a business date.

    EAD comes from the facility (`facility_exposure_at_default`), the effective
    maturity is its remaining life at `as_of` in years (actual/365.25; floored and
    capped by the regime), and PD, LGD and CCF default to the values stored on the
    facility. Same numbers as `irb_capital` on those values (tests check it), with
    one exception: an own-estimate LGD (`apply_lgd_floor=True`) that the regime does
    not allow (CRE30.34) falls back to the facility's full foundation LGD, by its
    seniority and collateral (`facility_foundation_lgd`), rather than the senior
    unsecured value `irb_capital` uses; under `AdvancedLGDPolicy.REFUSE` it raises.

    Args:
        facility: The facility.
        as_of: Business date for the remaining maturity (lendcrm reads no clock).
        regime: The capital rules.
        asset_class: The borrower's asset class.
        sales: The borrower's group's annual sales (revenue) in EUR m, for the SME
            adjustment and the A-IRB revenue limit.
        el_best: Best estimate of EL for a defaulted facility (required when its PD
            is 1, see `capital_requirement`).
        default_probability: Overrides the facility's `default_probability`.
        lgd: Overrides the facility's `loss_given_default`.
        ccf: Overrides the facility's `credit_conversion_factor`.
        apply_lgd_floor: The LGD is an own (A-IRB) estimate: apply the regime's
            A-IRB restrictions and the LGD floor of the facility's collateral
            (`facility_airb_lgd_floor`, CRE32.16-32.17).

    Raises:
        InvalidValueError: PD, LGD or CCF missing or outside [0, 1], a facility already
            matured at `as_of` (maturity 0), or as `irb_capital`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.risk.capital import BASEL_III
        >>> from lendcrm import (ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Money, Pricing, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("10000000", "EUR"), drawn=Money.of("10000000", "EUR"),
        ...     start_on=dt.date(2024, 1, 1), maturity_on=dt.date(2031, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=200,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE, default_probability=0.01,
        ...     loss_given_default=0.45, credit_conversion_factor=1.0)
        >>> c = facility_irb_capital(f, as_of=dt.date(2026, 1, 1), regime=BASEL_III)
        >>> round(c.risk_weight, 4), round(c.risk_weighted_assets)
        (1.2404, 12403881)
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(facility, Facility, name="facility", what="a Facility")
    check_as_of(as_of)
    ead = facility_exposure_at_default(facility, ccf=ccf)
    p, g = facility_pd_lgd(facility, default_probability, lgd)
    lgd_used, own_estimate = float(g), apply_lgd_floor
    floor: float | None = None
    if own_estimate and regime.advanced_lgd_policy is AdvancedLGDPolicy.FOUNDATION:
        inp = validate_irb_inputs(
            float(p),
            lgd_used,
            asset_class=asset_class,
            maturity=1.0,
            sales=sales,
            el_best=None,
            regime=regime,
        )
        if advanced_lgd_restricted(inp, regime)[0]:  # CRE30.34: foundation LGD
            lgd_used = facility_foundation_lgd(
                facility, regime=regime, asset_class=asset_class, ccf=ccf
            )
            own_estimate = False
    if own_estimate:  # A-IRB floor by the facility's collateral (CRE32.16-32.17)
        floor = facility_airb_lgd_floor(
            facility, regime=regime, asset_class=asset_class, ccf=ccf
        )
    return irb_capital(
        ead=float(ead.amount),
        default_probability=float(p),
        lgd=lgd_used,
        maturity=facility.remaining_years(as_of),
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        el_best=el_best,
        apply_lgd_floor=own_estimate,
        lgd_floor=floor,
    )
