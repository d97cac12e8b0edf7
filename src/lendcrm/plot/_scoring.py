"""Charts of value concentration and of a score's power: Lorenz, binning, KS, gains."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lendcrm._validators import require_instance
from lendcrm.plot._style import BLUE, GREY, ORANGE, VERMILLION, new_axes, percent_axis
from lendcrm.risk.scoring import Binning, gains_table, ks
from lendcrm.segmentation import lorenz_curve, pareto_point

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def lorenz_chart(
    values: npt.ArrayLike, *, share: float = 0.8, what: str = "revenue"
) -> Figure:
    """The Lorenz curve of ``values`` with the line of equality and the Pareto point.

    The Pareto point is where the largest clients that hold ``share`` of the total
    start: the top ``p`` of clients (``pareto_point``) hold ``share``, so the curve,
    which adds clients from the smallest up, passes ``(1 − p, 1 − share)``.

    Args:
        values: Amounts >= 0 with a positive total, one per client.
        share: Share of the total the Pareto point marks, in (0, 1].
        what: What the amounts are, for the labels (e.g. ``"revenue"``).

    Returns:
        The figure; its axes hold the curve (line 0), the equality line (line 1) and
        the Pareto point (line 2), in shares of clients (x) and of ``what`` (y).

    Raises:
        InvalidValueError: as `lendcrm.segmentation.lorenz_curve`.

    Examples:
        >>> fig = lorenz_chart([4.0, 1.0, 2.0, 1.0], share=0.5)
        >>> fig.axes[0].lines[2].get_xydata().tolist()
        [[0.75, 0.5]]
    """
    curve = lorenz_curve(values)
    top = pareto_point(values, share)
    x = np.linspace(0.0, 1.0, curve.value_share.size)
    figure, axes = new_axes(f"Lorenz curve of {what}")
    axes.plot(x, curve.value_share, color=BLUE, label=f"Lorenz curve of {what}")
    axes.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="equal shares")
    axes.plot([1 - top], [1 - share], "o", color=VERMILLION, label="Pareto point")
    axes.annotate(
        f"top {top:.1%} of clients hold {share:.0%} of {what}",
        (1 - top, 1 - share),
        xytext=(-12, 12),
        textcoords="offset points",
        ha="right",
        color=VERMILLION,
    )
    axes.set_xlabel("share of clients, smallest first (%)")
    axes.set_ylabel(f"cumulative share of {what} (%)")
    percent_axis(axes, "x")
    percent_axis(axes, "y")
    axes.legend(loc="upper left")
    return figure


def binning_chart(binning: Binning) -> Figure:
    """Event rate (bars, left axis) and weight of evidence (line, right axis) per bin.

    Args:
        binning: A fitted binning (`lendcrm.risk.scoring.fit_binning`).

    Returns:
        The figure; ``axes[0]`` holds one bar per row of ``binning.table()`` (height
        the event rate) and ``axes[1]`` the WoE line, in the table's order.

    Examples:
        >>> from lendcrm.risk.scoring import BinningConfig, fit_numeric
        >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8] * 25)
        >>> y = np.array([1, 1, 1, 0, 1, 0, 0, 0] * 25)
        >>> b = fit_numeric(x, y, name="age", config=BinningConfig(min_bin_share=0.2))
        >>> fig = binning_chart(b)
        >>> [f"{bar.get_height():.2f}" for bar in fig.axes[0].patches]
        ['0.75', '0.25', 'nan']
    """
    require_instance(binning, Binning, name="binning", what="a Binning")
    rows = binning.table()
    labels = [row.label for row in rows]
    position = np.arange(len(rows))
    figure, axes = new_axes(f"Binning of {binning.name}: event rate and WoE")
    bars = axes.bar(position, [row.event_rate for row in rows], color=BLUE, alpha=0.8)
    axes.bar_label(bars, labels=[f"n={row.count:,}" for row in rows], fontsize=8)
    axes.set_xticks(position, labels, rotation=30, ha="right")
    axes.set_xlabel(f"bin of {binning.name}")
    axes.set_ylabel("event rate (%)", color=BLUE)
    percent_axis(axes, "y")
    woe_axes = axes.twinx()
    woe_axes.plot(position, [row.woe for row in rows], "o-", color=ORANGE)
    woe_axes.axhline(0.0, color=GREY, linewidth=0.8)
    woe_axes.set_ylabel("weight of evidence (ln good/bad odds ratio)", color=ORANGE)
    return figure


def _cdfs(
    target: npt.NDArray[np.bool_], scores: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Distinct scores and the goods' and bads' CDFs at each of them."""
    grid = np.unique(scores)
    bads = np.searchsorted(np.sort(scores[target]), grid, side="right") / target.sum()
    goods = np.searchsorted(np.sort(scores[~target]), grid, side="right")
    return grid, goods / (~target).sum(), bads


