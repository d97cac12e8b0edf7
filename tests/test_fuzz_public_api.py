"""Fuzz the public boundary with bad inputs (#17, class 5).

Each function in `BASE_CALLS` is called with a valid set of arguments in which one
argument is replaced by a generated bad value (None, text, booleans, NaN/inf,
negative numbers, empty or ragged arrays, arrays of mixed junk, wrong-typed objects).
Whatever the function does, an exception it raises must be a
`lendcrm.errors.LendCRMError`: a named refusal, never a ``TypeError``,
``AttributeError``, ``IndexError`` or ``ZeroDivisionError`` from inside.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lendcrm import lifecycle, relationship, segmentation
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.risk import capital, portfolio, pricing, project_finance, scoring
from tests.fuzz_outputs import check_outputs

FACTS = relationship.client_facts(client_ids=["A", "B"])
SIGNALS = lifecycle.StageSignals.from_columns(
    lifecycle.example_columns(), as_of=dt.date(2026, 6, 30)
)
STATE = lifecycle.start(lifecycle.CLIENT_LIFECYCLE, entity_id="C-1")
VALUES = [1.0, 2.0, 3.0]
TARGET = [0, 1, 0, 1]
PREDICTIONS = [0.1, 0.9, 0.2, 0.8]
PRICE: dict[str, object] = {
    "revenue": [10.0],
    "funding_cost": [2.0],
    "expected_loss": [1.0],
    "operating_cost": [1.0],
    "capital": [50.0],
    "risk_free_rate": [0.02],
}

# name -> (function, a valid call as keyword arguments)
BASE_CALLS: dict[str, tuple[Callable[..., object], dict[str, object]]] = {
    "segmentation.gini": (segmentation.gini, {"values": VALUES}),
    "segmentation.hhi": (segmentation.hhi, {"values": VALUES}),
    "segmentation.lorenz_curve": (segmentation.lorenz_curve, {"values": VALUES}),
    "segmentation.equivalent_number": (
        segmentation.equivalent_number,
        {"values": VALUES},
    ),
    "segmentation.top_share": (segmentation.top_share, {"values": VALUES, "p": 0.2}),
    "segmentation.pareto_point": (
        segmentation.pareto_point,
        {"values": VALUES, "share": 0.8},
    ),
    "scoring.auc": (scoring.auc, {"target": TARGET, "predictions": PREDICTIONS}),
    "scoring.ks": (scoring.ks, {"target": TARGET, "predictions": PREDICTIONS}),
    "scoring.accuracy_ratio": (
        scoring.accuracy_ratio,
        {"target": TARGET, "predictions": PREDICTIONS},
    ),
    "scoring.brier": (
        scoring.brier,
        {"target": TARGET, "default_probability": PREDICTIONS},
    ),
    "scoring.psi": (
        scoring.psi,
        {"expected": [0.5, 0.5], "actual": [0.4, 0.6], "floor": 1e-4},
    ),
    "scoring.information_value": (
        scoring.information_value,
        {"goods": [10, 20], "bads": [5, 3]},
    ),
    "scoring.weight_of_evidence": (
        scoring.weight_of_evidence,
        {"goods": [10, 20], "bads": [5, 3]},
    ),
    "capital.risk_weight": (
        capital.risk_weight,
        {
            "default_probability": [0.01],
            "lgd": [0.45],
            "regime": capital.BASEL_III,
            "maturity": 2.5,
        },
    ),
    "capital.asset_correlation": (
        capital.asset_correlation,
        {
            "default_probability": [0.01],
            "asset_class": "corporate",
            "regime": capital.BASEL_III,
        },
    ),
    "capital.maturity_adjustment": (
        capital.maturity_adjustment,
        {
            "default_probability": [0.01],
            "maturity": [2.5],
            "regime": capital.BASEL_III,
        },
    ),
    "capital.irb_capital": (
        capital.irb_capital,
        {
            "ead": 100.0,
            "default_probability": 0.01,
            "lgd": 0.45,
            "regime": capital.BASEL_III,
        },
    ),
    "capital.supervisory_haircut": (
        capital.supervisory_haircut,
        {"kind": ["cash"], "currency_mismatch": False},
    ),
    "portfolio.exposure_hhi": (portfolio.exposure_hhi, {"exposures": VALUES}),
    "portfolio.top_k_share": (portfolio.top_k_share, {"exposures": VALUES, "k": 1}),
    "portfolio.large_exposures": (
        portfolio.large_exposures,
        {"exposures": [10.0, 20.0], "capital": 100.0},
    ),
    "portfolio.ttc_pd": (
        portfolio.ttc_pd,
        {"point_in_time_pd": [0.02], "systematic_factor": [0.5], "rho": [0.12]},
    ),
    "portfolio.check_transition_matrix": (
        portfolio.check_transition_matrix,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]]},
    ),
    "portfolio.unexpected_loss": (
        portfolio.unexpected_loss,
        {"ead": [100.0], "default_probability": [0.01], "lgd": [0.45]},
    ),
    "project_finance.dscr": (
        project_finance.dscr,
        {"cfads": [120.0, 130.0], "debt_service": [100.0, 100.0]},
    ),
    "project_finance.min_dscr": (
        project_finance.min_dscr,
        {"cfads": [120.0, 130.0], "debt_service": [100.0, 100.0]},
    ),
    "project_finance.average_dscr": (
        project_finance.average_dscr,
        {"cfads": [120.0, 130.0], "debt_service": [100.0, 100.0]},
    ),
    "project_finance.llcr": (
        project_finance.llcr,
        {"cfads": [120.0, 130.0], "debt_service": [100.0, 100.0], "debt_rate": 0.05},
    ),
    "pricing.raroc": (pricing.raroc, PRICE),
    "pricing.eva": (pricing.eva, {**PRICE, "hurdle_rate": [0.1]}),
    "relationship.net_promoter_score": (
        relationship.net_promoter_score,
        {"scores": [9, 10, 3]},
    ),
    "relationship.early_warnings": (
        relationship.early_warnings,
        {"facts": FACTS, "policy": relationship.DEFAULT_POLICY},
    ),
    "relationship.next_best_actions": (
        relationship.next_best_actions,
        {"facts": FACTS, "rules": relationship.BUILTIN_RULES},
    ),
    "lifecycle.advance": (
        lifecycle.advance,
        {"state": STATE, "event": "first_drawdown", "on": dt.date(2026, 1, 15)},
    ),
    "lifecycle.assess_signals": (
        lifecycle.assess_signals,
        {"signals": SIGNALS, "rules": lifecycle.StageRules.builtin()},
    ),
}

JUNK_ITEM = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=3),
    st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 0.0]),
    st.floats(min_value=-1e6, max_value=1e6),
)

BAD = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=5),
    st.sampled_from([math.nan, math.inf, -math.inf, 1j]),
    st.integers(min_value=-(10**6), max_value=-1),
    st.floats(min_value=-1e6, max_value=-1e-6),
    st.just([]),
    st.just(np.array([])),
    st.just(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    st.just(object()),
    st.just({"a": 1}),
    st.just(dt.date(2026, 1, 1)),
    st.lists(JUNK_ITEM, max_size=4),
)


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    with contextlib.suppress(LendCRMError):
        function(**{**kwargs, parameter: bad})


# the refusals the fuzz test found missing, each pinned by its message
FOUND: list[tuple[str, str, object, str]] = [
    (
        "segmentation.top_share",
        "p",
        None,
        "`p` must be a fraction in (0, 1]; got None.",
    ),
    (
        "segmentation.pareto_point",
        "share",
        "x",
        "`share` must be a fraction in (0, 1]; got 'x'.",
    ),
    ("portfolio.top_k_share", "k", None, "`k` must be an integer >= 1; got None."),
    ("portfolio.top_k_share", "k", math.inf, "`k` must be an integer >= 1; got inf."),
    ("scoring.psi", "floor", None, "`floor` must be a finite number >= 0; got None."),
    ("scoring.psi", "floor", -1.0, "`floor` must be a finite number >= 0; got -1.0."),
    (
        "capital.irb_capital",
        "ead",
        [],
        "`ead` must be a non-empty array (at least one value); got [].",
    ),
    (
        "portfolio.large_exposures",
        "capital",
        [],
        "`capital` must be a non-empty array (at least one value); got [].",
    ),
    (
        "lifecycle.advance",
        "event",
        [],
        "`event` must be an event (the machine's enum or its value); got a 'list'.",
    ),
]


@pytest.mark.parametrize(("name", "parameter", "bad", "message"), FOUND)
def test_found_refusals_name_the_parameter(
    name: str, parameter: str, bad: object, message: str
) -> None:
    function, kwargs = BASE_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, parameter: bad})
    assert str(info.value) == message
