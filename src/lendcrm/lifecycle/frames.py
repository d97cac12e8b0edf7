"""The pandas face of the stage assessment: frame in, frame out, index preserved.

This is the only lifecycle module that imports pandas. It checks the signals frame
once (every failing rule reported with its first row labels), hands numpy arrays to
`assess_signals`, and wraps the result in a frame with the input's index.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._dates import check_as_of
from lendcrm._validators import require_instance
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import STAGE
from lendcrm.lifecycle._assessment import STAGE_ORDER, assess_signals
from lendcrm.lifecycle._rules import StageRules
from lendcrm.lifecycle._signals import (
    SIGNAL_SPECS,
    StageSignals,
    example_columns,  # noqa: F401 - doctests
    signals_unchecked,
)

__all__ = [
    "REASONS",
    "REASON_SEPARATOR",
    "assess_stages",
    "signals_from_frame",
]

#: Output column: names of the rules that fired, joined by `REASON_SEPARATOR`
#: (categorical; empty when no rule fired).
REASONS: Final = "reasons"
REASON_SEPARATOR: Final = ","

_FRAME_SPECS: Final = tuple(
    ColumnSpec(name=s.name, kind=s.kind, lower=s.lower, upper=s.upper)
    for s in SIGNAL_SPECS
)


def signals_from_frame(frame: pd.DataFrame, *, as_of: dt.date) -> StageSignals:
    """Check a signals frame and return its columns as `StageSignals`.

    Args:
        frame: One row per client with the ``SIG_*`` columns of `lendcrm.frames.columns`
            (extra columns are ignored): bool columns of dtype bool, the others
            numeric; months, counts and days whole and >= 0 where stated.
        as_of: The date the signals describe.

    Raises:
        SchemaError: columns are missing or have the wrong dtype.
        BatchValidationError: rows hold NaN, out-of-range or fractional values;
            one child per failing rule, naming the first row labels.

    Examples:
        >>> frame = pd.DataFrame(example_columns(), index=["P-1", "G-2", "D-3"])
        >>> frame.loc["G-2", "months_since_first_drawdown"] = -1
        >>> signals_from_frame(frame, as_of=dt.date(2026, 6, 30))
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 3 rows are invalid: `signals['G-2'].months_since_first_drawdown` must be a whole number >= 0; got -1. 1 row fails this rule: 'G-2'. (1 sub-exception)
    """
    check_as_of(as_of)
    check_frame(frame, _FRAME_SPECS, frame_name="signals")
    return signals_unchecked(
        {s.name: frame[s.name].to_numpy() for s in SIGNAL_SPECS}, as_of=as_of
    )


#: Most rules whose fired patterns are counted in a table (2**k slots), not sorted.
_TABLE_BITS: Final = 20


def _distinct_keys(
    keys: npt.NDArray[np.int64], k: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.unique(keys, return_inverse=True)`` for keys of ``k`` bits.

    With few rules the keys index a table of every pattern: a count marks the
    used ones (ascending, as `np.unique` sorts them) and a look-up numbers each
    row, without sorting a million keys.
    """
    if k > _TABLE_BITS or not len(keys):
        combos, inverse = np.unique(keys, return_inverse=True)
        return combos, np.asarray(inverse, dtype=np.int64).reshape(-1)
    used = np.flatnonzero(np.bincount(keys, minlength=1 << k)).astype(np.int64)
    number = np.zeros(1 << k, dtype=np.int64)
    number[used] = np.arange(len(used))
    return used, number[keys]


def _reason_labels(
    fired: np.ndarray[tuple[int, int], np.dtype[np.bool_]], names: tuple[str, ...]
) -> pd.Categorical[str]:
    """Join fired rule names per row, computing each distinct combination once."""
    n, k = fired.shape
    if k == 0:
        return pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int64), categories=pd.Index([""])
        )
    if k <= 63:  # noqa: PLR2004 - bits of an int64 key
        keys = np.zeros(n, dtype=np.int64)
        for j in range(k):  # k passes over one column each: no (n, k) temporary
            keys |= fired[:, j].astype(np.int64) << j
        combos, inverse = _distinct_keys(keys, k)
        patterns = ((combos[:, None] >> np.arange(k)) & 1).astype(bool)
    else:
        patterns, inverse = np.unique(fired, axis=0, return_inverse=True)
    labels = [
        REASON_SEPARATOR.join(name for name, hit in zip(names, row, strict=True) if hit)
        for row in patterns
    ]
    return pd.Categorical.from_codes(inverse.reshape(-1), categories=pd.Index(labels))


def assess_stages(
    signals: pd.DataFrame, *, as_of: dt.date, rules: StageRules
) -> pd.DataFrame:
    """Assess the lifecycle stage of every client of a book, in one vectorised pass.

    Args:
        signals: One row per client with the ``SIG_*`` columns (see
            `signals_from_frame`); the index labels the clients.
        as_of: The date the signals describe.
        rules: The rule set (e.g. `StageRules.builtin()`).

    Returns:
        A new frame with the input's index and two categorical columns: `STAGE`
        (the assessed stage value) and `REASONS` (fired rule names joined by
        ``","``). The input is not modified.

    Raises:
        InvalidValueError: ``rules`` is not a `StageRules`.
        SchemaError: columns are missing or have the wrong dtype.
        BatchValidationError: rows hold NaN or out-of-range values (names them).
        RuleError: a rule failed.

    Examples:
        >>> frame = pd.DataFrame(example_columns(), index=["P-1", "G-2", "D-3"])
        >>> out = assess_stages(frame, as_of=dt.date(2026, 6, 30),
        ...                     rules=StageRules.builtin())
        >>> out[STAGE].tolist()
        ['acquisition', 'growth', 'decline']
        >>> out.loc["G-2", REASONS]
        'exposure_growth,revenue_growth,product_deepening'
    """
    require_instance(rules, StageRules, name="rules", what="a StageRules")
    result = assess_signals(signals_from_frame(signals, as_of=as_of), rules=rules)
    stage = pd.Categorical.from_codes(
        result.stage_codes.astype(np.int64),
        categories=pd.Index([s.value for s in STAGE_ORDER]),
    )
    return pd.DataFrame(
        {STAGE: stage, REASONS: _reason_labels(result.fired, result.rule_names)},
        index=signals.index,
    )
