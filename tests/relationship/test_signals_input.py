"""Signals from histories: the frames it accepts and the input it refuses."""

import datetime as dt

import pandas as pd
import pytest

from lendcrm import Book, RatingRecord
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    SchemaError,
    UnknownReferenceError,
)
from lendcrm.frames import columns as schema
from lendcrm.relationship import client_signals
from tests.relationship.history_books import client, history_frames
from tests.relationship.test_signals import AS_OF, run, signals_of, small_book

D = dt.date


# --- bad input --------------------------------------------------------------------------


def test_a_grade_off_the_scale_is_refused_naming_the_row():
    frames = history_frames(small_book())
    frames["ratings"].loc[1, schema.RATING_GRADE] = "BB+"
    with pytest.raises(
        InvalidRowsError,
        match=r"`ratings\[1\]\.rating_grade` must be a grade of the master scale \(1, 2",
    ):
        run(frames, AS_OF)


def test_two_observations_on_one_date_are_refused():
    frames = history_frames(small_book())
    obs = frames["observations"]
    frames["observations"] = pd.concat([obs, obs.iloc[[1]]], ignore_index=True)
    with pytest.raises(
        InvalidRowsError,
        match=r"`observations\[2\]\.period_end` must be a date not already recorded for facility 'F-1'",
    ):
        run(frames, AS_OF)


def test_unknown_owners_and_repeated_ids_are_refused():
    frames = history_frames(small_book())
    frames["observations"].loc[0, schema.FACILITY_ID] = "F-9"
    with pytest.raises(
        UnknownReferenceError,
        match=r"No facility with id 'F-9' \(referenced by `observations\[0\]\.facility_id`\)",
    ):
        run(frames, AS_OF)
    frames = history_frames(small_book())
    frames["clients"] = pd.concat([frames["clients"]] * 2, ignore_index=True)
    with pytest.raises(
        InvalidRowsError,
        match=r"`clients\[2\]\.client_id` must be an id not already listed",
    ):
        run(frames, AS_OF)
    # sorted, with a repeat: not strictly increasing, so the hash table finds it
    frames["clients"] = frames["clients"].sort_values(schema.CLIENT_ID)
    with pytest.raises(InvalidRowsError, match="must be an id not already listed"):
        run(frames, AS_OF)


def test_missing_columns_and_bad_values_are_refused_by_the_frame_checks():
    frames = history_frames(small_book())
    frames["observations"] = frames["observations"].drop(columns=[schema.LIMIT])
    with pytest.raises(SchemaError, match="limit"):
        run(frames, AS_OF)
    frames = history_frames(small_book())
    frames["observations"].loc[1, schema.DRAWN] = -5.0
    with pytest.raises(
        BatchValidationError,
        match=r"`observations\[1\]\.drawn` must be a finite number >= 0",
    ):
        run(frames, AS_OF)
    frames = history_frames(small_book())
    frames["measures"].loc[0, schema.MEASURED_ON] = pd.NaT
    with pytest.raises(
        BatchValidationError, match=r"`measures\[0\]\.measured_on` must be present"
    ):
        run(frames, AS_OF)
    with pytest.raises(
        InvalidValueError, match="`observations` must be a pandas DataFrame"
    ):
        run({**history_frames(small_book()), "observations": []})


@pytest.mark.parametrize("grades", [(), ("1", "1"), ("A", "")])
def test_bad_grades_are_refused(grades):
    with pytest.raises(
        InvalidValueError,
        match="`grades` must be distinct non-empty grade labels, best first",
    ):
        signals_of(small_book(), grades=grades)


def test_as_of_must_be_a_date():
    with pytest.raises(InvalidValueError, match=r"`as_of` must be a datetime\.date"):
        run(history_frames(small_book()), "2025-12-31")
    with pytest.raises(InvalidValueError, match=r"`as_of` must be a datetime\.date"):
        client_signals(small_book(), "C-1", as_of="2025-12-31")  # type: ignore[arg-type]


def test_the_one_client_face_refuses_what_the_batch_refuses():
    bad = client("C-1", ratings=(RatingRecord(rated_on=D(2025, 1, 1), grade="AA"),))
    with pytest.raises(
        InvalidValueError,
        match=r"`ratings\[0\]\.grade` must be a grade of the master scale \(1, .*\) for client 'C-1'",
    ):
        client_signals(Book(clients=(bad,)), "C-1", as_of=AS_OF)
    with pytest.raises(UnknownReferenceError, match="No client with id 'C-9'"):
        client_signals(small_book(), "C-9", as_of=AS_OF)


def test_ids_are_read_the_same_whatever_their_layout():
    # grouped runs in owner order, grouped runs with an owner missing, scattered rows,
    # object dtype and categoricals all give the same codes
    book = small_book()
    frames = history_frames(book)
    expected = run(frames)
    obs = frames["observations"]
    variants = [
        {**frames, "observations": obs.astype({schema.FACILITY_ID: object})},
        {**frames, "observations": obs.iloc[[1, 0]]},
        {**frames, "measures": frames["measures"].iloc[[1, 0]]},
        {
            **frames,
            "facilities": frames["facilities"].astype({schema.CLIENT_ID: "category"}),
        },
    ]
    for variant in variants:
        pd.testing.assert_frame_equal(run(variant), expected)
    bad = frames["measures"].copy()
    bad.loc[1, schema.CLIENT_ID] = "C-9"
    with pytest.raises(UnknownReferenceError, match=r"`measures\[1\]\.client_id`"):
        run({**frames, "measures": bad})
    cat = frames["facilities"].astype({schema.CLIENT_ID: "category"})
    cat[schema.CLIENT_ID] = cat[schema.CLIENT_ID].cat.rename_categories(["X"])
    with pytest.raises(UnknownReferenceError, match=r"`facilities\[0\]\.client_id`"):
        run({**frames, "facilities": cat})
