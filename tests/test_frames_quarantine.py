"""Quarantine of history and contact rows and of entity rules found at the build (#16).

`load_book(..., quarantine=True)` sets aside every row that breaks a rule — of any
frame, including the history and contact frames, and the rules only the entities
check when the book is built — with its dependants and a reason in the words of the
rule; nothing valid is lost and nothing invalid gets in.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import Book
from lendcrm.errors import BatchValidationError, InvalidValueError, LendCRMError
from lendcrm.frames import book_frames, check_frame
from lendcrm.frames.mapping import check_book_frames, load_book
from lendcrm.frames.mapping._history_rules import history_rules
from lendcrm.frames.mapping._rules import spec_rules
from lendcrm.frames.mapping._schema import SPECS
from lendcrm.synthetic import generate_book

BOOK = generate_book(25, seed=3, as_of=dt.date(2025, 12, 31))
DEPENDS = "must be the id of a {} row that was not set aside (this row depends on it)"


def book_dict() -> dict[str, pd.DataFrame]:
    return attrs.asdict(book_frames(BOOK), recurse=False)


def records(loaded, frame: str) -> list[tuple[int, str]]:
    rejected = loaded.rejected[loaded.rejected["frame"] == frame]
    return list(zip(rejected["position"].tolist(), rejected["reason"], strict=True))


# --- history and contact rows ------------------------------------------------------------
def test_history_and_contact_defects_are_set_aside_not_raised():
    frames = book_dict()
    ratings, contacts = frames["ratings"].copy(), frames["contacts"].copy()
    ratings.loc[0, "rating_override"] = True  # C0000001's first of two ratings
    contacts.loc[2, "contact_role"] = "boss"
    with pytest.raises(BatchValidationError):
        load_book(dict(frames, ratings=ratings, contacts=contacts))
    loaded = load_book(
        dict(frames, ratings=ratings, contacts=contacts), quarantine=True
    )
    assert (
        loaded.rejected["frame"].tolist()
        == ["ratings", "contacts"] + ["interactions"] * 8
    )
    assert records(loaded, "ratings") == [
        (0, ("`override_reason` must be a non-empty reason when `rating_override` is "
            "true; got None"))
    ]  # fmt: skip
    assert records(loaded, "contacts") == [
        (2, ("`contact_role` must be one of 'ceo', 'cfo', 'controller', 'legal', "
            "'operations', 'other', 'sponsor_representative', 'treasurer'; got 'boss'"))
    ]  # fmt: skip
    assert records(loaded, "interactions") == [
        (k, ("`contact_ids` must be ids of contacts rows that were not set aside (this "
            "row depends on them); got 'C0000002-K1'"))
        for k in (3, 4, 5, 6, 8, 9, 10, 11)
    ]  # fmt: skip
    first = BOOK.clients[0]
    assert loaded.book.client(first.id).ratings == first.ratings[1:]
    second = BOOK.clients[1]
    assert loaded.book.client(second.id) == attrs.evolve(
        second,
        contacts=tuple(k for k in second.contacts if k.id != "C0000002-K1"),
        interactions=tuple(x for x in second.interactions if not x.contact_ids),
    )


def contact_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    frames = book_dict()
    return frames["contacts"].copy(), frames["interactions"].copy()


def test_the_contact_rules_of_a_client_set_aside_only_the_rows_at_fault():
    contacts, interactions = contact_frames()
    contacts.loc[1, "contact_id"] = "C0000001-K1"  # C0000001's two contacts: one id
    interactions.loc[2, "interaction_on"] = pd.Timestamp("2024-01-01")  # before row 1
    interactions.loc[3, "contact_ids"] = "C0000002-K9"
    interactions.loc[0, "interaction_on"] = pd.Timestamp("1999-01-01")
    frames = dict(book_dict(), contacts=contacts, interactions=interactions)
    with pytest.raises(LendCRMError):  # the client's first refusal, at the build
        load_book(frames)
    loaded = load_book(frames, quarantine=True)
    assert records(loaded, "contacts") == [
        (k, ("`contact_id` must be a contact id no other row of its client has; got "
            "'C0000001-K1'")) for k in (0, 1)
    ]  # fmt: skip
    assert records(loaded, "interactions") == [
        (0, ("`interaction_on` must be a date on or after the `onboarded_on` of its "
            "client (no interaction before the client existed); got '1999-01-01'")),
        (1, ("`contact_ids` must be ids of contacts rows that were not set aside (this "
            "row depends on them); got 'C0000001-K1'")),
        (2, ("`interaction_on` must be a date on or after every earlier interaction of "
            "its client (each client's rows oldest first, several on one day allowed); "
            "got '2024-01-01'")),
        (3, ("`contact_ids` must be ids of contacts of its client in the contacts "
            "frame; got 'C0000002-K9'")),
    ]  # fmt: skip
    assert [c.id for c in loaded.book.clients] == [c.id for c in BOOK.clients]


def test_statement_defects_are_set_aside_with_the_validators_words():
    frames = book_dict()
    statements = frames["statements"].copy()
    statements.loc[0, "total_assets"] = 16369782.0  # twice the right figure
    statements.loc[1, "currency"] = "USD"
    loaded = load_book(dict(frames, statements=statements), quarantine=True)
    assert records(loaded, "statements") == [
        (0, ("`total_assets` must be `total_liabilities` + `equity` where all three are "
            "given (the balance sheet balances, to 1e-12 relative); got 16369782.0")),
        (1, ("`currency` must be the currency of the client's first statement (one "
            "currency per client's statements); got 'USD'")),
    ]  # fmt: skip


def observations(dates: list[str]) -> pd.DataFrame:
    frame = book_dict()["observations"]
    one = frame.iloc[[0] * len(dates)].reset_index(drop=True)
    return one.assign(period_end=pd.to_datetime(dates))


def test_a_row_goes_back_in_time_when_it_is_not_after_every_earlier_row():
    """[1, 5, 3, 4]: the 3 and the 4 go (keeping the 4 would put it after the 5)."""
    frame = observations(["2021-01-31", "2025-01-31", "2023-01-31", "2024-01-31"])
    rules = history_rules(frame, "observations")
    assert [r.mask.tolist() for r in rules] == [[False, False, True, True]]
    assert rules[0].expected == (
        "after the `period_end` of the facility's previous row (each facility's rows "
        "oldest first; sort with frame.sort_values(['facility_id', 'period_end'], "
        "kind='stable'))"
    )


def test_a_repeated_date_is_set_aside_after_its_first_row():
    frame = observations(["2021-01-31", "2022-01-31", "2022-01-31", "2021-01-31"])
    rules = history_rules(frame, "observations")
    assert [(r.expected[:10], r.mask.tolist()) for r in rules] == [
        ("unique per", [False, False, True, False]),
        ("after the ", [False, False, False, True]),  # 2021 is before 2022
    ]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6), min_size=0, max_size=9))
def test_the_rows_kept_are_each_series_oldest_first_once(days):
    """What the order rules keep passes the raising validator; the rest break it."""
    frame = observations([f"2020-01-0{1 + d}" for d in days])
    frame["facility_id"] = pd.Series(
        [["F-1", "F-2"][k % 2] for k in range(len(days))],
        dtype=frame["facility_id"].dtype,
    )
    rules = history_rules(frame, "observations")
    gone = np.zeros(len(frame), np.bool_)
    for rule in rules:
        gone |= rule.mask
    check_frame(frame[~gone], SPECS["observations"], frame_name="observations",
                require_rows=False)  # fmt: skip
    from lendcrm.frames import validate_observations_frame

    validate_observations_frame(frame[~gone])  # passes: nothing invalid kept
    for series in ("F-1", "F-2"):
        days_of = [
            d for k, d in enumerate(days) if k % 2 == ("F-1", "F-2").index(series)
        ]
        best = [d for k, d in enumerate(days_of) if all(d > e for e in days_of[:k])]
        kept = frame[~gone & (frame["facility_id"] == series).to_numpy()]
        assert kept["period_end"].dt.day.tolist() == [1 + d for d in best]


@pytest.mark.parametrize("name", ["measures", "ratings", "valuations", "contacts"])
def test_spec_masks_of_history_and_contact_frames_give_check_frames_messages(name):
    frame = book_dict()[name].copy()
    for spec in SPECS[name]:
        if spec.kind == "category":
            frame.loc[frame.index[-1], spec.name] = "??"
        elif spec.kind in {"float", "int"} and spec.lower == 0:
            frame.loc[frame.index[0], spec.name] = -1
        elif spec.kind == "str" and not spec.nullable:
            frame.loc[frame.index[1], spec.name] = None
    with pytest.raises(BatchValidationError) as info:
        check_frame(frame, SPECS[name], frame_name=name, require_rows=False)
    rules = spec_rules(frame, SPECS[name], name)
    assert [str(r.error(frame)) for r in rules] == [
        str(e) for e in info.value.exceptions
    ]


# --- entity rules found when the book is built --------------------------------------------
def test_an_entity_rule_of_a_child_row_sets_that_row_aside():
    frames = book_dict()
    milestones = frames["milestones"].copy()
    milestones.loc[1, "percent_complete"] = 50.0  # complete (actual_on set) at 50 %
    with pytest.raises(BatchValidationError):
        load_book(dict(frames, milestones=milestones))
    loaded = load_book(dict(frames, milestones=milestones), quarantine=True)
    assert records(loaded, "milestones") == [
        (1, ("`percent_complete` must be 100 when `actual_on` is set (a completed "
            "milestone); got 50.0"))
    ]  # fmt: skip
    assert len(loaded.rejected) == 1
    assert loaded.book.project(BOOK.projects[1].id).milestones == ()
    assert loaded.book.facilities == BOOK.facilities
    # the columnar checks do not build entities: they keep the row
    assert check_book_frames(dict(frames, milestones=milestones), quarantine=True
                             ).rejected.empty  # fmt: skip


def test_an_entity_rule_of_a_client_sets_aside_the_client_and_its_dependants():
    frames = book_dict()
    clients = frames["clients"].copy()
    clients.loc[2, "legal_name"] = " "
    loaded = load_book(dict(frames, clients=clients), quarantine=True)
    gone = BOOK.clients[2].id
    assert records(loaded, "clients") == [
        (2, "`legal_name` must be a non-empty string; got ' '")
    ]
    assert records(loaded, "facilities") == [
        (k, f"`client_id` {DEPENDS.format('clients')}; got {gone!r}")
        for k, f in enumerate(BOOK.facilities)
        if f.client_id == gone
    ]
    assert [c.id for c in loaded.book.clients] == [
        c.id for c in BOOK.clients if c.id != gone
    ]
    assert loaded.frames.clients.index.tolist() == [
        k for k in range(len(BOOK.clients)) if k != 2
    ]


def test_a_history_row_whose_removal_breaks_its_client_takes_the_client():
    """The last measures row goes: the client's measures are no longer its last."""
    frames = book_dict()
    measures = frames["measures"].copy()
    measures.loc[1, "revenue_to_bank"] = -1.0  # C0000001's last period
    client = BOOK.clients[0]
    assert client.measures == client.measures_history[-1] != client.measures_history[0]
    loaded = load_book(dict(frames, measures=measures), quarantine=True)
    assert client.id not in {c.id for c in loaded.book.clients}
    assert records(loaded, "clients")[0][1].startswith(
        "`measures` must be the last period of `measures_history`"
    )
    assert records(loaded, "measures") == [
        (0, f"`client_id` {DEPENDS.format('clients')}; got {client.id!r}"),
        (1, "`revenue_to_bank` must be a finite number >= 0; got -1.0"),
    ]


