"""Optimal monotone binning of numeric and categorical variables, with WoE.

WoE convention: `ln(share of goods / share of bads)`; the event is a **bad** (target 1),
so **higher WoE means lower risk**.

A numeric variable is first cut into at most `max_prebins` quantile pre-bins whose
boundaries are observed values, so equal values always share a bin (ties are never
split). The pre-bins are then merged **optimally**: an exact dynamic programme over the
pre-bin boundaries (see `docs/explanation/scoring-binning.md`) maximises the information
value subject to the event-rate trend, a minimum bin share, minimum goods and bads per
bin and a maximum number of bins. No solver is needed and the optimum is exact over the
pre-bin boundaries.

A categorical variable's levels are ordered by event rate, rare levels are pooled into one
pre-bin, and the same programme merges neighbours. Missing values (NaN or None) and
declared special codes get bins of their own, with **empirical** WoE (smoothed towards 0
only when sparse, see `BinningConfig.smoothing`); they are never silently set to 0.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Final, cast

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array
from lendcrm._validators import Validator, instance_of, number_in, optional
from lendcrm.errors import (
    InfeasibleConstraintError,
    InvalidValueError,
    ModelMismatchError,
    UnknownReferenceError,
)
from lendcrm.risk.scoring._binning_dp import Trend, interval_stats, solve

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BinRow",
    "Binning",
    "BinningConfig",
    "BinningSet",
    "DEFAULT_BINNING",
    "PreBinning",
    "Trend",
    "UnseenRule",
    "VariableKind",
    "as_binary_target",
    "fit_binning",
    "fit_binning_set",
    "fit_categorical",
    "fit_numeric",
]

MISSING_LABEL: Final = "Missing"
_MAX_PREBINS: Final = 100
_TWO: Final = 2  # fewest pre-bins (or levels) a split needs


class VariableKind(StrEnum):
    """Whether a variable was binned as numbers or as category labels.

    Examples:
        >>> VariableKind.NUMERIC.value
        'numeric'
    """

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"


class UnseenRule(StrEnum):
    """What a categorical binning does with a level it did not see at fit.

    `ERROR` raises `InvalidValueError` naming the variable and the first row. `MISSING`
    gives the level the missing bin's WoE. `WORST` gives it the riskiest (lowest-WoE)
    bin, the conservative choice for credit decisions (the default).

    Examples:
        >>> UnseenRule("error") is UnseenRule.ERROR
        True
    """

    ERROR = "error"
    MISSING = "missing"
    WORST = "worst"


class PreBinning(StrEnum):
    """How numeric candidate cut points are found before the optimal merge.

    `QUANTILE`: at most `max_prebins` quantile pre-bins (boundaries at observed values,
    ties never split). `TREE`: the quantile boundaries plus those of a best-first
    classification tree (Gini impurity, at most `max_prebins` leaves, leaves of at least
    `min_bin_share`), the supervised pre-binning of CART (Breiman et al., 1984), whose
    splits are searched among the observed values at a 1/4096 quantile grid. The
    merge is exact over the candidates either way; more candidates can only raise the
    optimal IV.

    Examples:
        >>> PreBinning("tree") is PreBinning.TREE
        True
    """

    QUANTILE = "quantile"
    TREE = "tree"


def _positive_int_at_most(limit: int) -> Validator:
    def check(_inst: object, attr: attrs.Attribute[int], value: object) -> None:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not _TWO <= value <= limit
        ):
            raise InvalidValueError(
                field=attr.name, value=value, expected=f"an integer in [2, {limit}]"
            )

    return check


def _floats(values: Collection[float]) -> tuple[float, ...]:
    return tuple(sorted({float(v) for v in values}))


def _optional_floats(values: Collection[float] | None) -> tuple[float, ...] | None:
    return None if values is None else _floats(values)


@attrs.frozen(kw_only=True)
class BinningConfig:
    """Constraints and options of one variable's binning (WoE = ln(goods/bads shares)).

    Attributes:
        trend: Required shape of the event rate across numeric bins (`Trend`).
        max_prebins: Most quantile pre-bins before merging, in [2, 100].
        min_bin_share: Smallest share of the total weight (all rows, including missing
            and special) that a regular bin may hold, in [0, 1).
        min_bin_goods: Smallest weight of goods in a regular bin, > 0.
        min_bin_bads: Smallest weight of bads in a regular bin, > 0.
        max_bins: Most regular bins (missing and special bins not counted); `None` for
            no limit.
        special_codes: Numeric codes that mean something else than a quantity (e.g.
            -999 "no bureau file"); each gets a bin of its own.
        user_splits: Fixed numeric cut points: bins are `[s_{k-1}, s_k)` and no
            optimisation is done (the trend is not enforced).
        prebinning: How candidate cut points are found (`PreBinning`).
        min_category_share: Levels holding less than this share of the total weight are
            pooled into one pre-bin before merging, in [0, 1).
        unseen: What a categorical binning does with a level not seen at fit.
        smoothing: Prior strength `a` (> 0) used for missing and special bins that are
            sparse (fewer than `min_bin_goods` goods or `min_bin_bads` bads):
            `WoE = ln(((g + a G/N)/G) / ((b + a B/N)/B))`, which shrinks towards 0 and is
            exactly 0 for an empty bin.

    Examples:
        >>> BinningConfig(trend=Trend.ASCENDING, max_bins=5).max_bins
        5
        >>> BinningConfig(min_bin_share=1.5)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `min_bin_share` must be a finite number in [0, 1); got 1.5.
    """

    trend: Trend = attrs.field(default=Trend.AUTO, converter=Trend)
    max_prebins: int = attrs.field(
        default=20, validator=_positive_int_at_most(_MAX_PREBINS)
    )
    min_bin_share: float = attrs.field(
        default=0.05, validator=number_in(0, 1, upper_open=True)
    )
    min_bin_goods: float = attrs.field(
        default=5.0, validator=number_in(0, None, lower_open=True)
    )
    min_bin_bads: float = attrs.field(
        default=5.0, validator=number_in(0, None, lower_open=True)
    )
    max_bins: int | None = attrs.field(
        default=None, validator=optional(_positive_int_at_most(_MAX_PREBINS))
    )
    special_codes: tuple[float, ...] = attrs.field(default=(), converter=_floats)
    user_splits: tuple[float, ...] | None = attrs.field(
        default=None,
        converter=_optional_floats,
    )
    prebinning: PreBinning = attrs.field(
        default=PreBinning.QUANTILE, converter=PreBinning
    )
    min_category_share: float = attrs.field(
        default=0.01, validator=number_in(0, 1, upper_open=True)
    )
    unseen: UnseenRule = attrs.field(default=UnseenRule.WORST, converter=UnseenRule)
    smoothing: float = attrs.field(
        default=1.0, validator=number_in(0, None, lower_open=True)
    )

    @special_codes.validator
    def _check_specials(self, _attr: object, value: tuple[float, ...]) -> None:
        as_float_array(value, name="special_codes")

    @user_splits.validator
    def _check_splits(self, _attr: object, value: tuple[float, ...] | None) -> None:
        if value is not None:
            as_float_array(value, name="user_splits", allow_empty=False)


DEFAULT_BINNING: Final = BinningConfig()


@attrs.frozen(kw_only=True)
class BinRow:
    """One row of a bin table (WoE = ln(share of goods / share of bads)).

    Attributes:
        label: The bin's range (`[1.5, 3)`), levels, `Missing` or `Special -999`.
        count: Weight of rows in the bin.
        goods: Weight of goods (target 0).
        bads: Weight of bads (target 1).
        event_rate: `bads / count` (NaN for an empty bin).
        woe: Weight of evidence; higher is lower risk.
        iv: The bin's term of the information value.
        smoothed: Whether `woe` was smoothed because the bin is sparse.
    """

    label: str
    count: float
    goods: float
    bads: float
    event_rate: float
    woe: float
    iv: float
    smoothed: bool


def _fmt(x: float) -> str:
    return f"{x:.6g}"


@attrs.frozen(kw_only=True)
class Binning:
    """A fitted binning of one variable (WoE = ln(share of goods / share of bads)).

    Bins are numbered: regular bins `0..n_regular-1`, then the missing bin, then one
    bin per special code in ascending order.

    Attributes:
        name: The variable's name.
        kind: Numeric or categorical.
        splits: Numeric cut points `s_k`; regular bin `k` is `[s_{k-1}, s_k)`.
        levels: Categorical levels seen at fit, sorted.
        level_bins: Regular bin of each entry of `levels`.
        labels: Label of every bin, for tables.
        special_codes: Numeric special codes, sorted.
        goods: Weight of goods per bin.
        bads: Weight of bads per bin.
        woe: WoE per bin; higher is lower risk.
        smoothed: Per bin, whether its WoE was smoothed (sparse missing/special bin).
        trend: The trend the regular bins follow (`AUTO` resolved).
        unseen: Rule for categorical levels not seen at fit.

    Examples:
        >>> import numpy as np
        >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8] * 25)
        >>> y = np.array([1, 1, 1, 0, 1, 0, 0, 0] * 25)
        >>> b = fit_numeric(x, y, name="age", config=BinningConfig(min_bin_share=0.2))
        >>> b.splits
        (5.0,)
        >>> b.transform([2.5, 7.0, np.nan]).round(4)
        array([-1.0986,  1.0986,  0.    ])
        >>> round(b.iv, 4)
        1.0986
    """

    name: str
    kind: VariableKind = attrs.field(converter=VariableKind)
    splits: tuple[float, ...] = ()
    levels: tuple[str, ...] = ()
    level_bins: tuple[int, ...] = ()
    labels: tuple[str, ...]
    special_codes: tuple[float, ...] = ()
    goods: tuple[float, ...]
    bads: tuple[float, ...]
    woe: tuple[float, ...]
    smoothed: tuple[bool, ...]
    trend: Trend = attrs.field(converter=Trend)
    unseen: UnseenRule = attrs.field(default=UnseenRule.WORST, converter=UnseenRule)

    @property
    def n_regular(self) -> int:
        """Number of regular (non-missing, non-special) bins."""
        return len(self.labels) - 1 - len(self.special_codes)

    @property
    def missing_bin(self) -> int:
        """Index of the missing bin."""
        return self.n_regular

    @property
    def woe_array(self) -> FloatArray:
        """WoE per bin as float64, shape `(n_bins,)`."""
        out: FloatArray = np.asarray(self.woe, dtype=np.float64)
        return out

    @property
    def iv_terms(self) -> FloatArray:
        """IV term per bin, `(g_i/G - b_i/B) WoE_i`, shape `(n_bins,)`."""
        g = np.asarray(self.goods, dtype=np.float64)
        b = np.asarray(self.bads, dtype=np.float64)
        out: FloatArray = (g / g.sum() - b / b.sum()) * self.woe_array
        return out

    @property
    def iv(self) -> float:
        """Information value of the variable, all bins included."""
        return float(self.iv_terms.sum())

    def table(self) -> tuple[BinRow, ...]:
        """The bin table: range, count, goods, bads, event rate, WoE, IV per bin.

        Examples:
            >>> import numpy as np
            >>> i = np.arange(100)
            >>> b = fit_numeric(i * 1.0, (i % 3 == 0) | (i < 20), name="x",
            ...                 config=BinningConfig(trend=Trend.NONE, max_bins=2))
            >>> b.table()[0].label
            '(-inf, 30)'
        """
        g = np.asarray(self.goods)
        b = np.asarray(self.bads)
        n = g + b
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(n > 0, b / n, np.nan)
        terms = self.iv_terms
        return tuple(
            BinRow(
                label=self.labels[k],
                count=float(n[k]),
                goods=float(g[k]),
                bads=float(b[k]),
                event_rate=float(rate[k]),
                woe=float(self.woe[k]),
                iv=float(terms[k]),
                smoothed=self.smoothed[k],
            )
            for k in range(len(self.labels))
        )

    def format_table(self) -> str:
        """The bin table as aligned text, with a total line.

        Examples:
            >>> import numpy as np
            >>> i = np.arange(100)
            >>> b = fit_numeric(i * 1.0, (i % 3 == 0) | (i < 20), name="x",
            ...                 config=BinningConfig(max_bins=2))
            >>> print(b.format_table())
            bin         count  goods  bads  event_rate      woe      iv
            (-inf, 30)     30      7    23      0.7667  -1.3097  0.4679
            [30, inf)      70     46    24      0.3429   0.5304  0.1895
            Missing         0      0     0           -  0.0000*  0.0000
            Total         100     53    47      0.4700           0.6575
        """
        head = ("bin", "count", "goods", "bads", "event_rate", "woe", "iv")
        rows = [
            (
                r.label,
                _fmt(r.count),
                _fmt(r.goods),
                _fmt(r.bads),
                "-" if np.isnan(r.event_rate) else f"{r.event_rate:.4f}",
                f"{r.woe:.4f}" + ("*" if r.smoothed else ""),
                f"{r.iv:.4f}",
            )
            for r in self.table()
        ]
        g, b = sum(self.goods), sum(self.bads)
        rows.append(
            (
                "Total",
                _fmt(g + b),
                _fmt(g),
                _fmt(b),
                f"{b / (g + b):.4f}",
                "",
                f"{self.iv:.4f}",
            )
        )
        widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
        lines = [
            "  ".join(
                cell.ljust(w) if c == 0 else cell.rjust(w)
                for c, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            for row in [head, *rows]
        ]
        return "\n".join(lines)

    def bin_index(self, values: RawValues) -> IntArray:
        """Bin number of each value (regular, then missing, then special bins).

        Args:
            values: Raw values of the variable, shape `(n,)`; NaN/None is missing.

        Returns:
            Int64 array of shape `(n,)`.

        Raises:
            InvalidValueError: a numeric value is infinite or not a number; a categorical
                level was not seen at fit and `unseen` is `ERROR`.

        Examples:
            >>> import numpy as np
            >>> b = fit_numeric(np.arange(100.0), np.arange(100) % 2, name="x",
            ...                 config=BinningConfig(user_splits=[50], special_codes=[-1]))
            >>> b.bin_index([10, 60, np.nan, -1]).tolist()
            [0, 1, 2, 3]
        """
        if self.kind is VariableKind.NUMERIC:
            return self._numeric_index(values)
        return self._categorical_index(values)

    def _numeric_index(self, values: RawValues) -> IntArray:
        x = as_float_array(
            cast("npt.ArrayLike", values), name=self.name, allow_nan=True
        )
        idx = _bucket(x, np.asarray(self.splits)).astype(np.int64)
        idx[np.isnan(x)] = self.missing_bin
        if self.special_codes:
            codes = np.asarray(self.special_codes)
            pos = np.searchsorted(codes, x).clip(0, len(codes) - 1)
            special = codes[pos] == x
            idx[special] = self.missing_bin + 1 + pos[special]
        return idx

    def _categorical_index(self, values: RawValues) -> IntArray:
        codes, missing = _level_codes(values, self.levels, name=self.name)
        return self._bins_of_codes(codes, missing, values)

    def bin_index_from_codes(
        self, codes: IntArray, *, missing: npt.NDArray[np.bool_], values: object
    ) -> IntArray:
        """Bin numbers of a categorical variable given as positions in `levels`.

        For adapters that already hold level codes (e.g. a pandas categorical).

        Args:
            codes: Position of each value in `self.levels`, -1 if unseen, shape `(n,)`.
            missing: Whether each value is missing, shape `(n,)`.
            values: The raw values, used only to name an unseen level in an error.

        Returns:
            Int64 array of shape `(n,)`.

        Raises:
            InvalidValueError: an unseen level and `unseen` is `ERROR`.

        Examples:
            >>> import numpy as np
            >>> b = fit_categorical(["a", "b"] * 20, [0, 1, 0, 0] * 10, name="c",
            ...                     config=BinningConfig(min_bin_goods=1, min_bin_bads=1))
            >>> b.bin_index_from_codes(np.array([0, -1]), missing=np.array([False, True]),
            ...                        values=["a", None]).tolist()
            [0, 1]
        """
        return self._bins_of_codes(codes, missing, values)

    def _bins_of_codes(
        self, codes: IntArray, missing: npt.NDArray[np.bool_], values: object
    ) -> IntArray:
        table = np.asarray(self.level_bins, dtype=np.int64)
        unseen = (codes < 0) & ~missing
        idx = table.take(codes.clip(0, max(len(table) - 1, 0)))
        idx[missing] = self.missing_bin
        if unseen.any():
            if self.unseen is UnseenRule.ERROR:
                i = int(np.argmax(unseen))
                raw = np.asarray(values, dtype=object)[i]
                raise InvalidValueError(
                    field=f"{self.name}[{i}]",
                    value=raw,
                    expected=f"a level seen at fit ({', '.join(self.levels)})",
                    hint="Refit, or choose another `unseen` rule (missing, worst).",
                )
            if self.unseen is UnseenRule.MISSING:
                idx[unseen] = self.missing_bin
            else:
                idx[unseen] = int(np.argmin(self.woe_array[: self.n_regular]))
        return idx

    def transform(self, values: RawValues) -> FloatArray:
        """WoE of each value, `ln(share of goods / share of bads)` of its bin.

        Args:
            values: Raw values, shape `(n,)`; NaN/None is missing.

        Returns:
            Float64 array of shape `(n,)`; higher is lower risk.

        Raises:
            InvalidValueError: as `bin_index`.

        Examples:
            >>> import numpy as np
            >>> b = fit_categorical(["a", "a", "b", "b"] * 50,
            ...                     [0, 1, 0, 1, 0, 0, 0, 1] * 25, name="region")
            >>> b.transform(["a", "b"]).round(4)
            array([ 0.5878, -0.5108])
        """
        return self.woe_array.take(self.bin_index(values))


#: Raw values of a variable: numbers, or level labels (None or NaN is missing).
RawValues = npt.ArrayLike | Sequence[object]


def _is_missing(arr: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """None or NaN, elementwise, for an object array."""
    none = np.equal(arr, np.asarray(None, dtype=object))
    nan = np.not_equal(arr, arr)
    out: npt.NDArray[np.bool_] = np.asarray(none | nan, dtype=bool)
    return out


def _level_codes(
    values: RawValues, levels: Sequence[str], *, name: str
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Position of each value in sorted `levels` (-1 unseen) and the missing mask."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one-dimensional"
        )
    missing = _is_missing(arr)
    text = np.where(missing, "", arr).astype(str)
    lv = np.asarray(levels, dtype=str)
    if len(lv) == 0:
        return np.full(len(arr), -1, dtype=np.int64), missing
    pos = np.searchsorted(lv, text).clip(0, len(lv) - 1)
    found = lv[pos] == text
    codes = np.where(found & ~missing, pos, -1).astype(np.int64)
    return codes, missing


def as_binary_target(
    target: npt.ArrayLike, *, name: str = "target"
) -> npt.NDArray[np.float64]:
    """Validate a 0/1 target (1 = bad, the event) and return it as float64.

    Raises:
        InvalidValueError: a value is NaN, infinite or not 0/1 (names the first index),
            the target is empty, or only one class is present.

    Examples:
        >>> as_binary_target([0, 1, 1]).tolist()
        [0.0, 1.0, 1.0]
        >>> as_binary_target([0, 0])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `target` must be both classes, 0 (good) and 1 (bad); got 'only 0'.
    """
    y = as_float_array(target, name=name, allow_empty=False)
    bad = (y != 0.0) & (y != 1.0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]", value=float(y[i]), expected="0 (good) or 1 (bad)"
        )
    n_bad = int(y.sum())
    if n_bad in {0, len(y)}:
        raise InvalidValueError(
            field=name,
            value=f"only {int(y[0])}",
            expected="both classes, 0 (good) and 1 (bad)",
        )
    return y


def as_weights(weights: npt.ArrayLike | None, n: int) -> FloatArray | None:
    """Validate optional non-negative sample weights of length `n` (`None` passes)."""
    if weights is None:
        return None
    w = as_float_array(weights, name="weights", lower=0)
    if len(w) != n:
        raise InvalidValueError(
            field="weights",
            value=f"length {len(w)}",
            expected=f"the same length as `target` ({n})",
        )
    return w


def _class_sums(
    idx: IntArray, y: FloatArray, w: FloatArray | None, size: int
) -> tuple[FloatArray, FloatArray]:
    if w is None:
        total = np.bincount(idx, minlength=size).astype(np.float64)
        bads = np.bincount(idx, weights=y, minlength=size).astype(np.float64)
    else:
        total = np.bincount(idx, weights=w, minlength=size).astype(np.float64)
        bads = np.bincount(idx, weights=w * y, minlength=size).astype(np.float64)
    return total - bads, bads


def _extra_woe(
    g: FloatArray, b: FloatArray, total_g: float, total_b: float, cfg: BinningConfig
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Empirical WoE of missing/special bins, smoothed towards 0 where sparse."""
    sparse = (g < cfg.min_bin_goods) | (b < cfg.min_bin_bads)
    n = total_g + total_b
    a = cfg.smoothing
    gs = np.where(sparse, g + a * total_g / n, g) / total_g
    bs = np.where(sparse, b + a * total_b / n, b) / total_b
    return np.log(gs / bs), sparse


