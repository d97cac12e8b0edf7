"""pandas adapters for credit scoring: DataFrame in, DataFrame out, index preserved.

WoE convention: `ln(share of goods / share of bads)`; higher WoE and score, lower risk.
The input frame is never modified. Categorical columns are mapped to level codes with
pandas' hash tables (no per-row string matching in Python) and numeric columns are
passed to the numpy core as float64.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm._validators import column_name, require_instance
from lendcrm.errors import InvalidValueError, ModelMismatchError, SchemaError
from lendcrm.frames import check_unique_labels
from lendcrm.frames.columns import DEFAULT_PROBABILITY, SCORE
from lendcrm.risk.scoring._binning import Binning, BinningSet
from lendcrm.risk.scoring._binning_check import as_binary_target, as_weights
from lendcrm.risk.scoring._binning_config import (
    DEFAULT_BINNING,
    BinningConfig,
    VariableKind,
)
from lendcrm.risk.scoring._binning_fit import fit_from_codes, fit_numeric
from lendcrm.risk.scoring._collinearity import collinearity_filter
from lendcrm.risk.scoring._gains import gains_table
from lendcrm.risk.scoring._scorecard import Scorecard
from lendcrm.risk.scoring._summary import binning_summary

__all__ = [
    "bin_table_frame",
    "binning_summary_frame",
    "collinearity_filter_frame",
    "fit_binning_frame",
    "gains_table_frame",
    "points_frame",
    "points_table_frame",
    "reason_codes_frame",
    "score_frame",
    "woe_frame",
]


def _is_categorical(series: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_bool_dtype(series.dtype)
    )


def _sorted_codes(series: pd.Series) -> tuple[IntArray, np.ndarray, tuple[str, ...]]:
    """Codes into the sorted string levels of `series`, the missing mask, the levels."""
    codes, uniques = pd.factorize(series)
    text = np.asarray([str(u) for u in uniques], dtype=str)
    order = np.argsort(text, kind="stable")
    remap = np.empty(len(order), dtype=np.int64)
    remap[order] = np.arange(len(order))
    missing = codes < 0
    out = np.where(missing, -1, remap.take(np.where(missing, 0, codes)))
    return out.astype(np.int64), missing, tuple(text[order].tolist())


def _codes_for(series: pd.Series, binning: Binning) -> IntArray:
    values = series if _is_string_like(series) else series.astype(str)
    # hash the column once (factorize), then match only its few distinct values to
    # the levels; a missing value's -1 picks the appended -1
    found, uniques = pd.factorize(values)
    table = pd.Index(binning.levels, dtype=object).get_indexer(pd.Index(uniques))
    codes = np.append(table, -1).astype(np.int64, copy=False).take(found)
    missing = np.zeros(len(codes), dtype=bool)
    absent = np.flatnonzero(codes < 0)
    if len(absent):  # only values not among the levels can be missing
        missing[absent] = series.iloc[absent].isna().to_numpy()
    # the raw values are only read to name an unseen level in an error
    return binning.bin_index_from_codes(codes, missing=missing, values=series)


def _is_string_like(series: pd.Series) -> bool:
    return bool(
        pd.api.types.is_object_dtype(series.dtype)
        or pd.api.types.is_string_dtype(series.dtype)
        or isinstance(series.dtype, pd.CategoricalDtype)
    )


def _numeric(series: pd.Series) -> np.ndarray:
    if series.dtype == np.float64:  # no copy: NaN already marks missing
        return series.to_numpy()
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def fit_binning_frame(
    frame: pd.DataFrame,
    *,
    target: str,
    columns: Collection[str] | None = None,
    categorical: Collection[str] | None = None,
    config: BinningConfig = DEFAULT_BINNING,
    configs: Mapping[str, BinningConfig] | None = None,
    weight: str | None = None,
) -> BinningSet:
    """Bin the columns of a frame (WoE = ln(share of goods / share of bads)).

    Args:
        frame: One row per applicant.
        target: Name of the 0/1 column (1 = bad).
        columns: Columns to bin (default: all but `target` and `weight`).
        categorical: Columns binned as categories (default: every non-numeric column).
        config: Configuration for columns without an entry in `configs`.
        configs: Per-column configurations.
        weight: Optional column of sample weights.

    Returns:
        A `BinningSet` in column order.

    Raises:
        SchemaError: `target`, `weight` or a listed column is missing.
        InvalidValueError: as `fit_numeric` / `fit_categorical`.
        InfeasibleConstraintError: as `fit_numeric`.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 25, "c": ["a", "b"] * 50,
        ...                    "bad": [0, 0, 1, 1] * 25})
        >>> fit_binning_frame(df, target="bad", config=BinningConfig(min_bin_goods=1)).names
        ('x', 'c')
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidValueError(
            field="frame", value=type(frame).__name__, expected="a pandas DataFrame"
        )
    check_unique_labels(frame, "frame")
    column_name(target, name="target")
    if weight is not None:
        column_name(weight, name="weight")
    names = (
        [c for c in frame.columns if c not in {target, weight}]
        if columns is None
        else list(columns)
    )
    needed = [target, *([weight] if weight else []), *names]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise SchemaError(
            frame="frame", missing=missing, known=[str(c) for c in frame.columns]
        )
    first = str(names[0]) if names else None
    y = as_binary_target(_numeric(frame[target]), name=target, feature=first)
    w = (
        None
        if weight is None
        else as_weights(_numeric(frame[weight]), y, feature=first)
    )
    cats = (
        {c for c in names if _is_categorical(frame[c])}
        if categorical is None
        else set(categorical)
    )
    per = dict(configs or {})
    binnings = []
    for name in names:
        cfg = per.get(name, config)
        col = frame[name]
        if name in cats:
            codes, miss, levels = _sorted_codes(col)
            binnings.append(
                fit_from_codes(
                    codes, miss, levels, y, name=str(name), config=cfg, weights=w
                )
            )
        else:
            binnings.append(
                fit_numeric(_numeric(col), y, name=str(name), config=cfg, weights=w)
            )
    return BinningSet(binnings=tuple(binnings))


