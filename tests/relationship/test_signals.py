"""Signals from histories: hand-computed values per signal, batch equals one client.

Every expected value below is worked out by hand in the comment beside it, from the
formulas and windows stated in `signals_from_history`'s docstring.
"""

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import Book, RatingRecord
from lendcrm.errors import (
    InvalidValueError,
)
from lendcrm.frames import book_frames
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import SIGNAL_SPECS, StageRules
from lendcrm.lifecycle.frames import assess_stages, signals_from_frame
from lendcrm.relationship import RelationshipModels, client_signals
from lendcrm.relationship.frames import (
    book_signals,
    relationship_frame,
    signals_from_history,
)
from tests.relationship.history_books import (
    AS_OF_DATES,
    books_with_histories,
    client,
    facility,
    history_frames,
    month_end,
    observation,
    period,
)

AS_OF = dt.date(2025, 12, 31)
D = dt.date
SIG_NAMES = [s.name for s in SIGNAL_SPECS]


def run(frames: dict[str, Any], as_of: Any = AS_OF, **kwargs: Any) -> pd.DataFrame:
    """`signals_from_history` of the five frames (``as_of`` untyped: bad ones too)."""
    return signals_from_history(
        frames["clients"],
        frames["facilities"],
        frames["measures"],
        frames["ratings"],
        frames["observations"],
        as_of=as_of,
        **kwargs,
    )


def signals_of(book: Book, as_of: dt.date = AS_OF, **kwargs: Any) -> pd.DataFrame:
    return run(history_frames(book), as_of, **kwargs)


def row_of(
    book: Book, cid: str = "C-1", as_of: dt.date = AS_OF, **kwargs: Any
) -> pd.Series:
    frame = signals_of(book, as_of, **kwargs)
    return frame.set_index(schema.CLIENT_ID).loc[cid]  # type: ignore[return-value]


# --- one signal at a time, by hand ------------------------------------------------------


def test_revenue_growth_and_product_change_compare_with_the_same_month_a_year_back():
    # latest period Nov 2025 (Dec 2025 is after as_of 2025-11-30): 130 vs Nov 2024: 100
    periods = (
        period(D(2024, 10, 31), "90", 1),
        period(D(2024, 11, 30), "100", 2),
        period(D(2025, 10, 31), "120", 2),
        period(D(2025, 11, 30), "130", 4),
        period(D(2025, 12, 31), "999", 9),
    )
    row = row_of(Book(clients=(client("C-1", periods=periods),)), as_of=D(2025, 11, 30))
    assert row[schema.SIG_REVENUE_GROWTH_YOY] == pytest.approx(0.3)  # 130/100 - 1
    assert row[schema.SIG_PRODUCT_COUNT_CHANGE] == 2  # 4 - 2


def test_growth_without_a_base_is_plus_one_when_there_is_something_now():
    # only Dec 2025: no Dec 2024 period -> a new relationship counts +100 %
    new = client(
        "C-1",
        periods=(period(D(2024, 11, 30), "50", 1), period(D(2025, 12, 31), "80", 3)),
    )
    row = row_of(Book(clients=(new,)))
    assert row[schema.SIG_REVENUE_GROWTH_YOY] == 1.0
    assert row[schema.SIG_PRODUCT_COUNT_CHANGE] == 3  # 3 - 0 (nothing a year back)
    zero = client(
        "C-1",
        periods=(period(D(2024, 12, 31), "0", 1), period(D(2025, 12, 31), "0", 1)),
    )
    assert row_of(Book(clients=(zero,)))[schema.SIG_REVENUE_GROWTH_YOY] == 0.0
    lost = client(
        "C-1",
        periods=(period(D(2024, 12, 31), "40", 1), period(D(2025, 12, 31), "0", 0)),
    )
    assert row_of(Book(clients=(lost,)))[schema.SIG_REVENUE_GROWTH_YOY] == -1.0


