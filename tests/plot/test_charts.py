# matplotlib types drawn data loosely (ArrayLike, Patch): the tests read it as arrays.
# mypy: disable-error-code="arg-type,attr-defined,index,operator,union-attr"
"""lendcrm.plot draws the library's numbers: checked on the drawn data, not pixels."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from lendcrm.errors import InvalidValueError
from lendcrm.plot import (
    actions_by_stage_chart,
    binning_chart,
    dscr_chart,
    gains_chart,
    lorenz_chart,
    loss_distribution_chart,
    migration_heatmap,
    score_distribution_chart,
)
from lendcrm.risk.portfolio import simulate_losses
from lendcrm.risk.project_finance import covenant_test
from lendcrm.risk.scoring import BinningConfig, fit_numeric, ks


def test_importing_plot_does_not_import_matplotlib():
    code = "import sys, lendcrm.plot; print('matplotlib' in sys.modules)"
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_lorenz_chart_draws_the_curve_and_the_pareto_point():
    # values 5, 3, 1, 1 (total 10): sorted ascending 1, 1, 3, 5 -> 0, .1, .2, .5, 1
    fig = lorenz_chart([5.0, 3.0, 1.0, 1.0], share=0.8)
    axes = fig.axes[0]
    np.testing.assert_allclose(
        axes.lines[0].get_xydata(),
        [[0, 0], [0.25, 0.1], [0.5, 0.2], [0.75, 0.5], [1, 1]],
    )
    # the top 2 of 4 clients (50 %) hold 8/10 >= 80 %: point (1 - 0.5, 1 - 0.8)
    np.testing.assert_allclose(axes.lines[2].get_xydata(), [[0.5, 0.2]])
    assert axes.texts[0].get_text() == "top 50.0% of clients hold 80% of revenue"
    assert axes.get_xlabel() == "share of clients, smallest first (%)"


def test_binning_chart_bars_are_event_rates_and_the_line_is_woe():
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8] * 25)
    y = np.array([1, 1, 1, 0, 1, 0, 0, 0] * 25)
    b = fit_numeric(x, y, name="age", config=BinningConfig(min_bin_share=0.2))
    fig = binning_chart(b)
    rows = b.table()
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    np.testing.assert_allclose(heights, [r.event_rate for r in rows])
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), [r.woe for r in rows])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        r.label for r in rows
    ]
    # values 1..4 are bad 3 times in 4 (y = 1, 1, 1, 0)
    assert heights[0] == pytest.approx(0.75)


def test_score_distribution_marks_the_ks_gap():
    rng = np.random.default_rng(7)
    target = rng.integers(0, 2, 400)
    scores = rng.normal(size=400) + target
    fig = score_distribution_chart(target, scores)
    axes = fig.axes[0]
    segment = axes.lines[2].get_ydata()
    assert abs(segment[1] - segment[0]) == pytest.approx(ks(target, scores))
    assert axes.texts[0].get_text() == f"KS = {ks(target, scores):.3f}"


def test_gains_chart_ends_at_all_bads():
    fig = gains_chart([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], bands=2)
    line = fig.axes[0].lines[0]
    # riskiest half (0.8, 0.4) holds one of the two bads
    assert line.get_xydata().tolist() == [[0, 0], [0.5, 0.5], [1, 1]]


def test_loss_chart_marks_el_var_and_es():
    sim = simulate_losses(
        np.full(100, 1.0),
        0.02,
        0.45,
        correlation=0.12,
        n_scenarios=2_000,
        rng=np.random.default_rng(1),
        levels=[0.999],
    )
    fig = loss_distribution_chart(sim)
    axes = fig.axes[0]
    marked = [line.get_xdata()[0] for line in axes.lines]
    assert marked == pytest.approx(
        [sim.expected_loss, sim.var[0], sim.expected_shortfall[0]]
    )
    assert [t.get_text() for t in axes.texts] == [
        f"EL = {sim.expected_loss:,.2f}",
        f"VaR 99.9% = {sim.var[0]:,.2f}",
        f"ES 99.9% = {sim.expected_shortfall[0]:,.2f}",
    ]
    assert sum(p.get_height() for p in axes.patches) == pytest.approx(1.0)
    assert axes.get_xlabel() == "book loss (EUR m)"


def test_dscr_chart_labels_thresholds_outside_the_bars_and_has_y_ticks():
    t = covenant_test([118.0, 124, 104, 112], [100.0] * 4, lock_up=1.15, default=1.05)
    fig = dscr_chart(t)
    axes = fig.axes[0]
    assert [round(b.get_height(), 2) for b in axes.patches] == [1.18, 1.24, 1.04, 1.12]
    assert [line.get_ydata()[0] for line in axes.lines] == [1.15, 1.05]
    labels = axes.texts[:2]
    assert [x.get_text() for x in labels] == ["lock-up 1.15x", "default 1.05x"]
    assert all(x.get_position()[0] > 1.0 for x in labels)  # in the right margin
    assert len(axes.get_yticks()) > 2
    assert axes.texts[2].get_text() == "1.18x"  # bar labels follow
    # colours: pass, pass, default, lock-up (Okabe-Ito blue, blue, vermillion, orange)
    colours = [b.get_facecolor() for b in axes.patches]
    assert colours[0] == colours[1] != colours[2] != colours[3]


def test_migration_heatmap_labels_every_cell():
    fig = migration_heatmap(
        [[0.9, 0.08, 0.02], [0.1, 0.8, 0.1], [0, 0, 1]], ["A", "B", "D"]
    )
    axes = fig.axes[0]
    assert [t.get_text() for t in axes.texts] == [
        "90.0%",
        "8.0%",
        "2.0%",
        "10.0%",
        "80.0%",
        "10.0%",
        "0.0%",
        "0.0%",
        "100.0%",
    ]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["A", "B", "D"]
    np.testing.assert_array_equal(axes.images[0].get_array()[2], [0, 0, 1])


def test_migration_heatmap_rejects_bad_shapes():
    with pytest.raises(
        InvalidValueError, match="`matrix` must be a square matrix; got"
    ):
        migration_heatmap([[0.5, 0.5]], ["A"])
    with pytest.raises(
        InvalidValueError, match=r"`labels` must be one name per state \(2\); got 1"
    ):
        migration_heatmap([[1.0, 0.0], [0.0, 1.0]], ["A"])


def test_charts_write_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lorenz_chart([1.0, 2.0])
    gains_chart([0, 1, 0, 1], [1.0, 2.0, 3.0, 4.0], bands=2)
    assert list(tmp_path.iterdir()) == []


def _extents(fig):
    """Draw ``fig`` on an Agg canvas; its renderer measures the artists' boxes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def test_dscr_threshold_labels_clear_the_bars_and_the_y_ticks_when_drawn():
    cfads = [118.0, 124, 131, 126, 112, 104, 121, 135, 140, 138]  # the docs picture
    fig = dscr_chart(covenant_test(cfads, [100.0] * 10, lock_up=1.15, default=1.05))
    renderer = _extents(fig)
    axes = fig.axes[0]
    labels = [t.get_window_extent(renderer) for t in axes.texts[:2]]
    bars = [b.get_window_extent(renderer) for b in axes.patches]
    ticks = [t.get_window_extent(renderer) for t in axes.get_yticklabels()]
    assert {"1.0", "1.1", "1.2"} <= {t.get_text() for t in axes.get_yticklabels()}
    for label in labels:
        assert not any(label.overlaps(box) for box in bars + ticks)
        assert label.x1 <= fig.bbox.x1  # inside the picture
    assert not labels[0].overlaps(labels[1])