def _check(
    binnings: BinningSet, frame: pd.DataFrame, *, model: str, ignore_extra: bool
) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise InvalidValueError(
            field="frame", value=type(frame).__name__, expected="a pandas DataFrame"
        )
    check_unique_labels(frame, "frame")
    cols = [str(c) for c in frame.columns]
    missing = [n for n in binnings.names if n not in cols]
    extra = [] if ignore_extra else sorted(c for c in cols if c not in binnings.names)
    if missing or extra:
        exc = ModelMismatchError(model=model, missing=missing, unexpected=extra)
        if extra:
            exc.add_note(
                f"The frame holds columns the {model} does not use ({extra}), such as "
                "the target or an id: pass ignore_extra=True to ignore them, or drop "
                f"them first (frame.drop(columns={extra}))."
            )
        raise exc


def _index_of(binning: Binning, frame: pd.DataFrame) -> IntArray:
    col = frame[binning.name]
    if binning.kind is VariableKind.CATEGORICAL:
        return _codes_for(col, binning)
    return binning.bin_index(_numeric(col))


def _indices(binnings: BinningSet, frame: pd.DataFrame) -> IntArray:
    out = np.empty((len(frame), len(binnings)), dtype=np.int64, order="F")
    for k, b in enumerate(binnings):
        out[:, k] = _index_of(b, frame)
    return out


