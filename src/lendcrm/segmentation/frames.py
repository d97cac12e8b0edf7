"""DataFrame adapter: build `ClientFeatures` from a clients frame (pandas stays here).

The frame uses the column names of `lendcrm.frames.columns`, one row per client:

| column | kind | rule | feature |
|---|---|---|---|
| ``client_id`` | str | unique | ``client_ids`` |
| ``revenue_to_bank`` | float | >= 0 | ``revenue`` |
| ``profit_to_bank`` | float | finite | ``profit`` |
| ``product_count`` | int | >= 0 | ``product_count`` |
| ``referral_count`` | int | >= 0 | ``referral_count`` |
| ``onboarded_on`` | date | <= ``as_of`` | ``tenure_years`` = days / 365.25 |
| ``referral_amount`` | float, optional | >= 0 | ``referral_amount`` |
| ``transaction_count`` | int, optional | >= 0 | ``transaction_count`` |
| ``last_transaction_on`` | date, optional, nullable | <= ``as_of`` | ``recency_days`` (days since onboarding when missing) |
| ``rating_grade`` | number or str, optional, nullable | 1 = best | ``rating_grade`` (0 when unrated) |
| ``currency`` | str, optional | one value | (amounts must share it) |
| ``on_watchlist`` | bool, optional | | ``on_watchlist`` |

Other columns are ignored. Every failing rule is reported at once, naming the first
offending row labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy.typing as npt
import pandas as pd

from lendcrm._book import Book
from lendcrm.segmentation._features import ClientFeatures
from lendcrm.segmentation._frame_input import build_features, build_features_from_book

__all__ = ["features_from_book", "features_from_frame"]


def features_from_frame(
    clients: pd.DataFrame,
    *,
    as_of: dt.date,
    rating_scale: Sequence[str] | None = None,
    expected_loss: npt.ArrayLike | None = None,
    capital_cost: npt.ArrayLike | None = None,
    early_warning: npt.ArrayLike | None = None,
) -> ClientFeatures:
    """Build `ClientFeatures` from a clients frame (see the module table).

    The frame is validated in one vectorised pass and never modified. Tenure is
    ``(as_of - onboarded_on)`` in days / 365.25; recency is ``(as_of -
    last_transaction_on)`` in days, or the days since onboarding for a client that
    has not transacted.

    Args:
        clients: One row per client, `lendcrm.frames.columns` column names.
        as_of: The measurement date.
        rating_scale: Grade labels best first, needed only when ``rating_grade``
            holds text; grade ``rating_scale[i]`` becomes ``i + 1``.
        expected_loss: Per-row expected loss, aligned with the frame (optional).
        capital_cost: Per-row cost of capital, aligned with the frame (optional).
        early_warning: Per-row early-warning flags, aligned with the frame (optional).

    Raises:
        SchemaError: a required column is missing or has the wrong dtype.
        BatchValidationError: rows break a rule (one child per rule).
        InvalidValueError: empty frame, more than one currency, or a text rating
            without ``rating_scale``.

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> clients = pd.DataFrame({
        ...     "client_id": ["c1", "c2"], "revenue_to_bank": [120.0, 30.0],
        ...     "profit_to_bank": [40.0, -2.0], "product_count": [3, 1],
        ...     "referral_count": [1, 0],
        ...     "onboarded_on": pd.to_datetime(["2016-06-30", "2025-06-30"]),
        ...     "last_transaction_on": pd.to_datetime(["2026-06-20", None])})
        >>> f = features_from_frame(clients, as_of=dt.date(2026, 6, 30))
        >>> f.tenure_years.round(2).tolist(), f.recency_days.tolist()
        ([10.0, 1.0], [10.0, 365.0])
    """
    return build_features(
        ClientFeatures,
        clients,
        as_of=as_of,
        rating_scale=rating_scale,
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        early_warning=early_warning,
    )


def features_from_book(
    book: Book,
    *,
    as_of: dt.date,
    rating_scale: Sequence[str] | None = None,
    expected_loss: npt.ArrayLike | None = None,
    capital_cost: npt.ArrayLike | None = None,
    early_warning: npt.ArrayLike | None = None,
) -> ClientFeatures:
    """Build `ClientFeatures` from a `lendcrm.Book`, one row per client in book order.

    The book's clients go through :func:`lendcrm.frames.clients_frame` and then
    `features_from_frame`, so the same rules apply: every client needs relationship
    measures (revenue and profit to the bank) and all clients one currency. The book
    has no referral *amount* per client, so ``referral_amount`` stays ``None``.

    Raises:
        BatchValidationError: a client lacks measures, or another row rule fails.
        InvalidValueError: more than one currency, or text ratings without
            ``rating_scale``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book, Client, ClientId, Money, Sector
        >>> from lendcrm import RelationshipMeasures
        >>> def client(i, revenue):
        ...     return Client(id=ClientId(f"C-{i}"), legal_name=f"Client {i}",
        ...         sector=Sector.MANUFACTURING, country="DE",
        ...         onboarded_on=dt.date(2020, 1, 1),
        ...         annual_revenue=Money.of("1000000", "EUR"),
        ...         measures=RelationshipMeasures(period_end=dt.date(2025, 12, 31),
        ...             revenue_to_bank=Money.of(revenue, "EUR"),
        ...             profit_to_bank=Money.of("100", "EUR"), product_count=2))
        >>> f = features_from_book(Book(clients=(client(1, "900"), client(2, "100"))),
        ...                        as_of=dt.date(2025, 12, 31))
        >>> f.client_ids.tolist(), f.revenue.tolist()
        (['C-1', 'C-2'], [900.0, 100.0])
    """
    return build_features_from_book(
        ClientFeatures,
        book,
        as_of=as_of,
        rating_scale=rating_scale,
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        early_warning=early_warning,
    )
