r"""Lifetime RAROC of each relationship, from its facilities' repayment schedules.

When `RelationshipPricing.lifetime` is on, the view and the relationship frame add,
beside the one-year figures, each client's RAROC over the life of its facilities:
`lendcrm.risk.pricing.lifetime_raroc` prices every priced live facility on its
repayment schedule (`lendcrm.risk.schedules`, from the facility's
`lendcrm.RepaymentTerms` or the book's ``repayment_terms`` frame) at the bank's share
(`lendcrm.Facility.bank_share`, `lendcrm.risk.schedules.frames.bank_shares`), and
the client's figure sums the present values over its facilities $i$, in the
reporting currency:

$$RAROC^{life}_j = \frac{\sum_{i \in j} PV_i(\text{revenue} - \text{funding} - EL
- \text{opex} + r_f C)}{\sum_{i \in j} PV_i(C)}$$

(`LifetimeRaroc.pv_income` over `LifetimeRaroc.pv_capital`), discounted at
`RelationshipPricing.lifetime_discount_rate` (the hurdle rate unless given) and
compared with the hurdle rate.

The figures follow the one-year view's conventions: the same PD (the facility's,
else its borrower's), LGD and CCF fallbacks, funding, operating cost and capital
parameters, and every rate over the reference rate — the schedule is built with each
floating reference at zero, so its interest is the margin on the balance
outstanding, the funding cost the funding spread on it, and an annuity's instalment
the level one at the margin. A facility is priced over its contractual life, start
to maturity, as the one-year figure's upfront fee is spread over its tenor.

The lifetime figure covers the same facilities as the one-year RAROC or none: a
client with a priced facility that has no repayment terms, or is in default (PD =
1, no lifetime return to price), gets NaN; so does a client that holds no capital
over the life. ``meets_lifetime_hurdle`` is false where the RAROC is NaN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import attrs
import numpy as np
import pandas as pd

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._entities import Client, Facility
from lendcrm.frames import BookFrames, ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.relationship import columns as col
from lendcrm.relationship._gather import float_values, str_column
from lendcrm.relationship._gather_records import Facilities
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._pricing import RelationshipPricing
from lendcrm.relationship._view_gather import or_nan
from lendcrm.risk.pricing import lifetime_raroc
from lendcrm.risk.schedules import ForwardCurve, Schedule, book_schedules
from lendcrm.risk.schedules.frames import bank_shares, book_schedule

__all__ = ["LIFETIME_COLUMNS", "LifetimePrices", "lifetime_of", "with_lifetime"]

_FIXED = "FIXED"

#: The columns the lifetime figures read beyond `relationship_frame`'s own, per frame
#: of the `BookFrames` (``repayment_profiles`` and ``participations`` as written by
#: `lendcrm.frames.book_frames`).
LIFETIME_COLUMNS: Final[dict[str, tuple[ColumnSpec, ...]]] = {
    "facilities": (str_column(schema.REFERENCE_RATE),),
    "repayment_terms": (
        str_column(schema.FACILITY_ID),
        str_column(schema.AMORTISATION),
        ColumnSpec(name=schema.PAYMENTS_PER_YEAR, kind="int", lower=1, upper=12),
        str_column(schema.DAY_COUNT),
        ColumnSpec(name=schema.GRACE_PERIODS, kind="int", lower=0),
        ColumnSpec(name=schema.BALLOON_FRACTION, kind="float", lower=0, upper=1),
        ColumnSpec(name=schema.ZERO_FLOOR, kind="bool"),
    ),
}


@attrs.frozen(kw_only=True, eq=False)
class LifetimePrices:
    """Per-client lifetime figures, ``(n,)`` each.

    Attributes:
        raroc: Lifetime (present-value) RAROC at the bank's share; NaN when not
            covered (see the module docstring).
        meets_hurdle: Whether it reaches the hurdle rate (false where NaN).
    """

    raroc: FloatArray
    meets_hurdle: BoolArray


def _zero_curves(references: Iterable[str], as_of: dt.date) -> dict[str, ForwardCurve]:
    """A flat zero curve for each floating reference: rates over the reference."""
    zero = ForwardCurve(as_of=as_of, tenors=(0.0,), rates=(0.0,))
    return {r: zero for r in set(references) if r != _FIXED}


def price_lifetime(
    schedule: Schedule | None,
    *,
    codes: IntArray,
    n: int,
    covered: BoolArray,
    default_probability: FloatArray,
    lgd: FloatArray,
    ccf: FloatArray,
    bank_share: FloatArray,
    rate: FloatArray,
    params: RelationshipPricing,
) -> LifetimePrices:
    """Price the scheduled facilities over their lives and sum them per client.

    Args:
        schedule: The schedules of the facilities priced, one row each (`None`
            when there is none).
        codes: Client position of each scheduled facility, ``(m,)``.
        n: Number of clients.
        covered: Whether each client's priced facilities are all scheduled.
        default_probability: One-year PD of each facility, in [0, 1).
        lgd: LGD (NaN: `RelationshipPricing.fallback_lgd`).
        ccf: CCF (NaN: ``default_ccf``).
        bank_share: The bank's share of each facility.
        rate: Reporting units per unit of each facility's currency.
        params: Pricing parameters.

    Returns:
        The `LifetimePrices` of the ``n`` clients.
    """
    income: FloatArray = np.zeros(n)
    capital: FloatArray = np.zeros(n)
    if schedule is not None:
        h = params.hurdle_rate
        life = lifetime_raroc(
            schedule,
            default_probability=default_probability,
            lgd=np.where(np.isnan(lgd), params.fallback_lgd, lgd),
            ccf=np.where(np.isnan(ccf), params.default_ccf, ccf),
            funding_rate=params.funding_spread,
            operating_cost_rate=params.operating_cost_rate,
            hurdle_rate=h,
            risk_free_rate=params.risk_free_rate,
            capital_ratio=params.capital_ratio,
            regime=params.regime,
            asset_class=params.asset_class,
            discount_rate=h
            if params.lifetime_discount_rate is None
            else params.lifetime_discount_rate,
            bank_share=bank_share,
        )
        income = np.bincount(codes, weights=life.pv_income * rate, minlength=n).astype(
            np.float64
        )
        capital = np.bincount(
            codes, weights=life.pv_capital * rate, minlength=n
        ).astype(np.float64)
    held = covered & (capital > 0)
    raroc = np.divide(income, capital, out=np.full(n, np.nan), where=held)
    return LifetimePrices(
        raroc=raroc, meets_hurdle=held & (raroc >= params.hurdle_rate)
    )


def lifetime_of(
    live: list[Facility], client: Client, as_of: dt.date, models: RelationshipModels
) -> tuple[float | None, bool | None]:
    """One client's lifetime RAROC and hurdle check (`None` unless switched on)."""
    params = models.pricing
    if params is None or not params.lifetime:
        return None, None
    priced = [
        (f, client.default_probability if f.default_probability is None
         else f.default_probability) for f in live
    ]  # fmt: skip
    chosen = [(f, p) for f, p in priced if p is not None]
    covered = all(f.terms is not None and p < 1.0 for f, p in chosen)
    if not covered:
        chosen = []
    facilities = [f for f, _ in chosen]
    curves = _zero_curves((f.pricing.reference_rate for f in facilities), as_of)
    prices = price_lifetime(
        book_schedules(facilities, curves=curves) if facilities else None,
        codes=np.zeros(len(chosen), dtype=np.int64),
        n=1,
        covered=np.array([covered]),
        default_probability=np.array([p for _, p in chosen], dtype=np.float64),
        lgd=np.array([or_nan(f.loss_given_default) for f in facilities]),
        ccf=np.array([or_nan(f.credit_conversion_factor) for f in facilities]),
        bank_share=np.array([f.bank_share for f in facilities], dtype=np.float64),
        rate=np.array([models.rate(f.currency) for f in facilities], dtype=np.float64),
        params=params,
    )
    return float(prices.raroc[0]), bool(prices.meets_hurdle[0])


