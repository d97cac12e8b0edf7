"""Histories through `to_dict` / `from_dict`: exact round trips, ``Money | None``, paths."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings

from lendcrm import (
    Book,
    Client,
    Facility,
    FinancialStatement,
    RatingRecord,
)
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.errors import BatchValidationError
from lendcrm.serialization import from_dict, make_converter, to_dict
from tests.factories import client, eur
from tests.history_factories import history_book
from tests.strategies import statements


def via_json(obj: object) -> dict[str, object]:
    out: dict[str, object] = json.loads(json.dumps(to_dict(obj)))
    return out


def test_a_book_with_every_history_survives_json():
    book = history_book()
    assert from_dict(via_json(book), Book) == book


def test_optional_statement_amounts_are_null_or_an_exact_money():
    s = history_book().clients[0].statements[0]
    d = to_dict(s)
    assert list(d) == ["period_end", "currency", "period_months", *STATEMENT_AMOUNTS]
    assert d["ebitda"] == {"amount": "-50.5", "currency": "EUR"}
    assert d["total_assets"] == {"amount": "0.3", "currency": "EUR"}
    assert d["cash"] is None
    assert make_converter().structure(d, FinancialStatement) == s


@settings(max_examples=50)
@given(statements(dt.date(2024, 12, 31), "GBP"))
def test_statement_round_trip_property(statement):
    assert from_dict(via_json(statement), FinancialStatement) == statement


def test_records_and_observations_keep_their_fields():
    book = history_book()
    d = to_dict(book.facilities[1])
    assert d["observations"] == [
        {
            "period_end": "2025-03-31",
            "drawn": {"amount": "120", "currency": "USD"},
            "limit": {"amount": "100", "currency": "USD"},
            "days_past_due": 95,
            "in_default": True,
            "forborne": True,
        }
    ]
    assert d["collateral"][0]["valuations"] == [
        {
            "valued_on": "2025-05-05",
            "value": {"amount": "80", "currency": "USD"},
            "method": "market_price",
        }
    ]
    rating = to_dict(book.clients[0])["ratings"][1]
    assert rating == {
        "rated_on": "2025-06-30",
        "grade": "6",
        "default_probability": None,
        "rater": "",
        "override": True,
        "override_reason": "sector outlook",
    }
    assert from_dict(d, Facility) == book.facilities[1]


def test_bad_history_values_are_named_by_their_path():
    c = client(
        ratings=(
            RatingRecord(
                rated_on=dt.date(2025, 1, 31), grade="5", override=True,
                override_reason="group support",
            ),
        ),
        statements=(
            FinancialStatement(
                period_end=dt.date(2024, 12, 31), currency="EUR", ebitda=eur("5")
            ),
        ),
    )  # fmt: skip
    d = to_dict(c)
    d["ratings"][0]["override_reason"] = None
    d["statements"][0]["ebitda"]["amount"] = 5.5
    with pytest.raises(BatchValidationError) as info:
        from_dict(d, Client)
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`ratings[0].override_reason` must be a non-empty reason when `override` is "
            "true; got None."
        ),
        (
            "`statements[0].ebitda.amount` must be a decimal string such as '1250.00', "
            "not a float; got 5.5. Floats cannot hold most cent amounts exactly; send a "
            "string."
        ),
    ]


def test_a_duplicate_period_in_a_dict_names_entity_period_and_field():
    d = to_dict(history_book().clients[0])
    d["measures_history"][1]["period_end"] = "2023-12-31"
    d["measures_history"][1]["last_transaction_on"] = None
    with pytest.raises(BatchValidationError) as info:
        from_dict(d, Client)
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`measures_history[1].period_end` must be after 2023-12-31 (one record per "
            "date, oldest first) for client 'C-1'; got datetime.date(2023, 12, 31)."
        )
    ]
