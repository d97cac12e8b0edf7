"""Regulatory credit-risk capital: IRB risk-weight functions, slotting and PF weights.

Three ways to weigh a loan, all vectorised (arrays in, float64 arrays out) and all
taking the regulatory regime as an explicit, frozen parameter object:

* the **IRB** risk-weight functions of the Basel framework for corporate, SME,
  sovereign, bank, large/unregulated financial institution and retail (residential
  mortgage, qualifying revolving, other retail) exposures, with the maturity adjustment
  and the treatment of defaulted exposures (Basel II, June 2006, §§272-273, 318-320,
  328-330; Basel Framework CRE31);
* the **supervisory slotting** weights for specialised lending, including project finance
  (Basel II §§275-277; CRE33.5-33.6);
* the **standardised** project-finance weights (Basel III, December 2017; CRE20.52).

Conventions: PD, LGD, correlations, risk weights and capital requirements are
fractions (0.45 means 45 %; a risk weight of 1.0 means 100 %). Effective maturity is in
years. Sales are annual, in EUR millions. The regime is never a global default: pass
`BASEL_II`, `BASEL_III` or your own `CapitalRegime`.

Maturity policy: the framework reads effective maturity as ``min(5, max(1, M))``
(§320; CRE32.47-32.48). `CapitalRegime.maturity_policy` chooses what happens above the
cap: `MaturityPolicy.CAP` (the framework's reading, the default of both built-in
regimes) or `MaturityPolicy.REFUSE` (raise, for callers who want to be told). Maturities
below the floor are always floored; a maturity <= 0 is always refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from lendcrm._arrays import (
    FloatArray,
    FrozenMap,
    IntArray,
    align,
    as_float_array,
    enum_codes,
)
from lendcrm._validators import fraction_in, number_in
from lendcrm.entities import Facility
from lendcrm.errors import InvalidValueError
from lendcrm.risk._vasicek import conditional_pd
from lendcrm.risk.capital._exposure import (
    facility_exposure_at_default,
    facility_pd_lgd,
)
from lendcrm.values import ProjectPhase as CoreProjectPhase

__all__ = [
    "BASEL_II",
    "BASEL_III",
    "AssetClass",
    "CapitalRegime",
    "IRBCapital",
    "MaturityPolicy",
    "ProjectFinancePhase",
    "SlottingCategory",
    "asset_correlation",
    "capital_requirement",
    "facility_irb_capital",
    "irb_capital",
    "maturity_adjustment",
    "project_finance_phase",
    "project_finance_risk_weight",
    "risk_weight",
    "risk_weighted_assets",
    "slotting_risk_weight",
]


class AssetClass(StrEnum):
    """IRB asset classes that have their own correlation (Basel II §§272-273, 328-330).

    `CORPORATE` also covers SMEs: pass `sales` and the firm-size adjustment applies where
    sales are below EUR 50 m. `LARGE_FINANCIAL` is a large regulated (assets >= USD
    100 bn) or unregulated financial institution: its correlation is multiplied by the
    regime's `large_financial_multiplier` (1.25 under Basel III, CRE31.5).

    Examples:
        >>> AssetClass("qualifying_revolving")
        <AssetClass.QUALIFYING_REVOLVING: 'qualifying_revolving'>
    """

    CORPORATE = "corporate"
    SOVEREIGN = "sovereign"
    BANK = "bank"
    LARGE_FINANCIAL = "large_financial"
    RESIDENTIAL_MORTGAGE = "residential_mortgage"
    QUALIFYING_REVOLVING = "qualifying_revolving"
    OTHER_RETAIL = "other_retail"


_RETAIL: Final = frozenset(
    {
        AssetClass.RESIDENTIAL_MORTGAGE,
        AssetClass.QUALIFYING_REVOLVING,
        AssetClass.OTHER_RETAIL,
    }
)


class MaturityPolicy(StrEnum):
    """What to do with an effective maturity above the regime's cap.

    Examples:
        >>> MaturityPolicy.CAP.value
        'cap'
    """

    CAP = "cap"
    REFUSE = "refuse"


def _lgd_floors(
    values: Mapping[AssetClass, float],
) -> Mapping[AssetClass, float]:
    return FrozenMap(values)


@attrs.frozen(kw_only=True)
class CapitalRegime:
    """The parameters that distinguish one set of IRB rules from another.

    Attributes:
        name: Label used in reports (``"Basel II"``).
        pd_floor: Smallest PD used for non-defaulted corporate, bank and large
            financial exposures, a fraction (0.0003 = 0.03 %).
        pd_floor_retail: Smallest PD for retail exposures.
        pd_floor_sovereign: Smallest PD for sovereign exposures (0 under Basel III).
        scaling_factor: Multiplier on IRB risk-weighted assets (1.06 under Basel II
            §44, 1.0 under Basel III).
        large_financial_multiplier: Correlation multiplier for large or unregulated
            financial institutions (1.25 under Basel III, CRE31.5).
        lgd_floors: A-IRB LGD floors for unsecured exposures by asset class, applied
            only when a function is called with ``apply_lgd_floor=True`` (own-estimate
            LGDs). Classes not listed have no floor.
        maturity_floor: Smallest effective maturity in years (1).
        maturity_cap: Largest effective maturity in years (5).
        maturity_policy: `MaturityPolicy.CAP` to cap longer maturities, `REFUSE` to
            raise.
        confidence: Confidence level of the Vasicek quantile (0.999).

    Examples:
        >>> BASEL_III.pd_floor, BASEL_II.scaling_factor
        (0.0005, 1.06)
        >>> mine = attrs.evolve(BASEL_III, name="Basel III (refuse)",
        ...                     maturity_policy=MaturityPolicy.REFUSE)
        >>> mine.maturity_cap
        5.0
    """

    name: str
    pd_floor: float = attrs.field(validator=fraction_in(0.0, 1.0))
    pd_floor_retail: float = attrs.field(validator=fraction_in(0.0, 1.0))
    pd_floor_sovereign: float = attrs.field(validator=fraction_in(0.0, 1.0))
    scaling_factor: float = attrs.field(validator=number_in(0.0, lower_open=True))
    large_financial_multiplier: float = attrs.field(validator=number_in(1.0))
    lgd_floors: Mapping[AssetClass, float] = attrs.field(
        converter=_lgd_floors, factory=dict
    )
    maturity_floor: float = attrs.field(default=1.0, validator=number_in(0.0))
    maturity_cap: float = attrs.field(default=5.0, validator=number_in(0.0))
    maturity_policy: MaturityPolicy = MaturityPolicy.CAP
    confidence: float = attrs.field(
        default=0.999, validator=number_in(0.5, 1.0, upper_open=True)
    )

    def __attrs_post_init__(self) -> None:
        """Check that the maturity floor lies below the cap."""
        if self.maturity_floor > self.maturity_cap:
            raise InvalidValueError(
                field="maturity_floor",
                value=self.maturity_floor,
                expected=f"at most maturity_cap ({self.maturity_cap:g})",
            )


#: Basel II (June 2006): PD floor 0.03 % for corporate, bank (§285) and retail (§331)
#: exposures, none for sovereigns; the 1.06 scaling factor of §44; no LGD floors for
#: corporates (the 10 % retail mortgage LGD floor of §266 is kept). The 1.25 large
#: financial correlation multiplier came with Basel III (December 2010, §102), so it is
#: 1.0 here; evolve the regime to study Basel II plus that amendment.
BASEL_II: Final = CapitalRegime(
    name="Basel II",
    pd_floor=0.0003,
    pd_floor_retail=0.0003,
    pd_floor_sovereign=0.0,
    scaling_factor=1.06,
    large_financial_multiplier=1.0,
    lgd_floors={AssetClass.RESIDENTIAL_MORTGAGE: 0.10},
)

#: Basel III (December 2017, Basel Framework CRE): PD floor 0.05 % for corporate, bank
#: (CRE32.4) and retail exposures (CRE32.35; the 0.10 % floor for QRRE revolvers is
#: not separated here), none for sovereigns; no scaling factor; correlation multiplier
#: 1.25 for large and unregulated financial institutions (CRE31.5); A-IRB LGD floors
#: for unsecured exposures: 25 % corporate (CRE32.16), 5 % residential mortgages, 50 %
#: QRRE and 30 % other retail (CRE32.39).
BASEL_III: Final = CapitalRegime(
    name="Basel III",
    pd_floor=0.0005,
    pd_floor_retail=0.0005,
    pd_floor_sovereign=0.0,
    scaling_factor=1.0,
    large_financial_multiplier=1.25,
    lgd_floors={
        AssetClass.CORPORATE: 0.25,
        AssetClass.BANK: 0.25,
        AssetClass.LARGE_FINANCIAL: 0.25,
        AssetClass.RESIDENTIAL_MORTGAGE: 0.05,
        AssetClass.QUALIFYING_REVOLVING: 0.50,
        AssetClass.OTHER_RETAIL: 0.30,
    },
)


def _broadcast(n: int, **arrays: FloatArray) -> dict[str, FloatArray]:
    """Broadcast to the common length ``n`` (see `align`)."""
    del n
    return dict(zip(arrays, align(**arrays), strict=True))


def _common_length(*arrays: npt.NDArray[np.generic]) -> int:
    return int(max(a.shape[0] for a in arrays))


@attrs.frozen(kw_only=True)
class IRBInputs:
    """Validated, broadcast inputs of the IRB functions (not part of the public API).

    Built by `validate_irb_inputs`; batch paths (`lendcrm.risk.pricing`) validate once
    and pass it to `irb_risk_weight`.
    """

    default_probability: FloatArray
    lgd: FloatArray
    maturity: FloatArray
    sales: FloatArray | None
    el_best: FloatArray | None
    classes: tuple[AssetClass, ...]
    codes: IntArray


def validate_irb_inputs(
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike | None,
    *,
    asset_class: AssetClass | str | npt.ArrayLike,
    maturity: npt.ArrayLike,
    sales: npt.ArrayLike | None,
    el_best: npt.ArrayLike | None,
    regime: CapitalRegime,
) -> IRBInputs:
    """Validate and broadcast the arguments of the IRB functions, naming bad ones.

    Raises:
        InvalidValueError: as `capital_requirement` (and a maturity above the cap
            under `MaturityPolicy.REFUSE`).
    """
    p = as_float_array(
        default_probability, name="default_probability", lower=0.0, upper=1.0
    )
    g = (
        np.zeros_like(p)
        if lgd is None
        else as_float_array(lgd, name="lgd", lower=0.0, upper=1.0)
    )
    m = as_float_array(maturity, name="maturity", lower=0.0, lower_open=True)
    if regime.maturity_policy is MaturityPolicy.REFUSE:
        too_long = m > regime.maturity_cap
        if too_long.any():
            i = int(np.argmax(too_long))
            raise InvalidValueError(
                field=f"maturity[{i}]",
                value=float(m[i]),
                expected=f"at most {regime.maturity_cap:g} years under {regime.name}",
                hint="Use a regime with maturity_policy=MaturityPolicy.CAP to cap it.",
            )
    s = None if sales is None else as_float_array(sales, name="sales", lower=0.0)
    e = (
        None
        if el_best is None
        else as_float_array(el_best, name="el_best", lower=0.0, upper=1.0)
    )
    classes, codes = enum_codes(asset_class, AssetClass, name="asset_class")
    parts: dict[str, FloatArray] = {"default_probability": p, "lgd": g, "maturity": m}
    if s is not None:
        parts["sales"] = s
    if e is not None:
        parts["el_best"] = e
    parts["asset_class"] = codes.astype(np.float64)
    n = _common_length(*parts.values())
    b = _broadcast(n, **parts)
    return IRBInputs(
        default_probability=b["default_probability"],
        lgd=b["lgd"],
        maturity=b["maturity"],
        sales=b.get("sales"),
        el_best=b.get("el_best"),
        classes=classes,
        codes=np.broadcast_to(codes, (n,)),
    )


def _by_class(
    inp: IRBInputs, value: Callable[[AssetClass], FloatArray | float]
) -> FloatArray:
    """Evaluate `value` per asset class and place each result on that class's rows.

    A book of one class (the common case) costs one evaluation and no gather.
    """
    n = inp.default_probability.shape[0]
    if len(inp.classes) == 1:
        v = value(inp.classes[0])
        return v if isinstance(v, np.ndarray) else np.full(n, v)
    out = np.empty(n)
    for j, cls in enumerate(inp.classes):  # one step per distinct class, not per row
        rows = inp.codes == j
        v = value(cls)
        out[rows] = v[rows] if isinstance(v, np.ndarray) else v
    return out


def _pd_floor(cls: AssetClass, regime: CapitalRegime) -> float:
    if cls in _RETAIL:
        return regime.pd_floor_retail
    if cls is AssetClass.SOVEREIGN:
        return regime.pd_floor_sovereign
    return regime.pd_floor


def _floored_pd(inp: IRBInputs, regime: CapitalRegime) -> FloatArray:
    if len(inp.classes) == 1:
        out: FloatArray = np.maximum(
            inp.default_probability, _pd_floor(inp.classes[0], regime)
        )
        return out
    floor = _by_class(inp, lambda c: _pd_floor(c, regime))
    np.maximum(floor, inp.default_probability, out=floor)
    return floor


def _correlation(pd_: FloatArray, inp: IRBInputs, regime: CapitalRegime) -> FloatArray:
    cache: dict[str, FloatArray] = {}

    def wholesale() -> FloatArray:
        # Corporate, sovereign and bank (§272; CRE31.5):
        # R = 0.12 w + 0.24 (1 - w), w = (1 - e^{-50 PD}) / (1 - e^{-50})
        if "w" not in cache:
            r = pd_ * -50.0
            np.expm1(r, out=r)
            r *= -0.12 / np.expm1(-50.0)
            r += 0.24
            cache["w"] = r
        return cache["w"]

    def value(cls: AssetClass) -> FloatArray | float:
        if cls is AssetClass.RESIDENTIAL_MORTGAGE:
            return 0.15  # §328
        if cls is AssetClass.QUALIFYING_REVOLVING:
            return 0.04  # §329
        if cls is AssetClass.OTHER_RETAIL:
            # §330: R = 0.03 w + 0.16 (1 - w), w = (1 - e^{-35 PD}) / (1 - e^{-35})
            w35 = np.expm1(-35.0 * pd_) / np.expm1(-35.0)
            out: FloatArray = 0.16 - 0.13 * w35
            return out
        r = wholesale()
        if cls is AssetClass.LARGE_FINANCIAL:
            return r * regime.large_financial_multiplier
        if cls is AssetClass.CORPORATE and inp.sales is not None:
            # Firm-size adjustment (§273): - 0.04 (1 - (S - 5) / 45), S in [5, 50].
            s = np.maximum(inp.sales, 5.0)
            np.minimum(s, 50.0, out=s)
            s -= 5.0
            s *= 0.04 / 45.0
            s -= 0.04
            s += r
            return s
        return r

    return _by_class(inp, value)


def _maturity_factor(
    pd_: FloatArray, inp: IRBInputs, regime: CapitalRegime
) -> FloatArray:
    if all(c in _RETAIL for c in inp.classes):
        return np.ones(inp.default_probability.shape[0])
    # b = (0.11852 - 0.05478 ln PD)^2; MA = (1 + (M - 2.5) b) / (1 - 1.5 b) (§272).
    ma: FloatArray = np.maximum(inp.maturity, regime.maturity_floor)
    np.minimum(ma, regime.maturity_cap, out=ma)
    b = np.log(pd_)
    b *= -0.05478
    b += 0.11852
    b *= b
    ma -= 2.5
    ma *= b
    ma += 1.0
    b *= -1.5
    b += 1.0
    ma /= b
    return _by_class(inp, lambda c: 1.0 if c in _RETAIL else ma)


def _lgd(inp: IRBInputs, regime: CapitalRegime, *, apply_lgd_floor: bool) -> FloatArray:
    if not apply_lgd_floor or not regime.lgd_floors:
        return inp.lgd
    floors = _by_class(inp, lambda c: regime.lgd_floors.get(c, 0.0))
    out: FloatArray = np.maximum(inp.lgd, floors)
    return out


def _k(inp: IRBInputs, regime: CapitalRegime, *, apply_lgd_floor: bool) -> FloatArray:
    lgd = _lgd(inp, regime, apply_lgd_floor=apply_lgd_floor)
    floored = _floored_pd(inp, regime)
    # PD = 0 (possible only without a floor, e.g. sovereigns under Basel III) carries
    # no capital; PD = 1 is the defaulted case below. Both would make G(PD) infinite,
    # so they are computed at a placeholder PD and overwritten.
    defaulted = inp.default_probability >= 1.0
    zero = floored <= 0.0
    special = defaulted | zero
    any_special = bool(special.any())
    pd_ = np.where(special, 0.5, floored) if any_special else floored
    r = _correlation(pd_, inp, regime)
    worst = -float(ndtri(regime.confidence))  # the factor's 99.9 % bad-year quantile
    k = conditional_pd(pd_, systematic_factor=worst, rho=r)
    k -= pd_
    k *= lgd
    k *= _maturity_factor(pd_, inp, regime)
    # K is non-negative; tiny PDs can round to -1e-37.
    np.maximum(k, 0.0, out=k)
    if any_special:
        k[zero & ~defaulted] = 0.0
        if defaulted.any():
            # Defaulted exposures: K = max(0, LGD - EL_best) (§272, §328; CRE31.6).
            # Without a best estimate, EL_best = LGD (the foundation reading, CRE35.3).
            el_best = lgd if inp.el_best is None else inp.el_best
            k = np.where(defaulted, np.maximum(0.0, lgd - el_best), k)
    return k


def irb_risk_weight(
    inp: IRBInputs, regime: CapitalRegime, *, apply_lgd_floor: bool
) -> FloatArray:
    """Risk weight of already validated inputs (for fused batch paths)."""
    k = _k(inp, regime, apply_lgd_floor=apply_lgd_floor)
    k *= 12.5 * regime.scaling_factor
    return k


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
        >>> asset_correlation([0.0003, 0.01, 0.2], asset_class="corporate",
        ...                   regime=BASEL_II).round(4)
        array([0.2382, 0.1928, 0.12  ])
        >>> asset_correlation(0.01, asset_class="large_financial",
        ...                   regime=BASEL_III).round(4)
        array([0.241])
    """
    inp = validate_irb_inputs(
        default_probability,
        None,
        asset_class=asset_class,
        maturity=2.5,
        sales=sales,
        el_best=None,
        regime=regime,
    )
    floored = np.where(inp.default_probability >= 1.0, 1.0, _floored_pd(inp, regime))
    return _correlation(floored, inp, regime)


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
        >>> maturity_adjustment(0.01, [0.5, 1.0, 2.5, 5.0, 7.0], regime=BASEL_II).round(4)
        array([1.    , 1.    , 1.2598, 1.6928, 1.6928])
    """
    inp = validate_irb_inputs(
        default_probability,
        None,
        asset_class=asset_class,
        maturity=maturity,
        sales=None,
        el_best=None,
        regime=regime,
    )
    floored = _floored_pd(inp, regime)
    pd_used = np.where(
        (inp.default_probability >= 1.0) | (floored <= 0.0), 0.5, floored
    )
    return _maturity_factor(pd_used, inp, regime)


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
) -> FloatArray:
    r"""IRB capital requirement K per unit of EAD (unexpected loss, before scaling).

    Args:
        default_probability: One-year PD, fractions in [0, 1]; PD = 1 marks a
            defaulted exposure.
        lgd: Loss given default, fractions in [0, 1].
        regime: The capital rules (PD floors, LGD floors, maturity bounds).
        asset_class: One class for all rows or one per row (`AssetClass` values).
        maturity: Effective maturity in years (> 0), ignored for retail.
        sales: Annual sales in EUR m for the SME adjustment (corporate rows only).
        el_best: Best estimate of expected loss of defaulted exposures (fraction of
            EAD); `None` means EL_best = LGD, the foundation reading, so K = 0.
        apply_lgd_floor: Apply the regime's A-IRB LGD floors (own-estimate LGDs).

    Returns:
        Float64 array `(n,)` of K >= 0; non-decreasing in LGD.

    Raises:
        InvalidValueError: PD or LGD outside [0, 1], maturity <= 0 (or above the cap
            under `MaturityPolicy.REFUSE`), negative sales, an unknown asset class,
            non-finite values or arrays of different lengths.

    Notes:
        $$K = \left[LGD\,N\!\left(\frac{G(PD) + \sqrt{R}\,G(0.999)}{\sqrt{1-R}}
        \right) - PD\cdot LGD\right]\frac{1 + (M-2.5)\,b}{1-1.5\,b}$$
        with $b = (0.11852 - 0.05478 \ln PD)^2$ (Basel II §272, CRE31.4); retail has no
        maturity term (§§328-330). Defaulted: $K = \max(0, LGD - EL_{best})$.

    Examples:
        >>> capital_requirement([0.01, 1.0], [0.45, 0.45], regime=BASEL_III,
        ...                     el_best=[0.0, 0.35]).round(4)
        array([0.0739, 0.1   ])
    """
    inp = validate_irb_inputs(
        default_probability,
        lgd,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        regime=regime,
    )
    return _k(inp, regime, apply_lgd_floor=apply_lgd_floor)


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
) -> FloatArray:
    r"""IRB risk weight $RW = 12.5 \times K \times$ scaling factor, as a fraction.

    Arguments, errors and conventions are those of `capital_requirement`.

    Returns:
        Float64 array `(n,)`; 1.0 means 100 %. Non-decreasing in LGD.

    Raises:
        InvalidValueError: as `capital_requirement`.

    Examples:
        >>> unscaled = attrs.evolve(BASEL_II, scaling_factor=1.0)
        >>> (100 * risk_weight(0.01, 0.45, regime=unscaled)).round(2)  # Annex 5: 92.32
        array([92.32])
        >>> (100 * risk_weight(0.01, 0.45, regime=unscaled, sales=5.0)).round(2)
        array([72.39])
    """
    k = capital_requirement(
        default_probability,
        lgd,
        regime=regime,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        apply_lgd_floor=apply_lgd_floor,
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

    Returns:
        Float64 array `(n,)` of RWA >= 0.

    Raises:
        InvalidValueError: a negative or non-finite EAD, or as `capital_requirement`.

    Examples:
        >>> risk_weighted_assets([1_000_000.0, 0.0], 0.01, 0.45,
        ...                      regime=BASEL_III).round(0)
        array([923168.,      0.])
    """
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
    )
    n = _common_length(e, rw)
    b = _broadcast(n, ead=e, risk_weight=rw)
    return b["ead"] * b["risk_weight"]


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
) -> IRBCapital:
    """The IRB capital of one facility, with every intermediate term.

    The one-facility form of `risk_weighted_assets`: same rules, same errors, and the
    same numbers (tests check it).

    Raises:
        InvalidValueError: as `risk_weighted_assets`.

    Examples:
        >>> c = irb_capital(ead=10e6, default_probability=0.01, lgd=0.45, maturity=2.5,
        ...                 regime=BASEL_III)
        >>> round(c.correlation, 4), round(c.risk_weight, 4), round(c.capital)
        (0.1928, 0.9232, 738534)
    """
    inp = validate_irb_inputs(
        default_probability,
        lgd,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        regime=regime,
    )
    e = float(as_float_array(ead, name="ead", lower=0.0)[0])
    defaulted = bool(inp.default_probability[0] >= 1.0)
    pd_used = np.array([1.0]) if defaulted else _floored_pd(inp, regime)
    corr = _correlation(pd_used, inp, regime)
    ma = (
        np.ones(1)
        if defaulted or pd_used[0] <= 0.0
        else _maturity_factor(pd_used, inp, regime)
    )
    k = float(_k(inp, regime, apply_lgd_floor=apply_lgd_floor)[0])
    rw = k * 12.5 * regime.scaling_factor
    return IRBCapital(
        default_probability=float(pd_used[0]),
        lgd=float(_lgd(inp, regime, apply_lgd_floor=apply_lgd_floor)[0]),
        correlation=float(corr[0]),
        maturity_adjustment=float(ma[0]),
        capital_requirement=k,
        risk_weight=rw,
        risk_weighted_assets=rw * e,
        capital=k * regime.scaling_factor * e,
    )


