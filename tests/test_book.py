"""Book: integrity checks reported at once, lookups, groups, exposures, new books."""

import pickle
import re
from decimal import Decimal

import pytest

from lendcrm import Book, ClientId, FacilityId, Money, ProjectId, Sector
from lendcrm.errors import (
    BatchValidationError,
    CurrencyMismatchError,
    InvalidValueError,
    UnknownReferenceError,
)
from tests.factories import (
    client,
    eur,
    facility,
    project,
    rich_client,
    rich_facility,
    rich_project,
)


def group_book() -> Book:
    """G owns G-1 and G-2; G-2 owns G-2a. S is stand-alone. Drawn: G-1 7.5m, G-2a 1m,
    S 2m in USD."""
    return Book(
        clients=(
            client("G"),
            client("G-1", parent_id=ClientId("G"), sector=Sector.CONSTRUCTION),
            client("G-2", parent_id=ClientId("G"), country="FR"),
            client("G-2a", parent_id=ClientId("G-2"), country="FR"),
            client("S", country="US"),
        ),
        facilities=(
            facility("F-1", "G-1"),
            facility("F-2", "G-2a", limit=eur("3000000"), drawn=eur("1000000")),
            facility(
                "F-3",
                "S",
                currency="USD",
                limit=Money.of("2000000", "USD"),
                drawn=Money.of("2000000", "USD"),
                pricing=facility().pricing.__class__(
                    reference_rate="SOFR",
                    margin_bps=200,
                    arrangement_fee=Money.of("0", "USD"),
                ),
            ),
        ),
    )


def test_valid_book_lookups():
    book = Book(
        clients=(rich_client("C-1"),),
        facilities=(rich_facility("F-1", "C-1", "P-1"),),
        projects=(rich_project("P-1"),),
    )
    assert book.client(ClientId("C-1")).id == "C-1"
    assert book.facility(FacilityId("F-1")).client_id == "C-1"
    assert book.project(ProjectId("P-1")).name == "Wind farm P-1"
    assert book.facilities_of(ClientId("C-1")) == book.facilities
    assert book.facilities_of_project(ProjectId("P-1")) == book.facilities
    assert pickle.loads(pickle.dumps(book)) == book


def test_unknown_id_lookup_suggests_close_ids():
    book = group_book()
    with pytest.raises(
        UnknownReferenceError,
        match=re.escape("No client with id 'G-3'. Did you mean 'G-2'?"),
    ):
        book.client(ClientId("G-3"))
    with pytest.raises(
        UnknownReferenceError, match=re.escape("No project with id 'P-1'.")
    ):
        book.project(ProjectId("P-1"))
    with pytest.raises(
        UnknownReferenceError, match=re.escape("No client with id 'Z'.")
    ):
        book.facilities_of(ClientId("Z"))


def test_facility_whose_client_is_missing():
    with pytest.raises(BatchValidationError) as info:
        Book(clients=(client("C-1"),), facilities=(facility("F-1", "C-2"),))
    assert str(info.value.exceptions[0]) == (
        "No client with id 'C-2' (referenced by `facilities[0].client_id`). Did you mean 'C-1'?"
    )
    assert isinstance(info.value.exceptions[0], UnknownReferenceError)
    assert info.value.message.startswith("1 of 2 entities are invalid")


def test_every_integrity_problem_reported_at_once():
    with pytest.raises(BatchValidationError) as info:
        Book(
            clients=(client("A"), client("A"), client("B", parent_id=ClientId("X"))),
            facilities=(
                facility("F-1", "A", project_id=ProjectId("P-9")),
                facility("F-1", "A"),
            ),
            projects=(project("P-1"), project("P-1")),
        )
    messages = [str(e) for e in info.value.exceptions]
    assert messages == [
        "`clients[1].id` must be an id not used by another of the book's clients; got 'A'.",
        "`facilities[1].id` must be an id not used by another of the book's facilities; got 'F-1'.",
        "`projects[1].id` must be an id not used by another of the book's projects; got 'P-1'.",
        "No client with id 'X' (referenced by `clients[2].parent_id`).",
        "No project with id 'P-9' (referenced by `facilities[0].project_id`). Did you mean 'P-1'?",
    ]
    assert info.value.total == 7


