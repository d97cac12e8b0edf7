# matplotlib types drawn data loosely (ArrayLike, Patch): the tests read it as arrays.
# mypy: disable-error-code="arg-type,attr-defined,index,operator,union-attr"
"""Whale curve, lifecycle diagram and the CFADS panel: checked on the drawn data."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE
from lendcrm.plot import dscr_chart, lifecycle_chart, whale_chart
from lendcrm.risk.project_finance import covenant_test


def test_whale_chart_draws_the_curve_the_pareto_point_and_the_peak():
    # profits 60, 50, 10, -20 (total 100): cumulative 0, .6, 1.1, 1.2, 1.0
    axes = whale_chart([10.0, -20.0, 60.0, 50.0]).axes[0]
    np.testing.assert_allclose(
        axes.lines[0].get_xydata(),
        [[0, 0], [0.25, 0.6], [0.5, 1.1], [0.75, 1.2], [1, 1]],
    )
    np.testing.assert_allclose(axes.lines[2].get_xydata(), [[0.5, 1.1]])  # >= 80 %
    np.testing.assert_allclose(axes.lines[3].get_xydata(), [[0.75, 1.2]])
    assert [t.get_text() for t in axes.texts] == [
        "top 50.0% of clients earn 80% of the profit",
        "peak 120%: the 75.0% profitable clients",
    ]


def test_whale_chart_rejects_a_loss_making_book():
    with pytest.raises(InvalidValueError, match="profit"):
        whale_chart([-1.0, 0.5])


@pytest.mark.parametrize("machine", [CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE])
def test_lifecycle_chart_draws_every_stage_and_move_of_the_table(machine):
    axes = lifecycle_chart(machine).axes[0]
    gids = {t.get_gid(): t for t in axes.texts}
    stages = {g.split(":")[1]: t for g, t in gids.items() if g.startswith("stage:")}
    assert set(stages) == {str(s) for s in machine.stages}
    moves = {
        (str(s), str(t)) for s, row in machine.transitions.items() for t in row.values()
    }
    arrows = {
        tuple(g.split(":")[1:]): t for g, t in gids.items() if g.startswith("move:")
    }
    assert set(arrows) == moves
    for (source, target), arrow in arrows.items():
        if source != target:  # arrows run from the source's box to the target's
            assert arrow.xyann == stages[source].get_position()
            assert arrow.xy == stages[target].get_position()
    initial = stages[str(machine.initial)].get_position()
    assert initial[0] == 0.0  # the initial stage opens the first column
    last = max(t.get_position()[0] for t in stages.values())
    assert all(stages[str(s)].get_position()[0] == last for s in machine.terminal)


def test_lifecycle_chart_labels_each_move_with_its_events_and_guards():
    axes = lifecycle_chart(CLIENT_LIFECYCLE).axes[0]
    labels = {t.get_gid(): t.get_text() for t in axes.texts}
    assert labels["event:decline:exited"] == "exit / terminate (reason_given)"
    assert labels["event:acquisition:activation"] == "first_drawdown"
    project = {t.get_gid() for t in lifecycle_chart(PROJECT_PHASE).axes[0].texts}
    assert "move:operations:operations" in project  # a loop: refinance


def test_dscr_chart_draws_cfads_and_debt_service_below():
    cfads = [118.0, 104.0, 112.0]
    t = covenant_test(cfads, [100.0, 100.0, 80.0], lock_up=1.15, default=1.05)
    fig = dscr_chart(t, cfads=cfads)
    lower = fig.axes[1]
    np.testing.assert_allclose(lower.lines[0].get_ydata(), cfads)
    np.testing.assert_allclose(lower.lines[1].get_ydata(), [100, 100, 80])
    np.testing.assert_allclose(lower.lines[2].get_ydata(), [105, 105, 84])
    np.testing.assert_allclose(lower.lines[0].get_xdata(), [1, 2, 3])
    assert [b.get_height() for b in fig.axes[0].patches] == pytest.approx(t.dscr)


def test_dscr_chart_needs_one_cfads_per_period():
    t = covenant_test([118.0, 104.0], [100.0, 100.0], lock_up=1.15, default=1.05)
    with pytest.raises(InvalidValueError, match=r"`cfads` must be one per period"):
        dscr_chart(t, cfads=[1.0])


def test_tier_table_chart_draws_each_tiers_shares_by_hand():
    from lendcrm.plot import tier_table_chart

    fig = tier_table_chart(
        ["gold", "basic", "basic", "diamond"],
        [50.0, 10.0, 10.0, 30.0],
        profit=[20.0, -5.0, 5.0, 30.0],
    )
    bars = [[round(b.get_height(), 4) for b in c] for c in fig.axes[0].containers]
    # order diamond, gold, silver, basic; clients 1/4, 1/4, 0, 2/4
    assert bars[0] == [0.25, 0.25, 0.0, 0.5]
    assert bars[1] == [0.3, 0.5, 0.0, 0.2]
    assert bars[2] == [0.6, 0.4, 0.0, 0.0]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "diamond",
        "gold",
        "silver",
        "basic",
    ]


def test_tier_table_chart_names_bad_input():
    import pytest

    from lendcrm.errors import InvalidValueError
    from lendcrm.plot import tier_table_chart

    with pytest.raises(InvalidValueError, match=r"`tiers\[1\]` must be one of diamond"):
        tier_table_chart(["gold", "platinum"], [1.0, 2.0])
    with pytest.raises(InvalidValueError, match="`revenue` must be a total > 0"):
        tier_table_chart(["gold"], [0.0])
    with pytest.raises(InvalidValueError, match="length"):
        tier_table_chart(["gold", "basic"], [1.0])
    with pytest.raises(InvalidValueError, match="`tiers` must be at least one client"):
        tier_table_chart([], [])
