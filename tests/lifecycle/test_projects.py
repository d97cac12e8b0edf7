"""Project tracking: exact milestone, cost and drawdown figures, findings, bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import (
    PLAYBOOKS,
    ClientStage,
    Severity,
    cost_outlook,
    drawdown_check,
    milestone_progress,
    playbook_for,
    project_review,
    review_project,
)

AS_OF = dt.date(2026, 6, 30)
PLANNED = [dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 9, 30)]


def test_milestone_progress_exact_values():
    # by hand: due by 30 Jun are milestones 0 and 1 (0.2 + 0.5 = 0.7); done: 0 (0.2);
    # milestone 0 done 10 days late; milestone 1 overdue by 61 days (30 Apr -> 30 Jun);
    # milestone 2 not due yet.
    p = milestone_progress(
        planned_on=PLANNED,
        completed_on=[dt.date(2026, 2, 10), None, None],
        weights=[0.2, 0.5, 0.3],
        as_of=AS_OF,
    )
    assert (p.planned_fraction, p.actual_fraction) == (0.7, 0.2)
    assert p.progress_gap == pytest.approx(0.5)
    assert p.slippage_days.tolist() == [10, 61, 0]
    assert p.late.tolist() == [True, True, False]
    assert p.schedule_slippage_days == 61


def test_early_completion_and_equal_weights_and_datetime64():
    p = milestone_progress(
        planned_on=np.array(PLANNED, dtype="datetime64[D]"),
        completed_on=np.array(["2026-01-21", "NaT", "NaT"], dtype="datetime64[D]"),
        as_of=dt.date(2026, 3, 1),
    )
    assert p.slippage_days.tolist() == [-10, 0, 0]
    assert p.schedule_slippage_days == 0
    assert p.planned_fraction == pytest.approx(1 / 3)
    assert p.actual_fraction == pytest.approx(1 / 3)


def test_cost_outlook_and_drawdown_exact_values():
    c = cost_outlook(budget=250.0, spent=100.0, estimate_to_complete=175.0)
    assert c.estimate_at_completion.tolist() == [275.0]
    assert c.overrun.tolist() == [25.0]
    assert c.overrun_fraction.tolist() == [0.1]
    assert c.over_budget.tolist() == [True]
    d = drawdown_check(drawn=[40.0, 46.0], certified_progress=0.4, committed_debt=100.0)
    # 0.4 x 100 = 40 supported; 46 is 6 % of commitment ahead (> 5 % tolerance)
    assert d.supported.tolist() == [40.0, 40.0]
    assert d.excess.tolist() == [0.0, 6.0]
    assert d.ahead.tolist() == [False, True]


def test_review_on_track_has_no_findings():
    r = review_project(
        as_of=AS_OF,
        planned_on=PLANNED,
        completed_on=[dt.date(2026, 1, 30), dt.date(2026, 5, 15), None],
        weights=[0.2, 0.5, 0.3],
        budget=100.0,
        spent=68.0,
        estimate_to_complete=33.0,
        drawn=48.0,
        committed_debt=70.0,
    )
    assert r.findings == ()
    assert r.progress.actual_fraction == 0.7


def test_review_findings_and_severity():
    r = review_project(
        as_of=AS_OF,
        planned_on=PLANNED,
        completed_on=[dt.date(2026, 1, 30), dt.date(2026, 6, 10), None],
        weights=[0.2, 0.5, 0.3],
        budget=100.0,
        spent=70.0,
        estimate_to_complete=44.0,
        drawn=50.0,
        committed_debt=70.0,
        certified_progress=0.6,
    )
    # slip 41 days (> 30, <= 60): watch; overrun 14 % (> 2 x 5 %): action;
    # drawn 50 vs 0.6 x 70 = 42: 11.4 % of commitment ahead: action
    assert [(f.code, f.severity) for f in r.findings] == [
        ("drawdown_ahead_of_progress", Severity.ACTION),
        ("cost_overrun", Severity.ACTION),
        ("schedule_slippage", Severity.WATCH),
    ]
    slip = r.findings[2]
    assert (slip.value, slip.threshold) == (41.0, 30.0)
    assert slip.message == (
        "Milestone 1 is 41 days late (tolerance 30); ask the sponsor for a recovery plan."
    )
    assert r.findings[1].value == pytest.approx(0.14)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"planned_on": [], "completed_on": []},
            r"`planned_on` must be at least one milestone; got \[\]",
        ),
        ({"completed_on": [None, None]}, r"`completed_on` must be the same length"),
        (
            {"planned_on": [PLANNED[0], None, PLANNED[2]]},
            r"`planned_on\[1\]` must be a date \(every milestone has a plan\)",
        ),
        (
            {"completed_on": [dt.date(2026, 7, 1), None, None]},
            r"`completed_on\[0\]` must be a date on or before as_of \(2026-06-30\); got '2026-07-01'",
        ),
        (
            {"weights": [0.0, 0.0, 0.0]},
            r"`weights` must be weights with a positive sum",
        ),
        (
            {"weights": [0.5, -0.5, 1.0]},
            r"`weights\[1\]` must be a finite number >= 0; got -0.5",
        ),
        (
            {"as_of": dt.datetime(2026, 6, 30, tzinfo=dt.UTC)},
            r"`as_of` must be a datetime.date",
        ),
        ({"completed_on": ["soon", None, None]}, r"`completed_on` must be dates"),
    ],
)
def test_milestone_bad_input(kwargs, message):
    args = {
        "planned_on": PLANNED,
        "completed_on": [None, None, None],
        "as_of": AS_OF,
        **kwargs,
    }
    with pytest.raises(InvalidValueError, match=message):
        milestone_progress(**args)


def test_cost_and_drawdown_bad_input():
    with pytest.raises(
        InvalidValueError, match=r"`budget\[0\]` must be a finite number > 0; got 0.0"
    ):
        cost_outlook(budget=0.0, spent=1.0, estimate_to_complete=1.0)
    with pytest.raises(
        InvalidValueError, match=r"`spent\[1\]` must be a finite number >= 0; got nan"
    ):
        cost_outlook(
            budget=[1.0, 1.0],
            spent=[1.0, float("nan")],
            estimate_to_complete=[1.0, 1.0],
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`certified_progress\[0\]` must be a finite number in \[0, 1\]; got 1.2",
    ):
        drawdown_check(drawn=1.0, certified_progress=1.2, committed_debt=10.0)
    with pytest.raises(
        InvalidValueError, match=r"`tolerance\[0\]` must be a finite number >= 0"
    ):
        drawdown_check(
            drawn=1.0, certified_progress=0.5, committed_debt=10.0, tolerance=-0.1
        )
    with pytest.raises(
        InvalidValueError, match=r"`slippage_tolerance_days` must be a whole number"
    ):
        review_project(
            as_of=AS_OF,
            planned_on=PLANNED,
            completed_on=[None] * 3,
            budget=1.0,
            spent=0.0,
            estimate_to_complete=1.0,
            drawn=0.0,
            committed_debt=1.0,
            slippage_tolerance_days=-1,
        )


def test_every_stage_has_a_playbook_from_the_source():
    assert set(PLAYBOOKS) == set(ClientStage)
    # the source article's strategy per stage
    assert "targeted offers" in playbook_for(ClientStage.ACQUISITION).strategy.lower()
    assert "first-transaction" in playbook_for("activation").strategy.lower()
    assert "limit optimisation" in playbook_for("growth").strategy.lower()
    assert (
        "periodic review and risk assessment"
        in playbook_for("maturity").strategy.lower()
    )
    assert "exit plan" in playbook_for("decline").strategy.lower()
    assert playbook_for("exited").review_every_months is None
    assert all(p.stage is s for s, p in PLAYBOOKS.items())
    reviews = [playbook_for(s).review_every_months for s in list(ClientStage)[:5]]
    assert reviews == [1, 3, 6, 12, 1]


def test_unknown_playbook_and_custom_playbooks():
    with pytest.raises(
        Exception, match=r"No playbook with id 'dormant' \(referenced by `stage`\)"
    ):
        playbook_for("dormant")
    mine = {ClientStage.GROWTH: PLAYBOOKS[ClientStage.GROWTH]}
    assert playbook_for("growth", playbooks=mine).owner_role.startswith("relationship")
    with pytest.raises(LookupError):
        playbook_for("maturity", playbooks=mine)


def _project(milestones, drawdowns):
    from lendcrm import (
        ClientId,
        Money,
        Project,
        ProjectId,
        ProjectPhase,
        Sector,
        Sponsor,
    )

    return Project(
        id=ProjectId("P-9"),
        name="Wind 9",
        sponsors=(Sponsor(sponsor_id=ClientId("S-1"), equity_share=1.0),),
        sector=Sector.ELECTRICITY_GAS_STEAM,
        country="PL",
        total_cost=Money.of("200", "EUR"),
        debt=Money.of("150", "EUR"),
        equity=Money.of("50", "EUR"),
        phase=ProjectPhase.CONSTRUCTION,
        milestones=milestones,
        drawdowns=drawdowns,
    )


def test_review_of_a_project_entity_matches_the_array_review():
    from lendcrm import Drawdown, Milestone, Money

    milestones = (
        Milestone(
            name="a",
            planned_on=PLANNED[0],
            actual_on=dt.date(2026, 2, 1),
            percent_complete=100.0,
        ),
        Milestone(name="b", planned_on=PLANNED[1], percent_complete=50.0),
        Milestone(name="c", planned_on=PLANNED[2], percent_complete=0.0),
    )
    drawdowns = (
        Drawdown(on=dt.date(2026, 2, 15), amount=Money.of("60", "EUR")),
        Drawdown(on=dt.date(2026, 5, 15), amount=Money.of("40", "EUR")),
        Drawdown(on=dt.date(2026, 8, 15), amount=Money.of("30", "EUR")),  # after as_of
    )
    entity = project_review(
        _project(milestones, drawdowns),
        as_of=AS_OF,
        spent=120.0,
        estimate_to_complete=90.0,
        weights=[0.2, 0.5, 0.3],
    )
    # certified progress = (0.2 x 100 + 0.5 x 50) / 100 = 0.45; drawn to date 100;
    # supported 0.45 x 150 = 67.5; excess 32.5 / 150 = 21.7 % of commitment
    arrays = review_project(
        as_of=AS_OF,
        planned_on=PLANNED,
        completed_on=[dt.date(2026, 2, 1), None, None],
        weights=[0.2, 0.5, 0.3],
        budget=200.0,
        spent=120.0,
        estimate_to_complete=90.0,
        drawn=100.0,
        committed_debt=150.0,
        certified_progress=0.45,
    )
    assert entity.findings == arrays.findings
    assert float(entity.drawdown.excess[0]) == pytest.approx(32.5)
    assert [f.code for f in entity.findings] == [
        "drawdown_ahead_of_progress",
        "schedule_slippage",
    ]


def test_review_of_a_project_entity_bad_input():
    with pytest.raises(
        InvalidValueError, match=r"`project.milestones` must be at least one milestone"
    ):
        project_review(
            _project((), ()), as_of=AS_OF, spent=1.0, estimate_to_complete=1.0
        )
    from lendcrm import Milestone

    one = (Milestone(name="a", planned_on=PLANNED[0]),)
    with pytest.raises(
        InvalidValueError, match=r"`weights` must be the same length as `milestones`"
    ):
        project_review(
            _project(one, ()),
            as_of=AS_OF,
            spent=1.0,
            estimate_to_complete=1.0,
            weights=[0.5, 0.5],
        )
