"""What the pipeline delivered: win rates, cycle times, the funnel, slippage, backtest.

Batch face, like `_pipeline_analytics`: integer codes and ``np.bincount``, no loop over
deals.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import AMOUNT, CLOSED_ON, CREATED_ON, STAGE
from lendcrm.relationship.commercial._pipeline_analytics import (
    group_codes,
    reached_codes,
    win_probabilities,
)
from lendcrm.relationship.commercial._pipeline_columnar import check_columns
from lendcrm.relationship.commercial._pipeline_forecast import (
    close_date_slippage_codes,
    cycle_time_codes,
    funnel_counts,
    month_codes,
    win_rate_codes,
)
from lendcrm.relationship.commercial._pipeline_frames import day_numbers, stage_codes
from lendcrm.relationship.commercial._pipeline_machine import OPEN_STAGES
from lendcrm.relationship.commercial._pipeline_probabilities import StageProbabilities
from lendcrm.relationship.commercial._pipeline_views import FORECAST_KEYS
from lendcrm.relationship.commercial.columns import (
    AMOUNT_WIN_RATE,
    CLOSED_DEALS,
    CONVERSION,
    CYCLE_DAYS_MEAN,
    CYCLE_DAYS_MEDIAN,
    EXPECTED_CLOSE_ON,
    FIRST_EXPECTED_CLOSE_ON,
    FORECAST_AMOUNT,
    FORECAST_ERROR,
    LAST_EXPECTED_CLOSE_ON,
    OPPORTUNITY_ID,
    PUSHES,
    REACHED,
    SLIP_DAYS,
    SNAPSHOT_ON,
    SNAPSHOTS,
    STAGE_ENTRY_COLUMNS,
    WIN_RATE,
    WON_AMOUNT,
    WON_DEALS,
)

__all__ = [
    "close_date_slippage",
    "conversion_funnel",
    "cycle_times_by",
    "forecast_backtest",
    "win_rates_by",
]

_WON: Final = 5
_COLUMN_OF: Final = {"close_month": EXPECTED_CLOSE_ON}


def _grouping(frame: pd.DataFrame, by: str, extra: tuple[str, ...]) -> str:
    given: object = by  # a caller may pass anything
    if not isinstance(given, str) or by not in FORECAST_KEYS:
        raise InvalidValueError(
            field="by",
            value=by,
            expected="one of " + ", ".join(repr(k) for k in FORECAST_KEYS),
        )
    check_columns(frame, (STAGE, _COLUMN_OF.get(by, by), *extra), "opportunities")
    return by


def win_rates_by(frame: pd.DataFrame, *, by: str = "kind") -> pd.DataFrame:
    """Win rates of the closed deals per group: by count and by amount.

    Returns:
        One row per group with closed deals, sorted: `CLOSED_DEALS`, `WON_DEALS`,
        `WIN_RATE` (won / closed), `WON_AMOUNT`, `AMOUNT_WIN_RATE` (won amount /
        closed amount).

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> rates = win_rates_by(deals, by="syndication_role")
        >>> rates["closed_deals"].tolist(), rates["won_deals"].tolist()
        ([23, 1594, 18, 173], [1, 187, 3, 20])
    """
    key = _grouping(frame, by, (AMOUNT,))
    stage = stage_codes(frame)
    closed = stage >= _WON
    codes, labels = group_codes(frame, key)
    amount = frame[AMOUNT].to_numpy(dtype=np.float64)[closed]
    n, won, won_amount, closed_amount = win_rate_codes(
        codes[closed], (stage[closed] == _WON).astype(np.float64), amount, len(labels)
    )
    keep = np.flatnonzero(n > 0)
    keep = keep[np.argsort(np.asarray(labels, dtype=object)[keep], kind="stable")]
    return pd.DataFrame(
        {
            CLOSED_DEALS: n[keep],
            WON_DEALS: won[keep],
            WIN_RATE: won[keep] / n[keep],
            WON_AMOUNT: won_amount[keep],
            AMOUNT_WIN_RATE: won_amount[keep] / closed_amount[keep],
        },
        index=pd.Index([labels[i] for i in keep], name=key),
    )


def cycle_times_by(frame: pd.DataFrame, *, by: str = "kind") -> pd.DataFrame:
    """Days from lead (``created_on``) to signing (``closed_on``) of won deals, per group.

    Returns:
        One row per group with won deals, sorted: `WON_DEALS`, `CYCLE_DAYS_MEAN`,
        `CYCLE_DAYS_MEDIAN`.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> cycle_times_by(deals, by="syndication_role")["cycle_days_median"].tolist()
        [165.0, 164.0, 255.0, 147.5]
    """
    key = _grouping(frame, by, (CREATED_ON, CLOSED_ON))
    won = stage_codes(frame) == _WON
    days = (day_numbers(frame[CLOSED_ON]) - day_numbers(frame[CREATED_ON]))[won]
    codes, labels = group_codes(frame, key)
    n, mean, median = cycle_time_codes(codes[won], days.astype(np.float64), len(labels))
    keep = np.flatnonzero(n > 0)
    keep = keep[np.argsort(np.asarray(labels, dtype=object)[keep], kind="stable")]
    return pd.DataFrame(
        {
            WON_DEALS: n[keep],
            CYCLE_DAYS_MEAN: mean[keep],
            CYCLE_DAYS_MEDIAN: median[keep],
        },
        index=pd.Index([labels[i] for i in keep], name=key),
    )


def conversion_funnel(frame: pd.DataFrame, *, closed_only: bool = True) -> pd.DataFrame:
    """How many deals reached each stage and the share that went on to the next.

    With ``closed_only`` (the default) the funnel counts closed deals only, so a deal
    still open is not read as one that stopped; the last row is ``won``.

    Returns:
        One row per open stage and one for ``won`` (index ``stage``): `REACHED` and
        `CONVERSION` (reached the next row / reached this one; NaN for ``won``).

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> conversion_funnel(deals)["reached"].tolist()
        [1808, 752, 418, 280, 232, 211]
    """
    check_columns(frame, (STAGE, *STAGE_ENTRY_COLUMNS), "opportunities")
    if not isinstance(closed_only, bool | np.bool_):
        refuse_object(closed_only, name="closed_only", what="True or False")
    stage = stage_codes(frame)
    rows = stage >= _WON if closed_only else stage >= 0
    counts, wins = funnel_counts(reached_codes(frame, stage)[rows], stage[rows] == _WON)
    reached = np.append(counts, wins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conversion = np.append(reached[1:] / reached[:-1], np.nan)
    index = pd.Index([s.value for s in OPEN_STAGES] + ["won"], name=STAGE)
    return pd.DataFrame({REACHED: reached, CONVERSION: conversion}, index=index)


def close_date_slippage(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Slippage of each deal's expected close date over a history of snapshots.

    Args:
        snapshots: One row per deal and snapshot: `OPPORTUNITY_ID`, `SNAPSHOT_ON`,
            `EXPECTED_CLOSE_ON` (what the deal's owner expected on that day).

    Returns:
        One row per deal, sorted by id: `SNAPSHOTS`, `FIRST_EXPECTED_CLOSE_ON`,
        `LAST_EXPECTED_CLOSE_ON`, `PUSHES` (moves to a later date) and `SLIP_DAYS`
        (last minus first expected close; negative when pulled in).

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> slip = close_date_slippage(sp.snapshots)
        >>> len(slip), int(slip["pushes"].sum())
        (1676, 716)
    """
    specs = [
        ColumnSpec(name=OPPORTUNITY_ID, kind="str"),
        ColumnSpec(name=SNAPSHOT_ON, kind="date"),
        ColumnSpec(name=EXPECTED_CLOSE_ON, kind="date"),
    ]
    check_frame(snapshots, specs, frame_name="snapshots", require_rows=False)
    codes, ids = pd.factorize(snapshots[OPPORTUNITY_ID], sort=True)
    codes = np.asarray(codes, dtype=np.int64)
    t = close_date_slippage_codes(
        codes,
        day_numbers(snapshots[SNAPSHOT_ON]),
        day_numbers(snapshots[EXPECTED_CLOSE_ON]),
        len(ids),
    )
    return pd.DataFrame(
        {
            SNAPSHOTS: t.snapshots,
            FIRST_EXPECTED_CLOSE_ON: t.first_expected.astype("datetime64[D]").astype(
                "datetime64[ns]"
            ),
            LAST_EXPECTED_CLOSE_ON: t.last_expected.astype("datetime64[D]").astype(
                "datetime64[ns]"
            ),
            PUSHES: t.pushes,
            SLIP_DAYS: t.slip_days,
        },
        index=pd.Index(np.asarray(ids, dtype=object), name=OPPORTUNITY_ID),
    )


