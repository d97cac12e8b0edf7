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
from lendcrm.risk import capital


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
