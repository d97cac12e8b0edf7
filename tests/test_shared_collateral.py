"""Collateral that secures several facilities: the asset link, its checks, its frames.

Hand-computed case (issue #12, deliverable 1): asset "plant" worth 100 secures A
(drawn 60, first claim) and B (drawn 90, second claim); C (drawn 50) has its own
asset worth 80; D (drawn 10) has none.
- by rank: A is attributed 100 and secured 60 (LTV 60/100 = 0.6); B is attributed what
  A leaves, 100 - 60 = 40, and secured 40 (LTV 90/40 = 2.25);
- pro rata: A is attributed 100 x 60/150 = 40 (LTV 1.5), B 100 x 90/150 = 60 (LTV 1.5);
- either way the plant's LTV is (60 + 90)/100 = 1.5, C's 50/80 = 0.625, and D has no
  value behind it (LTV NaN, secured 0).
"""

import math

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Book, Collateral, CollateralKind
from lendcrm.errors import BatchValidationError, InvalidRowsError, InvalidValueError
from lendcrm.frames import book_frames, book_from_frames
from lendcrm.risk.capital import allocate_collateral
from lendcrm.risk.capital.frames import collateral_allocation_frame
from tests.factories import client, eur, facility


def plant(rank: int | None, value: str = "100") -> Collateral:
    return Collateral(
        kind=CollateralKind.REAL_ESTATE,
        value=eur(value),
        haircut=0.3,
        asset_id="plant",
        claim_rank=rank,
    )


def shared_book() -> Book:
    own = Collateral(kind=CollateralKind.EQUIPMENT, value=eur("80"))
    return Book(
        clients=(client("C-1"),),
        facilities=(
            facility("A", drawn=eur("60"), collateral=(plant(1),)),
            facility("B", drawn=eur("90"), collateral=(plant(2),)),
            facility("C", drawn=eur("50"), collateral=(own,)),
            facility("D", drawn=eur("10")),
        ),
    )


def test_defaults_keep_collateral_unlinked():
    c = Collateral(kind=CollateralKind.CASH, value=eur("1"))
    assert (c.asset_id, c.claim_rank) == (None, None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"claim_rank": 0}, "claim_rank"),
        ({"claim_rank": True}, "claim_rank"),
        ({"claim_rank": 1.0}, "claim_rank"),
        ({"asset_id": " "}, "asset_id"),
    ],
)
def test_bad_link_fields_are_refused(changes, field):
    with pytest.raises(InvalidValueError) as info:
        Collateral(kind=CollateralKind.CASH, value=eur("1"), **changes)
    assert info.value.field == field


def test_rows_of_one_asset_must_describe_it_identically():
    with pytest.raises(BatchValidationError) as info:
        Book(
            clients=(client("C-1"),),
            facilities=(
                facility("A", collateral=(plant(1),)),
                facility("B", collateral=(plant(2, value="101"),)),
            ),
        )
    (err,) = info.value.exceptions
    assert isinstance(err, InvalidValueError)
    assert err.field == "facilities[1].collateral[0].asset_id"
    assert err.value == "plant"
    assert "Asset 'plant' secures facilities A, B" in str(err)


def test_haircut_and_rank_may_differ_per_facility():
    book = shared_book()
    assert [f.collateral[0].claim_rank for f in book.facilities[:2]] == [1, 2]


def test_a_book_with_shared_assets_round_trips_through_frames():
    book = shared_book()
    frames = book_frames(book)
    coll = frames.collateral
    assert coll["asset_id"].tolist()[:2] == ["plant", "plant"]
    assert pd.isna(coll["asset_id"].iloc[2])
    assert str(coll["claim_rank"].dtype) == "Int64"
    assert coll["claim_rank"].tolist()[:2] == [1, 2]
    assert pd.isna(coll["claim_rank"].iloc[2])
    assert book_from_frames(frames) == book


def test_frames_without_the_link_columns_still_read():
    frames = book_frames(shared_book())
    old = frames.collateral.drop(columns=["asset_id", "claim_rank"])
    back = book_from_frames(attrs.evolve(frames, collateral=old))
    assert all(
        c.asset_id is None and c.claim_rank is None
        for f in back.facilities
        for c in f.collateral
    )


def _allocate(rule):
    frames = book_frames(shared_book())
    return collateral_allocation_frame(frames.facilities, frames.collateral, rule=rule)


