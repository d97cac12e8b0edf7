"""The history frames: lossless round trip, the frames' rules, the error messages."""

from __future__ import annotations

import re

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings

from lendcrm import (
    Book,
    ClientId,
)
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    SchemaError,
    UnknownReferenceError,
)
from lendcrm.frames import (
    MEASURES_DTYPES,
    OBSERVATIONS_DTYPES,
    RATINGS_DTYPES,
    STATEMENTS_DTYPES,
    VALUATIONS_DTYPES,
    BookFrames,
    book_frames,
    book_from_frames,
    validate_measures_frame,
    validate_observations_frame,
    validate_ratings_frame,
    validate_statements_frame,
    validate_valuations_frame,
)
from tests.factories import client, eur
from tests.history_factories import history_book, measures, usd
from tests.strategies import books


# --- round trip -----------------------------------------------------------------------
def test_histories_survive_the_frames_round_trip():
    book = history_book()
    frames = book_frames(book)
    back = book_from_frames(frames)
    assert back == book
    assert back.clients[0].measures_history == book.clients[0].measures_history
    assert back.clients[0].statements[1].equity == eur("-5")
    assert back.facilities[0].collateral[1].valuations == (
        book.facilities[0].collateral[1].valuations
    )
    assert back.facilities[1].observations[0].drawn == usd("120")  # the facility's


def test_nothing_is_dropped_rows_and_values_of_each_history():
    frames = book_frames(history_book())
    assert len(frames.measures) == 3
    assert len(frames.ratings) == 3
    assert len(frames.statements) == 2
    assert len(frames.observations) == 4
    assert len(frames.valuations) == 3
    assert frames.ratings["client_id"].tolist() == ["C-1", "C-1", "C-3"]
    assert frames.ratings["rater"].tolist() == ["m-v3", "", ""]
    assert frames.ratings["rating_override"].tolist() == [False, True, False]
    assert frames.ratings["override_reason"].isna().tolist() == [True, False, True]
    assert frames.valuations["collateral_index"].tolist() == [1, 1, 0]
    assert frames.valuations["valuation_method"].tolist() == [
        "full_appraisal",
        "indexed",
        "market_price",
    ]
    assert frames.observations["drawn"].tolist() == [
        1000000.5,
        2000000.5,
        3000000.5,
        120.0,
    ]
    st = frames.statements
    assert st["period_months"].tolist() == [12, 6]
    assert st.loc[0, "ebitda"] == -50.5
    assert st["revenue"].isna().tolist() == [False, True]  # not given: NaN, None
    assert frames.measures["last_transaction_on"].isna().tolist() == [
        True,
        False,
        False,
    ]


def test_history_frames_have_the_declared_dtypes_and_columns():
    frames = book_frames(history_book())
    for name, dtypes in (
        ("measures", MEASURES_DTYPES),
        ("ratings", RATINGS_DTYPES),
        ("statements", STATEMENTS_DTYPES),
        ("observations", OBSERVATIONS_DTYPES),
        ("valuations", VALUATIONS_DTYPES),
    ):
        frame = getattr(frames, name)
        assert list(frame.columns) == list(dtypes), name
        for column, dtype in dtypes.items():
            assert frame[column].dtype == pd.Series([], dtype=dtype).dtype, column
        empty = getattr(BookFrames(), name)
        assert list(empty.columns) == list(dtypes)
        assert len(empty) == 0


def test_statement_columns_are_the_statement_amounts():
    assert tuple(STATEMENTS_DTYPES)[4:] == STATEMENT_AMOUNTS


@settings(max_examples=30)  # each example builds seventeen frames
@given(books())
def test_round_trip_property_with_histories(book):
    frames = book_frames(book)
    for validate, frame in (
        (validate_measures_frame, frames.measures),
        (validate_ratings_frame, frames.ratings),
        (validate_statements_frame, frames.statements),
        (validate_observations_frame, frames.observations),
        (validate_valuations_frame, frames.valuations),
    ):
        validate(frame)
    assert book_from_frames(frames) == book


def test_interleaved_owners_are_read_in_each_owners_order():
    frames = book_frames(history_book())
    ratings = frames.ratings.iloc[[0, 2, 1]]  # C-1, C-3, C-1: each still in order
    back = book_from_frames(attrs.evolve(frames, ratings=ratings))
    assert back == history_book()


# --- writer refusals ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda b: attrs.evolve(
                b.clients[0],
                measures_history=(
                    measures(2023),
                    measures(2024, "0.1234567890123456789"),
                    measures(2025, "1.25"),
                ),
            ),
            "clients[0].measures_history[1].revenue_to_bank",
        ),
        (
            lambda b: attrs.evolve(
                b.clients[0],
                statements=(
                    attrs.evolve(
                        b.clients[0].statements[0],
                        ebitda=eur("1.0000000000000000001"),
                    ),
                ),
            ),
            "clients[0].statements[0].ebitda",
        ),
    ],
)
def test_inexact_history_amounts_are_refused_with_their_path(change, path):
    book = history_book()
    bad = attrs.evolve(book, clients=(change(book), *book.clients[1:]))
    with pytest.raises(BatchValidationError) as info:
        book_frames(bad)
    assert str(info.value.exceptions[0]).startswith(
        f"`{path}` must be an amount float64 holds exactly"
    )


