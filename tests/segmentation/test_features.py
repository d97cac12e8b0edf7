"""ClientFeatures: validated once at the boundary; the frame adapter."""

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import BatchValidationError, InvalidValueError, SchemaError
from lendcrm.segmentation import ClientFeatures, Measure

AS_OF = dt.date(2026, 6, 30)


def some(value):
    """The value, asserted present (narrows Optional for mypy)."""
    assert value is not None
    return value


def make(**overrides):
    base: dict[str, Any] = {
        "client_ids": ["a", "b", "c"],
        "revenue": [10.0, 5.0, 1.0],
        "profit": [4.0, -1.0, 0.5],
        "tenure_years": [3.0, 1.0, 8.0],
        "product_count": [2, 1, 4],
        "referral_count": [0, 0, 2],
    }
    base.update(overrides)
    return ClientFeatures(**base)


def test_arrays_become_float64_and_profit_may_be_negative():
    f = make()
    assert f.revenue.dtype == np.float64
    assert f.product_count.tolist() == [2.0, 1.0, 4.0]
    assert f.profit[1] == -1.0
    assert f.n_clients == 3
    assert repr(f) == "ClientFeatures(n_clients=3)"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "revenue",
            [1.0, np.nan, 2.0],
            r"`revenue\[1\]` must be a finite number >= 0; got nan\.",
        ),
        (
            "revenue",
            [1.0, 2.0, np.inf],
            r"`revenue\[2\]` must be a finite number >= 0; got inf\.",
        ),
        (
            "revenue",
            [1.0, -2.0, 3.0],
            r"`revenue\[1\]` must be a finite number >= 0; got -2\.0\.",
        ),
        (
            "profit",
            [np.inf, 0.0, 0.0],
            r"`profit\[0\]` must be a finite number; got inf\.",
        ),
        (
            "referral_count",
            [0, -1, 0],
            r"`referral_count\[1\]` must be a finite number >= 0; got -1\.0\.",
        ),
        (
            "referral_amount",
            [0, 0, -3],
            r"`referral_amount\[2\]` must be a finite number >= 0; got -3\.0\.",
        ),
        (
            "tenure_years",
            [0, np.nan, 0],
            r"`tenure_years\[1\]` must be a finite number >= 0; got nan\.",
        ),
        (
            "recency_days",
            [0, 0, -1],
            r"`recency_days\[2\]` must be a finite number >= 0; got -1\.0\.",
        ),
        (
            "on_watchlist",
            [0, 2, 0],
            r"`on_watchlist\[1\]` must be a boolean \(0 or 1\); got 2\.0\.",
        ),
    ],
)
def test_bad_feature_values_name_field_and_first_index(field, value, message):
    with pytest.raises(InvalidValueError, match=message):
        make(**{field: value})


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(
        InvalidValueError,
        match=r"`profit` must be the same length as `client_ids` \(3\); got 'length 2'\.",
    ):
        make(profit=[1.0, 2.0])


def test_optional_array_of_different_length_is_refused():
    with pytest.raises(
        InvalidValueError, match=r"`expected_loss` must be the same length"
    ):
        make(expected_loss=[1.0])


def test_duplicate_ids_name_the_first_repeat():
    with pytest.raises(
        InvalidValueError,
        match=r"`client_ids\[3\]` must be a unique client id \(it appears earlier\); got 'b'\.",
    ):
        make(
            client_ids=["a", "b", "c", "b", "a"],
            revenue=[1.0] * 5,
            profit=[1.0] * 5,
            tenure_years=[1.0] * 5,
            product_count=[1] * 5,
            referral_count=[0] * 5,
        )


def test_empty_feature_set_is_refused():
    with pytest.raises(
        InvalidValueError, match=r"`client_ids` must be at least one client; got \[\]\."
    ):
        make(
            client_ids=[],
            revenue=[],
            profit=[],
            tenure_years=[],
            product_count=[],
            referral_count=[],
        )


def test_two_dimensional_ids_are_refused():
    with pytest.raises(
        InvalidValueError, match=r"`client_ids` must be one-dimensional"
    ):
        make(client_ids=[["a", "b", "c"]])