def test_by_rank_hand_computed():
    out = _allocate("by_rank")
    f = out.facilities.set_index("facility_id")
    assert f["attributed_value"].tolist() == [100.0, 40.0, 80.0, 0.0]
    assert f["secured_amount"].tolist() == [60.0, 40.0, 50.0, 0.0]
    assert f["loan_to_value"].tolist()[:3] == [0.6, 2.25, 0.625]
    assert math.isnan(f["loan_to_value"]["D"])
    a = out.assets.set_index("asset_id")
    assert a.index.tolist() == ["plant", "C#0"]
    assert a["asset_exposure"].tolist() == [150.0, 50.0]
    assert a["allocated_value"].tolist() == [100.0, 50.0]
    assert a["unallocated_value"].tolist() == [0.0, 30.0]
    assert a["loan_to_value"].tolist() == [1.5, 0.625]
    assert out.links["claim_rank"].tolist() == [1, 2, 1]


def test_pro_rata_hand_computed():
    out = _allocate("pro_rata")
    f = out.facilities.set_index("facility_id")
    assert f["attributed_value"].tolist() == pytest.approx([40.0, 60.0, 80.0, 0.0])
    assert f["secured_amount"].tolist() == pytest.approx([40.0, 60.0, 50.0, 0.0])
    assert f["loan_to_value"].tolist()[:3] == pytest.approx([1.5, 1.5, 0.625])
    assert out.assets["loan_to_value"].tolist() == [1.5, 0.625]
    assert out.links["claim_rank"].isna().all()


def test_frame_matches_the_array_engine():
    frames = book_frames(shared_book())
    out = collateral_allocation_frame(frames.facilities, frames.collateral)
    direct = allocate_collateral(
        [100.0, 80.0],
        [60.0, 90.0, 50.0, 10.0],
        link_collateral=[0, 0, 1],
        link_facility=[0, 1, 2],
    )
    np.testing.assert_array_equal(out.facilities["loan_to_value"], direct.facility_ltv)
    np.testing.assert_array_equal(out.links["allocated_value"], direct.allocated)


def test_by_rank_needs_a_rank_on_every_row_of_a_shared_asset():
    frames = book_frames(shared_book())
    coll = frames.collateral.copy()
    coll.loc[1, "claim_rank"] = pd.NA
    with pytest.raises(InvalidRowsError, match="claim rank on every row"):
        collateral_allocation_frame(frames.facilities, coll, rule="by_rank")
    out = collateral_allocation_frame(frames.facilities, coll, rule="pro_rata")
    assert out.facilities["secured_amount"].tolist()[0] == pytest.approx(40.0)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("facility_id", "Z", "facility in the facilities frame"),
        ("currency", "USD", "currency of the row's facility"),
        ("value", 101.0, "value and currency of the first row"),
    ],
)
def test_bad_collateral_rows_are_refused(column, value, message):
    frames = book_frames(shared_book())
    coll = frames.collateral.copy()
    coll.loc[1, column] = value
    with pytest.raises(InvalidRowsError, match=message):
        collateral_allocation_frame(frames.facilities, coll)


def test_shares_rule_is_refused():
    frames = book_frames(shared_book())
    with pytest.raises(InvalidValueError, match="'pro_rata' or 'by_rank'"):
        collateral_allocation_frame(frames.facilities, frames.collateral, rule="shares")


@given(
    drawn=st.lists(st.integers(0, 1000), min_size=2, max_size=5),
    value=st.integers(0, 2000),
    rule=st.sampled_from(["pro_rata", "by_rank"]),
)
def test_secured_never_exceeds_drawn_nor_the_asset(drawn, value, rule):
    n = len(drawn)
    facilities = pd.DataFrame({
        "facility_id": [f"F{i}" for i in range(n)],
        "currency": ["EUR"] * n,
        "drawn": np.array(drawn, dtype=float),
    })  # fmt: skip
    collateral = pd.DataFrame({
        "facility_id": [f"F{i}" for i in range(n)],
        "currency": ["EUR"] * n,
        "value": [float(value)] * n,
        "asset_id": ["x"] * n,
        "claim_rank": pd.array(range(1, n + 1), dtype="Int64"),
    })  # fmt: skip
    out = collateral_allocation_frame(facilities, collateral, rule=rule)
    secured = out.facilities["secured_amount"].to_numpy()
    assert (secured <= np.array(drawn) + 1e-9).all()
    assert secured.sum() <= value + 1e-9
    assert out.assets["allocated_value"].iloc[0] == pytest.approx(secured.sum())


def test_a_claim_rank_below_one_in_the_frame_is_refused():
    frames = book_frames(shared_book())
    coll = frames.collateral.copy()
    coll.loc[0, "claim_rank"] = 0
    with pytest.raises(BatchValidationError, match=r"collateral\[0\]\.claim_rank"):
        book_from_frames(attrs.evolve(frames, collateral=coll))
