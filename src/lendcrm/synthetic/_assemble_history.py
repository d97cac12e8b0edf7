"""The five history frames of a synthetic book (private to :mod:`lendcrm.synthetic`).

Rows are ordered by owner (client or facility, in frame order) then date, as the
history frames' schema asks; ids are taken from the book's id columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.frames import columns as schema
from lendcrm.frames.columns import (
    COLLATERAL_INDEX,
    FORBORNE,
    IN_DEFAULT,
    OVERRIDE_REASON,
    PERIOD_MONTHS,
    RATED_ON,
    RATER,
    RATING_OVERRIDE,
    VALUATION_METHOD,
    VALUATION_VALUE,
    VALUED_ON,
)
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._draws_history import Histories
from lendcrm.synthetic._frame_tools import (
    Ids,
    as_ns,
    categorical,
    reporting_currency,
    take_ids,
)
from lendcrm.synthetic._history_facilities import VALUATION_METHODS


def history_frames(h: Histories, ids: Ids) -> dict[str, pd.DataFrame]:
    """``measures``, ``ratings``, ``statements``, ``observations``, ``valuations``."""
    return {
        "measures": _measures_frame(h, ids),
        "ratings": _ratings_frame(h, ids),
        "statements": _statements_frame(h, ids),
        "observations": _observations_frame(h, ids),
        "valuations": _valuations_frame(h, ids),
    }


def _measures_frame(h: Histories, ids: Ids) -> pd.DataFrame:
    m = h.measures
    return pd.DataFrame(
        {
            schema.CLIENT_ID: take_ids(ids.client_col, m.client),
            schema.MEASURED_ON: as_ns(m.measured_on),
            schema.REVENUE_TO_BANK: m.revenue,
            schema.PROFIT_TO_BANK: m.profit,
            schema.PRODUCT_COUNT: m.product_count,
            schema.TRANSACTION_COUNT: m.transaction_count,
            schema.LAST_TRANSACTION_ON: as_ns(m.last_transaction),
            schema.REFERRAL_COUNT: m.referral_count,
        },
        copy=False,
    )


def _ratings_frame(h: Histories, ids: Ids) -> pd.DataFrame:
    r = h.ratings
    return pd.DataFrame(
        {
            schema.CLIENT_ID: take_ids(ids.client_col, r.client),
            RATED_ON: as_ns(r.rated_on),
            schema.RATING_GRADE: categorical(r.grade - 1, tables.RATING_GRADES),
            schema.DEFAULT_PROBABILITY: np.array(tables.MASTER_SCALE_PD)[r.grade - 1],
            RATER: categorical(
                r.override.astype(np.int64),
                (tables.RATING_MODEL, tables.RATING_COMMITTEE),
            ),
            RATING_OVERRIDE: r.override,
            OVERRIDE_REASON: categorical(r.reason, tables.OVERRIDE_REASONS),
        },
        copy=False,
    )


def _statements_frame(h: Histories, ids: Ids) -> pd.DataFrame:
    s = h.statements
    rows = s.client.size
    return pd.DataFrame(
        {
            schema.CLIENT_ID: take_ids(ids.client_col, s.client),
            schema.PERIOD_END: as_ns(s.period_end),
            schema.CURRENCY: reporting_currency(rows),
            PERIOD_MONTHS: np.full(rows, 12, dtype=np.int64),
            **{name: s.amounts[name] for name in STATEMENT_AMOUNTS},
        },
        copy=False,
    )


def _observations_frame(h: Histories, ids: Ids) -> pd.DataFrame:
    o = h.observations
    return pd.DataFrame(
        {
            schema.FACILITY_ID: take_ids(ids.facility_col, o.facility),
            schema.PERIOD_END: o.period_end,  # already datetime64[ns]
            schema.DRAWN: o.drawn,
            schema.LIMIT: o.limit,
            schema.SIG_DAYS_PAST_DUE: o.days_past_due,
            IN_DEFAULT: o.in_default,
            FORBORNE: o.forborne,
        },
        copy=False,
    )


def _valuations_frame(h: Histories, ids: Ids) -> pd.DataFrame:
    v = h.valuations
    return pd.DataFrame(
        {
            schema.FACILITY_ID: take_ids(ids.facility_col, v.facility),
            COLLATERAL_INDEX: np.zeros(v.facility.size, dtype=np.int64),
            VALUED_ON: as_ns(v.valued_on),
            VALUATION_VALUE: v.value,
            VALUATION_METHOD: categorical(v.method, VALUATION_METHODS),
        },
        copy=False,
    )
