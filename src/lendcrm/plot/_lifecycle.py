"""Charts of where clients stand in their lifecycle and what to do with them."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from lendcrm._collections import object_column
from lendcrm._validators import require_instance, require_labels
from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import STAGE_ORDER, Machine
from lendcrm.plot._style import BLUE, GREEN, GREY, PALETTE, SKY, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

NO_ACTION = "(none)"
WIDE = (8.5, 4.2)  # inches: room for the legend beside the bars
BEND = 0.2  # curvature of the lifecycle arrows: a move and its reverse do not overlap
SPACING = 2.0  # between the lifecycle chart's columns, in row heights
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
    stages = object_column(stages, name="stages").tolist()
    actions = object_column(actions, name="actions").tolist()
    if stage_order is not None:
        stage_order = list(require_labels(stage_order, name="stage_order"))
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


def _columns(machine: Machine[Any, Any]) -> dict[str, tuple[float, float]]:
    """A position per stage: its breadth-first depth from the initial stage.

    The depth is the column (terminal stages in a last column of their own); the
    stages of a column are centred on y = 0.
    """
    require_instance(machine, Machine, name="machine", what="a Machine")
    depth = {str(machine.initial): 0}
    queue = deque([machine.initial])
    while queue:
        stage = queue.popleft()
        for target in machine.transitions.get(stage, {}).values():
            if str(target) not in depth:
                depth[str(target)] = depth[str(stage)] + 1
                queue.append(target)
    terminal = {str(s) for s in machine.terminal}
    last = 1 + max((d for s, d in depth.items() if s not in terminal), default=0)
    column: dict[int, list[str]] = {}
    for stage in machine.stages:
        name = str(stage)
        column.setdefault(last if name in terminal else depth[name], []).append(name)
    return {
        name: (SPACING * c, (len(names) - 1) / 2 - row)
        for c, names in column.items()
        for row, name in enumerate(names)
    }


def lifecycle_chart(machine: Machine[Any, Any]) -> Figure:
    """The stages of a lifecycle machine and the moves of its transition table.

    Stages are placed by their distance from the initial stage (left to right), the
    terminal stages in the last column; each move is an arrow labelled with its event
    (moves between the same two stages share one arrow; guarded events name their
    guards in parentheses, as in `lendcrm.lifecycle.to_mermaid`).

    Args:
        machine: Any lifecycle machine (e.g. `lendcrm.lifecycle.CLIENT_LIFECYCLE`).

    Returns:
        The figure; each stage is a text with gid ``"stage:<name>"`` at its
        position, each arrow an annotation with gid ``"move:<from>:<to>"`` from
        ``xyann`` (the source's position) to ``xy`` (the target's), each event label
        a text with gid ``"event:<from>:<to>"``.

    Examples:
        >>> from lendcrm.lifecycle import PROJECT_PHASE
        >>> fig = lifecycle_chart(PROJECT_PHASE)
        >>> sorted(t.get_gid() for t in fig.axes[0].texts
        ...        if t.get_gid().startswith("move:development"))
        ['move:development:abandoned', 'move:development:financial_close']
    """
    position = _columns(machine)
    moves: dict[tuple[str, str], list[str]] = {}
    for stage, row in machine.transitions.items():
        for event, target in row.items():
            guards = machine.guard_index.get((stage, event), ())
            label = str(event) + (
                " (" + ", ".join(g.name for g in guards) + ")" if guards else ""
            )
            moves.setdefault((str(stage), str(target)), []).append(label)
    columns = 1 + max(x for x, _ in position.values()) / SPACING
    rows = 1 + 2 * max(y for _, y in position.values())
    size = (1.7 * columns + 0.5, 1.3 * rows + 1.0)
    figure, axes = new_axes(f"Lifecycle: {machine.name}", size=size)
    axes.set_axis_off()
    axes.set_aspect("equal")  # the label positions assume one scale on both axes
    for (source, target), events in moves.items():
        _move(
            axes,
            position[source],
            position[target],
            source=source,
            target=target,
            events=events,
        )
    terminal = {str(s) for s in machine.terminal}
    for name, (x, y) in position.items():
        face = GREY if name in terminal else SKY
        if name == str(machine.initial):
            face = GREEN
        axes.text(
            x, y, name, ha="center", va="center", fontsize=9, gid=f"stage:{name}",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": face, "alpha": 0.9},
        )  # fmt: skip
    xs = [x for x, _ in position.values()]
    ys = [y for _, y in position.values()]
    axes.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    axes.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    return figure


def _move(
    axes: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    source: str,
    target: str,
    events: list[str],
) -> None:
    """One arrow from ``start`` to ``end`` (a loop above a stage to itself), labelled."""
    gid = f"{source}:{target}"
    if source == target:
        x, y = start
        axes.annotate(
            "", xy=(x + 0.15, y + 0.15), xytext=(x - 0.15, y + 0.15), gid=f"move:{gid}",
            arrowprops={"arrowstyle": "->", "connectionstyle": "arc3,rad=-1.5",
                        "color": BLUE},
        )  # fmt: skip
        label = (x, y + 0.45)
    else:
        axes.annotate(
            "", xy=end, xytext=start, gid=f"move:{gid}",
            arrowprops={"arrowstyle": "->", "connectionstyle": f"arc3,rad={BEND}",
                        "shrinkA": 22, "shrinkB": 22, "color": BLUE},
        )  # fmt: skip
        dx, dy = end[0] - start[0], end[1] - start[1]
        label = (
            (start[0] + end[0]) / 2 + BEND / 2 * dy,
            (start[1] + end[1]) / 2 - BEND / 2 * dx,
        )
    axes.text(
        *label, " / ".join(events), ha="center", va="center", fontsize=7,
        color=BLUE, gid=f"event:{gid}",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5},
    )  # fmt: skip
