"""Frames: lossless round trip, the float64 rule, and vectorised frame validation."""

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from lendcrm import Book, ClientId, Money
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    SchemaError,
    UnknownReferenceError,
)
from lendcrm.frames import (
    CLIENTS_DTYPES,
    FACILITIES_DTYPES,
    PROJECTS_DTYPES,
    BookFrames,
    book_frames,
    book_from_frames,
    clients_frame,
    facilities_frame,
    projects_frame,
    validate_clients_frame,
    validate_facilities_frame,
    validate_projects_frame,
)
from tests.factories import (
    client,
    facility,
    project,
    rich_client,
    rich_facility,
    rich_project,
)
from tests.strategies import books


def rich_book() -> Book:
    return Book(
        clients=(rich_client("C-1"), client("C-2", parent_id=ClientId("C-1"))),
        facilities=(rich_facility("F-1", "C-1", "P-1"), facility("F-2", "C-2")),
        projects=(rich_project("P-1"),),
    )


def test_round_trip_of_a_rich_book_is_exact():
    book = rich_book()
    frames = book_frames(book)
    back = book_from_frames(frames)
    assert back == book
    assert (
        back.clients[0].legal_name == "Client C-1 GmbH"
    )  # repr=False fields survive too
    assert back.projects[0].milestones[0].certified_by == "J. Smith, technical adviser"


@settings(max_examples=30)  # each example builds twelve frames
@given(books())
def test_round_trip_property(book):
    frames = book_frames(book)
    # every frame written from valid entities passes the vectorised checks
    validate_clients_frame(frames.clients)
    if book.facilities:
        validate_facilities_frame(frames.facilities)
    if book.projects:
        validate_projects_frame(frames.projects)
    assert book_from_frames(frames) == book


def test_frames_have_the_declared_dtypes_and_units():
    frames = book_frames(rich_book())
    for frame, dtypes in (
        (frames.clients, CLIENTS_DTYPES),
        (frames.facilities, FACILITIES_DTYPES),
        (frames.projects, PROJECTS_DTYPES),
    ):
        assert list(frame.columns) == list(dtypes)
        for column, dtype in dtypes.items():
            assert frame[column].dtype == pd.Series([], dtype=dtype).dtype, column
    f = frames.facilities.set_index("facility_id")
    # 12m at 40 % haircut + 500000.01 cash: 7700000.01 (derived column)
    assert f.loc["F-1", "collateral_value"] == 7_700_000.01
    assert f.loc["F-2", "collateral_value"] == 0.0
    assert frames.clients.loc[1, "measured_on"] is pd.NaT
    assert np.isnan(frames.clients["revenue_to_bank"].to_numpy()[1])
    assert frames.projects.loc[0, "percent_complete"] == 67.75


def test_frames_match_single_entity_views():
    book = rich_book()
    assert clients_frame(book).equals(book_frames(book).clients)
    assert facilities_frame(book).equals(book_frames(book).facilities)
    assert projects_frame(book).equals(book_frames(book).projects)


def test_amount_beyond_float64_precision_is_refused():
    c = client("C-1", annual_revenue=Money.of("1234567890.123456789", "EUR"))
    with pytest.raises(BatchValidationError) as info:
        clients_frame(Book(clients=(c,)))
    assert str(info.value.exceptions[0]) == (
        "`clients[0].annual_revenue` must be an amount float64 holds exactly (15 significant "
        "digits always fit) to cross into a frame; got Decimal('1234567890.123456789'). "
        "Round it first with Money.rounded(places)."
    )


def test_child_amount_beyond_float64_is_refused_with_path():
    f = facility("F-1", "C-1", pricing=facility().pricing)
    p = project(
        "P-1",
        total_cost=Money.of("0.12345678901234567", "EUR"),
        debt=Money.of("0.1", "EUR"),
        equity=Money.of("0.02345678901234567", "EUR"),
    )
    with pytest.raises(
        BatchValidationError,
        match=re.escape("`projects[0].total_cost` must be an amount"),
    ):
        book_frames(Book(clients=(client("C-1"),), facilities=(f,), projects=(p,)))


def test_trailing_zeros_do_not_survive_but_values_do():
    c = client("C-1", annual_revenue=Money.of("100.50", "EUR"))
    back = book_from_frames(book_frames(Book(clients=(c,))))
    assert back.clients[0].annual_revenue == c.annual_revenue
    assert str(back.clients[0].annual_revenue.amount) == "100.5"