def test_measure_and_missing_optional_input():
    f = make()
    assert f.measure(Measure.PROFIT) is f.profit
    with pytest.raises(
        InvalidValueError,
        match=r"`features.expected_loss` must be an array \(this input is needed here\); "
        r"got None\. Build the ClientFeatures with `expected_loss=`\.",
    ):
        f.measure("risk_adjusted_value")
    with pytest.raises(
        InvalidValueError, match=r"`measure` must be one of revenue, profit"
    ):
        f.measure("turnover")


def test_risk_adjusted_measure_is_profit_net_of_loss_and_capital_cost():
    f = make(expected_loss=[1.0, 0.0, 0.5], capital_cost=[1.0, 1.0, 0.0])
    # 4 - 1 - 1 = 2; -1 - 0 - 1 = -2; 0.5 - 0.5 - 0 = 0
    assert f.measure("risk_adjusted_value").tolist() == [2.0, -2.0, 0.0]


# --- frames adapter -------------------------------------------------------------------


def clients_frame():
    return pd.DataFrame(
        {
            "client_id": ["c1", "c2", "c3"],
            "revenue_to_bank": [120.0, 30.0, 0.0],
            "profit_to_bank": [40.0, -2.0, 0.0],
            "product_count": [3, 1, 0],
            "referral_count": [1, 0, 0],
            "referral_amount": [50.0, 0.0, 0.0],
            "transaction_count": [40, 3, 0],
            "onboarded_on": pd.to_datetime(["2016-06-30", "2025-06-30", "2026-06-30"]),
            "last_transaction_on": pd.to_datetime(
                pd.Series(["2026-06-20", None, None])
            ).to_numpy(),
            "rating_grade": [3, 8, 5],
            "on_watchlist": [False, True, False],
            "sector": ["energy", "transport", "water"],
        },
        index=[10, 11, 12],
    )


def test_from_frame_reads_schema_columns():
    frame = clients_frame()
    before = frame.copy()
    f = ClientFeatures.from_frame(frame, as_of=AS_OF, expected_loss=[1.0, 2.0, 0.0])
    pd.testing.assert_frame_equal(frame, before)  # input not mutated
    assert f.client_ids.tolist() == ["c1", "c2", "c3"]
    # 3652 days / 365.25 = 9.9986; 365 / 365.25 = 0.9993; same day = 0
    np.testing.assert_allclose(f.tenure_years, [3652 / 365.25, 365 / 365.25, 0.0])
    # 10 days since the last transaction; never transacted -> days since onboarding
    assert some(f.recency_days).tolist() == [10.0, 365.0, 0.0]
    assert some(f.rating_grade).tolist() == [3.0, 8.0, 5.0]
    assert some(f.on_watchlist).tolist() == [False, True, False]
    assert some(f.referral_amount).tolist() == [50.0, 0.0, 0.0]
    assert some(f.expected_loss).tolist() == [1.0, 2.0, 0.0]
    assert f.capital_cost is None


def test_from_frame_optional_columns_may_be_absent():
    frame = clients_frame().drop(
        columns=[
            "referral_amount",
            "transaction_count",
            "last_transaction_on",
            "rating_grade",
            "on_watchlist",
        ]
    )
    f = ClientFeatures.from_frame(frame, as_of=AS_OF)
    assert f.recency_days is None
    assert f.rating_grade is None
    assert f.on_watchlist is None


def test_from_frame_missing_column_is_a_schema_error():
    with pytest.raises(SchemaError, match="revenue_to_bank"):
        ClientFeatures.from_frame(
            clients_frame().drop(columns=["revenue_to_bank"]), as_of=AS_OF
        )


def test_from_frame_reports_bad_rows_by_label():
    frame = clients_frame()
    frame.loc[11, "revenue_to_bank"] = -5.0
    frame.loc[12, "referral_count"] = -1
    with pytest.raises(BatchValidationError, match=r"2 of 3 rows are invalid") as info:
        ClientFeatures.from_frame(frame, as_of=AS_OF)
    messages = [str(e) for e in info.value.exceptions]
    assert any("`clients[11].revenue_to_bank`" in m for m in messages)
    assert any("`clients[12].referral_count`" in m for m in messages)


def test_from_frame_duplicate_ids_are_refused():
    frame = clients_frame()
    frame.loc[12, "client_id"] = "c1"
    with pytest.raises(
        BatchValidationError, match=r"`clients\[12\]\.client_id` must be unique"
    ):
        ClientFeatures.from_frame(frame, as_of=AS_OF)