def test_loss_chart_marks_extra_losses_and_keeps_labels_inside():
    sim = simulate_losses(
        np.full(200, 1.0),
        0.02,
        0.45,
        correlation=0.12,
        n_scenarios=2_000,
        rng=np.random.default_rng(3),
        levels=[0.99],
    )
    edges = (0.45 * (np.arange(30) - 0.5)).tolist()
    fig = loss_distribution_chart(sim, bins=edges, marks={"ASRF EL + K": 5.0})
    axes = fig.axes[0]
    assert axes.lines[3].get_xdata()[0] == 5.0
    assert axes.texts[3].get_text() == "ASRF EL + K = 5.00"
    assert len(axes.patches) == len(edges) - 1  # one bar per number of defaults
    renderer = _extents(fig)
    box = axes.get_window_extent(renderer)
    for text in axes.texts:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0
        assert extent.x1 <= box.x1


def test_actions_by_stage_stacks_counts_in_lifecycle_order():
    stages = ["decline", "growth", "growth", "growth", "acquisition"]
    actions = ["exit_plan", "cross_sell", "cross_sell", "", "cross_sell"]
    fig = actions_by_stage_chart(stages, actions)
    axes = fig.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "acquisition",
        "growth",
        "decline",
    ]
    cross_sell, none, exit_plan, _totals = axes.containers
    assert [b.get_height() for b in cross_sell] == [1, 2, 0]
    assert [b.get_height() for b in none] == [0, 1, 0]
    assert [b.get_y() for b in exit_plan] == [1, 3, 0]  # stacked on the others
    assert [t.get_text() for t in axes.texts] == ["1", "3", "1"]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "cross_sell",
        "(none)",
        "exit_plan",
    ]


def test_actions_by_stage_needs_one_action_per_client():
    with pytest.raises(
        InvalidValueError, match=r"`actions` must be one action per client \(2\); got 1"
    ):
        actions_by_stage_chart(["growth", "decline"], ["cross_sell"])
