r"""An indicative offer rate for a prospect: the look-alikes' going rate, floored at the hurdle.

The floor is the risk-based minimum rate of `lendcrm.risk.pricing` (funding + expected
loss + operating cost + capital charge − fees, the rate at which RAROC equals the
hurdle). The anchor is what the bank earns from the prospect's look-alikes: the median
all-in rate of its matched reference clients. The indicative offer is

$$r_{offer} = \max\bigl(r_{min},\ \operatorname{median}_{j \in \text{look-alikes}} r_j\bigr),$$

so a prospect is offered what comparable clients pay, never less than its own risk
costs. Without look-alike rates the offer is the floor.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm._validators import fraction_in, instance_of
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import CapitalRegime
from lendcrm.risk.pricing import PriceBreakdown, minimum_rate, price_facility

__all__ = ["IndicativeOffer", "OfferTerms", "indicative_offer", "indicative_offers"]


@attrs.frozen(kw_only=True)
class OfferTerms:
    """The bank's pricing parameters for offers (annual fractions of the exposure).

    Attributes:
        funding_rate: Funds-transfer price.
        operating_cost_rate: Operating cost per unit of exposure, >= 0.
        hurdle_rate: Pre-tax required return on capital.
        risk_free_rate: Return the held capital earns.
        capital_ratio: Capital per unit of RWA, in [0, 1].
        regime: The capital rules (`lendcrm.risk.capital`).
        upfront_fee: Arrangement fee, fraction of the exposure.
        annual_fee: Recurring fee per year, fraction of the exposure.
    """

    funding_rate: float
    operating_cost_rate: float
    hurdle_rate: float
    risk_free_rate: float
    capital_ratio: float = attrs.field(validator=fraction_in(0.0, 1.0))
    regime: CapitalRegime = attrs.field(
        validator=instance_of(CapitalRegime, what="a CapitalRegime")
    )
    upfront_fee: float = 0.0
    annual_fee: float = 0.0


@attrs.frozen(kw_only=True)
class IndicativeOffer:
    """One prospect's indicative offer.

    Attributes:
        minimum_rate: The hurdle floor (`lendcrm.risk.pricing.minimum_rate`).
        lookalike_rate: Median all-in rate of its look-alikes (NaN if none given).
        offer_rate: ``max(minimum_rate, lookalike_rate)``.
        breakdown: The floor, component by component.
    """

    minimum_rate: float
    lookalike_rate: float
    offer_rate: float
    breakdown: PriceBreakdown


def _anchor(rates: npt.ArrayLike | None, n: int) -> FloatArray:
    if rates is None:
        return np.full(n, np.nan)
    as_float_array(
        np.asarray(rates, dtype=object).ravel(),
        name="lookalike_rates",
        allow_empty=False,
    )
    r = np.asarray(rates, dtype=np.float64)
    if r.ndim == 1:
        r = r[None, :] if n == 1 else r[:, None]
    if r.ndim != 2 or r.shape[0] != n:  # noqa: PLR2004 - a matrix
        raise InvalidValueError(
            field="lookalike_rates",
            value=f"shape {r.shape}",
            expected=f"one row of look-alike rates per prospect ({n} rows)",
        )
    as_float_array(r.ravel(), name="lookalike_rates")
    return np.asarray(np.median(r, axis=1), dtype=np.float64)


def indicative_offers(
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    maturity: npt.ArrayLike,
    terms: OfferTerms,
    lookalike_rates: npt.ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Hurdle floor and indicative offer rate for many prospects (batch face).

    Args:
        default_probability: Expected one-year PD of each prospect, in [0, 1].
        lgd: Loss given default of the offered facility, in [0, 1].
        maturity: Tenor in years, > 0.
        terms: The bank's pricing parameters.
        lookalike_rates: All-in rates of each prospect's look-alikes, ``(n, k)``
            (e.g. the reference clients' rates gathered with `LookAlikes.neighbours`).

    Returns:
        ``(minimum_rate, offer_rate)``, each float64 ``(n,)``.

    Raises:
        InvalidValueError: as `lendcrm.risk.pricing.minimum_rate`; rates of the wrong
            shape or not finite.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> terms = OfferTerms(funding_rate=0.03, operating_cost_rate=0.004,
        ...     hurdle_rate=0.12, risk_free_rate=0.03, capital_ratio=0.10,
        ...     regime=BASEL_III)
        >>> floor, offer = indicative_offers([0.01, 0.01], 0.45, maturity=5.0,
        ...     terms=terms, lookalike_rates=[[0.045, 0.055, 0.06], [0.04, 0.041, 0.06]])
        >>> floor.round(5).tolist(), offer.round(5).tolist()
        ([0.04966, 0.04966], [0.055, 0.04966])
    """
    require_terms(terms)
    pd_, lgd_, mat = align(
        default_probability=as_float_array(
            default_probability, name="default_probability"
        ),
        lgd=as_float_array(lgd, name="lgd"),
        maturity=as_float_array(maturity, name="maturity"),
    )
    floor = minimum_rate(
        pd_,
        lgd_,
        maturity=mat,
        funding_rate=terms.funding_rate,
        operating_cost_rate=terms.operating_cost_rate,
        hurdle_rate=terms.hurdle_rate,
        risk_free_rate=terms.risk_free_rate,
        capital_ratio=terms.capital_ratio,
        regime=terms.regime,
        upfront_fee=terms.upfront_fee,
        annual_fee=terms.annual_fee,
    )
    anchor = _anchor(lookalike_rates, floor.shape[0])
    return floor, np.fmax(floor, anchor)


def require_terms(terms: object) -> None:
    """Refuse anything but an `OfferTerms`."""
    if not isinstance(terms, OfferTerms):
        raise InvalidValueError(
            field="terms", value=terms, expected="an OfferTerms (the bank's pricing)"
        )


def indicative_offer(
    default_probability: float,
    lgd: float,
    *,
    maturity: float,
    terms: OfferTerms,
    lookalike_rates: npt.ArrayLike | None = None,
) -> IndicativeOffer:
    """Indicative offer for one prospect, with the floor's breakdown (one-entity face).

    Raises:
        InvalidValueError: as `indicative_offers`.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> terms = OfferTerms(funding_rate=0.03, operating_cost_rate=0.004,
        ...     hurdle_rate=0.12, risk_free_rate=0.03, capital_ratio=0.10,
        ...     regime=BASEL_III)
        >>> o = indicative_offer(0.01, 0.45, maturity=5.0, terms=terms,
        ...     lookalike_rates=[0.045, 0.055, 0.06])
        >>> round(o.minimum_rate, 5), o.lookalike_rate, o.offer_rate
        (0.04966, 0.055, 0.055)
    """
    require_terms(terms)
    breakdown = price_facility(
        default_probability=default_probability,
        lgd=lgd,
        maturity=maturity,
        funding_rate=terms.funding_rate,
        operating_cost_rate=terms.operating_cost_rate,
        hurdle_rate=terms.hurdle_rate,
        risk_free_rate=terms.risk_free_rate,
        capital_ratio=terms.capital_ratio,
        regime=terms.regime,
        upfront_fee=terms.upfront_fee,
        annual_fee=terms.annual_fee,
    )
    rates = (
        None if lookalike_rates is None else np.atleast_1d(np.asarray(lookalike_rates))
    )
    anchor = float(_anchor(None if rates is None else rates[None, :], 1)[0])
    return IndicativeOffer(
        minimum_rate=breakdown.minimum_rate,
        lookalike_rate=anchor,
        offer_rate=float(np.fmax(breakdown.minimum_rate, anchor)),
        breakdown=breakdown,
    )