def with_lifetime(
    frame: pd.DataFrame,
    book_frames: BookFrames,
    facilities: Facilities,
    client_pd: FloatArray,
    *,
    as_of: dt.date,
    models: RelationshipModels,
) -> pd.DataFrame:
    """The relationship frame with the lifetime columns added (unchanged when off).

    Raises:
        SchemaError: the facilities or ``repayment_terms`` frame lacks a column of
            `LIFETIME_COLUMNS` (named).
        BatchValidationError: repayment terms out of range.
        InvalidValueError: as `lendcrm.risk.schedules.frames.book_schedule` and
            `bank_shares` (naming the facility).
    """
    params = models.pricing
    if params is None or not params.lifetime:
        return frame
    for name, specs in LIFETIME_COLUMNS.items():
        check_frame(
            getattr(book_frames, name), specs, frame_name=name, require_rows=False
        )
    fac, n = facilities.frame, len(frame)
    own_pd = float_values(fac[schema.DEFAULT_PROBABILITY])
    pd_ = np.where(np.isnan(own_pd), client_pd[facilities.codes], own_pd)
    priced = facilities.live & ~np.isnan(pd_)
    ids = fac[schema.FACILITY_ID].astype(str)
    has_terms = ids.isin(book_frames.repayment_terms[schema.FACILITY_ID].astype(str))
    bad = priced & ~(has_terms.to_numpy() & (pd_ < 1.0))
    covered = np.bincount(facilities.codes[bad], minlength=n) == 0
    chosen = priced & covered[facilities.codes]
    sub = attrs.evolve(book_frames, facilities=fac[chosen])
    curves = _zero_curves(fac[schema.REFERENCE_RATE][chosen].astype(str), as_of)
    prices = price_lifetime(
        book_schedule(sub, curves=curves) if chosen.any() else None,
        codes=facilities.codes[chosen],
        n=n,
        covered=covered,
        default_probability=pd_[chosen],
        lgd=float_values(fac[schema.LOSS_GIVEN_DEFAULT])[chosen],
        ccf=float_values(fac[schema.CREDIT_CONVERSION_FACTOR])[chosen],
        bank_share=bank_shares(sub),
        rate=facilities.rate[chosen],
        params=params,
    )
    frame[col.LIFETIME_RAROC] = prices.raroc
    frame[col.MEETS_LIFETIME_HURDLE] = prices.meets_hurdle
    return frame
