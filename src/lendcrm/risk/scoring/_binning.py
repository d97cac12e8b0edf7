"""Fitted binnings: `Binning` of one variable, `BinningSet` of many, the bin table.

WoE convention: `ln(share of goods / share of bads)`; the event is a **bad** (target 1),
so **higher WoE means lower risk**. Bins are fitted by `lendcrm.risk.scoring.fit_numeric`,
`fit_categorical` and `fit_binning_set` (module `_binning_fit`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Final, cast

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm._validators import (
    finite_number,
    instance_of,
    nan_or,
    non_empty_str,
    number_in,
)
from lendcrm.errors import InvalidValueError, ModelMismatchError, UnknownReferenceError
from lendcrm.risk.scoring._binning_check import RawValues, level_codes
from lendcrm.risk.scoring._binning_config import UnseenRule, VariableKind
from lendcrm.risk.scoring._binning_dp import Trend
from lendcrm.risk.scoring._binning_shape import TrendChoice

__all__ = ["BinRow", "Binning", "BinningSet"]

_SMALL_BUCKETS: Final = 255


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

    label: str = attrs.field(validator=non_empty_str)
    count: float = attrs.field(validator=number_in(0))
    goods: float = attrs.field(validator=number_in(0))
    bads: float = attrs.field(validator=number_in(0))
    event_rate: float = attrs.field(validator=nan_or(number_in(0, 1)))
    woe: float = attrs.field(validator=finite_number)
    iv: float = attrs.field(validator=finite_number)
    smoothed: bool = attrs.field(validator=instance_of(bool, what="a boolean"))


def format_number(x: float) -> str:
    """A number as bin labels and tables show it (six significant digits)."""
    return f"{x:.6g}"


def _given_trend(binning: Binning) -> TrendChoice:
    return TrendChoice(
        requested=binning.trend, chosen=binning.trend, tried=(), ivs=(), reason="given"
    )


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
        trend_choice: The shape requested, the shape chosen and why (`TrendChoice`);
            for a binning built by hand, `trend` with the reason "given".

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import BinningConfig, fit_numeric
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
    trend_choice: TrendChoice = attrs.field(
        default=attrs.Factory(_given_trend, takes_self=True)
    )

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
            >>> from lendcrm.risk.scoring import BinningConfig, fit_numeric
            >>> i = np.arange(100)
            >>> b = fit_numeric(i * 1.0, (i % 3 == 0) | (i < 20), name="x",
            ...                 config=BinningConfig(trend=Trend.NONE, max_bins=2))
            >>> b.table()[0].label
            '(-inf, 28)'
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
            >>> from lendcrm.risk.scoring import BinningConfig, fit_numeric
            >>> i = np.arange(100)
            >>> b = fit_numeric(i * 1.0, (i % 3 == 0) | (i < 20), name="x",
            ...                 config=BinningConfig(max_bins=2))
            >>> print(b.format_table())
            bin         count  goods  bads  event_rate      woe      iv
            (-inf, 28)     28      5    23      0.8214  -1.6462  0.6503
            [28, inf)      72     48    24      0.3333   0.5730  0.2263
            Missing         0      0     0           -  0.0000*  0.0000
            Total         100     53    47      0.4700           0.8766
        """
        head = ("bin", "count", "goods", "bads", "event_rate", "woe", "iv")
        rows = [
            (
                r.label,
                format_number(r.count),
                format_number(r.goods),
                format_number(r.bads),
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
                format_number(g + b),
                format_number(g),
                format_number(b),
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
            >>> from lendcrm.risk.scoring import BinningConfig, fit_numeric
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
        codes, missing = level_codes(values, self.levels, name=self.name)
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
            >>> from lendcrm.risk.scoring import BinningConfig, fit_categorical
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
            >>> from lendcrm.risk.scoring import fit_categorical
            >>> b = fit_categorical(["a", "a", "b", "b"] * 50,
            ...                     [0, 1, 0, 1, 0, 0, 0, 1] * 25, name="region")
            >>> b.transform(["a", "b"]).round(4)
            array([ 0.5878, -0.5108])
        """
        return self.woe_array.take(self.bin_index(values))


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
        >>> from lendcrm.risk.scoring import fit_binning_set
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
            exc = ModelMismatchError(model=model, missing=missing, unexpected=extra)
            if extra:
                exc.add_note(
                    f"Pass only the {model}'s columns ({list(self.names)}), without "
                    "the target or other columns; for a DataFrame, the "
                    "lendcrm.risk.scoring.frames functions take ignore_extra=True."
                )
            raise exc

    def bin_indices(self, features: Mapping[str, RawValues]) -> IntArray:
        """Bin number of every value, shape `(n, p)` in column order.

        Raises:
            ModelMismatchError: `features` has other columns than the set.
            InvalidValueError: as `Binning.bin_index`; columns of different lengths.
        """
        self.check_columns(list(features))
        cols = [b.bin_index(features[b.name]) for b in self.binnings]
        check_same_length(**dict(zip(self.names, cols, strict=True)))
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
