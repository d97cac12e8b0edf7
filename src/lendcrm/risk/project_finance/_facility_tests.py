"""Covenant tests of one `Facility`: the entity form of `covenant_tests`.

It walks the facility's covenants and their test dates in plain Python and asks the
entities for every number — `FinancialStatement.metric`, the facility's observations
and collateral valuations, `project_dscr` / `project_llcr` / `project_plcr`, and
`Covenant.is_met` / `is_locked_up` / `is_in_default` for the status — so the tests can
hold the vectorised batch to it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from lendcrm._dates import check_as_of
from lendcrm._entities import Facility
from lendcrm._enums import CovenantMetric, CovenantOperator
from lendcrm._history import FinancialStatement
from lendcrm._project import Project
from lendcrm._validators import refuse_object, require_instance
from lendcrm._values import Covenant
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._calendar import facility_covenant_calendar
from lendcrm.risk.project_finance._compliance import (
    CovenantStatus,
    CovenantTests,
    MissingPolicy,
    missing_error,
    twelve_months_before,
)
from lendcrm.risk.project_finance._inputs import missing_bit
from lendcrm.risk.project_finance._project import (
    project_debt_service,
    project_dscr,
    project_llcr,
    project_plcr,
)
from lendcrm.risk.project_finance._statement_metrics import STATEMENT_METRIC_FIELDS

__all__ = ["facility_covenant_tests"]


def _check_statements(statements: object) -> None:
    if isinstance(statements, str | bytes) or not isinstance(statements, Sequence):
        refuse_object(
            statements, name="statements", what="a sequence of FinancialStatement"
        )
    for i, item in enumerate(statements):
        require_instance(
            item,
            FinancialStatement,
            name=f"statements[{i}]",
            what="a FinancialStatement",
        )


#: A metric on one date: its value (None when missing), what it lacks, why.
_Metric = tuple[float | None, tuple[str, ...], str]


def _statement_metric(
    statements: Sequence[FinancialStatement], metric: CovenantMetric, on: dt.date
) -> _Metric:
    ends = [s.period_end for s in statements]
    i = bisect.bisect_right(ends, on) - 1
    if i < 0:
        return None, ("statement",), ""
    st = statements[i]
    try:
        return st.metric(metric), (), ""
    except InvalidValueError:
        fields = STATEMENT_METRIC_FIELDS[metric]
        amounts = {f: getattr(st, f) for f in fields}
        if amounts.get("net_debt", 0) is None and None not in (st.total_debt, st.cash):
            amounts["net_debt"] = 0  # derived as total_debt - cash: given
        lacks = [f for f in fields if amounts[f] is None]
        denominator = amounts[fields[-1]]
        if denominator is not None and denominator.amount == 0:
            lacks.append(fields[-1])
        return None, tuple(sorted(set(lacks), key=missing_bit)), ""


def _loan_to_value(facility: Facility, on: dt.date) -> _Metric:
    lacks: list[str] = []
    drawn = float(facility.drawn.amount)
    if facility.observations:
        ends = [o.period_end for o in facility.observations]
        i = bisect.bisect_right(ends, on) - 1
        if i < 0:
            lacks.append("observation")
        else:
            drawn = float(facility.observations[i].drawn.amount)
    if not facility.collateral:
        return None, (*lacks, "collateral"), ""
    total = 0.0
    lacking = False
    for item in facility.collateral:
        if not item.valuations:
            total += float(item.value.amount)
            continue
        j = bisect.bisect_right([v.valued_on for v in item.valuations], on) - 1
        lacking |= j < 0
        total += float(item.valuations[j].value.amount) if j >= 0 else 0.0
    if lacking:
        lacks.append("valuation")
    elif total == 0.0:
        lacks.append("collateral_value")
    return (None if lacks else drawn / total), tuple(lacks), ""


def _project_metric(
    project: Project | None, metric: CovenantMetric, on: dt.date, rate: float | None
) -> _Metric:
    no_rate = (
        ("debt_rate",) if metric is not CovenantMetric.DSCR and rate is None else ()
    )
    if project is None or not project.cash_flows:
        return None, ("cash_flows", *no_rate), ""
    try:
        n_debt = len(project_debt_service(project))
    except InvalidValueError as exc:
        return None, ("cash_flows", *no_rate), str(exc)
    k = bisect.bisect_right([c.period_end for c in project.cash_flows], on)
    at = k - 1  # the latest period ended by the test date
    if not 0 <= at < n_debt:
        return None, ("cash_flows", *no_rate), ""
    if rate is None and metric is not CovenantMetric.DSCR:
        return None, no_rate, ""
    try:
        if rate is None or metric is CovenantMetric.DSCR:
            ratios = project_dscr(project, allow_zero_service=True)
        elif metric is CovenantMetric.LLCR:
            ratios = project_llcr(project, debt_rate=rate)
        else:
            ratios = project_plcr(project, debt_rate=rate)
    except InvalidValueError as exc:
        return None, ("cash_flows",), str(exc)
    return float(ratios[at]), (), ""


def _metric_on(
    facility: Facility,
    metric: CovenantMetric,
    on: dt.date,
    *,
    statements: Sequence[FinancialStatement],
    project: Project | None,
    rate: float | None,
) -> _Metric:
    project_metrics = (CovenantMetric.DSCR, CovenantMetric.LLCR, CovenantMetric.PLCR)
    if facility.project_id is not None and metric in project_metrics:
        return _project_metric(project, metric, on, rate)
    if metric in (CovenantMetric.LLCR, CovenantMetric.PLCR):
        return None, ("project",), ""
    if metric is CovenantMetric.LOAN_TO_VALUE:
        return _loan_to_value(facility, on)
    return _statement_metric(statements, metric, on)


def _status(covenant: Covenant, value: float | None) -> CovenantStatus:
    if value is None:
        return CovenantStatus.MISSING
    if covenant.is_in_default(value):
        return CovenantStatus.IN_DEFAULT
    if covenant.is_locked_up(value):
        return CovenantStatus.LOCKED_UP
    return (
        CovenantStatus.MET if covenant.is_met(value) else CovenantStatus.BELOW_THRESHOLD
    )


def _check_inputs(
    facility: Facility, project: Project | None, missing: MissingPolicy
) -> None:
    if missing not in ("raise", "nan"):
        raise InvalidValueError(
            field="missing", value=missing, expected="'raise' or 'nan'"
        )
    if project is not None and project.id != facility.project_id:
        raise InvalidValueError(
            field="project.id",
            value=project.id,
            expected=f"the facility's project_id ({facility.project_id!r})",
        )


def facility_covenant_tests(
    facility: Facility,
    statements: Sequence[FinancialStatement] = (),
    *,
    as_of: dt.date,
    project: Project | None = None,
    debt_rate: float | None = None,
    missing: MissingPolicy = "raise",
) -> CovenantTests:
    """Test every covenant of one `Facility` on every test date up to ``as_of``.

    The one-facility form of `covenant_tests`, with the same sources, rules and
    result (its ``facility`` column is 0, its ``covenant`` the position in
    ``facility.covenants``).

    Args:
        facility: The facility; its covenants, observations and collateral are read.
        statements: The borrower's financial statements, oldest first
            (``client.statements``).
        as_of: Business date: the last date a test may fall on.
        project: The financed project, for DSCR, LLCR and PLCR of a
            project-finance facility.
        debt_rate: The project debt's interest rate per cash-flow period (LLCR,
            PLCR).
        missing: ``"raise"`` or ``"nan"``, as in `covenant_tests`.

    Returns:
        A `CovenantTests` for one facility.

    Raises:
        InvalidValueError: ``project`` is not the facility's project; an invalid
            ``as_of`` or ``missing``; with ``missing="raise"``, a metric that cannot
            be computed (names facility, covenant, date and the inputs it lacks).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Covenant, CovenantMetric, CovenantOperator,
        ...     Facility, FacilityId, FacilityKind, FacilityStatus, FinancialStatement,
        ...     Money, Pricing, Seniority, TestFrequency)
        >>> eur = lambda x: Money.of(x, "EUR")
        >>> cov = Covenant(metric=CovenantMetric.NET_DEBT_TO_EBITDA,
        ...     operator=CovenantOperator.AT_MOST, threshold=3.0, lock_up_level=3.5,
        ...     test_frequency=TestFrequency.ANNUAL)
        >>> facility = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR", limit=eur("10"),
        ...     drawn=eur("8"), start_on=dt.date(2023, 1, 15),
        ...     maturity_on=dt.date(2030, 1, 15), seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=200,
        ...                     arrangement_fee=eur("0")),
        ...     status=FacilityStatus.ACTIVE, covenants=(cov,))
        >>> statements = [FinancialStatement(period_end=dt.date(y, 12, 31),
        ...     currency="EUR", ebitda=eur("50"), total_debt=eur(debt), cash=eur("10"))
        ...     for y, debt in ((2023, "160"), (2024, "190"), (2025, "140"))]
        >>> t = facility_covenant_tests(facility, statements, as_of=dt.date(2025, 12, 31))
        >>> t.value.tolist(), [s.value for s in t.statuses()]
        ([3.0, 3.6, 2.6], ['met', 'locked_up', 'met'])
        >>> t.cure.tolist(), t.headroom.round(2).tolist()
        ([False, False, True], [0.0, -0.6, 0.4])
    """
    require_instance(facility, Facility, name="facility", what="a Facility")
    as_of = check_as_of(as_of)
    _check_statements(statements)
    _check_inputs(facility, project, missing)
    rows: list[tuple[int, dt.date, float | None, tuple[str, ...], str]] = []
    for j, cov in enumerate(facility.covenants):
        for on in facility_covenant_calendar(facility, cov, as_of=as_of):
            value, lacks, why = _metric_on(
                facility,
                cov.metric,
                on,
                statements=statements,
                project=project,
                rate=debt_rate,
            )
            rows.append((j, on, value, lacks, why))
    lacking = [r for r in rows if r[3]]
    if missing == "raise" and lacking:
        j, on, _, lacks, why = lacking[0]
        raise missing_error(
            facility=repr(str(facility.id)),
            position=j,
            metric=facility.covenants[j].metric.value,
            on=on.isoformat(),
            names=lacks,
            count=len(lacking),
            total=len(rows),
            detail=why,
        )
    return _collect(facility, rows, as_of)


def _collect(
    facility: Facility,
    rows: Sequence[tuple[int, dt.date, float | None, tuple[str, ...], str]],
    as_of: dt.date,
) -> CovenantTests:
    statuses, headroom, share = [], [], []
    for j, _, value, _, _ in rows:
        cov = facility.covenants[j]
        statuses.append(_status(cov, value))
        v = math.nan if value is None else value
        gap = (
            v - cov.threshold
            if cov.operator is CovenantOperator.AT_LEAST
            else cov.threshold - v
        )
        headroom.append(gap)
        share.append(gap / abs(cov.threshold) if cov.threshold != 0 else math.nan)
    breach = [s not in (CovenantStatus.MET, CovenantStatus.MISSING) for s in statuses]
    cure = [
        i > 0
        and rows[i - 1][0] == rows[i][0]
        and breach[i - 1]
        and s is CovenantStatus.MET
        for i, s in enumerate(statuses)
    ]
    cutoff = twelve_months_before(as_of)
    latest: dict[int, float] = {}
    for i, (j, _, value, _, _) in enumerate(rows):
        if value is not None:
            latest[j] = share[i]
    members = tuple(CovenantStatus)
    return CovenantTests(
        covenant=np.array([r[0] for r in rows], dtype=np.int64),
        facility=np.zeros(len(rows), dtype=np.int64),
        test_date=np.array([r[1] for r in rows], dtype="datetime64[D]"),
        value=np.array([math.nan if r[2] is None else r[2] for r in rows], dtype=float),
        headroom=np.array(headroom, dtype=float),
        headroom_share=np.array(share, dtype=float),
        status=np.array([members.index(s) for s in statuses], dtype=np.int8),
        breach=np.array(breach, dtype=bool),
        cure=np.array(cure, dtype=bool),
        missing=np.array(
            [sum(missing_bit(n) for n in r[3]) for r in rows], dtype=np.int64
        ),
        facility_breaches_12m=np.array(
            [sum(b and r[1] > cutoff for b, r in zip(breach, rows, strict=True))],
            dtype=np.int64,
        ),
        facility_latest_headroom_share=np.array(
            [min(latest.values()) if latest else math.nan]
        ),
    )