def test_exposure_and_utilisation_sum_the_facilities_observed_in_the_month():
    c = client("C-1")
    f1 = facility(
        "F-1",
        "C-1",
        observations=(
            observation(D(2024, 12, 31), "400", "1000"),
            observation(D(2025, 12, 15), "700", "1000"),  # earlier in the month
            observation(D(2025, 12, 31), "600", "1000", dpd=5),  # the month's latest
        ),
    )
    f2 = facility(
        "F-2",
        "C-1",
        observations=(
            observation(D(2024, 12, 31), "100", "1000", dpd=90),
            observation(D(2025, 12, 31), "300", "1000", dpd=31),
        ),
    )
    f3 = facility(
        "F-3",
        "C-1",
        observations=(  # not observed in Dec 2025: left out
            observation(D(2024, 12, 31), "500", "500"),
            observation(D(2025, 11, 30), "500", "500", dpd=200),
        ),
    )
    row = row_of(Book(clients=(c,), facilities=(f1, f2, f3)))
    # now: 600 + 300 = 900 of 2000; a year back: 400 + 100 + 500 = 1000 of 2500
    assert row[schema.SIG_EXPOSURE_GROWTH_YOY] == pytest.approx(-0.1)  # 900/1000 - 1
    assert row[schema.SIG_UTILISATION_CHANGE] == pytest.approx(0.45 - 0.40)
    assert row[schema.SIG_DAYS_PAST_DUE] == 31  # worst now (F-3's 200 is not now)


def test_the_period_is_the_latest_observation_on_or_before_as_of():
    f = facility(
        "F-1",
        "C-1",
        observations=(
            observation(D(2024, 9, 30), "200", "1000"),
            observation(D(2025, 9, 30), "500", "1000", dpd=10),
            observation(D(2025, 12, 31), "900", "1000", dpd=99),  # after as_of: ignored
        ),
    )
    row = row_of(Book(clients=(client("C-1"),), facilities=(f,)), as_of=D(2025, 10, 20))
    assert row[schema.SIG_EXPOSURE_GROWTH_YOY] == pytest.approx(1.5)  # 500/200 - 1
    assert row[schema.SIG_UTILISATION_CHANGE] == pytest.approx(0.3)  # 0.5 - 0.2
    assert row[schema.SIG_DAYS_PAST_DUE] == 10


def test_utilisation_is_clipped_and_no_base_means_no_change():
    over = facility(
        "F-1",
        "C-1",
        observations=(
            observation(D(2024, 12, 31), "500", "1000"),
            observation(D(2025, 12, 31), "1500", "1000"),  # overdrawn: counts as 1.0
        ),
    )
    row = row_of(Book(clients=(client("C-1"),), facilities=(over,)))
    assert row[schema.SIG_UTILISATION_CHANGE] == pytest.approx(0.5)  # 1.0 - 0.5
    assert row[schema.SIG_EXPOSURE_GROWTH_YOY] == pytest.approx(2.0)  # 1500/500 - 1
    new = facility("F-1", "C-1", observations=(observation(D(2025, 12, 31), "800"),))
    row = row_of(Book(clients=(client("C-1"),), facilities=(new,)))
    assert row[schema.SIG_UTILISATION_CHANGE] == 0.0
    assert row[schema.SIG_EXPOSURE_GROWTH_YOY] == 1.0


def test_rating_notches_from_the_grade_in_force_a_year_before():
    ratings = (
        RatingRecord(rated_on=D(2024, 3, 31), grade="3"),
        RatingRecord(rated_on=D(2024, 12, 31), grade="4"),  # in force on 2024-12-31
        RatingRecord(rated_on=D(2025, 8, 1), grade="7"),
        RatingRecord(rated_on=D(2026, 1, 15), grade="1"),  # after as_of
    )
    row = row_of(Book(clients=(client("C-1", ratings=ratings),)))
    assert (
        row[schema.SIG_RATING_NOTCHES_MOVED] == 3
    )  # grade 7 (pos 6) - grade 4 (pos 3)


