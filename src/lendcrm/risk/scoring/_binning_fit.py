"""Optimal monotone binning of numeric and categorical variables, with WoE.

WoE convention: `ln(share of goods / share of bads)`; the event is a **bad** (target 1),
so **higher WoE means lower risk**.

A numeric variable is first cut into pre-bins (quantiles, plus the splits of a
classification tree by default) whose boundaries are observed values, so equal values
always share a bin (ties are never split). The pre-bins are then merged **optimally**:
an exact dynamic programme over the pre-bin boundaries (see
`docs/explanation/scoring-binning.md`) maximises the information value subject to the
event-rate trend, a minimum bin share, minimum goods and bads per bin and a maximum
number of bins. No solver is needed and the optimum is exact over the pre-bin
boundaries. Under `Trend.AUTO` the shape is chosen as `_binning_shape` describes.

A categorical variable's levels are ordered by event rate, rare levels are pooled into one
pre-bin, and the same programme merges neighbours. Missing values (NaN or None) and
declared special codes get bins of their own, with **empirical** WoE (smoothed towards 0
only when sparse, see `BinningConfig.smoothing`); they are never silently set to 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from typing import Final, cast

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array
from lendcrm._validators import enum_member, require_instance
from lendcrm.errors import (
    InfeasibleConstraintError,
    InvalidValueError,
    UnknownReferenceError,
)
from lendcrm.risk.scoring._binning import Binning, BinningSet, format_number
from lendcrm.risk.scoring._binning_check import (
    RawValues,
    as_binary_target,
    as_weights,
    check_class_weights,
    check_feature,
    is_missing,
)
from lendcrm.risk.scoring._binning_config import (
    DEFAULT_BINNING,
    MIN_SPLIT,
    BinningConfig,
    VariableKind,
)
from lendcrm.risk.scoring._binning_dp import Trend
from lendcrm.risk.scoring._binning_prebin import prebin_counts
from lendcrm.risk.scoring._binning_shape import TrendChoice, check_shape, optimise

__all__ = [
    "fit_binning",
    "fit_binning_set",
    "fit_categorical",
    "fit_numeric",
]

MISSING_LABEL: Final = "Missing"


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


def _range_labels(splits: Sequence[float]) -> tuple[str, ...]:
    edges = ["-inf", *(format_number(s) for s in splits), "inf"]
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
    require_instance(config, BinningConfig, name="config", what="a BinningConfig")
    y = as_binary_target(target, feature=name)
    x = as_float_array(values, name=name, allow_nan=True)
    # not check_same_length(target=y, **{name: x}): a variable may be named "target"
    if len(x) != len(y):
        raise InvalidValueError(
            field=name,
            value=f"length {len(x)}",
            expected=f"the same length as `target` ({len(y)})",
        )
    w = as_weights(weights, y, feature=name)
    specials = np.asarray(config.special_codes)
    missing = np.isnan(x)
    special = np.isin(x, specials) if len(specials) else np.zeros(len(x), dtype=bool)
    clean = ~missing & ~special
    check_feature(clean, name)
    splits, g_all, b_all = prebin_counts(x, y, w, clean, missing, config, name=name)
    n_pre = len(splits) + 1
    total_g, total_b = float(g_all.sum()), float(b_all.sum())
    check_class_weights(total_g, total_b, name)
    g, b = g_all[:n_pre], b_all[:n_pre]
    if config.user_splits is None:
        check_shape(name, config, n_pre)
        min_weight = _feasibility(
            name, config, float(g.sum() + b.sum()), total_g + total_b
        )
        cuts, choice = optimise(
            g, b, total_g, total_b, config, config.trend, min_weight=min_weight,
            name=name,
        )  # fmt: skip
        bounds = np.array([0, *cuts, n_pre])
        g = np.add.reduceat(g, bounds[:-1])
        b = np.add.reduceat(b, bounds[:-1])
        splits = splits[np.asarray(cuts, dtype=np.int64) - 1]
    else:
        choice = TrendChoice(
            requested=config.trend, chosen=Trend.NONE, tried=(), ivs=(),
            reason="user_splits: fixed cut points, no trend enforced",
        )  # fmt: skip
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
        *(f"Special {format_number(c)}" for c in config.special_codes),
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
        trend=choice.chosen,
        unseen=config.unseen,
        trend_choice=choice,
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
    require_instance(config, BinningConfig, name="config", what="a BinningConfig")
    y = as_binary_target(target, feature=name)
    arr = np.asarray(values, dtype=object)
    if arr.ndim != 1 or len(arr) != len(y):
        raise InvalidValueError(
            field=name,
            value=f"shape {arr.shape}",
            expected=f"one value per target row ({len(y)})",
        )
    missing = is_missing(arr)
    levels, inverse = np.unique(arr[~missing].astype(str), return_inverse=True)
    codes = np.full(len(arr), -1, dtype=np.int64)
    codes[~missing] = inverse
    return fit_from_codes(
        codes, missing, tuple(levels.tolist()), y, name=name, config=config,
        weights=as_weights(weights, y, feature=name),
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
    if n_levels < MIN_SPLIT:
        raise InvalidValueError(
            field=name,
            value="all missing" if n_levels == 0 else f"constant {levels[0]!r}",
            expected="at least two distinct levels",
        )
    idx = np.where(missing, n_levels, codes)
    g_all, b_all = _class_sums(idx, y, weights, n_levels + 1)
    total_g, total_b = float(g_all.sum()), float(b_all.sum())
    check_class_weights(total_g, total_b, name)
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
    if len(groups) >= MIN_SPLIT:
        min_weight = _feasibility(name, config, float(gg.sum() + bb.sum()), total_w)
        cuts, choice = optimise(
            gg, bb, total_g, total_b, config, Trend.ASCENDING, min_weight=min_weight,
            name=name,
        )  # fmt: skip
    else:
        cuts, choice = (
            (),
            TrendChoice(
                requested=Trend.ASCENDING, chosen=Trend.ASCENDING, tried=(), ivs=()
            ),
        )
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
        trend_choice=attrs.evolve(
            choice,
            reason="categorical: levels in order of event rate, merged ascending",
        ),
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
    require_instance(config, BinningConfig, name="config", what="a BinningConfig")
    if enum_member(VariableKind, kind, name="kind") is VariableKind.NUMERIC:
        return fit_numeric(
            cast("npt.ArrayLike", values), target, name=name, config=config,
            weights=weights,
        )  # fmt: skip
    return fit_categorical(values, target, name=name, config=config, weights=weights)


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
    require_instance(config, BinningConfig, name="config", what="a BinningConfig")
    require_instance(
        features, Mapping, name="features", what="a mapping of column name to values"
    )
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
    y = as_binary_target(target, feature=next(iter(features)))
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
