"""Entities to clients-frame rows, without pandas (shared by frames and the client view).

`lendcrm.frames.clients_frame` builds its frame from `client_columns`; the relationship
view builds one client's row with the same function, so both hold the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from lendcrm._frames_specs import CLIENT_SPECS
from lendcrm.entities import Client
from lendcrm.errors import BatchValidationError, InvalidValueError, LendCRMError
from lendcrm.money import Money
from lendcrm.schema import (
    ANNUAL_REVENUE,
    CLIENT_ID,
    COUNTRY,
    CURRENCY,
    DEFAULT_PROBABILITY,
    LAST_TRANSACTION_ON,
    LEGAL_NAME,
    MEASURED_ON,
    ON_WATCHLIST,
    ONBOARDED_ON,
    PARENT_ID,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    RATING_GRADE,
    REFERRAL_COUNT,
    REVENUE_TO_BANK,
    SECTOR,
    TRANSACTION_COUNT,
)

__all__ = ["Amounts", "client_columns"]


class Amounts:
    """Money -> float64 that refuses amounts float64 cannot hold exactly."""

    def __init__(self) -> None:
        self.errors: list[LendCRMError] = []

    def __call__(self, money: Money | None, path: str) -> float | None:
        if money is None:
            return None
        value = float(money.amount)
        if Decimal(repr(value)) != money.amount:
            self.errors.append(
                InvalidValueError(
                    field=path,
                    value=money.amount,
                    expected="an amount float64 holds exactly (15 significant "
                    "digits always fit) to cross into a frame",
                    hint="Round it first with Money.rounded(places).",
                )
            )
        return value

    def raise_if_any(self, total: int) -> None:
        if self.errors:
            raise BatchValidationError(self.errors, total=total, what="entities")


def client_columns(
    clients: Sequence[Client], amount: Amounts
) -> dict[str, list[object]]:
    """The clients-frame columns of ``clients`` as lists, in the frame's column order."""
    cols: dict[str, list[object]] = {spec.name: [] for spec in CLIENT_SPECS}
    for i, c in enumerate(clients):
        m = c.measures
        path = f"clients[{i}]"
        row: dict[str, object] = {
            CLIENT_ID: c.id,
            LEGAL_NAME: c.legal_name,
            SECTOR: c.sector.value,
            COUNTRY: c.country,
            PARENT_ID: c.parent_id,
            ONBOARDED_ON: c.onboarded_on,
            CURRENCY: c.currency,
            ANNUAL_REVENUE: amount(c.annual_revenue, f"{path}.annual_revenue"),
            MEASURED_ON: None if m is None else m.period_end,
            REVENUE_TO_BANK: None
            if m is None
            else amount(m.revenue_to_bank, f"{path}.measures.revenue_to_bank"),
            PROFIT_TO_BANK: None
            if m is None
            else amount(m.profit_to_bank, f"{path}.measures.profit_to_bank"),
            PRODUCT_COUNT: 0 if m is None else m.product_count,
            TRANSACTION_COUNT: 0 if m is None else m.transaction_count,
            LAST_TRANSACTION_ON: None if m is None else m.last_transaction_on,
            REFERRAL_COUNT: 0 if m is None else m.referral_count,
            RATING_GRADE: c.rating_grade,
            DEFAULT_PROBABILITY: c.default_probability,
            ON_WATCHLIST: c.on_watchlist,
        }
        for name, value in row.items():
            cols[name].append(value)
    return cols