def test_a_client_first_rated_in_the_window_is_compared_with_its_first_rating():
    ratings = (
        RatingRecord(rated_on=D(2025, 3, 1), grade="6"),
        RatingRecord(rated_on=D(2025, 9, 1), grade="4"),
    )
    row = row_of(Book(clients=(client("C-1", ratings=ratings),)))
    assert row[schema.SIG_RATING_NOTCHES_MOVED] == -2  # upgraded 6 -> 4
    unrated = row_of(Book(clients=(client("C-1"),)))
    assert unrated[schema.SIG_RATING_NOTCHES_MOVED] == 0


def test_notches_on_a_scale_of_your_own():
    ratings = (
        RatingRecord(rated_on=D(2024, 6, 30), grade="BBB"),
        RatingRecord(rated_on=D(2025, 6, 30), grade="BB"),
    )
    row = row_of(
        Book(clients=(client("C-1", ratings=ratings),)),
        grades=("AAA", "AA", "A", "BBB", "BB", "B"),
    )
    assert row[schema.SIG_RATING_NOTCHES_MOVED] == 1


def test_months_since_first_drawdown_from_the_first_drawn_observation():
    later = facility(
        "F-1",
        "C-1",
        start_on=D(2024, 11, 15),
        observations=(
            observation(D(2024, 11, 30), "0"),
            observation(D(2024, 12, 31), "0"),
            observation(D(2025, 3, 31), "250.5"),  # first drawn: 2025-03-31
            observation(D(2025, 6, 30), "0"),
        ),
    )
    row = row_of(Book(clients=(client("C-1"),), facilities=(later,)))
    assert row[schema.SIG_HAS_DRAWN]
    assert row[schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN] == 9  # 2025-03-31 -> 2025-12-31


def test_a_history_that_starts_drawn_counts_from_the_facility_start():
    early = facility(
        "F-1",
        "C-1",
        start_on=D(2019, 2, 20),
        observations=(observation(D(2024, 12, 31), "100"),),
    )
    undrawn = facility(
        "F-2",
        "C-1",
        start_on=D(2023, 1, 1),
        observations=(observation(D(2025, 12, 31), "0"),),
    )
    row = row_of(Book(clients=(client("C-1"),), facilities=(early, undrawn)))
    assert row[schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN] == 82  # 2019-02-20 -> 2025-12-31
    assert row[schema.SIG_HAS_FACILITY]


def test_a_facility_without_history_counts_from_its_start_if_drawn():
    legacy = facility("F-1", "C-1", start_on=D(2025, 4, 30), drawn="10")
    assert (
        row_of(Book(clients=(client("C-1"),), facilities=(legacy,)))[
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN
        ]
        == 8
    )  # 2025-04-30 -> 2025-12-31
    undrawn = facility("F-1", "C-1", start_on=D(2025, 4, 30), drawn="0")
    row = row_of(Book(clients=(client("C-1"),), facilities=(undrawn,)))
    assert row[schema.SIG_HAS_FACILITY]
    assert not row[schema.SIG_HAS_DRAWN]
    assert row[schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN] == 0
    # drawn only after as_of, or a facility signed after as_of
    future = facility("F-1", "C-1", start_on=D(2026, 1, 10), drawn="10")
    row = row_of(Book(clients=(client("C-1"),), facilities=(future,)))
    assert not row[schema.SIG_HAS_FACILITY]
    assert not row[schema.SIG_HAS_DRAWN]


def test_tenure_and_watchlist():
    c = client("C-1", onboarded_on=D(2023, 1, 31), on_watchlist=True)
    row = row_of(Book(clients=(c,)), as_of=D(2025, 2, 28))
    assert row[schema.SIG_TENURE_MONTHS] == 24  # 28 Feb is before day 31: 24 whole
    assert row[schema.SIG_ON_WATCHLIST]
    assert (
        row_of(Book(clients=(c,)), as_of=D(2022, 1, 1))[schema.SIG_TENURE_MONTHS] == 0
    )


