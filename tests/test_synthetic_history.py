"""Synthetic histories: shape, order, anchors to today's book, determinism, arguments.

The five history frames of `generate_frames` (measures, ratings, statements,
observations, valuations) are checked against the rules of the history frames'
schema (ordered by owner then date, one record per date, nothing after ``as_of``) and
against the book they were drawn from: each history ends exactly where the book
stands today. The frames that existed before the histories must not move: their
digests are those of the generator on main before the histories were added.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import ValuationMethod
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.frames import (
    book_frames,
    book_from_frames,
    validate_measures_frame,
    validate_observations_frame,
    validate_ratings_frame,
    validate_statements_frame,
    validate_valuations_frame,
)
from lendcrm.frames import columns as schema
from lendcrm.synthetic import (
    RATING_GRADES,
    SyntheticFrames,
    generate_book,
    generate_frames,
)
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._calendar import (
    add_months,
    anniversaries,
    fiscal_year_ends,
    observation_ends,
)

AS_OF = dt.date(2025, 12, 31)
AS_OF_TS = pd.Timestamp(AS_OF)
HISTORIES = ("measures", "ratings", "statements", "observations", "valuations")
EXISTING = (
    "clients",
    "facilities",
    "projects",
    "collateral",
    "guarantees",
    "covenants",
    "milestones",
    "drawdowns",
    "cash_flows",
    "sponsors",
    "feedback",
    "referrals",
    "signals",
    "stages",
)
MEASURE_COLUMNS = [
    schema.CLIENT_ID,
    schema.MEASURED_ON,
    schema.REVENUE_TO_BANK,
    schema.PROFIT_TO_BANK,
    schema.PRODUCT_COUNT,
    schema.TRANSACTION_COUNT,
    schema.LAST_TRANSACTION_ON,
    schema.REFERRAL_COUNT,
]
COLUMNS = {
    "measures": MEASURE_COLUMNS,
    "ratings": [
        schema.CLIENT_ID,
        "rated_on",
        schema.RATING_GRADE,
        schema.DEFAULT_PROBABILITY,
        "rater",
        "rating_override",
        "override_reason",
    ],
    "statements": [
        schema.CLIENT_ID,
        schema.PERIOD_END,
        schema.CURRENCY,
        "period_months",
        *STATEMENT_AMOUNTS,
    ],
    "observations": [
        schema.FACILITY_ID,
        schema.PERIOD_END,
        schema.DRAWN,
        schema.LIMIT,
        schema.SIG_DAYS_PAST_DUE,
        "in_default",
        "forborne",
    ],
    "valuations": [
        schema.FACILITY_ID,
        "collateral_index",
        "valued_on",
        schema.VALUATION_VALUE,
        "valuation_method",
    ],
}
KEYS = {
    "measures": ([schema.CLIENT_ID], schema.MEASURED_ON),
    "ratings": ([schema.CLIENT_ID], "rated_on"),
    "statements": ([schema.CLIENT_ID], schema.PERIOD_END),
    "observations": ([schema.FACILITY_ID], schema.PERIOD_END),
    "valuations": ([schema.FACILITY_ID, "collateral_index"], "valued_on"),
}


@pytest.fixture(scope="module")
def book() -> SyntheticFrames:
    return generate_frames(3000, seed=11, as_of=AS_OF)


# --- the frames that existed before stay value for value --------------------------


def digest(frame: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.hexdigest()[:16]


# Digests of generate_frames on main at a9d1843 (before the histories), per frame in
# EXISTING order, for (n_clients, seed, as_of). One deliberate change since: the
# signals frame (13th) carries the notches moved of the rating paths calibrated to
# Moody's one-year transition matrix (issue #12), not the per-stage draw of a9d1843;
# and the collateral frame (4th) links the assets that two facilities share
# (asset_id, claim_rank; issue #12), whose value and haircut the facilities frame's
# collateral_value (2nd) follows. Every other frame, every other facility column and
# every other signal is still a9d1843's.
MAIN_DIGESTS = {
    (3000, 0, dt.date(2025, 12, 31)): (
        "faf56ef93f06e50c 8c6498821aa53ac5 1ed739ac9ab403ec f12d258b32a7fc64 "
        "9e5b566d598dcb2a 5595d6897220013b 9fc437bcee0e1510 e0ff0918be3d5f48 "
        "32c1fedb980e57af c64d1debcf7581ea 241387fa04c3957e be85e9d7d4bd270c "
        "b60d970c4080cf51 377fd73b259b0442"
    ),
    (2500, 7, dt.date(2025, 12, 31)): (
        "fbef84b49d74166a 3a220c02f937192b 6521889869030501 d32b72d54091dede "
        "046daeed95259a0a 85f1aa654d4bca4a 441fcbbdc6bf556a b282565789cc79ef "
        "10e598a16af3d535 4cc68342631c3d46 2db839e4eec6c989 4641b251ecc05125 "
        "887f79758571c870 8a3ff75bc7002fa4"
    ),
    (1500, 123, dt.date(2019, 6, 15)): (
        "ff1e284b66fcc0e7 e435d6e40a41d452 d9b11dadd3d6ca94 19f44f47b50650f9 "
        "dbae8241ccd72c6a f32ca76582d8f9ef 258489d20160847e 6c8fad6fa9e57e56 "
        "5d52909e2cc6e40b c2a9f5a0ed7f3fd7 a78743824372a397 016844c6945e6b0b "
        "3a80c268054bc887 d8ee2174df697003"
    ),
}


@pytest.mark.parametrize(("n", "seed", "as_of"), list(MAIN_DIGESTS))
@pytest.mark.parametrize("periods", [1, 13, 40])
def test_the_frames_of_main_stay_value_for_value(n, seed, as_of, periods):
    frames = generate_frames(n, seed=seed, as_of=as_of, periods=periods)
    # the columns #13 appended (drawn last) are left out: the others stay as they were
    added = [schema.RELATIONSHIP_MANAGER, schema.EQUATOR_CATEGORY]
    got = " ".join(
        digest(getattr(frames, name).drop(columns=added, errors="ignore"))
        for name in EXISTING
    )
    assert got == MAIN_DIGESTS[n, seed, as_of]


# --- shape and order ------------------------------------------------------------


def check_histories(b: SyntheticFrames, as_of: dt.date, periods: int) -> None:
    """Every rule the history frames promise, for any book."""
    stamp = pd.Timestamp(as_of)
    for name in HISTORIES:
        frame = getattr(b, name)
        assert list(frame.columns) == COLUMNS[name], name
        assert isinstance(frame.index, pd.RangeIndex)
        keys, date = KEYS[name]
        assert frame[date].notna().all()
        assert (frame[date] <= stamp).all(), name
        # ordered by owner (in the owner frame's order) then date, one per date
        same = (frame[keys].shift() == frame[keys]).all(axis=1)
        assert (frame[date].diff()[same] > pd.Timedelta(0)).all(), name
    check_observations(b, stamp, periods)
    check_client_histories(b, periods)
    check_valuations(b)


def owner_order_is_the_frame_order(history: pd.Series, owners: pd.Series) -> bool:
    position = pd.Series(np.arange(len(owners)), index=owners.to_numpy())
    return bool(position[history.to_numpy()].is_monotonic_increasing)


def check_observations(b: SyntheticFrames, stamp: pd.Timestamp, periods: int) -> None:
    o, f = b.observations, b.facilities
    assert owner_order_is_the_frame_order(o[schema.FACILITY_ID], f[schema.FACILITY_ID])
    by_facility = f.set_index(schema.FACILITY_ID)
    start = by_facility[schema.START_ON][o[schema.FACILITY_ID]].to_numpy()
    end = o[schema.PERIOD_END]
    assert (end.to_numpy() >= start).all()
    month_end = end + pd.offsets.MonthEnd(0)
    assert ((end == month_end) | (end == stamp)).all()
    oldest = (stamp + pd.offsets.MonthEnd(0)) - pd.offsets.MonthEnd(periods - 1)
    assert (end >= min(oldest, stamp)).all()
    # one row per month end since the start, at most `periods`
    months_in = (stamp.year - f[schema.START_ON].dt.year) * 12 + (
        stamp.month - f[schema.START_ON].dt.month
    )
    expected = np.minimum(months_in + 1, periods)  # its own month end onwards
    counts = o.groupby(schema.FACILITY_ID, sort=False).size()
    assert (counts[f[schema.FACILITY_ID]].to_numpy() == expected.to_numpy()).all()
    # today's row is the facility as it stands
    latest = o.groupby(schema.FACILITY_ID, sort=False).last()
    latest = latest.loc[f[schema.FACILITY_ID]]
    assert (latest[schema.PERIOD_END] == stamp).all()
    np.testing.assert_array_equal(latest[schema.DRAWN], f[schema.DRAWN])
    np.testing.assert_array_equal(latest[schema.LIMIT], f[schema.LIMIT])
    status = f[schema.STATUS].astype(str).to_numpy()
    np.testing.assert_array_equal(latest["in_default"], status == "non_performing")
    np.testing.assert_array_equal(latest["forborne"], status == "restructured")
    # amounts and flags
    assert (o[schema.DRAWN] >= 0).all()
    assert (o[schema.DRAWN] <= o[schema.LIMIT]).all()
    assert (o[schema.SIG_DAYS_PAST_DUE] >= 0).all()
    row_status = (
        by_facility[schema.STATUS].astype(str)[o[schema.FACILITY_ID]].to_numpy()
    )
    assert (row_status[o["in_default"]] == "non_performing").all()
    assert (o[schema.SIG_DAYS_PAST_DUE][o["in_default"]] > 90).all()
    assert (row_status[o["forborne"]] == "restructured").all()
    assert (o[schema.SIG_DAYS_PAST_DUE][o[schema.DRAWN] == 0] == 0).all()


def check_client_histories(b: SyntheticFrames, periods: int) -> None:
    c = b.clients.set_index(schema.CLIENT_ID)
    years = 1 + (periods - 1) // 12
    for name, date in (("measures", schema.MEASURED_ON), ("ratings", "rated_on")):
        frame = getattr(b, name)
        owners = frame[schema.CLIENT_ID]
        assert owner_order_is_the_frame_order(owners, b.clients[schema.CLIENT_ID])
        assert (
            frame[date].to_numpy() >= c[schema.ONBOARDED_ON][owners].to_numpy()
        ).all()
        assert frame.groupby(schema.CLIENT_ID).size().max() <= years
        assert set(owners) == set(c.index)
    m = b.measures
    latest = m.groupby(schema.CLIENT_ID, sort=False).last().loc[c.index]
    latest = latest.reset_index()[MEASURE_COLUMNS]
    pd.testing.assert_frame_equal(latest, b.clients[MEASURE_COLUMNS])
    last_tx = m[schema.LAST_TRANSACTION_ON]
    assert (last_tx.isna() | (last_tx <= m[schema.MEASURED_ON])).all()
    assert (last_tx.isna() == (m[schema.TRANSACTION_COUNT] == 0)).all()
    assert (m[schema.REVENUE_TO_BANK] >= 0).all()
    assert (m[schema.PRODUCT_COUNT] >= 0).all()
    r = b.ratings
    grades = r.groupby(schema.CLIENT_ID, sort=False)[schema.RATING_GRADE].last()
    grades = grades.astype(str).loc[c.index]
    np.testing.assert_array_equal(grades, c[schema.RATING_GRADE].astype(str))
    scale = dict(zip(RATING_GRADES, tables.MASTER_SCALE_PD, strict=True))
    pd_of_grade = r[schema.RATING_GRADE].astype(str).map(scale).astype(float)
    np.testing.assert_array_equal(r[schema.DEFAULT_PROBABILITY], pd_of_grade)
    assert (r["override_reason"].notna() == r["rating_override"]).all()
    overridden = r["rater"].astype(str) == tables.RATING_COMMITTEE
    assert (overridden == r["rating_override"]).all()
    check_statements(b, years)


def check_statements(b: SyntheticFrames, years: int) -> None:
    s = b.statements
    assert (s.groupby(schema.CLIENT_ID).size() == years).all()
    assert len(s) == years * len(b.clients)
    assert (s[schema.PERIOD_END].dt.month == 12).all()
    assert (s[schema.PERIOD_END].dt.day == 31).all()
    assert (s["period_months"] == 12).all()
    assert (s[schema.CURRENCY] == "EUR").all()
    amounts = s[list(STATEMENT_AMOUNTS)]
    assert amounts.notna().all().all()
    assert (amounts == amounts.round()).all().all()  # whole euros
    # the balance sheet balances exactly, in the float amounts of the frame
    assert (s["total_assets"] == s["total_liabilities"] + s["equity"]).all()
    assert (s["net_debt"] == s["total_debt"] - s["cash"]).all()
    signed = {"ebitda", "ebit", "net_debt", "equity", "operating_cash_flow"}
    for name in set(STATEMENT_AMOUNTS) - signed:
        assert (s[name] >= 0).all(), name
    assert (s["current_liabilities"] <= s["total_liabilities"]).all()
    assert (s["cash"] <= s["current_assets"]).all()
    latest = s.groupby(schema.CLIENT_ID, sort=False)["revenue"].last()
    np.testing.assert_array_equal(
        latest.loc[b.clients[schema.CLIENT_ID]], b.clients[schema.ANNUAL_REVENUE]
    )


def check_valuations(b: SyntheticFrames) -> None:
    v, col, f = b.valuations, b.collateral, b.facilities
    assert (v["collateral_index"] == 0).all()
    assert set(v[schema.FACILITY_ID]) == set(col[schema.FACILITY_ID])
    assert owner_order_is_the_frame_order(v[schema.FACILITY_ID], f[schema.FACILITY_ID])
    latest = (
        v.groupby(schema.FACILITY_ID, sort=False).last().loc[col[schema.FACILITY_ID]]
    )
    np.testing.assert_array_equal(latest[schema.VALUATION_VALUE], col["value"])
    start = f.set_index(schema.FACILITY_ID)[schema.START_ON]
    assert (v["valued_on"].to_numpy() >= start[v[schema.FACILITY_ID]].to_numpy()).all()
    assert (v[schema.VALUATION_VALUE] >= 0).all()
    methods = {m.value for m in ValuationMethod}
    assert set(v["valuation_method"].astype(str)) <= methods


def test_history_invariants_hold_on_a_mid_sized_book(book):
    check_histories(book, AS_OF, 13)


@settings(max_examples=20)
@given(
    n=st.integers(1, 60),
    seed=st.integers(0, 2**32),
    periods=st.integers(1, 40),
    as_of=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
)
def test_history_invariants_hold_for_any_small_book(n, seed, periods, as_of):
    check_histories(
        generate_frames(n, seed=seed, as_of=as_of, periods=periods), as_of, periods
    )


@pytest.mark.parametrize("as_of", [dt.date(1720, 1, 1), dt.date(2250, 12, 31)])
def test_the_longest_history_at_the_extreme_dates_fits_the_frames(as_of):
    b = generate_frames(40, seed=3, as_of=as_of, periods=tables.MAX_PERIODS)
    check_histories(b, as_of, tables.MAX_PERIODS)


def test_one_period_is_todays_book_alone():
    b = generate_frames(400, seed=2, as_of=AS_OF, periods=1)
    assert len(b.observations) == len(b.facilities)
    assert len(b.measures) == len(b.ratings) == len(b.statements) == len(b.clients)
    assert len(b.valuations) == len(b.collateral)


def test_the_default_is_thirteen_month_ends_and_two_years():
    b = generate_frames(300, seed=4, as_of=AS_OF)
    ends = b.observations[schema.PERIOD_END]
    assert ends.min() == pd.Timestamp(2024, 12, 31)
    assert ends.nunique() == 13
    assert b.statements[schema.PERIOD_END].unique().tolist() == [
        pd.Timestamp(2024, 12, 31),
        pd.Timestamp(2025, 12, 31),
    ]
    assert b.measures.groupby(schema.CLIENT_ID).size().max() == 2


HISTORY_DTYPES = {
    ("measures", schema.MEASURED_ON): "datetime64[ns]",
    ("measures", schema.REVENUE_TO_BANK): "float64",
    ("measures", schema.PRODUCT_COUNT): "int64",
    ("measures", schema.REFERRAL_COUNT): "int64",
    ("ratings", "rated_on"): "datetime64[ns]",
    ("ratings", schema.RATING_GRADE): "category",
    ("ratings", "rater"): "category",
    ("ratings", "rating_override"): "bool",
    ("ratings", "override_reason"): "category",
    ("statements", schema.CURRENCY): "category",
    ("statements", "period_months"): "int64",
    ("statements", "equity"): "float64",
    ("observations", schema.PERIOD_END): "datetime64[ns]",
    ("observations", schema.DRAWN): "float64",
    ("observations", schema.SIG_DAYS_PAST_DUE): "int64",
    ("observations", "in_default"): "bool",
    ("observations", "forborne"): "bool",
    ("valuations", "collateral_index"): "int64",
    ("valuations", "valued_on"): "datetime64[ns]",
    ("valuations", "valuation_method"): "category",
}


@pytest.mark.parametrize(("where", "dtype"), list(HISTORY_DTYPES.items()))
def test_history_dtypes(book, where, dtype):
    frame, column = where
    series = getattr(book, frame)[column]
    if dtype == "category":
        assert isinstance(series.dtype, pd.CategoricalDtype)
    else:
        assert series.dtype == dtype
    for name in HISTORIES:  # ids are str, like the entity frames'
        key = getattr(book, name).iloc[:, 0]
        assert pd.api.types.is_string_dtype(key.dtype)


def test_same_seed_same_history_and_a_generator_is_advanced():
    a = generate_frames(300, seed=6, as_of=AS_OF, periods=25)
    b = generate_frames(300, seed=np.random.default_rng(6), as_of=AS_OF, periods=25)
    for name in HISTORIES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    rng = np.random.default_rng(6)
    first = generate_frames(300, seed=rng, as_of=AS_OF)
    second = generate_frames(300, seed=rng, as_of=AS_OF)
    assert not first.statements.equals(second.statements)


def test_today_and_the_year_ago_anchor_do_not_depend_on_the_window():
    short = generate_frames(200, seed=8, as_of=AS_OF, periods=13)
    long = generate_frames(200, seed=8, as_of=AS_OF, periods=30)
    for day in (AS_OF_TS, pd.Timestamp(2024, 12, 31)):
        rows = [
            o[o[schema.PERIOD_END] == day].reset_index(drop=True)
            for o in (short.observations, long.observations)
        ]
        assert len(rows[0]) > 0
        pd.testing.assert_frame_equal(rows[0], rows[1])


# --- the book: entities carry the histories --------------------------------------

VALIDATORS = {
    "measures": validate_measures_frame,
    "ratings": validate_ratings_frame,
    "statements": validate_statements_frame,
    "observations": validate_observations_frame,
    "valuations": validate_valuations_frame,
}


@pytest.mark.parametrize("name", HISTORIES)
def test_history_frames_pass_the_frame_validators(book, name):
    VALIDATORS[name](getattr(book, name))


def test_book_frames_pass_the_histories_to_the_book():
    frames = generate_frames(80, seed=21, as_of=AS_OF)
    bf = frames.book_frames()
    for name in HISTORIES:
        assert getattr(bf, name) is getattr(frames, name)


def test_generate_book_entities_carry_the_histories_and_pass_validation():
    frames = generate_frames(250, seed=13, as_of=AS_OF, periods=25)
    book = generate_book(250, seed=13, as_of=AS_OF, periods=25)
    assert book == book_from_frames(frames.book_frames())
    assert sum(len(c.measures_history) for c in book.clients) == len(frames.measures)
    assert sum(len(c.ratings) for c in book.clients) == len(frames.ratings)
    assert sum(len(c.statements) for c in book.clients) == len(frames.statements)
    assert sum(len(f.observations) for f in book.facilities) == len(frames.observations)
    valuations = sum(len(c.valuations) for f in book.facilities for c in f.collateral)
    assert valuations == len(frames.valuations)
    for client in book.clients:  # the entities' own rules held on construction
        assert client.measures == client.measures_history[-1]
        assert client.ratings[-1].grade == client.rating_grade
        assert client.statements[-1].revenue == client.annual_revenue
    for facility in book.facilities:
        last = facility.observations[-1]
        assert (last.drawn, last.limit) == (facility.drawn, facility.limit)
        assert last.period_end == AS_OF
        for collateral in facility.collateral:
            assert collateral.valuations[-1].value == collateral.value


def test_the_histories_round_trip_through_the_book():
    frames = generate_frames(150, seed=14, as_of=AS_OF)
    back = book_frames(book_from_frames(frames.book_frames()))
    for name in HISTORIES:
        pd.testing.assert_frame_equal(
            getattr(back, name),
            getattr(frames, name),
            check_dtype=False,
            check_categorical=False,
        )


# --- arguments --------------------------------------------------------------------


@pytest.mark.parametrize("periods", [0, -1, 362, True, 13.0, "13", None])
def test_bad_periods_are_refused_naming_field_value_and_range(periods):
    with pytest.raises(InvalidValueError) as info:
        generate_frames(10, seed=1, as_of=AS_OF, periods=periods)
    assert isinstance(info.value, LendCRMError)
    assert info.value.field == "periods"
    assert str(info.value) == (
        f"`periods` must be an int from 1 to 361 (monthly period ends); "
        f"got {periods!r}."
    )


def test_numpy_integer_periods_are_accepted():
    b = generate_frames(20, seed=1, as_of=AS_OF, periods=np.int64(2))  # type: ignore[arg-type]
    assert b.observations[schema.PERIOD_END].nunique() <= 2


# --- the calendar the histories are dated by (hand-computed) ----------------------


def days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def test_observation_ends_are_month_ends_and_never_after_as_of():
    got = observation_ends(np.datetime64("2025-12-15", "D"), 3)
    np.testing.assert_array_equal(got, days("2025-10-31", "2025-11-30", "2025-12-15"))
    got = observation_ends(np.datetime64("2024-03-31", "D"), 2)
    np.testing.assert_array_equal(got, days("2024-02-29", "2024-03-31"))


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    got = add_months(
        days("2024-03-31", "2024-02-29", "2025-01-15"), np.array([-1, 12, -13])
    )
    np.testing.assert_array_equal(got, days("2024-02-29", "2025-02-28", "2023-12-15"))


def test_fiscal_year_ends_are_the_latest_december_ends_on_or_before_as_of():
    np.testing.assert_array_equal(
        fiscal_year_ends(np.datetime64("2025-06-30", "D"), 2, 12),
        days("2023-12-31", "2024-12-31"),
    )
    np.testing.assert_array_equal(
        fiscal_year_ends(np.datetime64("2025-12-31", "D"), 1, 12), days("2025-12-31")
    )


def test_anniversaries_count_the_clamped_anniversary_of_a_leap_day():
    got = anniversaries(
        days("2024-02-29", "2024-03-01", "2025-12-31", "2015-12-31"),
        np.datetime64("2025-02-28", "D"),
    )
    assert got.tolist() == [1, 0, 0, 9]
