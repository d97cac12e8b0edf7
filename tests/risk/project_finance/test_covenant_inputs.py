"""The array inputs of `covenant_tests` refuse bad values, naming field and index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance import (
    CashFlowArrays,
    CollateralArrays,
    CovenantArrays,
    FacilityArrays,
    ObservationArrays,
    StatementArrays,
    covenant_tests,
)

NAN = float("nan")


def facilities(**changes):
    fields: dict[str, Any] = {
        "start_on": ["2024-01-15"],
        "maturity_on": ["2031-01-15"],
        "client": [0],
        "project": [-1],
        "drawn": [8.0],
    } | changes
    return FacilityArrays(**fields)


def covenants(**changes):
    fields: dict[str, Any] = {
        "facility": [0],
        "metric": [4],
        "operator": [0],
        "threshold": [3.0],
        "lock_up_level": [NAN],
        "default_level": [NAN],
        "frequency_months": [12],
    } | changes
    return CovenantArrays(**fields)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: facilities(drawn=[-1.0]),
            "`facilities.drawn[0]` must be an amount >= 0; got -1.0.",
        ),
        (
            lambda: facilities(client=[0, 1]),
            "`facilities.client` must be the same length as `start_on` (1); got 'length 2'.",
        ),
        (
            lambda: facilities(start_on=["NaT"]),
            "`facilities.start_on[0]` must be a date; got None.",
        ),
        (
            lambda: facilities(project=[-2]),
            "`facilities.project[0]` must be a code >= 0, or -1 for none; got -2.",
        ),
        (
            lambda: facilities(drawn=[[1.0]]),
            "`facilities.drawn` must be one-dimensional; got 'array of shape (1, 1)'.",
        ),
        (
            lambda: facilities(drawn=["x"]),
            "`facilities.drawn` must be float64 values; got 'list'.",
        ),
        (
            lambda: covenants(metric=[8]),
            "`covenants.metric[0]` must be a code in 0..7; got 8.",
        ),
        (
            lambda: covenants(operator=[2]),
            "`covenants.operator[0]` must be 0 or 1; got 2.",
        ),
        (
            lambda: covenants(threshold=[NAN]),
            "`covenants.threshold[0]` must be a finite number; got nan.",
        ),
        (
            lambda: covenants(frequency_months=[2]),
            "`covenants.frequency_months[0]` must be one of (1, 3, 6, 12); got 2.",
        ),
        (
            lambda: StatementArrays(
                client=[0], period_end=["2024-12-31"], amounts=np.zeros((1, 14))
            ),
            (
                "`statements.amounts` must be shape (n, 15): one column per statement amount; "
                "got 'array of shape (1, 14)'."
            ),
        ),
        (
            lambda: StatementArrays(
                client=[0, 0],
                period_end=["2024-12-31", "2024-12-31"],
                amounts=np.zeros((2, 15)),
            ),
            (
                "`statements.period_end[1]` must be after 2024-12-31 (sorted by owner, then "
                "date, one record per owner and date); got '2024-12-31'."
            ),
        ),
        (
            lambda: StatementArrays(
                client=[1, 0],
                period_end=["2024-12-31", "2025-12-31"],
                amounts=np.zeros((2, 15)),
            ),
            (
                "`statements.period_end[1]` must be after 2024-12-31 (sorted by owner, then "
                "date, one record per owner and date); got '2025-12-31'."
            ),
        ),
        (
            lambda: StatementArrays(
                client=[0], period_end=["2024-12-31"], amounts=np.full((1, 15), np.inf)
            ),
            (
                "`statements.amounts[0]` must be a finite number or NaN (not given); got "
                "[inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf, inf]."
            ),
        ),
        (
            lambda: ObservationArrays(
                facility=[0], period_end=["2024-12-31"], drawn=[NAN]
            ),
            "`observations.drawn[0]` must be an amount >= 0; got nan.",
        ),
        (
            lambda: CollateralArrays(facility=[1, 0], value=[1.0, 2.0]),
            (
                "`collateral.facility[1]` must be ascending (collateral sorted by facility); "
                "got 0."
            ),
        ),
        (
            lambda: CollateralArrays(
                facility=[0],
                value=[1.0],
                valuation_collateral=[1],
                valued_on=["2024-12-31"],
                valuation_value=[1.0],
            ),
            "`collateral.valuation_collateral[0]` must be a collateral row < 1; got 1.",
        ),
        (
            lambda: CollateralArrays(
                facility=[0],
                value=[1.0],
                valuation_collateral=[0],
                valued_on=["2024-12-31"],
                valuation_value=[-1.0],
            ),
            "`collateral.valuation_value[0]` must be an amount >= 0; got -1.0.",
        ),
        (
            lambda: CollateralArrays(facility=[0], value=[-1.0]),
            "`collateral.value[0]` must be an amount >= 0; got -1.0.",
        ),
        (
            lambda: CashFlowArrays(
                project=[-1], period_end=["2024-12-31"], cfads=[1.0], debt_service=[1.0]
            ),
            "`cash_flows.project[0]` must be a code >= 0; got -1.",
        ),
        (
            lambda: CashFlowArrays(
                project=[0], period_end=["2024-12-31"], cfads=[NAN], debt_service=[1.0]
            ),
            "`cash_flows.cfads[0]` must be a finite number; got nan.",
        ),
        (
            lambda: CashFlowArrays(
                project=[0], period_end=["2024-12-31"], cfads=[1.0], debt_service=[-1.0]
            ),
            "`cash_flows.debt_service[0]` must be an amount >= 0 or NaN (unset); got -1.0.",
        ),
        (
            lambda: CashFlowArrays(
                project=[0],
                period_end=["2024-12-31"],
                cfads=[1.0],
                debt_service=[1.0],
                debt_rate=[-1.0],
            ),
            (
                "`cash_flows.debt_rate[0]` must be a rate per period > -1, or NaN (unknown); "
                "got -1.0."
            ),
        ),
    ],
)
def test_bad_inputs_are_named(build, message):
    with pytest.raises(InvalidValueError) as err:
        build()
    assert str(err.value) == message


def test_covenant_of_an_unknown_facility():
    with pytest.raises(InvalidValueError) as err:
        covenant_tests(facilities(), covenants(facility=[1]), as_of=dt.date(2025, 1, 1))
    assert (
        str(err.value) == "`covenants.facility[0]` must be a facility row < 1; got 1."
    )


def test_missing_policy_is_checked():
    with pytest.raises(InvalidValueError) as err:
        covenant_tests(
            facilities(),
            covenants(),
            as_of=dt.date(2025, 1, 1),
            missing="x",  # type: ignore[arg-type]
        )
    assert str(err.value) == "`missing` must be 'raise' or 'nan'; got 'x'."


def test_batch_error_names_the_facility_by_position_without_ids():
    with pytest.raises(InvalidValueError) as err:
        covenant_tests(facilities(), covenants(), as_of=dt.date(2025, 1, 1))
    assert str(err.value).startswith(
        "`facilities[0].covenants[0].interest_cover` must be computable on "
        "2024-12-31: needs statement; got None. 1 of 1 covenant tests lack inputs"
    )


def test_lengths_and_labels():
    f = facilities(ids=np.array(["F-7"], dtype=object))
    assert len(f) == 1
    assert f.label(0) == "'F-7'"
    assert len(covenants()) == 1
    assert len(CollateralArrays(facility=[], value=[])) == 0
