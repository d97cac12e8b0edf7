"""Hypothesis strategies for lendcrm's domain objects (STYLE Q2).

Amounts have at most 15 significant digits so that they obey the frames' lossless rule.
Clients and facilities carry random histories (measures, ratings, statements,
observations, collateral valuations): zero to three dated records each, oldest first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from lendcrm import (
    Book,
    CashFlow,
    Client,
    ClientId,
    Collateral,
    CollateralKind,
    CollateralValuation,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Drawdown,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityObservation,
    FacilityStatus,
    Feedback,
    FeedbackChannel,
    FinancialStatement,
    Guarantee,
    Milestone,
    Money,
    Pricing,
    Project,
    ProjectId,
    ProjectPhase,
    RatingRecord,
    Referral,
    RelationshipMeasures,
    Sector,
    Seniority,
    Sponsor,
    TestFrequency,
    ValuationMethod,
)
from lendcrm._history import STATEMENT_AMOUNTS

CURRENCIES = ("EUR", "USD", "GBP", "JPY", "CHF")
COUNTRIES = ("DE", "FR", "PL", "US", "GB", "JP", "BR")

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
texts = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != "")
ids = st.text(alphabet="ABCDEFGHJK0123456789-", min_size=1, max_size=6)


def amounts(min_cents: int = 0, max_cents: int = 10**14) -> st.SearchStrategy[Decimal]:
    """Exact decimals with two places (at most 16 digits, within float64's 15)."""
    return st.integers(min_value=min_cents, max_value=max_cents).map(
        lambda c: Decimal(c).scaleb(-2)
    )


def money(currency: str = "EUR", min_cents: int = 0) -> st.SearchStrategy[Money]:
    return amounts(min_cents=min_cents).map(lambda a: Money(a, currency))


def signed_money(currency: str = "EUR") -> st.SearchStrategy[Money]:
    return amounts(-(10**12), 10**12).map(lambda a: Money(a, currency))


@st.composite
def measures(
    draw: st.DrawFn, currency: str = "EUR", end: dt.date | None = None
) -> RelationshipMeasures:
    end = draw(dates) if end is None else end
    last = draw(st.none() | st.dates(max_value=end, min_value=dt.date(1999, 1, 1)))
    return RelationshipMeasures(
        period_end=end,
        revenue_to_bank=draw(money(currency)),
        profit_to_bank=draw(signed_money(currency)),
        product_count=draw(st.integers(0, 30)),
        transaction_count=draw(st.integers(0, 10_000)),
        last_transaction_on=last,
        referral_count=draw(st.integers(0, 20)),
    )


def history_dates(max_size: int = 3) -> st.SearchStrategy[list[dt.date]]:
    """Distinct dates, oldest first: the dates of one history."""
    return st.lists(dates, max_size=max_size, unique=True).map(sorted)


GRADES = ("AAA", "BB+", "C")
#: Statement amounts that may be negative.
SIGNED_AMOUNTS = frozenset(
    {"ebitda", "ebit", "net_debt", "equity", "operating_cash_flow"}
)


@st.composite
def rating_records(draw: st.DrawFn, on: dt.date) -> RatingRecord:
    override = draw(st.booleans())
    return RatingRecord(
        rated_on=on,
        grade=draw(st.sampled_from(GRADES)),
        default_probability=draw(st.none() | fractions),
        rater=draw(st.sampled_from(("", "corp-model-v3", "J. Doe"))),
        override=override,
        override_reason=draw(texts if override else st.none() | texts),
    )


@st.composite
def statements(draw: st.DrawFn, on: dt.date, currency: str) -> FinancialStatement:
    amounts: dict[str, Money | None] = {
        name: draw(
            st.none()
            | (signed_money(currency) if name in SIGNED_AMOUNTS else money(currency))
        )
        for name in STATEMENT_AMOUNTS
    }
    liabilities, equity = amounts["total_liabilities"], amounts["equity"]
    if amounts["total_assets"] is not None and liabilities and equity:
        total = liabilities + equity  # the balance sheet balances where all are given
        amounts["total_assets"] = total if total.amount >= 0 else None
    return FinancialStatement(
        period_end=on,
        currency=currency,
        period_months=draw(st.sampled_from((3, 6, 12))),
        **amounts,
    )


@st.composite
def observations(draw: st.DrawFn, currency: str) -> tuple[FacilityObservation, ...]:
    return tuple(
        FacilityObservation(
            period_end=on,
            drawn=draw(money(currency)),
            limit=draw(money(currency)),
            days_past_due=draw(st.integers(0, 400)),
            in_default=draw(st.booleans()),
            forborne=draw(st.booleans()),
        )
        for on in draw(history_dates())
    )


@st.composite
def collaterals(draw: st.DrawFn, currency: str) -> Collateral:
    return Collateral(
        kind=draw(st.sampled_from(CollateralKind)),
        value=draw(money(currency)),
        haircut=draw(fractions),
        valuations=tuple(
            CollateralValuation(
                valued_on=on,
                value=draw(money(currency)),
                method=draw(st.sampled_from(ValuationMethod)),
            )
            for on in draw(history_dates(2))
        ),
    )


feedbacks = st.builds(
    Feedback,
    on=dates,
    channel=st.sampled_from(FeedbackChannel),
    score=st.integers(0, 10),
    text=st.text(max_size=20),
)


@st.composite
def clients(
    draw: st.DrawFn, cid: str | None = None, parent: str | None = None
) -> Client:
    cid = cid if cid is not None else draw(ids)
    currency = draw(st.sampled_from(CURRENCIES))
    referees = draw(st.lists(ids.filter(lambda x: x != cid), max_size=2))
    history = tuple(draw(measures(currency, end=on)) for on in draw(history_dates()))
    ratings = tuple(draw(rating_records(on)) for on in draw(history_dates()))
    statement_currency = draw(st.sampled_from(CURRENCIES))
    spread = tuple(
        draw(statements(on, statement_currency)) for on in draw(history_dates(2))
    )
    grade = draw(
        st.none() | (st.just(ratings[-1].grade) if ratings else st.sampled_from(GRADES))
    )
    return Client(
        id=ClientId(cid),
        legal_name=draw(texts),
        sector=draw(st.sampled_from(Sector)),
        country=draw(st.sampled_from(COUNTRIES)),
        onboarded_on=draw(dates),
        annual_revenue=draw(money(currency)),
        parent_id=None if parent is None else ClientId(parent),
        measures=history[-1] if history else draw(st.none() | measures(currency)),
        feedback=tuple(draw(st.lists(feedbacks, max_size=3))),
        referrals=tuple(
            Referral(
                referrer=ClientId(cid),
                referee=ClientId(r),
                on=draw(dates),
                converted_amount=draw(
                    st.none() | money(draw(st.sampled_from(CURRENCIES)))
                ),
            )
            for r in referees
        ),
        rating_grade=grade,
        default_probability=draw(st.none() | fractions),
        on_watchlist=draw(st.booleans()),
        measures_history=history,
        ratings=ratings,
        statements=spread,
    )


@st.composite
def covenants(draw: st.DrawFn) -> Covenant:
    op = draw(st.sampled_from(CovenantOperator))
    levels = sorted(draw(st.lists(st.floats(0.5, 10.0), min_size=3, max_size=3)))
    if op is CovenantOperator.AT_LEAST:
        levels.reverse()
    return Covenant(
        metric=draw(st.sampled_from(CovenantMetric)),
        operator=op,
        threshold=levels[0],
        lock_up_level=draw(st.none() | st.just(levels[1])),
        default_level=draw(st.none() | st.just(levels[2])),
        test_frequency=draw(st.sampled_from(TestFrequency)),
    )


@st.composite
def facilities(
    draw: st.DrawFn, fid: str | None = None, cid: str = "C", pid: str | None = None
) -> Facility:
    currency = draw(st.sampled_from(CURRENCIES))
    limit = draw(money(currency))
    overdraw = draw(st.booleans())
    drawn_cents = draw(st.integers(0, int(limit.amount * 100) * (2 if overdraw else 1)))
    start = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)))
    return Facility(
        id=FacilityId(fid if fid is not None else draw(ids)),
        client_id=ClientId(cid),
        project_id=None if pid is None else ProjectId(pid),
        kind=draw(st.sampled_from(FacilityKind)),
        currency=currency,
        limit=limit,
        drawn=Money(Decimal(drawn_cents).scaleb(-2), currency),
        start_on=start,
        maturity_on=start + dt.timedelta(days=draw(st.integers(1, 365 * 30))),
        seniority=draw(st.sampled_from(Seniority)),
        pricing=Pricing(
            reference_rate=draw(st.sampled_from(("EURIBOR_3M", "SOFR", "FIXED"))),
            margin_bps=draw(st.integers(-50, 1500)),
            arrangement_fee=draw(money(currency)),
            commitment_fee_bps=draw(st.integers(0, 200)),
        ),
        status=draw(st.sampled_from(FacilityStatus)),
        collateral=tuple(draw(st.lists(collaterals(currency), max_size=2))),
        guarantees=tuple(
            draw(
                st.lists(
                    st.builds(
                        Guarantee,
                        covered=money(currency, min_cents=1),
                        guarantor_id=st.none() | ids.map(ClientId),
                        guarantor_name=texts,
                        guarantor_default_probability=st.none() | fractions,
                    ),
                    max_size=2,
                )
            )
        ),
        covenants=tuple(draw(st.lists(covenants(), max_size=2))),
        allows_overdraw=overdraw,
        default_probability=draw(st.none() | fractions),
        loss_given_default=draw(st.none() | fractions),
        credit_conversion_factor=draw(st.none() | fractions),
        observations=draw(observations(currency)),
    )


