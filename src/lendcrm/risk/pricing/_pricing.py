r"""Risk-based pricing: the minimum rate that earns the hurdle, RAROC and EVA.

The build-up prices one unit of exposure for one year:

$$r_{min} = \underbrace{f}_{\text{funding}} + \underbrace{PD \cdot LGD}_{\text{expected loss}}
+ \underbrace{c}_{\text{operating cost}} + \underbrace{C\,(h - r_f)}_{\text{capital charge}}
- \underbrace{u / T + a}_{\text{fees}}$$

where $C = RW \times$ `capital_ratio` is the capital held per unit of exposure, $h$ the
hurdle rate (the shareholders' required return on that capital) and $r_f$ the risk-free
return the capital earns while it is invested. At $r_{min}$ the risk-adjusted return on
capital equals the hurdle exactly:

$$RAROC = \frac{r + u/T + a - f - PD \cdot LGD - c + r_f\,C}{C} = h .$$

Conventions: every rate is an annual fraction of the exposure (0.05 = 5 %); the facility
is assumed fully drawn, so the rate is charged on EAD; an upfront fee $u$ (a fraction of
EAD) is amortised straight-line over the contractual life $T$ in years; $a$ is a recurring
annual fee. RAROC is pre-tax, and so is the hurdle $h$ by default
(`hurdle_basis="pre_tax"`); an after-tax hurdle is grossed up to $h/(1-\tau)$ with
`hurdle_basis="post_tax"` and `tax_rate` $\tau$ (see `pre_tax_hurdle`).

Slotted specialised lending (project finance priced on a supervisory category instead
of a PD) replaces both risk terms: `risk_weight_override` takes the slotting weight
(`slotting_risk_weight`, CRE33.2-33.7) and `expected_loss_rate_override` the slotting
expected loss $8\,\% \times RW_{EL}$ (`slotting_expected_loss_rate`, CRE33.8-33.12),
which CRE35.3 prescribes as the EL of slotted exposures in place of $PD \cdot LGD$. A
NaN in either override keeps that row on the IRB weight or on $PD \cdot LGD$, so one
book can mix rated and slotted facilities.

Maturity has two uses: the contractual life $T$ amortises the upfront fee, and the
effective maturity $M$ drives the IRB maturity adjustment. By default both are
`maturity`, the nominal maturity that CRE32.48 allows when the cash flows are not
known; pass `capital_maturity` (e.g. the cash-flow-weighted `effective_maturity` of
CRE32.47) to give the IRB its own $M$. Rates stay float64 in the numerics;
`rate_to_decimal` is the one crossing into `Decimal`, rounding explicitly, for rates
that go onto entities (STYLE M4).
"""

from __future__ import annotations

import decimal
from decimal import ROUND_CEILING, Decimal
from typing import Final

import attrs
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm._validators import require_instance, require_int
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital._regimes import AssetClass, CapitalRegime
from lendcrm.risk.pricing._raroc import HurdleBasis, raroc
from lendcrm.risk.pricing._terms import price_terms

__all__ = [
    "BookPricing",
    "PriceBreakdown",
    "minimum_rate",
    "price_book",
    "price_facility",
    "rate_to_decimal",
]

#: Rates go onto entities with six decimal places (0.000001 = 0.01 bp) by default.
RATE_PLACES: Final = 6
#: The most places `rate_to_decimal` keeps, and the largest rate magnitude it turns
#: into a Decimal: together within the 28 digits of the default decimal context.
MAX_RATE_PLACES: Final = 18
MAX_RATE: Final = 1e9
_ROUNDINGS: Final = tuple(
    getattr(decimal, mode) for mode in dir(decimal) if mode.startswith("ROUND_")
)


