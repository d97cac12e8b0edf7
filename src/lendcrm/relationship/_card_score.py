"""A scorecard's score over frame columns, each text column binned per distinct value.

`Scorecard.score` bins a text characteristic value by value (each one turned into a
Python string and searched among the levels): a million clients' sectors cost a
million conversions for a dozen distinct sectors. `card_score` hashes a text
column once (`pandas.factorize`; a categorical column is read from its codes), bins
its distinct values with `Binning.bin_index` and spreads their bins to the rows: the
same bins, since binning a value depends on that value alone. A column holding a
missing value, or a distinct value the binning refuses, is binned row by row as
before, so the error (naming the first refused row) reads the same. The points are
added up as `Scorecard.score` adds them: the same score to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lendcrm._arrays import FloatArray, IntArray
from lendcrm.errors import LendCRMError
from lendcrm.risk.scoring import Binning, Scorecard, VariableKind

__all__ = ["card_score"]


def _is_text(values: object) -> bool:
    if not isinstance(values, pd.Series):
        return False
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return isinstance(dtype.categories.dtype, pd.StringDtype) or (
            dtype.categories.dtype == object
            and pd.api.types.infer_dtype(dtype.categories) == "string"
        )
    return isinstance(dtype, pd.StringDtype)


def _bins(binning: Binning, values: object) -> IntArray:
    """`binning.bin_index(values)`, a text column's distinct values binned once."""
    if binning.kind is VariableKind.CATEGORICAL and _is_text(values):
        found, uniques = pd.factorize(values)  # type: ignore[call-overload]
        if not (found < 0).any():
            try:
                table = binning.bin_index(np.asarray(uniques, dtype=object))
            except LendCRMError:  # refused: bin row by row for the row's error
                pass
            else:
                out: IntArray = table.take(found)
                return out
    series = values.to_numpy() if isinstance(values, pd.Series) else values
    return binning.bin_index(series)  # type: ignore[arg-type]


def card_score(card: Scorecard, features: Mapping[str, object]) -> FloatArray:
    """``card.score(features)`` for the card's own columns (frame columns or arrays).

    Raises:
        InvalidValueError: as `Binning.bin_index`.
    """
    names = card.names
    n = len(features[names[0]])  # type: ignore[arg-type]
    points = np.empty((n, len(names)), dtype=np.float64, order="F")
    for k, (binning, row) in enumerate(zip(card.binnings, card.points, strict=True)):
        points[:, k] = np.asarray(row).take(_bins(binning, features[binning.name]))
    score: FloatArray = points.sum(axis=1)
    return score
