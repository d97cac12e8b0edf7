"""The history frames' own rules as masks, for the quarantine (private).

`lendcrm.frames`' history validators raise the rows that break a record rule (an
override without a reason, a balance sheet that does not balance...) and the rows
that repeat a date or go back in time. Quarantine needs every such row as a mask, and
a mask whose removal leaves a valid frame: a row goes back in time when its date is
not after *every* earlier row of its series (not only the one before it), so the
rows kept are each series' rows that set a new latest date, oldest first with no date
twice. (With ``[1, 5, 3, 4]`` the 3 and the 4 go: keeping the 4 would put it after
the 5.) The reasons use the validators' words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames._history_check import RECORD_RULE_MASKS, order_texts
from lendcrm.frames._history_specs import HISTORY_KEYS
from lendcrm.frames.mapping._rules import RowRule

__all__ = ["history_rules", "order_masks"]


def order_masks(
    frame: pd.DataFrame, keys: Sequence[str], date: str
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Rows whose date repeats, and rows whose date is before, an earlier row's.

    A series is the rows with the same ``keys``; rows with a missing key or date are
    left to the null checks. Without the rows of either mask, each series is oldest
    first with no date twice.
    """
    n = len(frame)
    repeat, back = np.zeros(n, np.bool_), np.zeros(n, np.bool_)
    if n < 2:  # noqa: PLR2004 - a pair of rows is the least that can disagree
        return repeat, back
    codes = [pd.factorize(frame[k], use_na_sentinel=True)[0] for k in keys]
    present = frame[date].notna().to_numpy().copy()
    for c in codes:
        present &= c >= 0
    rows = np.flatnonzero(present)
    when = frame[date].to_numpy(dtype="datetime64[ns]")[rows].view(np.int64)
    # one series code per row (keys combined), and each date's rank: series-major keys
    series = np.zeros(len(rows), np.int64)
    for c in codes:
        series = series * (int(c.max(initial=0)) + 1) + c[rows]
    series = pd.factorize(series)[0].astype(np.int64)
    ranks = np.unique(when, return_inverse=True)[1].astype(np.int64).ravel()
    order = np.lexsort((np.arange(len(rows)), series))
    combined = series[order] * (int(ranks.max(initial=0)) + 1) + ranks[order]
    latest = np.maximum.accumulate(combined)  # series ascend: no carry across them
    earlier = np.concatenate(([-1], latest[:-1]))
    where = rows[order]
    repeat[where[combined == earlier]] = True
    back[where[combined < earlier]] = True
    return repeat, back


def history_rules(frame: pd.DataFrame, name: str) -> list[RowRule]:
    """The order and record rules of history frame ``name`` that some row breaks."""
    key = HISTORY_KEYS[name]
    repeat, back = order_masks(frame, key.keys, key.date)
    repeat_text, back_text = order_texts(key)
    found = [(key.date, repeat, repeat_text), (key.date, back, back_text)]
    if name in RECORD_RULE_MASKS:
        found.extend(RECORD_RULE_MASKS[name](frame))
    return [
        RowRule(frame=name, column=column, mask=mask, expected=expected)
        for column, mask, expected in found
        if mask.any()
    ]