def rate_to_decimal(
    rate: float, *, places: int = RATE_PLACES, rounding: str = ROUND_CEILING
) -> Decimal:
    """Turn a float rate into a `Decimal` for an entity, rounding explicitly.

    Args:
        rate: Annual rate as a fraction (0.0525 = 5.25 %), finite.
        places: Decimal places to keep (6 = 0.01 basis point).
        rounding: A `decimal` rounding mode. The default `ROUND_CEILING` never rounds a
            minimum rate below the hurdle.

    Returns:
        `Decimal(str(rate))` quantized to `places`.

    Raises:
        InvalidValueError: `rate` is not finite or larger than 1e9 in magnitude,
            `places` is not an int from 0 to 18, or `rounding` is not a `decimal`
            rounding mode.

    Examples:
        >>> rate_to_decimal(0.052731449)
        Decimal('0.052732')
        >>> from decimal import ROUND_HALF_EVEN
        >>> rate_to_decimal(0.052731449, places=4, rounding=ROUND_HALF_EVEN)
        Decimal('0.0527')
    """
    value = float(as_float_array(rate, name="rate", allow_empty=False)[0])
    if abs(value) > MAX_RATE:  # its digits and `places` must fit 28 decimal digits
        raise InvalidValueError(
            field="rate", value=value, expected="a rate of at most 1e9 in magnitude"
        )
    digits = require_int(places, name="places", lower=0, upper=MAX_RATE_PLACES)
    if rounding not in _ROUNDINGS:  # a tuple: an unhashable value is refused too
        raise InvalidValueError(
            field="rounding",
            value=rounding,
            expected="a decimal rounding mode, e.g. decimal.ROUND_CEILING",
        )
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=rounding)


