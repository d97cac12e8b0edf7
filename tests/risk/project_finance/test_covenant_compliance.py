"""Covenant compliance on hand-built facilities: every metric, headroom, status, cure.

Every expected number below is worked out by hand in the comments (ratios of small
whole amounts), then checked on the one-facility form and on the batch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm import (
    ClientId,
    Collateral,
    CollateralKind,
    CollateralValuation,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    FacilityObservation,
    FinancialStatement,
    ProjectId,
    TestFrequency,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance import (
    METRIC_INPUTS,
    CovenantStatus,
    covenant_tests,
    facility_covenant_tests,
    missing_input_names,
)
from lendcrm.synthetic import example_project
from tests import factories
from tests.risk.project_finance.covenant_books import (
    CovenantBook,
    eur,
    rows_of,
    to_arrays,
)

AT_LEAST, AT_MOST = CovenantOperator.AT_LEAST, CovenantOperator.AT_MOST
ANNUAL, SEMI, QUARTERLY = (
    TestFrequency.ANNUAL,
    TestFrequency.SEMI_ANNUAL,
    TestFrequency.QUARTERLY,
)
M = CovenantMetric


def cov(metric, op, threshold, lock=None, default=None, *, freq=ANNUAL) -> Covenant:
    return Covenant(
        metric=metric,
        operator=op,
        threshold=threshold,
        lock_up_level=lock,
        default_level=default,
        test_frequency=freq,
    )


def statement(on: str, **amounts: int) -> FinancialStatement:
    fields: dict[str, Any] = {k: eur(v) for k, v in amounts.items()}
    return FinancialStatement(
        period_end=dt.date.fromisoformat(on), currency="EUR", **fields
    )


# 2023: ND/EBITDA 150/50 = 3.0, IC 50/10 = 5.0, D/E 160/80 = 2.0, CR 30/20 = 1.5,
#       DSCR (40-10)/25 = 1.2
# 2024: ND/EBITDA 180/40 = 4.5, IC 40/16 = 2.5, D/E 190/76 = 2.5, CR 18/20 = 0.9,
#       DSCR (30-10)/25 = 0.8
# H1 2025 (net debt stated, 140): ND/EBITDA 140/50 = 2.8, IC 5.0, D/E 150/100 = 1.5,
#       CR 25/20 = 1.25, DSCR (45-10)/25 = 1.4
STATEMENTS = (
    statement(
        "2023-12-31",
        ebitda=50,
        interest_expense=10,
        total_debt=160,
        cash=10,
        equity=80,
        current_assets=30,
        current_liabilities=20,
        operating_cash_flow=40,
        capex=10,
        debt_service=25,
    ),
    statement(
        "2024-12-31",
        ebitda=40,
        interest_expense=16,
        total_debt=190,
        cash=10,
        equity=76,
        current_assets=18,
        current_liabilities=20,
        operating_cash_flow=30,
        capex=10,
        debt_service=25,
    ),
    statement(
        "2025-06-30",
        ebitda=50,
        interest_expense=10,
        total_debt=150,
        cash=5,
        net_debt=140,
        equity=100,
        current_assets=25,
        current_liabilities=20,
        operating_cash_flow=45,
        capex=10,
        debt_service=25,
    ),
)
CORPORATE = factories.facility(
    start_on=dt.date(2023, 1, 15),
    covenants=(
        cov(M.NET_DEBT_TO_EBITDA, AT_MOST, 3.5, 4.0, 5.0),
        cov(M.INTEREST_COVER, AT_LEAST, 3.0, 2.5, 2.0),
        cov(M.DEBT_TO_EQUITY, AT_MOST, 2.0, freq=SEMI),
        cov(M.CURRENT_RATIO, AT_LEAST, 1.0, default=1.0),
        cov(M.DSCR, AT_LEAST, 1.1, 1.0, 0.9),
    ),
)
MET, BELOW, LOCKED, DEFAULT, MISSING = (
    tuple(CovenantStatus).index(s) for s in CovenantStatus
)


def _batch_equals_entity(facility, statements, as_of, project=None, rate=None):
    one = facility_covenant_tests(
        facility,
        statements,
        as_of=as_of,
        project=project,
        debt_rate=rate,
        missing="nan",
    )
    book = CovenantBook(
        statements=(tuple(statements),),
        projects=() if project is None else ((project, rate),),
        facilities=(
            attrs.evolve(
                facility,
                client_id=ClientId("C0"),
                project_id=None if facility.project_id is None else ProjectId("P0"),
            ),
        ),
    )
    batch = covenant_tests(**to_arrays(book), as_of=as_of, missing="nan")
    for name, got in rows_of(batch, 0, 0).items():
        np.testing.assert_array_equal(got, getattr(one, name), err_msg=name)
    return one


def test_corporate_covenants_by_hand():
    t = _batch_equals_entity(CORPORATE, STATEMENTS, dt.date(2025, 12, 31))
    by_cov = [t.covenant == j for j in range(5)]
    # annual covenants: 2023-12-31, 2024-12-31, 2025-12-31 (reads the H1 2025 statement)
    assert t.value[by_cov[0]].tolist() == [3.0, 4.5, 2.8]
    assert t.status[by_cov[0]].tolist() == [MET, LOCKED, MET]
    assert t.headroom[by_cov[0]] == pytest.approx([0.5, -1.0, 0.7])  # cap: 3.5 - value
    assert t.headroom_share[by_cov[0]] == pytest.approx([0.5 / 3.5, -1 / 3.5, 0.2])
    assert t.cure[by_cov[0]].tolist() == [False, False, True]
    # interest cover 2.5 sits exactly on the lock-up level: not locked up, not met
    assert t.value[by_cov[1]].tolist() == [5.0, 2.5, 5.0]
    assert t.status[by_cov[1]].tolist() == [MET, BELOW, MET]
    assert t.headroom[by_cov[1]].tolist() == [2.0, -0.5, 2.0]  # floor: value - 3.0
    # semi-annual gearing: no statement by 2023-06-30; 2.0 exactly at the cap is met
    assert t.test_date[by_cov[2]].astype(str).tolist() == [
        "2023-06-30",
        "2023-12-31",
        "2024-06-30",
        "2024-12-31",
        "2025-06-30",
        "2025-12-31",
    ]
    np.testing.assert_array_equal(t.value[by_cov[2]], [np.nan, 2.0, 2.0, 2.5, 1.5, 1.5])
    assert t.status[by_cov[2]].tolist() == [MISSING, MET, MET, BELOW, MET, MET]
    assert t.breach[by_cov[2]].tolist() == [False, False, False, True, False, False]
    assert t.cure[by_cov[2]].tolist() == [False, False, False, False, True, False]
    assert missing_input_names(t.missing[by_cov[2]][0]) == ("statement",)
    # current ratio 0.9 is below the default level 1.0
    assert t.status[by_cov[3]].tolist() == [MET, DEFAULT, MET]
    # corporate DSCR (operating cash flow - capex) / debt service
    assert t.value[by_cov[4]].tolist() == [1.2, 0.8, 1.4]
    assert t.status[by_cov[4]].tolist() == [MET, DEFAULT, MET]
    # nothing breached after 2024-12-31; the tightest latest headroom is 2.8 vs 3.5
    assert t.facility_breaches_12m.tolist() == [0]
    assert t.facility_latest_headroom_share == pytest.approx([0.2])


def test_twelve_month_window_excludes_the_same_day_a_year_earlier():
    # as_of 2025-12-30: the window is (2024-12-30, 2025-12-30], which holds the five
    # breaches of 2024-12-31 (one per covenant)
    t = _batch_equals_entity(CORPORATE, STATEMENTS, dt.date(2025, 12, 30))
    assert t.facility_breaches_12m.tolist() == [5]
    t = _batch_equals_entity(CORPORATE, STATEMENTS, dt.date(2025, 12, 31))
    assert t.facility_breaches_12m.tolist() == [0]


def test_loan_to_value_by_hand():
    # Observations: drawn 12 on 2024-03-31, 9 on 2024-06-30, 6 on 2024-12-31.
    # Collateral A valued 10 on 2024-03-31 and 15 on 2024-09-30; B has no valuations
    # and counts its value 3. Quarter ends: 12/13, 9/13, 9/18, 6/18, 6/18.
    facility = factories.facility(
        start_on=dt.date(2024, 1, 15),
        observations=tuple(
            FacilityObservation(
                period_end=dt.date.fromisoformat(d), drawn=eur(v), limit=eur(20)
            )
            for d, v in (("2024-03-31", 12), ("2024-06-30", 9), ("2024-12-31", 6))
        ),
        collateral=(
            Collateral(
                kind=CollateralKind.REAL_ESTATE,
                value=eur(12),
                valuations=(
                    CollateralValuation(valued_on=dt.date(2024, 3, 31), value=eur(10)),
                    CollateralValuation(valued_on=dt.date(2024, 9, 30), value=eur(15)),
                ),
            ),
            Collateral(kind=CollateralKind.CASH, value=eur(3)),
        ),
        covenants=(cov(M.LOAN_TO_VALUE, AT_MOST, 0.75, 0.85, 1.0, freq=QUARTERLY),),
    )
    t = _batch_equals_entity(facility, (), dt.date(2025, 3, 31))
    assert t.value.tolist() == [12 / 13, 9 / 13, 9 / 18, 6 / 18, 6 / 18]
    assert t.status.tolist() == [LOCKED, MET, MET, MET, MET]
    assert t.cure.tolist() == [False, True, False, False, False]
    assert t.headroom[0] == pytest.approx(0.75 - 12 / 13)


def test_project_finance_ratios_by_hand():
    # example_project: CFADS 130, 143, 156, 110 and debt service 100, 110, 120 at
    # the year ends 2027-2030: DSCR 1.30 each year, LLCR 1.30 at 10 % a period,
    # PLCR 1.5762, 1.7149, 2.1333 (docs/explanation/project-finance-ratios.md).
    facility = factories.facility(
        project_id=ProjectId("P-1"),
        start_on=dt.date(2026, 6, 30),
        maturity_on=dt.date(2029, 12, 31),
        covenants=(
            cov(M.DSCR, AT_LEAST, 1.35, 1.30, 1.10),
            cov(M.LLCR, AT_LEAST, 1.2),
            cov(M.PLCR, AT_LEAST, 1.6),
        ),
    )
    t = facility_covenant_tests(
        facility,
        as_of=dt.date(2030, 6, 30),
        project=example_project(),
        debt_rate=0.10,
        missing="nan",
    )
    _batch_equals_entity(facility, (), dt.date(2030, 6, 30), example_project(), 0.10)
    # 2026-12-31 comes before the first period end: no period to read
    assert t.test_date[t.covenant == 0].astype(str).tolist() == [
        "2026-12-31",
        "2027-12-31",
        "2028-12-31",
        "2029-12-31",
    ]
    np.testing.assert_allclose(
        t.value[t.covenant == 0], [np.nan, 1.3, 1.3, 1.3], rtol=1e-15
    )
    assert t.status[t.covenant == 0].tolist() == [MISSING, BELOW, BELOW, BELOW]
    np.testing.assert_allclose(t.value[t.covenant == 1], [np.nan, 1.3, 1.3, 1.3])
    np.testing.assert_allclose(
        t.value[t.covenant == 2].round(4), [np.nan, 1.5762, 1.7149, 2.1333]
    )
    assert t.status[t.covenant == 2].tolist() == [MISSING, BELOW, MET, MET]
    assert t.cure[t.covenant == 2].tolist() == [False, False, True, False]
    assert missing_input_names(t.missing[0]) == ("cash_flows",)


def test_zero_debt_service_period_has_infinite_dscr_and_passes():
    project = example_project()
    flows = list(project.cash_flows)
    flows[1] = attrs.evolve(flows[1], cfads=eur(5), debt_service=eur(0))
    project = attrs.evolve(project, cash_flows=tuple(flows))
    facility = factories.facility(
        project_id=ProjectId("P-1"),
        start_on=dt.date(2027, 6, 30),
        maturity_on=dt.date(2029, 12, 31),
        covenants=(cov(M.DSCR, AT_LEAST, 1.2),),
    )
    t = _batch_equals_entity(facility, (), dt.date(2029, 12, 31), project)
    assert t.value.tolist() == [1.3, np.inf, 1.3]
    assert t.status.tolist() == [MET, MET, MET]


def test_missing_statement_raises_naming_facility_covenant_date_and_inputs():
    with pytest.raises(InvalidValueError) as err:
        facility_covenant_tests(CORPORATE, STATEMENTS, as_of=dt.date(2025, 12, 31))
    assert str(err.value) == (
        "`facilities['F-1'].covenants[2].debt_to_equity` must be computable on "
        "2023-06-30: needs statement; got None. 1 of 18 covenant tests lack inputs; "
        "pass missing='nan' to report them as NaN with the inputs they lack."
    )


def test_missing_statement_amounts_are_named():
    bare = (statement("2023-12-31", ebitda=0, total_debt=100),)
    t = facility_covenant_tests(
        CORPORATE, bare, as_of=dt.date(2023, 12, 31), missing="nan"
    )
    names = [missing_input_names(m) for m in t.missing]
    assert names == [
        ("ebitda", "net_debt"),  # cash not given, so no net debt; EBITDA is zero
        ("interest_expense",),  # a zero EBITDA is a fine numerator
        ("statement",),  # gearing is tested on 2023-06-30 too
        ("equity",),
        ("current_assets", "current_liabilities"),
        ("capex", "operating_cash_flow", "debt_service"),
    ]


@pytest.mark.parametrize(
    ("changes", "metric", "expected"),
    [
        ({}, M.LOAN_TO_VALUE, ("collateral",)),
        (
            {"collateral": (Collateral(kind=CollateralKind.CASH, value=eur(0)),)},
            M.LOAN_TO_VALUE,
            ("collateral_value",),
        ),
        (
            {
                "collateral": (
                    Collateral(
                        kind=CollateralKind.CASH,
                        value=eur(5),
                        valuations=(
                            CollateralValuation(
                                valued_on=dt.date(2025, 1, 31), value=eur(4)
                            ),
                        ),
                    ),
                )
            },
            M.LOAN_TO_VALUE,
            ("valuation",),
        ),
        (
            {
                "observations": (
                    FacilityObservation(
                        period_end=dt.date(2025, 1, 31), drawn=eur(1), limit=eur(2)
                    ),
                ),
                "collateral": (Collateral(kind=CollateralKind.CASH, value=eur(5)),),
            },
            M.LOAN_TO_VALUE,
            ("observation",),
        ),
        ({}, M.LLCR, ("project",)),
        ({}, M.PLCR, ("project",)),
        ({"project_id": ProjectId("P-1")}, M.DSCR, ("cash_flows",)),
        ({"project_id": ProjectId("P-1")}, M.LLCR, ("cash_flows", "debt_rate")),
    ],
)
def test_each_missing_input_is_named(changes, metric, expected):
    facility = factories.facility(
        start_on=dt.date(2024, 1, 15),
        covenants=(
            cov(metric, AT_MOST if metric is M.LOAN_TO_VALUE else AT_LEAST, 1.0),
        ),
        **changes,
    )
    t = _batch_equals_entity(facility, (), dt.date(2024, 12, 31))
    assert missing_input_names(t.missing[0]) == expected
    assert t.statuses()[0] is CovenantStatus.MISSING
    assert set(expected) <= set(METRIC_INPUTS)


def test_llcr_without_a_debt_rate_is_named():
    facility = factories.facility(
        project_id=ProjectId("P-1"),
        start_on=dt.date(2027, 6, 30),
        maturity_on=dt.date(2029, 12, 31),
        covenants=(cov(M.LLCR, AT_LEAST, 1.2),),
    )
    with pytest.raises(InvalidValueError) as err:
        facility_covenant_tests(
            facility, as_of=dt.date(2028, 1, 1), project=example_project()
        )
    assert str(err.value) == (
        "`facilities['F-1'].covenants[0].llcr` must be computable on 2027-12-31: needs "
        "debt_rate; got None. 1 of 1 covenant tests lack inputs; pass missing='nan' to "
        "report them as NaN with the inputs they lack."
    )


def test_a_broken_debt_schedule_is_explained():
    project = example_project()
    flows = list(project.cash_flows)
    flows[1] = attrs.evolve(flows[1], cfads=eur(5), debt_service=None)
    project = attrs.evolve(project, cash_flows=tuple(flows))
    facility = factories.facility(
        project_id=ProjectId("P-1"),
        start_on=dt.date(2027, 6, 30),
        maturity_on=dt.date(2029, 12, 31),
        covenants=(cov(M.DSCR, AT_LEAST, 1.2),),
    )
    with pytest.raises(InvalidValueError) as err:
        facility_covenant_tests(facility, as_of=dt.date(2028, 1, 1), project=project)
    assert "needs cash_flows" in str(err.value)
    assert "`project.cash_flows[2].debt_service` must be unset, as in period 1" in (
        err.value.hint
    )


def test_project_must_be_the_facilitys():
    facility = factories.facility(project_id=ProjectId("P-9"))
    with pytest.raises(InvalidValueError) as err:
        facility_covenant_tests(
            facility, as_of=dt.date(2025, 1, 1), project=example_project()
        )
    assert str(err.value) == (
        "`project.id` must be the facility's project_id ('P-9'); got 'P-1'."
    )


def test_missing_policy_is_checked():
    with pytest.raises(InvalidValueError) as err:
        facility_covenant_tests(CORPORATE, as_of=dt.date(2025, 1, 1), missing="skip")  # type: ignore[arg-type]
    assert str(err.value) == "`missing` must be 'raise' or 'nan'; got 'skip'."