def test_covenant_results_sum_breaches_and_keep_the_weakest_headroom():
    book = Book(
        clients=(client("C-1"), client("C-2")),
        facilities=(
            facility("F-1", "C-1"),
            facility("F-2", "C-1"),
            facility("F-3", "C-2"),
        ),
    )
    covenants = pd.DataFrame(
        {
            schema.FACILITY_ID: ["F-1", "F-2", "F-3"],
            "covenant_breaches_12m": [1, 2, 0],
            schema.SIG_DSCR_HEADROOM: [0.15, -0.05, np.nan],
        }
    )
    frame = signals_of(book, covenants=covenants).set_index(schema.CLIENT_ID)
    assert frame.loc["C-1", schema.SIG_COVENANT_BREACHES] == 3
    assert frame.loc["C-1", schema.SIG_HAS_DSCR]
    assert frame.loc["C-1", schema.SIG_DSCR_HEADROOM] == -0.05
    assert not frame.loc["C-2", schema.SIG_HAS_DSCR]
    assert frame.loc["C-2", schema.SIG_DSCR_HEADROOM] == 0.0
    plain = signals_of(book).set_index(schema.CLIENT_ID)
    assert (plain[schema.SIG_COVENANT_BREACHES] == 0).all()
    assert not plain[schema.SIG_HAS_DSCR].any()


def test_facilities_in_two_currencies_are_summed_in_the_reporting_currency():
    eur = facility(
        "F-1",
        "C-1",
        observations=(
            observation(D(2024, 12, 31), "100"),
            observation(D(2025, 12, 31), "100"),
        ),
    )
    usd = facility(
        "F-2",
        "C-1",
        currency="USD",
        observations=(
            observation(D(2024, 12, 31), "100", currency="USD"),
            observation(D(2025, 12, 31), "300", currency="USD"),
        ),
    )
    book = Book(clients=(client("C-1"),), facilities=(eur, usd))
    row = row_of(book, models=RelationshipModels(fx_rates={"USD": 0.5}))
    # now 100 + 150 = 250 EUR; a year back 100 + 50 = 150 EUR
    assert row[schema.SIG_EXPOSURE_GROWTH_YOY] == pytest.approx(250 / 150 - 1)
    with pytest.raises(InvalidValueError, match=r"fx_rates\['USD'\]"):
        signals_of(book)


# --- the frame as a whole -------------------------------------------------------------


def small_book() -> Book:
    periods = (period(D(2024, 12, 31), "80", 2), period(D(2025, 12, 31), "100", 3))
    ratings = (
        RatingRecord(rated_on=D(2024, 6, 30), grade="4"),
        RatingRecord(rated_on=D(2025, 9, 30), grade="8"),
    )
    f = facility(
        "F-1",
        "C-1",
        observations=(
            observation(D(2024, 12, 31), "400"),
            observation(D(2025, 12, 31), "900", dpd=45),
        ),
    )
    return Book(
        clients=(client("C-1", periods=periods, ratings=ratings), client("C-2")),
        facilities=(f,),
    )


def test_the_frame_meets_the_signal_specs_and_feeds_the_stage_assessment():
    frame = signals_of(small_book())
    assert list(frame.columns) == [schema.CLIENT_ID, *SIG_NAMES]
    assert frame[schema.CLIENT_ID].tolist() == ["C-1", "C-2"]
    signals_from_frame(frame, as_of=AS_OF)  # checked against SIGNAL_SPECS
    stages = assess_stages(frame, as_of=AS_OF, rules=StageRules.builtin())
    assert stages["stage"].tolist() == ["decline", "acquisition"]


def test_row_order_and_id_dtypes_do_not_change_the_result():
    book = small_book()
    frames = history_frames(book)
    expected = run(frames, AS_OF)
    shuffled = {k: v.iloc[::-1] for k, v in frames.items() if k != "clients"}
    shuffled["clients"] = frames["clients"]
    pd.testing.assert_frame_equal(run(shuffled, AS_OF), expected)
    coded = history_frames(book, categorical=True)
    pd.testing.assert_frame_equal(run(coded, AS_OF), expected)


