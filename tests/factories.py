"""Small hand-built entities shared by the core tests (valid by construction)."""

from __future__ import annotations

import datetime as dt

from lendcrm import (
    CashFlow,
    Client,
    ClientId,
    Collateral,
    CollateralKind,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Drawdown,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Feedback,
    FeedbackChannel,
    Guarantee,
    Milestone,
    Money,
    Pricing,
    Project,
    ProjectId,
    ProjectPhase,
    Referral,
    RelationshipMeasures,
    Sector,
    Seniority,
    Sponsor,
    TestFrequency,
)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def client(cid: str = "C-1", **changes: object) -> Client:
    fields: dict[str, object] = {
        "id": ClientId(cid),
        "legal_name": f"Client {cid} GmbH",
        "sector": Sector.MANUFACTURING,
        "country": "DE",
        "onboarded_on": dt.date(2020, 1, 1),
        "annual_revenue": eur("50000000"),
    }
    fields.update(changes)
    return Client(**fields)  # type: ignore[arg-type]


def rich_client(cid: str = "C-1") -> Client:
    return client(
        cid,
        measures=RelationshipMeasures(
            period_end=dt.date(2025, 12, 31),
            revenue_to_bank=eur("120000.50"),
            profit_to_bank=eur("-3000.25"),
            product_count=3,
            transaction_count=120,
            last_transaction_on=dt.date(2025, 12, 20),
            referral_count=1,
        ),
        feedback=(
            Feedback(
                on=dt.date(2025, 6, 1),
                channel=FeedbackChannel.SURVEY,
                score=9,
                text="Quick answers",
            ),
            Feedback(
                on=dt.date(2025, 9, 1), channel=FeedbackChannel.COMPLAINT, score=3
            ),
        ),
        referrals=(
            Referral(
                referrer=ClientId(cid),
                referee=ClientId("X-9"),
                on=dt.date(2025, 3, 3),
                converted_amount=eur("1000000"),
            ),
        ),
        rating_grade="BB+",
        default_probability=0.0125,
        on_watchlist=True,
    )


def pricing(currency: str = "EUR") -> Pricing:
    return Pricing(
        reference_rate="EURIBOR_3M",
        margin_bps=225,
        arrangement_fee=Money.of("50000", currency),
        commitment_fee_bps=60,
    )


def facility(fid: str = "F-1", cid: str = "C-1", **changes: object) -> Facility:
    fields: dict[str, object] = {
        "id": FacilityId(fid),
        "client_id": ClientId(cid),
        "kind": FacilityKind.TERM_LOAN,
        "currency": "EUR",
        "limit": eur("10000000"),
        "drawn": eur("7500000"),
        "start_on": dt.date(2024, 1, 15),
        "maturity_on": dt.date(2031, 1, 15),
        "seniority": Seniority.SENIOR_SECURED,
        "pricing": pricing(),
        "status": FacilityStatus.ACTIVE,
    }
    fields.update(changes)
    return Facility(**fields)  # type: ignore[arg-type]


def rich_facility(
    fid: str = "F-1", cid: str = "C-1", pid: str | None = "P-1"
) -> Facility:
    return facility(
        fid,
        cid,
        project_id=None if pid is None else ProjectId(pid),
        kind=FacilityKind.CONSTRUCTION_LOAN,
        collateral=(
            Collateral(
                kind=CollateralKind.PROJECT_ASSETS, value=eur("12000000"), haircut=0.4
            ),
            Collateral(kind=CollateralKind.CASH, value=eur("500000.01")),
        ),
        guarantees=(
            Guarantee(
                covered=eur("2000000"),
                guarantor_id=ClientId("S-1"),
                guarantor_name="Sponsor One AG",
                guarantor_default_probability=0.004,
            ),
        ),
        covenants=(
            Covenant(
                metric=CovenantMetric.DSCR,
                operator=CovenantOperator.AT_LEAST,
                threshold=1.2,
                lock_up_level=1.1,
                default_level=1.05,
                test_frequency=TestFrequency.SEMI_ANNUAL,
            ),
            Covenant(
                metric=CovenantMetric.NET_DEBT_TO_EBITDA,
                operator=CovenantOperator.AT_MOST,
                threshold=4.0,
            ),
        ),
        default_probability=0.02,
        loss_given_default=0.35,
        credit_conversion_factor=0.75,
    )


def project(pid: str = "P-1", **changes: object) -> Project:
    fields: dict[str, object] = {
        "id": ProjectId(pid),
        "name": f"Wind farm {pid}",
        "sponsors": (
            Sponsor(sponsor_id=ClientId("S-1"), equity_share=0.7),
            Sponsor(sponsor_id=ClientId("S-2"), equity_share=0.3),
        ),
        "sector": Sector.ELECTRICITY_GAS_STEAM,
        "country": "PL",
        "total_cost": eur("400000000"),
        "debt": eur("300000000"),
        "equity": eur("100000000"),
        "phase": ProjectPhase.CONSTRUCTION,
    }
    fields.update(changes)
    return Project(**fields)  # type: ignore[arg-type]


def rich_project(pid: str = "P-1") -> Project:
    return project(
        pid,
        milestones=(
            Milestone(
                name="foundations",
                planned_on=dt.date(2025, 6, 30),
                actual_on=dt.date(2025, 7, 12),
                percent_complete=100.0,
                certified_by="J. Smith, technical adviser",
            ),
            Milestone(
                name="turbines", planned_on=dt.date(2026, 6, 30), percent_complete=35.5
            ),
        ),
        drawdowns=(
            Drawdown(on=dt.date(2025, 1, 31), amount=eur("50000000")),
            Drawdown(on=dt.date(2025, 7, 31), amount=eur("75000000.25")),
        ),
        cash_flows=(
            CashFlow(period_end=dt.date(2027, 6, 30), cfads=eur("-1000000")),
            CashFlow(
                period_end=dt.date(2027, 12, 31),
                cfads=eur("26000000"),
                debt_service=eur("20000000"),
            ),
        ),
    )
