"""`load_book` (#16 items 2-3): defaults on view, one pass with every error, quarantine."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import Book
from lendcrm.errors import BatchValidationError, InvalidValueError, SchemaError
from lendcrm.frames import book_frames, check_frame
from lendcrm.frames.mapping import (
    OPTIONAL_COLUMNS,
    Column,
    ColumnMapping,
    check_book_frames,
    load_book,
)
from lendcrm.frames.mapping._integrity import is_in, parent_positions
from lendcrm.frames.mapping._rules import cross_rules, spec_rules
from lendcrm.frames.mapping._schema import SPECS
from lendcrm.synthetic import generate_book

BOOK = generate_book(25, seed=3, as_of=dt.date(2025, 12, 31))


def book_dict() -> dict[str, pd.DataFrame]:
    return attrs.asdict(book_frames(BOOK), recurse=False)


def core_clients() -> pd.DataFrame:
    """What a core system has: no relationship measures, no ratings."""
    return pd.DataFrame(
        {
            "client_id": ["C-1", "C-2", "C-3"],
            "legal_name": ["Nordwind GmbH", "Alpen Bau AG", "Elbe Logistik KG"],
            "sector": ["C", "F", "H"],
            "country": ["DE", "AT", "DE"],
            "onboarded_on": pd.to_datetime(["2015-01-02", "2018-06-15", "2020-03-01"]),
            "currency": ["EUR", "EUR", "EUR"],
            "annual_revenue": [12.5e6, 8.3e6, 4.1e6],
        },
        index=["C-1", "C-2", "C-3"],
    )


def core_facilities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "facility_id": ["F-1", "F-2", "F-3"],
            "client_id": ["C-1", "C-2", "C-3"],
            "kind": ["revolving_credit", "term_loan", "term_loan"],
            "currency": ["EUR", "EUR", "EUR"],
            "limit": [5e5, 2e6, 7.5e5],
            "drawn": [1.2e5, 1.5e6, 7e5],
            "start_on": pd.to_datetime(["2024-01-01", "2023-07-01", "2022-01-01"]),
            "maturity_on": pd.to_datetime(["2026-12-31", "2030-06-30", "2027-12-31"]),
            "seniority": ["senior_unsecured"] * 3,
            "reference_rate": ["EURIBOR_3M"] * 3,
            "margin_bps": [150, 175, 200],
            "status": ["active"] * 3,
        },
        index=["F-1", "F-2", "F-3"],
    )


def messages(frames, **kwargs) -> list[str]:
    with pytest.raises(BatchValidationError) as info:
        load_book(frames, **kwargs)
    return [str(e) for e in info.value.exceptions]


# --- the whole book round-trips, both ways ---------------------------------------------
@pytest.mark.parametrize("quarantine", [False, True])
def test_a_books_own_frames_load_back_to_the_book(quarantine):
    loaded = load_book(book_dict(), quarantine=quarantine)
    assert loaded.book == BOOK
    assert loaded.rejected.empty
    assert list(loaded.rejected.columns) == ["frame", "row", "position", "reason"]
    assert loaded.defaulted.empty


# --- item 2: what a core system lacks ---------------------------------------------------
def test_absent_optional_columns_are_filled_and_listed():
    loaded = load_book({"clients": core_clients(), "facilities": core_facilities()})
    assert [c.measures for c in loaded.book.clients] == [None, None, None]
    assert loaded.defaulted["column"].tolist() == [
        *OPTIONAL_COLUMNS["clients"],
        *OPTIONAL_COLUMNS["facilities"],
    ]
    records = loaded.defaulted.to_dict("records")
    assert records[-4] == {
        "frame": "facilities",
        "column": "allows_overdraw",
        "default": False,
        "meaning": "the limit is a hard cap",
    }
    facility = loaded.book.facility("F-1")  # type: ignore[arg-type]
    assert facility.pricing.arrangement_fee.amount == 0
    assert facility.allows_overdraw is False


def test_measures_are_filled_only_as_a_group():
    clients = core_clients().assign(measured_on=pd.Timestamp("2025-12-31"))
    assert messages({"clients": clients}) == [
        (
            "`clients.columns` must be the columns and dtypes of the clients schema; got "
            "missing ['revenue_to_bank', 'profit_to_bank', 'product_count', "
            "'transaction_count', 'last_transaction_on', 'referral_count']."
        )
    ]


# --- item 3: one pass, every error -------------------------------------------------------
def test_missing_columns_of_every_frame_in_one_round_with_hints_among_extras_only():
    clients = core_clients().rename(columns={"sector": "sectr"}).drop(columns="country")
    facilities = core_facilities().drop(columns="limit")
    facilities.loc["F-2", "drawn"] = -1.0
    assert messages({"clients": clients, "facilities": facilities}) == [
        (
            "`clients.columns` must be the columns and dtypes of the clients schema; got "
            "missing ['sector', 'country']. Did you mean 'sectr'?"
        ),
        (
            "`facilities.columns` must be the columns and dtypes of the facilities schema; "
            "got missing ['limit']."
        ),
    ]


def test_row_defects_ids_references_and_cycles_in_one_error():
    clients = core_clients()
    clients.loc["C-2", "annual_revenue"] = -5.0
    clients["parent_id"] = [None, "C-3", "C-2"]
    facilities = core_facilities()
    facilities.loc["F-3", "client_id"] = "C-9"
    facilities.loc["F-1", "maturity_on"] = pd.Timestamp("2023-01-01")
    with pytest.raises(BatchValidationError) as info:
        load_book({"clients": clients, "facilities": facilities})
    assert info.value.total == 6
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`clients['C-2'].annual_revenue` must be a finite number >= 0; got -5.0. 1 row "
            "fails this rule: 'C-2'."
        ),
        (
            "`clients['C-2'].parent_id` must be a parent chain that ends at a group root "
            "(these rows form a parent cycle; first at position 1); got 'C-3'. 2 rows fail "
            "this rule: 'C-2', 'C-3'."
        ),
        (
            "`facilities['F-1'].maturity_on` must be a date after `start_on`; got "
            "Timestamp('2023-01-01 00:00:00'). 1 row fails this rule: 'F-1'."
        ),
        (
            "`facilities['F-3'].client_id` must be the id of a row of the clients frame "
            "(first unknown at position 2); got 'C-9'. 1 row fails this rule: 'F-3'."
        ),
    ]


def test_no_did_you_mean_for_an_unknown_id():
    facilities = core_facilities()
    facilities.loc["F-3", "client_id"] = "C-11"
    (message,) = messages({"clients": core_clients(), "facilities": facilities})
    assert "Did you mean" not in message


def test_ids_differing_only_by_case_or_whitespace_are_named():
    clients = core_clients()
    clients["client_id"] = ["C-1", "C-2", " c-1"]
    # ' c-1' breaks the id rule (surrounding whitespace) and repeats 'C-1' once case
    # and whitespace are ignored: both are reported, in one pass
    assert messages({"clients": clients}) == [
        (
            "`clients['C-3'].client_id` must be an id without leading or trailing "
            "whitespace; got ' c-1'. 1 row fails this rule: 'C-3'."
        ),
        (
            "`clients['C-3'].client_id` must be an id no earlier row has once case and "
            "surrounding whitespace are ignored (first at position 2, same as 'C-1' at "
            "position 0); got ' c-1'. 1 row fails this rule: 'C-3'."
        ),
    ]
    clients["client_id"] = ["C-1", "C-2", "c-1"]
    assert messages({"clients": clients}) == [
        (
            "`clients['C-3'].client_id` must be an id no earlier row has once case and "
            "surrounding whitespace are ignored (first at position 2, same as 'C-1' at "
            "position 0); got 'c-1'. 1 row fails this rule: 'C-3'."
        )
    ]


def test_exact_duplicate_ids_and_labels_are_named_by_position():
    clients = core_clients()
    clients.index = ["C-1", "C-2", "C-1"]
    clients["client_id"] = ["C-1", "C-2", "C-1"]
    assert messages({"clients": clients}) == [
        (
            "`clients['C-1'].client_id` must be unique (no duplicate ids); got 'C-1'. 1 row "
            "fails this rule: 'C-1'."
        ),
        (
            "`clients['C-1'].index` must be a row label no earlier row has (row labels are "
            "unique; first repeat at position 2); got 'C-1'. 1 row fails this rule: 'C-1'."
        ),
    ]


def test_unparsable_text_is_reported_once_not_again_as_missing():
    mapping = ColumnMapping(frame="clients", columns=[
        Column(target=c, source=c) for c in core_clients().columns if c != "annual_revenue"
    ] + [Column(target="annual_revenue", source="UMSATZ", parse="decimal")])  # fmt: skip
    source = core_clients().drop(columns="annual_revenue")
    source["UMSATZ"] = ["12500000", "8.300.000,00", "4100000"]
    assert messages({"clients": source}, mappings=[mapping]) == [
        (
            "`clients['C-2'].annual_revenue` must be a decimal number written with '.' as the "
            "decimal separator and no thousands separator (source column 'UMSATZ'); got "
            "'8.300.000,00'. 1 row fails this rule: 'C-2'."
        )
    ]


def test_an_unknown_frame_name_gets_a_hint_and_a_mapping_needs_its_frame():
    with pytest.raises(InvalidValueError) as info:
        load_book({"client": core_clients()})
    assert str(info.value) == (
        "`frames['client']` must be a frame of the book (see BookFrames); got 'client'. "
        "Did you mean 'clients'?"
    )
    mapping = ColumnMapping(
        frame="facilities", columns=[Column(target="limit", source="L")]
    )
    with pytest.raises(
        InvalidValueError, match="the name of a frame passed in `frames`"
    ):
        load_book({"clients": core_clients()}, mappings=[mapping])


def test_a_book_needs_a_clients_frame():
    with pytest.raises(InvalidValueError) as info:
        load_book({"facilities": core_facilities()})
    assert str(info.value) == (
        "`frames` must be a dict with a 'clients' frame; got ['facilities']."
    )


def test_an_empty_clients_frame_is_refused():
    assert messages({"clients": core_clients().iloc[:0]}) == [
        "`clients` must be at least one row; got 'an empty frame'."
    ]


# --- quarantine ----------------------------------------------------------------------------
def test_quarantine_sets_aside_failing_rows_and_their_dependants():
    clients = core_clients()
    clients.loc["C-2", "annual_revenue"] = -5.0
    clients["parent_id"] = [None, None, "C-2"]  # C-3 belongs to C-2's group
    facilities = core_facilities()
    loaded = load_book({"clients": clients, "facilities": facilities}, quarantine=True)
    assert [c.id for c in loaded.book.clients] == ["C-1"]
    assert [f.id for f in loaded.book.facilities] == ["F-1"]
    assert loaded.rejected.to_dict("records") == [
        {"frame": "clients", "row": "C-2", "position": 1,
         "reason": "`annual_revenue` must be a finite number >= 0; got -5.0"},
        {"frame": "clients", "row": "C-3", "position": 2,
         "reason": "`parent_id` must be the id of a clients row that was not set aside "
         "(this row depends on it); got 'C-2'"},
        {"frame": "facilities", "row": "F-2", "position": 1,
         "reason": "`client_id` must be the id of a clients row that was not set aside "
         "(this row depends on it); got 'C-2'"},
        {"frame": "facilities", "row": "F-3", "position": 2,
         "reason": "`client_id` must be the id of a clients row that was not set aside "
         "(this row depends on it); got 'C-3'"},
    ]  # fmt: skip


def test_quarantine_sets_aside_every_row_of_a_shared_id():
    clients = core_clients()
    clients["client_id"] = ["C-1", "C-2", "c-1 "]
    loaded = load_book(
        {"clients": clients, "facilities": core_facilities()}, quarantine=True
    )
    assert [c.id for c in loaded.book.clients] == ["C-2"]
    assert loaded.rejected["reason"].tolist()[:2] == [
        (
            "`client_id` must be an id no other row has (case and surrounding whitespace "
            "ignored); got 'C-1' (rows at positions 0, 2)"
        ),
        (
            "`client_id` must be an id no other row has (case and surrounding whitespace "
            "ignored); got 'c-1 ' (rows at positions 0, 2)"
        ),
    ]
    assert loaded.rejected["row"].tolist() == ["C-1", "C-3", "F-1", "F-3"]


def test_quarantine_collects_every_reason_of_a_row():
    facilities = core_facilities()
    facilities.loc["F-2", "client_id"] = "C-9"
    facilities.loc["F-2", "drawn"] = -1.0
    loaded = load_book(
        {"clients": core_clients(), "facilities": facilities}, quarantine=True
    )
    assert loaded.rejected["reason"].tolist() == [
        (
            "`drawn` must be a finite number >= 0; got -1.0; `client_id` must be the id of a "
            "row of the clients frame; got 'C-9'"
        )
    ]


def test_quarantine_still_raises_a_missing_column_and_an_empty_clients_frame():
    with pytest.raises(BatchValidationError) as info:
        load_book({"clients": core_clients().drop(columns="sector")}, quarantine=True)
    assert isinstance(info.value.exceptions[0], SchemaError)
    assert messages({"clients": core_clients().iloc[:0]}, quarantine=True) == [
        "`clients` must be at least one row; got 'an empty frame'."
    ]


def test_quarantine_keeps_valuations_with_their_collateral():
    """Valuations name collateral by position: the kept rows are renumbered."""
    fac = next(
        f for f in BOOK.facilities if f.collateral and f.collateral[0].valuations
    )
    first = fac.collateral[0]
    second = attrs.evolve(first, haircut=0.5, asset_id=None, claim_rank=None)
    two = attrs.evolve(fac, collateral=(first, second))
    book = Book(clients=BOOK.clients, projects=BOOK.projects,
                facilities=tuple(two if f.id == fac.id else f for f in BOOK.facilities))  # fmt: skip
    frames = attrs.asdict(book_frames(book), recurse=False)
    collateral = frames["collateral"].copy()
    row = np.flatnonzero((collateral["facility_id"] == fac.id).to_numpy())[0]
    collateral.loc[collateral.index[row], "haircut"] = 2.0
    loaded = load_book(dict(frames, collateral=collateral), quarantine=True)
    assert loaded.book.facility(fac.id).collateral == (second,)
    assert loaded.rejected["frame"].tolist() == ["collateral"] + ["valuations"] * len(
        first.valuations
    )
    assert loaded.rejected["reason"].iloc[-1] == (
        "`collateral_index` must be the position of a collateral row that was not set "
        "aside (this row depends on it); got 0"
    )


@settings(max_examples=10)  # a whole book per example: 10 keep the suite quick
@given(st.sets(st.integers(min_value=0, max_value=24), max_size=6))
def test_nothing_valid_is_lost_and_nothing_invalid_gets_in(broken):
    """Exactly the broken clients, their group descendants and all their rows go."""
    frames = book_dict()
    clients = frames["clients"].copy()
    positions = sorted(broken)
    clients.loc[clients.index[positions], "annual_revenue"] = -1.0
    loaded = load_book(dict(frames, clients=clients), quarantine=True)
    bad = {BOOK.clients[i].id for i in positions}
    changed = True
    while changed:
        more = {c.id for c in BOOK.clients if c.parent_id in bad} - bad
        changed, bad = bool(more), bad | more
    assert {c.id for c in loaded.book.clients} == {c.id for c in BOOK.clients} - bad
    kept = [f for f in BOOK.facilities if f.client_id not in bad]
    assert loaded.book.facilities == tuple(kept)
    assert list(loaded.book.clients) == [c for c in BOOK.clients if c.id not in bad]
    rejected = loaded.rejected
    assert set(rejected.loc[rejected["frame"] == "clients", "row"]) == {
        i for i, c in enumerate(BOOK.clients) if c.id in bad
    }


# --- the quarantine's masks agree with check_frame ----------------------------------------
@pytest.mark.parametrize("name", ["clients", "facilities", "projects", "collateral"])
def test_rule_masks_give_check_frames_messages(name):
    frame = book_dict()[name].copy()
    numeric = [
        s.name for s in SPECS[name] if s.kind in {"float", "int"} and s.lower == 0
    ]
    rows = frame.index
    frame.loc[rows[0], numeric[0]] = -1.0
    category = next(s.name for s in SPECS[name] if s.kind == "category")
    frame.loc[rows[-1], category] = "??"
    frame.loc[rows[1], category] = None
    id_column = str(frame.columns[0])
    if name != "collateral":
        frame.loc[rows[2], id_column] = frame.loc[rows[0], id_column]
    unique = () if name == "collateral" else (id_column,)
    with pytest.raises(BatchValidationError) as info:
        check_frame(frame, SPECS[name], frame_name=name, unique=unique)
    rules = [*spec_rules(frame, SPECS[name], name, unique), *cross_rules(frame, name)]
    assert [str(r.error(frame)) for r in rules][: len(info.value.exceptions)] == [
        str(e) for e in info.value.exceptions
    ]


# --- the columnar entry point ----------------------------------------------------------------
def test_check_book_frames_gives_load_books_frames_without_entities():
    clients = core_clients()
    clients.loc["C-2", "annual_revenue"] = -5.0
    frames = {"clients": clients, "facilities": core_facilities()}
    checked = check_book_frames(frames, quarantine=True)
    loaded = load_book(frames, quarantine=True)
    assert checked.frames.clients.index.tolist() == ["C-1", "C-3"]
    assert checked.frames.facilities.index.tolist() == ["F-1", "F-3"]
    pd.testing.assert_frame_equal(checked.rejected, loaded.rejected)
    pd.testing.assert_frame_equal(checked.defaulted, loaded.defaulted)
    with pytest.raises(BatchValidationError):
        check_book_frames(frames)


def test_is_in_agrees_with_pandas_isin():
    values = pd.Series(["a", None, "b", "c", "a"], dtype="str")
    pool = pd.Series(["a", "c", "c"], dtype="str")
    assert is_in(values, pool).tolist() == [True, False, False, True, True]
    assert is_in(values, pool).tolist() == values.isin(pool).tolist()


def test_parent_positions_point_at_the_first_row_of_each_id():
    ids = pd.Series(["a", "b", "c", "b", None], dtype="str")
    parents = pd.Series([None, "a", "b", "z", "c"], dtype="str")
    assert parent_positions(ids, parents).tolist() == [5, 0, 1, 5, 2]
