"""The frames adapter equals the one-facility forms row by row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm import (
    Book,
    Client,
    ClientId,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Pricing,
    Sector,
    Seniority,
)
from lendcrm.errors import BatchValidationError, InvalidRowsError
from lendcrm.frames import facilities_frame
from lendcrm.risk.capital import (
    BASEL_III,
    facility_expected_loss,
    facility_exposure_at_default,
    facility_irb_capital,
)
from lendcrm.risk.pricing import facility_price
from lendcrm.risk.pricing.frames import price_facilities_frame

AS_OF = dt.date(2026, 3, 31)
RATES: dict[str, Any] = {
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
}


def _book() -> Book:
    client = Client(
        id=ClientId("C-1"),
        legal_name="Client SA",
        sector=Sector.MANUFACTURING,
        country="FR",
        onboarded_on=dt.date(2020, 1, 1),
        annual_revenue=Money.of("50000000", "EUR"),
    )
    rng = np.random.default_rng(11)
    facilities = []
    for i in range(12):
        limit = int(rng.integers(1, 50)) * 250_000
        drawn = int(limit * rng.uniform(0, 1) // 1000 * 1000)
        start = dt.date(2022, 1, 1) + dt.timedelta(days=int(rng.integers(0, 900)))
        facilities.append(
            Facility(
                id=FacilityId(f"F-{i}"),
                client_id=client.id,
                kind=FacilityKind.TERM_LOAN,
                currency="EUR",
                limit=Money.of(str(limit), "EUR"),
                drawn=Money.of(str(drawn), "EUR"),
                start_on=start,
                maturity_on=start + dt.timedelta(days=int(rng.integers(900, 4000))),
                seniority=Seniority.SENIOR_UNSECURED,
                pricing=Pricing(
                    reference_rate="EURIBOR_3M",
                    margin_bps=200,
                    arrangement_fee=Money.of(str(limit // 100), "EUR"),
                ),
                status=FacilityStatus.ACTIVE,
                default_probability=round(float(rng.uniform(0.001, 0.1)), 6),
                loss_given_default=round(float(rng.uniform(0.1, 0.7)), 4),
                credit_conversion_factor=float(rng.choice([0.2, 0.5, 1.0])),
            )
        )
    return Book(clients=(client,), facilities=tuple(facilities))


def test_frame_equals_entity_forms_row_by_row():
    book = _book()
    live = tuple(f for f in book.facilities if f.maturity_on > AS_OF)
    book = attrs.evolve(book, facilities=live)
    frame = facilities_frame(book).set_index("facility_id")
    out = price_facilities_frame(frame, as_of=AS_OF, regime=BASEL_III, **RATES)
    assert list(out.index) == [f.id for f in live]
    assert "ead" not in frame.columns  # input untouched
    for f in live:
        row = out.loc[f.id]
        assert row["ead"] == pytest.approx(
            float(facility_exposure_at_default(f).amount), rel=1e-12
        )
        assert row["expected_loss"] == pytest.approx(
            float(facility_expected_loss(f).amount), rel=1e-12
        )
        cap = facility_irb_capital(f, as_of=AS_OF, regime=BASEL_III)
        assert row["risk_weighted_assets"] == pytest.approx(
            cap.risk_weighted_assets, rel=1e-12
        )
        assert row["capital"] == pytest.approx(cap.capital, rel=1e-12)
        q = facility_price(f, regime=BASEL_III, **RATES)
        assert row["minimum_rate"] == pytest.approx(q.minimum_rate, rel=1e-12)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "limit": [10e6, 4e6, 1e6],
            "drawn": [6e6, 4e6, 0.0],
            "start_on": pd.to_datetime(["2025-01-01", "2024-06-30", "2020-01-01"]),
            "maturity_on": pd.to_datetime(["2030-01-01", "2029-06-30", "2025-01-01"]),
            "arrangement_fee": [100e3, 0.0, 0.0],
            "default_probability": [0.01, 0.03, 0.02],
            "loss_given_default": [0.45, 0.40, 0.4],
            "credit_conversion_factor": [0.5, 1.0, 1.0],
        },
        index=["F-1", "F-2", "F-3"],
    )


def test_matured_rows_named_by_label():
    with pytest.raises(
        InvalidRowsError,
        match=r"`facilities\['F-3'\]\.maturity_on` must be a date after as_of \(2026-03-31\)",
    ):
        price_facilities_frame(_frame(), as_of=AS_OF, regime=BASEL_III, **RATES)


def test_bad_values_named_by_label():
    frame = _frame().iloc[:2].copy()
    frame.loc["F-2", "default_probability"] = 1.5
    with pytest.raises(
        BatchValidationError,
        match=r"`facilities\['F-2'\]\.default_probability` must be",
    ):
        price_facilities_frame(frame, as_of=AS_OF, regime=BASEL_III, **RATES)


def test_zero_limit_with_fee_named_by_label():
    frame = _frame().iloc[:2].copy()
    frame.loc["F-1", ["limit", "drawn"]] = 0.0
    with pytest.raises(
        InvalidRowsError, match=r"`facilities\['F-1'\]\.limit` must be a positive limit"
    ):
        price_facilities_frame(frame, as_of=AS_OF, regime=BASEL_III, **RATES)


def test_synthetic_book_frame_agrees_with_its_entities():
    from lendcrm.synthetic import generate_book, generate_frames

    as_of = dt.date(2026, 6, 30)
    frame = generate_frames(60, seed=6, as_of=as_of).facilities.set_index("facility_id")
    out = price_facilities_frame(frame, as_of=as_of, regime=BASEL_III, **RATES)
    cols = [
        "ead",
        "expected_loss",
        "risk_weight",
        "risk_weighted_assets",
        "capital",
        "minimum_rate",
    ]
    assert np.isfinite(out[cols].to_numpy()).all()
    book = generate_book(60, seed=6, as_of=as_of)
    for f in book.facilities[:25]:
        row = out.loc[f.id]
        cap = facility_irb_capital(f, as_of=as_of, regime=BASEL_III)
        assert row["risk_weighted_assets"] == pytest.approx(
            cap.risk_weighted_assets, rel=1e-9
        )
        q = facility_price(f, regime=BASEL_III, **RATES)
        assert row["minimum_rate"] == pytest.approx(q.minimum_rate, rel=1e-9)
