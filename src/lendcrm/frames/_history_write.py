"""Histories to frames: one row per dated record (private to `lendcrm.frames`).

Each history is written column by column: the records of every owner are flattened
once, then each column is one list comprehension over them. Amounts cross under the
lossless rule (`Amounts.column`), and a refused amount is named by its entity path,
e.g. ``facilities[3].observations[11].drawn``. Rows follow the book's order of owners
and each owner's records oldest first, so a written frame passes the history checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from lendcrm._book import Book
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.frames._columnar import Amounts, frame_of
from lendcrm.frames._history_specs import (
    MEASURES_DTYPES,
    OBSERVATIONS_DTYPES,
    RATINGS_DTYPES,
    STATEMENTS_DTYPES,
    VALUATIONS_DTYPES,
)
from lendcrm.frames.columns import (
    CLIENT_ID,
    COLLATERAL_INDEX,
    COLLATERAL_VALUE,
    CURRENCY,
    DEFAULT_PROBABILITY,
    DRAWN,
    FACILITY_ID,
    FORBORNE,
    IN_DEFAULT,
    LAST_TRANSACTION_ON,
    LIMIT,
    MEASURED_ON,
    OVERRIDE_REASON,
    PERIOD_END,
    PERIOD_MONTHS,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    RATED_ON,
    RATER,
    RATING_GRADE,
    RATING_OVERRIDE,
    REFERRAL_COUNT,
    REVENUE_TO_BANK,
    SIG_DAYS_PAST_DUE,
    TRANSACTION_COUNT,
    VALUATION_METHOD,
    VALUED_ON,
)

__all__ = ["history_frames"]


class _Flat:
    """The records of one history of every owner, flattened in the owners' order."""

    def __init__(self, owners: Sequence[Any], field: str, owner_path: str) -> None:
        self.owner: list[int] = []
        self.position: list[int] = []
        self.records: list[Any] = []
        for i, owner in enumerate(owners):
            history = getattr(owner, field)
            if history:
                self.owner.extend([i] * len(history))
                self.position.extend(range(len(history)))
                self.records.extend(history)
        self._prefix = f"{owner_path}[{{}}].{field}[{{}}].{{}}"

    def path(self, name: str) -> Callable[[int], str]:
        """The entity path of the k-th record's field ``name`` (for refusals)."""
        return lambda k: self._prefix.format(self.owner[k], self.position[k], name)

    def values(self, name: str) -> list[Any]:
        return [getattr(r, name) for r in self.records]


def history_frames(book: Book, amount: Amounts) -> dict[str, pd.DataFrame]:
    """The five history frames of ``book``; inexact amounts are recorded in ``amount``."""
    return {
        "measures": _measures(book, amount),
        "ratings": _ratings(book),
        "statements": _statements(book, amount),
        "observations": _observations(book, amount),
        "valuations": _valuations(book, amount),
    }


def _ids(flat: _Flat, owners: Sequence[Any]) -> list[str]:
    return [owners[i].id for i in flat.owner]


def _measures(book: Book, amount: Amounts) -> pd.DataFrame:
    flat = _Flat(book.clients, "measures_history", "clients")
    cols: dict[str, list[Any]] = {
        CLIENT_ID: _ids(flat, book.clients),
        MEASURED_ON: flat.values("period_end"),
        REVENUE_TO_BANK: amount.column(
            flat.values("revenue_to_bank"), flat.path("revenue_to_bank")
        ),
        PROFIT_TO_BANK: amount.column(
            flat.values("profit_to_bank"), flat.path("profit_to_bank")
        ),
        PRODUCT_COUNT: flat.values("product_count"),
        TRANSACTION_COUNT: flat.values("transaction_count"),
        LAST_TRANSACTION_ON: flat.values("last_transaction_on"),
        REFERRAL_COUNT: flat.values("referral_count"),
    }
    return frame_of(cols, MEASURES_DTYPES)


def _ratings(book: Book) -> pd.DataFrame:
    flat = _Flat(book.clients, "ratings", "clients")
    cols: dict[str, list[Any]] = {
        CLIENT_ID: _ids(flat, book.clients),
        RATED_ON: flat.values("rated_on"),
        RATING_GRADE: flat.values("grade"),
        DEFAULT_PROBABILITY: flat.values("default_probability"),
        RATER: flat.values("rater"),
        RATING_OVERRIDE: flat.values("override"),
        OVERRIDE_REASON: flat.values("override_reason"),
    }
    return frame_of(cols, RATINGS_DTYPES)


def _statements(book: Book, amount: Amounts) -> pd.DataFrame:
    flat = _Flat(book.clients, "statements", "clients")
    cols: dict[str, list[Any]] = {
        CLIENT_ID: _ids(flat, book.clients),
        PERIOD_END: flat.values("period_end"),
        CURRENCY: flat.values("currency"),
        PERIOD_MONTHS: flat.values("period_months"),
    }
    for name in STATEMENT_AMOUNTS:
        cols[name] = amount.column(flat.values(name), flat.path(name))
    return frame_of(cols, STATEMENTS_DTYPES)


def _observations(book: Book, amount: Amounts) -> pd.DataFrame:
    flat = _Flat(book.facilities, "observations", "facilities")
    cols: dict[str, list[Any]] = {
        FACILITY_ID: _ids(flat, book.facilities),
        PERIOD_END: flat.values("period_end"),
        DRAWN: amount.column(flat.values("drawn"), flat.path("drawn")),
        LIMIT: amount.column(flat.values("limit"), flat.path("limit")),
        SIG_DAYS_PAST_DUE: flat.values("days_past_due"),
        IN_DEFAULT: flat.values("in_default"),
        FORBORNE: flat.values("forborne"),
    }
    return frame_of(cols, OBSERVATIONS_DTYPES)


def _valuations(book: Book, amount: Amounts) -> pd.DataFrame:
    ids: list[str] = []
    facility: list[int] = []
    index: list[int] = []
    position: list[int] = []
    records: list[Any] = []
    for i, f in enumerate(book.facilities):
        for j, c in enumerate(f.collateral):
            n = len(c.valuations)
            if n:
                ids.extend([f.id] * n)
                facility.extend([i] * n)
                index.extend([j] * n)
                position.extend(range(n))
                records.extend(c.valuations)
    cols: dict[str, list[Any]] = {
        FACILITY_ID: ids,
        COLLATERAL_INDEX: index,
        VALUED_ON: [v.valued_on for v in records],
        COLLATERAL_VALUE: amount.column(
            [v.value for v in records],
            lambda k: (
                f"facilities[{facility[k]}].collateral[{index[k]}]"
                f".valuations[{position[k]}].value"
            ),
        ),
        VALUATION_METHOD: [v.method.value for v in records],
    }
    return frame_of(cols, VALUATIONS_DTYPES)