def test_inexact_valuation_and_observation_amounts_are_refused_with_their_path():
    book = history_book()
    f1 = book.facilities[0]
    cash, valued = f1.collateral
    v0 = attrs.evolve(valued.valuations[0], value=eur("0.12345678901234567"))
    o2 = attrs.evolve(f1.observations[2], limit=eur("10000000.000000001"))
    bad_f1 = attrs.evolve(
        f1,
        collateral=(cash, attrs.evolve(valued, valuations=(v0, valued.valuations[1]))),
        observations=(*f1.observations[:2], o2),
    )
    with pytest.raises(BatchValidationError) as info:
        book_frames(attrs.evolve(book, facilities=(bad_f1, book.facilities[1])))
    assert [str(e).split("`")[1] for e in info.value.exceptions] == [
        "facilities[0].observations[2].limit",
        "facilities[0].collateral[1].valuations[0].value",
    ]


# --- the frames' rules (one test per message) -----------------------------------------
def frames_with(**changes: pd.DataFrame) -> BookFrames:
    return attrs.evolve(book_frames(history_book()), **changes)


def raised(frames: BookFrames) -> list[str]:
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(frames)
    return [str(e) for e in info.value.exceptions]


def test_a_duplicate_period_is_refused_with_its_row_label():
    m = book_frames(history_book()).measures
    m.index = ["a", "b", "c"]
    m.loc["b", "measured_on"] = pd.Timestamp("2023-12-31")
    m.loc["b", "last_transaction_on"] = pd.NaT
    assert raised(frames_with(measures=m)) == [
        (
            "`measures['b'].measured_on` must be unique per client (one row per "
            "`client_id` and `measured_on`); got Timestamp('2023-12-31 00:00:00'). "
            "1 row fails this rule: 'b'."
        )
    ]


def test_periods_out_of_order_are_refused_and_sorting_fixes_them():
    obs = book_frames(history_book()).observations.iloc[[0, 2, 1, 3]]
    with pytest.raises(BatchValidationError) as info:
        validate_observations_frame(obs)
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`observations[1].period_end` must be after the `period_end` of the "
            "facility's previous row (each facility's rows oldest first; sort with "
            "frame.sort_values(['facility_id', 'period_end'], kind='stable')); got "
            "Timestamp('2025-02-28 00:00:00'). 1 row fails this rule: 1."
        )
    ]
    fixed = obs.sort_values(["facility_id", "period_end"], kind="stable")
    assert book_from_frames(frames_with(observations=fixed)) == history_book()


def test_a_collaterals_valuations_are_a_series_of_their_own():
    v = book_frames(history_book()).valuations
    v.loc[1, "valued_on"] = pd.Timestamp("2024-03-31")  # as row 0
    with pytest.raises(BatchValidationError) as info:
        validate_valuations_frame(v)
    assert str(info.value.exceptions[0]).startswith(
        "`valuations[1].valued_on` must be unique per collateral (one row per "
        "`facility_id`, `collateral_index` and `valued_on`)"
    )
    v.loc[1, "collateral_index"] = 0  # another asset of F-1 on the same date: fine
    validate_valuations_frame(v)


def test_observation_rows_for_an_unknown_facility():
    obs = book_frames(history_book()).observations
    obs.loc[3, "facility_id"] = "F-9"
    (message,) = raised(frames_with(observations=obs))
    assert message == (
        "No facility with id 'F-9' (referenced by `observations[3].facility_id`). "
        "Did you mean 'F-2'?"
    )


def test_history_rows_for_an_unknown_client():
    ratings = book_frames(history_book()).ratings
    ratings.loc[2, "client_id"] = "C-7"
    frames = frames_with(ratings=ratings)
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(frames)
    child = info.value.exceptions[0]
    assert isinstance(child, UnknownReferenceError)
    assert child.field == "ratings[2].client_id"


def test_a_valuation_of_an_unknown_facility():
    v = book_frames(history_book()).valuations
    v.loc[2, "facility_id"] = "F-8"
    (message,) = raised(frames_with(valuations=v))
    assert message.startswith(
        "No facility with id 'F-8' (referenced by `valuations[2].facility_id`)."
    )


def test_a_valuation_pointing_at_a_collateral_that_does_not_exist():
    v = book_frames(history_book()).valuations
    v.loc[2, "collateral_index"] = 1  # F-2 has one collateral row: index 0 only
    assert raised(frames_with(valuations=v)) == [
        (
            "`valuations[2].collateral_index` must be the 0-based position of one of its "
            "facility's rows in the collateral frame (an existing collateral); got 1. "
            "1 row fails this rule: 2."
        )
    ]