def minimum_rate(
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    maturity: npt.ArrayLike,
    funding_rate: npt.ArrayLike,
    operating_cost_rate: npt.ArrayLike,
    hurdle_rate: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
    capital_ratio: float,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    sales: npt.ArrayLike | None = None,
    upfront_fee: npt.ArrayLike = 0.0,
    annual_fee: npt.ArrayLike = 0.0,
    risk_weight_override: npt.ArrayLike | None = None,
    expected_loss_rate_override: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
    capital_maturity: npt.ArrayLike | None = None,
) -> FloatArray:
    """Minimum all-in annual rate at which each facility earns the hurdle.

    Args:
        default_probability: One-year PD, fractions in [0, 1].
        lgd: Loss given default, fractions in [0, 1].
        maturity: Contractual life in years (> 0): amortises the upfront fee and,
            unless `capital_maturity` is given, is the IRB effective maturity (the
            nominal maturity of CRE32.48; floored, capped or refused per the regime).
        funding_rate: Funds-transfer price of the exposure, annual fraction.
        operating_cost_rate: Operating cost per unit of exposure per year, >= 0.
        hurdle_rate: Required return on capital; pre-tax by default (RAROC is
            pre-tax); once pre-tax, >= `risk_free_rate`.
        risk_free_rate: Return the held capital earns, annual fraction.
        capital_ratio: Capital held per unit of RWA (0.08 minimum; a bank's target,
            e.g. 0.105, is usual), in [0, 1].
        regime: The capital rules for the IRB risk weight.
        asset_class: IRB asset class(es), see `lendcrm.risk.capital`.
        sales: Annual sales in EUR m for the SME adjustment.
        upfront_fee: Arrangement fee as a fraction of EAD, amortised over `maturity`.
        annual_fee: Recurring fee per year, fraction of EAD.
        risk_weight_override: Risk weights to use instead of the IRB function, one
            for all rows or one per row, e.g. `slotting_risk_weight` for slotted
            project finance (CRE33.2); a NaN row keeps its IRB weight; `None` for
            IRB throughout.
        expected_loss_rate_override: Expected loss per unit of EAD to use instead of
            PD x LGD, one for all rows or one per row, in [0, 1]: for a slotted
            facility the slotting EL `slotting_expected_loss_rate` (8 % x the EL
            weight, CRE33.8-33.12, as CRE35.3 requires for slotted exposures); a NaN
            row keeps PD x LGD; `None` for PD x LGD throughout.
        el_best: Best estimate of the expected loss of defaulted rows (PD = 1),
            fraction of EAD in [0, 1], one for all rows or one per row (read on
            defaulted rows only). A defaulted row priced on the IRB weight needs it:
            its capital is max(0, LGD - EL_best) (CRE31.3) and its expected loss
            EL_best (CRE35.3). Pass `el_best=lgd` for a foundation-approach exposure
            (EL = LGD, no capital).
        hurdle_basis: `"pre_tax"` (the default) or `"post_tax"`: a post-tax hurdle is
            grossed up to `hurdle_rate / (1 - tax_rate)` (`pre_tax_hurdle`).
        tax_rate: Tax rate for a post-tax hurdle, in [0, 1); 0 for a pre-tax one.
        capital_maturity: Effective maturity M in years (> 0) for the IRB maturity
            adjustment, e.g. `effective_maturity` of the cash flows (CRE32.47);
            `None` uses `maturity`.

    Returns:
        Float64 array `(n,)` of annual rates; non-decreasing in PD and in LGD.

    Raises:
        InvalidValueError: PD/LGD outside [0, 1], maturity <= 0, a hurdle below the
            risk-free rate, negative costs or fees, non-finite values or arrays of
            different lengths; a defaulted row (PD = 1) on the IRB weight without
            `el_best` (its capital would silently be zero, CRE31.3); as
            `pre_tax_hurdle` for the tax basis.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> minimum_rate([0.005, 0.02], 0.45, maturity=5.0, funding_rate=0.03,
        ...              operating_cost_rate=0.004, hurdle_rate=0.12,
        ...              risk_free_rate=0.03, capital_ratio=0.10,
        ...              regime=BASEL_III).round(5)
        array([0.04513, 0.0562 ])

        A 9 % after-tax hurdle at a 25 % tax rate is the 12 % pre-tax one:

        >>> minimum_rate([0.005, 0.02], 0.45, maturity=5.0, funding_rate=0.03,
        ...              operating_cost_rate=0.004, hurdle_rate=0.09,
        ...              hurdle_basis="post_tax", tax_rate=0.25,
        ...              risk_free_rate=0.03, capital_ratio=0.10,
        ...              regime=BASEL_III).round(5)
        array([0.04513, 0.0562 ])

        A book with a slotted project-finance loan (second row, "good", 90 % and EL
        8 % x 10 % = 0.8 %) beside a rated loan (NaN: IRB and PD x LGD):

        >>> import math
        >>> from lendcrm.risk.capital import (slotting_expected_loss_rate,
        ...     slotting_risk_weight)
        >>> rw = [math.nan, slotting_risk_weight("good", 5.0)[0]]
        >>> el = [math.nan, slotting_expected_loss_rate("good", 5.0)[0]]
        >>> minimum_rate([0.005, 0.02], 0.45, maturity=5.0, funding_rate=0.03,
        ...              operating_cost_rate=0.004, hurdle_rate=0.12,
        ...              risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III,
        ...              risk_weight_override=rw,
        ...              expected_loss_rate_override=el).round(5)
        array([0.04513, 0.0501 ])

        A defaulted loan (PD = 1) needs the best estimate of its expected loss: at
        LGD 45 % and EL_best 35 % it carries EL 0.35 and capital 12.5 x (0.45 -
        0.35) x 10 % = 0.125, so 0.03 + 0.35 + 0.004 + 0.125 x 0.09 = 0.39525:

        >>> minimum_rate(1.0, 0.45, maturity=5.0, funding_rate=0.03,
        ...              operating_cost_rate=0.004, hurdle_rate=0.12,
        ...              risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III,
        ...              el_best=0.35).round(5)
        array([0.39525])
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    return price_terms(
        default_probability=default_probability,
        lgd=lgd,
        maturity=maturity,
        funding_rate=funding_rate,
        operating_cost_rate=operating_cost_rate,
        hurdle_rate=hurdle_rate,
        risk_free_rate=risk_free_rate,
        capital_ratio=capital_ratio,
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        upfront_fee=upfront_fee,
        annual_fee=annual_fee,
        risk_weight_override=risk_weight_override,
        expected_loss_rate_override=expected_loss_rate_override,
        el_best=el_best,
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
        capital_maturity=capital_maturity,
    )["minimum_rate"]


@attrs.frozen(kw_only=True)
class BookPricing:
    """Exposure, loss, capital and minimum rate of every facility of a book.

    Attributes:
        ead: Exposure at default, currency of `drawn`, `(n,)`.
        expected_loss: PD × LGD × EAD (EL_best × EAD on defaulted rows, the EL
            rate override × EAD where given), currency amount, `(n,)`.
        risk_weight: IRB risk weight, or its override (1.0 = 100 %), `(n,)`.
        risk_weighted_assets: RW × EAD, `(n,)`.
        capital: RWA × capital ratio, `(n,)`.
        minimum_rate: Minimum all-in annual rate meeting the hurdle, `(n,)`.
    """

    ead: FloatArray
    expected_loss: FloatArray
    risk_weight: FloatArray
    risk_weighted_assets: FloatArray
    capital: FloatArray
    minimum_rate: FloatArray


def price_book(
    *,
    drawn: npt.ArrayLike,
    undrawn: npt.ArrayLike,
    ccf: npt.ArrayLike,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    maturity: npt.ArrayLike,
    funding_rate: npt.ArrayLike,
    operating_cost_rate: npt.ArrayLike,
    hurdle_rate: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
    capital_ratio: float,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    sales: npt.ArrayLike | None = None,
    upfront_fee: npt.ArrayLike = 0.0,
    annual_fee: npt.ArrayLike = 0.0,
    risk_weight_override: npt.ArrayLike | None = None,
    expected_loss_rate_override: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
    capital_maturity: npt.ArrayLike | None = None,
) -> BookPricing:
    """EAD, EL, IRB RWA, capital and minimum rate of a whole book in one pass.

    Each input is validated once; the result equals `exposure_at_default`,
    `expected_loss`, `risk_weighted_assets` and `minimum_rate` called separately (tests
    check it), at a fraction of the cost.

    Args:
        drawn: Drawn amounts, >= 0.
        undrawn: Undrawn committed amounts, >= 0.
        ccf: Credit conversion factors in [0, 1].
        default_probability: See `minimum_rate`.
        lgd: See `minimum_rate`.
        maturity: See `minimum_rate`.
        funding_rate: See `minimum_rate`.
        operating_cost_rate: See `minimum_rate`.
        hurdle_rate: See `minimum_rate`.
        risk_free_rate: See `minimum_rate`.
        capital_ratio: See `minimum_rate`.
        regime: See `minimum_rate`.
        asset_class: See `minimum_rate`.
        sales: See `minimum_rate`.
        upfront_fee: See `minimum_rate`.
        annual_fee: See `minimum_rate`.
        risk_weight_override: See `minimum_rate` (per row; NaN rows keep IRB).
        expected_loss_rate_override: See `minimum_rate` (per row; NaN rows keep
            PD x LGD).
        el_best: See `minimum_rate` (needed for defaulted rows).
        hurdle_basis: See `minimum_rate`.
        tax_rate: See `minimum_rate`.
        capital_maturity: See `minimum_rate`.

    Returns:
        A `BookPricing` of float64 arrays of shape `(n,)`.

    Raises:
        InvalidValueError: as `exposure_at_default` and `minimum_rate`.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> b = price_book(drawn=[8e6, 2e6], undrawn=[2e6, 0.0], ccf=0.5,
        ...     default_probability=[0.01, 0.03], lgd=0.45, maturity=5.0,
        ...     funding_rate=0.03, operating_cost_rate=0.004, hurdle_rate=0.12,
        ...     risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III)
        >>> b.ead.tolist(), b.expected_loss.round(0).tolist()
        ([9000000.0, 2000000.0], [40500.0, 27000.0])
        >>> b.minimum_rate.round(5).tolist()
        [0.04966, 0.06185]
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    terms = price_terms(
        default_probability=default_probability,
        lgd=lgd,
        maturity=maturity,
        funding_rate=funding_rate,
        operating_cost_rate=operating_cost_rate,
        hurdle_rate=hurdle_rate,
        risk_free_rate=risk_free_rate,
        capital_ratio=capital_ratio,
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        upfront_fee=upfront_fee,
        annual_fee=annual_fee,
        risk_weight_override=risk_weight_override,
        expected_loss_rate_override=expected_loss_rate_override,
        el_best=el_best,
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
        capital_maturity=capital_maturity,
        extra={
            "drawn": as_float_array(drawn, name="drawn", lower=0.0),
            "undrawn": as_float_array(undrawn, name="undrawn", lower=0.0),
            "ccf": as_float_array(ccf, name="ccf", lower=0.0, upper=1.0),
        },
    )
    ead = terms["ccf"] * terms["undrawn"]
    ead += terms["drawn"]
    rwa = terms["risk_weight"] * ead
    return BookPricing(
        ead=ead,
        expected_loss=terms["expected_loss"] * ead,
        risk_weight=terms["risk_weight"],
        risk_weighted_assets=rwa,
        capital=terms["capital"] * ead,
        minimum_rate=terms["minimum_rate"],
    )


