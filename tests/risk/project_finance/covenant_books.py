"""Small books for the covenant-compliance tests: entities, their arrays, strategies.

`CovenantBook` holds the entities (clients' statements, projects with a debt rate,
facilities); `to_arrays` turns it into the `*Arrays` inputs of `covenant_tests`, so
a test can hold the batch to `facility_covenant_tests` facility by facility.
Amounts in the strategies are whole units, so float arithmetic on them is exact and
the two forms can be compared with ``==``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
from hypothesis import strategies as st

from lendcrm import (
    CashFlow,
    Collateral,
    CollateralKind,
    CollateralValuation,
    CovenantMetric,
    CovenantOperator,
    Facility,
    FacilityObservation,
    FinancialStatement,
    Money,
    Project,
    ProjectId,
)
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.risk.project_finance import (
    CashFlowArrays,
    CollateralArrays,
    CovenantArrays,
    CovenantTests,
    FacilityArrays,
    ObservationArrays,
    StatementArrays,
)
from tests import factories
from tests.strategies import covenants


def eur(amount: int | str | Decimal) -> Money:
    return Money(Decimal(amount), "EUR")


@attrs.frozen
class CovenantBook:
    statements: tuple[tuple[FinancialStatement, ...], ...]  # per client code
    projects: tuple[tuple[Project, float | None], ...]  # per project code
    facilities: tuple[Facility, ...]  # client_id "C<code>", project_id "P<code>"

    def client_of(self, f: Facility) -> int:
        return int(f.client_id[1:])

    def project_of(self, f: Facility) -> int:
        return -1 if f.project_id is None else int(f.project_id[1:])


def _amount(money: Money | None) -> float:
    return np.nan if money is None else float(money.amount)


def _statement_arrays(book: CovenantBook) -> StatementArrays:
    rows = [(c, s) for c, sts in enumerate(book.statements) for s in sts]
    return StatementArrays(
        client=[c for c, _ in rows],
        period_end=np.array([s.period_end for _, s in rows], "datetime64[D]"),
        amounts=np.array(
            [[_amount(getattr(s, a)) for a in STATEMENT_AMOUNTS] for _, s in rows]
        ).reshape(len(rows), len(STATEMENT_AMOUNTS)),
    )


def _collateral_arrays(book: CovenantBook) -> CollateralArrays:
    items = [(i, c) for i, f in enumerate(book.facilities) for c in f.collateral]
    vals = [(k, v) for k, (_, c) in enumerate(items) for v in c.valuations]
    return CollateralArrays(
        facility=[i for i, _ in items],
        value=[_amount(c.value) for _, c in items],
        valuation_collateral=[k for k, _ in vals],
        valued_on=np.array([v.valued_on for _, v in vals], "datetime64[D]"),
        valuation_value=[_amount(v.value) for _, v in vals],
    )


def to_arrays(book: CovenantBook) -> dict[str, Any]:
    """The keyword arguments of `covenant_tests` (without ``as_of``)."""
    fs = book.facilities
    covs = [(i, c) for i, f in enumerate(fs) for c in f.covenants]
    obs = [(i, o) for i, f in enumerate(fs) for o in f.observations]
    flows = [(p, c) for p, (pr, _) in enumerate(book.projects) for c in pr.cash_flows]
    return {
        "facilities": FacilityArrays(
            start_on=np.array([f.start_on for f in fs], "datetime64[D]"),
            maturity_on=np.array([f.maturity_on for f in fs], "datetime64[D]"),
            client=[book.client_of(f) for f in fs],
            project=[book.project_of(f) for f in fs],
            drawn=[_amount(f.drawn) for f in fs],
            ids=np.array([f.id for f in fs], dtype=object),
        ),
        "covenants": CovenantArrays(
            facility=[i for i, _ in covs],
            metric=[tuple(CovenantMetric).index(c.metric) for _, c in covs],
            operator=[tuple(CovenantOperator).index(c.operator) for _, c in covs],
            threshold=[c.threshold for _, c in covs],
            lock_up_level=[
                np.nan if c.lock_up_level is None else c.lock_up_level for _, c in covs
            ],
            default_level=[
                np.nan if c.default_level is None else c.default_level for _, c in covs
            ],
            frequency_months=[c.test_frequency.months for _, c in covs],
        ),
        "statements": _statement_arrays(book),
        "observations": ObservationArrays(
            facility=[i for i, _ in obs],
            period_end=np.array([o.period_end for _, o in obs], "datetime64[D]"),
            drawn=[_amount(o.drawn) for _, o in obs],
        ),
        "collateral": _collateral_arrays(book),
        "cash_flows": CashFlowArrays(
            project=[p for p, _ in flows],
            period_end=np.array([c.period_end for _, c in flows], "datetime64[D]"),
            cfads=[_amount(c.cfads) for _, c in flows],
            debt_service=[_amount(c.debt_service) for _, c in flows],
            debt_rate=[np.nan if r is None else r for _, r in book.projects],
        ),
    }


def rows_of(tests: CovenantTests, facility: int, first_covenant: int) -> dict[str, Any]:
    """The batch rows of one facility, numbered as `facility_covenant_tests` does."""
    rows = tests.facility == facility
    return {
        "covenant": tests.covenant[rows] - first_covenant,
        "test_date": tests.test_date[rows],
        "value": tests.value[rows],
        "headroom": tests.headroom[rows],
        "headroom_share": tests.headroom_share[rows],
        "status": tests.status[rows],
        "breach": tests.breach[rows],
        "cure": tests.cure[rows],
        "missing": tests.missing[rows],
        "facility_breaches_12m": tests.facility_breaches_12m[[facility]],
        "facility_latest_headroom_share": tests.facility_latest_headroom_share[
            [facility]
        ],
    }


# --- strategies: whole-unit amounts, dates around 2019-2027 --------------------------
def _month_ends(first: int, last: int, step: int) -> list[dt.date]:
    out = []
    for m in range(first * 12, last * 12, step):
        y, mo = divmod(m, 12)
        nxt = dt.date(y + (mo == 11), 1 if mo == 11 else mo + 2, 1)
        out.append(nxt - dt.timedelta(days=1))
    return out


QUARTER_ENDS = _month_ends(2018, 2027, 3)
MONTH_ENDS = _month_ends(2018, 2027, 1)
# mostly small amounts, so ratios land near the covenant levels (0.5-10)
units = st.integers(1, 100) | st.integers(0, 10**6)
signed_units = st.integers(-20, 100) | st.integers(-(10**6), 10**6)


def _opt(draw: st.DrawFn, amounts: st.SearchStrategy[int]) -> Money | None:
    """An amount; one in ten not given, one in twenty zero."""
    roll = draw(st.integers(0, 19))
    return None if roll < 2 else eur(0) if roll == 2 else eur(draw(amounts))


@st.composite
def statements(draw: st.DrawFn, on: dt.date) -> FinancialStatement:
    signed = {"ebitda", "ebit", "net_debt", "equity", "operating_cash_flow"}
    fields: dict[str, Any] = {
        name: _opt(draw, signed_units if name in signed else units)
        for name in STATEMENT_AMOUNTS
        if name != "total_assets"
    }
    if fields["total_liabilities"] is not None and fields["equity"] is not None:
        total = fields["total_liabilities"].amount + fields["equity"].amount
        fields["total_assets"] = (
            eur(total) if total >= 0 and draw(st.booleans()) else None
        )
    return FinancialStatement(period_end=on, currency="EUR", **fields)


@st.composite
def projects(draw: st.DrawFn, code: int) -> tuple[Project, float | None]:
    ends = sorted(set(draw(st.lists(st.sampled_from(QUARTER_ENDS), max_size=10))))
    run = len(ends) - draw(st.integers(0, 2))
    gap = draw(st.integers(0, 9)) == 0  # now and then a debt service after a gap
    flows = tuple(
        CashFlow(
            period_end=end,
            cfads=eur(draw(signed_units)),
            debt_service=draw(units.map(eur))
            if i < run or (gap and i == len(ends) - 1)
            else None,
        )
        for i, end in enumerate(ends)
    )
    rate = draw(st.sampled_from([None, 0.0, 0.025, 0.05, 0.1]))
    return factories.project(f"P{code}", cash_flows=flows), rate


@st.composite
def facilities(draw: st.DrawFn, fid: str, n_clients: int, n_projects: int) -> Facility:
    start = draw(st.dates(dt.date(2019, 1, 1), dt.date(2025, 6, 30)))
    obs_ends = sorted(set(draw(st.lists(st.sampled_from(MONTH_ENDS), max_size=5))))
    items = []
    for _ in range(draw(st.integers(0, 2))):
        dates = sorted(set(draw(st.lists(st.sampled_from(MONTH_ENDS), max_size=3))))
        items.append(
            Collateral(
                kind=CollateralKind.REAL_ESTATE,
                value=draw(units.map(eur)),
                valuations=tuple(
                    CollateralValuation(valued_on=d, value=draw(units.map(eur)))
                    for d in dates
                ),
            )
        )
    project = draw(st.integers(-1, n_projects - 1)) if n_projects else -1
    return factories.facility(
        fid,
        f"C{draw(st.integers(0, n_clients - 1))}",
        project_id=None if project < 0 else ProjectId(f"P{project}"),
        start_on=start,
        maturity_on=start + dt.timedelta(days=draw(st.integers(30, 3000))),
        drawn=eur(draw(st.integers(0, 10_000_000))),
        covenants=tuple(draw(st.lists(covenants(), min_size=1, max_size=3))),
        observations=tuple(
            FacilityObservation(
                period_end=d, drawn=draw(units.map(eur)), limit=eur(10**7)
            )
            for d in obs_ends
        ),
        collateral=tuple(items),
    )


@st.composite
def covenant_books(draw: st.DrawFn) -> CovenantBook:
    n_clients = draw(st.integers(1, 3))
    n_projects = draw(st.integers(0, 2))
    return CovenantBook(
        statements=tuple(
            tuple(
                draw(statements(on))
                for on in sorted(
                    set(draw(st.lists(st.sampled_from(QUARTER_ENDS), max_size=10)))
                )
            )
            for _ in range(n_clients)
        ),
        projects=tuple(draw(projects(p)) for p in range(n_projects)),
        facilities=tuple(
            draw(facilities(f"F{i}", n_clients, n_projects))
            for i in range(draw(st.integers(1, 4)))
        ),
    )


def _dates(values: list[dt.date]) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]").astype("datetime64[ns]")


def to_frames(book: CovenantBook, *, seed: int = 0) -> dict[str, Any]:
    """The frames of `covenant_compliance` (history rows shuffled), as HISTORY_SCHEMA."""
    rng = np.random.default_rng(seed)
    fs = book.facilities

    def shuffled(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.iloc[rng.permutation(len(frame))]

    sts = [(f"C{c}", s) for c, group in enumerate(book.statements) for s in group]
    obs = [(f.id, o) for f in fs for o in f.observations]
    items = [(f.id, k, c) for f in fs for k, c in enumerate(f.collateral)]
    flows = [(pr.id, c) for pr, _ in book.projects for c in pr.cash_flows]
    return {
        "facilities": pd.DataFrame(
            {
                "facility_id": [f.id for f in fs],
                "client_id": [f.client_id for f in fs],
                "project_id": pd.array([f.project_id for f in fs], dtype="str"),
                "drawn": [_amount(f.drawn) for f in fs],
                "start_on": _dates([f.start_on for f in fs]),
                "maturity_on": _dates([f.maturity_on for f in fs]),
            },
            index=[f"row-{i}" for i in range(len(fs))],
        ),
        "covenants": pd.DataFrame(
            {
                "facility_id": [f.id for f in fs for _ in f.covenants],
                "metric": [c.metric.value for f in fs for c in f.covenants],
                "operator": [c.operator.value for f in fs for c in f.covenants],
                "threshold": [c.threshold for f in fs for c in f.covenants],
                "lock_up_level": [
                    np.nan if c.lock_up_level is None else c.lock_up_level
                    for f in fs
                    for c in f.covenants
                ],
                "default_level": [
                    np.nan if c.default_level is None else c.default_level
                    for f in fs
                    for c in f.covenants
                ],
                "test_frequency": [
                    c.test_frequency.value for f in fs for c in f.covenants
                ],
            }
        ),
        "statements": shuffled(
            pd.DataFrame(
                {
                    "client_id": pd.Series([c for c, _ in sts], dtype="str"),
                    "period_end": _dates([s.period_end for _, s in sts]),
                    **{
                        a: pd.Series(
                            [_amount(getattr(s, a)) for _, s in sts], dtype=float
                        )
                        for a in STATEMENT_AMOUNTS
                    },
                }
            )
        ),
        "observations": shuffled(
            pd.DataFrame(
                {
                    "facility_id": pd.Series([i for i, _ in obs], dtype="str"),
                    "period_end": _dates([o.period_end for _, o in obs]),
                    "drawn": pd.Series([_amount(o.drawn) for _, o in obs], dtype=float),
                }
            )
        ),
        "collateral": pd.DataFrame(
            {
                "facility_id": pd.Series([i for i, _, _ in items], dtype="str"),
                "value": pd.Series(
                    [_amount(c.value) for _, _, c in items], dtype=float
                ),
            }
        ),
        "valuations": shuffled(
            pd.DataFrame(
                {
                    "facility_id": pd.Series(
                        [i for i, _, c in items for _ in c.valuations], dtype="str"
                    ),
                    "collateral_index": pd.Series(
                        [k for _, k, c in items for _ in c.valuations], dtype="int64"
                    ),
                    "valued_on": _dates(
                        [v.valued_on for _, _, c in items for v in c.valuations]
                    ),
                    "collateral_value": pd.Series(
                        [_amount(v.value) for _, _, c in items for v in c.valuations],
                        dtype=float,
                    ),
                }
            )
        ),
        "cash_flows": shuffled(
            pd.DataFrame(
                {
                    "project_id": pd.Series([p for p, _ in flows], dtype="str"),
                    "period_end": _dates([c.period_end for _, c in flows]),
                    "cfads": pd.Series(
                        [_amount(c.cfads) for _, c in flows], dtype=float
                    ),
                    "debt_service": pd.Series(
                        [_amount(c.debt_service) for _, c in flows], dtype=float
                    ),
                }
            )
        ),
        "debt_rate": {pr.id: r for pr, r in book.projects if r is not None},
    }
