"""Charts of where a book's profit comes from: the whale curve."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lendcrm.plot._style import BLUE, GREY, ORANGE, VERMILLION, new_axes, percent_axis
from lendcrm.segmentation import whale_curve

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
