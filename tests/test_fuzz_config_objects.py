"""Fuzz the configuration, policy and rule objects a caller builds (#17).

Each class is called with the fields of a valid instance (its defaults, or a shipped
constant such as `BASEL_III`), one field replaced by a generated bad value: whatever
it raises must be a `lendcrm.errors.LendCRMError`.
"""

from __future__ import annotations

from typing import Any, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lendcrm import lifecycle, relationship, segmentation
from lendcrm.relationship import commercial, workflows
from lendcrm.risk import capital, portfolio, pricing, project_finance, scoring
from tests.fuzz_outputs import Call, check_call
from tests.test_fuzz_public_api import BAD
from tests.test_fuzz_public_api import BASE_CALLS as API_CALLS
from tests.test_fuzz_public_api_more import BASE_CALLS as MORE_CALLS
from tests.test_fuzz_remaining_risk import BASE_CALLS as RISK_CALLS


def _fields(instance: object) -> dict[str, object]:
    names = (a.name for a in attrs.fields(cast(Any, type(instance))) if a.init)
    return {name: getattr(instance, name) for name in names}


_COVENANT_TESTS = RISK_CALLS["project_finance.covenant_tests"][1]
_ADVANCE: Any = API_CALLS["lifecycle.advance"][1]
_MACHINE: lifecycle.Machine[Any, Any] = _ADVANCE["state"][0]
_CSI: Any = MORE_CALLS["scoring.csi"][1]
_REQUEST = RISK_CALLS["lifecycle.reason_required"][1]["request"]
INSTANCES: dict[str, object] = {
    **{
        f"lifecycle.{cls.__name__}": cls()
        for cls in (
            lifecycle.CovenantBreach,
            lifecycle.DscrBelowLockup,
            lifecycle.ExposureGrowth,
            lifecycle.NoDrawdownYet,
            lifecycle.OnWatchlist,
            lifecycle.PastDue,
            lifecycle.ProductDeepening,
            lifecycle.RatingDowngrade,
            lifecycle.RecentFirstDrawdown,
            lifecycle.RevenueDecline,
            lifecycle.RevenueGrowth,
            lifecycle.SteadyRelationship,
            lifecycle.UtilisationSurge,
        )
    },
    **{
        f"relationship.{cls.__name__}": cls()
        for cls in (
            relationship.AnnualReviewDue,
            relationship.CrossSell,
            relationship.EarlyWarningPolicy,
            relationship.ExitPlan,
            relationship.FeedbackFollowUp,
            relationship.FirstDrawdownFollowUp,
            relationship.LimitIncrease,
            relationship.NoRecentContact,
            relationship.OverdueTasks,
            relationship.ReferralAsk,
            relationship.RelationshipModels,
            relationship.RelationshipPricing,
            relationship.Repricing,
            relationship.RetentionCall,
            relationship.SignalWeights,
            relationship.TailoredRefinancing,
            relationship.WaiverReview,
        )
    },
    **{
        f"segmentation.{cls.__name__}": cls()
        for cls in (
            segmentation.FactorWeights,
            segmentation.Hysteresis,
            segmentation.KMeansTiers,
            segmentation.ParetoABC,
            segmentation.QuantileTiers,
            segmentation.RFM,
            segmentation.RiskOverlay,
            segmentation.WeightedValueScore,
        )
    },
    "workflows.ServiceStrategies": workflows.ServiceStrategies(),
    "scoring.BinningConfig": scoring.BinningConfig(),
    "scoring.ScoreScale": scoring.ScoreScale(),
    "capital.CapitalRegime": capital.BASEL_III,
    "capital.HoldingPeriod": capital.SECURED_LENDING,
    "pricing.PolicyTerms": next(iter(pricing.COUNTER_CYCLICAL_POLICY.terms.values())),
    "lifecycle.Guard": _MACHINE.guards[0],
    "lifecycle.TransitionRequest": _REQUEST,
    "scoring.TrendChoice": _CSI["binnings"].binnings[0].trend_choice,
    "capital.HaircutSchedule": capital.SUPERVISORY_HAIRCUTS,
    "commercial.WalletTable": commercial.DEFAULT_WALLET_TABLE,
    "portfolio.Scenario": portfolio.UPTURN,
    "pricing.CreditPolicy": pricing.COUNTER_CYCLICAL_POLICY,
    "scoring.MasterScale": scoring.DEFAULT_MASTER_SCALE,
    "relationship.ActionRules": relationship.BUILTIN_RULES,
    "lifecycle.StageRules": lifecycle.StageRules.builtin(),
    "project_finance.FacilityArrays": _COVENANT_TESTS["facilities"],
    "project_finance.ObservationArrays": project_finance.ObservationArrays(
        facility=[0, 0], drawn=[8.0, 7.5], period_end=["2025-03-31", "2025-06-30"]
    ),
    "project_finance.CollateralArrays": project_finance.CollateralArrays(
        facility=[0],
        value=[12.0],
        valuation_collateral=[0],
        valued_on=["2024-12-31"],
        valuation_value=[11.0],
    ),
    "project_finance.CashFlowArrays": project_finance.CashFlowArrays(
        project=[0, 0],
        period_end=["2025-12-31", "2026-12-31"],
        cfads=[130.0, 143.0],
        debt_service=[100.0, 110.0],
        debt_rate=[0.10],
    ),
    "project_finance.CovenantArrays": _COVENANT_TESTS["covenants"],
    "project_finance.StatementArrays": _COVENANT_TESTS["statements"],
}

BASE_CALLS: dict[str, Call] = {
    name: (type(instance), _fields(instance)) for name, instance in INSTANCES.items()
}


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    function(**kwargs)


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=8,
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
