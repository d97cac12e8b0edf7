"""The gathering tools of `relationship_frame`: keys to codes, group sums, labels.

Each tool works on whole columns (``numpy.bincount`` and ``ufunc.at`` over client
codes, no loop over clients), so the gathering steps of
`lendcrm.relationship.frames` read like the facts they gather.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._dates import as_of_day
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames, ColumnSpec
from lendcrm.frames import columns as schema
from lendcrm.relationship import columns as col
from lendcrm.relationship._actions import NextBestActions
from lendcrm.relationship._models import RelationshipModels


def str_column(name: str, *, nullable: bool = False) -> ColumnSpec:
    """A text column (``nullable``: missing values allowed)."""
    return ColumnSpec(name=name, kind="str", nullable=nullable)


def float_column(
    name: str, *, nullable: bool = False, lower: float | None = None
) -> ColumnSpec:
    """A number column, optionally bounded below."""
    return ColumnSpec(name=name, kind="float", nullable=nullable, lower=lower)


def date_column(name: str, *, nullable: bool = False) -> ColumnSpec:
    """A date column (``nullable``: missing values allowed)."""
    return ColumnSpec(name=name, kind="date", nullable=nullable)


def _arrow_text(values: pd.Series | pd.Index) -> Any:  # noqa: ANN401 - pyarrow is untyped
    """The pyarrow array behind a pyarrow-backed text column (``None`` otherwise).

    pyarrow is imported only where such a column is seen (it then is installed).
    """
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def positions(keys: pd.Series | pd.Index, index: pd.Index) -> IntArray:
    """Position of each key in ``index`` (-1 where absent), hashing each key once.

    Keys equal to the index, row for row, take ``arange`` without a hash table.
    Text held by pyarrow (pandas' default string storage when pyarrow is installed)
    is matched by ``pyarrow.compute.index_in``, without turning a million strings
    into Python objects; other text through the index's own hash table.
    """
    n = len(index)
    k, i = _arrow_text(keys), _arrow_text(index)
    if k is not None and i is not None:
        import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

        if k.type != i.type:
            k = k.cast(i.type)
        if len(k) == n and k.equals(i):
            return np.arange(n, dtype=np.int64)
        found = pc.fill_null(pc.index_in(k, value_set=i), -1)
        return np.asarray(found.to_numpy(), dtype=np.int64)
    if len(keys) == n and np.array_equal(
        keys.to_numpy(dtype=object), index.to_numpy(dtype=object)
    ):
        return np.arange(n, dtype=np.int64)
    if not index.is_unique:  # a repeated id (refused later): its first row, as above
        first = np.flatnonzero(~index.duplicated())
        found = index[first].get_indexer(pd.Index(keys))
        return np.where(found >= 0, first[np.maximum(found, 0)], -1).astype(np.int64)
    return np.asarray(index.get_indexer(pd.Index(keys)), dtype=np.int64)


def has_duplicates(ids: pd.Series) -> bool:
    """Whether a text column holds a value twice (pyarrow's count when it holds it)."""
    a = _arrow_text(ids)
    if a is not None:
        import pyarrow.compute as pc  # noqa: PLC0415

        distinct = pc.count_distinct(a, mode="all").as_py()
        return bool(distinct != len(ids))
    return bool(pd.Index(ids).has_duplicates)


def codes_of(keys: pd.Series, index: pd.Index, *, kind: str, field: str) -> IntArray:
    """Position of each key in ``index``; raise naming the first key not there."""
    codes = positions(keys, index)
    missing = codes < 0
    if missing.any():
        i = int(np.argmax(missing))
        raise UnknownReferenceError(
            kind=kind, key=keys.iloc[i], field=f"{field}[{i}]", known=()
        )
    return codes


def rows_of(keys: pd.Series, index: pd.Index) -> IntArray:
    """Row of ``keys`` holding each id of ``index`` (-1 where none)."""
    return positions(index, pd.Index(keys))


def categorical_text(values: pd.Series) -> pd.Categorical[str]:
    """A text column as a categorical of its values as text, missing as ``""``.

    The categories are those of a categorical column (in its order) or the
    distinct values in order of appearance, then ``""``: each distinct value is
    turned into text once, not each row.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes.to_numpy(), dtype=np.int64)
        uniques: pd.Index = values.cat.categories
    else:
        raw, uniques = pd.factorize(values)
        codes = np.asarray(raw, dtype=np.int64)
    labels = [str(u) for u in uniques]
    if "" not in labels:
        labels.append("")
    if len(set(labels)) != len(labels):  # two values with one text: hash the text
        text = values.astype(object).where(values.notna(), "").astype(str)
        return pd.Categorical(text.to_numpy(dtype=object))
    empty = labels.index("")
    return used_categories(np.where(codes < 0, empty, codes), labels)


def used_categories(codes: IntArray, labels: Sequence[str]) -> pd.Categorical[str]:
    """A categorical of ``codes`` into ``labels`` whose categories are the labels used.

    Only the values present become categories (in the order of ``labels``), as a
    text column would hold them: ``astype(int)`` of digit grades, ``crosstab`` and
    ``value_counts`` see the values, not every label the models know.
    """
    counts = np.bincount(codes, minlength=len(labels))
    used = np.flatnonzero(counts)
    remap = np.zeros(len(labels), dtype=np.int64)
    remap[used] = np.arange(len(used))
    kept: list[str] = [labels[int(i)] for i in used]
    return pd.Categorical.from_codes(
        remap[codes], categories=pd.Index(kept, dtype=object)
    )


def compact(values: pd.Categorical[str]) -> pd.Categorical[str]:
    """`used_categories` of a categorical without missing values."""
    labels = [str(c) for c in values.categories]
    return used_categories(np.asarray(values.codes, dtype=np.int64), labels)


def labels_of(values: pd.Categorical[str]) -> npt.NDArray[np.object_]:
    """The labels of a categorical as an object array (one pointer per row)."""
    categories = np.asarray(values.categories, dtype=object)
    out: npt.NDArray[np.object_] = categories[np.asarray(values.codes)]
    return out


def is_in(series: pd.Series, allowed: frozenset[str]) -> npt.NDArray[np.bool_]:
    """Membership per row, hashing each distinct value once."""
    codes, uniques = pd.factorize(series)
    hit = np.array([str(u) in allowed for u in uniques] + [False], dtype=bool)
    out: npt.NDArray[np.bool_] = hit[codes]  # code -1 (missing) takes the False
    return out


def day_values(series: pd.Series) -> npt.NDArray[np.datetime64]:
    """The dates of ``series`` as ``datetime64[D]`` (NaT where missing)."""
    return series.to_numpy(dtype="datetime64[D]")


def float_values(series: pd.Series) -> FloatArray:
    """The numbers of ``series`` as float64 (NaN where missing)."""
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def check_frames_as_of(frames: BookFrames, as_of: object) -> np.datetime64:
    """``as_of`` as a day, refused when before the latest date of the data."""
    day = as_of_day(as_of)
    latest: tuple[np.datetime64, str] | None = None
    for frame, column in (
        (frames.clients, schema.ONBOARDED_ON),
        (frames.clients, schema.MEASURED_ON),
        (frames.feedback, schema.FEEDBACK_ON),
        (frames.referrals, schema.REFERRED_ON),
        (frames.drawdowns, schema.DRAWN_ON),
    ):
        values = day_values(frame[column])
        values = values[~np.isnat(values)]
        if values.size:
            top = values.max()
            if latest is None or top > latest[0]:
                latest = (top, column)
    if latest is not None and day < latest[0]:
        raise InvalidValueError(
            field="as_of",
            value=as_of,
            expected=f"a date on or after the latest date of the data ({latest[0]}, "
            f"`{latest[1]}`)",
        )
    return day


#: Up to this many rules, action patterns are keyed by bits (a table of 2**k).
_MAX_BITS: Final = 16


def group_sum(codes: IntArray, *, weights: FloatArray, minlength: int) -> FloatArray:
    """Group sums in record order (float64 even for no records)."""
    out: FloatArray = np.bincount(codes, weights=weights, minlength=minlength).astype(
        np.float64
    )
    return out


def group_min(codes: IntArray, values: FloatArray, n: int) -> FloatArray:
    """Group minima of the non-NaN values (NaN for a group without one)."""
    out: FloatArray = np.full(n, np.inf)
    keep = ~np.isnan(values)
    np.minimum.at(out, codes[keep], values[keep])
    out[np.isinf(out)] = np.nan
    return out


def group_max(codes: IntArray, values: FloatArray, n: int) -> FloatArray:
    """Group maxima of the non-NaN values (NaN for a group without one)."""
    out: FloatArray = np.full(n, -np.inf)
    keep = ~np.isnan(values)
    np.maximum.at(out, codes[keep], values[keep])
    out[np.isinf(out)] = np.nan
    return out


def fx_rates(currencies: pd.Series, models: RelationshipModels) -> FloatArray:
    """Rate to the reporting currency of each row (one look-up per currency)."""
    codes, uniques = pd.factorize(currencies)
    table = np.array([models.rate(str(u)) for u in uniques] + [np.nan])
    out: FloatArray = table[codes]
    return out


def joined(
    fired: npt.NDArray[np.bool_], names: tuple[str, ...], order: IntArray
) -> pd.Categorical[str]:
    """Names of the fired columns in ``order``, joined; each pattern built once."""
    k = fired.shape[1]
    ordered = fired[:, order]
    if k <= _MAX_BITS:
        keys = ordered.astype(np.int64) @ (np.int64(1) << np.arange(k, dtype=np.int64))
        used = np.flatnonzero(np.bincount(keys, minlength=1 << k))
        lookup = np.zeros(1 << k, dtype=np.int64)
        lookup[used] = np.arange(len(used))
        inverse = lookup[keys]
        patterns = ((used[:, None] >> np.arange(k)) & 1).astype(bool)
    else:
        patterns, inverse = np.unique(ordered, axis=0, return_inverse=True)
    labels = [
        col.SEPARATOR.join(names[order[j]] for j in range(k) if row[j])
        for row in patterns
    ]
    if not labels:
        labels = [""]
    return pd.Categorical.from_codes(
        inverse.reshape(-1), categories=pd.Index(labels, dtype=object)
    )


def first_action(
    actions: NextBestActions,
) -> tuple[pd.Categorical[str], pd.Categorical[str]]:
    """The best action of each client and its reason, as categoricals."""
    best = actions.best()
    names = pd.Index([*actions.rule_names, ""])
    reasons = pd.Index(list(dict.fromkeys([*actions.reasons_text, ""])))
    reason_codes = reasons.get_indexer(pd.Index([*actions.reasons_text, ""]))
    # -1 (no action) indexes the trailing "" entry
    return (
        pd.Categorical.from_codes(best % len(names), categories=names),
        pd.Categorical.from_codes(reason_codes[best], categories=reasons),
    )
