"""Fuzz the public callables the earlier fuzz files left out: core, risk, lifecycle (#17).

The impairment and schedule front doors' remaining functions, the guaranteed and
A-IRB capital functions, the project-finance batch tests, the lifecycle helpers, the
segmentation helpers, the frames checks and the core value objects. Same rule as
`tests/test_fuzz_public_api.py`: with one argument of a valid call replaced by a
generated bad value, whatever the function raises must be a
`lendcrm.errors.LendCRMError`; and what a call returns holds no NaN or infinity
unless `tests/fuzz_outputs.py` says why it may.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import attrs
import cattrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lendcrm
from lendcrm import frames, lifecycle, segmentation, serialization, synthetic
from lendcrm.risk import capital, impairment, pricing, project_finance, schedules
from lendcrm.risk.impairment import frames as impairment_frames
from lendcrm.risk.schedules import frames as schedules_frames
from tests import factories
from tests.fuzz_outputs import Call, check_call, check_outputs
from tests.test_fuzz_public_api import BAD

D0 = dt.date(2026, 1, 1)
TERMS = lendcrm.RepaymentTerms(
    amortisation=lendcrm.Amortisation.ANNUITY,
    payments_per_year=1,
    day_count=lendcrm.DayCount.THIRTY_360,
)
FACILITY = factories.facility(
    pricing=lendcrm.Pricing(
        reference_rate="FIXED", margin_bps=600, arrangement_fee=factories.eur("0")
    ),
    start_on=D0,
    maturity_on=dt.date(2031, 1, 1),
    terms=TERMS,
    default_probability=0.02,
    loss_given_default=0.45,
)
RICH = factories.rich_facility()
ECL_A = impairment.expected_credit_loss(
    [[0.1, 0.1], [0.1, 0.1]], 0.5, [[100.0, 100.0], [10.0, 10.0]], 0.0, stage=1
)
ECL_B = impairment.expected_credit_loss(
    [[0.2, 0.2], [0.1, 0.1]], 0.5, [[100.0, 100.0], [20.0, 20.0]], 0.0, stage=[2, 1]
)
SCHEDULE = schedules.repayment_schedules(
    principal=1000.0,
    start="2026-01-01",
    maturity="2031-01-01",
    amortisation="annuity",
    rate=0.06,
    payments_per_year=1,
    day_count="30/360",
)
BOOK = synthetic.generate_book(3, seed=1, as_of=dt.date(2025, 12, 31))
BOOK_FRAMES = frames.book_frames(
    lendcrm.Book(clients=(factories.client(),), facilities=(FACILITY,))
)
IMPAIRMENT_FACILITIES = pd.DataFrame(
    {
        "facility_id": ["F-1", "F-2"],
        "origination_pd": [0.01, 0.01],
        "default_probability": [0.012, 0.05],
        "loss_given_default": [0.45, 0.4],
        "effective_interest_rate": [0.05, 0.06],
    },
)
QUOTE = pricing.facility_price(
    factories.facility(default_probability=0.01, loss_given_default=0.45),
    funding_rate=0.03,
    operating_cost_rate=0.004,
    hurdle_rate=0.12,
    risk_free_rate=0.03,
    capital_ratio=0.10,
    regime=capital.BASEL_III,
)
_AMOUNTS = np.full((2, 15), np.nan)
_AMOUNTS[:, [1, 3]] = [[50.0, 10.0], [30.0, 10.0]]
IDS = np.array(["a", "b", "c", "d"])
SEG_0 = segmentation.Segmentation(
    strategy="w",
    client_ids=IDS,
    codes=np.array([1, 1, 1, 3]),
    levels=segmentation.TIER_LEVELS,
    score=np.array([70.0, 70.0, 70.0, 10.0]),
    cutoffs=(75.0, 60.0, 40.0),
)
SEG_1 = segmentation.Segmentation(
    strategy="w",
    client_ids=IDS,
    codes=np.array([0, 0, 2, 3]),
    levels=segmentation.TIER_LEVELS,
    score=np.array([76.0, 80.0, 58.0, 10.0]),
    cutoffs=(75.0, 60.0, 40.0),
)
FEATURES = segmentation.ClientFeatures(
    client_ids=list("abc"),
    revenue=[3.0, 2.0, 1.0],
    profit=[1.0, 2.0, 3.0],
    tenure_years=[1, 1, 1],
    product_count=[1, 2, 3],
    referral_count=[0, 0, 0],
)
SIGNAL_ROW = {k: v[2] for k, v in lifecycle.example_columns().items()}
PROJECT = synthetic.example_project()


def _fields(instance: Any) -> dict[str, object]:
    return {a.name: getattr(instance, a.name) for a in attrs.fields(type(instance))}


BASE_CALLS: dict[str, Call] = {
    # --- impairment ---
    "impairment.check_scenario_weights": (
        impairment.check_scenario_weights,
        {"weights": [0.25, 0.5, 0.25]},
    ),
    "impairment.ecl_movement": (
        impairment.ecl_movement,
        {
            "opening_ids": ["A", "B"],
            "opening": ECL_A,
            "closing_ids": ["A", "C"],
            "closing": ECL_B,
        },
    ),
    "impairment.expected_credit_loss": (
        impairment.expected_credit_loss,
        {
            "marginal_pd": [[0.02, 0.03, 0.03]],
            "lgd": 0.4,
            "ead": [[100.0, 60.0, 30.0]],
            "eir": 0.05,
            "stage": 1,
            "scenario_weights": None,
            "period_years": 1.0,
        },
    ),
    "impairment.facility_ecl": (
        impairment.facility_ecl,
        {
            "marginal_pd": [0.02, 0.03, 0.03],
            "lgd": 0.4,
            "ead": [100.0, 60.0, 30.0],
            "eir": 0.05,
            "stage": 2,
        },
    ),
    "impairment.facility_schedule_ecl": (
        impairment.facility_schedule_ecl,
        {
            "facility": FACILITY,
            "marginal_pd": [0.02] * 5,
            "lgd": 0.45,
            "as_of": D0,
            "stage": 2,
            "ccf": 0.0,
            "prepayment_rate": 0.0,
        },
    ),
    "impairment.marginal_pd": (
        impairment.marginal_pd,
        {"cumulative_pd": [0.02, 0.05, 0.09]},
    ),
    "impairment.marginal_pd_from_matrix": (
        impairment.marginal_pd_from_matrix,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]], "years": 3, "default_index": -1},
    ),
    "impairment.pit_marginal_pd": (
        impairment.pit_marginal_pd,
        {
            "cumulative_pd": [0.02, 0.04],
            "systematic_factor": -1.0,
            "rho": 0.12,
            "persistence": 0.5,
        },
    ),
    "impairment.scenario_marginal_pd": (
        impairment.scenario_marginal_pd,
        {"cumulative_pd": [0.02, 0.04], "rho": 0.12},
    ),
    "impairment.schedule_ecl": (
        impairment.schedule_ecl,
        {
            "schedule": SCHEDULE,
            "marginal_pd": [[0.02] * 5],
            "lgd": 0.45,
            "as_of": D0,
            "stage": 2,
            "bank_share": 0.4,
            "ccf": 0.0,
            "prepayment_rate": 0.0,
        },
    ),
    "impairment.stage_book": (
        impairment.stage_book,
        {
            "origination_pd": [0.002, 0.01, 0.01, 0.01],
            "current_pd": [0.0025, 0.015, 0.03, 0.03],
            "days_past_due": [0, 0, 0, 95],
            "in_default": False,
            "on_watchlist": False,
            "forborne": False,
            "rules": impairment.StagingRules(),
        },
    ),
    "impairment.stage_facility": (
        impairment.stage_facility,
        {
            "origination_pd": 0.01,
            "current_pd": 0.03,
            "days_past_due": 0,
            "on_watchlist": True,
            "rules": impairment.StagingRules(),
        },
    ),
    "impairment.stage_transfers": (
        impairment.stage_transfers,
        {"stage_from": [1, 2], "stage_to": [2, 2], "weights": [100.0, 50.0]},
    ),
    "schedules.frames.bank_shares": (
        schedules_frames.bank_shares,
        {"book": BOOK_FRAMES},
    ),
    "schedules.frames.book_schedule": (
        schedules_frames.book_schedule,
        {"book": BOOK_FRAMES},
    ),
    "impairment.frames.impairment_frame": (
        impairment_frames.impairment_frame,
        {
            "facilities": IMPAIRMENT_FACILITIES,
            "marginal_pd": [[0.012, 0.012, 0.012], [0.05, 0.05, 0.05]],
            "ead": [[100.0, 80.0, 60.0], [50.0, 40.0, 30.0]],
        },
    ),
    # --- schedules ---
    "schedules.book_schedules": (
        schedules.book_schedules,
        {"facilities": [FACILITY], "curves": None},
    ),
    "schedules.facility_schedule": (
        schedules.facility_schedule,
        {"facility": FACILITY, "curves": None},
    ),
    # --- capital ---
    "capital.airb_lgd_floor": (
        capital.airb_lgd_floor,
        {
            "exposure": [100.0, 100.0, 100.0],
            "collateral_value": [0.0, 50.0, 200.0],
            "kind": ["real_estate", "cash", "real_estate"],
            "regime": capital.BASEL_III,
        },
    ),
    "capital.facility_airb_lgd_floor": (
        capital.facility_airb_lgd_floor,
        {"facility": RICH, "regime": capital.BASEL_III, "ccf": None},
    ),
    "capital.facility_guaranteed_rwa": (
        capital.facility_guaranteed_rwa,
        {
            "facility": RICH,
            "as_of": dt.date(2027, 7, 2),
            "regime": capital.BASEL_III,
            "guarantor_class": "bank",
        },
    ),
    "capital.guaranteed_risk_weighted_assets": (
        capital.guaranteed_risk_weighted_assets,
        {
            "ead": [100.0, 100.0],
            "covered": [0.0, 60.0],
            "default_probability": 0.05,
            "lgd": 0.45,
            "guarantor_pd": 0.001,
            "guarantor_lgd": 0.45,
            "guarantor_class": "bank",
            "regime": capital.BASEL_III,
        },
    ),
    # --- pricing ---
    "pricing.relationship_raroc_by_code": (
        pricing.relationship_raroc_by_code,
        {
            "facility_codes": [0, 0, 1],
            "n_clients": 3,
            "revenue": [6.0, 3.0, 5.0],
            "funding_cost": [3.0, 1.5, 2.5],
            "expected_loss": [0.45, 0.2, 0.5],
            "operating_cost": [0.4, 0.2, 0.3],
            "capital": [13.0, 6.0, 10.0],
            "risk_free_rate": 0.03,
            "hurdle_rate": 0.12,
            "fee_codes": [0],
            "fee_income": [0.5],
            "deposit_codes": [1, 2],
            "deposit_balance": [100.0, 50.0],
            "deposit_margin": [0.01, 0.01],
        },
    ),
    "pricing.with_minimum_margin": (
        pricing.with_minimum_margin,
        {
            "facility": factories.facility(
                default_probability=0.01, loss_given_default=0.45
            ),
            "quote": QUOTE,
            "reference_rate": 0.0285,
        },
    ),
    # --- project finance ---
    "project_finance.covenant_tests": (
        project_finance.covenant_tests,
        {
            "facilities": project_finance.FacilityArrays(
                start_on=["2024-01-15"],
                maturity_on=["2031-01-15"],
                client=[0],
                project=[-1],
                drawn=[8.0],
            ),
            "covenants": project_finance.CovenantArrays(
                facility=[0],
                metric=[4],
                operator=[0],
                threshold=[4.0],
                lock_up_level=[3.0],
                default_level=[2.0],
                frequency_months=[6],
            ),
            "statements": project_finance.StatementArrays(
                client=[0, 0],
                period_end=["2023-12-31", "2024-12-31"],
                amounts=_AMOUNTS,
            ),
            "as_of": dt.date(2025, 3, 31),
        },
    ),
    "project_finance.facility_covenant_tests": (
        project_finance.facility_covenant_tests,
        {
            "facility": factories.facility(
                start_on=dt.date(2023, 1, 15),
                covenants=(
                    lendcrm.Covenant(
                        metric=lendcrm.CovenantMetric.NET_DEBT_TO_EBITDA,
                        operator=lendcrm.CovenantOperator.AT_MOST,
                        threshold=3.0,
                        lock_up_level=3.5,
                        test_frequency=lendcrm.TestFrequency.ANNUAL,
                    ),
                ),
            ),
            "statements": [
                lendcrm.FinancialStatement(
                    period_end=dt.date(y, 12, 31),
                    currency="EUR",
                    ebitda=factories.eur("50"),
                    total_debt=factories.eur(debt),
                    cash=factories.eur("10"),
                )
                for y, debt in ((2023, "160"), (2024, "190"), (2025, "140"))
            ],
            "as_of": dt.date(2025, 12, 31),
        },
    ),
    "project_finance.project_debt_service": (
        project_finance.project_debt_service,
        {"project": PROJECT},
    ),
    "project_finance.project_plcr": (
        project_finance.project_plcr,
        {"project": PROJECT, "debt_rate": 0.10},
    ),
    # --- lifecycle ---
    "lifecycle.assess_stage": (
        lifecycle.assess_stage,
        {
            "signals_row": SIGNAL_ROW,
            "as_of": dt.date(2026, 6, 30),
            "rules": lifecycle.StageRules.builtin(),
        },
    ),
    "lifecycle.example_columns": (lifecycle.example_columns, {}),
    "lifecycle.project_review": (
        lifecycle.project_review,
        {
            "project": factories.rich_project(),
            "as_of": dt.date(2026, 10, 15),
            "spent": 50.0,
            "estimate_to_complete": 72.0,
            "slippage_tolerance_days": 30,
            "overrun_tolerance": 0.05,
            "drawdown_tolerance": 0.05,
        },
    ),
    "lifecycle.reason_required": (
        lifecycle.reason_required,
        {
            "request": lifecycle.TransitionRequest(
                stage="decline", event="exit", target="exited", reason=" ", actor=None
            )
        },
    ),
    "lifecycle.register_history_hooks": (
        lifecycle.register_history_hooks,
        {"converter": cattrs.Converter()},
    ),
    "lifecycle.review_project": (
        lifecycle.review_project,
        {
            "as_of": dt.date(2026, 6, 30),
            "planned_on": [
                dt.date(2026, 1, 31),
                dt.date(2026, 4, 30),
                dt.date(2026, 9, 30),
            ],
            "completed_on": [dt.date(2026, 2, 10), None, None],
            "weights": [0.2, 0.5, 0.3],
            "budget": 100.0,
            "spent": 60.0,
            "estimate_to_complete": 48.0,
            "drawn": 45.0,
            "committed_debt": 70.0,
        },
    ),
    "lifecycle.start": (
        lifecycle.start,
        {"machine": lifecycle.FACILITY_STATUS, "entity_id": "F-7"},
    ),
    "lifecycle.to_mermaid": (
        lifecycle.to_mermaid,
        {"machine": lifecycle.CLIENT_LIFECYCLE},
    ),
    # --- segmentation ---
    "segmentation.check_strategy_table": (
        segmentation.check_strategy_table,
        {"table": segmentation.SERVICE_STRATEGIES, "field": "table"},
    ),
    "segmentation.factor_matrix": (
        segmentation.factor_matrix,
        {"features": FEATURES, "method": segmentation.Normalisation.PERCENTILE_RANK},
    ),
    "segmentation.from_function": (
        segmentation.from_function,
        {"name": "big", "fn": lambda f: np.where(f.revenue > 5, "big", "small")},
    ),
    "segmentation.migration_matrix": (
        segmentation.migration_matrix,
        {"before": SEG_0, "after": SEG_1},
    ),
    "segmentation.resegment": (
        segmentation.resegment,
        {
            "previous": SEG_0,
            "current": SEG_1,
            "hysteresis": segmentation.Hysteresis(margin=3.0),
        },
    ),
    # --- frames, serialization, synthetic ---
    "frames.check_frame": (
        frames.check_frame,
        {
            "frame": pd.DataFrame({"limit": [1.0, 2.0]}),
            "specs": [frames.ColumnSpec(name="limit", kind="float", lower=0)],
            "frame_name": "facilities",
            "unique": (),
        },
    ),
    "frames.check_unique_labels": (
        frames.check_unique_labels,
        {"frame": pd.DataFrame({"a": [1, 2]}, index=["x", "y"]), "frame_name": "t"},
    ),
    "serialization.make_converter": (serialization.make_converter, {}),
    "synthetic.generate_book": (
        synthetic.generate_book,
        {"n_clients": 2, "seed": 1, "as_of": dt.date(2025, 12, 31), "periods": 2},
    ),
    # --- core value objects ---
    "Book": (lendcrm.Book, {"clients": BOOK.clients, "facilities": BOOK.facilities}),
    "CollateralValuation": (
        lendcrm.CollateralValuation,
        {
            "valued_on": D0,
            "value": factories.eur("100"),
            "method": lendcrm.ValuationMethod.DESKTOP,
        },
    ),
    "FacilityObservation": (
        lendcrm.FacilityObservation,
        {
            "period_end": D0,
            "drawn": factories.eur("100"),
            "limit": factories.eur("200"),
            "days_past_due": 0,
        },
    ),
    "FinancialStatement": (
        lendcrm.FinancialStatement,
        {
            "period_end": dt.date(2025, 12, 31),
            "currency": "EUR",
            "ebitda": factories.eur("50"),
            "total_debt": factories.eur("160"),
            "cash": factories.eur("10"),
        },
    ),
    "RatingRecord": (
        lendcrm.RatingRecord,
        {"rated_on": D0, "grade": "5", "default_probability": 0.01},
    ),
}


def _value_objects() -> dict[str, Any]:
    """One instance of each core value object the rich test entities hold."""
    seen: dict[str, Any] = {}

    def walk(value: object) -> None:
        if attrs.has(type(value)):
            seen.setdefault(type(value).__name__, value)
            for field in attrs.fields(cast(Any, type(value))):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    for entity in (factories.rich_client(), RICH, factories.rich_project()):
        walk(entity)
    return {k: v for k, v in seen.items() if k not in {"Client", "Facility", "Project"}}


for _name, _value in _value_objects().items():
    if _name == "Money":  # its fields are built by Money.of; the class takes them raw
        BASE_CALLS[_name] = (lendcrm.Money, _fields(_value))
    else:
        BASE_CALLS[_name] = (type(_value), _fields(_value))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid_and_finite(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    if not kwargs:
        return
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    check_call(name, function, {**kwargs, parameter: bad})
