"""Fuzz the rest of the public surface with bad inputs (#17, classes 2-6).

The companion of `tests/test_fuzz_public_api.py` (the array functions): here the
frame adapters (``lendcrm.*.frames``), the fitting functions (``fit_*``), book
pricing, sculpting and covenant tests, loss simulation, the synthetic generators and
the entity constructors. Each is called with a valid set of arguments in which one
argument is replaced by a generated bad value (see `BAD` there, plus bad frames:
empty, with duplicate columns or duplicate index labels). An exception raised must
be a `lendcrm.errors.LendCRMError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.util
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lendcrm import frames, lifecycle, relationship, synthetic
from lendcrm.errors import LendCRMError
from lendcrm.lifecycle import frames as lifecycle_frames
from lendcrm.relationship import frames as relationship_frames
from lendcrm.relationship import scaleout
from lendcrm.risk import capital, portfolio, pricing, project_finance, scoring
from lendcrm.risk.capital import frames as capital_frames
from lendcrm.risk.pricing import frames as pricing_frames
from lendcrm.risk.project_finance import frames as pf_frames
from lendcrm.risk.scoring import frames as scoring_frames
from lendcrm.segmentation import frames as segmentation_frames
from tests import factories
from tests.fuzz_outputs import check_outputs
from tests.test_fuzz_public_api import BAD

AS_OF = dt.date(2025, 12, 31)
SYNTHETIC = synthetic.generate_frames(12, seed=3, as_of=AS_OF)
BOOK_FRAMES = SYNTHETIC.book_frames()
BOOK = frames.book_from_frames(BOOK_FRAMES)
MODELS = relationship.RelationshipModels(
    fx_rates={
        "GBP": 1.17,
        "USD": 0.92,
        "PLN": 0.23,
        "SEK": 0.088,
        "DKK": 0.134,
        "NOK": 0.086,
        "CHF": 1.05,
    }
)
GRADES = tuple(str(g) for g in range(1, 11))
_RNG = np.random.default_rng(0)
X = _RNG.normal(size=200)
Y = (_RNG.random(200) < 1 / (1 + np.exp(-X))).astype(float)
SCORE_FRAME = pd.DataFrame({"x": X, "y": Y})
BINNINGS = scoring.fit_binning_set({"x": X}, Y)
MODEL = scoring.fit_logistic(scoring_frames.woe_frame(BINNINGS, SCORE_FRAME[["x"]]), Y)
CARD = scoring.build_scorecard(BINNINGS, MODEL)
COMPLIANCE = pf_frames.covenant_compliance_frame(
    BOOK_FRAMES, as_of=AS_OF, debt_rate=0.05, missing="nan"
)
PARTITION = scaleout.partition_book(BOOK_FRAMES, partitions=1)[0]
RANGE = scaleout.ClientRange(
    reader=functools.partial(
        scaleout.BookPartition, frames=BOOK_FRAMES, signals=SYNTHETIC.signals
    ),
    lower="C",
    upper="D",
)
_REVENUE = {"annual_revenue": X * 1e6 + 5e6}  # a scorecard on a clients column
_REVENUE_BINS = scoring.fit_binning_set(_REVENUE, Y)
CLIENT_CARD = scoring.build_scorecard(
    _REVENUE_BINS,
    scoring.fit_logistic(
        scoring_frames.woe_frame(_REVENUE_BINS, pd.DataFrame(_REVENUE)), Y
    ),
)
PRICE_TERMS: dict[str, object] = {
    "regime": capital.BASEL_III,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.1,
}
PRICE_FRAME = pd.DataFrame(
    {
        "limit": [10e6, 4e6],
        "drawn": [6e6, 4e6],
        "start_on": pd.to_datetime(["2025-01-01", "2024-06-30"]),
        "maturity_on": pd.to_datetime(["2030-01-01", "2029-06-30"]),
        "arrangement_fee": [100e3, 0.0],
        "default_probability": [0.01, 0.03],
        "loss_given_default": [0.45, 0.40],
        "credit_conversion_factor": [0.5, 1.0],
    },
    index=["F-1", "PF-2"],
)
RATES: dict[str, object] = {
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.02,
    "capital_ratio": 0.08,
}
PRICE_BOOK: dict[str, object] = {
    "drawn": [100.0],
    "undrawn": [50.0],
    "ccf": [0.5],
    "default_probability": [0.01],
    "lgd": [0.45],
    "maturity": [2.5],
    **RATES,
    "regime": capital.BASEL_III,
}


def _fields(instance: Any) -> dict[str, object]:
    return {a.name: getattr(instance, a.name) for a in attrs.fields(type(instance))}


Call = tuple[Callable[..., object], dict[str, Any]]

# name -> (callable, a valid call as keyword arguments)
BASE_CALLS: dict[str, Call] = {
    # --- frames (core) ---
    "frames.book_frames": (frames.book_frames, {"book": BOOK}),
    "frames.book_from_frames": (frames.book_from_frames, {"frames": BOOK_FRAMES}),
    "frames.clients_frame": (frames.clients_frame, {"book": BOOK}),
    "frames.facilities_frame": (frames.facilities_frame, {"book": BOOK}),
    "frames.projects_frame": (frames.projects_frame, {"book": BOOK}),
    "frames.validate_clients_frame": (
        frames.validate_clients_frame,
        {"frame": SYNTHETIC.clients},
    ),
    "frames.validate_facilities_frame": (
        frames.validate_facilities_frame,
        {"frame": SYNTHETIC.facilities},
    ),
    "frames.validate_projects_frame": (
        frames.validate_projects_frame,
        {"frame": SYNTHETIC.projects},
    ),
    "frames.validate_measures_frame": (
        frames.validate_measures_frame,
        {"frame": SYNTHETIC.measures},
    ),
    "frames.validate_ratings_frame": (
        frames.validate_ratings_frame,
        {"frame": SYNTHETIC.ratings},
    ),
    "frames.validate_statements_frame": (
        frames.validate_statements_frame,
        {"frame": SYNTHETIC.statements},
    ),
    "frames.validate_observations_frame": (
        frames.validate_observations_frame,
        {"frame": SYNTHETIC.observations},
    ),
    "frames.validate_valuations_frame": (
        frames.validate_valuations_frame,
        {"frame": SYNTHETIC.valuations},
    ),
    # --- area frames ---
    "lifecycle.frames.signals_from_frame": (
        lifecycle_frames.signals_from_frame,
        {"frame": SYNTHETIC.signals, "as_of": AS_OF},
    ),
    "lifecycle.frames.assess_stages": (
        lifecycle_frames.assess_stages,
        {
            "signals": SYNTHETIC.signals,
            "as_of": AS_OF,
            "rules": lifecycle.StageRules.builtin(),
        },
    ),
    "relationship.frames.relationship_frame": (
        relationship_frames.relationship_frame,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF, "models": MODELS},
    ),
    "relationship.frames.timed_relationship_frame": (
        relationship_frames.timed_relationship_frame,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF, "models": MODELS},
    ),
    "relationship.frames.book_signals": (
        relationship_frames.book_signals,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF, "models": MODELS},
    ),
    "relationship.frames.value_trends": (
        relationship_frames.value_trends,
        {"clients": SYNTHETIC.clients, "measures": SYNTHETIC.measures, "as_of": AS_OF},
    ),
    "relationship.frames.rating_migration_counts": (
        relationship_frames.rating_migration_counts,
        {
            "ratings": SYNTHETIC.ratings,
            "start": dt.date(2024, 12, 31),
            "end": AS_OF,
        },
    ),
    "relationship.frames.covenant_results": (
        relationship_frames.covenant_results,
        {"compliance": COMPLIANCE, "covenants": SYNTHETIC.covenants},
    ),
    "relationship.scaleout.partition_book": (
        scaleout.partition_book,
        {"book_frames": BOOK_FRAMES, "partitions": 2},
    ),
    "relationship.scaleout.check_parts": (
        scaleout.check_parts,
        {"parts": (PARTITION,)},
    ),
    "relationship.scaleout.ClientRange": (
        scaleout.ClientRange,
        {"reader": frames.BookFrames, "lower": "A", "upper": "Z"},
    ),
    "relationship.scaleout.client_range_divisions": (
        scaleout.client_range_divisions,
        {"parts": (RANGE,)},
    ),
    "relationship.scaleout.relationship_meta": (
        scaleout.relationship_meta,
        {"models": MODELS},
    ),
    "relationship.scaleout.relationship_range": (
        scaleout.relationship_range,
        {"part": RANGE, "number": 0, "as_of": AS_OF, "models": MODELS},
    ),
    "relationship.scaleout.stages_meta": (
        scaleout.stages_meta,
        {"rules": lifecycle.StageRules.builtin()},
    ),
    "relationship.scaleout.stages_range": (
        scaleout.stages_range,
        {
            "part": RANGE,
            "number": 0,
            "as_of": AS_OF,
            "rules": lifecycle.StageRules.builtin(),
        },
    ),
    "relationship.scaleout.pricing_meta": (scaleout.pricing_meta, {}),
    "relationship.scaleout.pricing_range": (
        scaleout.pricing_range,
        {"part": RANGE, "number": 0, "as_of": AS_OF, "terms": PRICE_TERMS},
    ),
    "relationship.scaleout.scores_meta": (
        scaleout.scores_meta,
        {"scorecard": CLIENT_CARD},
    ),
    "relationship.scaleout.scores_range": (
        scaleout.scores_range,
        {"part": RANGE, "number": 0, "scorecard": CLIENT_CARD},
    ),
    "relationship.scaleout.relationship_partition": (
        scaleout.relationship_partition,
        {"partition": PARTITION, "as_of": AS_OF, "models": MODELS},
    ),
    "capital.frames.collateral_allocation_frame": (
        capital_frames.collateral_allocation_frame,
        {"facilities": SYNTHETIC.facilities, "collateral": SYNTHETIC.collateral},
    ),
    "pricing.frames.price_facilities_frame": (
        pricing_frames.price_facilities_frame,
        {"frame": PRICE_FRAME, "as_of": AS_OF, "regime": capital.BASEL_III, **RATES},
    ),
    "project_finance.frames.covenant_compliance_frame": (
        pf_frames.covenant_compliance_frame,
        {"frames": BOOK_FRAMES, "as_of": AS_OF, "debt_rate": 0.05, "missing": "nan"},
    ),
    "project_finance.frames.covenant_compliance": (
        pf_frames.covenant_compliance,
        {
            "covenants": SYNTHETIC.covenants,
            "facilities": SYNTHETIC.facilities,
            "as_of": AS_OF,
            "missing": "nan",
        },
    ),
    "scoring.frames.fit_binning_frame": (
        scoring_frames.fit_binning_frame,
        {"frame": SCORE_FRAME, "target": "y"},
    ),
    "scoring.frames.woe_frame": (
        scoring_frames.woe_frame,
        {"binnings": BINNINGS, "frame": SCORE_FRAME[["x"]]},
    ),
    "scoring.frames.score_frame": (
        scoring_frames.score_frame,
        {"scorecard": CARD, "frame": SCORE_FRAME[["x"]]},
    ),
    "scoring.frames.points_frame": (
        scoring_frames.points_frame,
        {"scorecard": CARD, "frame": SCORE_FRAME[["x"]]},
    ),
    "scoring.frames.gains_table_frame": (
        scoring_frames.gains_table_frame,
        {"frame": SCORE_FRAME.assign(score=X), "target": "y"},
    ),
    "scoring.frames.bin_table_frame": (
        scoring_frames.bin_table_frame,
        {"binning": BINNINGS.binnings[0]},
    ),
    "scoring.frames.binning_summary_frame": (
        scoring_frames.binning_summary_frame,
        {"binnings": BINNINGS},
    ),
    "scoring.frames.collinearity_filter_frame": (
        scoring_frames.collinearity_filter_frame,
        {"woe": pd.DataFrame({"a": X, "b": X[::-1].copy()})},
    ),
    "segmentation.frames.features_from_frame": (
        segmentation_frames.features_from_frame,
        {"clients": SYNTHETIC.clients, "as_of": AS_OF, "rating_scale": GRADES},
    ),
    "segmentation.frames.features_from_book": (
        segmentation_frames.features_from_book,
        {"book": BOOK, "as_of": AS_OF, "rating_scale": GRADES},
    ),
    # --- fitting ---
    "scoring.fit_numeric": (
        scoring.fit_numeric,
        {"values": X, "target": Y, "name": "x"},
    ),
    "scoring.fit_categorical": (
        scoring.fit_categorical,
        {"values": np.where(X > 0, "a", "b"), "target": Y, "name": "c"},
    ),
    "scoring.fit_binning": (
        scoring.fit_binning,
        {"values": X, "target": Y, "name": "x"},
    ),
    "scoring.fit_binning_set": (
        scoring.fit_binning_set,
        {"features": {"x": X}, "target": Y},
    ),
    "scoring.fit_logistic": (
        scoring.fit_logistic,
        {"features": X.reshape(-1, 1), "target": Y},
    ),
    "scoring.build_scorecard": (
        scoring.build_scorecard,
        {"binnings": BINNINGS, "model": MODEL},
    ),
    "scoring.stepwise": (scoring.stepwise, {"features": X.reshape(-1, 1), "target": Y}),
    "scoring.gains_table": (scoring.gains_table, {"target": Y, "scores": X}),
    "scoring.hosmer_lemeshow": (
        scoring.hosmer_lemeshow,
        {"target": Y, "default_probability": 1 / (1 + np.exp(-X))},
    ),
    "scoring.score_psi": (
        scoring.score_psi,
        {"expected_scores": X, "actual_scores": X},
    ),
    "scoring.binomial_test": (
        scoring.binomial_test,
        {"n": [100], "defaults": [3], "default_probability": [0.02]},
    ),
    "scoring.stability_band": (scoring.stability_band, {"value": 0.05}),
    "scoring.iv_strength": (scoring.iv_strength, {"iv": 0.05}),
    "scoring.select_by_iv": (scoring.select_by_iv, {"ivs": {"x": 0.3}}),
    # --- pricing ---
    "pricing.price_book": (pricing.price_book, PRICE_BOOK),
    "pricing.price_facility": (
        pricing.price_facility,
        {
            **{
                k: 0.01 if k != "maturity" else 2.5
                for k in ("default_probability", "maturity")
            },
            "lgd": 0.45,
            **RATES,
            "regime": capital.BASEL_III,
        },
    ),
    "pricing.propose_limit": (
        pricing.propose_limit,
        {
            "requested": 50.0,
            "rating": 3,
            "cash_flow": 5.0,
            "rate": 0.05,
            "tenor_years": 10,
            "min_dscr": 1.25,
            "capital": 400.0,
            "single_name_share": 0.25,
            "policy": pricing.COUNTER_CYCLICAL_POLICY,
            "state": "base",
        },
    ),
    "pricing.annuity_debt_capacity": (
        pricing.annuity_debt_capacity,
        {"cash_flow": 5.0, "rate": 0.05, "tenor_years": 10, "min_dscr": 1.25},
    ),
    "pricing.rate_to_decimal": (pricing.rate_to_decimal, {"rate": 0.05}),
    # --- project finance ---
    "project_finance.sculpt": (
        project_finance.sculpt,
        {"cfads": [125.0, 156.25, 195.3125], "target_dscr": 1.25, "debt_rate": 0.25},
    ),
    "project_finance.debt_capacity": (
        project_finance.debt_capacity,
        {"cfads": [125.0, 156.25, 195.3125], "target_dscr": 1.25, "debt_rate": 0.25},
    ),
    "project_finance.plcr": (
        project_finance.plcr,
        {"cfads": [120.0, 130.0], "debt_service": [100.0, 100.0], "debt_rate": 0.05},
    ),
    "project_finance.covenant_test": (
        project_finance.covenant_test,
        {
            "cfads": [120.0, 130.0],
            "debt_service": [100.0, 100.0],
            "lock_up": 1.2,
            "default": 1.05,
        },
    ),
    "project_finance.covenant_calendar": (
        project_finance.covenant_calendar,
        {
            "start_on": np.array(["2024-01-01"], dtype="datetime64[D]"),
            "maturity_on": np.array(["2030-01-01"], dtype="datetime64[D]"),
            "frequency_months": [3],
            "as_of": AS_OF,
        },
    ),
    "project_finance.project_dscr": (
        project_finance.project_dscr,
        {"project": synthetic.example_project()},
    ),
    # --- portfolio ---
    "portfolio.simulate_losses": (
        portfolio.simulate_losses,
        {
            "ead": [1.0] * 10,
            "default_probability": 0.1,
            "lgd": 1.0,
            "correlation": 0.2,
            "n_scenarios": 200,
            "rng": np.random.default_rng(1),
        },
    ),
    "portfolio.asrf_capital": (
        portfolio.asrf_capital,
        {"ead": [100.0], "default_probability": 0.01, "lgd": 0.45, "correlation": 0.12},
    ),
    "portfolio.multi_year_matrix": (
        portfolio.multi_year_matrix,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]], "years": 3},
    ),
    "portfolio.cumulative_default_rates": (
        portfolio.cumulative_default_rates,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]], "years": 3},
    ),
    "portfolio.generator_from_matrix": (
        portfolio.generator_from_matrix,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]]},
    ),
    "portfolio.sector_hhi": (
        portfolio.sector_hhi,
        {"exposures": [1.0, 2.0], "sectors": ["a", "b"]},
    ),
    "portfolio.cohort_matrix": (
        portfolio.cohort_matrix,
        {
            "obligors": ["a", "a", "b", "b"],
            "times": [0.0, 1.0, 0.0, 1.0],
            "grades": ["A", "D", "A", "A"],
            "scale": ["A", "D"],
        },
    ),
    # --- capital ---
    "capital.expected_loss": (
        capital.expected_loss,
        {"default_probability": [0.01], "lgd": [0.45], "ead": [100.0]},
    ),
    "capital.exposure_at_default": (
        capital.exposure_at_default,
        {"drawn": [100.0], "undrawn": [50.0], "ccf": [0.5]},
    ),
    "capital.effective_maturity": (
        capital.effective_maturity,
        {"times": [1.0, 2.0], "cash_flows": [10.0, 110.0]},
    ),
    "capital.allocate_collateral": (
        capital.allocate_collateral,
        {
            "collateral_value": [100.0],
            "exposure": [60.0, 60.0],
            "link_collateral": [0, 0],
            "link_facility": [0, 1],
        },
    ),
    # --- synthetic ---
    "synthetic.generate_frames": (
        synthetic.generate_frames,
        {"n_clients": 3, "seed": 1, "as_of": AS_OF, "periods": 1},
    ),
    "synthetic.example_project": (synthetic.example_project, {}),
}

if importlib.util.find_spec("dask") is not None:  # the dask extra is optional
    BASE_CALLS["relationship.scaleout.relationship_dask"] = (
        scaleout.relationship_dask,
        {"parts": (RANGE,), "as_of": AS_OF, "models": MODELS},
    )
    BASE_CALLS["relationship.scaleout.stages_dask"] = (
        scaleout.stages_dask,
        {"parts": (RANGE,), "as_of": AS_OF, "rules": lifecycle.StageRules.builtin()},
    )
    BASE_CALLS["relationship.scaleout.pricing_dask"] = (
        scaleout.pricing_dask,
        {"parts": (RANGE,), "as_of": AS_OF, "terms": PRICE_TERMS},
    )
    BASE_CALLS["relationship.scaleout.scores_dask"] = (
        scaleout.scores_dask,
        {"parts": (RANGE,), "scorecard": CLIENT_CARD},
    )

# entity constructors: every field of a valid instance is a parameter
ENTITIES: dict[str, object] = {
    "Client": factories.rich_client(),
    "Facility": factories.rich_facility(),
    "Project": factories.rich_project(),
}
for _name, _entity in ENTITIES.items():
    BASE_CALLS[_name] = (type(_entity), _fields(_entity))

_TWO = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
BAD_FRAMES = st.sampled_from(
    [
        pd.DataFrame(),
        _TWO,
        _TWO.set_axis(["a", "a"], axis=1),  # duplicate columns
        _TWO.set_axis([0, 0], axis=0),  # duplicate index labels
        pd.Series([1.0, 2.0]),
    ]
)
WIDE_BAD = st.one_of(BAD, BAD_FRAMES)


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    if not kwargs:
        return
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(WIDE_BAD, label="bad")
    with contextlib.suppress(LendCRMError):
        function(**{**kwargs, parameter: bad})


# every DataFrame parameter of the calls above, for the duplicate-label tests
FRAME_CASES = [
    (name, parameter)
    for name, (_, kwargs) in sorted(BASE_CALLS.items())
    for parameter, value in kwargs.items()
    if isinstance(value, pd.DataFrame) and len(value) > 1
]


@pytest.mark.parametrize(("name", "parameter"), FRAME_CASES)
def test_a_repeated_row_label_is_refused(name: str, parameter: str) -> None:
    function, kwargs = BASE_CALLS[name]
    frame = kwargs[parameter]
    labels = list(frame.index)
    labels[1] = labels[0]
    with pytest.raises(LendCRMError) as info:
        function(**{**kwargs, parameter: frame.set_axis(labels, axis=0)})
    assert "row labels are unique" in str(info.value)
    assert repr(labels[0]) in str(info.value)


@pytest.mark.parametrize(("name", "parameter"), FRAME_CASES)
def test_a_repeated_column_is_refused(name: str, parameter: str) -> None:
    function, kwargs = BASE_CALLS[name]
    frame = kwargs[parameter]
    first = frame.columns[0]
    doubled = frame.iloc[:, [*range(frame.shape[1]), 0]]  # the first column twice
    with pytest.raises(LendCRMError) as info:
        function(**{**kwargs, parameter: doubled})
    assert "unique column names" in str(info.value)
    assert repr(first) in str(info.value)
