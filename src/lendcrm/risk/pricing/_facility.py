"""Pricing one `lendcrm.Facility`: its price on its own terms, and rates as `Decimal`.

`facility_price` prices a facility with `price_facility` on the facility's PD,
LGD, tenor and arrangement fee, and, when its cash flows are given, on their
effective maturity (`effective_maturity`, CRE32.47); `with_minimum_margin` returns a
copy whose margin earns the hurdle, rounded up to a whole basis point in `Decimal`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal

import attrs

from lendcrm._arrays import as_float_array
from lendcrm._dates import DAYS_PER_YEAR
from lendcrm._entities import Facility
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital._exposure import facility_pd_lgd
from lendcrm.risk.capital._maturity import effective_maturity
from lendcrm.risk.capital._regimes import AssetClass, CapitalRegime
from lendcrm.risk.pricing._pricing import PriceBreakdown, price_facility
from lendcrm.risk.pricing._raroc import HurdleBasis

__all__ = ["facility_price", "with_minimum_margin"]


def facility_price(
    facility: Facility,
    *,
    funding_rate: float,
    operating_cost_rate: float,
    hurdle_rate: float,
    risk_free_rate: float,
    capital_ratio: float,
    regime: CapitalRegime,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    sales: float | None = None,
    default_probability: float | None = None,
    lgd: float | None = None,
    annual_fee: float = 0.0,
    risk_weight_override: float | None = None,
    expected_loss_rate_override: float | None = None,
    el_best: float | None = None,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
    cash_flows: Sequence[tuple[dt.date, float | Decimal]] | None = None,
) -> PriceBreakdown:
    """Price one `Facility`: `price_facility` on the facility's own terms.

    PD and LGD default to the facility's; the life is its contractual tenor in years
    (`Facility.tenor_years`); the upfront fee is its arrangement fee as a fraction of
    the limit, amortised over that life. The IRB effective maturity is the
    cash-flow-weighted `effective_maturity` of `cash_flows` (CRE32.47, floored at 1
    and capped at 5 years), in years from `start_on` (actual/365.25); without them it
    is the tenor, the nominal maturity CRE32.48 allows.

    Args:
        facility: The facility to price.
        funding_rate: See `minimum_rate`.
        operating_cost_rate: See `minimum_rate`.
        hurdle_rate: See `minimum_rate` (pre-tax unless `hurdle_basis` says not).
        risk_free_rate: See `minimum_rate`.
        capital_ratio: See `minimum_rate`.
        regime: See `minimum_rate`.
        asset_class: See `minimum_rate`.
        sales: See `minimum_rate`.
        default_probability: PD to use instead of the facility's.
        lgd: LGD to use instead of the facility's.
        annual_fee: See `minimum_rate`.
        risk_weight_override: See `minimum_rate` (e.g. the slotting weight of a
            project-finance facility, `slotting_risk_weight`).
        expected_loss_rate_override: See `minimum_rate` (e.g. the slotting EL
            rate, `slotting_expected_loss_rate`, CRE33.8-33.12).
        el_best: See `minimum_rate`: needed when the facility (or the given PD) is
            in default, PD = 1.
        hurdle_basis: See `minimum_rate`.
        tax_rate: See `minimum_rate`.
        cash_flows: The contractual schedule as `(payment date, amount)` pairs
            (principal, interest and fees, amounts >= 0 in the facility's
            currency), dates on or after `start_on`; `None` to use the tenor.

    Raises:
        InvalidValueError: PD or LGD missing or outside [0, 1], a zero limit with an
            arrangement fee, a cash flow dated before `start_on`, or as
            `price_facility` and `effective_maturity`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Money, Pricing, Seniority)
        >>> from lendcrm.risk.capital import BASEL_III
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("10000000", "EUR"), drawn=Money.of("10000000", "EUR"),
        ...     start_on=dt.date(2026, 1, 1), maturity_on=dt.date(2031, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=150,
        ...                     arrangement_fee=Money.of("100000", "EUR")),
        ...     status=FacilityStatus.APPLICATION, default_probability=0.01,
        ...     loss_given_default=0.45)
        >>> q = facility_price(f, funding_rate=0.03, operating_cost_rate=0.004,
        ...     hurdle_rate=0.12, risk_free_rate=0.03, capital_ratio=0.10,
        ...     regime=BASEL_III)
        >>> round(q.fee_income, 6), round(q.minimum_rate, 5)
        (0.002, 0.04766)

        With its schedule (a five-year bullet paying 5 % a year, M = 4.6 years) the
        capital, and so the price, falls:

        >>> flows = [(dt.date(2026 + k, 1, 1), 0.5e6) for k in range(1, 5)]
        >>> flows.append((dt.date(2031, 1, 1), 10.5e6))
        >>> q = facility_price(f, funding_rate=0.03, operating_cost_rate=0.004,
        ...     hurdle_rate=0.12, risk_free_rate=0.03, capital_ratio=0.10,
        ...     regime=BASEL_III, cash_flows=flows)
        >>> round(q.minimum_rate, 5)
        0.04721
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    require_instance(facility, Facility, name="facility", what="a Facility")
    p, g = facility_pd_lgd(facility, default_probability, lgd)
    fee = facility.pricing.arrangement_fee.amount
    if facility.limit.amount == 0:
        if fee != 0:
            raise InvalidValueError(
                field="facility.limit",
                value=facility.limit,
                expected="a positive limit to spread the arrangement fee over",
            )
        upfront = 0.0
    else:
        upfront = float(fee / facility.limit.amount)
    return price_facility(
        default_probability=float(p),
        lgd=float(g),
        maturity=facility.tenor_years,
        funding_rate=funding_rate,
        operating_cost_rate=operating_cost_rate,
        hurdle_rate=hurdle_rate,
        risk_free_rate=risk_free_rate,
        capital_ratio=capital_ratio,
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        upfront_fee=upfront,
        annual_fee=annual_fee,
        risk_weight_override=risk_weight_override,
        expected_loss_rate_override=expected_loss_rate_override,
        el_best=el_best,
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
        capital_maturity=(
            None if cash_flows is None else _schedule_maturity(facility, cash_flows)
        ),
    )


