"""Books with histories for the signals tests, and their history frames.

`history_frames` writes the five frames `signals_from_history` reads straight from the
entities (independent of `lendcrm.frames`), so the batch can be compared with the
one-client `client_signals` on any book; `books_with_histories` draws such books.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import strategies as st

from lendcrm import (
    Book,
    Client,
    ClientId,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityObservation,
    FacilityStatus,
    Money,
    Pricing,
    RatingRecord,
    RelationshipMeasures,
    Sector,
    Seniority,
)
from lendcrm.frames import columns as schema

GRADES = tuple(str(g) for g in range(1, 11))


def _dates(values: list[dt.date]) -> pd.Series:
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")


def history_frames(book: Book, *, categorical: bool = False) -> dict[str, pd.DataFrame]:
    """The clients, facilities, measures, ratings and observations frames of a book.

    ``categorical``: write the child frames' ids as categoricals whose categories are
    the owners' ids (the fast path).
    """
    client_ids = [str(c.id) for c in book.clients]
    facility_ids = [str(f.id) for f in book.facilities]

    def ids(values: list[str], owners: list[str]) -> pd.Series:
        if categorical:
            return pd.Series(pd.Categorical(values, categories=pd.Index(owners)))
        return pd.Series(values, dtype="str")

    periods = [(str(c.id), m) for c in book.clients for m in c.measures_history]
    ratings = [(str(c.id), r) for c in book.clients for r in c.ratings]
    obs = [(str(f.id), o) for f in book.facilities for o in f.observations]
    return {
        "clients": pd.DataFrame(
            {
                schema.CLIENT_ID: pd.Series(client_ids, dtype="str"),
                schema.ONBOARDED_ON: _dates([c.onboarded_on for c in book.clients]),
                schema.ON_WATCHLIST: [c.on_watchlist for c in book.clients],
            }
        ),
        "facilities": pd.DataFrame(
            {
                schema.FACILITY_ID: pd.Series(facility_ids, dtype="str"),
                schema.CLIENT_ID: ids(
                    [str(f.client_id) for f in book.facilities], client_ids
                ),
                schema.CURRENCY: pd.Series(
                    [f.currency for f in book.facilities], dtype="str"
                ),
                schema.DRAWN: [float(f.drawn.amount) for f in book.facilities],
                schema.START_ON: _dates([f.start_on for f in book.facilities]),
            }
        ),
        "measures": pd.DataFrame(
            {
                schema.CLIENT_ID: ids([c for c, _ in periods], client_ids),
                schema.MEASURED_ON: _dates([m.period_end for _, m in periods]),
                schema.REVENUE_TO_BANK: [
                    float(m.revenue_to_bank.amount) for _, m in periods
                ],
                schema.PRODUCT_COUNT: pd.Series(
                    [m.product_count for _, m in periods], dtype="int64"
                ),
            }
        ),
        "ratings": pd.DataFrame(
            {
                schema.CLIENT_ID: ids([c for c, _ in ratings], client_ids),
                schema.RATED_ON: _dates([r.rated_on for _, r in ratings]),
                schema.RATING_GRADE: pd.Series(
                    [r.grade for _, r in ratings], dtype="str"
                ),
            }
        ),
        "observations": pd.DataFrame(
            {
                schema.FACILITY_ID: ids([f for f, _ in obs], facility_ids),
                schema.PERIOD_END: _dates([o.period_end for _, o in obs]),
                schema.DRAWN: [float(o.drawn.amount) for _, o in obs],
                schema.LIMIT: [float(o.limit.amount) for _, o in obs],
                schema.SIG_DAYS_PAST_DUE: pd.Series(
                    [o.days_past_due for _, o in obs], dtype="int64"
                ),
            }
        ),
    }


def money(amount: str | Decimal, currency: str = "EUR") -> Money:
    return Money.of(amount, currency)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def facility(
    fid: str,
    cid: str,
    *,
    start_on: dt.date = dt.date(2020, 1, 15),
    drawn: str = "0",
    limit: str = "1000",
    currency: str = "EUR",
    observations: tuple[FacilityObservation, ...] = (),
) -> Facility:
    return Facility(
        id=FacilityId(fid),
        client_id=ClientId(cid),
        kind=FacilityKind.TERM_LOAN,
        currency=currency,
        limit=money(limit, currency),
        drawn=money(drawn, currency),
        start_on=start_on,
        maturity_on=dt.date(2035, 1, 15),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=200,
            arrangement_fee=money("0", currency),
        ),
        status=FacilityStatus.ACTIVE,
        observations=observations,
    )


def client(
    cid: str,
    *,
    onboarded_on: dt.date = dt.date(2018, 3, 10),
    on_watchlist: bool = False,
    periods: tuple[RelationshipMeasures, ...] = (),
    ratings: tuple[RatingRecord, ...] = (),
) -> Client:
    return Client(
        id=ClientId(cid),
        legal_name=f"Client {cid}",
        sector=Sector.MANUFACTURING,
        country="DE",
        onboarded_on=onboarded_on,
        annual_revenue=money("1000000"),
        on_watchlist=on_watchlist,
        measures=periods[-1] if periods else None,
        measures_history=periods,
        ratings=ratings,
    )


def period(day: dt.date, revenue: str, products: int = 1) -> RelationshipMeasures:
    return RelationshipMeasures(
        period_end=day,
        revenue_to_bank=money(revenue),
        profit_to_bank=money("0"),
        product_count=products,
    )


def observation(
    day: dt.date, drawn: str, limit: str = "1000", dpd: int = 0, currency: str = "EUR"
) -> FacilityObservation:
    return FacilityObservation(
        period_end=day,
        drawn=money(drawn, currency),
        limit=money(limit, currency),
        days_past_due=dpd,
    )


# --- hypothesis -------------------------------------------------------------------------

#: Candidate record dates: the 15th and the last day of each month, Oct 2023 - Mar 2026.
_DAYS = sorted(
    d
    for y in (2023, 2024, 2025, 2026)
    for m in range(1, 13)
    for d in (dt.date(y, m, 15), month_end(y, m))
    if dt.date(2023, 10, 1) <= d <= dt.date(2026, 3, 31)
)
_AMOUNTS = ("0", "100", "250.5", "400", "1000", "1500")


@st.composite
def _facility(draw: st.DrawFn, fid: str, cid: str) -> Facility:
    currency = draw(st.sampled_from(("EUR", "EUR", "USD")))
    days = sorted(draw(st.sets(st.sampled_from(_DAYS), max_size=8)))
    observations = tuple(
        observation(
            d,
            draw(st.sampled_from(_AMOUNTS)),
            draw(st.sampled_from(("0", "1000", "2000"))),
            draw(st.integers(0, 120)),
            currency,
        )
        for d in days
    )
    return facility(
        fid,
        cid,
        currency=currency,
        start_on=draw(st.dates(dt.date(2022, 1, 1), dt.date(2026, 2, 28))),
        drawn=draw(st.sampled_from(("0", "500"))),
        observations=observations,
    )


@st.composite
def _client(draw: st.DrawFn, cid: str) -> Client:
    days = sorted(draw(st.sets(st.sampled_from(_DAYS), max_size=6)))
    periods = tuple(
        period(d, draw(st.sampled_from(_AMOUNTS)), draw(st.integers(0, 5)))
        for d in days
    )
    rated = sorted(
        draw(st.sets(st.dates(dt.date(2023, 6, 1), dt.date(2026, 3, 31)), max_size=4))
    )
    return client(
        cid,
        onboarded_on=draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 3, 31))),
        on_watchlist=draw(st.booleans()),
        periods=periods,
        ratings=tuple(
            RatingRecord(rated_on=d, grade=draw(st.sampled_from(GRADES))) for d in rated
        ),
    )


@st.composite
def books_with_histories(draw: st.DrawFn, max_clients: int = 4) -> Book:
    """Books of up to ``max_clients`` clients with random, valid histories."""
    n = draw(st.integers(1, max_clients))
    clients = [draw(_client(f"C-{i}")) for i in range(n)]
    owners = draw(st.lists(st.integers(0, n - 1), max_size=6))
    facilities = [draw(_facility(f"F-{j}", f"C-{o}")) for j, o in enumerate(owners)]
    return Book(clients=tuple(clients), facilities=tuple(facilities))


#: Dates the properties are checked at (a month end, a mid-month day, a leap-year end).
AS_OF_DATES = (dt.date(2025, 12, 31), dt.date(2025, 6, 15), dt.date(2026, 2, 28))
