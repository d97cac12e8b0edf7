"""Charts of a book's loss tail, a project's covenant headroom and rating migrations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import as_float_array, numeric_array
from lendcrm._collections import require_mapping
from lendcrm._validators import (
    refuse_object,
    require_instance,
    require_int,
    require_labels,
)
from lendcrm.errors import InvalidValueError
from lendcrm.plot._style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SIZE,
    SKY,
    VERMILLION,
    new_axes,
    percent_axis,
)
from lendcrm.risk.portfolio import LossSimulation
from lendcrm.risk.project_finance import CovenantTest

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from lendcrm._arrays import FloatArray

SQUARE = 2  # dimensions of a migration matrix
MARK_COLOURS = (ORANGE, SKY, BLUE)  # of the extra losses marked on a loss chart
DARK_BELOW = 0.5  # cividis is dark below the middle of its range: white cell text


def _check_bins(bins: object) -> None:
    """A positive bin count or an increasing 1-d sequence of edges."""
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        require_int(bins, name="bins", lower=1)
        return
    edges = as_float_array(bins, name="bins")  # type: ignore[arg-type]
    if edges.size < 2 or (np.diff(edges) <= 0).any():  # noqa: PLR2004
        raise InvalidValueError(
            field="bins", value=edges.tolist(), expected="increasing bin edges"
        )


def loss_distribution_chart(
    simulation: LossSimulation,
    *,
    unit: str = "EUR m",
    bins: int | Sequence[float] = 60,
    marks: Mapping[str, float] | None = None,
) -> Figure:
    """Histogram of simulated book losses with EL, VaR and ES marked.

    Args:
        simulation: The result of `lendcrm.risk.portfolio.simulate_losses`; the
            first confidence level is marked.
        unit: Unit of the losses, for the axis label.
        bins: Number of histogram bins, or their edges (e.g. one bin per number
            of defaults).
        marks: Further losses to mark after EL, VaR and ES, by label (e.g. the
            ASRF ``EL + K``), in the same unit.

    Returns:
        The figure; its bars are the share of scenarios per loss bin, lines 0, 1
        and 2 the EL, VaR and ES (vertical, at those losses), then one line per
        entry of ``marks``, each with a label in ``texts``.

    Examples:
        >>> from lendcrm.risk.portfolio import simulate_losses
        >>> sim = simulate_losses(np.full(100, 1.0), 0.02, 0.45, correlation=0.12,
        ...     n_scenarios=2_000, rng=np.random.default_rng(1), levels=[0.99])
        >>> fig = loss_distribution_chart(sim, unit="EUR")
        >>> [t.get_text().split(" =")[0] for t in fig.axes[0].texts]
        ['EL', 'VaR 99%', 'ES 99%']
    """
    require_instance(
        simulation, LossSimulation, name="simulation", what="a LossSimulation"
    )
    _check_bins(bins)
    if marks is not None:
        require_mapping(marks, name="marks", what="a mapping of label to loss")
    losses = simulation.losses
    level = float(simulation.levels[0])
    figure, axes = new_axes("Simulated loss distribution")
    weights = np.full(losses.size, 1.0 / losses.size)
    axes.hist(losses, bins=bins, weights=weights, color=BLUE, alpha=0.8)
    confidence = f"{level * 100:g}%"
    drawn = (
        ("EL", float(simulation.expected_loss), GREEN),
        (f"VaR {confidence}", float(simulation.var[0]), VERMILLION),
        (f"ES {confidence}", float(simulation.expected_shortfall[0]), PURPLE),
        *(
            (name, float(value), MARK_COLOURS[i % len(MARK_COLOURS)])
            for i, (name, value) in enumerate((marks or {}).items())
        ),
    )
    middle = float(np.mean(axes.get_xlim()))
    for row, (name, value, colour) in enumerate(drawn):
        axes.axvline(value, color=colour, linestyle="--")
        left = value > middle  # labels of the right half point left: inside the axes
        axes.annotate(
            f"{name} = {value:,.2f}",
            (value, 0.95 - 0.08 * row),
            xycoords=axes.get_xaxis_transform(),
            xytext=(-4 if left else 4, 0),
            textcoords="offset points",
            color=colour,
            ha="right" if left else "left",
            va="top",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
        )
    axes.set_xlabel(f"book loss ({unit})")
    axes.set_ylabel("share of scenarios (%)")
    percent_axis(axes, "y")
    return figure


def dscr_chart(
    test: CovenantTest,
    *,
    first_period: int = 1,
    cfads: npt.ArrayLike | None = None,
    unit: str = "EUR m",
) -> Figure:
    """DSCR per period against the lock-up and default thresholds.

    Bars are coloured by outcome (pass, lock-up, default) and labelled with their
    DSCR; the thresholds are dashed lines whose labels sit in the right margin, clear
    of the bars.

    Args:
        test: The result of `lendcrm.risk.project_finance.covenant_test`.
        first_period: Number of the first period, for the x axis.
        cfads: The CFADS of each period, when given drawn as a line in a panel
            below (``axes[1]``) with the debt service it implies (CFADS / DSCR)
            and the CFADS at which the default ratio is hit.
        unit: Unit of the CFADS, for its axis label.

    Returns:
        The figure; one bar per period (height the DSCR), lines 0 and 1 the lock-up
        and default thresholds, with their labels first in ``texts``. With
        ``cfads``, ``axes[1]`` holds the CFADS (line 0), the debt service (line 1)
        and the default-ratio CFADS (line 2) per period.

    Raises:
        InvalidValueError: if ``cfads`` does not give one value per period.

    Examples:
        >>> from lendcrm.risk.project_finance import covenant_test
        >>> t = covenant_test([118.0, 110, 104], [100.0, 100, 100], lock_up=1.15, default=1.05)
        >>> fig = dscr_chart(t)
        >>> [round(float(bar.get_height()), 2) for bar in fig.axes[0].patches]
        [1.18, 1.1, 1.04]
        >>> [t.get_text() for t in fig.axes[0].texts[:2]]
        ['lock-up 1.15x', 'default 1.05x']
    """
    require_instance(test, CovenantTest, name="test", what="a CovenantTest")
    first_period = require_int(first_period, name="first_period", lower=0)
    dscr = np.asarray(test.dscr, dtype=np.float64)
    periods = np.arange(first_period, first_period + dscr.size)
    colours = np.where(
        test.event_of_default, VERMILLION, np.where(test.lock_up, ORANGE, BLUE)
    )
    figure, axes = new_axes("DSCR against covenant thresholds")
    thresholds = (
        ("lock-up", float(test.lock_up_ratio), ORANGE),
        ("default", float(test.default_ratio), VERMILLION),
    )
    for name, level, colour in thresholds:
        axes.axhline(level, color=colour, linestyle="--", linewidth=1.5, zorder=3)
        axes.text(
            1.01,
            level,
            f"{name} {level:.2f}x",
            color=colour,
            transform=axes.get_yaxis_transform(),
            va="center",
            ha="left",
            clip_on=False,
        )
    bars = axes.bar(periods, dscr, color=list(colours), zorder=2)
    axes.bar_label(bars, labels=[f"{d:.2f}x" for d in dscr], fontsize=8)
    low = min(float(dscr.min()), thresholds[1][1])
    high = max(float(dscr.max()), thresholds[0][1])
    axes.set_ylim(max(0.0, low - 0.15), high + 0.1)
    axes.set_xticks(periods)
    axes.set_xlabel("period")
    axes.set_ylabel("DSCR = CFADS / debt service (x)")
    if cfads is not None:
        flows = as_float_array(cfads, name="cfads")
        _cfads_panel(figure, axes, test, flows, unit)
    return figure


def _cfads_panel(
    figure: Figure, axes: Axes, test: CovenantTest, cfads: FloatArray, unit: str
) -> None:
    """CFADS, the debt service it covers and the CFADS at default, below the DSCR."""
    dscr = np.asarray(test.dscr, dtype=np.float64)
    if cfads.shape != dscr.shape:
        raise InvalidValueError(
            field="cfads", value=cfads.shape, expected=f"one per period {dscr.shape}"
        )
    figure.set_size_inches(SIZE[0], SIZE[1] * 1.6)
    grid = figure.add_gridspec(2, 1, height_ratios=(3, 2))
    axes.set_subplotspec(grid[0])
    lower = figure.add_subplot(grid[1], sharex=axes)
    periods = axes.get_xticks()
    service = cfads / dscr
    lower.plot(periods, cfads, "o-", color=GREEN, label="CFADS")
    lower.plot(periods, service, color=GREY, linestyle="-", label="debt service")
    lower.plot(
        periods,
        float(test.default_ratio) * service,
        color=VERMILLION,
        linestyle="--",
        label=f"CFADS at default ({float(test.default_ratio):.2f}x)",
    )
    lower.grid(visible=True, alpha=0.3)
    lower.set_ylabel(f"CFADS ({unit})")
    lower.set_xlabel("period")
    lower.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    axes.set_xlabel("")


def migration_heatmap(
    matrix: npt.ArrayLike, labels: list[str] | tuple[str, ...], *, what: str = "rating"
) -> Figure:
    """A migration matrix as a heatmap, each cell labelled with its probability.

    Works for rating migrations (`lendcrm.risk.portfolio.TransitionEstimate`:
    ``matrix`` and ``grades``) and for tier migrations alike: row ``i`` is the state at
    the start, column ``j`` the state at the end of the period.

    Args:
        matrix: Square matrix of migration probabilities, rows summing to 1.
        labels: Name of each state, in the matrix's order.
        what: What migrates, for the title and axis labels.

    Returns:
        The figure; ``axes[0].images[0]`` holds the matrix and ``texts`` one
        percentage per cell, row by row.

    Raises:
        InvalidValueError: if ``matrix`` is not square or ``labels`` does not name
            each of its rows.

    Examples:
        >>> fig = migration_heatmap([[0.9, 0.1], [0.0, 1.0]], ["A", "D"])
        >>> [t.get_text() for t in fig.axes[0].texts]
        ['90.0%', '10.0%', '0.0%', '100.0%']
    """
    values = numeric_array(matrix, name="matrix").astype(np.float64)
    labels = require_labels(labels, name="labels", what="state names")
    if not isinstance(what, str):
        refuse_object(what, name="what", what="a name (a string)")
    if values.ndim != SQUARE or values.shape[0] != values.shape[1]:
        raise InvalidValueError(
            field="matrix", value=values.shape, expected="a square matrix"
        )
    if len(labels) != values.shape[0]:
        raise InvalidValueError(
            field="labels",
            value=len(labels),
            expected=f"one name per state ({values.shape[0]})",
        )
    n = values.shape[0]
    figure, axes = new_axes(
        f"{what.capitalize()} migration", size=(1.2 + 0.7 * n, 1.0 + 0.6 * n)
    )
    axes.grid(visible=False)
    image = axes.imshow(values, cmap="cividis", vmin=0.0, vmax=1.0)
    for i in range(n):
        for j in range(n):
            dark = values[i, j] < DARK_BELOW
            axes.text(
                j,
                i,
                f"{values[i, j]:.1%}",
                ha="center",
                va="center",
                color="white" if dark else "black",
                fontsize=8,
            )
    axes.set_xticks(range(n), labels)
    axes.set_yticks(range(n), labels)
    axes.set_xlabel(f"{what} at the end of the period")
    axes.set_ylabel(f"{what} at the start")
    colourbar = figure.colorbar(image, ax=axes)
    colourbar.set_label("migration probability (%)")
    percent_axis(colourbar.ax, "y")
    return figure