def woe_frame(
    binnings: BinningSet, frame: pd.DataFrame, *, ignore_extra: bool = False
) -> pd.DataFrame:
    """WoE of every binned column, ln(share of goods / share of bads); index kept.

    Raises:
        ModelMismatchError: a binned column is missing, or the frame has extra columns
            and `ignore_extra` is false.
        InvalidValueError: as `Binning.bin_index`.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 25, "bad": [0, 0, 1, 1] * 25})
        >>> s = fit_binning_frame(df, target="bad", config=BinningConfig(min_bin_goods=1))
        >>> woe_frame(s, df.drop(columns="bad")).shape
        (100, 1)
    """
    require_instance(binnings, BinningSet, name="binnings", what="a BinningSet")
    _check(binnings, frame, model="binning set", ignore_extra=ignore_extra)
    # one float64 block, a contiguous column per feature: each WoE lookup writes in
    # place (bin numbers are always in range, so "clip" never clips and, unlike
    # "raise", needs no buffer), and the frame wraps the block without a copy
    out = np.empty((len(frame), len(binnings)), dtype=np.float64, order="F")
    for k, b in enumerate(binnings):
        np.take(b.woe_array, _index_of(b, frame), out=out[:, k], mode="clip")
    return pd.DataFrame(
        out, index=frame.index, columns=list(binnings.names), copy=False
    )


def points_frame(
    scorecard: Scorecard, frame: pd.DataFrame, *, ignore_extra: bool = False
) -> pd.DataFrame:
    """Points of each applicant per characteristic; index kept.

    Raises:
        ModelMismatchError: as `woe_frame`.
    """
    require_instance(scorecard, Scorecard, name="scorecard", what="a Scorecard")
    _check(scorecard.binnings, frame, model="scorecard", ignore_extra=ignore_extra)
    pts = scorecard._points_of(_indices(scorecard.binnings, frame))  # noqa: SLF001
    return pd.DataFrame(pts, index=frame.index, columns=list(scorecard.names))


def score_frame(
    scorecard: Scorecard, frame: pd.DataFrame, *, ignore_extra: bool = False
) -> pd.DataFrame:
    """Score and PD of each applicant from raw values; columns `score`, `default_probability`.

    Raises:
        ModelMismatchError: a characteristic is missing, or the frame has extra
            columns and `ignore_extra` is false.
        InvalidValueError: as `Binning.bin_index`.
    """
    require_instance(scorecard, Scorecard, name="scorecard", what="a Scorecard")
    _check(scorecard.binnings, frame, model="scorecard", ignore_extra=ignore_extra)
    pts = scorecard._points_of(_indices(scorecard.binnings, frame))  # noqa: SLF001
    score = pts.sum(axis=1)
    return pd.DataFrame(
        {SCORE: score, DEFAULT_PROBABILITY: scorecard.scale.pd_of_score(score)},
        index=frame.index,
    )


def reason_codes_frame(
    scorecard: Scorecard,
    frame: pd.DataFrame,
    *,
    code_table: Mapping[str, str],
    k: int = 4,
    ignore_extra: bool = False,
) -> pd.DataFrame:
    """Top-`k` reason codes per applicant, columns `reason_1..k`; index kept.

    Raises:
        ModelMismatchError: as `score_frame`.
        InvalidValueError: as `Scorecard.reason_codes`.
    """
    require_instance(scorecard, Scorecard, name="scorecard", what="a Scorecard")
    _check(scorecard.binnings, frame, model="scorecard", ignore_extra=ignore_extra)
    features = {n: frame[n].to_numpy() for n in scorecard.names}
    codes = scorecard.reason_codes(features, code_table=code_table, k=k)
    return pd.DataFrame(
        codes, index=frame.index, columns=[f"reason_{j + 1}" for j in range(k)]
    )


