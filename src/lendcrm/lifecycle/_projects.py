"""Project tracking: milestones, schedule slippage, cost to complete and drawdowns.

Inputs are plain values and arrays (dates as ``datetime.date`` or ``datetime64``;
amounts as float64 in one currency), so the functions serve a single deal as well as
a whole construction book. `review_project` combines them into `Finding`s that the
relationship team can act on.

Conventions:

- A milestone is *done* when it has a completion date. Its slippage is
  ``completed_on - planned_on`` in days (negative when early). A milestone not done
  slips by ``max(as_of - planned_on, 0)`` days.
- Progress is weighted by milestone weights (for instance each milestone's share of
  the construction budget): planned progress counts milestones due by ``as_of``,
  actual (certified) progress counts milestones done.
- Cost: estimate at completion ``EAC = spent + estimate_to_complete``; overrun
  ``EAC - budget``; the overrun fraction divides by the budget.
- Drawdowns: debt drawn should not run ahead of certified progress times committed
  debt, ``drawn <= progress x committed + tolerance x committed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, as_float_array, check_same_length
from lendcrm._dates import as_of_day, check_as_of
from lendcrm._project import Project
from lendcrm._validators import (
    enum_of,
    finite_number,
    is_real_number,
    non_empty_str,
    require_instance,
)
from lendcrm.errors import InvalidValueError

__all__ = [
    "CostOutlook",
    "DrawdownCheck",
    "Finding",
    "MilestoneProgress",
    "ProjectReview",
    "Severity",
    "cost_outlook",
    "drawdown_check",
    "milestone_progress",
    "project_review",
    "review_project",
]

IntArray64 = npt.NDArray[np.int64]
DateLike = dt.date | np.datetime64 | None


def _dates(
    values: Sequence[DateLike] | npt.NDArray[np.datetime64], name: str
) -> npt.NDArray[np.datetime64]:
    arr = None
    try:
        raw = np.asarray(values)
        if raw.size == 0 or raw.dtype.kind not in "biufc":  # a number is no date
            arr = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError, OverflowError):
        pass
    if arr is None or arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=values, expected="dates (datetime.date or datetime64)"
        )
    return arr


def _aligned(**arrays: FloatArray) -> list[FloatArray]:
    """Broadcast length-1 arrays (scalars) to the common length; refuse other mismatches."""
    n = max(len(a) for a in arrays.values())
    full = {k: np.broadcast_to(a, n) if len(a) == 1 else a for k, a in arrays.items()}
    check_same_length(**full)
    return list(full.values())


@attrs.frozen(kw_only=True, eq=False)
class MilestoneProgress:
    """Where a project's milestones stand on a date.

    Attributes:
        as_of: The review date.
        planned_fraction: Weighted share of milestones due by ``as_of``, in [0, 1].
        actual_fraction: Weighted share of milestones done (certified), in [0, 1].
        slippage_days: Per milestone, days late (negative: done early; 0: not due).
        late: Per milestone, whether it slipped (done late, or overdue).
    """

    as_of: dt.date
    planned_fraction: float
    actual_fraction: float
    slippage_days: IntArray64
    late: BoolArray

    @property
    def schedule_slippage_days(self) -> int:
        """The worst delay over all milestones, days (0 when none is late)."""
        return max(0, int(self.slippage_days.max()))

    @property
    def progress_gap(self) -> float:
        """``planned_fraction - actual_fraction`` (positive: behind plan)."""
        return self.planned_fraction - self.actual_fraction


def milestone_progress(
    *,
    planned_on: Sequence[DateLike] | npt.NDArray[np.datetime64],
    completed_on: Sequence[DateLike] | npt.NDArray[np.datetime64],
    as_of: dt.date,
    weights: npt.ArrayLike | None = None,
) -> MilestoneProgress:
    """Progress and slippage of a project's milestones on ``as_of``.

    Args:
        planned_on: Planned completion date of each milestone.
        completed_on: Actual completion date, or ``None`` (NaT) when not done.
        as_of: The review date; no completion may be after it.
        weights: Weight of each milestone (>= 0, positive sum); equal if ``None``.

    Returns:
        The progress, see `MilestoneProgress`.

    Raises:
        InvalidValueError: no milestones, a planned date is missing, a completion is
            after ``as_of``, lengths differ, or a weight is negative / all are zero.

    Examples:
        >>> import datetime as dt
        >>> p = milestone_progress(
        ...     planned_on=[dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 9, 30)],
        ...     completed_on=[dt.date(2026, 2, 10), None, None],
        ...     weights=[0.2, 0.5, 0.3], as_of=dt.date(2026, 6, 30))
        >>> p.planned_fraction, p.actual_fraction
        (0.7, 0.2)
        >>> p.slippage_days.tolist(), p.schedule_slippage_days
        ([10, 61, 0], 61)
    """
    today = as_of_day(as_of)
    planned = _dates(planned_on, "planned_on")
    completed = _dates(completed_on, "completed_on")
    if planned.size == 0:
        raise InvalidValueError(
            field="planned_on", value=[], expected="at least one milestone"
        )
    w = (
        np.ones(planned.size)
        if weights is None
        else as_float_array(weights, name="weights", lower=0)
    )
    check_same_length(planned_on=planned, completed_on=completed, weights=w)
    if np.isnat(planned).any():
        i = int(np.argmax(np.isnat(planned)))
        raise InvalidValueError(
            field=f"planned_on[{i}]",
            value=None,
            expected="a date (every milestone has a plan)",
        )
    done = ~np.isnat(completed)
    future = done & (completed > today)
    if future.any():
        i = int(np.argmax(future))
        raise InvalidValueError(
            field=f"completed_on[{i}]",
            value=str(completed[i]),
            expected=f"a date on or before as_of ({as_of})",
        )
    total = float(w.sum())
    if total <= 0:
        raise InvalidValueError(
            field="weights", value=w.tolist(), expected="weights with a positive sum"
        )
    overdue = np.maximum((today - planned).astype(np.int64), 0)
    early_or_late = (np.where(done, completed, planned) - planned).astype(np.int64)
    slip = np.where(done, early_or_late, overdue)
    return MilestoneProgress(
        as_of=as_of,
        planned_fraction=round(float(w[planned <= today].sum()) / total, 12),
        actual_fraction=round(float(w[done].sum()) / total, 12),
        slippage_days=slip,
        late=slip > 0,
    )


@attrs.frozen(kw_only=True, eq=False)
class CostOutlook:
    """Estimated cost at completion against budget, per project.

    Attributes:
        estimate_at_completion: ``spent + estimate_to_complete``.
        overrun: ``estimate_at_completion - budget`` (negative: under budget).
        overrun_fraction: ``overrun / budget``.
        over_budget: ``overrun_fraction > tolerance``.
    """

    estimate_at_completion: FloatArray
    overrun: FloatArray
    overrun_fraction: FloatArray
    over_budget: BoolArray


def cost_outlook(
    *,
    budget: npt.ArrayLike,
    spent: npt.ArrayLike,
    estimate_to_complete: npt.ArrayLike,
    tolerance: float = 0.0,
) -> CostOutlook:
    """Cost to complete against budget, vectorised over projects.

    Args:
        budget: Approved project budget (> 0), shape ``(n,)`` or scalar (scalars
            broadcast against the other arguments).
        spent: Cost incurred to date (>= 0).
        estimate_to_complete: Cost still to incur (>= 0), e.g. from the lenders'
            technical adviser.
        tolerance: Overrun fraction tolerated before ``over_budget`` (>= 0).

    Raises:
        InvalidValueError: a value is non-finite or out of range; lengths differ.

    Examples:
        >>> c = cost_outlook(budget=[100.0, 200.0], spent=[60.0, 50.0],
        ...                  estimate_to_complete=[48.0, 140.0], tolerance=0.05)
        >>> c.overrun.tolist(), c.overrun_fraction.tolist(), c.over_budget.tolist()
        ([8.0, -10.0], [0.08, -0.05], [True, False])
    """
    b = as_float_array(budget, name="budget", lower=0, lower_open=True)
    s = as_float_array(spent, name="spent", lower=0)
    etc = as_float_array(estimate_to_complete, name="estimate_to_complete", lower=0)
    tol = float(
        as_float_array(tolerance, name="tolerance", lower=0, allow_empty=False)[0]
    )
    b, s, etc = _aligned(budget=b, spent=s, estimate_to_complete=etc)
    eac = s + etc
    overrun = eac - b
    fraction = overrun / b
    return CostOutlook(
        estimate_at_completion=eac,
        overrun=overrun,
        overrun_fraction=fraction,
        over_budget=fraction > tol,
    )


@attrs.frozen(kw_only=True, eq=False)
class DrawdownCheck:
    """Debt drawn against certified progress, per project (or per date).

    Attributes:
        supported: ``certified_progress x committed_debt``: what progress justifies.
        excess: ``drawn - supported`` (positive: drawn ahead of progress).
        excess_fraction: ``excess / committed_debt``.
        ahead: ``excess_fraction > tolerance``.
    """

    supported: FloatArray
    excess: FloatArray
    excess_fraction: FloatArray
    ahead: BoolArray


def drawdown_check(
    *,
    drawn: npt.ArrayLike,
    certified_progress: npt.ArrayLike,
    committed_debt: npt.ArrayLike,
    tolerance: float = 0.05,
) -> DrawdownCheck:
    """Whether cumulative drawdowns run ahead of certified progress, vectorised.

    Args:
        drawn: Cumulative debt drawn (>= 0), shape ``(n,)`` or scalar.
        certified_progress: Certified completion, a fraction in [0, 1].
        committed_debt: Committed debt (> 0).
        tolerance: Excess tolerated, as a fraction of committed debt (>= 0).

    Raises:
        InvalidValueError: a value is non-finite or out of range; lengths differ.

    Examples:
        >>> d = drawdown_check(drawn=[55.0, 30.0], certified_progress=[0.4, 0.35],
        ...                    committed_debt=[100.0, 100.0], tolerance=0.05)
        >>> d.excess.tolist(), d.ahead.tolist()
        ([15.0, -5.0], [True, False])
    """
    dr = as_float_array(drawn, name="drawn", lower=0)
    prog = as_float_array(
        certified_progress, name="certified_progress", lower=0, upper=1
    )
    debt = as_float_array(
        committed_debt, name="committed_debt", lower=0, lower_open=True
    )
    tol = float(
        as_float_array(tolerance, name="tolerance", lower=0, allow_empty=False)[0]
    )
    dr, prog, debt = _aligned(drawn=dr, certified_progress=prog, committed_debt=debt)
    supported = prog * debt
    excess = dr - supported
    fraction = excess / debt
    return DrawdownCheck(
        supported=supported,
        excess=excess,
        excess_fraction=fraction,
        ahead=fraction > tol,
    )


class Severity(StrEnum):
    """How urgent a finding is.

    Examples:
        >>> Severity.ACTION.value
        'action'
    """

    #: Worth a note in the next review.
    WATCH = "watch"
    #: Needs action before the next drawdown or review.
    ACTION = "action"


@attrs.frozen(kw_only=True)
class Finding:
    """Something the relationship team should know or do about a project.

    Attributes:
        code: Stable code (``schedule_slippage``, ``cost_overrun``,
            ``drawdown_ahead_of_progress``).
        severity: How urgent it is.
        value: The measured value (days, or a fraction).
        threshold: The tolerance it exceeded.
        message: What was found and what to do, in one sentence.
    """

    code: str = attrs.field(validator=non_empty_str)
    severity: Severity = attrs.field(validator=enum_of(Severity))
    value: float = attrs.field(validator=finite_number)
    threshold: float = attrs.field(validator=finite_number)
    message: str = attrs.field(validator=non_empty_str)


@attrs.frozen(kw_only=True)
class ProjectReview:
    """One project's progress, cost and drawdown position, with findings.

    Attributes:
        progress: Milestone progress.
        cost: Cost outlook (arrays of length 1).
        drawdown: Drawdown check (arrays of length 1).
        findings: What to act on, most urgent first (empty when on track).
    """

    progress: MilestoneProgress
    cost: CostOutlook
    drawdown: DrawdownCheck
    findings: tuple[Finding, ...]


def review_project(
    *,
    as_of: dt.date,
    planned_on: Sequence[DateLike] | npt.NDArray[np.datetime64],
    completed_on: Sequence[DateLike] | npt.NDArray[np.datetime64],
    budget: float,
    spent: float,
    estimate_to_complete: float,
    drawn: float,
    committed_debt: float,
    weights: npt.ArrayLike | None = None,
    certified_progress: float | None = None,
    slippage_tolerance_days: int = 30,
    overrun_tolerance: float = 0.05,
    drawdown_tolerance: float = 0.05,
) -> ProjectReview:
    """Review one project in construction and list the findings to act on.

    Certified progress is the milestones' weighted actual progress unless
    ``certified_progress`` (e.g. the technical adviser's certificate) is given.
    A slippage beyond twice its tolerance, and any drawdown ahead of progress, is
    an `Severity.ACTION` finding; the rest are `Severity.WATCH`.

    Raises:
        InvalidValueError: see `milestone_progress`, `cost_outlook` and
            `drawdown_check`; a tolerance is negative.

    Examples:
        >>> import datetime as dt
        >>> r = review_project(
        ...     as_of=dt.date(2026, 6, 30),
        ...     planned_on=[dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 9, 30)],
        ...     completed_on=[dt.date(2026, 2, 10), None, None], weights=[0.2, 0.5, 0.3],
        ...     budget=100.0, spent=60.0, estimate_to_complete=48.0,
        ...     drawn=45.0, committed_debt=70.0)
        >>> [(f.code, f.severity.value) for f in r.findings]
        [('drawdown_ahead_of_progress', 'action'), ('schedule_slippage', 'action'), ('cost_overrun', 'watch')]
        >>> print(r.findings[0].message)
        Debt drawn runs 44.3% of commitment ahead of certified progress (20.0%); hold further drawdowns until progress is certified.
    """
    days = slippage_tolerance_days
    if not (is_real_number(days) and float(days) >= 0 and float(days).is_integer()):
        raise InvalidValueError(
            field="slippage_tolerance_days",
            value=slippage_tolerance_days,
            expected="a whole number of days >= 0",
        )
    progress = milestone_progress(
        planned_on=planned_on, completed_on=completed_on, weights=weights, as_of=as_of
    )
    certified = (
        progress.actual_fraction if certified_progress is None else certified_progress
    )
    cost = cost_outlook(
        budget=budget,
        spent=spent,
        estimate_to_complete=estimate_to_complete,
        tolerance=overrun_tolerance,
    )
    drawdown = drawdown_check(
        drawn=drawn,
        certified_progress=certified,
        committed_debt=committed_debt,
        tolerance=drawdown_tolerance,
    )
    findings: list[Finding] = []
    if bool(drawdown.ahead[0]):
        excess = float(drawdown.excess_fraction[0])
        findings.append(
            Finding(
                code="drawdown_ahead_of_progress",
                severity=Severity.ACTION,
                value=excess,
                threshold=drawdown_tolerance,
                message=(
                    f"Debt drawn runs {excess:.1%} of commitment ahead of certified "
                    f"progress ({certified:.1%}); hold further drawdowns until "
                    "progress is certified."
                ),
            )
        )
    slip = progress.schedule_slippage_days
    if slip > slippage_tolerance_days:
        worst = int(np.argmax(progress.slippage_days))
        findings.append(
            Finding(
                code="schedule_slippage",
                severity=(
                    Severity.ACTION
                    if slip > 2 * slippage_tolerance_days
                    else Severity.WATCH
                ),
                value=float(slip),
                threshold=float(slippage_tolerance_days),
                message=(
                    f"Milestone {worst} is {slip} days late (tolerance "
                    f"{slippage_tolerance_days}); ask the sponsor for a recovery plan."
                ),
            )
        )
    if bool(cost.over_budget[0]):
        fraction = float(cost.overrun_fraction[0])
        findings.append(
            Finding(
                code="cost_overrun",
                severity=Severity.WATCH
                if fraction <= 2 * overrun_tolerance
                else Severity.ACTION,
                value=fraction,
                threshold=overrun_tolerance,
                message=(
                    f"Estimated cost at completion exceeds budget by {fraction:.1%}; "
                    "check contingency and sponsor support for the overrun."
                ),
            )
        )
    findings.sort(key=lambda f: f.severity != Severity.ACTION)
    return ProjectReview(
        progress=progress, cost=cost, drawdown=drawdown, findings=tuple(findings)
    )


def project_review(
    project: Project,
    *,
    as_of: dt.date,
    spent: float,
    estimate_to_complete: float,
    weights: npt.ArrayLike | None = None,
    slippage_tolerance_days: int = 30,
    overrun_tolerance: float = 0.05,
    drawdown_tolerance: float = 0.05,
) -> ProjectReview:
    """Review a `lendcrm.Project` (its milestones, drawdowns, cost and debt).

    Budget is ``project.total_cost``, committed debt ``project.debt``, debt drawn the
    sum of ``project.drawdowns`` dated on or before ``as_of``; certified progress is
    the (weighted) mean of the milestones' ``percent_complete``. Amounts cross from
    `Decimal` to float here (statistics, not accounting); ``spent`` and
    ``estimate_to_complete`` are in the project's currency.

    Raises:
        InvalidValueError: the project has no milestones, no debt, or any input of
            `review_project` is invalid.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Project
        >>> from lendcrm import Money
        >>> from lendcrm import (ClientId, Drawdown, Milestone, ProjectId,
        ...                             ProjectPhase, Sector, Sponsor)
        >>> eur = lambda text: Money.of(text, "EUR")
        >>> project = Project(
        ...     id=ProjectId("P-1"), name="Solar 7",
        ...     sponsors=(Sponsor(sponsor_id=ClientId("S-1"), equity_share=1.0),),
        ...     sector=Sector.ELECTRICITY_GAS_STEAM, country="ES",
        ...     total_cost=eur("120"), debt=eur("90"), equity=eur("30"),
        ...     phase=ProjectPhase.CONSTRUCTION,
        ...     milestones=(
        ...         Milestone(name="piling", planned_on=dt.date(2026, 6, 30),
        ...                   actual_on=dt.date(2026, 7, 10), percent_complete=100.0),
        ...         Milestone(name="modules", planned_on=dt.date(2026, 9, 30),
        ...                   percent_complete=20.0)),
        ...     drawdowns=(Drawdown(on=dt.date(2026, 4, 15), amount=eur("45")),))
        >>> review = project_review(project, as_of=dt.date(2026, 10, 15),
        ...                                spent=50.0, estimate_to_complete=72.0)
        >>> review.progress.schedule_slippage_days, float(review.drawdown.supported[0])
        (15, 54.0)
        >>> review.findings
        ()
    """
    require_instance(project, Project, name="project", what="a Project")
    check_as_of(as_of)
    milestones = project.milestones
    if not milestones:
        raise InvalidValueError(
            field="project.milestones", value=(), expected="at least one milestone"
        )
    w = (
        np.ones(len(milestones))
        if weights is None
        else as_float_array(weights, name="weights", lower=0)
    )
    percent = np.array([m.percent_complete for m in milestones], dtype=np.float64)
    check_same_length(milestones=percent, weights=w)
    total = float(w.sum())
    if total <= 0:
        raise InvalidValueError(
            field="weights", value=w.tolist(), expected="weights with a positive sum"
        )
    drawn = sum(
        (float(d.amount.amount) for d in project.drawdowns if d.on <= as_of), 0.0
    )
    return review_project(
        as_of=as_of,
        planned_on=[m.planned_on for m in milestones],
        completed_on=[m.actual_on for m in milestones],
        weights=w,
        budget=float(project.total_cost.amount),
        spent=spent,
        estimate_to_complete=estimate_to_complete,
        drawn=drawn,
        committed_debt=float(project.debt.amount),
        certified_progress=float((percent * w).sum() / total / 100.0),
        slippage_tolerance_days=slippage_tolerance_days,
        overrun_tolerance=overrun_tolerance,
        drawdown_tolerance=drawdown_tolerance,
    )