class SlottingCategory(StrEnum):
    """Supervisory categories for specialised lending (Basel II §275; CRE33.5).

    Examples:
        >>> [c.value for c in SlottingCategory]
        ['strong', 'good', 'satisfactory', 'weak', 'default']
    """

    STRONG = "strong"
    GOOD = "good"
    SATISFACTORY = "satisfactory"
    WEAK = "weak"
    DEFAULT = "default"


# Basel II §275 / CRE33.6: 70, 90, 115, 250, 0 %; §277 / CRE33.6: strong 50 % and
# good 70 % when the remaining maturity is below 2.5 years.
_SLOTTING: Final = np.array([0.70, 0.90, 1.15, 2.50, 0.0])
_SLOTTING_SHORT: Final = np.array([0.50, 0.70, 1.15, 2.50, 0.0])
_SHORT_MATURITY: Final = 2.5


def slotting_risk_weight(
    category: SlottingCategory | str | npt.ArrayLike,
    remaining_maturity: npt.ArrayLike,
    *,
    short_maturity_relief: bool = True,
) -> FloatArray:
    """Supervisory slotting risk weight of specialised-lending exposures.

    Args:
        category: One `SlottingCategory` (or value) for all rows, or one per row.
        remaining_maturity: Remaining maturity in years, > 0.
        short_maturity_relief: Apply the lower weights for strong (50 %) and good
            (70 %) exposures with less than 2.5 years to run (Basel II §277, a
            supervisory discretion).

    Returns:
        Float64 array `(n,)` of risk weights (1.15 = 115 %).

    Raises:
        InvalidValueError: an unknown category, maturity <= 0, non-finite values or
            arrays of different lengths.

    Examples:
        >>> slotting_risk_weight(["strong", "good", "satisfactory", "weak", "default"],
        ...                      3.0)
        array([0.7 , 0.9 , 1.15, 2.5 , 0.  ])
        >>> slotting_risk_weight("strong", [2.0, 2.5])
        array([0.5, 0.7])
    """
    members, codes = enum_codes(category, SlottingCategory, name="category")
    m = as_float_array(
        remaining_maturity, name="remaining_maturity", lower=0.0, lower_open=True
    )
    order = np.array([list(SlottingCategory).index(c) for c in members])
    idx = order[codes]
    n = max(idx.shape[0], m.shape[0])
    b = _broadcast(n, category=idx.astype(np.float64), remaining_maturity=m)
    rows = b["category"].astype(np.int64)
    short = b["remaining_maturity"] < _SHORT_MATURITY
    if not short_maturity_relief:
        short = np.zeros(n, dtype=bool)
    return np.where(short, _SLOTTING_SHORT[rows], _SLOTTING[rows])