def _schedule_maturity(
    facility: Facility, cash_flows: Sequence[tuple[dt.date, float | Decimal]]
) -> float:
    """Effective maturity of a dated schedule, in years from the facility's start."""
    if len(cash_flows) == 0:
        raise InvalidValueError(
            field="cash_flows", value=[], expected="at least one (date, amount) pair"
        )
    times: list[float] = []
    amounts: list[float] = []
    for i, (on, amount) in enumerate(cash_flows):
        if on < facility.start_on:
            raise InvalidValueError(
                field=f"cash_flows[{i}]",
                value=on.isoformat(),
                expected=f"a date on or after start_on ({facility.start_on})",
            )
        times.append((on - facility.start_on).days / DAYS_PER_YEAR)
        amounts.append(float(amount))
    return effective_maturity(times, amounts)


def with_minimum_margin(
    facility: Facility, quote: PriceBreakdown, *, reference_rate: float
) -> Facility:
    """A copy of `facility` whose margin earns at least the hurdle.

    The margin is the minimum all-in rate less the current value of the facility's
    reference rate, computed in `Decimal` (`Decimal(str(x))`) and rounded **up** to a
    whole basis point, the unit `Pricing.margin_bps` holds. The facility is not changed.

    Args:
        facility: The facility to reprice.
        quote: Its price breakdown (e.g. from `facility_price`).
        reference_rate: Current value of the reference rate, annual fraction (0 for a
            ``"FIXED"`` facility, whose margin is then the whole rate).

    Returns:
        A new `Facility` with `pricing.margin_bps` set.

    Raises:
        InvalidValueError: a non-finite reference rate.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Money, Pricing, Seniority)
        >>> from lendcrm.risk.capital import BASEL_III
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("10000000", "EUR"), drawn=Money.of("10000000", "EUR"),
        ...     start_on=dt.date(2026, 1, 1), maturity_on=dt.date(2031, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=150,
        ...                     arrangement_fee=Money.of("100000", "EUR")),
        ...     status=FacilityStatus.APPLICATION, default_probability=0.01,
        ...     loss_given_default=0.45)
        >>> q = facility_price(f, funding_rate=0.03, operating_cost_rate=0.004,
        ...     hurdle_rate=0.12, risk_free_rate=0.03, capital_ratio=0.10,
        ...     regime=BASEL_III)
        >>> with_minimum_margin(f, q, reference_rate=0.0285).pricing.margin_bps
        192
    """
    require_instance(facility, Facility, name="facility", what="a Facility")
    require_instance(quote, PriceBreakdown, name="quote", what="a PriceBreakdown")
    ref = float(
        as_float_array(reference_rate, name="reference_rate", allow_empty=False)[0]
    )
    spread = Decimal(str(quote.minimum_rate)) - Decimal(str(ref))
    bps = int((spread * 10_000).to_integral_value(rounding=ROUND_CEILING))
    return attrs.evolve(
        facility, pricing=attrs.evolve(facility.pricing, margin_bps=bps)
    )
