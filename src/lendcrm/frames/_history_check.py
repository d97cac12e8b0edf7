"""Vectorised checks of the five history frames (private to `lendcrm.frames`).

Each history frame is checked against its column specs (`check_frame`), then against
the rules of its records, in one pass per rule, every failing rule raised at once with
the offending row labels:

- **one row per date, oldest first, per series** — the entities' rule
  (`lendcrm.check_history`) on frames. A series is the rows of one owner (one
  ``client_id``; one ``facility_id``; one ``facility_id`` and ``collateral_index``),
  in frame order; series may interleave. Unsorted input is **refused**, not sorted:
  a frame whose rows of one owner are out of date order would otherwise be read as a
  different history than the one written. Sort it first with
  ``frame.sort_values([key, date], kind="stable")``.
- the rules of each record (a rating override states its reason; a statement's
  balance sheet balances and a client's statements share one currency; the last
  transaction falls within the measured period).

Rules that need a second frame (an owner missing from the entity frames, a
``collateral_index`` beyond the facility's collateral rows, a clients-frame snapshot
that differs from the last period of its history) are checked by `book_from_frames`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.errors import LendCRMError
from lendcrm.frames._check import check_with_rules, no_rules, rule_errors
from lendcrm.frames._history_specs import HISTORY_KEYS, HISTORY_SPECS, HistoryKey
from lendcrm.frames.columns import (
    CLIENT_ID,
    CURRENCY,
    EQUITY,
    LAST_TRANSACTION_ON,
    MEASURED_ON,
    OVERRIDE_REASON,
    RATING_OVERRIDE,
    TOTAL_ASSETS,
    TOTAL_LIABILITIES,
)

__all__ = [
    "HISTORY_VALIDATORS",
    "RECORD_RULE_MASKS",
    "RuleMask",
    "order_errors",
    "order_texts",
    "validate_measures_frame",
    "validate_observations_frame",
    "validate_ratings_frame",
    "validate_statements_frame",
    "validate_valuations_frame",
]

#: Relative tolerance of the balance-sheet identity on float64 amounts.
BALANCE_TOLERANCE: Final = 1e-12


def _mask_of(n: int, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(n, dtype=np.bool_)
    mask[positions] = True
    return mask


def order_errors(frame: pd.DataFrame, name: str, key: HistoryKey) -> list[LendCRMError]:
    """Duplicate and out-of-order dates within each series of a history frame.

    Rows with a missing key or date are left to the null checks. The rows of each
    series are compared in frame order (a stable sort by the key codes), so the
    row named is the first one that repeats or goes back in time.
    """
    n = len(frame)
    if n < 2:  # noqa: PLR2004 - a pair of rows is the least that can disagree
        return []
    codes = [pd.factorize(frame[k], use_na_sentinel=True)[0] for k in key.keys]
    present = frame[key.date].notna().to_numpy().copy()
    for c in codes:
        present &= c >= 0
    rows = np.flatnonzero(present)
    when = frame[key.date].to_numpy(dtype="datetime64[ns]")[rows].view(np.int64)
    sub = [c[rows] for c in codes]
    order = np.lexsort((np.arange(len(rows)), *reversed(sub)))
    same = np.ones(max(len(order) - 1, 0), dtype=np.bool_)
    for c in sub:
        ranked = c[order]
        same &= ranked[1:] == ranked[:-1]
    ranked_when = when[order]
    later = rows[order][1:]
    repeat_text, back_text = order_texts(key)
    repeat = _mask_of(n, later[same & (ranked_when[1:] == ranked_when[:-1])])
    back = _mask_of(n, later[same & (ranked_when[1:] < ranked_when[:-1])])
    return [
        *rule_errors(frame, repeat, name, key.date, repeat_text),
        *rule_errors(frame, back, name, key.date, back_text),
    ]


def order_texts(key: HistoryKey) -> tuple[str, str]:
    """What the one-row-per-date and the oldest-first rules expect, as in messages."""
    keys = ", ".join(repr(k) for k in key.keys)
    named = [f"`{c}`" for c in (*key.keys, key.date)]
    per = f"{', '.join(named[:-1])} and {named[-1]}"
    return (
        f"unique per {key.owner} (one row per {per})",
        (
            f"after the `{key.date}` of the {key.owner}'s previous row (each "
            f"{key.owner}'s rows oldest first; sort with frame.sort_values([{keys}, "
            f"{key.date!r}], kind='stable'))"
        ),
    )


def _validate(
    frame: pd.DataFrame,
    name: str,
    rules: Callable[[pd.DataFrame], list[LendCRMError]] = no_rules,
) -> None:
    key = HISTORY_KEYS[name]

    def all_rules(f: pd.DataFrame) -> list[LendCRMError]:
        return [*order_errors(f, name, key), *rules(f)]

    check_with_rules(
        frame, HISTORY_SPECS[name], name, (), all_rules, require_rows=False
    )


#: One broken record rule: the column, the rows that break it, what was expected.
RuleMask = tuple[str, npt.NDArray[np.bool_], str]


def _measure_masks(frame: pd.DataFrame) -> list[RuleMask]:
    last = frame[LAST_TRANSACTION_ON].to_numpy(dtype="datetime64[ns]")
    end = frame[MEASURED_ON].to_numpy(dtype="datetime64[ns]")
    late = ~np.isnat(last) & ~np.isnat(end) & (last > end)
    return [(LAST_TRANSACTION_ON, late, f"on or before `{MEASURED_ON}`")]


def _rating_masks(frame: pd.DataFrame) -> list[RuleMask]:
    override = frame[RATING_OVERRIDE].to_numpy(dtype=np.bool_)
    rows = np.flatnonzero(override)
    reasons = frame[OVERRIDE_REASON].to_numpy(dtype=object)[rows]
    blank = np.array(
        [not (isinstance(r, str) and r.strip()) for r in reasons], dtype=np.bool_
    )
    return [
        (
            OVERRIDE_REASON,
            _mask_of(len(frame), rows[blank]),
            f"a non-empty reason when `{RATING_OVERRIDE}` is true",
        )
    ]


def _statement_masks(frame: pd.DataFrame) -> list[RuleMask]:
    assets, liabilities, equity = (
        frame[c].to_numpy(dtype=np.float64, na_value=np.nan)
        for c in (TOTAL_ASSETS, TOTAL_LIABILITIES, EQUITY)
    )
    scale = np.fmax(np.fmax(np.abs(assets), np.abs(liabilities)), np.abs(equity))
    with np.errstate(invalid="ignore"):
        off = np.abs(liabilities + equity - assets) > BALANCE_TOLERANCE * scale
    owners = pd.factorize(frame[CLIENT_ID], use_na_sentinel=True)[0]
    currency = frame[CURRENCY].to_numpy(dtype=object)
    known = (owners >= 0) & frame[CURRENCY].notna().to_numpy()
    rows = np.flatnonzero(known)
    # codes count from 0 in order of appearance: code k's first row is first[k]
    codes, first_of_code = np.unique(owners[rows], return_index=True)
    first = np.zeros(owners.max(initial=-1) + 1, dtype=np.intp)
    first[codes] = rows[first_of_code]
    other = np.zeros(len(frame), dtype=np.bool_)
    other[rows] = currency[rows] != currency[first[owners[rows]]]
    return [
        (
            TOTAL_ASSETS,
            off,
            (
                f"`{TOTAL_LIABILITIES}` + `{EQUITY}` where all three are given (the "
                f"balance sheet balances, to {BALANCE_TOLERANCE:g} relative)"
            ),
        ),
        (
            CURRENCY,
            other,
            (
                "the currency of the client's first statement (one currency per "
                "client's statements)"
            ),
        ),
    ]


#: The record rules of each history frame with some, as masks (for the quarantine).
RECORD_RULE_MASKS: Final[Mapping[str, Callable[[pd.DataFrame], list[RuleMask]]]] = (
    MappingProxyType(
        {
            "measures": _measure_masks,
            "ratings": _rating_masks,
            "statements": _statement_masks,
        }
    )
)


def _errors_of(name: str) -> Callable[[pd.DataFrame], list[LendCRMError]]:
    """The record rules of history frame ``name`` as errors."""

    def rules(frame: pd.DataFrame) -> list[LendCRMError]:
        return [
            error
            for column, mask, expected in RECORD_RULE_MASKS[name](frame)
            for error in rule_errors(frame, mask, name, column, expected)
        ]

    return rules


_measure_rules = _errors_of("measures")
_rating_rules = _errors_of("ratings")
_statement_rules = _errors_of("statements")


def validate_measures_frame(frame: pd.DataFrame) -> None:
    """Check a measures-history frame in one vectorised pass; raise every problem.

    Rules: the `MEASURES_DTYPES` columns with compatible dtypes (extra columns are
    allowed, the frame may be empty); ``client_id`` and ``measured_on`` present;
    revenue to the bank finite and >= 0 (profit may be negative); counts whole and
    >= 0; the last transaction on or before ``measured_on``; per client, one row per
    ``measured_on``, oldest first (unsorted frames are refused: sort them with
    ``frame.sort_values(["client_id", "measured_on"], kind="stable")``).

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule, naming the first
            offending row labels.

    Examples:
        >>> import pandas as pd
        >>> from lendcrm.frames import MEASURES_DTYPES
        >>> frame = pd.DataFrame({
        ...     "client_id": ["C-1", "C-1"],
        ...     "measured_on": pd.to_datetime(["2025-12-31", "2024-12-31"]),
        ...     "revenue_to_bank": [120000.0, 100000.0],
        ...     "profit_to_bank": [30000.0, 20000.0], "product_count": [3, 2],
        ...     "transaction_count": [240, 200], "last_transaction_on": pd.NaT,
        ...     "referral_count": [0, 1]}).astype(dict(MEASURES_DTYPES))
        >>> validate_measures_frame(frame)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 2 rows are invalid: `measures[1].measured_on` must be after the `measured_on` of the client's previous row (each client's rows oldest first; sort with frame.sort_values(['client_id', 'measured_on'], kind='stable')); got Timestamp('2024-12-31 00:00:00'). 1 row fails this rule: 1. (1 sub-exception)
        >>> validate_measures_frame(frame.sort_values(["client_id", "measured_on"]))
    """
    _validate(frame, "measures", _measure_rules)


def validate_ratings_frame(frame: pd.DataFrame) -> None:
    """Check a rating-history frame in one vectorised pass; raise every problem.

    Rules: the `RATINGS_DTYPES` columns (extra columns allowed, may be empty); grade
    and rater present (the rater may be ``""``); PD in [0, 1] or missing; an override
    states a non-empty reason; per client, one row per ``rated_on``, oldest first
    (unsorted frames are refused).

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "client_id": ["C-1"], "rated_on": pd.to_datetime(["2025-06-30"]),
        ...     "rating_grade": ["7"], "default_probability": [0.04],
        ...     "rater": ["J. Doe"], "rating_override": [True],
        ...     "override_reason": [None]})
        >>> validate_ratings_frame(frame)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 1 rows are invalid: `ratings[0].override_reason` must be a non-empty reason when `rating_override` is true; got None. 1 row fails this rule: 0. (1 sub-exception)
    """
    _validate(frame, "ratings", _rating_rules)


def validate_statements_frame(frame: pd.DataFrame) -> None:
    """Check a financial-statements frame in one vectorised pass; raise every problem.

    Rules: the `STATEMENTS_DTYPES` columns (extra columns allowed, may be empty);
    a known currency, one per client; ``period_months`` a whole number >= 1; amounts
    finite or missing, and >= 0 except EBITDA, EBIT, net debt, equity and operating
    cash flow; ``total_assets = total_liabilities + equity`` (to 1e-12 of the largest
    of the three) where all three are given; per client, one row per ``period_end``,
    oldest first (unsorted frames are refused).

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> from lendcrm import Book
        >>> from lendcrm.frames import book_frames
        >>> frame = book_frames(Book()).statements
        >>> validate_statements_frame(frame)  # an empty history is valid
        >>> list(frame.columns[:4])
        ['client_id', 'period_end', 'currency', 'period_months']
    """
    _validate(frame, "statements", _statement_rules)


def validate_observations_frame(frame: pd.DataFrame) -> None:
    """Check a facility-observations frame in one vectorised pass; raise every problem.

    Rules: the `OBSERVATIONS_DTYPES` columns (extra columns allowed, may be empty);
    drawn and limit finite and >= 0; days past due whole and >= 0; per facility, one
    row per ``period_end``, oldest first (unsorted frames are refused).

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "facility_id": ["F-1", "F-1"],
        ...     "period_end": pd.to_datetime(["2025-10-31", "2025-10-31"]),
        ...     "drawn": [6e6, -1.0], "limit": [8e6, 8e6], "days_past_due": [0, 0],
        ...     "in_default": False, "forborne": False})
        >>> validate_observations_frame(frame)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 2 of 2 rows are invalid: `observations[1].drawn` must be a finite number >= 0; got -1.0. 1 row fails this rule: 1.; `observations[1].period_end` must be unique per facility (one row per `facility_id` and `period_end`); got Timestamp('2025-10-31 00:00:00'). 1 row fails this rule: 1. (2 sub-exceptions)
    """
    _validate(frame, "observations")


def validate_valuations_frame(frame: pd.DataFrame) -> None:
    """Check a collateral-valuations frame in one vectorised pass; raise every problem.

    Rules: the `VALUATIONS_DTYPES` columns (extra columns allowed, may be empty);
    ``collateral_index`` a whole number >= 0; values finite and >= 0; a known
    `ValuationMethod` value; per collateral (``facility_id`` and
    ``collateral_index``), one row per ``valued_on``, oldest first (unsorted frames
    are refused). Whether the index names an existing collateral row is checked by
    `book_from_frames`, which sees the collateral frame.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({
        ...     "facility_id": ["F-1", "F-1"], "collateral_index": [0, 1],
        ...     "valued_on": pd.to_datetime(["2025-03-31", "2025-03-31"]),
        ...     "valuation_value": [12e6, 3e5],
        ...     "valuation_method": ["full_appraisal", "market_price"]})
        >>> validate_valuations_frame(frame)  # two assets, one valuation each
    """
    _validate(frame, "valuations")


#: The check of each history frame, by its `BookFrames` name (in the frames' order).
HISTORY_VALIDATORS: Final[Mapping[str, Callable[[pd.DataFrame], None]]] = (
    MappingProxyType(
        {
            "measures": validate_measures_frame,
            "ratings": validate_ratings_frame,
            "statements": validate_statements_frame,
            "observations": validate_observations_frame,
            "valuations": validate_valuations_frame,
        }
    )
)