def test_parent_cycle():
    with pytest.raises(BatchValidationError) as info:
        Book(
            clients=(
                client("A", parent_id=ClientId("C")),
                client("B", parent_id=ClientId("A")),
                client("C", parent_id=ClientId("B")),
                client(
                    "D", parent_id=ClientId("A")
                ),  # hangs off the cycle: not reported
                client("E", parent_id=ClientId("F")),
                client("F", parent_id=ClientId("E")),
            )
        )
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`clients[0].parent_id` must be a parent chain that ends at a group root; got 'C'. "
            "Parent cycle: A -> C -> B -> A."
        ),
        (
            "`clients[4].parent_id` must be a parent chain that ends at a group root; got 'F'. "
            "Parent cycle: E -> F -> E."
        ),
    ]


def test_group_tree():
    book = group_book()
    assert book.group_root(ClientId("G-2a")) == "G"
    assert book.group_members(ClientId("G-2a")) == ("G", "G-1", "G-2", "G-2a")
    assert book.subsidiaries(ClientId("G")) == ("G-1", "G-2")
    assert book.group_members(ClientId("S")) == ("S",)


def test_mixed_currencies_refused_without_rates():
    with pytest.raises(
        CurrencyMismatchError,
        match=re.escape(
            "`currency` must be 'EUR' to sum to an amount in EUR; got 'USD'."
        ),
    ):
        group_book().exposure_by_client()


def test_missing_fx_rate_named():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`fx_rates['USD']` must be the number of EUR per one USD; got None. "
            "Pass fx_rates={'USD': Decimal('...')} to convert USD exposure to EUR."
        ),
    ):
        group_book().exposure_by_group(currency="EUR")


def test_exposures_with_explicit_fx():
    book = group_book()
    rates = {"USD": Decimal("0.9")}
    # hand sums: G-1 7.5m, G-2a 1m, S 2m USD * 0.9 = 1.8m EUR
    assert book.exposure_by_client(currency="EUR", fx_rates=rates) == {
        "G-1": eur("7500000"),
        "G-2a": eur("1000000"),
        "S": eur("1800000.0"),
    }
    assert book.exposure_by_group(currency="EUR", fx_rates=rates) == {
        "G": eur("8500000"),
        "S": eur("1800000"),
    }
    assert book.exposure_by_sector(currency="EUR", fx_rates=rates) == {
        Sector.CONSTRUCTION: eur("7500000"),
        Sector.MANUFACTURING: eur("2800000"),
    }
    assert book.exposure_by_country(currency="EUR", fx_rates={"USD": "0.9"}) == {
        "DE": eur("7500000"),
        "FR": eur("1000000"),
        "US": eur("1800000"),
    }
    assert book.exposure_by_group(measure="limit", currency="EUR", fx_rates=rates) == {
        "G": eur("13000000"),
        "S": eur("1800000"),
    }
    assert book.total_exposure(currency="EUR", fx_rates=rates) == eur("10300000")


def test_bad_measure_and_rate():
    book = Book(clients=(client("A"),), facilities=(facility("F", "A"),))
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`measure` must be 'drawn' or 'limit'; got 'ead'."),
    ):
        book.exposure_by_client(measure="ead")  # type: ignore[arg-type]
    assert book.total_exposure() == eur("7500000")
    assert Book().total_exposure() is None
    assert Book().total_exposure(currency="EUR") == eur("0")
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`fx_rates['EUR']` must be a decimal rate; got 'x'."),
    ):
        book.total_exposure(currency="USD", fx_rates={"EUR": "x"})


def test_with_methods_return_new_checked_books():
    book = Book(clients=(client("A"),))
    bigger = book.with_client(client("B")).with_facility(facility("F", "B"))
    assert [c.id for c in bigger.clients] == ["A", "B"]
    assert book.clients == (client("A"),)  # unchanged
    replaced = bigger.with_client(client("B", country="FR"))
    assert replaced.client(ClientId("B")).country == "FR"
    assert len(replaced.clients) == 2
    with_project = bigger.with_project(project("P")).with_facility(
        facility("F", "B", project_id=ProjectId("P"))
    )
    assert with_project.facility(FacilityId("F")).project_id == "P"
    with pytest.raises(BatchValidationError, match=re.escape("No client with id 'Z'")):
        bigger.with_facility(facility("G", "Z"))
    with pytest.raises(BatchValidationError, match="Parent cycle: A -> B -> A"):
        bigger.with_client(client("A", parent_id=ClientId("B"))).with_client(
            client("B", parent_id=ClientId("A"))
        )


def test_book_refuses_lists():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`clients` must be a tuple of Client; got 'list'."),
    ):
        Book(clients=[client("A")])  # type: ignore[arg-type]
