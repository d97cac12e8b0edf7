"""Synthetic books pledge some assets to two facilities of one client (issue #12).

The rule (``lendcrm.synthetic._draws_assets``): a client with two or more senior
secured facilities in one currency (project and receivables finance aside) shares,
with probability ``SHARED_ASSET_SHARE``, one asset between its two oldest: first
claim (rank 1) for the older, second (rank 2) for the younger, the asset worth the
two pledges together. Both rows describe the asset identically (kind, value,
haircut, valuations), so `generate_book` builds the same links and
`lendcrm.risk.capital.frames.collateral_allocation_frame` allocates them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lendcrm.frames import book_frames
from lendcrm.frames import columns as schema
from lendcrm.risk.capital.frames import collateral_allocation_frame
from lendcrm.synthetic import SyntheticFrames, generate_book, generate_frames

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def book() -> SyntheticFrames:
    return generate_frames(20_000, seed=3, as_of=AS_OF)


def shared_rows(b: SyntheticFrames) -> pd.DataFrame:
    c = b.collateral
    f = b.facilities.set_index(schema.FACILITY_ID)
    rows = c[c[schema.ASSET_ID].notna()]
    owner = f.loc[rows[schema.FACILITY_ID]]
    return rows.assign(
        client=owner[schema.CLIENT_ID].to_numpy(),
        start=owner[schema.START_ON].to_numpy(),
        facility_currency=owner[schema.CURRENCY].astype(str).to_numpy(),
        collateral_value=owner[schema.COLLATERAL_VALUE].to_numpy(),
    )


def test_a_small_share_of_assets_is_pledged_to_two_facilities(book):
    rows = shared_rows(book)
    shared = rows[schema.ASSET_ID].nunique()
    assets = len(book.collateral) - shared  # each shared asset has two rows
    # measured 682 of 20,347 assets (3.4 %, seed 3)
    assert 0.01 < shared / assets < 0.08
    per_asset = rows.groupby(schema.ASSET_ID)
    assert (per_asset.size() == 2).all()
    assert (per_asset[schema.CLAIM_RANK].apply(sorted).map(tuple) == (1, 2)).all()
    # an unshared row has neither an asset id nor a rank
    alone = book.collateral[book.collateral[schema.ASSET_ID].isna()]
    assert alone[schema.CLAIM_RANK].isna().all()


def test_both_claims_are_one_clients_and_describe_one_asset(book):
    rows = shared_rows(book).sort_values([schema.ASSET_ID, schema.CLAIM_RANK])
    first, second = rows.iloc[::2], rows.iloc[1::2]
    for column in ("client", schema.CURRENCY, schema.COLLATERAL_KIND, "value"):
        np.testing.assert_array_equal(
            first[column].astype(str).to_numpy(), second[column].astype(str).to_numpy()
        )
    np.testing.assert_array_equal(first[schema.HAIRCUT], second[schema.HAIRCUT])
    assert (rows[schema.CURRENCY].astype(str) == rows["facility_currency"]).all()
    # the first claim is the older facility
    assert (first["start"].to_numpy() <= second["start"].to_numpy()).all()
    # each facility's collateral value is the whole asset after its haircut
    after = (rows["value"] * (1 - rows[schema.HAIRCUT])).round(2)
    np.testing.assert_allclose(rows["collateral_value"], after, rtol=1e-12)
    kinds = set(rows[schema.COLLATERAL_KIND].astype(str))
    assert not kinds & {"project_assets", "receivables"}


def test_a_shared_asset_has_one_valuation_series_on_both_rows(book):
    rows = shared_rows(book)
    v = book.valuations.merge(
        rows[[schema.FACILITY_ID, schema.ASSET_ID, schema.CLAIM_RANK, "start"]],
        on=schema.FACILITY_ID,
    )
    columns = ["valued_on", schema.VALUATION_VALUE]
    by_rank = {
        rank: v[v[schema.CLAIM_RANK] == rank].sort_values(
            [schema.ASSET_ID, "valued_on"]
        )
        for rank in (1, 2)
    }
    np.testing.assert_array_equal(
        by_rank[1][[schema.ASSET_ID, *columns]].to_numpy(),
        by_rank[2][[schema.ASSET_ID, *columns]].to_numpy(),
    )
    # dated from the younger facility's start (the second lien's appraisal) on
    second = by_rank[2]
    assert (second["valued_on"] >= second["start"]).all()
    latest = v.groupby(schema.FACILITY_ID)[schema.VALUATION_VALUE].last()
    value = rows.set_index(schema.FACILITY_ID)["value"]
    np.testing.assert_array_equal(latest[value.index], value)


def test_the_book_carries_the_same_links_and_allocates_them():
    frames = generate_frames(3_000, seed=5, as_of=AS_OF)
    book = generate_book(3_000, seed=5, as_of=AS_OF)
    written = book_frames(book).collateral
    for column in (schema.FACILITY_ID, schema.ASSET_ID):
        np.testing.assert_array_equal(
            written[column].fillna("").astype(str).to_numpy(),
            frames.collateral[column].fillna("").astype(str).to_numpy(),
        )
    np.testing.assert_array_equal(
        written[schema.CLAIM_RANK].fillna(0).to_numpy(),
        frames.collateral[schema.CLAIM_RANK].fillna(0).to_numpy(),
    )
    assert frames.collateral[schema.ASSET_ID].notna().sum() > 0
    f = frames.facilities[[schema.FACILITY_ID, schema.CURRENCY, schema.DRAWN]]
    allocated = collateral_allocation_frame(f, frames.collateral, rule="by_rank")
    shared = allocated.assets[allocated.assets[schema.ASSET_ID].str.startswith("A")]
    # the first claim takes up to its exposure, the second what is left
    assert (shared["allocated_value"] <= shared["value"] + 1e-6).all()
    links = allocated.links[allocated.links[schema.CLAIM_RANK].notna()]
    assert set(links[schema.CLAIM_RANK].astype(int)) == {1, 2}