@attrs.frozen(kw_only=True)
class PriceBreakdown:
    """The price of one facility, component by component (annual fractions of EAD).

    Attributes:
        funding_cost: Funds-transfer price.
        expected_loss: PD × LGD (EL_best if defaulted), or the EL rate override.
        operating_cost: Operating cost rate.
        capital: Capital held per unit of exposure (risk weight × capital ratio).
        capital_charge: capital × (hurdle − risk-free rate).
        fee_income: Upfront fee / life + annual fee.
        risk_weight: Risk weight used, IRB or override (1.0 = 100 %).
        minimum_rate: funding + EL + operating cost + capital charge − fees.
        hurdle_rate: Pre-tax hurdle used (a post-tax hurdle grossed up).
        risk_free_rate: Risk-free rate used.
    """

    funding_cost: float
    expected_loss: float
    operating_cost: float
    capital: float
    capital_charge: float
    fee_income: float
    risk_weight: float
    minimum_rate: float
    hurdle_rate: float
    risk_free_rate: float

    def minimum_rate_decimal(
        self, *, places: int = RATE_PLACES, rounding: str = ROUND_CEILING
    ) -> Decimal:
        """The minimum rate as a `Decimal` for an entity, rounded up by default.

        Examples:
            >>> from lendcrm.risk.capital import BASEL_III
            >>> p = price_facility(default_probability=0.01, lgd=0.45, maturity=5.0,
            ...     funding_rate=0.03, operating_cost_rate=0.004, hurdle_rate=0.12,
            ...     risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III)
            >>> p.minimum_rate_decimal()
            Decimal('0.049665')
        """
        return rate_to_decimal(self.minimum_rate, places=places, rounding=rounding)

    def raroc_at(self, rate: float) -> float:
        """RAROC earned if the facility is priced at `rate` (annual fraction).

        Examples:
            >>> from lendcrm.risk.capital import BASEL_III
            >>> p = price_facility(default_probability=0.01, lgd=0.45, maturity=5.0,
            ...     funding_rate=0.03, operating_cost_rate=0.004, hurdle_rate=0.12,
            ...     risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III)
            >>> round(p.raroc_at(p.minimum_rate), 10)
            0.12
        """
        return float(
            raroc(
                revenue=rate + self.fee_income,
                funding_cost=self.funding_cost,
                expected_loss=self.expected_loss,
                operating_cost=self.operating_cost,
                capital=self.capital,
                risk_free_rate=self.risk_free_rate,
            )[0]
        )


