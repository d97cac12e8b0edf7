"""Trends of revenue, profit and satisfaction per client, by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import BatchValidationError, InvalidValueError
from lendcrm.relationship import satisfaction_trend
from lendcrm.relationship.frames import value_trends

AS_OF = dt.date(2025, 12, 31)
CLIENTS = pd.DataFrame({"client_id": ["A", "B", "C"]})


def _measures(rows):
    ids, dates, revenue, profit = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "client_id": list(ids),
            "measured_on": pd.to_datetime(list(dates)),
            "revenue_to_bank": list(revenue),
            "profit_to_bank": list(profit),
        }
    )


def test_slopes_by_hand_in_currency_per_year():
    # A: three periods 365.25 days apart on average is not exact; use the OLS formula:
    # t = day offsets / 365.25, slope = sum((t - t_mean)(y - y_mean)) / sum((t - t_mean)^2)
    m = _measures(
        [
            ("A", "2022-12-31", 100.0, 10.0),
            ("A", "2023-12-31", 120.0, 30.0),
            ("A", "2024-12-31", 160.0, 20.0),
            ("B", "2024-12-31", 50.0, 5.0),
            ("A", "2026-12-31", 999.0, 999.0),  # after as_of: left out
        ]
    )
    t = np.array([0.0, 365.0, 731.0]) / 365.25
    tc = t - t.mean()
    want_rev = float(tc @ (np.array([100.0, 120.0, 160.0]) - 380 / 3) / (tc @ tc))
    want_profit = float(tc @ (np.array([10.0, 30.0, 20.0]) - 20.0) / (tc @ tc))
    out = value_trends(CLIENTS, m, as_of=AS_OF)
    assert out.index.tolist() == ["A", "B", "C"]
    assert out.loc["A", "revenue_slope"] == pytest.approx(want_rev, rel=1e-12)
    assert out.loc["A", "profit_slope"] == pytest.approx(want_profit, rel=1e-12)
    assert np.isnan(out["revenue_slope"].to_numpy()[1])  # one period: no line
    assert out["trend_periods"].tolist() == [3, 1, 0]
    assert "satisfaction_slope" not in out.columns


def test_satisfaction_slope_equals_satisfaction_trend():
    feedback = pd.DataFrame(
        {
            "client_id": ["A", "A", "A", "B"],
            "feedback_on": pd.to_datetime(
                ["2024-01-01", "2024-12-31", "2025-12-31", "2025-06-01"]
            ),
            "score": [9, 7, 5, 8],
        }
    )
    m = _measures([("A", "2024-12-31", 1.0, 1.0)])
    out = value_trends(CLIENTS, m, feedback, as_of=AS_OF)
    want = satisfaction_trend(
        feedback["client_id"], feedback["feedback_on"].dt.date, feedback["score"]
    )
    assert out.loc["A", "satisfaction_slope"] == pytest.approx(float(want.slope[0]))
    assert np.isnan(out["satisfaction_slope"].to_numpy()[1])


@given(
    slope=st.floats(-1e4, 1e4, allow_nan=False),
    base=st.floats(0, 1e6),
    years=st.integers(2, 8),
)
def test_a_straight_line_gives_its_own_slope(slope, base, years):
    dates = pd.date_range("2015-12-31", periods=years, freq="366D")
    t = (dates - dates[0]).days.to_numpy() / 365.25
    revenue = np.maximum(base + slope * t, 0.0)
    if np.any(revenue == 0.0):
        return  # the floor at zero bends the line
    m = pd.DataFrame(
        {
            "client_id": ["A"] * years,
            "measured_on": dates,
            "revenue_to_bank": revenue,
            "profit_to_bank": slope * t,
        }
    )
    out = value_trends(CLIENTS.iloc[:1], m, as_of=dt.date(2030, 1, 1))
    assert out.loc["A", "profit_slope"] == pytest.approx(slope, rel=1e-9, abs=1e-6)


def test_bad_input_is_named():
    with pytest.raises(InvalidValueError, match="as_of"):
        value_trends(CLIENTS, _measures([("A", "2024-12-31", 1.0, 1.0)]), as_of="2025")  # type: ignore[arg-type]
    bad = _measures([("A", "2024-12-31", -1.0, 1.0)])
    with pytest.raises(BatchValidationError, match="revenue_to_bank"):
        value_trends(CLIENTS, bad, as_of=AS_OF)