def _check_feature(x: FloatArray, clean: npt.NDArray[np.bool_], name: str) -> None:
    if not clean.any():
        raise InvalidValueError(
            field=name,
            value="all missing or special",
            expected="at least two distinct ordinary values",
        )
    xc = x[clean]
    if xc.min() == xc.max():
        raise InvalidValueError(
            field=name,
            value=f"constant {xc[0]:g}",
            expected="at least two distinct ordinary values",
        )


_SMALL_BUCKETS: Final = 255
#: Candidate values searched by the tree pre-binning (a 1/4096 quantile grid).
_TREE_GRID: Final = 4096


def _bucket(x: FloatArray, splits: FloatArray) -> npt.NDArray[np.integer]:
    """Index of the bin `[s_{k-1}, s_k)` of each value (callers then place NaN).

    For few splits, counting `x >= s` in uint8 is several times faster than a binary
    search on unsorted data; the result equals `searchsorted(splits, x, "right")`.
    """
    if len(splits) >= _SMALL_BUCKETS - 1:
        return np.searchsorted(splits, x, side="right")
    out = np.zeros(len(x), dtype=np.uint8)
    with np.errstate(invalid="ignore"):
        for s in splits:
            np.add(out, x >= s, out=out, casting="unsafe")
    return out


def _prebin_counts(  # noqa: PLR0917 - private helper over aligned arrays
    x: FloatArray,
    y: FloatArray,
    w: FloatArray | None,
    clean: npt.NDArray[np.bool_],
    missing: npt.NDArray[np.bool_],
    cfg: BinningConfig,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Candidate splits, then goods and bads per pre-bin, missing bin, special bins.

    Unweighted data are summarised by sorting the values and the bads' values: the
    weight and bads below any cut point are then binary searches, so no pass over all
    rows per pre-bin is needed.
    """
    all_clean = bool(clean.all())
    xc = x if all_clean else x[clean]
    yc = y if all_clean else y[clean]
    extra = [missing, *(x == c for c in cfg.special_codes)]
    if w is None:
        ext_w = np.array([m.sum() for m in extra], dtype=np.float64)
        ext_b = np.array([y[m].sum() for m in extra], dtype=np.float64)
        xs = np.sort(xc)
        xb = np.sort(xc[yc == 1.0])
        total_w, total_b = float(len(xs)), float(len(xb))

        def below(v: FloatArray) -> tuple[FloatArray, FloatArray]:
            return (
                np.searchsorted(xs, v, side="left").astype(np.float64),
                np.searchsorted(xb, v, side="left").astype(np.float64),
            )

        positions = (np.arange(1, cfg.max_prebins) * len(xs)) // cfg.max_prebins
        cand = xs[positions]
    else:
        ext_w = np.array([w[m].sum() for m in extra], dtype=np.float64)
        ext_b = np.array([(w[m] * y[m]).sum() for m in extra], dtype=np.float64)
        order = np.argsort(xc, kind="stable")
        xs = xc[order]
        cw = np.concatenate(([0.0], np.cumsum(w[clean][order])))
        cb = np.concatenate(([0.0], np.cumsum((w[clean] * yc)[order])))
        total_w, total_b = float(cw[-1]), float(cb[-1])

        def below(v: FloatArray) -> tuple[FloatArray, FloatArray]:
            k = np.searchsorted(xs, v, side="left")
            return cw[k], cb[k]

        q = np.arange(1, cfg.max_prebins) / cfg.max_prebins * total_w
        cand = xs[np.searchsorted(cw[1:], q, side="right").clip(0, len(xs) - 1)]
    if cfg.user_splits is not None:
        splits = np.asarray(cfg.user_splits, dtype=np.float64)
    else:
        splits = np.unique(cand)
        if cfg.prebinning is PreBinning.TREE:
            # the tree searches a fine grid of observed values (at most _TREE_GRID)
            grid = (np.arange(1, _TREE_GRID) * len(xs)) // _TREE_GRID
            u = np.unique(xs[grid])
            u = u[u > xs[0]]
            uw, ub = below(u)
            leaf = max(cfg.min_bin_share * (total_w + ext_w.sum()), 1.0)
            tree = _tree_splits(u, uw, ub, total_w, total_b, cfg.max_prebins, leaf)
            splits = np.union1d(splits, tree)
        splits = splits[splits > xs[0]]
    sw, sb = below(splits)
    reg_w = np.diff(np.concatenate(([0.0], sw, [total_w])))
    reg_b = np.diff(np.concatenate(([0.0], sb, [total_b])))
    g_all = np.concatenate((reg_w - reg_b, ext_w - ext_b))
    b_all = np.concatenate((reg_b, ext_b))
    return splits, g_all, b_all


def _gini_mass(n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(n > 0, 2.0 * b * (n - b) / n, 0.0)
    return out


def _tree_splits(  # noqa: PLR0917 - private helper over aligned arrays
    u: FloatArray,
    uw: FloatArray,
    ub: FloatArray,
    total_w: float,
    total_b: float,
    max_leaves: int,
    min_leaf: float,
) -> FloatArray:
    """Best-first CART (Gini) split points among the candidate values `u`.

    `uw[k]`, `ub[k]`: weight and bads of the values below `u[k]`. A node is a range of
    candidate indices with its edge totals; the leaf whose best split lowers the
    weighted Gini impurity most is split next, until `max_leaves` leaves or no split
    leaves both children at least `min_leaf` weight.
    """
    heap: list[tuple[float, int, int, int, float, float, float, float]] = []

    def push(lo: int, hi: int, w0: float, b0: float, w1: float, b1: float) -> None:  # noqa: PLR0917
        # candidates strictly inside the node: indices lo..hi-1
        if hi <= lo:
            return
        lw = uw[lo:hi] - w0
        lb = ub[lo:hi] - b0
        rw = w1 - uw[lo:hi]
        rb = b1 - ub[lo:hi]
        ok = (lw >= min_leaf) & (rw >= min_leaf)
        if not ok.any():
            return
        parent = float(_gini_mass(np.array([w1 - w0]), np.array([b1 - b0]))[0])
        gain = np.where(ok, parent - _gini_mass(lw, lb) - _gini_mass(rw, rb), -np.inf)
        k = int(np.argmax(gain))
        if gain[k] > 0:
            heapq.heappush(heap, (-float(gain[k]), lo + k, lo, hi, w0, b0, w1, b1))

    push(0, len(u), 0.0, 0.0, total_w, total_b)
    cuts: list[float] = []
    leaves = 1
    while heap and leaves < max_leaves:
        _, k, lo, hi, w0, b0, w1, b1 = heapq.heappop(heap)
        cuts.append(float(u[k]))
        leaves += 1
        push(lo, k, w0, b0, float(uw[k]), float(ub[k]))
        push(k + 1, hi, float(uw[k]), float(ub[k]), w1, b1)
    return np.asarray(sorted(cuts), dtype=np.float64)


def _range_labels(splits: Sequence[float]) -> tuple[str, ...]:
    edges = ["-inf", *(_fmt(s) for s in splits), "inf"]
    return tuple(
        f"[{lo}, {hi})" if lo != "-inf" else f"({lo}, {hi})"
        for lo, hi in itertools.pairwise(edges)
    )


def _feasibility(
    name: str, cfg: BinningConfig, clean_w: float, total_w: float
) -> float:
    min_weight = cfg.min_bin_share * total_w
    if 2 * min_weight > clean_w:
        limit = clean_w / total_w / 2
        raise InfeasibleConstraintError(
            field=f"{name}.min_bin_share",
            value=cfg.min_bin_share,
            expected=(
                f"at most {limit:.4g} so that two bins of the ordinary "
                "(non-missing, non-special) rows can exist"
            ),
        )
    return min_weight


def _optimise(
    g: FloatArray,
    b: FloatArray,
    total_g: float,
    total_b: float,
    cfg: BinningConfig,
    *,
    min_weight: float,
    trend: Trend,
    name: str,
) -> tuple[tuple[int, ...], Trend]:
    iv, rate = interval_stats(
        g,
        b,
        total_g,
        total_b,
        min_weight=min_weight,
        min_goods=cfg.min_bin_goods,
        min_bads=cfg.min_bin_bads,
    )
    max_bins = min(cfg.max_bins or len(g), len(g))
    if min_weight > 0:  # no more bins than the minimum share allows
        max_bins = min(max_bins, max(1, int((g.sum() + b.sum()) // min_weight)))
    tried = (Trend.ASCENDING, Trend.DESCENDING) if trend is Trend.AUTO else (trend,)
    results = [(solve(iv, rate, trend=t, max_bins=max_bins), t) for t in tried]
    (cuts, value), chosen = max(results, key=lambda r: r[0][1])
    if not np.isfinite(value):
        which = "min_bin_bads" if b.sum() < cfg.min_bin_bads else "min_bin_goods"
        if g.sum() >= cfg.min_bin_goods and b.sum() >= cfg.min_bin_bads:
            which = "min_bin_share"
        raise InfeasibleConstraintError(
            field=f"{name}.{which}",
            value=getattr(cfg, which),
            expected="a value that the ordinary rows can satisfy in at least one bin",
        )
    return cuts, chosen


def fit_numeric(
    values: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    name: str,
    config: BinningConfig = DEFAULT_BINNING,
    weights: npt.ArrayLike | None = None,
) -> Binning:
    """Bin a numeric variable optimally (WoE = ln(share of goods / share of bads)).

    Args:
        values: The variable, float64-convertible, shape `(n,)`; NaN is missing.
        target: 1 for bad (the event), 0 for good, shape `(n,)`.
        name: The variable's name, used in the result and in error messages.
        config: Constraints and options.
        weights: Optional non-negative sample weights, shape `(n,)`.

    Returns:
        The fitted `Binning`.

    Raises:
        InvalidValueError: bad target (not 0/1, NaN, one class), infinite values, a
            feature that is all missing or constant, mismatched lengths.
        InfeasibleConstraintError: `min_bin_share` (or the minimum goods/bads) leaves
            no room for two bins, or for any bin at all.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=2_000)
        >>> y = (rng.random(2_000) < 1 / (1 + np.exp(2 - x))).astype(int)
        >>> b = fit_numeric(x, y, name="x", config=BinningConfig(max_bins=4))
        >>> b.trend, b.n_regular
        (<Trend.ASCENDING: 'ascending'>, 4)
    """
    y = as_binary_target(target)
    x = as_float_array(values, name=name, allow_nan=True)
    if len(x) != len(y):
        raise InvalidValueError(
            field=name,
            value=f"length {len(x)}",
            expected=f"the same length as `target` ({len(y)})",
        )
    w = as_weights(weights, len(y))
    specials = np.asarray(config.special_codes)
    missing = np.isnan(x)
    special = np.isin(x, specials) if len(specials) else np.zeros(len(x), dtype=bool)
    clean = ~missing & ~special
    _check_feature(x, clean, name)
    splits, g_all, b_all = _prebin_counts(x, y, w, clean, missing, config)
    n_pre = len(splits) + 1
    total_g, total_b = float(g_all.sum()), float(b_all.sum())
    if total_g <= 0 or total_b <= 0:
        raise InvalidValueError(
            field="weights",
            value="zero weight on a class",
            expected="positive weight on both classes",
        )
    g, b = g_all[:n_pre], b_all[:n_pre]
    trend = config.trend
    if config.user_splits is None:
        min_weight = _feasibility(
            name, config, float(g.sum() + b.sum()), total_g + total_b
        )
        cuts, trend = _optimise(
            g,
            b,
            total_g,
            total_b,
            config,
            min_weight=min_weight,
            trend=trend,
            name=name,
        )
        bounds = np.array([0, *cuts, n_pre])
        g = np.add.reduceat(g, bounds[:-1])
        b = np.add.reduceat(b, bounds[:-1])
        splits = splits[np.asarray(cuts, dtype=np.int64) - 1]
    else:
        trend = Trend.NONE
        nonempty = (g > 0) & (b > 0)
        if not nonempty.all():
            k = int(np.argmin(nonempty))
            raise InfeasibleConstraintError(
                field=f"{name}.user_splits",
                value=list(config.user_splits),
                expected=f"splits whose bins all hold goods and bads (bin {k} does not)",
            )
    with np.errstate(divide="ignore"):
        woe_regular = np.log((g / total_g) / (b / total_b))
    woe_extra, sparse = _extra_woe(
        g_all[n_pre:], b_all[n_pre:], total_g, total_b, config
    )
    labels = (
        *_range_labels(splits.tolist()),
        MISSING_LABEL,
        *(f"Special {_fmt(c)}" for c in config.special_codes),
    )
    return Binning(
        name=name,
        kind=VariableKind.NUMERIC,
        splits=tuple(float(s) for s in splits),
        labels=labels,
        special_codes=config.special_codes,
        goods=tuple(np.concatenate((g, g_all[n_pre:])).tolist()),
        bads=tuple(np.concatenate((b, b_all[n_pre:])).tolist()),
        woe=tuple(np.concatenate((woe_regular, woe_extra)).tolist()),
        smoothed=(False,) * len(g) + tuple(bool(s) for s in sparse),
        trend=trend,
        unseen=config.unseen,
    )


def fit_categorical(
    values: RawValues,
    target: npt.ArrayLike,
    *,
    name: str,
    config: BinningConfig = DEFAULT_BINNING,
    weights: npt.ArrayLike | None = None,
) -> Binning:
    """Bin a categorical variable (WoE = ln(share of goods / share of bads)).

    Levels (compared as strings) are ordered by event rate; levels below
    `config.min_category_share` are pooled into one pre-bin; neighbours are then merged
    optimally (ascending event rate, the other constraints as for numbers). None or NaN
    is missing and gets its own bin.

    Args:
        values: Level labels, shape `(n,)`.
        target: 1 for bad (the event), 0 for good, shape `(n,)`.
        name: The variable's name.
        config: Constraints and options (`trend`, `special_codes` and `user_splits`
            do not apply).
        weights: Optional non-negative sample weights, shape `(n,)`.

    Returns:
        The fitted `Binning`.

    Raises:
        InvalidValueError: bad target; a feature with fewer than two levels.
        InfeasibleConstraintError: as `fit_numeric`.

    Examples:
        >>> b = fit_categorical(["a", "b", "c", None] * 50,
        ...                     [0, 1, 0, 1, 0, 0, 1, 0] * 25, name="sector")
        >>> b.labels
        ('a, b', 'c', 'Missing')
    """
    y = as_binary_target(target)
    arr = np.asarray(values, dtype=object)
    if arr.ndim != 1 or len(arr) != len(y):
        raise InvalidValueError(
            field=name,
            value=f"shape {arr.shape}",
            expected=f"one value per target row ({len(y)})",
        )
    missing = _is_missing(arr)
    levels, inverse = np.unique(arr[~missing].astype(str), return_inverse=True)
    codes = np.full(len(arr), -1, dtype=np.int64)
    codes[~missing] = inverse
    return fit_from_codes(
        codes, missing, tuple(levels.tolist()), y, name=name, config=config,
        weights=as_weights(weights, len(y)),
    )  # fmt: skip


def fit_from_codes(
    codes: IntArray,
    missing: npt.NDArray[np.bool_],
    levels: tuple[str, ...],
    y: FloatArray,
    *,
    name: str,
    config: BinningConfig,
    weights: FloatArray | None,
) -> Binning:
    """Categorical binning from integer level codes into sorted `levels` (-1 missing)."""
    n_levels = len(levels)
    if n_levels < _TWO:
        raise InvalidValueError(
            field=name,
            value="all missing" if n_levels == 0 else f"constant {levels[0]!r}",
            expected="at least two distinct levels",
        )
    idx = np.where(missing, n_levels, codes)
    g_all, b_all = _class_sums(idx, y, weights, n_levels + 1)
    total_g, total_b = float(g_all.sum()), float(b_all.sum())
    g_lv, b_lv = g_all[:n_levels], b_all[:n_levels]
    total_w = total_g + total_b
    rare = (g_lv + b_lv) < config.min_category_share * total_w
    # pre-bins: each frequent level, plus one pool of rare levels
    groups: list[list[int]] = [[k] for k in range(n_levels) if not rare[k]]
    if rare.any():
        groups.append([int(k) for k in np.flatnonzero(rare)])
    gg = np.array([g_lv[grp].sum() for grp in groups])
    bb = np.array([b_lv[grp].sum() for grp in groups])
    with np.errstate(invalid="ignore"):
        rate = np.where(gg + bb > 0, bb / (gg + bb), 0.0)
    order = np.argsort(rate, kind="stable")
    groups = [groups[k] for k in order]
    gg, bb = gg[order], bb[order]
    if len(groups) >= _TWO:
        min_weight = _feasibility(name, config, float(gg.sum() + bb.sum()), total_w)
        cuts, _ = _optimise(
            gg, bb, total_g, total_b, config, min_weight=min_weight,
            trend=Trend.ASCENDING, name=name,
        )  # fmt: skip
    else:
        cuts = ()
    bounds = [0, *cuts, len(groups)]
    level_bins = np.zeros(n_levels, dtype=np.int64)
    labels: list[str] = []
    for k, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        members = sorted(lv for grp in groups[lo:hi] for lv in grp)
        level_bins[members] = k
        labels.append(", ".join(levels[m] for m in members))
    g = np.add.reduceat(gg, bounds[:-1])
    b = np.add.reduceat(bb, bounds[:-1])
    with np.errstate(divide="ignore"):
        woe_regular = np.log((g / total_g) / (b / total_b))
    woe_extra, sparse = _extra_woe(
        g_all[n_levels:], b_all[n_levels:], total_g, total_b, config
    )
    return Binning(
        name=name,
        kind=VariableKind.CATEGORICAL,
        levels=levels,
        level_bins=tuple(level_bins.tolist()),
        labels=(*labels, MISSING_LABEL),
        goods=tuple(np.concatenate((g, g_all[n_levels:])).tolist()),
        bads=tuple(np.concatenate((b, b_all[n_levels:])).tolist()),
        woe=tuple(np.concatenate((woe_regular, woe_extra)).tolist()),
        smoothed=(False,) * len(g) + tuple(bool(s) for s in sparse),
        trend=Trend.ASCENDING,
        unseen=config.unseen,
    )


def fit_binning(
    values: RawValues,
    target: npt.ArrayLike,
    *,
    name: str,
    kind: VariableKind = VariableKind.NUMERIC,
    config: BinningConfig = DEFAULT_BINNING,
    weights: npt.ArrayLike | None = None,
) -> Binning:
    """Bin one variable of the given kind; see `fit_numeric` and `fit_categorical`.

    WoE = ln(share of goods / share of bads).

    Raises:
        InvalidValueError: as `fit_numeric` / `fit_categorical`.
        InfeasibleConstraintError: as `fit_numeric`.

    Examples:
        >>> fit_binning(["x", "y"] * 20, [0, 1] * 20, name="c", kind=VariableKind.CATEGORICAL,
        ...             config=BinningConfig(min_bin_goods=1, min_bin_bads=1)).labels
        ('x, y', 'Missing')
    """
    if VariableKind(kind) is VariableKind.NUMERIC:
        return fit_numeric(
            cast("npt.ArrayLike", values), target, name=name, config=config,
            weights=weights,
        )  # fmt: skip
    return fit_categorical(values, target, name=name, config=config, weights=weights)


def _to_binnings(value: Iterable[Binning]) -> tuple[Binning, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class BinningSet:
    """Fitted binnings of many variables, in a fixed column order.

    WoE convention: `ln(share of goods / share of bads)`; higher is lower risk.

    Attributes:
        binnings: One `Binning` per variable, in column order; names are unique.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> x = rng.normal(size=1_000)
        >>> y = (rng.random(1_000) < 0.2 + 0.1 * (x > 0)).astype(int)
        >>> s = fit_binning_set({"x": x, "z": rng.normal(size=1_000)}, y)
        >>> s.names
        ('x', 'z')
        >>> s.transform({"x": [0.5], "z": [0.0]}).shape
        (1, 2)
    """

    binnings: tuple[Binning, ...] = attrs.field(
        converter=_to_binnings, validator=instance_of(tuple, what="a tuple of Binning")
    )

    @binnings.validator
    def _unique(self, _attr: object, value: tuple[Binning, ...]) -> None:
        names = [b.name for b in value]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise InvalidValueError(
                field="binnings", value=dup, expected="unique variable names"
            )

    @property
    def names(self) -> tuple[str, ...]:
        """Variable names, in column order."""
        return tuple(b.name for b in self.binnings)

    @property
    def ivs(self) -> dict[str, float]:
        """Information value per variable."""
        return {b.name: b.iv for b in self.binnings}

    def __getitem__(self, name: str) -> Binning:
        """The binning of one variable.

        Raises:
            UnknownReferenceError: no such variable.
        """
        for b in self.binnings:
            if b.name == name:
                return b
        raise UnknownReferenceError(kind="binned variable", key=name, known=self.names)

    def __iter__(self) -> Iterator[Binning]:
        """Iterate over the binnings in column order."""
        return iter(self.binnings)

    def __len__(self) -> int:
        """Number of variables."""
        return len(self.binnings)

    def select(self, names: Sequence[str]) -> BinningSet:
        """A set with only `names`, in that order.

        Raises:
            UnknownReferenceError: a name is not in the set.
        """
        return BinningSet(binnings=tuple(self[n] for n in names))

    def check_columns(
        self, columns: Collection[str], *, model: str = "binning set"
    ) -> None:
        """Raise `ModelMismatchError` unless `columns` are exactly this set's names."""
        missing = [n for n in self.names if n not in columns]
        extra = sorted(str(c) for c in columns if c not in self.names)
        if missing or extra:
            raise ModelMismatchError(model=model, missing=missing, unexpected=extra)

    def bin_indices(self, features: Mapping[str, RawValues]) -> IntArray:
        """Bin number of every value, shape `(n, p)` in column order.

        Raises:
            ModelMismatchError: `features` has other columns than the set.
            InvalidValueError: as `Binning.bin_index`; columns of different lengths.
        """
        self.check_columns(list(features))
        cols = [b.bin_index(features[b.name]) for b in self.binnings]
        n = len(cols[0])
        for b, c in zip(self.binnings, cols, strict=True):
            if len(c) != n:
                raise InvalidValueError(
                    field=b.name,
                    value=f"length {len(c)}",
                    expected=f"the same length as `{self.names[0]}` ({n})",
                )
        return np.column_stack(cols)

    def transform(self, features: Mapping[str, RawValues]) -> FloatArray:
        """WoE matrix, float64 of shape `(n, p)` in column order (higher, lower risk).

        Raises:
            ModelMismatchError: `features` has other columns than the set.
            InvalidValueError: as `Binning.transform`.
        """
        idx = self.bin_indices(features)
        out = np.empty(idx.shape, dtype=np.float64, order="F")
        for k, b in enumerate(self.binnings):
            out[:, k] = b.woe_array.take(idx[:, k])
        return out