class ProjectFinancePhase(StrEnum):
    """Phase of a project-finance exposure under the standardised approach.

    Examples:
        >>> ProjectFinancePhase("high_quality_operational")
        <ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL: 'high_quality_operational'>
    """

    PRE_OPERATIONAL = "pre_operational"
    OPERATIONAL = "operational"
    HIGH_QUALITY_OPERATIONAL = "high_quality_operational"


# Basel III (December 2017) standardised approach, CRE20.52: 130 % pre-operational,
# 100 % operational, 80 % high-quality operational (criteria of CRE20.53).
_PF_WEIGHTS: Final[Mapping[ProjectFinancePhase, float]] = MappingProxyType(
    {
        ProjectFinancePhase.PRE_OPERATIONAL: 1.30,
        ProjectFinancePhase.OPERATIONAL: 1.00,
        ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL: 0.80,
    }
)


def project_finance_risk_weight(
    phase: ProjectFinancePhase | str | npt.ArrayLike,
) -> FloatArray:
    """Standardised risk weight of unrated project-finance exposures by phase.

    Args:
        phase: One `ProjectFinancePhase` (or value) for all rows, or one per row.

    Returns:
        Float64 array `(n,)`: 1.30, 1.00 or 0.80.

    Raises:
        InvalidValueError: an unknown phase; names the first bad index.

    Examples:
        >>> project_finance_risk_weight(["pre_operational", "operational",
        ...                              "high_quality_operational"])
        array([1.3, 1. , 0.8])
    """
    members, codes = enum_codes(phase, ProjectFinancePhase, name="phase")
    weights = np.array([_PF_WEIGHTS[p] for p in members])
    return weights[codes]


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
    facility. Same numbers as `irb_capital` on those values (tests check it).

    Args:
        facility: The facility.
        as_of: Business date for the remaining maturity (lendcrm reads no clock).
        regime: The capital rules.
        asset_class: The borrower's asset class.
        sales: The borrower's annual sales in EUR m, for the SME adjustment.
        el_best: Best estimate of EL for a defaulted facility.
        default_probability: Overrides the facility's `default_probability`.
        lgd: Overrides the facility's `loss_given_default`.
        ccf: Overrides the facility's `credit_conversion_factor`.
        apply_lgd_floor: Apply the regime's A-IRB LGD floors.

    Raises:
        InvalidValueError: PD, LGD or CCF missing or outside [0, 1], a facility already
            matured at `as_of` (maturity 0), or as `irb_capital`.

    Examples:
        >>> import datetime as dt
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
    ead = facility_exposure_at_default(facility, ccf=ccf)
    p, g = facility_pd_lgd(facility, default_probability, lgd)
    return irb_capital(
        ead=float(ead.amount),
        default_probability=float(p),
        lgd=float(g),
        maturity=facility.remaining_years(as_of),
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        el_best=el_best,
        apply_lgd_floor=apply_lgd_floor,
    )