# --- validation ------------------------------------------------------------------------
def good_clients() -> pd.DataFrame:
    return book_frames(rich_book()).clients


def good_facilities() -> pd.DataFrame:
    return book_frames(rich_book()).facilities


def test_good_frames_pass():
    frames = book_frames(rich_book())
    validate_clients_frame(frames.clients)
    validate_facilities_frame(frames.facilities)
    validate_projects_frame(frames.projects)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_a_numeric_column(bad):
    frame = good_clients()
    frame.loc[1, "annual_revenue"] = bad
    with pytest.raises(BatchValidationError) as info:
        validate_clients_frame(frame)
    (child,) = info.value.exceptions
    assert isinstance(child, InvalidRowsError)
    expected = "present (not missing)" if np.isnan(bad) else "a finite number >= 0"
    assert str(child) == (
        f"`clients[1].annual_revenue` must be {expected}; got {bad!r}. 1 row fails this rule: 1."
    )


def test_inf_in_a_nullable_column_is_still_refused():
    frame = good_facilities()
    frame["loss_given_default"] = [np.inf, np.nan]
    with pytest.raises(
        BatchValidationError,
        match=re.escape(
            "`facilities[0].loss_given_default` must be a finite number in [0, 1]; got inf."
        ),
    ):
        validate_facilities_frame(frame)


def test_misspelled_column():
    frame = good_clients().rename(columns={"sector": "sectr"})
    with pytest.raises(
        SchemaError,
        match=re.escape(
            "`clients.columns` must be the columns and dtypes of the clients schema; got "
            "missing ['sector']. Did you mean 'sectr'?"
        ),
    ):
        validate_clients_frame(frame)


def test_missing_column():
    frame = good_facilities().drop(columns=["maturity_on"])
    with pytest.raises(SchemaError, match=re.escape("got missing ['maturity_on'].")):
        validate_facilities_frame(frame)


def test_wrong_dtype():
    frame = good_facilities()
    frame["limit"] = frame["limit"].astype(str)
    with pytest.raises(
        SchemaError,
        match=re.escape("got 'limit' of dtype str (needs a numeric dtype (float64))."),
    ):
        validate_facilities_frame(frame)


def test_empty_frame():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`projects` must be at least one row; got 'an empty frame'."),
    ):
        validate_projects_frame(book_frames(Book()).projects)


def test_not_a_frame():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`clients` must be a pandas DataFrame; got 'list'."),
    ):
        validate_clients_frame([])  # type: ignore[arg-type]


def test_every_facility_rule_reported_at_once():
    frame = pd.concat([good_facilities()] * 3, ignore_index=True)
    frame["facility_id"] = [f"F{i}" for i in range(6)]
    frame.loc[0, "limit"] = -1.0
    frame.loc[1, "drawn"] = 10_000_001.0  # limit 10m
    frame["maturity_on"] = frame["maturity_on"].where(
        frame.index != 2, frame["start_on"]
    )
    frame.loc[3, "default_probability"] = 1.5
    frame.loc[4, "currency"] = "EURO"
    frame.loc[5, "facility_id"] = "F0"
    with pytest.raises(BatchValidationError) as info:
        validate_facilities_frame(frame)
    assert [str(e) for e in info.value.exceptions] == [
        "`facilities[4].currency` must be an active ISO 4217 currency code; got 'EURO'. 1 row fails this rule: 4.",
        "`facilities[0].limit` must be a finite number >= 0; got -1.0. 1 row fails this rule: 0.",
        "`facilities[3].default_probability` must be a finite number in [0, 1]; got 1.5. 1 row fails this rule: 3.",
        "`facilities[5].facility_id` must be unique (no duplicate ids); got 'F0'. 1 row fails this rule: 5.",
        # row 0 (limit -1 < drawn 7.5m) also breaks drawn <= limit
        "`facilities[0].drawn` must be at most `limit` unless `allows_overdraw`; got 7500000.0. 2 rows fail this rule: 0, 1.",
        "`facilities[2].maturity_on` must be a date after `start_on`; got Timestamp('2024-01-15 00:00:00'). 1 row fails this rule: 2.",
    ]