def bin_table_frame(binning: Binning) -> pd.DataFrame:
    """The bin table as a frame: bin, count, goods, bads, event_rate, woe, iv, smoothed.

    Raises:
        InvalidValueError: ``binning`` is not a `Binning`.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_numeric
        >>> b = fit_numeric(np.arange(100.0), np.arange(100) % 4 == 0, name="x")
        >>> list(bin_table_frame(b).columns)
        ['bin', 'count', 'goods', 'bads', 'event_rate', 'woe', 'iv', 'smoothed']
    """
    require_instance(binning, Binning, name="binning", what="a Binning")
    rows = binning.table()
    return pd.DataFrame(
        {
            "bin": [r.label for r in rows],
            "count": [r.count for r in rows],
            "goods": [r.goods for r in rows],
            "bads": [r.bads for r in rows],
            "event_rate": [r.event_rate for r in rows],
            "woe": [r.woe for r in rows],
            "iv": [r.iv for r in rows],
            "smoothed": [r.smoothed for r in rows],
        }
    )


def points_table_frame(scorecard: Scorecard) -> pd.DataFrame:
    """The points table: characteristic, attribute, woe, points.

    Raises:
        InvalidValueError: ``scorecard`` is not a `Scorecard`.
    """
    require_instance(scorecard, Scorecard, name="scorecard", what="a Scorecard")
    rows = scorecard.points_table()
    return pd.DataFrame(
        {
            "characteristic": [r.characteristic for r in rows],
            "attribute": [r.attribute for r in rows],
            "woe": [r.woe for r in rows],
            "points": [r.points for r in rows],
        }
    )