def test_an_empty_history_gives_neutral_signals():
    frame = signals_of(Book(clients=(client("C-1", onboarded_on=D(2025, 6, 1)),)))
    row = frame.iloc[0]
    assert row[schema.SIG_TENURE_MONTHS] == 6
    for name in SIG_NAMES:
        if name != schema.SIG_TENURE_MONTHS:
            assert not row[name], name


# --- the two faces agree ------------------------------------------------------------------


def _same(one: Mapping[str, object], row: Any) -> None:
    for name in SIG_NAMES:
        expected, got = one[name], row[name]
        if isinstance(expected, float):
            assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12), name
        else:
            assert got == expected, name


def test_client_signals_equal_the_batch_rows_on_a_hand_built_book():
    book = small_book()
    frame = signals_of(book).set_index(schema.CLIENT_ID)
    for c in book.clients:
        _same(client_signals(book, str(c.id), as_of=AS_OF), frame.loc[str(c.id)])


@settings(max_examples=60)
@given(
    book=books_with_histories(),
    as_of=st.sampled_from(AS_OF_DATES),
    categorical=st.booleans(),
)
def test_client_signals_equal_the_batch_rows_on_random_books(book, as_of, categorical):
    models = RelationshipModels(fx_rates={"USD": 0.8})
    frames = history_frames(book, categorical=categorical)
    frame = run(frames, as_of, models=models)
    signals_from_frame(frame, as_of=as_of)  # always within the specs
    indexed = frame.set_index(schema.CLIENT_ID)
    for c in book.clients:
        one = client_signals(book, str(c.id), as_of=as_of, models=models)
        _same(one, indexed.loc[str(c.id)])


@settings(max_examples=30)
@given(book=books_with_histories(), as_of=st.sampled_from(AS_OF_DATES))
def test_records_after_as_of_do_not_matter(book, as_of):
    frames = history_frames(book)
    cut = {
        "measures": schema.MEASURED_ON,
        "ratings": "rated_on",
        "observations": schema.PERIOD_END,
    }
    trimmed = dict(frames)
    for name, column in cut.items():
        f = frames[name]
        trimmed[name] = f[f[column] <= pd.Timestamp(as_of)]
    models = RelationshipModels(fx_rates={"USD": 0.8})
    full = run(frames, as_of, models=models)
    # a facility whose observations all lie after as_of keeps "has a history"
    # (its frame `drawn` is not read), so compare on books where that cannot differ
    observed = set(frames["observations"][schema.FACILITY_ID])
    kept = set(trimmed["observations"][schema.FACILITY_ID])
    if observed == kept:
        pd.testing.assert_frame_equal(run(trimmed, as_of, models=models), full)


def test_latest_measures_without_a_history_give_no_year_on_year_change():
    c = attrs.evolve(client("C-1"), measures=period(D(2025, 12, 31), "80", 3))
    book = Book(clients=(c,))
    one = client_signals(book, "C-1", as_of=AS_OF)
    assert one[schema.SIG_REVENUE_GROWTH_YOY] == 0.0
    assert one[schema.SIG_PRODUCT_COUNT_CHANGE] == 0
    _same(one, row_of(book))


def test_relationship_frame_takes_the_derived_signals_unchanged():
    book = small_book()
    derived = signals_of(book)
    models = RelationshipModels(stage_rules=StageRules.builtin())
    rf = relationship_frame(
        book_frames(book), as_of=AS_OF, models=models, signals=derived
    )
    assert rf.loc["C-1", "stage"] == "decline"  # 45 days past due, 4 notches down
    assert rf.loc["C-2", "stage"] == "acquisition"
    assert "past_due" in str(rf.loc["C-1", "warning_reasons"])


def test_a_long_undrawn_start_is_searched_past_the_first_steps():
    # twelve undrawn month ends (more than the rows stepped through one by one)
    undrawn = tuple(observation(month_end(2024, m), "0") for m in range(1, 13))
    f = facility(
        "F-1",
        "C-1",
        start_on=D(2023, 12, 1),
        observations=(
            *undrawn,
            observation(D(2025, 1, 31), "10"),
            observation(D(2025, 2, 28), "0"),
        ),
    )
    book = Book(clients=(client("C-1"),), facilities=(f,))
    row = row_of(book)
    assert row[schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN] == 11  # 2025-01-31 -> 2025-12-31
    _same(client_signals(book, "C-1", as_of=AS_OF), row)