def fit_binning_set(
    features: Mapping[str, RawValues],
    target: npt.ArrayLike,
    *,
    categorical: Collection[str] = (),
    config: BinningConfig = DEFAULT_BINNING,
    configs: Mapping[str, BinningConfig] | None = None,
    weights: npt.ArrayLike | None = None,
) -> BinningSet:
    """Bin every column of `features` (WoE = ln(share of goods / share of bads)).

    Args:
        features: Column name to values, each shape `(n,)`.
        target: 1 for bad, 0 for good, shape `(n,)`.
        categorical: Names of the categorical columns; the rest are numeric.
        config: Configuration for columns without an entry in `configs`.
        configs: Per-column configurations.
        weights: Optional sample weights, shape `(n,)`.

    Returns:
        A `BinningSet` in the order of `features`.

    Raises:
        InvalidValueError: as `fit_numeric`; `features` is empty.
        UnknownReferenceError: `categorical` or `configs` names a column not in
            `features`.
        InfeasibleConstraintError: as `fit_numeric`.

    Examples:
        >>> s = fit_binning_set({"c": ["a", "b"] * 20}, [0, 1] * 20, categorical=["c"],
        ...     config=BinningConfig(min_bin_goods=1, min_bin_bads=1))
        >>> s["c"].kind
        <VariableKind.CATEGORICAL: 'categorical'>
    """
    if not features:
        raise InvalidValueError(
            field="features", value={}, expected="at least one column"
        )
    configs = dict(configs or {})
    for what, names in (("categorical", categorical), ("configs", configs)):
        for n in names:
            if n not in features:
                raise UnknownReferenceError(
                    kind="column", key=n, field=what, known=list(features)
                )
    y = as_binary_target(target)
    return BinningSet(
        binnings=tuple(
            fit_binning(
                values,
                y,
                name=name,
                kind=VariableKind.CATEGORICAL
                if name in categorical
                else VariableKind.NUMERIC,
                config=configs.get(name, config),
                weights=weights,
            )
            for name, values in features.items()
        )
    )