def test_from_frame_refuses_onboarding_after_as_of():
    with pytest.raises(
        BatchValidationError,
        match=r"`clients\[10\]\.onboarded_on` must be a date on or before as_of "
        r"\(2016-01-01\); got '2016-06-30'",
    ):
        ClientFeatures.from_frame(clients_frame(), as_of=dt.date(2016, 1, 1))


def test_from_frame_text_rating_needs_a_scale():
    frame = clients_frame()
    frame["rating_grade"] = ["BBB", "B", "BB"]
    with pytest.raises(
        InvalidValueError,
        match=r"`rating_scale` must be the grade labels, best first, to read the text "
        r"column `rating_grade`; got None\.",
    ):
        ClientFeatures.from_frame(frame, as_of=AS_OF)
    scale = ("AAA", "AA", "A", "BBB", "BB", "B")
    f = ClientFeatures.from_frame(frame, as_of=AS_OF, rating_scale=scale)
    assert some(f.rating_grade).tolist() == [4.0, 6.0, 5.0]
    frame.loc[11, "rating_grade"] = "CCC"
    with pytest.raises(
        BatchValidationError,
        match=r"`clients\[11\]\.rating_grade` must be a grade of rating_scale",
    ):
        ClientFeatures.from_frame(frame, as_of=AS_OF, rating_scale=scale)


# --- from a Book ----------------------------------------------------------------------


def book_client(i, revenue, *, currency="EUR", grade=None, measures=True, watch=False):
    from lendcrm import Client, ClientId, Money, RelationshipMeasures, Sector

    return Client(
        id=ClientId(f"C-{i}"),
        legal_name=f"Client {i}",
        sector=Sector.MANUFACTURING,
        country="DE",
        onboarded_on=dt.date(2016, 6, 30),
        annual_revenue=Money.of("1000000", currency),
        rating_grade=grade,
        on_watchlist=watch,
        measures=RelationshipMeasures(
            period_end=dt.date(2026, 6, 30),
            revenue_to_bank=Money.of(revenue, currency),
            profit_to_bank=Money.of("-10", currency),
            product_count=3,
            transaction_count=12,
            last_transaction_on=dt.date(2026, 6, 1),
            referral_count=1,
        )
        if measures
        else None,
    )


def test_from_book_matches_the_entities():
    from lendcrm import Book

    book = Book(
        clients=(
            book_client(1, "900", grade="BB", watch=True),
            book_client(2, "100"),
        )
    )
    f = ClientFeatures.from_book(book, as_of=AS_OF, rating_scale=("A", "BBB", "BB"))
    assert f.client_ids.tolist() == ["C-1", "C-2"]
    assert f.revenue.tolist() == [900.0, 100.0]
    assert f.profit.tolist() == [-10.0, -10.0]
    assert f.product_count.tolist() == [3.0, 3.0]
    assert some(f.transaction_count).tolist() == [12.0, 12.0]
    assert some(f.recency_days).tolist() == [29.0, 29.0]  # 1 June to 30 June 2026
    # BB is the third grade of the scale; C-2 is unrated -> 0 (no rating cap)
    assert some(f.rating_grade).tolist() == [3.0, 0.0]
    assert some(f.on_watchlist).tolist() == [True, False]
    np.testing.assert_allclose(f.tenure_years, [3652 / 365.25] * 2)


def test_from_book_unrated_book_has_no_ratings():
    from lendcrm import Book

    f = ClientFeatures.from_book(Book(clients=(book_client(1, "5"),)), as_of=AS_OF)
    assert f.rating_grade is None


def test_from_book_refuses_mixed_currencies():
    from lendcrm import Book

    book = Book(clients=(book_client(1, "5"), book_client(2, "5", currency="USD")))
    with pytest.raises(
        InvalidValueError,
        match=r"`clients.currency` must be one currency for every client; got "
        r"\['EUR', 'USD'\]\. Convert the amounts to the reporting currency first\.",
    ):
        ClientFeatures.from_book(book, as_of=AS_OF)


def test_from_book_needs_measures():
    from lendcrm import Book

    book = Book(clients=(book_client(1, "5"), book_client(2, "5", measures=False)))
    with pytest.raises(
        BatchValidationError,
        match=r"`clients\[1\]\.revenue_to_bank` must be present \(not missing\)",
    ):
        ClientFeatures.from_book(book, as_of=AS_OF)
