"""What a binning may do: `BinningConfig` and the kinds, rules and pre-binnings it uses.

`BinningConfig` holds the constraints of one variable's binning; `VariableKind`,
`UnseenRule` and `PreBinning` name its choices.

WoE convention: `ln(share of goods / share of bads)`; the event is a **bad** (target 1).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import Final

import attrs

from lendcrm._arrays import as_float_array
from lendcrm._validators import (
    Validator,
    enum_member,
    float_items,
    number_in,
    optional,
    tuple_converter,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning_dp import Trend

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BinningConfig",
    "DEFAULT_BINNING",
    "PreBinning",
    "UnseenRule",
    "VariableKind",
]

_MAX_PREBINS: Final = 100
#: The shapes `Trend.AUTO` chooses among unless told otherwise.
AUTO_TRENDS: Final = (Trend.ASCENDING, Trend.DESCENDING, Trend.PEAK, Trend.VALLEY)
#: Fewest pre-bins (or levels) a split needs.
MIN_SPLIT: Final = 2


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
    ties never split). `TREE` (the default): the quantile boundaries plus those of a
    best-first
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
            or not MIN_SPLIT <= value <= limit
        ):
            raise InvalidValueError(
                field=attr.name, value=value, expected=f"an integer in [2, {limit}]"
            )

    return check


def _trend(value: Trend | str) -> Trend:
    return enum_member(Trend, value, name="trend")


def _prebinning(value: PreBinning | str) -> PreBinning:
    return enum_member(PreBinning, value, name="prebinning")


def _unseen(value: UnseenRule | str) -> UnseenRule:
    return enum_member(UnseenRule, value, name="unseen")


def _floats(values: Collection[float]) -> tuple[float, ...]:
    return tuple(sorted(set(float_items(values, name="special_codes"))))


def _trends(values: Iterable[Trend | str]) -> tuple[Trend, ...]:
    items = tuple_converter(name="auto_trends", what="trends")(values)
    return tuple(
        dict.fromkeys(enum_member(Trend, v, name="auto_trends") for v in items)
    )


def _auto_candidates(
    _inst: object, attr: attrs.Attribute[tuple[Trend, ...]], trends: tuple[Trend, ...]
) -> None:
    if not trends or Trend.AUTO in trends:
        raise InvalidValueError(
            field=attr.name,
            value=[str(t) for t in trends],
            expected="one or more of ascending, descending, peak, valley, none "
            "(not auto)",
        )


def _optional_floats(values: Collection[float] | None) -> tuple[float, ...] | None:
    if values is None:
        return None
    return tuple(sorted(set(float_items(values, name="user_splits"))))


@attrs.frozen(kw_only=True)
class BinningConfig:
    """Constraints and options of one variable's binning (WoE = ln(goods/bads shares)).

    Attributes:
        trend: Required shape of the event rate across numeric bins (`Trend`; default
            `AUTO`, chosen among `auto_trends`).
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
        prebinning: How candidate cut points are found (`PreBinning`; default `TREE`,
            quantiles plus the splits of a classification tree).
        min_category_share: Levels holding less than this share of the total weight are
            pooled into one pre-bin before merging, in [0, 1).
        unseen: What a categorical binning does with a level not seen at fit.
        auto_trends: The shapes `Trend.AUTO` chooses among (default ascending,
            descending, peak, valley; add `Trend.NONE` to allow any shape). See
            `shape_alpha` for the rule.
        shape_alpha: Significance level, in (0, 0.5], of the likelihood-ratio test
            that lets `Trend.AUTO` choose a shape with more turns (a peak or valley
            over a monotone trend): the turned binning must beat the best simpler one
            by `G = 2 (lnL_turned - lnL_simple) > chi2_df.isf(shape_alpha / (m - 1))`,
            `df` the extra turns and `m` the number of pre-bins (a Bonferroni
            correction for the places a turn can be).
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

    trend: Trend = attrs.field(default=Trend.AUTO, converter=_trend)
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
    prebinning: PreBinning = attrs.field(default=PreBinning.TREE, converter=_prebinning)
    min_category_share: float = attrs.field(
        default=0.01, validator=number_in(0, 1, upper_open=True)
    )
    unseen: UnseenRule = attrs.field(default=UnseenRule.WORST, converter=_unseen)
    smoothing: float = attrs.field(
        default=1.0, validator=number_in(0, None, lower_open=True)
    )
    auto_trends: tuple[Trend, ...] = attrs.field(
        default=AUTO_TRENDS, converter=_trends, validator=_auto_candidates
    )
    shape_alpha: float = attrs.field(
        default=0.001, validator=number_in(0, 0.5, lower_open=True)
    )

    @special_codes.validator
    def _check_specials(self, _attr: object, value: tuple[float, ...]) -> None:
        as_float_array(value, name="special_codes")

    @user_splits.validator
    def _check_splits(self, _attr: object, value: tuple[float, ...] | None) -> None:
        if value is not None:
            as_float_array(value, name="user_splits", allow_empty=False)


DEFAULT_BINNING: Final = BinningConfig()