def project_finance_phase(
    phase: CoreProjectPhase | str, *, high_quality: bool = False
) -> ProjectFinancePhase:
    """The standardised-approach phase of a project in a given `lendcrm.ProjectPhase`.

    Development, financial close, construction and commissioning are pre-operational;
    operations is operational, or high-quality operational when the project meets the
    criteria of CRE20.53 (`high_quality=True`, the caller's judgement).

    Raises:
        InvalidValueError: a repaid or defaulted project (no project-finance weight
            applies), or an unknown phase.

    Examples:
        >>> project_finance_phase("construction").value
        'pre_operational'
        >>> project_finance_phase("operations", high_quality=True).value
        'high_quality_operational'
    """
    try:
        core = CoreProjectPhase(phase)
    except ValueError:
        known = ", ".join(repr(p.value) for p in CoreProjectPhase)
        raise InvalidValueError(
            field="phase", value=phase, expected=f"one of {known}"
        ) from None
    if core is CoreProjectPhase.OPERATIONS:
        return (
            ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL
            if high_quality
            else ProjectFinancePhase.OPERATIONAL
        )
    if core in {
        CoreProjectPhase.REPAID,
        CoreProjectPhase.DEFAULTED,
        CoreProjectPhase.WRITTEN_OFF,
        CoreProjectPhase.ABANDONED,
    }:
        raise InvalidValueError(
            field="phase",
            value=core.value,
            expected="a live project phase (a repaid, defaulted, written-off or "
            "abandoned project has no project-finance weight)",
        )
    return ProjectFinancePhase.PRE_OPERATIONAL
