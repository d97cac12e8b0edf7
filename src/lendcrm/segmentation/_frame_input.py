"""The clients-frame reader behind `lendcrm.segmentation.frames` (pandas stays here).

`build_features` validates a clients frame and builds the features with the
constructor it is given, so this module does not import `ClientFeatures`: both
`ClientFeatures.from_frame` and `lendcrm.segmentation.frames` call it. The columns and
rules are tabled in `lendcrm.segmentation.frames`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray
from lendcrm._book import Book
from lendcrm._dates import DAYS_PER_YEAR, check_as_of
from lendcrm._validators import require_instance, require_labels
from lendcrm.errors import BatchValidationError, InvalidRowsError, InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame, clients_frame
from lendcrm.frames.columns import (
    CLIENT_ID,
    CURRENCY,
    LAST_TRANSACTION_ON,
    ON_WATCHLIST,
    ONBOARDED_ON,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    RATING_GRADE,
    REFERRAL_AMOUNT,
    REFERRAL_COUNT,
    REVENUE_TO_BANK,
    TRANSACTION_COUNT,
)
from lendcrm.segmentation._ids import StrArray, first_duplicate, proven_unique

F = TypeVar("F")

_SPECS = (
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=REVENUE_TO_BANK, kind="float", lower=0.0),
    ColumnSpec(name=PROFIT_TO_BANK, kind="float"),
    ColumnSpec(name=PRODUCT_COUNT, kind="int", lower=0.0),
    ColumnSpec(name=REFERRAL_COUNT, kind="int", lower=0.0),
    ColumnSpec(name=ONBOARDED_ON, kind="date"),
    ColumnSpec(name=REFERRAL_AMOUNT, kind="float", lower=0.0, required=False),
    ColumnSpec(name=TRANSACTION_COUNT, kind="int", lower=0.0, required=False),
    ColumnSpec(name=LAST_TRANSACTION_ON, kind="date", nullable=True, required=False),
    ColumnSpec(name=ON_WATCHLIST, kind="bool", required=False),
)


#: Nanoseconds per day, and the int64 of NaT.
_NS_PER_DAY = 86_400 * 10**9
_NAT = np.iinfo(np.int64).min


def _days_before(
    clients: pd.DataFrame, column: str, as_of: dt.date
) -> npt.NDArray[np.float64]:
    """Days from ``column`` to ``as_of`` (NaN where missing); refuses future dates.

    On the int64 nanoseconds: the floor division by a day is the cast to
    ``datetime64[D]``, NaT is the smallest int64.
    """
    stamps = clients[column].to_numpy(dtype="datetime64[ns]")
    nanoseconds = stamps.view(np.int64)
    days = np.datetime64(as_of, "D").astype(np.int64) - nanoseconds // _NS_PER_DAY
    values = days.astype(np.float64)
    missing = nanoseconds == _NAT
    if missing.any():
        values[missing] = np.nan
    future = values < 0  # NaN compares false: a missing date is not in the future
    if future.any():
        dates = stamps.astype("datetime64[D]")
        positions = np.flatnonzero(future)
        raise BatchValidationError(
            [
                InvalidRowsError(
                    frame="clients",
                    column=column,
                    rows=list(clients.index[positions[:5]]),
                    count=len(positions),
                    value=str(dates[positions[0]]),
                    expected=f"a date on or before as_of ({as_of.isoformat()})",
                )
            ],
            total=len(clients),
        )
    return values


def _rating(
    clients: pd.DataFrame, rating_scale: Sequence[str] | None
) -> FloatArray | None:
    """Numeric grades (1 = best); unrated clients (missing grade) become 0."""
    if RATING_GRADE not in clients.columns:
        return None
    column = clients[RATING_GRADE]
    missing = column.isna().to_numpy()
    if missing.all():
        return None
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
        column.dtype
    ):
        grades = column.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(missing, 0.0, grades)
    if rating_scale is None:
        raise InvalidValueError(
            field="rating_scale",
            value=None,
            expected="the grade labels, best first, to read the text column "
            f"`{RATING_GRADE}`",
        )
    if len(set(rating_scale)) != len(rating_scale):
        raise InvalidValueError(
            field="rating_scale",
            value=list(rating_scale),
            expected="distinct grade labels, best first",
        )
    scale = pd.Index(list(rating_scale))
    if isinstance(column.dtype, pd.CategoricalDtype):  # look up the few categories
        lookup = np.append(scale.get_indexer(column.cat.categories), -1)
        codes = lookup[column.cat.codes.to_numpy()]  # code -1 (missing) -> -1
    else:
        codes = scale.get_indexer(pd.Index(column))
    unknown = (codes < 0) & ~missing
    if unknown.any():
        positions = np.flatnonzero(unknown)
        raise BatchValidationError(
            [
                InvalidRowsError(
                    frame="clients",
                    column=RATING_GRADE,
                    rows=list(clients.index[positions[:5]]),
                    count=len(positions),
                    value=column.iloc[int(positions[0])],
                    expected=f"a grade of rating_scale ({', '.join(rating_scale)})",
                )
            ],
            total=len(clients),
        )
    return np.where(missing, 0.0, codes.astype(np.float64) + 1.0)


def _one_currency(clients: pd.DataFrame) -> None:
    if CURRENCY not in clients.columns:
        return
    column = clients[CURRENCY]
    if isinstance(column.dtype, pd.CategoricalDtype):  # the categories in use
        categories = column.cat.categories
        codes = column.cat.codes.to_numpy().astype(np.intp)
        counts = np.bincount(codes + 1, minlength=1 + len(categories))
        currencies: list[object] = list(categories[counts[1:] > 0])
    else:
        currencies = list(column.dropna().unique())
    if len(currencies) > 1:
        raise InvalidValueError(
            field=f"clients.{CURRENCY}",
            value=sorted(str(c) for c in currencies),
            expected="one currency for every client",
            hint="Convert the amounts to the reporting currency first.",
        )


def _duplicate_rows(clients: pd.DataFrame, first: int) -> BatchValidationError:
    """The error for duplicate ids, naming the row labels (slow path, on error only)."""
    positions = np.flatnonzero(clients[CLIENT_ID].duplicated(keep="first").to_numpy())
    return BatchValidationError(
        [
            InvalidRowsError(
                frame="clients",
                column=CLIENT_ID,
                rows=list(clients.index[positions[:5]]),
                count=len(positions),
                value=str(clients[CLIENT_ID].iloc[first]),
                expected="unique (no duplicate ids)",
            )
        ],
        total=len(clients),
    )


#: Offsets dtype of the Arrow string types whose buffers `arrow_ids` reads.
_ARROW_OFFSETS = {"string": np.int32, "large_string": np.int64}


def arrow_ids(column: pd.Series) -> StrArray | None:
    """Arrow-backed ASCII ids as a fixed-width str array, from the Arrow buffers.

    The same array as ``column.to_numpy(dtype=np.str_)`` without a Python string per
    row: the UTF-8 bytes of ASCII text are the code points. ``None`` when the column
    is not Arrow text, holds nulls, empty or non-ASCII ids or a NUL character (the
    caller then converts the usual way).
    """
    dtype = column.dtype
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    arrow = getattr(column.array, "__arrow_array__")().combine_chunks()  # noqa: B009
    offsets_type = _ARROW_OFFSETS.get(str(arrow.type))
    if offsets_type is None or arrow.null_count:
        return None
    n = len(arrow)
    _, offsets_buffer, data_buffer = arrow.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offsets_type)[
        arrow.offset : arrow.offset + n + 1
    ]
    lengths = np.diff(offsets)
    if data_buffer is None or n == 0 or int(lengths.min()) == 0:
        return None
    chars = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    if int(chars.max()) >= 128 or int(chars.min()) == 0:  # noqa: PLR2004 - ASCII
        return None
    width = int(lengths.max())
    if int(lengths.min()) == width:
        words = chars.reshape(n, width).astype(np.uint32)
    else:
        words = np.zeros((n, width), dtype=np.uint32)
        rows = np.repeat(np.arange(n), lengths)
        starts = np.repeat(offsets[:-1] - offsets[0], lengths)
        words[rows, np.arange(len(chars)) - starts] = chars
    ids: StrArray = words.view(f"U{width}").ravel()
    return ids


def _client_ids(clients: pd.DataFrame) -> StrArray:
    """The ids as a fixed-width str array, checked unique (named rows when not)."""
    column = clients[CLIENT_ID]
    ids = arrow_ids(column)
    if ids is None:
        ids = column.to_numpy(dtype=np.str_)
    if (first := first_duplicate(ids)) is not None:
        raise _duplicate_rows(clients, first)
    proven_unique(ids)  # ClientFeatures does not hash them a second time
    return ids


def build_features(
    make: Callable[..., F],
    clients: pd.DataFrame,
    *,
    as_of: dt.date,
    rating_scale: Sequence[str] | None = None,
    expected_loss: npt.ArrayLike | None = None,
    capital_cost: npt.ArrayLike | None = None,
    early_warning: npt.ArrayLike | None = None,
) -> F:
    """Validate ``clients`` and build the features with ``make`` (`ClientFeatures`).

    See `lendcrm.segmentation.frames.features_from_frame` for the rules and errors.
    """
    # ids are checked for duplicates by ClientFeatures (a hashed O(n) pass), which is
    # far cheaper than pandas' duplicated() on a million strings; see _duplicate_rows.
    check_as_of(as_of)
    if rating_scale is not None:
        rating_scale = require_labels(
            rating_scale, name="rating_scale", what="the grade labels, best first"
        )
    check_frame(clients, _SPECS, frame_name="clients")
    _one_currency(clients)
    onboarded = _days_before(clients, ONBOARDED_ON, as_of)
    recency = None
    if LAST_TRANSACTION_ON in clients.columns:
        last = _days_before(clients, LAST_TRANSACTION_ON, as_of)
        recency = np.where(np.isnan(last), onboarded, last)

    def optional(column: str) -> FloatArray | None:
        if column not in clients.columns:
            return None
        return clients[column].to_numpy(dtype=np.float64)

    return make(
        client_ids=_client_ids(clients),
        revenue=clients[REVENUE_TO_BANK].to_numpy(dtype=np.float64),
        profit=clients[PROFIT_TO_BANK].to_numpy(dtype=np.float64),
        tenure_years=onboarded / DAYS_PER_YEAR,
        product_count=clients[PRODUCT_COUNT].to_numpy(dtype=np.float64),
        referral_count=clients[REFERRAL_COUNT].to_numpy(dtype=np.float64),
        referral_amount=optional(REFERRAL_AMOUNT),
        transaction_count=optional(TRANSACTION_COUNT),
        recency_days=recency,
        rating_grade=_rating(clients, rating_scale),
        on_watchlist=(
            clients[ON_WATCHLIST].to_numpy(dtype=np.bool_)
            if ON_WATCHLIST in clients.columns
            else None
        ),
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        early_warning=early_warning,
    )


def build_features_from_book(
    make: Callable[..., F],
    book: Book,
    *,
    as_of: dt.date,
    rating_scale: Sequence[str] | None = None,
    expected_loss: npt.ArrayLike | None = None,
    capital_cost: npt.ArrayLike | None = None,
    early_warning: npt.ArrayLike | None = None,
) -> F:
    """`build_features` on the book's `lendcrm.frames.clients_frame`.

    See `lendcrm.segmentation.frames.features_from_book` for the rules and errors.
    """
    require_instance(book, Book, name="book", what="a Book")
    return build_features(
        make,
        clients_frame(book),
        as_of=as_of,
        rating_scale=rating_scale,
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        early_warning=early_warning,
    )
