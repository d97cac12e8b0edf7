"""The gathering steps of `relationship_frame` over each client's own row.

The client's own columns (in the reporting currency), pricing and rating, the
signals, and then the lifecycle stage and the value tier, which read the early
warnings. The steps over the book's records are in
`lendcrm.relationship._gather_records`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.errors import InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.frames.columns import STAGE as STAGE_COLUMN
from lendcrm.lifecycle.frames import REASONS as REASONS_COLUMN
from lendcrm.lifecycle.frames import assess_stages
from lendcrm.relationship._assess import (
    SIGNAL_FACTS,
    costs,
    next_review,
    rating_numbers,
    score_and_grade_codes,
    tier_codes,
    tier_mismatch,
)
from lendcrm.relationship._client_keys import ClientKeys
from lendcrm.relationship._gather import (
    categorical_text,
    compact,
    day_values,
    float_column,
    float_values,
    fx_rates,
    labels_of,
    rows_of,
    str_column,
    used_categories,
)
from lendcrm.relationship._gather_records import Facilities
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._pricing import RelationshipPrices, price_relationships

#: The columns of the signals frame `relationship_frame` reads.
SIGNAL_SPECS: Final[tuple[ColumnSpec, ...]] = (
    str_column(schema.CLIENT_ID),
    ColumnSpec(name=schema.SIG_HAS_DRAWN, kind="bool"),
    float_column(schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN, lower=0),
    float_column(schema.SIG_RATING_NOTCHES_MOVED),
    float_column(schema.SIG_UTILISATION_CHANGE),
    float_column(schema.SIG_DAYS_PAST_DUE, lower=0),
    float_column(schema.SIG_COVENANT_BREACHES, lower=0),
)


@attrs.frozen(kw_only=True, eq=False)
class OwnColumns:
    """The client's own columns, amounts in the reporting currency.

    Attributes:
        revenue: Revenue to the bank (NaN: not measured).
        profit: Profit to the bank (NaN: not measured).
        products: Products held.
        referral_count: Referrals recorded on the client.
        days_to_review: Days to the next annual review.
        rating_grade: The stored rating grade, categorical (``""``: unrated).
        default_probability: The stored PD (NaN: unknown).
    """

    revenue: FloatArray
    profit: FloatArray
    products: FloatArray
    referral_count: FloatArray
    days_to_review: FloatArray
    rating_grade: pd.Categorical[str]
    default_probability: FloatArray


def gather_own(
    clients: pd.DataFrame, *, day: np.datetime64, models: RelationshipModels
) -> OwnColumns:
    """The clients frame's own columns, converted to the reporting currency.

    Raises:
        InvalidValueError: a currency without a rate.
    """
    c_rate = fx_rates(clients[schema.CURRENCY], models)
    return OwnColumns(
        revenue=float_values(clients[schema.REVENUE_TO_BANK]) * c_rate,
        profit=float_values(clients[schema.PROFIT_TO_BANK]) * c_rate,
        products=float_values(clients[schema.PRODUCT_COUNT]),
        referral_count=float_values(clients[schema.REFERRAL_COUNT]),
        days_to_review=next_review(day_values(clients[schema.ONBOARDED_ON]), day),
        rating_grade=categorical_text(clients[schema.RATING_GRADE]),
        default_probability=float_values(clients[schema.DEFAULT_PROBABILITY]),
    )


def price_rows(
    facilities: Facilities, client_pd: FloatArray, *, models: RelationshipModels
) -> RelationshipPrices:
    """Pricing of each client's live facilities (NaN throughout without pricing).

    A facility without its own PD takes its client's (``client_pd``).
    """
    fac, live, rate = facilities.frame, facilities.live, facilities.rate
    n = len(facilities.exposure)
    if models.pricing is None:
        nan = np.full(n, np.nan)
        return RelationshipPrices(
            expected_loss=nan, capital=nan, raroc=nan, eva=nan, rate_gap=nan
        )
    codes = facilities.codes[live]
    own_pd = float_values(fac[schema.DEFAULT_PROBABILITY])[live]
    tenor = (
        day_values(fac[schema.MATURITY_ON]) - day_values(fac[schema.START_ON])
    ).astype(np.float64)[live]
    return price_relationships(
        codes=codes,
        n=n,
        drawn=(float_values(fac[schema.DRAWN]) * rate)[live],
        limit=(float_values(fac[schema.LIMIT]) * rate)[live],
        default_probability=np.where(np.isnan(own_pd), client_pd[codes], own_pd),
        lgd=float_values(fac[schema.LOSS_GIVEN_DEFAULT])[live],
        ccf=float_values(fac[schema.CREDIT_CONVERSION_FACTOR])[live],
        tenor_days=tenor,
        margin=float_values(fac[schema.MARGIN_BPS])[live] / 10_000,
        commitment_fee=float_values(fac[schema.COMMITMENT_FEE_BPS])[live] / 10_000,
        arrangement_fee=(float_values(fac[schema.ARRANGEMENT_FEE]) * rate)[live],
        params=models.pricing,
    )


@attrs.frozen(kw_only=True, eq=False)
class Risk:
    """Pricing, score and master-scale grade per client.

    Attributes:
        prices: Expected loss, capital, RAROC, EVA and rate gap.
        score: Scorecard points (NaN without a scorecard).
        scored_pd: PD of the score (NaN without a scorecard).
        grade: Master-scale grade, categorical (``""`` without a master scale).
    """

    prices: RelationshipPrices
    score: FloatArray
    scored_pd: FloatArray
    grade: pd.Categorical[str]


def gather_risk(
    clients: pd.DataFrame,
    facilities: Facilities,
    own: OwnColumns,
    *,
    models: RelationshipModels,
) -> Risk:
    """Price the live facilities, then score and grade each client.

    Raises:
        ModelMismatchError: the scorecard was fitted on columns the clients frame
            does not have.
    """
    prices = price_rows(facilities, own.default_probability, models=models)
    card_names = () if models.scorecard is None else models.scorecard.names
    score, scored_pd, codes, levels = score_and_grade_codes(
        {c: clients[c] for c in card_names if c in clients.columns},
        own.default_probability,
        models,
    )
    grade = used_categories(codes, levels)
    return Risk(prices=prices, score=score, scored_pd=scored_pd, grade=grade)


@attrs.frozen(kw_only=True, eq=False)
class Signals:
    """What the signals frame adds to the gathered facts.

    Attributes:
        history: The history facts by `ClientFacts` field (empty without signals).
        has_drawn: Whether each client has drawn (from the exposure without signals).
        rows: Signals row of each client (``arange(n)`` without signals).
        covenant_breaches: The larger of the tested and the reported breaches.
    """

    history: dict[str, object]
    has_drawn: BoolArray
    rows: IntArray
    covenant_breaches: FloatArray


def gather_signals(
    signals: pd.DataFrame | None,
    index: pd.Index[str],
    *,
    exposure: FloatArray,
    breaches: FloatArray,
) -> Signals:
    """Align the signals frame with the clients (neutral values without one).

    Raises:
        SchemaError: the signals frame lacks a column.
        BatchValidationError: signals rows hold missing or out-of-range values.
        InvalidValueError: a client without a signals row.
    """
    history: dict[str, object] = {}
    has_drawn = exposure > 0
    pos = np.arange(len(index), dtype=np.int64)
    if signals is not None:
        check_frame(signals, SIGNAL_SPECS, frame_name="signals", require_rows=False)
        pos = rows_of(signals[schema.CLIENT_ID], index)
        if (pos < 0).any():
            i = int(np.argmax(pos < 0))
            raise InvalidValueError(
                field="signals",
                value=index[i],
                expected="a row for every client of the book (client id missing)",
            )
        history = {
            fact: float_values(signals[name])[pos]
            for name, (fact, _) in SIGNAL_FACTS.items()
        }
        has_drawn = signals[schema.SIG_HAS_DRAWN].to_numpy(dtype=bool)[pos]
        breaches = np.maximum(
            breaches, float_values(signals[schema.SIG_COVENANT_BREACHES])[pos]
        )
    return Signals(
        history=history, has_drawn=has_drawn, rows=pos, covenant_breaches=breaches
    )


def stage_rows(
    signals: pd.DataFrame | None,
    pos: IntArray,
    watch: npt.NDArray[np.bool_],
    as_of: dt.date,
    models: RelationshipModels,
) -> tuple[pd.Categorical[str], pd.Categorical[str]]:
    """Lifecycle stage and fired stage rules per client (categoricals), ``""`` without.

    The watchlist recommendation of the early warnings is added to the signals'
    watchlist flag before the stage rules read it.

    Raises:
        InvalidValueError: stage rules without a signals frame.
    """
    n = len(pos)
    if models.stage_rules is None:
        empty = pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int64), categories=pd.Index([""], dtype=object)
        )
        return empty, empty.copy()
    if signals is None:
        raise InvalidValueError(
            field="signals",
            value=None,
            expected="a signals frame with every SIG_* column (the stage rules "
            "of the models read it)",
        )
    aligned = len(signals) == n and np.array_equal(pos, np.arange(n))
    rows = signals if aligned else signals.iloc[pos]
    rows = rows.set_axis(pd.RangeIndex(n)).assign(
        **{
            schema.SIG_ON_WATCHLIST: rows[schema.SIG_ON_WATCHLIST].to_numpy(dtype=bool)
            | watch
        }
    )
    out = assess_stages(rows, as_of=as_of, rules=models.stage_rules)
    return compact(out[STAGE_COLUMN].array), compact(out[REASONS_COLUMN].array)


def tier_rows(  # noqa: PLR0917 - the tiering step of the batch face
    clients: pd.DataFrame,
    revenue: FloatArray,
    profit: FloatArray,
    watch: npt.NDArray[np.bool_],
    prices: RelationshipPrices,
    as_of: dt.date,
    models: RelationshipModels,
    keys: ClientKeys | None = None,
) -> tuple[pd.Categorical[str], FloatArray]:
    """Tier (after the risk overlay, categorical) and value score of each client row.

    ``keys`` (the clients' ids as `client_keys` read them) gives the ids without
    reading the clients frame's column again.

    Amounts are in the reporting currency; clients without relationship measures are
    not tiered (``""``, NaN). The features are those of
    `lendcrm.segmentation.frames.features_from_frame`.

    Raises:
        ModelMismatchError: the tiering's measure needs a column the clients frame
            does not have (``referral_amount``) or pricing that the models lack
            (expected loss and capital cost of a risk-adjusted value).
    """
    n = len(clients)
    value = np.full(n, np.nan)
    if models.tiering is not None:
        tier_mismatch(models, clients.columns)
    m = ~(np.isnan(revenue) | np.isnan(profit))
    if models.tiering is None or not m.any():
        return used_categories(np.zeros(n, dtype=np.int64), ("",)), value
    day = np.datetime64(as_of, "D")
    tenure = (day - day_values(clients[schema.ONBOARDED_ON])[m]).astype(np.float64)
    last = day_values(clients[schema.LAST_TRANSACTION_ON])[m]
    recency = np.where(np.isnat(last), tenure, (day - last).astype(np.float64))
    el, cost = costs(prices, models)
    codes_m, levels, v = tier_codes(
        client_ids=clients[schema.CLIENT_ID].to_numpy(dtype=object)[m]
        if keys is None
        else keys.text_ids(m),
        revenue=revenue[m],
        profit=profit[m],
        tenure_days=tenure,
        product_count=float_values(clients[schema.PRODUCT_COUNT])[m],
        referral_count=float_values(clients[schema.REFERRAL_COUNT])[m],
        transaction_count=float_values(clients[schema.TRANSACTION_COUNT])[m],
        recency_days=recency,
        referral_amount=float_values(clients[schema.REFERRAL_AMOUNT])[m]
        if schema.REFERRAL_AMOUNT in clients.columns
        else None,
        rating=_ratings(clients[schema.RATING_GRADE], m, models)
        if models.overlay is not None
        else np.zeros(int(m.sum())),
        on_watchlist=clients[schema.ON_WATCHLIST].to_numpy(dtype=bool)[m],
        early_warning=watch[m],
        expected_loss=None if el is None else el[m],
        capital_cost=None if cost is None else cost[m],
        models=models,
    )
    value[m] = v
    labels = (*(v for v in levels if v), "")
    codes = np.full(n, len(labels) - 1, dtype=np.int64)
    at = pd.Index(labels, dtype=object).get_indexer(pd.Index(levels, dtype=object))
    codes[m] = at[codes_m]
    return used_categories(codes, labels), value


def _ratings(
    grades: pd.Series, measured: BoolArray, models: RelationshipModels
) -> FloatArray:
    """`rating_numbers` of the measured clients, each distinct grade read once.

    Raises:
        InvalidValueError: as `rating_numbers`, naming the first measured client
            (by position among the measured) with a bad grade.
    """
    text = categorical_text(grades)
    codes = np.asarray(text.codes, dtype=np.int64)[measured]
    used = np.flatnonzero(np.bincount(codes, minlength=len(text.categories)))
    labels = np.asarray(text.categories, dtype=object)[used].astype(str)
    try:
        numbers = rating_numbers(labels, models)
    except InvalidValueError:  # the message names the client: read its rows
        rating_numbers(labels_of(text)[measured].astype(str), models)
        raise
    lookup = np.zeros(len(text.categories), dtype=np.float64)
    lookup[used] = numbers
    out: FloatArray = lookup[codes]
    return out
