# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""The collateral allocation frames: every column by hand, every refusal (#23).

Facilities F1 (60 drawn) and F2 (90) share a plant worth 100 (ranks 1 and 2); F2 also
has a deposit of 20 without an asset id (its id becomes "F2#1"). Pro rata, the plant
gives 40 and 60; by rank, 60 and 40 (the module docstring of `allocate_collateral`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.risk.capital.frames import collateral_allocation_frame

FACILITIES = pd.DataFrame(
    {"facility_id": ["F1", "F2"], "currency": ["EUR", "EUR"], "drawn": [60.0, 90.0]}
)


def _collateral(**changes: Any) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "facility_id": ["F1", "F2", "F2"],
            "currency": ["EUR", "EUR", "EUR"],
            "value": [100.0, 100.0, 20.0],
            "asset_id": ["plant", "plant", None],
            "claim_rank": pd.array([1, 2, pd.NA], dtype="Int64"),
        },
        index=["c1", "c2", "c3"],
    )
    for k, v in changes.items():
        frame[k] = v
    return frame


def test_pro_rata_every_column():
    out = collateral_allocation_frame(FACILITIES, _collateral())  # pro rata by default
    f = out.facilities
    assert f["facility_id"].tolist() == ["F1", "F2"]
    assert f["currency"].tolist() == ["EUR", "EUR"]
    assert f["drawn"].tolist() == [60.0, 90.0]
    assert f["attributed_value"].tolist() == pytest.approx([40.0, 80.0])
    assert f["secured_amount"].tolist() == pytest.approx([40.0, 80.0])
    assert f["loan_to_value"].tolist() == pytest.approx([1.5, 90 / 80])
    a = out.assets
    assert a["asset_id"].tolist() == ["plant", "F2#1"]
    assert a["currency"].tolist() == ["EUR", "EUR"]
    assert a["value"].tolist() == [100.0, 20.0]
    assert a["unallocated_value"].tolist() == pytest.approx([0.0, 0.0])
    assert a["loan_to_value"].tolist() == pytest.approx([1.5, 4.5])
    links = out.links
    assert links["facility_id"].tolist() == ["F1", "F2", "F2"]
    assert links["asset_id"].tolist() == ["plant", "plant", "F2#1"]
    assert links["claim_rank"].isna().all()
    assert links["attributed_value"].tolist() == pytest.approx([40.0, 60.0, 20.0])
    assert links["allocated_value"].tolist() == pytest.approx([40.0, 60.0, 20.0])


def test_by_rank_every_link():
    out = collateral_allocation_frame(FACILITIES, _collateral(), rule="by_rank")
    links = out.links
    assert links["claim_rank"].tolist() == [1, 2, 1]  # an unranked only row is rank 1
    assert links["attributed_value"].tolist() == pytest.approx([100.0, 40.0, 20.0])
    assert links["allocated_value"].tolist() == pytest.approx([60.0, 40.0, 20.0])
    assert out.facilities["secured_amount"].tolist() == pytest.approx([60.0, 60.0])
    # without the column, every asset must be a single row
    single = _collateral(asset_id=["a", "b", "c"]).drop(columns="claim_rank")
    out = collateral_allocation_frame(FACILITIES, single, rule="by_rank")
    assert out.links["claim_rank"].tolist() == [1, 1, 1]


def test_refusals_name_the_rows():
    with pytest.raises(InvalidRowsError) as err:
        collateral_allocation_frame(
            FACILITIES, _collateral(facility_id=["F1", "F9", "F2"])
        )
    assert (err.value.column, err.value.rows, err.value.value) == (
        "facility_id",
        ("c2",),
        "F9",
    )
    assert err.value.expected == "the id of a facility in the facilities frame"
    with pytest.raises(InvalidRowsError) as err:
        collateral_allocation_frame(
            FACILITIES, _collateral(currency=["EUR", "EUR", "USD"])
        )
    assert (err.value.column, err.value.rows, err.value.value) == (
        "currency",
        ("c3",),
        "USD",
    )
    assert err.value.expected == "the currency of the row's facility"
    with pytest.raises(InvalidRowsError) as err:
        collateral_allocation_frame(FACILITIES, _collateral(value=[100.0, 90.0, 20.0]))
    assert (err.value.column, err.value.rows, err.value.value) == (
        "value",
        ("c2",),
        90.0,
    )
    assert err.value.expected == (
        "the value and currency of the first row of the same asset_id"
    )
    unranked = _collateral(claim_rank=pd.array([1, pd.NA, pd.NA], dtype="Int64"))
    with pytest.raises(InvalidRowsError) as err:
        collateral_allocation_frame(FACILITIES, unranked, rule="by_rank")
    assert (err.value.column, err.value.rows) == ("claim_rank", ("c2",))
    assert err.value.expected == (
        "a claim rank on every row of an asset that secures several facilities "
        "(rule 'by_rank')"
    )
    collateral_allocation_frame(FACILITIES, unranked)  # pro rata needs no rank
    for rule in ("shares", "by_size"):
        with pytest.raises(InvalidValueError) as bad_rule:
            collateral_allocation_frame(FACILITIES, _collateral(), rule=rule)
        assert (bad_rule.value.field, bad_rule.value.value) == ("rule", rule)
        assert bad_rule.value.expected == "'pro_rata' or 'by_rank'"


def test_no_collateral_rows():
    empty = _collateral().iloc[:0]
    out = collateral_allocation_frame(FACILITIES, empty)
    assert out.facilities["secured_amount"].tolist() == [0.0, 0.0]
    assert all(math.isnan(v) for v in out.facilities["loan_to_value"])
    assert len(out.assets) == 0
    assert len(out.links) == 0
    assert np.asarray(out.facilities["attributed_value"]).tolist() == [0.0, 0.0]
