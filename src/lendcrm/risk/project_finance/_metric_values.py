"""Covenant metric values on test dates, vectorised over (facility, covenant, date) rows.

Where each metric comes from (the one-facility form in `_facility_tests` reads the
same sources from the entities):

- **Statement metrics** (net debt / EBITDA, interest cover, debt to equity, current
  ratio, and DSCR of a facility without a project): the client's latest statement
  with ``period_end <= test date`` (`statement_metric_table`).
- **Loan to value**: drawn balance / collateral value. Drawn is the latest
  observation's on or before the test date where the facility has observations,
  else today's ``drawn``; each collateral item counts its latest valuation on or
  before the date where it has valuations, else today's ``value`` (market values,
  before haircuts).
- **Project DSCR, LLCR, PLCR** (a facility with a project): the project-finance
  functions `dscr`, `llcr` and `plcr` on the project's cash flows, read at the latest
  cash-flow period ending on or before the test date — the same period row as
  `covenant_test` reports: that period's DSCR (``+inf`` without debt service), and
  LLCR and PLCR as at its start. A date before the first period end or after the
  last debt period has no ratio.

A latest-record look-up is one `numpy.searchsorted` on the key ``owner × span + day``.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._enums import CovenantMetric
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._calendar import DayArray
from lendcrm.risk.project_finance._inputs import (
    CashFlowArrays,
    CollateralArrays,
    FacilityArrays,
    ObservationArrays,
    StatementArrays,
    missing_bit,
)
from lendcrm.risk.project_finance._periods import debt_run_length
from lendcrm.risk.project_finance._ratios import dscr, llcr, plcr
from lendcrm.risk.project_finance._statement_metrics import (
    STATEMENT_METRICS,
    statement_metric_table,
)

__all__ = ["METRIC_CODE", "MetricSources", "latest_on_or_before", "metric_values"]

#: Code of each metric: its position in ``tuple(CovenantMetric)``.
METRIC_CODE: Final = {m: i for i, m in enumerate(CovenantMetric)}
_TABLE_ROW: Final = np.array(
    [
        STATEMENT_METRICS.index(m) if m in STATEMENT_METRICS else -1
        for m in CovenantMetric
    ]
)
_PROJECT_METRICS: Final = (
    CovenantMetric.DSCR,
    CovenantMetric.LLCR,
    CovenantMetric.PLCR,
)


def latest_on_or_before(
    owner: IntArray, day: DayArray, query_owner: IntArray, query_day: DayArray
) -> IntArray:
    """Per query, the index of its owner's latest record on or before its day, or -1.

    ``owner``/``day`` must be sorted by owner, then day (one record per owner and day).

    Examples:
        >>> d = np.array(["2024-12-31", "2025-12-31", "2025-06-30"], "datetime64[D]")
        >>> latest_on_or_before(np.array([0, 0, 1]), d, np.array([0, 0, 1, 2]),
        ...     np.array(["2025-03-31", "2024-06-30", "2025-06-30", "2025-06-30"],
        ...              "datetime64[D]")).tolist()
        [0, -1, 2, -1]
    """
    if len(owner) == 0 or len(query_owner) == 0:
        return np.full(len(query_owner), -1, dtype=np.int64)
    days = day.astype(np.int64)
    query = query_day.astype(np.int64)
    low = min(int(days.min()), int(query.min()))
    span = max(int(days.max()), int(query.max())) - low + 1
    keys = owner * span + (days - low)
    found = np.searchsorted(keys, query_owner * span + (query - low), side="right") - 1
    ok = found >= 0
    ok[ok] = owner[found[ok]] == query_owner[ok]
    return np.where(ok, found, -1)


class MetricSources:
    """The inputs of `metric_values`, with the look-up tables built once."""

    def __init__(
        self,
        facilities: FacilityArrays,
        statements: StatementArrays | None,
        observations: ObservationArrays | None,
        collateral: CollateralArrays | None,
        cash_flows: CashFlowArrays | None,
    ) -> None:
        """Keep the inputs; empty histories count as none (cash flows aside)."""
        self.facilities = facilities
        self.statements = (
            statements if statements is not None and len(statements) else None
        )
        self.observations = (
            observations if observations is not None and len(observations) else None
        )
        self.collateral = (
            collateral if collateral is not None and len(collateral) else None
        )
        self.cash_flows = cash_flows  # kept when empty: it may carry debt rates
        #: Why a project's ratio could not be computed: (project, metric code) -> text.
        self.project_errors: dict[tuple[int, int], str] = {}


def metric_values(
    facility: IntArray, metric: IntArray, day: DayArray, sources: MetricSources
) -> tuple[FloatArray, IntArray]:
    """The metric of each test row and the bit mask of the inputs it lacks.

    Args:
        facility: Facility row per test.
        metric: Metric code per test (`METRIC_CODE`).
        day: Test date per test.
        sources: Facilities and their histories.

    Returns:
        ``(value, missing)``: the metric (NaN where missing) and the missing bits.
    """
    n = len(facility)
    value = np.full(n, np.nan)
    missing = np.zeros(n, dtype=np.int64)
    project = sources.facilities.project[facility]
    on_project = (project >= 0) & np.isin(
        metric, [METRIC_CODE[m] for m in _PROJECT_METRICS]
    )
    from_statement = (_TABLE_ROW[metric] >= 0) & ~on_project
    ltv = metric == METRIC_CODE[CovenantMetric.LOAN_TO_VALUE]
    no_project = ~on_project & np.isin(
        metric, [METRIC_CODE[CovenantMetric.LLCR], METRIC_CODE[CovenantMetric.PLCR]]
    )
    missing[no_project] = missing_bit("project")
    for rows, fill in (
        (np.flatnonzero(from_statement), _statement_values),
        (np.flatnonzero(ltv), _loan_to_value),
        (np.flatnonzero(on_project), _project_values),
    ):
        if len(rows):
            value[rows], missing[rows] = fill(
                facility[rows], metric[rows], day[rows], sources
            )
    return value, missing


def _statement_values(
    facility: IntArray, metric: IntArray, day: DayArray, sources: MetricSources
) -> tuple[FloatArray, IntArray]:
    statements = sources.statements
    if statements is None:
        return np.full(len(day), np.nan), np.full(
            len(day), missing_bit("statement"), dtype=np.int64
        )
    table, bits = statement_metric_table(statements.amounts)
    client = sources.facilities.client[facility]
    i = latest_on_or_before(statements.client, statements.period_end, client, day)
    row = _TABLE_ROW[metric]
    found = i >= 0
    at = np.where(found, i, 0)
    value = np.where(found, table[row, at], np.nan)
    missing = np.where(found, bits[row, at], missing_bit("statement"))
    return value, missing


def _drawn_at(
    facility: IntArray, day: DayArray, sources: MetricSources
) -> tuple[FloatArray, IntArray]:
    drawn = sources.facilities.drawn[facility]
    missing = np.zeros(len(day), dtype=np.int64)
    obs = sources.observations
    if obs is None:
        return drawn, missing
    observed = (
        np.bincount(obs.facility, minlength=len(sources.facilities))[facility] > 0
    )
    i = latest_on_or_before(obs.facility, obs.period_end, facility, day)
    drawn = np.where(observed & (i >= 0), obs.drawn[np.maximum(i, 0)], drawn)
    missing[observed & (i < 0)] = missing_bit("observation")
    return drawn, missing


def _loan_to_value(
    facility: IntArray, _metric: IntArray, day: DayArray, sources: MetricSources
) -> tuple[FloatArray, IntArray]:
    drawn, missing = _drawn_at(facility, day, sources)
    col = sources.collateral
    if col is None:
        return np.full(len(day), np.nan), missing | missing_bit("collateral")
    count = np.bincount(col.facility, minlength=len(sources.facilities))
    first = np.cumsum(count) - count
    items = count[facility]
    pair = np.repeat(np.arange(len(day)), items)
    item = np.repeat(first[facility], items) + (
        np.arange(len(pair)) - np.repeat(np.cumsum(items) - items, items)
    )
    item_value = col.value[item]
    lacking: BoolArray = np.zeros(len(day), dtype=bool)
    if len(col.valuation_collateral):
        valued = np.bincount(col.valuation_collateral, minlength=len(col))[item] > 0
        j = latest_on_or_before(
            col.valuation_collateral, col.valued_on, item, day[pair]
        )
        item_value = np.where(
            valued & (j >= 0), col.valuation_value[np.maximum(j, 0)], item_value
        )
        lacking = np.bincount(pair, weights=valued & (j < 0), minlength=len(day)) > 0
    total = np.bincount(pair, weights=item_value, minlength=len(day))
    missing |= np.where(items == 0, missing_bit("collateral"), 0)
    missing |= np.where(lacking, missing_bit("valuation"), 0)
    missing |= np.where(
        (items > 0) & ~lacking & (total == 0.0), missing_bit("collateral_value"), 0
    )
    ok = missing == 0
    value = np.full(len(day), np.nan)
    value[ok] = drawn[ok] / total[ok]
    return value, missing


def _project_ratios(
    cf: CashFlowArrays, needed: dict[int, BoolArray], sources: MetricSources
) -> tuple[dict[int, FloatArray], IntArray]:
    """Per cash-flow row, each needed project ratio (NaN where undefined)."""
    n_projects = len(next(iter(needed.values())))
    count = np.bincount(cf.project, minlength=n_projects)
    first = np.cumsum(count) - count
    flat = {code: np.full(len(cf), np.nan) for code in needed}
    n_debt = np.zeros(n_projects, dtype=np.int64)
    rates = np.full(n_projects, np.nan)
    rates[: min(len(cf.debt_rate), n_projects)] = cf.debt_rate[:n_projects]
    wanted = np.logical_or.reduce(list(needed.values())) & (count > 0)
    for p in np.flatnonzero(wanted).tolist():
        seg = slice(int(first[p]), int(first[p] + count[p]))
        cfads, service = cf.cfads[seg], cf.debt_service[seg]
        try:
            n_debt[p] = debt_run_length(
                (~np.isnan(service)).tolist(),
                field=f"cash_flows[project {p}]",
                value_at=service.item,
            )
        except InvalidValueError as exc:
            for code in needed:
                sources.project_errors[p, code] = str(exc)
            continue
        ds = service[: n_debt[p]]
        for code, is_needed in needed.items():
            if not is_needed[p] or (
                code != METRIC_CODE[CovenantMetric.DSCR] and np.isnan(rates[p])
            ):
                continue
            try:
                if code == METRIC_CODE[CovenantMetric.DSCR]:
                    ratio = dscr(cfads, ds, allow_zero_service=True)
                else:
                    fn = llcr if code == METRIC_CODE[CovenantMetric.LLCR] else plcr
                    ratio = fn(cfads, ds, debt_rate=float(rates[p]))
            except InvalidValueError as exc:
                sources.project_errors[p, code] = str(exc)
                continue
            flat[code][seg][: len(ratio)] = ratio
    return flat, np.stack([first, n_debt, np.isnan(rates).astype(np.int64)])


def _project_values(
    facility: IntArray, metric: IntArray, day: DayArray, sources: MetricSources
) -> tuple[FloatArray, IntArray]:
    cf = sources.cash_flows
    value = np.full(len(day), np.nan)
    is_dscr = metric == METRIC_CODE[CovenantMetric.DSCR]
    if cf is None:
        return value, np.where(
            is_dscr,
            missing_bit("cash_flows"),
            missing_bit("cash_flows") | missing_bit("debt_rate"),
        )
    project = sources.facilities.project[facility]
    n_projects = int(max(project.max(), cf.project.max(initial=-1))) + 1
    needed = {
        METRIC_CODE[m]: np.bincount(
            project[metric == METRIC_CODE[m]], minlength=n_projects
        )
        > 0
        for m in _PROJECT_METRICS
    }
    flat, (first, n_debt, no_rate) = _project_ratios(cf, needed, sources)
    i = latest_on_or_before(cf.project, cf.period_end, project, day)
    k = np.where(i >= 0, i - first[project] + 1, 0)  # periods ended by the test date
    valid = (k >= 1) & (k <= n_debt[project])
    at = np.where(valid, first[project] + k - 1, 0)
    for code, ratios in flat.items():
        rows = valid & (metric == code)
        value[rows] = ratios[at[rows]]
    missing = np.where(~is_dscr & (no_rate[project] == 1), missing_bit("debt_rate"), 0)
    missing |= np.where(
        ~valid | (np.isnan(value) & (missing == 0)), missing_bit("cash_flows"), 0
    )
    value[missing != 0] = np.nan
    return value, missing.astype(np.int64)