def forecast_backtest(
    past: pd.DataFrame,
    outcome: pd.DataFrame,
    probabilities: StageProbabilities,
    *,
    segment_by: str | None = None,
) -> pd.DataFrame:
    """Compare a past forecast with what closed: per month, forecast against won.

    Args:
        past: The opportunities frame as it stood on the forecast date (its open
            deals are the forecast, by expected close month).
        outcome: The opportunities frame today (stage, amount and ``closed_on`` of
            the same ids; a deal missing here counts as not won).
        probabilities: The win probabilities the forecast used.
        segment_by: Their segmentation (``None``: pooled).

    Returns:
        One row per month (``"YYYY-MM"``, sorted) in which a deal was expected or
        won: `FORECAST_AMOUNT` (weighted, by expected close month), `WON_AMOUNT`
        (the same deals' won amounts, by actual close month) and `FORECAST_ERROR`
        (won minus forecast).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_pipeline
        >>> from lendcrm.relationship.commercial.frames import fit_stage_probabilities_frame
        >>> then = generate_pipeline(3_000, seed=5, as_of=dt.date(2026, 3, 31))
        >>> now = generate_pipeline(3_000, seed=5, as_of=dt.date(2026, 6, 30))
        >>> p = fit_stage_probabilities_frame(then.opportunities, min_closed=20)
        >>> bt = forecast_backtest(then.opportunities, now.opportunities, p)
        >>> bt.columns.tolist()
        ['forecast_amount', 'won_amount', 'forecast_error']
    """
    require_instance(
        probabilities,
        StageProbabilities,
        name="probabilities",
        what="a StageProbabilities",
    )
    check_columns(past, (OPPORTUNITY_ID, STAGE, AMOUNT, EXPECTED_CLOSE_ON), "past")
    check_columns(outcome, (OPPORTUNITY_ID, STAGE, AMOUNT, CLOSED_ON), "outcome")
    is_open = stage_codes(past) < _WON
    p = win_probabilities(past, probabilities, segment_by=segment_by).to_numpy()
    expected = day_numbers(past[EXPECTED_CLOSE_ON])[is_open]
    weighted = (past[AMOUNT].to_numpy(dtype=np.float64) * p)[is_open]
    where = pd.Index(outcome[OPPORTUNITY_ID]).get_indexer(past[OPPORTUNITY_ID][is_open])
    found = where >= 0
    rows = where[found]
    won = stage_codes(outcome)[rows] == _WON
    closed = day_numbers(outcome[CLOSED_ON])[rows][won]
    won_amount = outcome[AMOUNT].to_numpy(dtype=np.float64)[rows][won]
    codes, first = month_codes(np.concatenate([expected, closed]))
    n = int(codes.max()) + 1 if codes.size else 0
    forecast = np.bincount(codes[: expected.size], weights=weighted, minlength=n)
    actual = np.bincount(codes[expected.size :], weights=won_amount, minlength=n)
    actual = actual.astype(np.float64)  # float even when nothing was won
    keep = np.flatnonzero(np.bincount(codes, minlength=n) > 0)
    months = (keep + int(first)).astype("datetime64[M]")
    return pd.DataFrame(
        {
            FORECAST_AMOUNT: forecast[keep],
            WON_AMOUNT: actual[keep],
            FORECAST_ERROR: actual[keep] - forecast[keep],
        },
        index=pd.Index([str(m) for m in months], name="month"),
    )