def test_collateral_rows_that_describe_one_asset_differently_are_set_aside():
    frames = book_dict()
    collateral = frames["collateral"].copy()
    shared = collateral.index[collateral["asset_id"].notna()].tolist()
    collateral.loc[shared[1], "value"] = 1.0
    loaded = load_book(dict(frames, collateral=collateral), quarantine=True)
    assert records(loaded, "collateral") == [
        (shared[1], ("`asset_id` must be the same kind, value and valuations on every "
         "collateral row of one asset; got 'A000000028'"))
    ]  # fmt: skip
    fid = collateral.loc[shared[1], "facility_id"]
    assert loaded.book.facility(fid).collateral == ()


@settings(max_examples=10, deadline=None)  # a whole book per example
@given(
    st.sets(st.integers(min_value=0, max_value=43), max_size=6),
    st.sets(st.integers(min_value=0, max_value=46), max_size=6),
    st.sets(st.integers(min_value=0, max_value=24), max_size=3),
)
def test_nothing_valid_is_lost_and_nothing_invalid_gets_in(ratings_, contacts_, names):
    """Broken rating and contact rows go; a client the entity then refuses goes too,
    with its group and every row of theirs; a client with a blank name goes at the
    build. Everything else is in the book as it was, less the rows set aside."""
    frames = book_dict()
    ratings, contacts = frames["ratings"].copy(), frames["contacts"].copy()
    clients = frames["clients"].copy()
    ratings.loc[sorted(ratings_), "rating_override"] = True
    contacts.loc[sorted(contacts_), "contact_role"] = "boss"
    clients.loc[sorted(names), "legal_name"] = " "
    loaded = load_book(
        dict(frames, ratings=ratings, contacts=contacts, clients=clients),
        quarantine=True,
    )
    broken = ratings.iloc[sorted(ratings_)]
    broken = broken[broken["override_reason"].isna()]  # the others state a reason
    bad_ratings = set(zip(broken["client_id"], broken["rated_on"], strict=True))
    bad_contacts = set(contacts["contact_id"].iloc[sorted(contacts_)])
    expected: dict[str, object] = {}
    bad = {BOOK.clients[k].id for k in names}
    for c in BOOK.clients:
        try:
            expected[c.id] = attrs.evolve(
                c,
                ratings=tuple(r for r in c.ratings
                              if (c.id, pd.Timestamp(r.rated_on)) not in bad_ratings),
                contacts=tuple(k for k in c.contacts if k.id not in bad_contacts),
                interactions=tuple(x for x in c.interactions
                                   if not bad_contacts.intersection(x.contact_ids)),
            )  # fmt: skip
        except InvalidValueError:
            bad.add(c.id)
    changed = True
    while changed:
        more = {c.id for c in BOOK.clients if c.parent_id in bad} - bad
        changed, bad = bool(more), bad | more
    assert list(loaded.book.clients) == [
        expected[c.id] for c in BOOK.clients if c.id not in bad
    ]
    assert loaded.book.facilities == tuple(
        f for f in BOOK.facilities if f.client_id not in bad
    )
    rejected = loaded.rejected
    assert set(rejected.loc[rejected["frame"] == "clients", "position"]) == {
        k for k, c in enumerate(BOOK.clients) if c.id in bad
    }
    assert set(rejected.loc[rejected["frame"] == "ratings", "position"]) >= set(
        broken.index
    )
    assert set(rejected.loc[rejected["frame"] == "contacts", "position"]) >= contacts_
    assert Book(clients=loaded.book.clients, facilities=loaded.book.facilities,
                projects=loaded.book.projects) == loaded.book  # fmt: skip
