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
| ``rating_grade`` | number or str, optional | 1 = best | ``rating_grade`` |
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
from lendcrm._framecheck import ColumnSpec, check_frame
from lendcrm.errors import BatchValidationError, InvalidRowsError, InvalidValueError
from lendcrm.schema import (
    CLIENT_ID,
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
from lendcrm.segmentation._features import ClientFeatures

__all__ = ["features_from_frame"]

#: Days per year used for tenure (Julian year).
DAYS_PER_YEAR = 365.25

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
    if RATING_GRADE not in clients.columns:
        return None
    column = clients[RATING_GRADE]
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
        column.dtype
    ):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if rating_scale is None:
        raise InvalidValueError(
            field="rating_scale",
            value=None,
            expected="the grade labels, best first, to read the text column "
            f"`{RATING_GRADE}`",
        )
    codes = pd.Index(list(rating_scale)).get_indexer(pd.Index(column))
    unknown = codes < 0
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
    return codes.astype(np.float64) + 1.0


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
        InvalidValueError: empty frame, or a text rating without ``rating_scale``.

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
    check_frame(clients, _SPECS, frame_name="clients", unique=(CLIENT_ID,))
    onboarded = _days_before(clients, ONBOARDED_ON, as_of)
    recency = None
    if LAST_TRANSACTION_ON in clients.columns:
        last = _days_before(clients, LAST_TRANSACTION_ON, as_of)
        recency = np.where(np.isnan(last), onboarded, last)

    def optional(column: str) -> FloatArray | None:
        if column not in clients.columns:
            return None
        return clients[column].to_numpy(dtype=np.float64)

    return ClientFeatures(
        client_ids=clients[CLIENT_ID].to_numpy(dtype=np.str_),
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
