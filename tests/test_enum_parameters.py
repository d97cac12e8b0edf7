"""Enum-valued parameters given an unknown string raise a named error listing the
allowed values (#17), through the one helper `lendcrm._validators.enum_member`."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from lendcrm._validators import enum_member
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_III, SUPERVISORY_HAIRCUTS
from lendcrm.risk.portfolio import CycleState
from lendcrm.risk.pricing import COUNTER_CYCLICAL_POLICY
from lendcrm.risk.scoring import BinningConfig, Trend, fit_binning, stepwise
from lendcrm.segmentation import RiskOverlay, Tier

TRENDS = "one of 'ascending', 'descending', 'auto', 'peak', 'valley', 'none'"


def test_helper_returns_members_and_lists_the_values():
    assert enum_member(Trend, "peak", name="trend") is Trend.PEAK
    assert enum_member(Trend, Trend.PEAK, name="trend") is Trend.PEAK
    with pytest.raises(InvalidValueError) as info:
        enum_member(Trend, ["peak"], name="trend")
    assert str(info.value) == f"`trend` must be {TRENDS}; got ['peak']."


def test_binning_config_auto_trends():
    assert BinningConfig(auto_trends=("peak",)).auto_trends == (Trend.PEAK,)
    with pytest.raises(InvalidValueError) as info:
        BinningConfig(auto_trends=("up",))
    assert str(info.value) == f"`auto_trends` must be {TRENDS}; got 'up'."


def test_fit_binning_kind():
    with pytest.raises(InvalidValueError) as info:
        fit_binning([1.0, 2.0] * 20, [0, 1] * 20, name="x", kind="ordinal")  # type: ignore[arg-type]
    assert str(info.value) == (
        "`kind` must be one of 'numeric', 'categorical'; got 'ordinal'."
    )


def test_stepwise_criterion():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2))
    y = np.tile([0, 1], 25)
    with pytest.raises(InvalidValueError) as info:
        stepwise(x, y, criterion="r2")  # type: ignore[arg-type]
    assert str(info.value) == "`criterion` must be one of 'aic', 'bic'; got 'r2'."


def test_risk_overlay_grade_caps():
    caps = RiskOverlay(grade_caps=((7.0, "gold"),)).grade_caps  # type: ignore[arg-type]
    assert caps == ((7.0, Tier.GOLD),)
    with pytest.raises(InvalidValueError) as info:
        RiskOverlay(grade_caps=((7.0, "platinum"),))  # type: ignore[arg-type]
    assert str(info.value) == (
        "`grade_caps` must be one of 'diamond', 'gold', 'silver', 'basic'; "
        "got 'platinum'."
    )


def test_credit_policy_terms():
    terms: dict[str, object] = {
        str(k): v for k, v in COUNTER_CYCLICAL_POLICY.terms.items()
    }
    terms["boom"] = terms.pop(CycleState.UPTURN.value)
    with pytest.raises(
        InvalidValueError, match=r"^`terms` must be one of .*; got 'boom'"
    ):
        attrs.evolve(COUNTER_CYCLICAL_POLICY, terms=terms)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["haircuts", "secured_lgd"])
def test_haircut_schedule_keys(field):
    table = {**getattr(SUPERVISORY_HAIRCUTS, field), "gold_bars": 0.1}
    with pytest.raises(
        InvalidValueError, match=rf"^`{field}` must be one of .*'gold_bars'"
    ):
        attrs.evolve(SUPERVISORY_HAIRCUTS, **{field: table})  # type: ignore[arg-type]


def test_capital_regime_secured_lgd_floors():
    with pytest.raises(
        InvalidValueError, match=r"^`secured_lgd_floors` must be one of .*'gold_bars'"
    ):
        attrs.evolve(BASEL_III, secured_lgd_floors={"gold_bars": 0.1})