def test_covenant_results_from_covenant_compliance_feed_the_signals():
    from lendcrm.relationship.frames import covenant_results
    from lendcrm.risk.project_finance.frames import covenant_compliance

    book = Book(
        clients=(client("C-1"),),
        facilities=(facility("F-1", "C-1"), facility("F-2", "C-1")),
    )
    facilities = pd.DataFrame(
        {
            "facility_id": ["F-1", "F-2"],
            "client_id": ["C-1", "C-1"],
            "drawn": [8.0, 1.0],
            "start_on": pd.to_datetime(["2024-01-15"] * 2),
            "maturity_on": pd.to_datetime(["2031-01-15"] * 2),
        }
    )
    covenants = pd.DataFrame(
        {
            "facility_id": ["F-1", "F-1", "F-2"],
            "metric": ["interest_cover", "dscr", "dscr"],
            "operator": ["at_least"] * 3,
            "threshold": [4.0, 1.3, 1.1],
            "lock_up_level": [3.0, 1.15, np.nan],
            "default_level": [2.0, 1.05, 1.0],
            "test_frequency": ["semi_annual", "annual", "annual"],
        }
    )
    statements = pd.DataFrame(
        {
            "client_id": ["C-1", "C-1"],
            "period_end": pd.to_datetime(["2024-12-31", "2025-06-30"]),
            "ebitda": [30.0, 50.0],
            "interest_expense": [10.0, 10.0],
            "operating_cash_flow": [150.0, 150.0],
            "capex": [30.0, 30.0],
            "debt_service": [100.0, 100.0],
        }
    )
    out = covenant_compliance(
        covenants=covenants,
        facilities=facilities,
        statements=statements,
        as_of=AS_OF,
        missing="nan",  # the 2024-06-30 test predates the first statement
    )
    results = covenant_results(out, covenants)
    # F-1: DSCR (150 - 30) / 100 = 1.2 < 1.3 on 2024-12-31 and 2025-12-31 (the
    # latest statement, 2025-06-30): one breach after 2024-12-31, in the year to
    # as_of (interest cover 3.0 < 4 on 2024-12-31 is older; 5.0 met since); its
    # headroom to the lock-up level 1.2 - 1.15. F-2: DSCR 1.2 meets 1.1; no lock-up
    # level, so the headroom is to the threshold, 1.2 - 1.1.
    assert results["covenant_breaches_12m"].tolist() == [1, 0]
    assert results["dscr_headroom"].tolist() == pytest.approx([0.05, 0.1])
    row = row_of(book, covenants=results)
    assert row[schema.SIG_COVENANT_BREACHES] == 1
    assert row[schema.SIG_HAS_DSCR]
    assert row[schema.SIG_DSCR_HEADROOM] == pytest.approx(0.05)
    only_breaches = row_of(book, covenants=out.facilities)
    assert only_breaches[schema.SIG_COVENANT_BREACHES] == 1
    assert not only_breaches[schema.SIG_HAS_DSCR]


@settings(max_examples=40)
@given(book=books_with_histories(), as_of=st.sampled_from(AS_OF_DATES))
def test_book_signals_of_book_frames_equal_client_signals(book, as_of):
    models = RelationshipModels(fx_rates={"USD": 0.8})
    frame = book_signals(book_frames(book), as_of=as_of, models=models)
    pd.testing.assert_frame_equal(
        frame, run(history_frames(book), as_of, models=models)
    )
    indexed = frame.set_index(schema.CLIENT_ID)
    for c in book.clients:
        one = client_signals(book, str(c.id), as_of=as_of, models=models)
        _same(one, indexed.loc[str(c.id)])


def test_book_signals_wants_book_frames():
    with pytest.raises(InvalidValueError, match="`book_frames` must be a BookFrames"):
        book_signals(history_frames(small_book()), as_of=AS_OF)  # type: ignore[arg-type]
