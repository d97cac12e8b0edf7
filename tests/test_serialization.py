"""Serialization: JSON-ready dicts, exact round trips, strict structuring with paths."""

import datetime as dt
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import (
    Book,
    CashFlow,
    Client,
    Collateral,
    Covenant,
    Drawdown,
    Facility,
    Feedback,
    Guarantee,
    Milestone,
    Money,
    Pricing,
    Project,
    Referral,
    RelationshipMeasures,
    Sponsor,
)
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    UnknownReferenceError,
)
from lendcrm.serialization import from_dict, make_converter, to_dict
from tests.factories import client, rich_client, rich_facility, rich_project
from tests.strategies import books, clients, facilities, projects


def rich_book() -> Book:
    return Book(
        clients=(rich_client("C-1"),),
        facilities=(rich_facility("F-1", "C-1", "P-1"),),
        projects=(rich_project("P-1"),),
    )


def via_json(obj):
    return json.loads(json.dumps(to_dict(obj)))


def test_conventions_of_the_dict():
    d = to_dict(rich_facility())
    assert d["limit"] == {"amount": "10000000", "currency": "EUR"}
    assert d["start_on"] == "2024-01-15"
    assert d["kind"] == "construction_loan"
    assert type(d["kind"]) is str  # the value, not the StrEnum member
    assert d["covenants"][0]["operator"] == "at_least"
    assert (
        d["guarantees"][0]["guarantor_name"] == "Sponsor One AG"
    )  # repr=False, still data
    assert d["project_id"] == "P-1"


def test_every_value_object_round_trips():
    f, p, c = rich_facility(), rich_project(), rich_client()
    objects = [
        *f.collateral,
        *f.guarantees,
        *f.covenants,
        f.pricing,
        *p.milestones,
        *p.drawdowns,
        *p.cash_flows,
        *p.sponsors,
        *c.feedback,
        *c.referrals,
        c.measures,
        Money.of("0.10", "JPY"),
    ]
    kinds = {type(o) for o in objects}
    assert kinds >= {
        Collateral, Guarantee, Covenant, Pricing, Milestone, Drawdown, CashFlow,
        Sponsor, Feedback, Referral, RelationshipMeasures, Money,
    }  # fmt: skip
    for obj in objects:
        assert from_dict(via_json(obj), type(obj)) == obj


def test_book_round_trips_through_json():
    book = rich_book()
    back = from_dict(via_json(book), Book)
    assert back == book
    assert str(back.facilities[0].collateral[1].value.amount) == "500000.01"  # exact


@settings(max_examples=40)
@given(st.one_of(clients(), facilities(), projects()))
def test_entity_round_trip_property(entity):
    assert from_dict(via_json(entity), type(entity)) == entity


@settings(max_examples=20)
@given(books())
def test_book_round_trip_property(book):
    assert from_dict(via_json(book), Book) == book


def test_misspelled_key_is_named_with_a_suggestion():
    d = to_dict(rich_book())
    d["facilities"][0]["limt"] = d["facilities"][0].pop("limit")
    with pytest.raises(BatchValidationError) as info:
        from_dict(d, Book)
    assert [str(e) for e in info.value.exceptions] == [
        "`facilities[0].limit` must be present (the key is required); got None.",
        "`facilities[0].limt` must be a known key of Facility; got 'limt'. Did you mean 'limit'?",
    ]


def test_unknown_key_without_close_match_lists_known_keys():
    with pytest.raises(
        BatchValidationError,
        match=re.escape(
            "`colour` must be a known key of Money; got 'colour'. Known keys: amount, currency."
        ),
    ):
        from_dict({"amount": "1", "currency": "EUR", "colour": "red"}, Money)


def test_nested_paths_for_bad_values():
    d = to_dict(rich_book())
    d["facilities"][0]["limit"]["currency"] = "XYZ"
    d["facilities"][0]["drawn"]["amount"] = 1.5
    d["clients"][0]["feedback"][1]["score"] = 7.5
    d["projects"][0]["phase"] = "building"
    d["projects"][0]["milestones"][0]["planned_on"] = "30/06/2025"
    with pytest.raises(BatchValidationError) as info:
        from_dict(d, Book)
    assert [str(e) for e in info.value.exceptions] == [
        "`clients[0].feedback[1].score` must be an integer; got 7.5.",
        (
            "`facilities[0].limit.currency` must be an active ISO 4217 currency code; got 'XYZ'. "
            "See lendcrm.CURRENCIES for the accepted list."
        ),
        (
            "`facilities[0].drawn.amount` must be a decimal string such as '1250.00', not a float; "
            "got 1.5. Floats cannot hold most cent amounts exactly; send a string."
        ),
        (
            "`projects[0].phase` must be one of 'development', 'financial_close', 'construction', "
            "'commissioning', 'operations', 'repaid', 'defaulted', 'written_off', 'abandoned'; got 'building'."
        ),
        (
            "`projects[0].milestones[0].planned_on` must be an ISO 8601 date string such as "
            "'2026-03-31'; got '30/06/2025'."
        ),
    ]
    assert info.value.message.startswith("5 of ")


def test_cross_field_rule_reported_with_its_path():
    d = to_dict(rich_book())
    d["facilities"][0]["drawn"]["amount"] = "10000000.01"
    with pytest.raises(
        BatchValidationError,
        match=re.escape("`facilities[0].drawn` must be at most the limit 10000000 EUR"),
    ):
        from_dict(d, Book)


def test_sponsor_shares_from_dict():
    d = to_dict(rich_project())
    d["sponsors"][1]["equity_share"] = 0.2
    with pytest.raises(
        BatchValidationError,
        match=re.escape(
            "`sponsors` must be equity shares whose sum is 1 (within 1e-9); got 0.9."
        ),
    ):
        from_dict(d, Project)


def test_book_integrity_errors_pass_through():
    d = to_dict(rich_book())
    d["facilities"][0]["client_id"] = "C-9"
    with pytest.raises(BatchValidationError) as info:
        from_dict(d, Book)
    (child,) = info.value.exceptions
    assert isinstance(child, UnknownReferenceError)
    assert str(child) == (
        "No client with id 'C-9' (referenced by `facilities[0].client_id`). Did you mean 'C-1'?"
    )


def test_strict_scalars():
    d = to_dict(client())
    d["id"] = 17
    d["on_watchlist"] = "yes"
    d["default_probability"] = "0.1"
    with pytest.raises(BatchValidationError) as info:
        from_dict(d, Client)
    assert [str(e) for e in info.value.exceptions] == [
        "`id` must be a string; got 17.",
        "`default_probability` must be a number; got '0.1'.",
        "`on_watchlist` must be true or false; got 'yes'.",
    ]


def test_not_a_dict():
    with pytest.raises(
        BatchValidationError,
        match=re.escape("`Facility` must be a dict (a JSON object); got 'list'."),
    ):
        from_dict([], Facility)  # type: ignore[arg-type]


def test_to_dict_refuses_non_entities():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`obj` must be a lendcrm entity, value object or Book; got 'dict'."
        ),
    ):
        to_dict({})


def test_own_converter_instance():
    conv = make_converter()
    assert conv is not make_converter()
    d = to_dict(rich_project(), converter=conv)
    assert from_dict(d, Project, converter=conv) == rich_project()
    assert d["milestones"][0]["actual_on"] == dt.date(2025, 7, 12).isoformat()