def test_lgd_outside_unit_interval_in_frame():
    frame = good_facilities()
    frame.loc[0, "loss_given_default"] = -0.2
    with pytest.raises(
        BatchValidationError,
        match=re.escape(
            "`facilities[0].loss_given_default` must be a finite number in [0, 1]; got -0.2."
        ),
    ):
        validate_facilities_frame(frame)


def test_unknown_country_code_in_frame():
    frame = good_clients()
    frame.index = ["a", "b"]
    frame.loc["b", "country"] = "XX"
    with pytest.raises(
        BatchValidationError,
        match=re.escape(
            "`clients['b'].country` must be an ISO 3166-1 alpha-2 country code; got 'XX'. "
            "1 row fails this rule: 'b'."
        ),
    ):
        validate_clients_frame(frame)


def test_project_sources_must_equal_uses():
    frame = book_frames(rich_book()).projects
    frame.loc[0, "equity"] = 1.0
    with pytest.raises(
        BatchValidationError,
        match=re.escape("`projects[0].equity` must be `total_cost` - `debt`; got 1.0."),
    ):
        validate_projects_frame(frame)


# --- frames -> book errors ---------------------------------------------------------------
def test_row_errors_carry_frame_paths():
    frames = book_frames(rich_book())
    milestones = frames.milestones.copy()
    milestones.loc[0, "percent_complete"] = 50.0  # it has an actual date
    sponsors = frames.sponsors.copy()
    sponsors.loc[1, "equity_share"] = 0.2  # 0.7 + 0.2 = 0.9
    bad = BookFrames(
        clients=frames.clients,
        facilities=frames.facilities,
        projects=frames.projects,
        milestones=milestones,
        sponsors=sponsors,
        collateral=frames.collateral,
        guarantees=frames.guarantees,
    )
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(bad)
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`milestones[0].percent_complete` must be 100 when `actual_on` is set (a completed "
            "milestone); got 50.0."
        ),
        "`projects[0].sponsors` must be equity shares whose sum is 1 (within 1e-9); got 0.9.",
    ]


def test_child_row_with_unknown_owner():
    frames = book_frames(rich_book())
    coll = frames.collateral.copy()
    coll.loc[1, "facility_id"] = "F-9"
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(
            BookFrames(
                clients=frames.clients,
                facilities=frames.facilities,
                projects=frames.projects,
                collateral=coll,
                sponsors=frames.sponsors,
            )
        )
    (child,) = info.value.exceptions
    assert isinstance(child, UnknownReferenceError)
    assert str(child) == (
        "No facility with id 'F-9' (referenced by `collateral[1].facility_id`). Did you mean 'F-2'?"
    )


def test_facility_whose_client_is_missing_from_frames():
    frames = book_frames(
        Book(clients=(client("C-1"),), facilities=(facility("F-1", "C-1"),))
    )
    facilities = frames.facilities.assign(client_id=["C-2"])
    with pytest.raises(
        BatchValidationError,
        match=re.escape(
            "No client with id 'C-2' (referenced by `facilities[0].client_id`)"
        ),
    ):
        book_from_frames(BookFrames(clients=frames.clients, facilities=facilities))


def test_clients_only_frames_are_enough():
    frames = book_frames(Book(clients=(client("C-1"),)))
    book = book_from_frames(BookFrames(clients=frames.clients))
    assert book.clients == (client("C-1"),)
    assert book.clients[0].onboarded_on == dt.date(2020, 1, 1)
    assert book.clients[0].annual_revenue.amount == Decimal(50_000_000)


def test_input_frame_is_not_mutated():
    frame = good_clients()
    before = frame.copy()
    validate_clients_frame(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_measured_on_is_optional_for_validation_but_needed_for_entities():
    frame = good_clients().drop(columns=["measured_on"])
    validate_clients_frame(frame)  # other producers may not carry it
    with pytest.raises(
        SchemaError,
        match=re.escape(
            "`clients.columns` must be the columns and dtypes of the clients schema; got missing ['measured_on']."
        ),
    ):
        book_from_frames(BookFrames(clients=frame))


def test_non_string_id_in_an_object_column_is_refused_not_converted():
    frames = book_frames(Book(clients=(client("C-1"),)))
    clients = frames.clients.astype({"client_id": object})
    clients.loc[0, "client_id"] = 7
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(BookFrames(clients=clients))
    assert [str(e) for e in info.value.exceptions] == [
        "`clients[0].id` must be a non-empty string; got 7."
    ]
