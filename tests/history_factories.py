"""A hand-built book with every history, shared by the history tests (valid by design)."""

from __future__ import annotations

import datetime as dt

import attrs

from lendcrm import (
    Book,
    Collateral,
    CollateralKind,
    CollateralValuation,
    FacilityObservation,
    FinancialStatement,
    Money,
    RatingRecord,
    RelationshipMeasures,
    ValuationMethod,
)
from tests.factories import client, eur, facility

D = dt.date


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def measures(year: int, revenue: str = "100000.5") -> RelationshipMeasures:
    return RelationshipMeasures(
        period_end=D(year, 12, 31),
        revenue_to_bank=eur(revenue),
        profit_to_bank=eur("-2000.25"),
        product_count=year - 2020,
        transaction_count=10 * (year - 2020),
        last_transaction_on=D(year, 12, 1) if year > 2023 else None,
        referral_count=1,
    )


def history_book() -> Book:
    """Three clients, two facilities, every history, and clients without one."""
    ratings = (
        RatingRecord(
            rated_on=D(2024, 6, 30), grade="5", default_probability=0.01, rater="m-v3"
        ),
        RatingRecord(
            rated_on=D(2025, 6, 30),
            grade="6",
            override=True,
            override_reason="sector outlook",
        ),
    )
    statements = (
        FinancialStatement(
            period_end=D(2023, 12, 31),
            currency="EUR",
            revenue=eur("900000"),
            ebitda=eur("-50.5"),
            total_assets=eur("0.3"),  # 0.1 + 0.2: balances exactly in Decimal
            total_liabilities=eur("0.1"),
            equity=eur("0.2"),
        ),
        FinancialStatement(
            period_end=D(2024, 12, 31),
            currency="EUR",
            period_months=6,
            cash=eur("10"),
            capex=eur("10"),
            debt_service=eur("10"),
            equity=eur("-5"),
        ),
    )
    c1 = client(
        "C-1",
        measures_history=(measures(2023), measures(2024), measures(2025, "1.25")),
        measures=measures(2025, "1.25"),
        ratings=ratings,
        rating_grade="6",
        statements=statements,
    )
    c3 = client(
        "C-3",
        annual_revenue=usd("1000"),
        ratings=(RatingRecord(rated_on=D(2025, 1, 31), grade="2"),),
    )
    valued = Collateral(
        kind=CollateralKind.REAL_ESTATE,
        value=eur("1200000"),
        haircut=0.3,
        valuations=(
            CollateralValuation(valued_on=D(2024, 3, 31), value=eur("1000000")),
            CollateralValuation(
                valued_on=D(2025, 3, 31),
                value=eur("1200000"),
                method=ValuationMethod.INDEXED,
            ),
        ),
    )
    f1 = facility(
        "F-1",
        "C-1",
        collateral=(Collateral(kind=CollateralKind.CASH, value=eur("5")), valued),
        observations=tuple(
            FacilityObservation(
                period_end=D(2025, m, 28),
                drawn=eur(f"{m}000000.5"),
                limit=eur("10000000"),
                days_past_due=3 * m,
            )
            for m in (1, 2, 3)
        ),
    )
    f2 = facility(
        "F-2",
        "C-3",
        currency="USD",
        limit=usd("100"),
        drawn=usd("50"),
        pricing=attrs.evolve(facility().pricing, arrangement_fee=usd("0")),
        collateral=(
            Collateral(
                kind=CollateralKind.SECURITIES,
                value=usd("80"),
                valuations=(
                    CollateralValuation(
                        valued_on=D(2025, 5, 5),
                        value=usd("80"),
                        method=ValuationMethod.MARKET_PRICE,
                    ),
                ),
            ),
        ),
        observations=(
            FacilityObservation(
                period_end=D(2025, 3, 31),
                drawn=usd("120"),
                limit=usd("100"),
                days_past_due=95,
                in_default=True,
                forborne=True,
            ),
        ),
    )
    return Book(clients=(c1, client("C-2"), c3), facilities=(f1, f2))
