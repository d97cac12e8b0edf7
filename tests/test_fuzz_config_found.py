"""The refusals the config-object fuzz found missing, each pinned by its message (#17).

`tests/test_fuzz_config_objects.py` builds rule, policy and config objects with one
field replaced by a bad value; each miss it found is fixed at the field (a validator or
a converter) and pinned here by its exact message and `err.field`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from lendcrm import lifecycle, relationship, segmentation
from lendcrm.errors import InvalidValueError
from lendcrm.relationship import commercial, workflows
from lendcrm.risk import capital, portfolio, pricing, scoring
from tests.test_fuzz_config_objects import BASE_CALLS, INSTANCES


def _regime(**changes: Any) -> object:
    return attrs.evolve(capital.BASEL_III, **changes)


_STAGES = "'acquisition', 'activation', 'growth', 'maturity', 'decline', 'exited'"

# (builder, keyword arguments, err.field, str(err))
FOUND: list[tuple[Callable[..., object], dict[str, Any], str, str]] = [
    (
        lifecycle.PastDue,
        {"min_days": math.nan},
        "min_days",
        "`min_days` must be a finite number; got nan.",
    ),
    (
        lifecycle.SteadyRelationship,
        {"max_abs_growth": math.inf},
        "max_abs_growth",
        "`max_abs_growth` must be a finite number; got inf.",
    ),
    (
        lifecycle.PastDue,
        {"name": None},
        "name",
        "`name` must be a non-empty string; got None.",
    ),
    (
        lifecycle.PastDue,
        {"stage": "x"},
        "stage",
        f"`stage` must be one of {_STAGES}; got 'x'.",
    ),
    (
        lifecycle.StageRules,
        {"rules": None},
        "rules",
        "`rules` must be a sequence of StageRule; got None.",
    ),
    (
        lifecycle.StageRules,
        {"rules": (), "precedence": ["growth", 3]},
        "precedence[1]",
        f"`precedence[1]` must be one of {_STAGES}; got 3.",
    ),
    (
        lifecycle.StageRules,
        {"rules": (), "default_stage": math.inf},
        "default_stage",
        f"`default_stage` must be one of {_STAGES}; got inf.",
    ),
    (
        relationship.EarlyWarningPolicy,
        {"weights": None},
        "weights",
        "`weights` must be a SignalWeights; got None.",
    ),
    (
        segmentation.RFM,
        {"name": math.nan},
        "name",
        "`name` must be a non-empty string; got nan.",
    ),
    (
        _regime,
        {"name": math.nan},
        "name",
        "`name` must be a non-empty string; got nan.",
    ),
    (
        _regime,
        {"advanced_lgd_policy": "x"},
        "advanced_lgd_policy",
        "`advanced_lgd_policy` must be one of 'foundation', 'refuse'; got 'x'.",
    ),
    (
        _regime,
        {"maturity_policy": None},
        "maturity_policy",
        "`maturity_policy` must be one of 'cap', 'refuse'; got None.",
    ),
    (
        _regime,
        {"lgd_floors": None},
        "lgd_floors",
        "`lgd_floors` must be a mapping of LGD floors; got None.",
    ),
    (
        _regime,
        {"lgd_floors": {"x": 0.1}},
        "lgd_floors",
        (
            "`lgd_floors` must be one of 'corporate', 'sovereign', 'bank', "
            "'large_financial', 'other_financial', 'residential_mortgage', "
            "'qualifying_revolving', 'qrre_transactor', 'other_retail'; got 'x'."
        ),
    ),
    (
        _regime,
        {"secured_lgd_floors": {"receivables": math.nan}},
        "secured_lgd_floors['receivables']",
        "`secured_lgd_floors['receivables']` must be a fraction in [0, 1]; got nan.",
    ),
]


@pytest.mark.parametrize(
    ("build", "kwargs", "field", "message"),
    FOUND,
    ids=[f"{getattr(b, '__name__', 'x')}-{'-'.join(k)}" for b, k, _, _ in FOUND],
)
def test_found_refusal_names_the_field(
    build: Callable[..., object], kwargs: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        build(**kwargs)
    assert info.value.field == field
    assert str(info.value) == message


def test_a_stage_given_by_its_value_is_still_accepted() -> None:
    rule = lifecycle.PastDue(stage="decline")
    assert rule.stage is lifecycle.ClientStage.DECLINE


_ASSET_CLASSES = (
    "'corporate', 'sovereign', 'bank', 'large_financial', 'other_financial', "
    "'residential_mortgage', 'qualifying_revolving', 'qrre_transactor', 'other_retail'"
)
_TIERS = "'diamond', 'gold', 'silver', 'basic'"
_TRENDS = "'ascending', 'descending', 'auto', 'peak', 'valley', 'none'"

# enum fields (a bare ValueError before) and sequence/mapping fields (a TypeError)
FOUND_FIELDS: list[tuple[Callable[..., object], dict[str, Any], str, str]] = [
    (
        relationship.RelationshipPricing,
        {"asset_class": "x"},
        "asset_class",
        f"`asset_class` must be one of {_ASSET_CLASSES}; got 'x'.",
    ),
    (
        scoring.BinningConfig,
        {"prebinning": "x"},
        "prebinning",
        "`prebinning` must be one of 'quantile', 'tree'; got 'x'.",
    ),
    (
        scoring.BinningConfig,
        {"trend": None},
        "trend",
        f"`trend` must be one of {_TRENDS}; got None.",
    ),
    (
        scoring.BinningConfig,
        {"unseen": 1j},
        "unseen",
        "`unseen` must be one of 'error', 'missing', 'worst'; got 1j.",
    ),
    (
        scoring.BinningConfig,
        {"auto_trends": None},
        "auto_trends",
        "`auto_trends` must be a sequence of trends; got None.",
    ),
    (
        scoring.BinningConfig,
        {"special_codes": [1j]},
        "special_codes[0]",
        "`special_codes[0]` must be a finite number; got 1j.",
    ),
    (
        scoring.BinningConfig,
        {"user_splits": ["x"]},
        "user_splits[0]",
        "`user_splits[0]` must be a finite number; got 'x'.",
    ),
    (
        segmentation.RiskOverlay,
        {"watchlist_cap": "x"},
        "watchlist_cap",
        f"`watchlist_cap` must be one of {_TIERS}; got 'x'.",
    ),
    (
        segmentation.RiskOverlay,
        {"early_warning_cap": True},
        "early_warning_cap",
        f"`early_warning_cap` must be one of {_TIERS}; got True.",
    ),
    (
        segmentation.RiskOverlay,
        {"grade_caps": None},
        "grade_caps",
        "`grade_caps` must be a sequence of (grade, tier) pairs; got None.",
    ),
    (
        segmentation.RiskOverlay,
        {"grade_caps": [(math.nan, "gold")]},
        "grade_caps[0][0]",
        "`grade_caps[0][0]` must be a finite number; got nan.",
    ),
    (
        segmentation.RiskOverlay,
        {"grade_caps": [(7, "platinum")]},
        "grade_caps",
        f"`grade_caps` must be one of {_TIERS}; got 'platinum'.",
    ),
    (
        segmentation.ParetoABC,
        {"cuts": None},
        "cuts",
        "`cuts` must be a sequence of numbers; got None.",
    ),
    (
        segmentation.QuantileTiers,
        {"top_shares": [0.1, "x"]},
        "top_shares[1]",
        "`top_shares[1]` must be a finite number; got 'x'.",
    ),
    (
        segmentation.WeightedValueScore,
        {"cutoffs": math.inf},
        "cutoffs",
        "`cutoffs` must be a sequence of numbers; got inf.",
    ),
    (
        segmentation.WeightedValueScore,
        {"weights": None},
        "weights",
        "`weights` must be a FactorWeights or a mapping; got None.",
    ),
    (
        segmentation.WeightedValueScore,
        {"weights": {"x": 1}},
        "weights",
        (
            "`weights` must be a mapping with keys among revenue, profit, loyalty, "
            "referrals; got 'x'."
        ),
    ),
    (
        segmentation.FactorWeights,
        {"revenue": "x"},
        "weights.revenue",
        "`weights.revenue` must be a finite number >= 0; got a 'str'.",
    ),
    (
        workflows.ServiceStrategies,
        {"untiered": None},
        "untiered",
        f"`untiered` must be one of {_TIERS}; got None.",
    ),
    (
        workflows.ServiceStrategies,
        {"by_stage": None},
        "by_stage",
        "`by_stage` must be a mapping; got None.",
    ),
    (
        workflows.ServiceStrategies,
        {"by_stage": {"a": 1}},
        "by_stage",
        "`by_stage` must be a mapping keyed by (tier, stage) pairs; got 'a'.",
    ),
    (
        workflows.ServiceStrategies,
        {"equator_kyc_months": {"Z": 12}},
        "equator_kyc_months",
        "`equator_kyc_months` must be one of 'A', 'B', 'C'; got 'Z'.",
    ),
]


@pytest.mark.parametrize(
    ("build", "kwargs", "field", "message"),
    FOUND_FIELDS,
    ids=[f"{b.__name__}-{'-'.join(k)}" for b, k, _, _ in FOUND_FIELDS],
)
def test_found_field_refusal_names_the_field(
    build: Callable[..., object], kwargs: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        build(**kwargs)
    assert info.value.field == field
    assert str(info.value) == message


def test_valid_values_by_name_are_still_accepted() -> None:
    assert scoring.BinningConfig(trend="peak").trend is scoring.Trend.PEAK
    overlay = segmentation.RiskOverlay(watchlist_cap="basic", early_warning_cap=None)
    assert overlay.watchlist_cap is segmentation.Tier.BASIC
    weights = segmentation.WeightedValueScore(weights={"revenue": 1.0}).weights
    assert weights.revenue == 1.0


def _arrays(name: str, **changes: Any) -> object:
    function, kwargs = BASE_CALLS[name]
    return function(**{**kwargs, **changes})


def _covenants(**changes: Any) -> object:
    return _arrays("project_finance.CovenantArrays", **changes)


def _facilities(**changes: Any) -> object:
    return _arrays("project_finance.FacilityArrays", **changes)


# converters that raised TypeError or OverflowError (or stored NaN as an id)
FOUND_CONVERTERS: list[tuple[Callable[..., object], dict[str, Any], str, str]] = [
    (
        relationship.CrossSell,
        {"tiers": None},
        "tiers",
        "`tiers` must be tier names (a sequence of strings); got None.",
    ),
    (
        relationship.RetentionCall,
        {"tiers": "gold"},
        "tiers",
        "`tiers` must be tier names (a sequence of strings); got 'gold'.",
    ),
    (
        relationship.LimitIncrease,
        {"stages": ["growth", 3]},
        "stages[1]",
        "`stages[1]` must be a label (a string); got 3.",
    ),
    (
        relationship.RelationshipModels,
        {"fx_rates": None},
        "fx_rates",
        "`fx_rates` must be a sequence of (code, rate) pairs; got None.",
    ),
    (
        relationship.RelationshipModels,
        {"fx_rates": {"USD": "x"}},
        "fx_rates['USD']",
        (
            "`fx_rates['USD']` must be a positive, finite rate (reporting units per "
            "unit); got 'x'."
        ),
    ),
    (
        relationship.RelationshipModels,
        {"fx_rates": [("USD", 1.1, 2)]},
        "fx_rates[0]",
        "`fx_rates[0]` must be a (code, rate) pair; got a 'tuple'.",
    ),
    (
        relationship.RelationshipModels,
        {"roster": True},
        "roster",
        "`roster` must be RM ids (a sequence of strings); got a 'bool'.",
    ),
    (
        relationship.RelationshipModels,
        {"roster": ["rm1", None]},
        "roster[1]",
        "`roster[1]` must be a label (a string); got None.",
    ),
    (
        _covenants,
        {"metric": math.inf},
        "covenants.metric",
        "`covenants.metric` must be int64 values; got 'float'.",
    ),
    (
        _facilities,
        {"ids": math.nan},
        "facilities.ids",
        "`facilities.ids` must be facility ids (a sequence of strings); got a 'float'.",
    ),
    (
        _facilities,
        {"ids": ["a", "b"]},
        "facilities.ids",
        "`facilities.ids` must be the same length as `start_on` (1); got 'length 2'.",
    ),
]


@pytest.mark.parametrize(
    ("build", "kwargs", "field", "message"),
    FOUND_CONVERTERS,
    ids=[f"{b.__name__}-{'-'.join(k)}" for b, k, _, _ in FOUND_CONVERTERS],
)
def test_found_converter_refusal_names_the_field(
    build: Callable[..., object], kwargs: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        build(**kwargs)
    assert info.value.field == field
    assert str(info.value) == message


def test_rates_given_as_text_and_ids_as_a_list_are_still_accepted() -> None:
    models = relationship.RelationshipModels(fx_rates={"USD": "1.1"})  # type: ignore[arg-type]
    assert models.fx_rates == (("USD", 1.1),)
    facilities = _facilities(ids=["F-1"])
    assert facilities.label(0) == "'F-1'"  # type: ignore[attr-defined]


def _evolve(instance: Any) -> Callable[..., object]:
    def build(**changes: Any) -> object:
        return attrs.evolve(instance, **changes)

    build.__name__ = type(instance).__name__
    return build


# shipped constants (a scenario, a policy, a master scale, the action rules) rebuilt
FOUND_CONSTANTS: list[tuple[Callable[..., object], dict[str, Any], str, str]] = [
    (
        _evolve(portfolio.UPTURN),
        {"state": "x"},
        "state",
        "`state` must be one of 'upturn', 'base', 'downturn', 'severe'; got 'x'.",
    ),
    (
        _evolve(portfolio.UPTURN),
        {"name": math.nan},
        "name",
        "`name` must be a non-empty string; got nan.",
    ),
    (
        _evolve(pricing.COUNTER_CYCLICAL_POLICY),
        {"terms": None},
        "terms",
        "`terms` must be a mapping of CycleState to PolicyTerms; got None.",
    ),
    (
        _evolve(pricing.COUNTER_CYCLICAL_POLICY),
        {"terms": {"base": 1}},
        "terms['base']",
        "`terms['base']` must be a PolicyTerms; got a 'int'.",
    ),
    (
        _evolve(scoring.DEFAULT_MASTER_SCALE),
        {"pds": None},
        "pds",
        "`pds` must be a sequence of numbers; got None.",
    ),
    (
        _evolve(scoring.DEFAULT_MASTER_SCALE),
        {"grades": None},
        "grades",
        "`grades` must be a sequence of grade labels; got None.",
    ),
    (
        _evolve(capital.SUPERVISORY_HAIRCUTS),
        {"haircuts": None},
        "haircuts",
        "`haircuts` must be a mapping of SupervisoryCollateral; got None.",
    ),
    (
        _evolve(capital.SUPERVISORY_HAIRCUTS),
        {"secured_lgd": {"cash": "x"}},
        "secured_lgd['cash']",
        "`secured_lgd['cash']` must be a fraction in [0, 1]; got 'x'.",
    ),
    (
        _evolve(commercial.DEFAULT_WALLET_TABLE),
        {"debt_to_revenue": None},
        "debt_to_revenue",
        "`debt_to_revenue` must be a mapping of Sector to ratio; got None.",
    ),
    (
        _evolve(INSTANCES["lifecycle.TransitionRequest"]),
        {"event": math.nan},
        "event",
        "`event` must be a non-empty string; got nan.",
    ),
    (
        _evolve(INSTANCES["lifecycle.TransitionRequest"]),
        {"reason": 3},
        "reason",
        "`reason` must be text (a string) or None; got 3.",
    ),
    (
        _evolve(INSTANCES["lifecycle.Guard"]),
        {"stage": "x"},
        "stage",
        "`stage` must be a member of the machine's StrEnum; got 'x'.",
    ),
    (
        _evolve(INSTANCES["lifecycle.Guard"]),
        {"check": None},
        "check",
        "`check` must be a function of the TransitionRequest; got None.",
    ),
    (
        _evolve(INSTANCES["scoring.TrendChoice"]),
        {"ivs": None},
        "ivs",
        "`ivs` must be a sequence of numbers; got None.",
    ),
    (
        _evolve(INSTANCES["scoring.TrendChoice"]),
        {"statistic": math.nan},
        "statistic",
        "`statistic` must be a finite number; got nan.",
    ),
    (
        relationship.ActionRules,
        {"rules": None},
        "rules",
        "`rules` must be a sequence of NextBestActionRule; got None.",
    ),
]


@pytest.mark.parametrize(
    ("build", "kwargs", "field", "message"),
    FOUND_CONSTANTS,
    ids=[f"{b.__name__}-{'-'.join(k)}" for b, k, _, _ in FOUND_CONSTANTS],
)
def test_found_constant_refusal_names_the_field(
    build: Callable[..., object], kwargs: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        build(**kwargs)
    assert info.value.field == field
    assert str(info.value) == message
