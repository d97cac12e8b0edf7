"""The batch face: the relationship view of every client as one DataFrame.

`relationship_frame` gathers the same facts as `client_view`, vectorised over the
whole book (group sums and minima with ``numpy.bincount`` and ``ufunc.at`` over client
codes; no loop over clients), then runs the shared early-warning and next-best-action
step. Each row equals the client's `client_view` (tests check it), and each row
depends only on its client's records, so the frame of a book equals the frames of its
parts split by client (see `lendcrm.relationship.scaleout`).

This is the only relationship module that imports pandas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._dates import DAYS_PER_YEAR, as_of_day
from lendcrm.errors import InvalidValueError, ModelMismatchError, UnknownReferenceError
from lendcrm.frames import BookFrames, ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import REASONS as REASONS_COLUMN
from lendcrm.lifecycle import STAGE as STAGE_COLUMN
from lendcrm.lifecycle import assess_stages
from lendcrm.relationship import columns as col
from lendcrm.relationship._assess import (
    DAYS_PER_MONTH,
    LIVE_STATUSES,
    SIGNAL_FACTS,
    act,
    next_review,
    rating_numbers,
    score_and_grade,
    tiers,
    warn,
)
from lendcrm.relationship.actions import NextBestActions, next_best_actions
from lendcrm.relationship.early_warning import SIGNALS, early_warnings
from lendcrm.relationship.facts import FACT_NAMES, ClientFacts, client_facts
from lendcrm.relationship.feedback import grouped_trend, nps_by_group
from lendcrm.relationship.models import RelationshipModels
from lendcrm.relationship.pricing import RelationshipPrices, price_relationships
from lendcrm.segmentation import ClientFeatures, Measure, QuantileTiers, ThresholdTiers

__all__ = [
    "REQUIRED_COLUMNS",
    "actions_frame",
    "facts_from_frame",
    "feedback_by",
    "relationship_frame",
]


def _s(name: str, *, nullable: bool = False) -> ColumnSpec:
    return ColumnSpec(name=name, kind="str", nullable=nullable)


def _f(name: str, *, nullable: bool = False, lower: float | None = None) -> ColumnSpec:
    return ColumnSpec(name=name, kind="float", nullable=nullable, lower=lower)


def _d(name: str, *, nullable: bool = False) -> ColumnSpec:
    return ColumnSpec(name=name, kind="date", nullable=nullable)


#: The columns `relationship_frame` reads, per frame of the `BookFrames`.
REQUIRED_COLUMNS: Final[dict[str, tuple[ColumnSpec, ...]]] = {
    "clients": (
        _s(schema.CLIENT_ID),
        _d(schema.ONBOARDED_ON),
        _s(schema.CURRENCY),
        _d(schema.MEASURED_ON, nullable=True),
        _f(schema.REVENUE_TO_BANK, nullable=True),
        _f(schema.PROFIT_TO_BANK, nullable=True),
        _f(schema.PRODUCT_COUNT, lower=0),
        _f(schema.REFERRAL_COUNT, lower=0),
        _s(schema.RATING_GRADE, nullable=True),
        _f(schema.DEFAULT_PROBABILITY, nullable=True),
        _f(schema.TRANSACTION_COUNT, lower=0),
        _d(schema.LAST_TRANSACTION_ON, nullable=True),
        ColumnSpec(name=schema.ON_WATCHLIST, kind="bool"),
    ),
    "facilities": (
        _s(schema.FACILITY_ID),
        _s(schema.CLIENT_ID),
        _s(schema.PROJECT_ID, nullable=True),
        _s(schema.CURRENCY),
        _f(schema.LIMIT, lower=0),
        _f(schema.DRAWN, lower=0),
        _d(schema.START_ON),
        _d(schema.MATURITY_ON),
        _s(schema.STATUS),
        _f(schema.MARGIN_BPS),
        _f(schema.COMMITMENT_FEE_BPS, lower=0),
        _f(schema.ARRANGEMENT_FEE, lower=0),
        _f(schema.DEFAULT_PROBABILITY, nullable=True),
        _f(schema.LOSS_GIVEN_DEFAULT, nullable=True),
        _f(schema.CREDIT_CONVERSION_FACTOR, nullable=True),
    ),
    "projects": (_s(schema.PROJECT_ID), _f(schema.DEBT, lower=0)),
    "covenants": (
        _s(schema.FACILITY_ID),
        _s(schema.METRIC),
        _s(schema.OPERATOR),
        _f(schema.THRESHOLD),
        _f(schema.LOCK_UP_LEVEL, nullable=True),
    ),
    "milestones": (_s(schema.PROJECT_ID), _f(schema.PERCENT_COMPLETE, lower=0)),
    "drawdowns": (_s(schema.PROJECT_ID), _d(schema.DRAWN_ON), _f(schema.AMOUNT)),
    "cash_flows": (
        _s(schema.PROJECT_ID),
        _d(schema.PERIOD_END),
        _f(schema.CFADS),
        _f(schema.DEBT_SERVICE, nullable=True),
    ),
    "feedback": (
        _s(schema.CLIENT_ID),
        _d(schema.FEEDBACK_ON),
        ColumnSpec(name=schema.SCORE, kind="int", lower=0, upper=10),
    ),
    "referrals": (
        _s(schema.CLIENT_ID),
        _d(schema.REFERRED_ON),
        _f(schema.CONVERTED_AMOUNT, nullable=True),
    ),
}

_SIGNAL_SPECS: Final = (
    _s(schema.CLIENT_ID),
    ColumnSpec(name=schema.SIG_HAS_DRAWN, kind="bool"),
    _f(schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN, lower=0),
    _f(schema.SIG_RATING_NOTCHES_MOVED),
    _f(schema.SIG_UTILISATION_CHANGE),
    _f(schema.SIG_DAYS_PAST_DUE, lower=0),
    _f(schema.SIG_COVENANT_BREACHES, lower=0),
)


def _check(frames: BookFrames) -> None:
    if not isinstance(frames, BookFrames):
        raise InvalidValueError(
            field="book_frames", value=type(frames).__name__, expected="a BookFrames"
        )
    for name, specs in REQUIRED_COLUMNS.items():
        check_frame(getattr(frames, name), specs, frame_name=name, require_rows=False)


def _codes(keys: pd.Series, index: pd.Index, *, kind: str, field: str) -> IntArray:
    """Position of each key in ``index``; raise naming the first key not there."""
    if len(keys) == len(index) and np.array_equal(
        keys.to_numpy(dtype=object), index.to_numpy(dtype=object)
    ):
        return np.arange(len(index), dtype=np.int64)
    codes = np.asarray(index.get_indexer(pd.Index(keys)), dtype=np.int64)
    missing = codes < 0
    if missing.any():
        i = int(np.argmax(missing))
        raise UnknownReferenceError(
            kind=kind, key=keys.iloc[i], field=f"{field}[{i}]", known=()
        )
    return codes


def _positions(keys: pd.Series, index: pd.Index) -> IntArray:
    """Row of ``keys`` holding each id of ``index`` (-1 where none)."""
    if len(keys) == len(index) and np.array_equal(
        keys.to_numpy(dtype=object), index.to_numpy(dtype=object)
    ):
        return np.arange(len(index), dtype=np.int64)
    return np.asarray(pd.Index(keys).get_indexer(index), dtype=np.int64)


def _in(series: pd.Series, allowed: frozenset[str]) -> npt.NDArray[np.bool_]:
    """Membership per row, hashing each distinct value once."""
    codes, uniques = pd.factorize(series)
    hit = np.array([str(u) in allowed for u in uniques] + [False], dtype=bool)
    out: npt.NDArray[np.bool_] = hit[codes]  # code -1 (missing) takes the False
    return out


def _dates(series: pd.Series) -> npt.NDArray[np.datetime64]:
    return series.to_numpy(dtype="datetime64[D]")


def _floats(series: pd.Series) -> FloatArray:
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def _check_as_of(frames: BookFrames, as_of: object) -> np.datetime64:
    day = as_of_day(as_of)
    latest: tuple[np.datetime64, str] | None = None
    for frame, column in (
        (frames.clients, schema.ONBOARDED_ON),
        (frames.clients, schema.MEASURED_ON),
        (frames.feedback, schema.FEEDBACK_ON),
        (frames.referrals, schema.REFERRED_ON),
        (frames.drawdowns, schema.DRAWN_ON),
    ):
        values = _dates(frame[column])
        values = values[~np.isnat(values)]
        if values.size:
            top = values.max()
            if latest is None or top > latest[0]:
                latest = (top, column)
    if latest is not None and day < latest[0]:
        raise InvalidValueError(
            field="as_of",
            value=as_of,
            expected=f"a date on or after the latest date of the data ({latest[0]}, "
            f"`{latest[1]}`)",
        )
    return day


#: Up to this many rules, action patterns are keyed by bits (a table of 2**k).
_MAX_BITS: Final = 16


def _sum(codes: IntArray, *, weights: FloatArray, minlength: int) -> FloatArray:
    """Group sums in record order (float64 even for no records)."""
    out: FloatArray = np.bincount(codes, weights=weights, minlength=minlength).astype(
        np.float64
    )
    return out


def _group_min(codes: IntArray, values: FloatArray, n: int) -> FloatArray:
    out: FloatArray = np.full(n, np.inf)
    keep = ~np.isnan(values)
    np.minimum.at(out, codes[keep], values[keep])
    out[np.isinf(out)] = np.nan
    return out


def _group_max(codes: IntArray, values: FloatArray, n: int) -> FloatArray:
    out: FloatArray = np.full(n, -np.inf)
    keep = ~np.isnan(values)
    np.maximum.at(out, codes[keep], values[keep])
    out[np.isinf(out)] = np.nan
    return out


def _rates(currencies: pd.Series, models: RelationshipModels) -> FloatArray:
    codes, uniques = pd.factorize(currencies)
    table = np.array([models.rate(str(u)) for u in uniques] + [np.nan])
    out: FloatArray = table[codes]
    return out


def _projects(
    frames: BookFrames, day: np.datetime64
) -> tuple[pd.Index[str], FloatArray, FloatArray, FloatArray]:
    """Per project: next-period DSCR, weakest forecast DSCR, drawdown gap."""
    projects = frames.projects
    index = pd.Index(projects[schema.PROJECT_ID])
    k = len(index)
    cf = frames.cash_flows
    ds = _floats(cf[schema.DEBT_SERVICE])
    ahead = (_dates(cf[schema.PERIOD_END]) > day) & (ds > 0)
    cf = cf[ahead]
    codes = _codes(cf[schema.PROJECT_ID], index, kind="project", field="cash_flows")
    ratio = _floats(cf[schema.CFADS]) / ds[ahead]
    order = np.lexsort((_dates(cf[schema.PERIOD_END]), codes))
    first = np.full(k, np.nan)
    if order.size:
        c_sorted = codes[order]
        starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]])
        first[c_sorted[starts]] = ratio[order][starts]
    weakest = _group_min(codes, ratio, k)
    dd = frames.drawdowns
    dd_codes = _codes(dd[schema.PROJECT_ID], index, kind="project", field="drawdowns")
    drawn = _sum(dd_codes, weights=_floats(dd[schema.AMOUNT]), minlength=k)
    ms = frames.milestones
    ms_codes = _codes(ms[schema.PROJECT_ID], index, kind="project", field="milestones")
    count = np.bincount(ms_codes, minlength=k)
    progress = _sum(
        ms_codes, weights=_floats(ms[schema.PERCENT_COMPLETE]), minlength=k
    ) / np.maximum(count, 1)
    debt = _floats(projects[schema.DEBT])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(
            (count > 0) & (debt > 0),
            drawn / np.where(debt > 0, debt, 1.0) - progress / 100.0,
            np.nan,
        )
    return index, first, weakest, gap


def _joined(
    fired: npt.NDArray[np.bool_], names: tuple[str, ...], order: IntArray
) -> pd.Categorical[str]:
    """Names of the fired columns in ``order``, joined; each pattern built once."""
    k = fired.shape[1]
    ordered = fired[:, order]
    if k <= _MAX_BITS:
        keys = ordered.astype(np.int64) @ (np.int64(1) << np.arange(k, dtype=np.int64))
        used = np.flatnonzero(np.bincount(keys, minlength=1 << k))
        lookup = np.zeros(1 << k, dtype=np.int64)
        lookup[used] = np.arange(len(used))
        inverse = lookup[keys]
        patterns = ((used[:, None] >> np.arange(k)) & 1).astype(bool)
    else:
        patterns, inverse = np.unique(ordered, axis=0, return_inverse=True)
    labels = [
        col.SEPARATOR.join(names[order[j]] for j in range(k) if row[j])
        for row in patterns
    ]
    if not labels:
        labels = [""]
    return pd.Categorical.from_codes(
        inverse.reshape(-1), categories=pd.Index(labels, dtype=object)
    )


def _first_action(
    actions: NextBestActions,
) -> tuple[pd.Categorical[str], pd.Categorical[str]]:
    best = actions.best()
    names = pd.Index([*actions.rule_names, ""])
    reasons = pd.Index(list(dict.fromkeys([*actions.reasons_text, ""])))
    reason_codes = reasons.get_indexer(pd.Index([*actions.reasons_text, ""]))
    # -1 (no action) indexes the trailing "" entry
    return (
        pd.Categorical.from_codes(best % len(names), categories=names),
        pd.Categorical.from_codes(reason_codes[best], categories=reasons),
    )


def _price(  # noqa: PLR0917 - private helper, one call site
    fac: pd.DataFrame,
    fac_codes: IntArray,
    live: npt.NDArray[np.bool_],
    rate: FloatArray,
    client_pd: FloatArray,
    n: int,
    models: RelationshipModels,
) -> RelationshipPrices:
    if models.pricing is None:
        nan = np.full(n, np.nan)
        return RelationshipPrices(
            expected_loss=nan, capital=nan, raroc=nan, eva=nan, rate_gap=nan
        )
    codes = fac_codes[live]
    own_pd = _floats(fac[schema.DEFAULT_PROBABILITY])[live]
    tenor = (_dates(fac[schema.MATURITY_ON]) - _dates(fac[schema.START_ON])).astype(
        np.float64
    )[live]
    return price_relationships(
        codes=codes,
        n=n,
        drawn=(_floats(fac[schema.DRAWN]) * rate)[live],
        limit=(_floats(fac[schema.LIMIT]) * rate)[live],
        default_probability=np.where(np.isnan(own_pd), client_pd[codes], own_pd),
        lgd=_floats(fac[schema.LOSS_GIVEN_DEFAULT])[live],
        ccf=_floats(fac[schema.CREDIT_CONVERSION_FACTOR])[live],
        tenor_days=tenor,
        margin=_floats(fac[schema.MARGIN_BPS])[live] / 10_000,
        commitment_fee=_floats(fac[schema.COMMITMENT_FEE_BPS])[live] / 10_000,
        arrangement_fee=(_floats(fac[schema.ARRANGEMENT_FEE]) * rate)[live],
        params=models.pricing,
    )


def _tier_mismatch(models: RelationshipModels, columns: Collection[str]) -> None:
    """Refuse a tiering whose measure needs inputs the data or models lack.

    Raises:
        ModelMismatchError: names the missing inputs.
    """
    tiering = models.tiering
    if tiering is None:
        return
    missing: list[str] = []
    if tiering.measure is Measure.REFERRAL_AMOUNT and schema.REFERRAL_AMOUNT not in (
        columns
    ):
        missing.append(schema.REFERRAL_AMOUNT)
    if tiering.measure is Measure.RISK_ADJUSTED_VALUE and models.pricing is None:
        missing += ["expected_loss", "capital_cost"]
    if missing:
        raise ModelMismatchError(model="tiering", missing=missing)


def _costs(
    prices: RelationshipPrices, models: RelationshipModels
) -> tuple[FloatArray | None, FloatArray | None]:
    """Expected loss and cost of capital per client, when pricing is configured."""
    if models.pricing is None:
        return None, None
    charge = models.pricing.hurdle_rate - models.pricing.risk_free_rate
    return prices.expected_loss, prices.capital * charge


def tier_rows(  # noqa: PLR0917 - the tiering step of the batch face
    clients: pd.DataFrame,
    revenue: FloatArray,
    profit: FloatArray,
    watch: npt.NDArray[np.bool_],
    prices: RelationshipPrices,
    as_of: dt.date,
    models: RelationshipModels,
) -> tuple[npt.NDArray[np.str_], FloatArray]:
    """Tier (after the risk overlay) and value score of each client row.

    Amounts are in the reporting currency; clients without relationship measures are
    not tiered (``""``, NaN). The features are those of
    `lendcrm.segmentation.frames.features_from_frame`.

    Raises:
        ModelMismatchError: the tiering's measure needs a column the clients frame
            does not have (``referral_amount``) or pricing that the models lack
            (expected loss and capital cost of a risk-adjusted value).
    """
    n = len(clients)
    tier = np.full(n, "", dtype=object)
    value = np.full(n, np.nan)
    if models.tiering is None:
        return tier.astype(str), value
    _tier_mismatch(models, clients.columns)
    m = ~(np.isnan(revenue) | np.isnan(profit))
    if not m.any():
        return tier.astype(str), value
    day = np.datetime64(as_of, "D")
    tenure = (day - _dates(clients[schema.ONBOARDED_ON])[m]).astype(np.float64)
    last = _dates(clients[schema.LAST_TRANSACTION_ON])[m]
    recency = np.where(np.isnat(last), tenure, (day - last).astype(np.float64))
    grades = clients[schema.RATING_GRADE].astype(object).fillna("").to_numpy(dtype=str)
    el, cost = _costs(prices, models)
    t, v = tiers(
        client_ids=clients[schema.CLIENT_ID].to_numpy(dtype=str)[m],
        revenue=revenue[m],
        profit=profit[m],
        tenure_days=tenure,
        product_count=_floats(clients[schema.PRODUCT_COUNT])[m],
        referral_count=_floats(clients[schema.REFERRAL_COUNT])[m],
        transaction_count=_floats(clients[schema.TRANSACTION_COUNT])[m],
        recency_days=recency,
        referral_amount=_floats(clients[schema.REFERRAL_AMOUNT])[m]
        if schema.REFERRAL_AMOUNT in clients.columns
        else None,
        rating=rating_numbers(grades[m], models)
        if models.overlay is not None
        else np.zeros(int(m.sum())),
        on_watchlist=clients[schema.ON_WATCHLIST].to_numpy(dtype=bool)[m],
        early_warning=watch[m],
        expected_loss=None if el is None else el[m],
        capital_cost=None if cost is None else cost[m],
        models=models,
    )
    tier[m] = t
    value[m] = v
    return tier.astype(str), value


def fit_tiering(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    measure: Measure | str = Measure.PROFIT,
    top_shares: tuple[float, float, float] = (0.05, 0.20, 0.50),
) -> ThresholdTiers:
    """Fit row-wise tier cut-offs on a book: the quantile tiers of its clients.

    The cut-offs of `lendcrm.segmentation.QuantileTiers` on the book's measured
    clients (amounts in the reporting currency) become a `ThresholdTiers`, which tiers
    each client on its own value, so the relationship view stays row-wise and
    partition-safe. Refit it with the other models (nightly, monthly).

    Args:
        book_frames: The book the tiers are fitted on.
        as_of: The measurement date.
        models: Reporting currency and rates (and pricing, for a risk-adjusted value).
        measure: The value measure (`lendcrm.segmentation.Measure`).
        top_shares: Cumulative client shares closing diamond, gold and silver.

    Returns:
        The fitted `ThresholdTiers`.

    Raises:
        InvalidValueError: fewer than four measured clients, or tied values that
            leave two tiers with the same cut-off.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> book = generate_frames(400, seed=2, as_of=dt.date(2025, 12, 31))
        >>> models = RelationshipModels(fx_rates={"GBP": 1.17, "USD": 0.92,
        ...     "PLN": 0.23, "SEK": 0.088, "DKK": 0.134, "NOK": 0.086, "CHF": 1.05})
        >>> tiers = fit_tiering(book.book_frames(), as_of=dt.date(2025, 12, 31),
        ...                     models=models)
        >>> tiers.measure.value, len(tiers.cutoffs)
        ('profit', 3)
    """
    clients = book_frames.clients
    rate = _rates(clients[schema.CURRENCY], models)
    revenue = _floats(clients[schema.REVENUE_TO_BANK]) * rate
    profit = _floats(clients[schema.PROFIT_TO_BANK]) * rate
    m = ~(np.isnan(revenue) | np.isnan(profit))
    day = np.datetime64(as_of, "D")
    tenure = (day - _dates(clients[schema.ONBOARDED_ON])[m]).astype(np.float64)
    features = ClientFeatures(
        client_ids=clients[schema.CLIENT_ID].to_numpy(dtype=str)[m],
        revenue=revenue[m],
        profit=profit[m],
        tenure_years=tenure / DAYS_PER_YEAR,
        product_count=_floats(clients[schema.PRODUCT_COUNT])[m],
        referral_count=_floats(clients[schema.REFERRAL_COUNT])[m],
        referral_amount=_floats(clients[schema.REFERRAL_AMOUNT])[m]
        if schema.REFERRAL_AMOUNT in clients.columns
        else None,
    )
    quantiles = QuantileTiers(measure=measure, top_shares=top_shares).assign(features)
    cutoffs = quantiles.cutoffs if quantiles.cutoffs is not None else ()
    return ThresholdTiers(cutoffs=cutoffs, measure=measure)


def _stages(
    signals: pd.DataFrame | None,
    pos: IntArray,
    watch: npt.NDArray[np.bool_],
    as_of: dt.date,
    models: RelationshipModels,
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]]:
    """Lifecycle stage and fired stage rules per client, or empty without rules.

    The watchlist recommendation of the early warnings is added to the signals'
    watchlist flag before the stage rules read it.

    Raises:
        InvalidValueError: stage rules without a signals frame.
    """
    n = len(pos)
    if models.stage_rules is None:
        empty = np.full(n, "", dtype=str)
        return empty, empty
    if signals is None:
        raise InvalidValueError(
            field="signals",
            value=None,
            expected="a signals frame with every SIG_* column (the stage rules "
            "of the models read it)",
        )
    rows = signals.iloc[pos].reset_index(drop=True)
    rows = rows.assign(
        **{
            schema.SIG_ON_WATCHLIST: rows[schema.SIG_ON_WATCHLIST].to_numpy(dtype=bool)
            | watch
        }
    )
    out = assess_stages(rows, as_of=as_of, rules=models.stage_rules)
    return (
        out[STAGE_COLUMN].astype(str).to_numpy(dtype=str),
        out[REASONS_COLUMN].astype(str).to_numpy(dtype=str),
    )


def relationship_frame(  # noqa: PLR0915 - one gathering step per fact
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    signals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The relationship view of every client, vectorised; rows equal `client_view`.

    Args:
        book_frames: The book as frames (e.g. ``generate_frames(...).book_frames()``);
            only the columns in `REQUIRED_COLUMNS` are read, extra columns are fine.
        as_of: The view's date: on or after every date in the data.
        models: Reporting currency and rates, early-warning policy, action rules.
        signals: One row per client (a ``client_id`` column and the ``SIG_*``
            columns ``has_drawn``, ``months_since_first_drawdown``,
            ``rating_notches_moved``, ``utilisation_change``, ``days_past_due``,
            ``covenant_breaches``), or ``None`` for neutral values.

    Returns:
        A new frame indexed by ``client_id`` in the order of the clients frame, with
        the `lendcrm.relationship.columns` columns.

    Raises:
        InvalidValueError: ``book_frames`` is not a `BookFrames`, ``as_of`` is before
            the data, a currency has no rate, or a client has no signals row.
        ModelMismatchError: the models' scorecard was fitted on columns the
            clients frame does not have (names them).
        SchemaError: a frame misses columns `REQUIRED_COLUMNS` names (for example a
            frame from an older schema); the message names them.
        BatchValidationError: rows hold missing or out-of-range values.
        UnknownReferenceError: a record refers to a client, facility or project the
            frames do not hold.
        RuleError: a next-best-action rule failed (names the rule).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book, Client, ClientId, Money, Sector
        >>> from lendcrm.frames import book_frames
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE",
        ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"))
        >>> rf = relationship_frame(book_frames(Book(clients=(c,))),
        ...                         as_of=dt.date(2026, 1, 31), models=RelationshipModels())
        >>> rf.loc["C-1", ["exposure", "days_to_review", "next_action"]].to_dict()
        {'exposure': 0.0, 'days_to_review': 29.0, 'next_action': ''}
    """
    _check(book_frames)
    day = _check_as_of(book_frames, as_of)
    clients = book_frames.clients
    ids = clients[schema.CLIENT_ID]
    index = pd.Index(ids, name=schema.CLIENT_ID)
    if index.has_duplicates:
        i = int(np.argmax(index.duplicated()))
        raise InvalidValueError(
            field=f"clients[{i}].client_id",
            value=ids.iloc[i],
            expected="a client id not already listed (one row per client)",
        )
    n = len(index)
    fac = book_frames.facilities
    fac_codes = _codes(fac[schema.CLIENT_ID], index, kind="client", field="facilities")
    live = _in(fac[schema.STATUS], LIVE_STATUSES)
    rate = _rates(fac[schema.CURRENCY], models)
    drawn = _floats(fac[schema.DRAWN]) * rate
    lim = _floats(fac[schema.LIMIT]) * rate
    lc = fac_codes[live]
    exposure = _sum(lc, weights=drawn[live], minlength=n)
    limit = _sum(lc, weights=lim[live], minlength=n)
    facility_count = np.bincount(lc, minlength=n)
    days_left = (_dates(fac[schema.MATURITY_ON]) - day).astype(np.int64)
    soon = live & (days_left > 0)
    months_to_maturity = _group_min(
        fac_codes[soon], days_left[soon] / DAYS_PER_MONTH, n
    )

    # projects of live facilities: distinct (client, project) pairs
    p_index, p_next, p_weakest, p_gap = _projects(book_frames, day)
    has_project = live & fac[schema.PROJECT_ID].notna().to_numpy()
    pf = fac[has_project]
    pf_codes = fac_codes[has_project]
    pf_proj = _codes(pf[schema.PROJECT_ID], p_index, kind="project", field="facilities")
    pairs = np.unique(np.column_stack([pf_codes, pf_proj]), axis=0).reshape(-1, 2)
    pc, pp = pairs[:, 0], pairs[:, 1]
    project_count = np.bincount(pc, minlength=n)
    dscr = _group_min(pc, p_next[pp], n)
    dscr_change = _group_min(pc, p_weakest[pp] - p_next[pp], n)
    gap = _group_max(pc, p_gap[pp], n)

    # DSCR covenants of live project facilities, tested on the next period
    cov = book_frames.covenants
    is_dscr = _in(cov[schema.METRIC], frozenset({"dscr"})) & _in(
        cov[schema.OPERATOR], frozenset({"at_least"})
    )
    # only project facilities can carry a tested DSCR: index those alone
    f_index = pd.Index(pf[schema.FACILITY_ID])
    dscr_cov = cov[is_dscr]
    known = np.asarray(
        f_index.get_indexer(pd.Index(dscr_cov[schema.FACILITY_ID])),
        dtype=np.int64,
    )
    tested_fac = known >= 0
    unknown = (
        ~tested_fac
        & ~_in(
            dscr_cov[schema.FACILITY_ID], frozenset(fac[schema.FACILITY_ID].astype(str))
        )
        if (~tested_fac).any()
        else np.zeros(len(known), dtype=bool)
    )
    if unknown.any():
        i = int(np.argmax(unknown))
        raise UnknownReferenceError(
            kind="facility",
            key=dscr_cov[schema.FACILITY_ID].iloc[i],
            field=f"covenants[{i}]",
            known=(),
        )
    keep = np.flatnonzero(is_dscr)[tested_fac]
    is_dscr = np.zeros(len(cov), dtype=bool)
    is_dscr[keep] = True
    pf_at = known[tested_fac]
    cov_next = p_next[pf_proj[pf_at]]
    cov_client = pf_codes[pf_at]
    threshold = _floats(cov[schema.THRESHOLD])[is_dscr]
    lock = _floats(cov[schema.LOCK_UP_LEVEL])[is_dscr]
    tested = ~np.isnan(cov_next)
    breaches = _sum(
        cov_client[tested],
        weights=(cov_next[tested] < threshold[tested]).astype(np.float64),
        minlength=n,
    )
    level = np.where(np.isnan(lock), threshold, lock)
    headroom = _group_min(cov_client, cov_next - level, n)

    # feedback and referrals
    fb = book_frames.feedback
    fb_codes = _codes(fb[schema.CLIENT_ID], index, kind="client", field="feedback")
    feedback_count = np.bincount(fb_codes, minlength=n)
    _, slope, last, nps = grouped_trend(
        fb_codes,
        n,
        _dates(fb[schema.FEEDBACK_ON]).astype(np.int64),
        _floats(fb[schema.SCORE]),
    )
    ref = book_frames.referrals
    ref_codes = _codes(ref[schema.CLIENT_ID], index, kind="client", field="referrals")
    referrals_made = np.bincount(ref_codes, minlength=n)
    converted = np.nan_to_num(_floats(ref[schema.CONVERTED_AMOUNT])) > 0
    referrals_converted = np.bincount(ref_codes[converted], minlength=n)

    # the client's own columns
    c_rate = _rates(clients[schema.CURRENCY], models)
    revenue = _floats(clients[schema.REVENUE_TO_BANK]) * c_rate
    profit = _floats(clients[schema.PROFIT_TO_BANK]) * c_rate
    products = _floats(clients[schema.PRODUCT_COUNT])
    referral_count = _floats(clients[schema.REFERRAL_COUNT])
    review = next_review(_dates(clients[schema.ONBOARDED_ON]), day)
    grade = clients[schema.RATING_GRADE].astype(object).fillna("").astype(str)
    pd_ = _floats(clients[schema.DEFAULT_PROBABILITY])

    prices = _price(fac, fac_codes, live, rate, pd_, n, models)
    card_names = () if models.scorecard is None else models.scorecard.names
    score, scored_pd, master_grade = score_and_grade(
        {c: clients[c].to_numpy() for c in card_names if c in clients.columns},
        pd_,
        models,
    )

    history: dict[str, object] = {}
    has_drawn = exposure > 0
    pos = np.arange(n, dtype=np.int64)
    if signals is not None:
        check_frame(signals, _SIGNAL_SPECS, frame_name="signals", require_rows=False)
        pos = _positions(signals[schema.CLIENT_ID], index)
        if (pos < 0).any():
            i = int(np.argmax(pos < 0))
            raise InvalidValueError(
                field="signals",
                value=index[i],
                expected="a row for every client of the book (client id missing)",
            )
        history = {
            fact: _floats(signals[name])[pos]
            for name, (fact, _) in SIGNAL_FACTS.items()
        }
        has_drawn = signals[schema.SIG_HAS_DRAWN].to_numpy(dtype=bool)[pos]
        breaches = np.maximum(
            breaches, _floats(signals[schema.SIG_COVENANT_BREACHES])[pos]
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(limit > 0, exposure / np.where(limit > 0, limit, 1), 0.0)
    facts, warnings = warn(
        client_ids=index.to_numpy(dtype=str),
        models=models,
        utilisation=utilisation,
        covenant_breaches=breaches,
        dscr_headroom=headroom,
        dscr_change=dscr_change,
        drawdown_gap=gap,
        feedback_trend=slope,
        last_feedback_score=last,
        has_facility=facility_count > 0,
        has_drawn=has_drawn,
        months_to_maturity=months_to_maturity,
        days_to_review=review,
        product_count=products,
        referral_count=referral_count,
        rate_gap=prices.rate_gap,
        **history,
    )
    stage, stage_reasons = _stages(signals, pos, warnings.watchlist, as_of, models)
    tier, value_score = tier_rows(
        clients, revenue, profit, warnings.watchlist, prices, as_of, models
    )
    result = act(facts, warnings, stage=stage, tier=tier, models=models)
    next_action, next_reason = _first_action(result.actions)
    return pd.DataFrame(
        {
            col.EXPOSURE: exposure,
            col.LIMIT: limit,
            col.UTILISATION: utilisation,
            col.FACILITY_COUNT: facility_count.astype(np.int64),
            col.PROJECT_COUNT: project_count.astype(np.int64),
            col.MONTHS_TO_MATURITY: months_to_maturity,
            col.DAYS_TO_REVIEW: review,
            col.REVENUE_TO_BANK: revenue,
            col.PROFIT_TO_BANK: profit,
            col.PRODUCT_COUNT: products.astype(np.int64),
            col.RATING_GRADE: grade.to_numpy(),
            col.DEFAULT_PROBABILITY: pd_,
            col.STAGE: stage,
            col.STAGE_REASONS: stage_reasons,
            col.TIER: tier,
            col.VALUE_SCORE: value_score,
            col.SCORE: score,
            col.SCORED_PD: scored_pd,
            col.GRADE: master_grade,
            col.COVENANT_BREACHES: breaches,
            col.DSCR: dscr,
            col.DSCR_HEADROOM: headroom,
            col.DSCR_CHANGE: dscr_change,
            col.DRAWDOWN_GAP: gap,
            col.FEEDBACK_COUNT: feedback_count.astype(np.int64),
            col.NPS: nps,
            col.LAST_FEEDBACK_SCORE: last,
            col.FEEDBACK_TREND: slope,
            col.REFERRALS_MADE: referrals_made.astype(np.int64),
            col.REFERRALS_CONVERTED: referrals_converted.astype(np.int64),
            col.REFERRAL_COUNT: referral_count.astype(np.int64),
            col.EXPECTED_LOSS: prices.expected_loss,
            col.CAPITAL: prices.capital,
            col.RAROC: prices.raroc,
            col.EVA: prices.eva,
            col.RATE_GAP: prices.rate_gap,
            col.EARLY_WARNING_SCORE: warnings.score,
            col.WATCHLIST: warnings.watchlist,
            col.WARNING_REASONS: _joined(
                warnings.flags, SIGNALS, np.arange(len(SIGNALS), dtype=np.int64)
            ),
            col.NEXT_ACTION: next_action,
            col.NEXT_ACTION_REASON: next_reason,
            col.ACTIONS: _joined(
                result.actions.fired, result.actions.rule_names, result.actions.order
            ),
        },
        index=index,
    )


def facts_from_frame(frame: pd.DataFrame) -> ClientFacts:
    """Per-client facts from a frame whose index labels the clients.

    Args:
        frame: One row per client; any columns named like `ClientFacts` fields
            (`FACT_NAMES`, except ``client_ids``, which is the index) are read, the
            others get their neutral values. Stage and tier may be categorical.

    Returns:
        The validated `ClientFacts`, in row order.

    Raises:
        InvalidValueError: a value out of range (names the column and the first bad
            position) or duplicate index labels.

    Examples:
        >>> f = facts_from_frame(pd.DataFrame({"days_past_due": [0, 120]},
        ...                                   index=["A", "B"]))
        >>> f.client_ids.tolist(), f.days_past_due.tolist()
        (['A', 'B'], [0.0, 120.0])
    """
    given: dict[str, npt.ArrayLike | None] = {}
    for name in FACT_NAMES[1:]:
        if name in frame.columns:
            series = frame[name]
            given[name] = (
                series.astype(object).fillna("").to_numpy(dtype=str)
                if name in {"stage", "tier"}
                else series.to_numpy()
            )
    return client_facts(client_ids=frame.index.to_numpy(dtype=str), **given)


def actions_frame(frame: pd.DataFrame, *, models: RelationshipModels) -> pd.DataFrame:
    """Early warning and next best action for every row of a per-client facts frame.

    Row-wise and partition-safe: ``actions_frame(whole)`` equals the concatenation of
    ``actions_frame(part)`` over any split of the rows, which is what lets a nightly
    batch run it with Dask ``map_partitions`` (see `lendcrm.relationship.scaleout`).

    Args:
        frame: One row per client, index the client ids, columns named like the
            `ClientFacts` fields (see `facts_from_frame`).
        models: The early-warning policy and action rules (the other fields are
            not used here).

    Returns:
        A new frame with the input's index and the columns `EARLY_WARNING_SCORE`,
        `WATCHLIST`, `WARNING_REASONS`, `NEXT_ACTION`, `NEXT_ACTION_REASON` and
        `ACTIONS` of `lendcrm.relationship.columns`.

    Raises:
        InvalidValueError: as `facts_from_frame`.
        RuleError: a next-best-action rule failed (names the rule).

    Examples:
        >>> frame = pd.DataFrame({"stage": ["decline", "growth"],
        ...                       "days_past_due": [120, 0],
        ...                       "utilisation": [0.5, 0.95]}, index=["A", "B"])
        >>> actions_frame(frame, models=RelationshipModels())[["watchlist", "next_action"]]
           watchlist     next_action
        A       True       exit_plan
        B      False  limit_increase
    """
    facts = facts_from_frame(frame)
    warnings = early_warnings(facts, policy=models.early_warning)
    actions = next_best_actions(
        facts.with_early_warnings(warnings), rules=models.actions
    )
    next_action, next_reason = _first_action(actions)
    return pd.DataFrame(
        {
            col.EARLY_WARNING_SCORE: warnings.score,
            col.WATCHLIST: warnings.watchlist,
            col.WARNING_REASONS: _joined(
                warnings.flags, SIGNALS, np.arange(len(SIGNALS), dtype=np.int64)
            ),
            col.NEXT_ACTION: next_action,
            col.NEXT_ACTION_REASON: next_reason,
            col.ACTIONS: _joined(actions.fired, actions.rule_names, actions.order),
        },
        index=frame.index,
    )


def feedback_by(feedback: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """NPS and satisfaction of the feedback records, by a per-client label.

    Args:
        feedback: The feedback frame (``client_id`` and ``score`` 0-10 columns).
        groups: One label per client, indexed by client id — e.g. the ``tier`` or
            ``stage`` column of `relationship_frame`.

    Returns:
        One row per label (sorted; the index is named after ``groups``):
        ``scores`` (count), ``promoters`` and
        ``detractors`` (shares), ``nps`` (points) and ``mean_score``; each row is
        `lendcrm.relationship.nps_by_group` of that label's scores.

    Raises:
        SchemaError: ``feedback`` lacks ``client_id`` or ``score``.
        InvalidValueError: a score is not a whole number in [0, 10].
        UnknownReferenceError: a feedback record's client has no label.

    Examples:
        >>> fb = pd.DataFrame({"client_id": ["A", "A", "B", "C"],
        ...                    "score": [10, 3, 9, 6]})
        >>> tier = pd.Series(["gold", "gold", "basic"], index=["A", "B", "C"])
        >>> feedback_by(fb, tier)[["scores", "nps"]]
               scores    nps
        group
        basic       1 -100.0
        gold        3   33.3
    """
    check_frame(
        feedback,
        (
            _s(schema.CLIENT_ID),
            ColumnSpec(name=schema.SCORE, kind="int", lower=0, upper=10),
        ),
        frame_name="feedback",
        require_rows=False,
    )
    index = pd.Index(groups.index)
    codes = _codes(feedback[schema.CLIENT_ID], index, kind="client", field="feedback")
    labels = groups.astype(object).fillna("").astype(str).to_numpy()[codes]
    table = nps_by_group(_floats(feedback[schema.SCORE]), labels)
    return pd.DataFrame(
        {
            "scores": table.count,
            "promoters": table.promoters,
            "detractors": table.detractors,
            "nps": table.nps.round(1),
            "mean_score": table.mean_score,
        },
        index=pd.Index(
            table.groups, name=str(groups.name) if groups.name is not None else "group"
        ),
    )