def score_distribution_chart(
    target: npt.ArrayLike, scores: npt.ArrayLike, *, what: str = "score"
) -> Figure:
    """Cumulative distributions of the goods' and the bads' scores, with the KS point.

    The KS statistic is the largest vertical gap between the two curves; the chart
    draws it as a vertical segment at the score where it occurs and labels its value
    (`lendcrm.risk.scoring.ks`).

    Args:
        target: 1 for a bad (default), 0 for a good, one per account.
        scores: The score of each account (any scale; higher or lower = riskier).
        what: Name of the score, for the axis label.

    Returns:
        The figure; line 0 is the goods' CDF, line 1 the bads' CDF, line 2 the KS
        segment, and ``texts[0]`` its label.

    Raises:
        InvalidValueError: as `lendcrm.risk.scoring.ks`.

    Examples:
        >>> fig = score_distribution_chart([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> fig.axes[0].texts[0].get_text()
        'KS = 0.500'
    """
    statistic = ks(target, scores)
    bad = np.asarray(target).astype(bool)
    values = np.asarray(scores, dtype=np.float64)
    grid, goods, bads = _cdfs(bad, values)
    at = int(np.argmax(np.abs(goods - bads)))
    figure, axes = new_axes(f"Distribution of the {what} by outcome")
    axes.step(grid, goods, where="post", color=BLUE, label="goods")
    axes.step(grid, bads, where="post", color=VERMILLION, label="bads")
    axes.plot([grid[at]] * 2, [goods[at], bads[at]], color=GREY, linewidth=2)
    axes.annotate(
        f"KS = {statistic:.3f}",
        (grid[at], (goods[at] + bads[at]) / 2),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
    )
    axes.set_xlabel(what)
    axes.set_ylabel("cumulative share of accounts (%)")
    percent_axis(axes, "y")
    axes.legend(loc="lower right")
    return figure


def gains_chart(
    target: npt.ArrayLike, scores: npt.ArrayLike, *, bands: int = 10
) -> Figure:
    """Cumulative share of bads captured against the share of accounts reviewed.

    Accounts are taken riskiest first in ``bands`` bands (`lendcrm.risk.scoring.gains_table`);
    the diagonal is a model with no power.

    Args:
        target: 1 for a bad (default), 0 for a good, one per account.
        scores: The score of each account (higher = riskier, as in ``gains_table``).
        bands: Number of score bands.

    Returns:
        The figure; line 0 is the gains curve (starting at 0, 0), line 1 the diagonal.

    Raises:
        InvalidValueError: as `lendcrm.risk.scoring.gains_table`.

    Examples:
        >>> fig = gains_chart([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], bands=2)
        >>> fig.axes[0].lines[0].get_ydata().tolist()
        [0.0, 0.5, 1.0]
    """
    rows = gains_table(target, scores, bands=bands)
    x = [0.0, *(row.cum_share for row in rows)]
    y = [0.0, *(row.cum_bads_share for row in rows)]
    figure, axes = new_axes("Gains chart")
    axes.plot(x, y, "o-", color=BLUE, label="model")
    axes.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="random")
    axes.set_xlabel("share of accounts, riskiest first (%)")
    axes.set_ylabel("share of bads captured (%)")
    percent_axis(axes, "x")
    percent_axis(axes, "y")
    axes.legend(loc="lower right")
    return figure
