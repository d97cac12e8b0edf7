"""The frames adapter: the same stages and ECL as the array functions, named refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import BatchValidationError, InvalidValueError, SchemaError
from lendcrm.risk.impairment import (
    BASE_UPSIDE_DOWNSIDE,
    StageReason,
    StagingRules,
    expected_credit_loss,
    stage_book,
)
from lendcrm.risk.impairment.frames import (
    ECL_12_MONTH,
    ECL_ALLOWANCE,
    ECL_LIFETIME,
    IFRS9_STAGE,
    STAGE_REASON,
    impairment_frame,
)

RNG = np.random.default_rng(5)
N, T = 40, 6


def _book() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "facility_id": [f"F{i:03d}" for i in range(N)],
            "origination_pd": RNG.uniform(0.001, 0.05, N),
            "default_probability": RNG.uniform(0.001, 0.15, N),
            "loss_given_default": RNG.uniform(0.1, 0.7, N),
            "effective_interest_rate": RNG.uniform(0.0, 0.1, N),
            "days_past_due": RNG.choice([0, 0, 0, 35, 120], N),
            "in_default": RNG.random(N) < 0.05,
            "on_watchlist": RNG.random(N) < 0.1,
            "forborne": RNG.random(N) < 0.05,
        },
        index=pd.RangeIndex(100, 100 + N),
    )


BOOK = _book()
Q = RNG.uniform(0, 0.05, (3, N, T))
EAD = RNG.uniform(0, 1e6, (N, T))
W = BASE_UPSIDE_DOWNSIDE.weights


def test_the_frame_gives_the_array_results_in_row_order():
    rules = StagingRules(relative_threshold=2.5, absolute_threshold=0.005)
    out = impairment_frame(
        BOOK, marginal_pd=Q, ead=EAD, scenario_weights=W, rules=rules
    )
    s = stage_book(
        BOOK["origination_pd"],
        BOOK["default_probability"],
        days_past_due=BOOK["days_past_due"],
        in_default=BOOK["in_default"],
        on_watchlist=BOOK["on_watchlist"],
        forborne=BOOK["forborne"],
        rules=rules,
    )
    e = expected_credit_loss(
        Q,
        BOOK["loss_given_default"],
        EAD,
        BOOK["effective_interest_rate"],
        stage=s.stage,
        scenario_weights=W,
    )
    assert out.index.equals(BOOK.index)
    assert out["facility_id"].tolist() == BOOK["facility_id"].tolist()
    assert out[IFRS9_STAGE].tolist() == s.stage.tolist()
    assert out[STAGE_REASON].astype(str).tolist() == [
        StageReason(c).name for c in s.reason.tolist()
    ]
    np.testing.assert_array_equal(out[ECL_12_MONTH], e.twelve_month)
    np.testing.assert_array_equal(out[ECL_LIFETIME], e.lifetime)
    np.testing.assert_array_equal(out[ECL_ALLOWANCE], e.ecl)


def test_the_optional_triggers_default_to_none():
    lean = BOOK.drop(
        columns=["days_past_due", "in_default", "on_watchlist", "forborne"]
    )
    out = impairment_frame(lean, marginal_pd=Q[0], ead=EAD)
    s = stage_book(lean["origination_pd"], lean["default_probability"])
    assert out[IFRS9_STAGE].tolist() == s.stage.tolist()


def test_a_missing_column_is_a_schema_error():
    with pytest.raises(SchemaError, match="effective_interest_rate"):
        impairment_frame(
            BOOK.drop(columns="effective_interest_rate"), marginal_pd=Q[0], ead=EAD
        )


def test_out_of_range_rows_are_named():
    bad = BOOK.copy()
    bad.loc[103, "loss_given_default"] = 1.5
    with pytest.raises(BatchValidationError) as info:
        impairment_frame(bad, marginal_pd=Q[0], ead=EAD)
    assert (
        "`facilities[103].loss_given_default` must be a finite number in [0, 1]"
        in str(info.value)
    )
    rate = BOOK.copy()
    rate.loc[100, "effective_interest_rate"] = -1.0
    with pytest.raises(BatchValidationError, match=r"> -1; got -1.0"):
        impairment_frame(rate, marginal_pd=Q[0], ead=EAD)


def test_duplicate_ids_are_refused():
    dup = BOOK.copy()
    dup.loc[101, "facility_id"] = "F000"
    with pytest.raises(BatchValidationError, match="facility_id"):
        impairment_frame(dup, marginal_pd=Q[0], ead=EAD)


def test_the_arrays_must_have_one_row_per_facility():
    with pytest.raises(InvalidValueError) as info:
        impairment_frame(BOOK, marginal_pd=Q[0], ead=EAD[:-1])
    assert str(info.value) == (
        "`ead` must be one row per facility of the frame (40); "
        "got 'array of shape (39, 6)'."
    )
    with pytest.raises(
        InvalidValueError, match=r"`ead` must be \(facilities, periods\)"
    ):
        impairment_frame(BOOK, marginal_pd=Q[0][:-1], ead=EAD)
