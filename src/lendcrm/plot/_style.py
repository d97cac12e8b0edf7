"""The shared look of lendcrm's charts: palette, a new figure, percent axes.

matplotlib is imported here, inside :func:`new_axes`, so importing ``lendcrm.plot``
costs nothing and needs no matplotlib until a chart is drawn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency.
BLUE: Final = "#0072B2"
ORANGE: Final = "#E69F00"
GREEN: Final = "#009E73"
VERMILLION: Final = "#D55E00"
PURPLE: Final = "#CC79A7"
SKY: Final = "#56B4E9"
GREY: Final = "#7F7F7F"
PALETTE: Final = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, GREY)
SIZE: Final = (7.0, 4.0)  # inches


def new_axes(title: str, size: tuple[float, float] = SIZE) -> tuple[Figure, Axes]:
    """A figure with one axes, not attached to pyplot (no global state, no window)."""
    try:
        figure_module = importlib.import_module("matplotlib.figure")
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the install
        msg = "lendcrm.plot draws with matplotlib: pip install 'lendcrm[plot]'"
        raise ModuleNotFoundError(msg) from exc
    figure: Figure = figure_module.Figure(figsize=size, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    axes.grid(visible=True, alpha=0.3)
    return figure, axes


def percent_axis(axes: Axes, which: str = "y") -> None:
    """Show a [0, 1] axis as percentages."""
    ticker = importlib.import_module("matplotlib.ticker")
    axis = axes.yaxis if which == "y" else axes.xaxis
    axis.set_major_formatter(ticker.PercentFormatter(xmax=1.0))
