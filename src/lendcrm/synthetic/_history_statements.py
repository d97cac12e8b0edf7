"""Financial statements of a synthetic book: a spread per client and fiscal year.

Every amount is a whole number of the client's currency (EUR), computed in int64, so
the balance sheet balances exactly in the frame's float64 amounts:
``total_assets = current_assets + fixed assets = total_liabilities + equity`` with
``total_liabilities = total_debt + payables + provisions``. The latest fiscal year's
revenue is the client's ``annual_revenue``; going back a year divides revenue by
(1 + the stage's own growth), moves the EBITDA margin back by the stage's margin
change and divides debt by the stage's debt growth, so a declining client shows
falling revenue, a falling margin and rising leverage (numpy only; the ranges are
``STATEMENT_TRENDS`` and ``STATEMENT_ITEMS`` in ``_tables``).
"""

from __future__ import annotations

import attrs
import numpy as np

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._calendar import DayArray, fiscal_year_ends
from lendcrm.synthetic._draws import Draws
from lendcrm.synthetic._tables import (
    DEBT_TO_LIMITS,
    DECLINE,
    DECLINE_MARGIN_GAP,
    EBITDA_MARGIN,
    FISCAL_YEAR_END_MONTH,
    GROWTH,
    LEVERAGE_MEDIAN,
    OUTSIDE_DEBT,
)

#: Cash of a declining client is this share of an ordinary client's.
_DECLINE_CASH: float = 0.6


@attrs.frozen(kw_only=True)
class Statements:
    """One statement per client and fiscal year, oldest first (internal).

    ``amounts`` maps each name of ``STATEMENT_AMOUNTS`` to its float64 column.
    """

    client: IntArray
    period_end: DayArray
    amounts: dict[str, FloatArray]


def _uniform(
    rng: np.random.Generator, bounds: tuple[float, float], size: int
) -> FloatArray:
    return rng.uniform(bounds[0], bounds[1], size)


@attrs.frozen(kw_only=True)
class _Trend:
    """Per client: the latest year and the yearly change going back (internal)."""

    revenue: FloatArray
    growth: FloatArray  # own revenue growth a year
    margin: FloatArray  # latest EBITDA margin
    margin_change: FloatArray  # this year's margin - last year's
    debt: FloatArray  # latest total debt
    debt_growth: FloatArray  # this year's debt / last year's


def _trend(rng: np.random.Generator, d: Draws) -> _Trend:
    c, m = d.clients, d.measures
    n = c.n
    trends = tables.STATEMENT_TRENDS
    growth, margin_change, debt_growth = (
        np.select(
            [c.stage == s for s in range(len(trends))],
            [_uniform(rng, row[i], n) for row in trends],
            0.0,
        )
        for i in range(3)
    )
    debt_growth = np.where(c.stage == GROWTH, debt_growth * (1.0 + growth), debt_growth)
    mean, sd, low, high = EBITDA_MARGIN
    mean_i = mean - DECLINE_MARGIN_GAP * (c.stage == DECLINE)
    margin = np.clip(mean_i + sd * rng.standard_normal(n), low, high)
    outside = c.revenue * LEVERAGE_MEDIAN * _uniform(rng, OUTSIDE_DEBT, n)
    debt = np.where(
        m.limit_eur > 0, m.limit_eur * _uniform(rng, DEBT_TO_LIMITS, n), outside
    )
    return _Trend(
        revenue=c.revenue,
        growth=growth,
        margin=margin,
        margin_change=margin_change,
        debt=np.round(debt).astype(np.float64),
        debt_growth=debt_growth,
    )


def draw_statements(
    rng: np.random.Generator, d: Draws, *, as_of: np.datetime64, years: int
) -> Statements:
    """``years`` annual statements per client, the latest fiscal year on or before ``as_of``."""
    n = d.n
    t = _trend(rng, d)
    ends = fiscal_year_ends(as_of, years, FISCAL_YEAR_END_MONTH)
    client = np.repeat(np.arange(n, dtype=np.int64), years)
    back = np.tile(np.arange(years - 1, -1, -1, dtype=np.int64), n)
    revenue = np.round(t.revenue[client] / (1.0 + t.growth[client]) ** back)
    low, high = EBITDA_MARGIN[2:]
    margin = np.clip(t.margin[client] - back * t.margin_change[client], low, high)
    debt = np.round(t.debt[client] / t.debt_growth[client] ** back)
    declining = d.clients.stage[client] == DECLINE
    amounts = _spread(
        rng, revenue.astype(np.int64), margin, debt.astype(np.int64), declining
    )
    return Statements(
        client=client,
        period_end=ends[years - 1 - back],
        amounts={name: amounts[name].astype(np.float64) for name in STATEMENT_AMOUNTS},
    )


def _spread(
    rng: np.random.Generator,
    revenue: IntArray,
    margin: FloatArray,
    debt: IntArray,
    declining: BoolArray,
) -> dict[str, IntArray]:
    """Every statement amount of each row, whole units (int64)."""
    rows = revenue.size
    items = tables.STATEMENT_ITEMS

    def share(item: str, base: IntArray) -> IntArray:
        return np.round(base * _uniform(rng, items[item], rows)).astype(np.int64)

    ebitda = np.round(revenue * margin).astype(np.int64)
    cash = np.round(share("cash", revenue) * np.where(declining, _DECLINE_CASH, 1.0))
    cash = cash.astype(np.int64)
    interest = share("interest_rate", debt)
    current_assets = cash + share("working_assets", revenue)
    fixed = np.maximum(
        share("fixed_assets", revenue), share("fixed_assets_to_debt", debt)
    )
    payables = share("payables", revenue)
    total_liabilities = debt + payables + share("provisions", revenue)
    total_assets = current_assets + fixed
    return {
        "revenue": revenue,
        "ebitda": ebitda,
        "ebit": ebitda - share("depreciation", revenue),
        "interest_expense": interest,
        "total_debt": debt,
        "cash": cash,
        "net_debt": debt - cash,
        "total_assets": total_assets,
        "total_liabilities": total_liabilities,
        "equity": total_assets - total_liabilities,
        "current_assets": current_assets,
        "current_liabilities": payables + share("short_term_debt", debt),
        "capex": share("capex", revenue),
        "operating_cash_flow": np.round(
            ebitda * _uniform(rng, items["cash_conversion"], rows)
        ).astype(np.int64),
        "debt_service": interest + share("amortisation", debt),
    }