@st.composite
def projects(draw: st.DrawFn, pid: str | None = None) -> Project:
    currency = draw(st.sampled_from(CURRENCIES))
    debt = draw(amounts(0, 10**13))
    equity = draw(amounts(1, 10**13))
    n = draw(st.integers(1, 4))
    shares = [1.0 / n] * n
    names = draw(st.lists(texts, unique=True, max_size=3))
    milestones = []
    for name in names:
        done = draw(st.booleans())
        planned = draw(dates)
        milestones.append(
            Milestone(
                name=name,
                planned_on=planned,
                actual_on=draw(dates) if done else None,
                percent_complete=100.0 if done else draw(st.floats(0, 100)),
                certified_by=draw(st.none() | texts),
            )
        )
    draw_dates = sorted(draw(st.lists(dates, max_size=3)))
    remaining = int(debt * 100)
    drawdowns = []
    for d in draw_dates:
        if remaining < 1:
            break
        cents = draw(st.integers(1, remaining))
        remaining -= cents
        drawdowns.append(
            Drawdown(on=d, amount=Money(Decimal(cents).scaleb(-2), currency))
        )
    periods = sorted(set(draw(st.lists(dates, max_size=3))))
    return Project(
        id=ProjectId(pid if pid is not None else draw(ids)),
        name=draw(texts),
        sponsors=tuple(
            Sponsor(sponsor_id=ClientId(f"S{i}"), equity_share=s)
            for i, s in enumerate(shares)
        ),
        sector=draw(st.sampled_from(Sector)),
        country=draw(st.sampled_from(COUNTRIES)),
        total_cost=Money(debt + equity, currency),
        debt=Money(debt, currency),
        equity=Money(equity, currency),
        phase=draw(st.sampled_from(ProjectPhase)),
        milestones=tuple(milestones),
        drawdowns=tuple(drawdowns),
        cash_flows=tuple(
            CashFlow(
                period_end=p,
                cfads=draw(signed_money(currency)),
                debt_service=draw(st.none() | money(currency)),
            )
            for p in periods
        ),
    )


@st.composite
def books(draw: st.DrawFn, max_clients: int = 4) -> Book:
    n = draw(st.integers(1, max_clients))
    cids = [f"C{i}" for i in range(n)]
    client_list = [
        draw(
            clients(cid, parent=None if i == 0 or draw(st.booleans()) else cids[i - 1])
        )
        for i, cid in enumerate(cids)
    ]
    pids = [f"P{i}" for i in range(draw(st.integers(0, 2)))]
    project_list = [draw(projects(p)) for p in pids]
    facility_list = [
        draw(
            facilities(
                f"F{i}",
                draw(st.sampled_from(cids)),
                draw(st.none() | st.sampled_from(pids)) if pids else None,
            )
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    return Book(
        clients=tuple(client_list),
        facilities=tuple(facility_list),
        projects=tuple(project_list),
    )