def gains_table_frame(
    frame: pd.DataFrame,
    *,
    target: str,
    score: str = SCORE,
    bands: int = 10,
    edges: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Gains, lift and KS by score band, riskiest band first; one row per band.

    Columns: `band` (index, 1 = lowest scores), `score_min`, `score_max`, `count`,
    `goods`, `bads`, `bad_rate`, `share`, `cum_share`, `cum_bads_share`,
    `cum_goods_share`, `ks`, `lift`, `cum_lift`; see
    `lendcrm.risk.scoring.gains_table`.

    Args:
        frame: One row per applicant, with the 0/1 target (1 = bad) and the score.
        target: Name of the target column.
        score: Name of the score column (higher is lower risk).
        bands: Quantile bands when `edges` is not given (10: deciles).
        edges: Score cut-offs of fixed bands.

    Raises:
        SchemaError: `target` or `score` is not a column.
        InvalidValueError: as `gains_table`; more bands than rows names the score
            column.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"score": [1, 2, 3, 4, 5, 6, 7, 8],
        ...                    "bad": [1, 1, 0, 1, 0, 0, 0, 0]})
        >>> gains_table_frame(df, target="bad", bands=4)[["bads", "ks", "lift"]].round(4)
              bads      ks    lift
        band
        1        2  0.6667  2.6667
        2        1  0.8000  1.3333
        3        0  0.4000  0.0000
        4        0  0.0000  0.0000
    """
    _require(
        frame, [column_name(target, name="target"), column_name(score, name="score")]
    )
    rows = gains_table(
        _numeric(frame[target]), _numeric(frame[score]), bands=bands, edges=edges,
        name=score,
    )  # fmt: skip
    out = pd.DataFrame([attrs.asdict(r) for r in rows])
    return out.set_index("band")


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise InvalidValueError(
            field="frame", value=type(frame).__name__, expected="a pandas DataFrame"
        )
    check_unique_labels(frame, "frame")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            frame="frame", missing=missing, known=[str(c) for c in frame.columns]
        )


def binning_summary_frame(
    binnings: BinningSet,
    *,
    min_iv: float = 0.02,
    max_iv: float = 0.5,
    max_missing_share: float = 0.2,
) -> pd.DataFrame:
    """One row per binned variable: IV, strength, bins, shape, shares, quality flags.

    Columns: `iv`, `strength`, `kind`, `bins`, `shape`, `missing_share`,
    `special_share`, `smallest_bin_share`, `flags` (comma-separated `QualityFlag`
    values, empty when none) and `shape_reason`; the index is the variable's name.
    See `lendcrm.risk.scoring.binning_summary` for the flags.

    Raises:
        InvalidValueError: as `binning_summary`.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_binning_set
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=5_000)
        >>> y = (rng.random(5_000) < 1 / (1 + np.exp(2 + 0.5 * x))).astype(int)
        >>> noise = np.where(rng.random(5_000) < 0.3, np.nan, rng.normal(size=5_000))
        >>> s = fit_binning_set({"x": x, "noise": noise}, y)
        >>> cols = ["iv", "bins", "shape", "missing_share", "flags"]
        >>> binning_summary_frame(s)[cols].round(3)
                  iv  bins       shape  missing_share                       flags
        name
        x      0.256     8  descending          0.000
        noise  0.015     5   ascending          0.283  unpredictive, high_missing
    """
    rows = binning_summary(
        binnings, min_iv=min_iv, max_iv=max_iv, max_missing_share=max_missing_share
    )
    return pd.DataFrame(
        {
            "iv": [r.iv for r in rows],
            "strength": [r.strength.value for r in rows],
            "kind": [r.kind.value for r in rows],
            "bins": [r.bins for r in rows],
            "shape": [r.shape.value for r in rows],
            "missing_share": [r.missing_share for r in rows],
            "special_share": [r.special_share for r in rows],
            "smallest_bin_share": [r.smallest_bin_share for r in rows],
            "flags": [", ".join(f.value for f in r.flags) for r in rows],
            "shape_reason": [r.shape_reason for r in rows],
        },
        index=pd.Index([r.name for r in rows], name="name"),
    )


def collinearity_filter_frame(
    woe: pd.DataFrame,
    *,
    ivs: Mapping[str, float] | None = None,
    max_correlation: float = 0.7,
    max_vif: float = 5.0,
) -> pd.DataFrame:
    """The correlation and VIF filter over a WoE frame, one row per feature.

    Columns: `kept` (bool), `rule` (`constant`, `correlation`, `vif`, or empty when
    kept), `value` (|r| or VIF of the drop), `partner`, `reason`, and `vif` (final VIF
    of a kept feature, NaN when dropped); the index is the feature, in column order.
    See `lendcrm.risk.scoring.collinearity_filter`.

    Args:
        woe: WoE features, e.g. from `woe_frame`.
        ivs: Information value per column (e.g. `BinningSet.ivs`).
        max_correlation: Largest `|r|` allowed between two kept features.
        max_vif: Largest VIF allowed.

    Raises:
        InvalidValueError: as `collinearity_filter`.

    Examples:
        >>> import numpy as np
        >>> import pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> a = rng.normal(size=500)
        >>> woe = pd.DataFrame({"dscr": a, "icr": a + 0.1 * rng.normal(size=500),
        ...                     "age": rng.normal(size=500)})
        >>> collinearity_filter_frame(woe, ivs={"dscr": 0.3, "icr": 0.2, "age": 0.1})[
        ...     ["kept", "rule", "partner"]]
               kept         rule partner
        feature
        dscr   True
        icr   False  correlation    dscr
        age    True
    """
    _require(woe, [])
    for column, dtype in woe.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(
            dtype
        ):
            raise InvalidValueError(
                field=f"woe[{column!r}]",
                value=str(dtype),
                expected="a numeric column (WoE values)",
            )
    names = [str(c) for c in woe.columns]
    report = collinearity_filter(
        woe.to_numpy(dtype=np.float64), names=names, ivs=ivs,
        max_correlation=max_correlation, max_vif=max_vif,
    )  # fmt: skip
    drops = {d.name: d for d in report.dropped}
    final = dict(zip(report.kept, report.vif, strict=True))
    return pd.DataFrame(
        {
            "kept": [n in final for n in names],
            "rule": [drops[n].rule.value if n in drops else "" for n in names],
            "value": [drops[n].value if n in drops else np.nan for n in names],
            "partner": [(drops[n].partner or "") if n in drops else "" for n in names],
            "reason": [drops[n].reason if n in drops else "" for n in names],
            "vif": [final.get(n, np.nan) for n in names],
        },
        index=pd.Index(names, name="feature"),
    )
