"""Trends of revenue, profit and satisfaction per client, from the book's histories.

The slope of each series is the least-squares line through the client's records up to
``as_of``, time in years of 365.25 days (the library's day count), so a revenue slope
of 12,000 means the bank earns about 12,000 more from the client each year. One record
gives no slope (NaN). Satisfaction uses the feedback scores (0-10, points per year),
through the same grouped fit as `lendcrm.relationship.satisfaction_trend`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import pandas as pd

from lendcrm._dates import as_of_day
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.relationship._feedback import grouped_trend

__all__ = [
    "PROFIT_SLOPE",
    "REVENUE_SLOPE",
    "SATISFACTION_SLOPE",
    "TREND_PERIODS",
    "value_trends",
]

#: Output column: least-squares slope of revenue to the bank, currency per year.
REVENUE_SLOPE: Final = "revenue_slope"
#: Output column: least-squares slope of profit to the bank, currency per year.
PROFIT_SLOPE: Final = "profit_slope"
#: Output column: least-squares slope of feedback scores, points (0-10) per year.
SATISFACTION_SLOPE: Final = "satisfaction_slope"
#: Output column: measured periods up to ``as_of`` behind the revenue and profit slopes.
TREND_PERIODS: Final = "trend_periods"

_MEASURES: Final = (
    ColumnSpec(name=schema.CLIENT_ID, kind="str"),
    ColumnSpec(name=schema.MEASURED_ON, kind="date"),
    ColumnSpec(name=schema.REVENUE_TO_BANK, kind="float", lower=0),
    ColumnSpec(name=schema.PROFIT_TO_BANK, kind="float"),
)
_FEEDBACK: Final = (
    ColumnSpec(name=schema.CLIENT_ID, kind="str"),
    ColumnSpec(name=schema.FEEDBACK_ON, kind="date"),
    ColumnSpec(name=schema.SCORE, kind="int", lower=0, upper=10),
)


def _slopes(
    ids: pd.Index, owner: np.ndarray, days: np.ndarray, values: np.ndarray
) -> np.ndarray:
    codes = ids.get_indexer(pd.Index(owner)).astype(np.int64)
    keep = codes >= 0
    _count, slope, _last, _nps = grouped_trend(
        codes[keep], len(ids), days[keep], values[keep].astype(np.float64)
    )
    return slope


def value_trends(
    clients: pd.DataFrame,
    measures: pd.DataFrame,
    feedback: pd.DataFrame | None = None,
    *,
    as_of: dt.date,
) -> pd.DataFrame:
    """Slopes of revenue, profit and satisfaction per client, up to ``as_of``.

    Args:
        clients: One row per client with ``client_id`` (the output's rows, in order).
        measures: The measures history frame (``client_id``, ``measured_on``,
            ``revenue_to_bank``, ``profit_to_bank``; one row per client and period).
        feedback: The feedback frame (``client_id``, ``feedback_on``, ``score``), if
            satisfaction is wanted.
        as_of: The business date; records after it are left out.

    Returns:
        A frame indexed by ``client_id`` with `REVENUE_SLOPE`, `PROFIT_SLOPE` (currency
        per year), `TREND_PERIODS` and, with feedback, `SATISFACTION_SLOPE` (points per
        year); NaN where a client has fewer than two records.

    Raises:
        InvalidValueError: ``as_of`` is not a date.
        BatchValidationError: a frame lacks a column or holds bad values (row labels
            named).

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> clients = pd.DataFrame({"client_id": ["A", "B"]})
        >>> measures = pd.DataFrame({
        ...     "client_id": ["A", "A", "B"],
        ...     "measured_on": pd.to_datetime(["2023-12-31", "2024-12-31", "2024-12-31"]),
        ...     "revenue_to_bank": [100.0, 130.0, 50.0],
        ...     "profit_to_bank": [20.0, 10.0, 5.0]})
        >>> t = value_trends(clients, measures, as_of=dt.date(2025, 6, 30))
        >>> t["revenue_slope"].round(1).tolist(), t["trend_periods"].tolist()
        ([29.9, nan], [2, 1])
    """
    day = as_of_day(as_of).astype(np.int64)
    check_frame(
        clients, (ColumnSpec(name=schema.CLIENT_ID, kind="str"),), frame_name="clients"
    )
    check_frame(measures, _MEASURES, frame_name="measures", require_rows=False)
    ids = pd.Index(clients[schema.CLIENT_ID].astype(str).to_numpy())
    on = (
        measures[schema.MEASURED_ON].to_numpy().astype("datetime64[D]").astype(np.int64)
    )
    keep = on <= day
    owner = measures[schema.CLIENT_ID].astype(str).to_numpy()[keep]
    days = on[keep]
    out = pd.DataFrame(index=pd.Index(ids, name=schema.CLIENT_ID))
    for column, source in (
        (REVENUE_SLOPE, schema.REVENUE_TO_BANK),
        (PROFIT_SLOPE, schema.PROFIT_TO_BANK),
    ):
        values = measures[source].to_numpy(np.float64)[keep]
        out[column] = _slopes(ids, owner, days, values)
    codes = ids.get_indexer(pd.Index(owner))
    out[TREND_PERIODS] = np.bincount(codes[codes >= 0], minlength=len(ids))
    if feedback is not None:
        check_frame(feedback, _FEEDBACK, frame_name="feedback", require_rows=False)
        f_on = feedback[schema.FEEDBACK_ON].to_numpy().astype("datetime64[D]")
        f_days = f_on.astype(np.int64)
        f_keep = f_days <= day
        out[SATISFACTION_SLOPE] = _slopes(
            ids,
            feedback[schema.CLIENT_ID].astype(str).to_numpy()[f_keep],
            f_days[f_keep],
            feedback[schema.SCORE].to_numpy(np.float64)[f_keep],
        )
    return out