def price_facility(
    *,
    default_probability: float,
    lgd: float,
    maturity: float,
    funding_rate: float,
    operating_cost_rate: float,
    hurdle_rate: float,
    risk_free_rate: float,
    capital_ratio: float,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    sales: float | None = None,
    upfront_fee: float = 0.0,
    annual_fee: float = 0.0,
    risk_weight_override: float | None = None,
    expected_loss_rate_override: float | None = None,
    el_best: float | None = None,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
    capital_maturity: float | None = None,
) -> PriceBreakdown:
    """Price one facility: the breakdown and the minimum all-in rate.

    The one-facility form of `minimum_rate` (same arguments, same errors, same
    number).

    Raises:
        InvalidValueError: as `minimum_rate`.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> p = price_facility(default_probability=0.01, lgd=0.45, maturity=5.0,
        ...     funding_rate=0.03, operating_cost_rate=0.004, hurdle_rate=0.12,
        ...     risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III,
        ...     upfront_fee=0.01)
        >>> round(p.expected_loss, 4), round(p.capital, 4), round(p.minimum_rate, 5)
        (0.0045, 0.124, 0.04766)
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    terms = price_terms(
        default_probability=default_probability,
        lgd=lgd,
        maturity=maturity,
        funding_rate=funding_rate,
        operating_cost_rate=operating_cost_rate,
        hurdle_rate=hurdle_rate,
        risk_free_rate=risk_free_rate,
        capital_ratio=capital_ratio,
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        upfront_fee=upfront_fee,
        annual_fee=annual_fee,
        risk_weight_override=risk_weight_override,
        expected_loss_rate_override=expected_loss_rate_override,
        el_best=el_best,
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
        capital_maturity=capital_maturity,
    )
    return PriceBreakdown(
        **{k: float(v[0]) for k, v in terms.items()},
        risk_free_rate=float(risk_free_rate),
    )
