"""DataFrame adapter: build `ClientFeatures` from a clients frame (pandas stays here).

The frame uses the column names of `lendcrm.schema`, one row per client:

| column | kind | rule | feature |
|---|---|---|---|
| ``client_id`` | str | unique | ``client_ids`` |
| ``revenue_to_bank`` | float | >= 0 | ``revenue`` |
| ``profit_to_bank`` | float | finite | ``profit`` |
| ``product_count`` | int | >= 0 | ``product_count`` |
| ``referral_count`` | int | >= 0 | ``referral_count`` |
| ``onboarded_on`` | date | <= ``as_of`` | ``tenure_years`` = days / 365.25 |
| ``referral_amount`` | float, optional | >= 0 | ``referral_amount`` |
| ``transaction_count`` | int, optional | >= 0 | ``transaction_count`` |
| ``last_transaction_on`` | date, optional, nullable | <= ``as_of`` | ``recency_days`` (days since onboarding when missing) |
| ``rating_grade`` | number or str, optional, nullable | 1 = best | ``rating_grade`` (0 when unrated) |
| ``currency`` | str, optional | one value | (amounts must share it) |
| ``on_watchlist`` | bool, optional | | ``on_watchlist`` |

Other columns are ignored. Every failing rule is reported at once, naming the first
offending row labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray
from lendcrm._dates import DAYS_PER_YEAR
from lendcrm.book import Book
from lendcrm.errors import BatchValidationError, InvalidRowsError, InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame, clients_frame
from lendcrm.frames.columns import (
    CLIENT_ID,
    CURRENCY,
    LAST_TRANSACTION_ON,
    ON_WATCHLIST,
    ONBOARDED_ON,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    RATING_GRADE,
    REFERRAL_AMOUNT,
    REFERRAL_COUNT,
    REVENUE_TO_BANK,
    TRANSACTION_COUNT,
)
from lendcrm.segmentation._features import ClientFeatures, first_duplicate

__all__ = ["features_from_book", "features_from_frame"]

#: Days per year used for tenure (Julian year).

_SPECS = (
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=REVENUE_TO_BANK, kind="float", lower=0.0),
    ColumnSpec(name=PROFIT_TO_BANK, kind="float"),
    ColumnSpec(name=PRODUCT_COUNT, kind="int", lower=0.0),
    ColumnSpec(name=REFERRAL_COUNT, kind="int", lower=0.0),
    ColumnSpec(name=ONBOARDED_ON, kind="date"),
    ColumnSpec(name=REFERRAL_AMOUNT, kind="float", lower=0.0, required=False),
    ColumnSpec(name=TRANSACTION_COUNT, kind="int", lower=0.0, required=False),
    ColumnSpec(name=LAST_TRANSACTION_ON, kind="date", nullable=True, required=False),
    ColumnSpec(name=ON_WATCHLIST, kind="bool", required=False),
)


def _days_before(
    clients: pd.DataFrame, column: str, as_of: dt.date
) -> npt.NDArray[np.float64]:
    """Days from ``column`` to ``as_of`` (NaN where missing); refuses future dates."""
    dates = clients[column].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    days = (np.datetime64(as_of, "D") - dates).astype("timedelta64[D]")
    missing = np.isnat(days)
    values = np.where(missing, np.nan, days.astype(np.float64))
    future = ~missing & (values < 0)
    if future.any():
        positions = np.flatnonzero(future)
        raise BatchValidationError(
            [
                InvalidRowsError(
                    frame="clients",
                    column=column,
                    rows=list(clients.index[positions[:5]]),
                    count=len(positions),
                    value=str(dates[positions[0]]),
                    expected=f"a date on or before as_of ({as_of.isoformat()})",
                )
            ],
            total=len(clients),
        )
    return values


def _rating(
    clients: pd.DataFrame, rating_scale: Sequence[str] | None
) -> FloatArray | None:
    """Numeric grades (1 = best); unrated clients (missing grade) become 0."""
    if RATING_GRADE not in clients.columns:
        return None
    column = clients[RATING_GRADE]
    missing = column.isna().to_numpy()
    if missing.all():
        return None
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
        column.dtype
    ):
        grades = column.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(missing, 0.0, grades)
    if rating_scale is None:
        raise InvalidValueError(
            field="rating_scale",
            value=None,
            expected="the grade labels, best first, to read the text column "
            f"`{RATING_GRADE}`",
        )
    codes = pd.Index(list(rating_scale)).get_indexer(pd.Index(column))
    unknown = (codes < 0) & ~missing
    if unknown.any():
        positions = np.flatnonzero(unknown)
        raise BatchValidationError(
            [
                InvalidRowsError(
                    frame="clients",
                    column=RATING_GRADE,
                    rows=list(clients.index[positions[:5]]),
                    count=len(positions),
                    value=column.iloc[int(positions[0])],
                    expected=f"a grade of rating_scale ({', '.join(rating_scale)})",
                )
            ],
            total=len(clients),
        )
    return np.where(missing, 0.0, codes.astype(np.float64) + 1.0)


def _one_currency(clients: pd.DataFrame) -> None:
    if CURRENCY not in clients.columns:
        return
    currencies = clients[CURRENCY].dropna().unique()
    if len(currencies) > 1:
        raise InvalidValueError(
            field=f"clients.{CURRENCY}",
            value=sorted(str(c) for c in currencies),
            expected="one currency for every client",
            hint="Convert the amounts to the reporting currency first.",
        )


def _duplicate_rows(clients: pd.DataFrame, first: int) -> BatchValidationError:
    """The error for duplicate ids, naming the row labels (slow path, on error only)."""
    positions = np.flatnonzero(clients[CLIENT_ID].duplicated(keep="first").to_numpy())
    return BatchValidationError(
        [
            InvalidRowsError(
                frame="clients",
                column=CLIENT_ID,
                rows=list(clients.index[positions[:5]]),
                count=len(positions),
                value=str(clients[CLIENT_ID].iloc[first]),
                expected="unique (no duplicate ids)",
            )
        ],
        total=len(clients),
    )


def features_from_frame(
    clients: pd.DataFrame,
    *,
    as_of: dt.date,
    rating_scale: Sequence[str] | None = None,
    expected_loss: npt.ArrayLike | None = None,
    capital_cost: npt.ArrayLike | None = None,
    early_warning: npt.ArrayLike | None = None,
) -> ClientFeatures:
    """Build `ClientFeatures` from a clients frame (see the module table).

    The frame is validated in one vectorised pass and never modified. Tenure is
    ``(as_of - onboarded_on)`` in days / 365.25; recency is ``(as_of -
    last_transaction_on)`` in days, or the days since onboarding for a client that
    has not transacted.

    Args:
        clients: One row per client, `lendcrm.schema` column names.
        as_of: The measurement date.
        rating_scale: Grade labels best first, needed only when ``rating_grade``
            holds text; grade ``rating_scale[i]`` becomes ``i + 1``.
        expected_loss: Per-row expected loss, aligned with the frame (optional).
        capital_cost: Per-row cost of capital, aligned with the frame (optional).
        early_warning: Per-row early-warning flags, aligned with the frame (optional).

    Raises:
        SchemaError: a required column is missing or has the wrong dtype.
        BatchValidationError: rows break a rule (one child per rule).
        InvalidValueError: empty frame, more than one currency, or a text rating
            without ``rating_scale``.

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> clients = pd.DataFrame({
        ...     "client_id": ["c1", "c2"], "revenue_to_bank": [120.0, 30.0],
        ...     "profit_to_bank": [40.0, -2.0], "product_count": [3, 1],
        ...     "referral_count": [1, 0],
        ...     "onboarded_on": pd.to_datetime(["2016-06-30", "2025-06-30"]),
        ...     "last_transaction_on": pd.to_datetime(["2026-06-20", None])})
        >>> f = features_from_frame(clients, as_of=dt.date(2026, 6, 30))
        >>> f.tenure_years.round(2).tolist(), f.recency_days.tolist()
        ([10.0, 1.0], [10.0, 365.0])
    """
    # ids are checked for duplicates by ClientFeatures (a hashed O(n) pass), which is
    # far cheaper than pandas' duplicated() on a million strings; see _duplicate_rows.
    check_frame(clients, _SPECS, frame_name="clients")
    _one_currency(clients)
    onboarded = _days_before(clients, ONBOARDED_ON, as_of)
    recency = None
    if LAST_TRANSACTION_ON in clients.columns:
        last = _days_before(clients, LAST_TRANSACTION_ON, as_of)
        recency = np.where(np.isnan(last), onboarded, last)

    def optional(column: str) -> FloatArray | None:
        if column not in clients.columns:
            return None
        return clients[column].to_numpy(dtype=np.float64)

    ids = clients[CLIENT_ID].to_numpy(dtype=np.str_)
    if (first := first_duplicate(ids)) is not None:
        raise _duplicate_rows(clients, first)
    return ClientFeatures(
        client_ids=ids,
        revenue=clients[REVENUE_TO_BANK].to_numpy(dtype=np.float64),
        profit=clients[PROFIT_TO_BANK].to_numpy(dtype=np.float64),
        tenure_years=onboarded / DAYS_PER_YEAR,
        product_count=clients[PRODUCT_COUNT].to_numpy(dtype=np.float64),
        referral_count=clients[REFERRAL_COUNT].to_numpy(dtype=np.float64),
        referral_amount=optional(REFERRAL_AMOUNT),
        transaction_count=optional(TRANSACTION_COUNT),
        recency_days=recency,
        rating_grade=_rating(clients, rating_scale),
        on_watchlist=(
            clients[ON_WATCHLIST].to_numpy(dtype=np.bool_)
            if ON_WATCHLIST in clients.columns
            else None
        ),
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        early_warning=early_warning,
    )


def features_from_book(
    book: Book,
    *,
    as_of: dt.date,
    rating_scale: Sequence[str] | None = None,
    expected_loss: npt.ArrayLike | None = None,
    capital_cost: npt.ArrayLike | None = None,
    early_warning: npt.ArrayLike | None = None,
) -> ClientFeatures:
    """Build `ClientFeatures` from a `lendcrm.Book`, one row per client in book order.

    The book's clients go through :func:`lendcrm.frames.clients_frame` and then
    `features_from_frame`, so the same rules apply: every client needs relationship
    measures (revenue and profit to the bank) and all clients one currency. The book
    has no referral *amount* per client, so ``referral_amount`` stays ``None``.

    Raises:
        BatchValidationError: a client lacks measures, or another row rule fails.
        InvalidValueError: more than one currency, or text ratings without
            ``rating_scale``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book, Client, ClientId, Money, Sector
        >>> from lendcrm.values import RelationshipMeasures
        >>> def client(i, revenue):
        ...     return Client(id=ClientId(f"C-{i}"), legal_name=f"Client {i}",
        ...         sector=Sector.MANUFACTURING, country="DE",
        ...         onboarded_on=dt.date(2020, 1, 1),
        ...         annual_revenue=Money.of("1000000", "EUR"),
        ...         measures=RelationshipMeasures(period_end=dt.date(2025, 12, 31),
        ...             revenue_to_bank=Money.of(revenue, "EUR"),
        ...             profit_to_bank=Money.of("100", "EUR"), product_count=2))
        >>> f = features_from_book(Book(clients=(client(1, "900"), client(2, "100"))),
        ...                        as_of=dt.date(2025, 12, 31))
        >>> f.client_ids.tolist(), f.revenue.tolist()
        (['C-1', 'C-2'], [900.0, 100.0])
    """
    return features_from_frame(
        clients_frame(book),
        as_of=as_of,
        rating_scale=rating_scale,
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        early_warning=early_warning,
    )
