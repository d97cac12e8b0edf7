"""Charts of where clients stand in their lifecycle and what to do with them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import STAGE_ORDER
from lendcrm.plot._style import PALETTE, new_axes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NO_ACTION = "(none)"
WIDE = (8.5, 4.2)  # inches: room for the legend beside the bars
HEADROOM = 1.08  # the y axis reaches 8 % above the tallest bar: room for its total


def actions_by_stage_chart(
    stages: Sequence[str],
    actions: Sequence[str],
    *,
    stage_order: Sequence[str] | None = None,
) -> Figure:
    """Clients per lifecycle stage, each bar stacked by the client's next best action.

    Args:
        stages: The lifecycle stage of each client.
        actions: The first next best action of each client, in the same order
            (an empty string counts as ``"(none)"``).
        stage_order: The stages along the x axis, in order; by default the client
            lifecycle's stages that hold a client. Clients in other stages are not
            drawn.

    Returns:
        The figure; one bar container per action (most frequent first, ties by
        name; the legend's order), each with one bar per stage (height the number of clients),
        and the stage totals as the labels on top.

    Raises:
        InvalidValueError: if ``stages`` and ``actions`` differ in length.

    Examples:
        >>> fig = actions_by_stage_chart(
        ...     ["growth", "growth", "decline"], ["cross_sell", "", "exit_plan"],
        ...     stage_order=["growth", "decline"])
        >>> [c.get_label() for c in fig.axes[0].containers[:3]]
        ['(none)', 'cross_sell', 'exit_plan']
        >>> [float(b.get_height()) for b in fig.axes[0].containers[1]]
        [1.0, 0.0]
    """
    if len(stages) != len(actions):
        raise InvalidValueError(
            field="actions",
            value=len(actions),
            expected=f"one action per client ({len(stages)})",
        )
    named = [str(a) or NO_ACTION for a in actions]
    counts = Counter(zip((str(s) for s in stages), named, strict=True))
    frequency = Counter(named)
    order = sorted(frequency, key=lambda action: (-frequency[action], action))
    if stage_order is None:
        present = {str(s) for s in stages}
        stage_order = [str(s) for s in STAGE_ORDER if str(s) in present]
    position = np.arange(len(stage_order))
    figure, axes = new_axes("First next best action by lifecycle stage", size=WIDE)
    base = np.zeros(len(stage_order))
    for i, action in enumerate(order):
        heights = np.array([counts[(s, action)] for s in stage_order], dtype=float)
        axes.bar(
            position,
            heights,
            bottom=base,
            color=PALETTE[i % len(PALETTE)],
            hatch="" if i < len(PALETTE) else "//",
            label=action,
        )
        base += heights
    totals = axes.bar(position, np.zeros_like(base), bottom=base, color="none")
    axes.bar_label(totals, labels=[f"{int(t):,}" for t in base], fontsize=8)
    axes.set_ylim(0.0, HEADROOM * max(float(base.max(initial=0.0)), 1.0))
    axes.set_xticks(position, list(stage_order))
    axes.set_xlabel("lifecycle stage")
    axes.set_ylabel("clients")
    axes.legend(
        title="first next best action",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
    )
    return figure
