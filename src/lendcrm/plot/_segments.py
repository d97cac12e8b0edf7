"""Charts of where a book's value comes from: the whale curve and the tier table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, check_same_length
from lendcrm._collections import object_column
from lendcrm._validators import is_real_number
from lendcrm.errors import InvalidValueError
from lendcrm.plot._style import (
    BLUE,
    GREY,
    ORANGE,
    PALETTE,
    VERMILLION,
    new_axes,
    percent_axis,
)
from lendcrm.segmentation import TIER_LEVELS, whale_curve

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def whale_chart(profit: npt.ArrayLike, *, share: float = 0.8) -> Figure:
    """The whale curve: cumulative profit by client rank, most profitable first.

    The curve rises above 100 % while clients add profit and falls back to 100 %
    through the loss-making ones; its peak (the "whale's hump") is marked, and so is
    the Pareto point: the smallest share of clients, most profitable first, that
    earn ``share`` of the total profit.

    Args:
        profit: Profit per client (negative for a loss); the total must be > 0.
        share: Share of the total profit the Pareto point marks, in (0, 1].

    Returns:
        The figure; line 0 is the curve (shares of clients, x; of total profit, y),
        line 1 the 100 % line, line 2 the Pareto point and line 3 the peak, with
        their labels as ``texts[0]`` and ``texts[1]``.

    Raises:
        InvalidValueError: as `lendcrm.segmentation.whale_curve`.

    Examples:
        >>> fig = whale_chart([60.0, 50.0, 10.0, -20.0])
        >>> fig.axes[0].lines[2].get_xydata().tolist()  # 60 + 50 >= 80 % of 100
        [[0.5, 1.1]]
        >>> fig.axes[0].lines[3].get_xydata().tolist()
        [[0.75, 1.2]]
    """
    if not is_real_number(share) or not 0.0 <= share <= 1.0:
        raise InvalidValueError(
            field="share", value=share, expected="a fraction in [0, 1]"
        )
    curve = whale_curve(profit)
    x = curve.population_share
    at = int(np.argmax(curve.profit_share >= share))
    figure, axes = new_axes("Whale curve of profit")
    axes.plot(x, curve.profit_share, color=BLUE, label="cumulative profit")
    axes.axhline(1.0, color=GREY, linestyle="--", label="total profit")
    axes.plot([x[at]], [curve.profit_share[at]], "o", color=VERMILLION)
    axes.plot([curve.peak_population], [curve.peak_share], "o", color=ORANGE)
    axes.annotate(
        f"top {x[at]:.1%} of clients earn {share:.0%} of the profit",
        (x[at], curve.profit_share[at]),
        xytext=(10, -14),
        textcoords="offset points",
        color=VERMILLION,
    )
    axes.annotate(
        f"peak {curve.peak_share:.0%}: the {curve.peak_population:.1%} "
        "profitable clients",
        (curve.peak_population, curve.peak_share),
        xytext=(0, 8),
        textcoords="offset points",
        ha="center",
        color=ORANGE,
    )
    axes.set_ylim(min(0.0, float(curve.profit_share.min())), 1.15 * curve.peak_share)
    axes.set_xlabel("share of clients, most profitable first (%)")
    axes.set_ylabel("cumulative share of total profit (%)")
    percent_axis(axes, "x")
    percent_axis(axes, "y")
    axes.legend(loc="lower right")
    return figure


def tier_table_chart(
    tiers: npt.ArrayLike,
    revenue: npt.ArrayLike,
    profit: npt.ArrayLike | None = None,
    *,
    levels: Sequence[str] = TIER_LEVELS,
) -> Figure:
    """The tier table as grouped bars: each tier's share of clients, revenue and profit.

    Args:
        tiers: The tier of each client (labels such as ``"gold"``).
        revenue: Revenue to the bank per client, >= 0 (any one currency).
        profit: Profit per client, if shown; its total must be > 0.
        levels: The tiers in the order drawn (best first); every label in ``tiers``
            must be one of them.

    Returns:
        The figure; ``axes[0].containers`` hold one bar group per measure (clients,
        revenue and, if given, profit), each bar a tier's share of the book total.

    Raises:
        InvalidValueError: a label not in ``levels``, arrays of different lengths,
            negative revenue, no clients, or a total revenue (or profit) that is not > 0.

    Examples:
        >>> fig = tier_table_chart(["gold", "basic", "basic", "basic"],
        ...                        [60.0, 20.0, 10.0, 10.0])
        >>> [round(float(b.get_height()), 2) for b in fig.axes[0].containers[1]]
        [0.0, 0.6, 0.0, 0.4]
    """
    labels = object_column(tiers, name="tiers").astype(str)
    rev = as_float_array(revenue, name="revenue", lower=0)
    columns: dict[str, FloatArray] = {"clients": np.ones(labels.size), "revenue": rev}
    if profit is not None:
        columns["profit"] = as_float_array(profit, name="profit")
    check_same_length(tiers=labels, **columns)
    if labels.size == 0:
        raise InvalidValueError(field="tiers", value=0, expected="at least one client")
    known = np.isin(labels, list(levels))
    if not known.all():
        i = int(np.flatnonzero(~known)[0])
        raise InvalidValueError(
            field=f"tiers[{i}]", value=labels[i], expected=f"one of {', '.join(levels)}"
        )
    codes = np.searchsorted(np.asarray(levels), labels, sorter=np.argsort(levels))
    codes = np.argsort(levels)[codes]
    figure, axes = new_axes("Tier table: share of the book by tier")
    x = np.arange(len(levels))
    width = 0.8 / len(columns)
    for k, (name, values) in enumerate(columns.items()):
        total = float(values.sum())
        if not total > 0:
            raise InvalidValueError(
                field=name, value=total, expected="a total > 0 to take shares of"
            )
        shares = np.bincount(codes, weights=values, minlength=len(levels)) / total
        axes.bar(
            x + (k - (len(columns) - 1) / 2) * width,
            shares,
            width,
            color=PALETTE[k],
            label=f"share of {name}",
        )
    axes.set_xticks(x, list(levels))
    axes.set_xlabel("tier")
    axes.set_ylabel("share of the book total (%)")
    percent_axis(axes, "y")
    axes.legend(loc="upper right")
    return figure
