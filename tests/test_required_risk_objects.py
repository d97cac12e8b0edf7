"""Risk and segmentation functions name a wrong regime/config/policy/model (#17, class 4).

Every public function below checks its required model-like parameters at the top
(`lendcrm._validators.require_instance`), before reading any array, so the other
arguments may be anything: the first wrong object is the one named.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk import capital, pricing, scoring
from lendcrm.segmentation import Hysteresis, resegment

# function -> its checked parameters, in the order they are checked
CHECKED: dict[Callable[..., object], tuple[str, ...]] = {
    capital.airb_lgd_floor: ("regime", "schedule"),
    capital.asset_correlation: ("regime",),
    capital.capital_requirement: ("regime",),
    capital.collateral_after_haircut: ("schedule",),
    capital.facility_airb_lgd_floor: ("regime", "schedule"),
    capital.facility_foundation_lgd: ("regime", "schedule"),
    capital.facility_guaranteed_rwa: ("regime",),
    capital.facility_irb_capital: ("regime",),
    capital.foundation_lgd: ("schedule",),
    capital.guaranteed_risk_weighted_assets: ("regime", "schedule"),
    capital.irb_capital: ("regime",),
    capital.maturity_adjustment: ("regime",),
    capital.risk_weight: ("regime",),
    capital.risk_weighted_assets: ("regime",),
    capital.supervisory_haircut: ("schedule",),
    capital.supervisory_lgd: ("regime",),
    pricing.facility_price: ("regime",),
    pricing.minimum_rate: ("regime",),
    pricing.price_book: ("regime",),
    pricing.price_facility: ("regime",),
    pricing.propose_limit: ("policy",),
    pricing.propose_limits: ("policy",),
    scoring.binning_summary: ("binnings",),
    scoring.build_scorecard: ("binnings",),
    scoring.calibration_by_grade: ("scale",),
    scoring.characteristic_analysis: ("scorecard",),
    scoring.csi: ("binnings",),
    scoring.fit_binning: ("config",),
    scoring.fit_binning_set: ("config",),
    scoring.fit_categorical: ("config",),
    scoring.fit_numeric: ("config",),
    resegment: ("previous",),
}

VALID: dict[str, object] = {
    "regime": capital.BASEL_III,
    "schedule": capital.SUPERVISORY_HAIRCUTS,
    "policy": pricing.COUNTER_CYCLICAL_POLICY,
    "config": scoring.DEFAULT_BINNING,
    "scale": scoring.DEFAULT_MASTER_SCALE,
    "hysteresis": Hysteresis(),
}

CASES = [
    (f, name, position)
    for f, names in CHECKED.items()
    for position, name in enumerate(names)
]


@pytest.mark.parametrize(
    ("function", "name", "position"),
    CASES,
    ids=[f"{f.__name__}-{n}" for f, n, _ in CASES],
)
@pytest.mark.parametrize(("bad", "shown"), [(None, "None"), ("x", "a 'str'")])
def test_wrong_object_is_named_first(
    function: Callable[..., object],
    name: str,
    position: int,
    bad: object,
    shown: str,
) -> None:
    args: list[object] = []
    kwargs: dict[str, object] = {}
    for p in inspect.signature(function).parameters.values():
        value = bad if p.name == name else VALID.get(p.name)
        if p.name in CHECKED[function][:position]:
            value = VALID[p.name]
        if p.default is not inspect.Parameter.empty and p.name != name:
            continue
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    with pytest.raises(InvalidValueError) as info:
        function(*args, **kwargs)
    assert info.value.field == name
    assert str(info.value).endswith(f"; got {shown}.")


def test_resegment_names_current_and_hysteresis() -> None:
    with pytest.raises(InvalidValueError, match=r"^`hysteresis` must be a Hysteresis"):
        resegment(None, None, hysteresis=None)  # type: ignore[arg-type]