@pytest.mark.parametrize(
    ("name", "column", "row"),
    [
        ("observations", "drawn", 0),
        ("observations", "limit", 3),
        ("valuations", "collateral_value", 1),
        ("statements", "cash", 1),
        ("measures", "revenue_to_bank", 2),
    ],
)
def test_negative_balances_and_values_are_refused(name, column, row):
    frame = getattr(book_frames(history_book()), name)
    frame.loc[row, column] = -1.0
    assert raised(frames_with(**{name: frame})) == [
        (
            f"`{name}[{row}].{column}` must be a finite number >= 0; got -1.0. "
            f"1 row fails this rule: {row}."
        )
    ]


def test_a_statement_whose_assets_differ_from_liabilities_plus_equity():
    st = book_frames(history_book()).statements
    st.loc[0, "total_assets"] = 0.31
    assert raised(frames_with(statements=st)) == [
        (
            "`statements[0].total_assets` must be `total_liabilities` + `equity` where "
            "all three are given (the balance sheet balances, to 1e-12 relative); got "
            "0.31. 1 row fails this rule: 0."
        )
    ]


def test_a_rating_override_without_reason():
    ratings = book_frames(history_book()).ratings
    ratings.loc[1, "override_reason"] = "  "
    assert raised(frames_with(ratings=ratings)) == [
        (
            "`ratings[1].override_reason` must be a non-empty reason when "
            "`rating_override` is true; got '  '. 1 row fails this rule: 1."
        )
    ]


def test_one_currency_per_clients_statements():
    st = book_frames(history_book()).statements
    st.loc[1, "currency"] = "USD"
    assert raised(frames_with(statements=st)) == [
        (
            "`statements[1].currency` must be the currency of the client's first "
            "statement (one currency per client's statements); got 'USD'. 1 row fails "
            "this rule: 1."
        )
    ]


def test_a_last_transaction_after_the_measured_period():
    m = book_frames(history_book()).measures
    m.loc[1, "last_transaction_on"] = pd.Timestamp("2025-01-01")
    assert raised(frames_with(measures=m)) == [
        (
            "`measures[1].last_transaction_on` must be on or before `measured_on`; got "
            "Timestamp('2025-01-01 00:00:00'). 1 row fails this rule: 1."
        )
    ]


def test_a_history_frame_with_a_missing_column():
    obs = book_frames(history_book()).observations.drop(columns=["forborne"])
    with pytest.raises(SchemaError, match=re.escape("`observations.columns` must be")):
        book_from_frames(frames_with(observations=obs))


# --- the entities' rules, through the frames (paths name the row label) ---------------
def test_the_clients_snapshot_must_be_the_last_measured_period():
    m = book_frames(history_book()).measures.iloc[:2]  # drops 2025, the snapshot
    (message,) = raised(frames_with(measures=m))
    assert message.startswith(
        "`clients[0].measures` must be the last period of `measures_history` "
        "(period_end 2024-12-31) for client 'C-1'; got RelationshipMeasures("
    )


def test_the_clients_grade_must_be_its_latest_rating():
    ratings = book_frames(history_book()).ratings
    ratings.loc[1, "rating_grade"] = "7"
    assert raised(frames_with(ratings=ratings)) == [
        (
            "`clients[0].rating_grade` must be the grade of the latest rating ('7' on "
            "2025-06-30) for client 'C-1'; got '6'."
        )
    ]


def test_a_record_the_value_object_refuses_is_named_by_its_row():
    ratings = book_frames(history_book()).ratings
    ratings.index = ["r1", "r2", "r3"]
    ratings.loc["r3", "rating_grade"] = ""
    assert raised(frames_with(ratings=ratings)) == [
        "`ratings['r3'].grade` must be a non-empty string; got ''."
    ]


def test_validated_frames_are_not_mutated():
    frames = book_frames(history_book())
    before = {n: getattr(frames, n).copy() for n in ("measures", "valuations")}
    book_from_frames(frames)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(frames, name), frame)


def test_every_history_frame_may_be_empty_or_absent():
    frames = book_frames(Book(clients=(client("C-1", ratings=()),)))
    for name in ("measures", "ratings", "statements", "observations", "valuations"):
        assert len(getattr(frames, name)) == 0
    assert book_from_frames(BookFrames(clients=frames.clients)).clients == (
        client("C-1"),
    )


def test_invalid_rows_errors_carry_the_frame_and_column():
    m = book_frames(history_book()).measures
    m.loc[2, "measured_on"] = pd.Timestamp("2024-12-31")  # as row 1
    m.loc[2, "last_transaction_on"] = pd.NaT
    with pytest.raises(BatchValidationError) as info:
        validate_measures_frame(m)
    (child,) = info.value.exceptions
    assert isinstance(child, InvalidRowsError)
    assert (child.frame, child.column, child.rows) == ("measures", "measured_on", (2,))


def test_a_snapshot_without_history_stays_a_snapshot():
    book = Book(clients=(client("C-1", measures=measures(2025)),))
    frames = book_frames(book)
    assert len(frames.measures) == 0
    assert book_from_frames(frames).clients[0].measures == measures(2025)
    assert book_from_frames(frames).clients[0].id == ClientId("C-1")
