"""Exact tests of project tracking (issue #23): boundaries, defaults, whole messages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import (
    Finding,
    Severity,
    cost_outlook,
    drawdown_check,
    milestone_progress,
    project_review,
    review_project,
)

AS_OF = dt.date(2026, 6, 30)
PLANNED = [dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 9, 30)]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"planned_on": [], "completed_on": []},
            "planned_on",
            "`planned_on` must be at least one milestone; got [].",
        ),
        (
            {"planned_on": [1, 2, 3]},
            "planned_on",
            "`planned_on` must be dates (datetime.date or datetime64); got [1, 2, 3].",
        ),
        (
            {"planned_on": [PLANNED]},
            "planned_on",
            (
                "`planned_on` must be dates (datetime.date or datetime64); got "
                "[[datetime.date(2026, 1, 31), datetime.date(2026, 4, 30), "
                "datetime.date(2026, 9, 30)]]."
            ),
        ),
        (
            {"completed_on": ["soon", None, None]},
            "completed_on",
            (
                "`completed_on` must be dates (datetime.date or datetime64); "
                "got ['soon', None, None]."
            ),
        ),
        (
            {"planned_on": [PLANNED[0], PLANNED[1], None]},
            "planned_on[2]",
            "`planned_on[2]` must be a date (every milestone has a plan); got None.",
        ),
        (
            {"completed_on": [None, dt.date(2026, 7, 1), dt.date(2026, 8, 1)]},
            "completed_on[1]",
            (
                "`completed_on[1]` must be a date on or before as_of (2026-06-30); "
                "got '2026-07-01'."
            ),
        ),
        (
            {"weights": [0.0, 0.0, 0.0]},
            "weights",
            "`weights` must be weights with a positive sum; got [0.0, 0.0, 0.0].",
        ),
    ],
)
def test_milestone_refusals_name_the_field_and_say_what_was_expected(
    kwargs, field, message
):
    args = {"planned_on": PLANNED, "completed_on": [None, None, None], **kwargs}
    with pytest.raises(InvalidValueError) as info:
        milestone_progress(as_of=AS_OF, **args)
    assert info.value.field == field
    assert str(info.value) == message


def test_milestone_boundaries_on_the_review_date():
    # milestone 1 is due on as_of itself (counts as planned, not overdue) and
    # milestone 0 is completed on as_of (accepted, 150 days late).
    p = milestone_progress(
        planned_on=[dt.date(2026, 1, 31), AS_OF, dt.date(2026, 7, 1)],
        completed_on=[AS_OF, None, None],
        as_of=AS_OF,
        weights=[1.0, 1.0, 1.0],
    )
    assert p.as_of == AS_OF
    assert p.planned_fraction == 0.666666666667  # rounded to 12 places
    assert p.actual_fraction == 0.333333333333
    assert p.slippage_days.tolist() == [150, 0, 0]
    assert p.slippage_days.dtype == np.int64
    assert p.late.tolist() == [True, False, False]
    assert p.progress_gap == pytest.approx(1 / 3)
    assert p.schedule_slippage_days == 150


def test_milestones_all_early_have_no_schedule_slippage():
    p = milestone_progress(
        planned_on=[dt.date(2026, 5, 1)],
        completed_on=[dt.date(2026, 4, 21)],
        as_of=AS_OF,
    )
    assert p.slippage_days.tolist() == [-10]
    assert p.late.tolist() == [False]
    assert p.schedule_slippage_days == 0
    assert (p.planned_fraction, p.actual_fraction) == (1.0, 1.0)


def test_cost_outlook_tolerance_is_exclusive_and_defaults_to_zero():
    c = cost_outlook(
        budget=[100.0, 100.0, 100.0],
        spent=[50.0, 50.0, 50.0],
        estimate_to_complete=[50.0, 50.5, 55.0],
    )
    assert c.estimate_at_completion.tolist() == [100.0, 100.5, 105.0]
    assert c.overrun.tolist() == [0.0, 0.5, 5.0]
    assert c.overrun_fraction.tolist() == [0.0, 0.005, 0.05]
    assert c.over_budget.tolist() == [False, True, True]
    at = cost_outlook(
        budget=100.0,
        spent=[50.0, 50.0],
        estimate_to_complete=[55.0, 56.0],
        tolerance=0.05,
    )
    assert at.over_budget.tolist() == [False, True]
    with pytest.raises(InvalidValueError) as info:
        cost_outlook(budget=[1.0, 2.0], spent=[1.0, 2.0, 3.0], estimate_to_complete=1.0)
    assert info.value.field == "spent"


def test_drawdown_tolerance_is_exclusive_and_defaults_to_five_percent():
    d = drawdown_check(
        drawn=[45.0, 46.0, 40.0],
        certified_progress=0.4,
        committed_debt=100.0,
    )
    assert d.supported.tolist() == [40.0, 40.0, 40.0]
    assert d.excess.tolist() == [5.0, 6.0, 0.0]
    assert d.excess_fraction.tolist() == [0.05, 0.06, 0.0]
    assert d.ahead.tolist() == [False, True, False]
    zero = drawdown_check(
        drawn=[40.0, 41.0], certified_progress=0.4, committed_debt=100.0, tolerance=0.0
    )
    assert zero.ahead.tolist() == [False, True]
    cases: list[tuple[dict[str, object], str]] = [
        ({"drawn": -1.0}, "drawn[0]"),
        ({"certified_progress": -0.1}, "certified_progress[0]"),
        ({"committed_debt": 0.0}, "committed_debt[0]"),
        ({"tolerance": -0.1}, "tolerance[0]"),
        ({"tolerance": []}, "tolerance"),
    ]
    for kwargs, field in cases:
        args: dict[str, object] = {
            "drawn": 1.0,
            "certified_progress": 0.5,
            "committed_debt": 10.0,
            **kwargs,
        }
        with pytest.raises(InvalidValueError) as info:
            drawdown_check(**args)  # type: ignore[arg-type]
        assert info.value.field == field


def _review(**kwargs):
    args = {
        "as_of": AS_OF,
        "planned_on": [dt.date(2026, 4, 30)],
        "completed_on": [None],
        "budget": 100.0,
        "spent": 50.0,
        "estimate_to_complete": 50.0,
        "drawn": 0.0,
        "committed_debt": 100.0,
        **kwargs,
    }
    return review_project(**args)


@pytest.mark.parametrize(
    ("planned", "tolerance", "severity"),
    [
        (dt.date(2026, 5, 31), 30, None),  # 30 days late: at the tolerance
        (dt.date(2026, 5, 30), 30, Severity.WATCH),  # 31 days
        (dt.date(2026, 5, 1), 30, Severity.WATCH),  # 60 days: twice the tolerance
        (dt.date(2026, 4, 30), 30, Severity.ACTION),  # 61 days
        (dt.date(2026, 6, 20), 5, Severity.WATCH),  # 10 days: twice tolerance 5
        (dt.date(2026, 6, 19), 5, Severity.ACTION),  # 11 days
    ],
)
def test_schedule_slippage_finding_at_its_boundaries(planned, tolerance, severity):
    kwargs = {} if tolerance == 30 else {"slippage_tolerance_days": tolerance}
    r = _review(planned_on=[planned], **kwargs)
    slip = (AS_OF - planned).days
    assert r.progress.schedule_slippage_days == slip
    if severity is None:
        assert r.findings == ()
        return
    assert r.findings == (
        Finding(
            code="schedule_slippage",
            severity=severity,
            value=float(slip),
            threshold=float(tolerance),
            message=f"Milestone 0 is {slip} days late (tolerance {tolerance}); "
            "ask the sponsor for a recovery plan.",
        ),
    )


def test_the_worst_milestone_is_named():
    r = _review(
        planned_on=[dt.date(2026, 6, 1), dt.date(2026, 3, 1), dt.date(2026, 5, 1)],
        completed_on=[None, None, None],
        slippage_tolerance_days=0.0,
    )
    assert r.findings[0].message == (
        "Milestone 1 is 121 days late (tolerance 0.0); ask the sponsor for a recovery plan."
    )


@pytest.mark.parametrize(
    ("etc", "tolerance", "severity"),
    [
        (55.0, 0.05, None),  # 5 %: at the default tolerance
        (56.0, 0.05, Severity.WATCH),
        (60.0, 0.05, Severity.WATCH),  # 10 %: twice the tolerance
        (61.0, 0.05, Severity.ACTION),
        (50.5, 0.0, Severity.ACTION),
    ],
)
def test_cost_overrun_finding_at_its_boundaries(etc, tolerance, severity):
    kwargs = {} if tolerance == 0.05 else {"overrun_tolerance": tolerance}
    r = _review(planned_on=[dt.date(2026, 7, 30)], estimate_to_complete=etc, **kwargs)
    if severity is None:
        assert r.findings == ()
        return
    fraction = (50.0 + etc - 100.0) / 100.0
    assert r.findings == (
        Finding(
            code="cost_overrun",
            severity=severity,
            value=fraction,
            threshold=tolerance,
            message=f"Estimated cost at completion exceeds budget by {fraction:.1%}; "
            "check contingency and sponsor support for the overrun.",
        ),
    )


def test_drawdown_finding_uses_the_given_certificate_and_tolerance():
    future = [dt.date(2026, 7, 30)]
    # no certificate: milestone progress 0, so 5 % drawn is at the default tolerance
    assert _review(planned_on=future, drawn=5.0).findings == ()
    assert _review(planned_on=future, drawn=6.0).findings[0].code == (
        "drawdown_ahead_of_progress"
    )
    r = _review(
        planned_on=future,
        drawn=55.0,
        certified_progress=0.4,
        drawdown_tolerance=0.1,
    )
    assert r.drawdown.supported.tolist() == [40.0]
    assert r.findings == (
        Finding(
            code="drawdown_ahead_of_progress",
            severity=Severity.ACTION,
            value=0.15,
            threshold=0.1,
            message="Debt drawn runs 15.0% of commitment ahead of certified progress "
            "(40.0%); hold further drawdowns until progress is certified.",
        ),
    )
    assert _review(planned_on=future, drawn=50.0, certified_progress=0.4,
                   drawdown_tolerance=0.1).findings == ()  # fmt: skip


def test_findings_put_actions_first_and_keep_their_order():
    r = _review(
        planned_on=[dt.date(2026, 5, 30)],  # 31 days: watch
        estimate_to_complete=61.0,  # 11 %: action
        drawn=10.0,  # ahead: action
    )
    assert [(f.code, f.severity) for f in r.findings] == [
        ("drawdown_ahead_of_progress", Severity.ACTION),
        ("cost_overrun", Severity.ACTION),
        ("schedule_slippage", Severity.WATCH),
    ]


@pytest.mark.parametrize("days", [-1, 1.5, True, "30", None])
def test_slippage_tolerance_must_be_whole_days(days):
    with pytest.raises(InvalidValueError) as info:
        _review(slippage_tolerance_days=days)
    assert info.value.field == "slippage_tolerance_days"
    assert str(info.value) == (
        f"`slippage_tolerance_days` must be a whole number of days >= 0; got {days!r}."
    )


def test_zero_slippage_tolerance_is_accepted():
    r = _review(planned_on=[AS_OF], slippage_tolerance_days=0)
    assert r.findings == ()


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
        debt=Money.of("100", "EUR"),
        equity=Money.of("100", "EUR"),
        phase=ProjectPhase.CONSTRUCTION,
        milestones=milestones,
        drawdowns=drawdowns,
    )


def test_project_review_passes_every_argument_on():
    from lendcrm import Drawdown, Milestone, Money

    milestones = (
        Milestone(
            name="a",
            planned_on=dt.date(2026, 5, 1),
            actual_on=AS_OF,
            percent_complete=100.0,
        ),
        Milestone(name="b", planned_on=dt.date(2026, 5, 30), percent_complete=20.0),
    )
    drawdowns = (
        Drawdown(on=dt.date(2026, 3, 1), amount=Money.of("30", "EUR")),
        Drawdown(on=AS_OF, amount=Money.of("20", "EUR")),  # on as_of: counted
        Drawdown(on=dt.date(2026, 7, 1), amount=Money.of("40", "EUR")),  # after: not
    )
    r = project_review(
        _project(milestones, drawdowns),
        as_of=AS_OF,
        spent=150.0,
        estimate_to_complete=70.0,  # EAC 220 on budget 200: 10 %
        weights=[3.0, 1.0],  # certified (300 + 20) / 4 / 100 = 0.8
        slippage_tolerance_days=60,  # worst slip 60 days: at the tolerance
        overrun_tolerance=0.1,  # 10 %: at the tolerance
        drawdown_tolerance=0.0,
    )
    assert r.progress.slippage_days.tolist() == [60, 31]
    assert r.progress.actual_fraction == 0.75  # weighted milestones done
    assert r.cost.overrun_fraction.tolist() == [0.1]
    assert r.drawdown.supported.tolist() == [80.0]
    assert r.drawdown.excess.tolist() == [-30.0]  # 50 drawn to date, 100 committed
    assert r.findings == ()
    tight = project_review(
        _project(milestones, drawdowns),
        as_of=AS_OF,
        spent=150.0,
        estimate_to_complete=70.0,
    )
    assert [f.code for f in tight.findings] == ["schedule_slippage", "cost_overrun"]
    assert tight.drawdown.supported.tolist() == [60.0]  # equal weights: (100 + 20) / 2


@pytest.mark.parametrize(
    ("project", "kwargs", "field", "message"),
    [
        ("x", {}, "project", "`project` must be a Project; got a 'str'."),
        (
            None,
            {"weights": [0.0]},
            "weights",
            "`weights` must be weights with a positive sum; got [0.0].",
        ),
        (None, {"weights": [1.0, 1.0]}, "weights", None),
        (
            None,
            {"as_of": "2026-06-30"},
            "as_of",
            (
                "`as_of` must be a datetime.date (not a datetime or a string); got "
                "'2026-06-30'. Pass the business date, e.g. datetime.date(2025, 12, 31)."
            ),
        ),
    ],
)
def test_project_review_refusals(project, kwargs, field, message):
    from lendcrm import Milestone

    one = (Milestone(name="a", planned_on=PLANNED[0], percent_complete=50.0),)
    target = _project(one, ()) if project is None else project
    args = {"as_of": AS_OF, "spent": 1.0, "estimate_to_complete": 1.0, **kwargs}
    with pytest.raises(InvalidValueError) as info:
        project_review(target, **args)
    assert info.value.field == field
    if message is not None:
        assert str(info.value) == message


def test_a_one_day_slip_is_late_and_weights_must_match_the_milestones():
    p = milestone_progress(
        planned_on=[dt.date(2026, 6, 29)], completed_on=[AS_OF], as_of=AS_OF
    )
    assert p.slippage_days.tolist() == [1]
    assert p.late.tolist() == [True]
    with pytest.raises(InvalidValueError) as info:
        milestone_progress(
            planned_on=PLANNED,
            completed_on=[None, None, None],
            as_of=AS_OF,
            weights=[1.0, 1.0],
        )
    assert info.value.field == "weights"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"estimate_to_complete": -1.0},
            "estimate_to_complete[0]",
            "`estimate_to_complete[0]` must be a finite number >= 0; got -1.0.",
        ),
        (
            {"tolerance": -0.1},
            "tolerance[0]",
            "`tolerance[0]` must be a finite number >= 0; got -0.1.",
        ),
        (
            {"tolerance": []},
            "tolerance",
            "`tolerance` must be a non-empty array (at least one value); got [].",
        ),
    ],
)
def test_cost_outlook_refusals(kwargs, field, message):
    args: dict[str, object] = {
        "budget": 1.0,
        "spent": 1.0,
        "estimate_to_complete": 1.0,
        **kwargs,
    }
    with pytest.raises(InvalidValueError) as info:
        cost_outlook(**args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value) == message


def test_fractions_below_one_are_accepted():
    c = cost_outlook(budget=0.5, spent=0.0, estimate_to_complete=0.5, tolerance=0.0)
    assert c.overrun.tolist() == [0.0]
    d = drawdown_check(drawn=0.5, certified_progress=0.5, committed_debt=0.5)
    assert d.supported.tolist() == [0.25]
    assert d.excess_fraction.tolist() == [0.5]


def test_project_review_passes_the_drawdown_tolerance_on():
    from lendcrm import Drawdown, Milestone, Money

    one = (Milestone(name="a", planned_on=dt.date(2026, 7, 30), percent_complete=50.0),)
    drawn = (Drawdown(on=dt.date(2026, 3, 1), amount=Money.of("52", "EUR")),)
    project = _project(one, drawn)  # supported 50 of 100: 2 % ahead
    args = {"as_of": AS_OF, "spent": 0.0, "estimate_to_complete": 200.0}
    assert project_review(project, **args).findings == ()  # type: ignore[arg-type]
    tight = project_review(project, drawdown_tolerance=0.01, **args)  # type: ignore[arg-type]
    assert [(f.code, f.threshold) for f in tight.findings] == [
        ("drawdown_ahead_of_progress", 0.01)
    ]


def test_project_review_refuses_a_project_without_milestones_or_with_bad_weights():
    from lendcrm import Milestone

    with pytest.raises(InvalidValueError) as info:
        project_review(
            _project((), ()), as_of=AS_OF, spent=1.0, estimate_to_complete=1.0
        )
    assert (info.value.field, info.value.value) == ("project.milestones", ())
    assert (
        str(info.value)
        == "`project.milestones` must be at least one milestone; got ()."
    )
    one = (Milestone(name="a", planned_on=PLANNED[0], percent_complete=50.0),)
    with pytest.raises(InvalidValueError) as info:
        project_review(
            _project(one, ()),
            as_of=AS_OF,
            spent=1.0,
            estimate_to_complete=1.0,
            weights=[-1.0],
        )
    assert info.value.field == "weights[0]"
    assert str(info.value) == "`weights[0]` must be a finite number >= 0; got -1.0."
