"""The synthetic pipeline: seeded, consistent with its book, shaped like a real funnel."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.frames.columns import CLOSED_ON, CREATED_ON, OWNER
from lendcrm.relationship.commercial import columns
from lendcrm.relationship.commercial.frames import (
    close_date_slippage,
    validate_opportunities_frame,
    validate_prospects_frame,
)
from lendcrm.synthetic import generate_frames, generate_pipeline
from lendcrm.synthetic._pipeline import PIPELINE_COLUMNS

AS_OF = dt.date(2026, 6, 30)


def test_its_column_names_are_the_commercial_columns():
    shared = {"OWNER": OWNER, "CREATED_ON": CREATED_ON, "CLOSED_ON": CLOSED_ON}
    for name, value in PIPELINE_COLUMNS.items():
        assert shared.get(name, getattr(columns, name, None)) == value
    assert set(columns.STAGE_ENTRY_COLUMNS) <= set(PIPELINE_COLUMNS.values())


def test_the_same_seed_gives_the_same_frames():
    a = generate_pipeline(800, seed=5, as_of=AS_OF)
    b = generate_pipeline(800, seed=5, as_of=AS_OF)
    pd.testing.assert_frame_equal(a.opportunities, b.opportunities)
    pd.testing.assert_frame_equal(a.prospects, b.prospects)
    pd.testing.assert_frame_equal(a.snapshots, b.snapshots)
    c = generate_pipeline(800, seed=6, as_of=AS_OF)
    assert not a.opportunities[CREATED_ON].equals(c.opportunities[CREATED_ON])


def test_deals_and_referrals_draw_their_clients_from_the_book():
    book = generate_frames(300, seed=2, as_of=AS_OF, periods=1)
    sp = generate_pipeline(2_000, seed=2, as_of=AS_OF, clients=book.clients)
    validate_opportunities_frame(sp.opportunities)
    validate_prospects_frame(sp.prospects, clients=book.clients)
    deals = sp.opportunities.dropna(subset=["client_id"])
    assert deals["client_id"].isin(book.clients["client_id"]).all()
    sectors = book.clients.set_index("client_id")["sector"].astype(str)
    assert (deals["sector"].astype(str).to_numpy()
            == sectors.loc[deals["client_id"]].to_numpy()).all()  # fmt: skip
    referred = sp.prospects["referred_by"].dropna()
    assert 0.1 < len(referred) / len(sp.prospects) < 0.3  # 20 % referrals
    share_with_clients = len(deals) / len(sp.opportunities)
    assert 0.55 < share_with_clients < 0.65


def test_nothing_happens_after_as_of_and_dates_follow_the_stages():
    o = generate_pipeline(3_000, seed=4, as_of=AS_OF).opportunities
    validate_opportunities_frame(o)
    for column in (CREATED_ON, *columns.STAGE_ENTRY_COLUMNS, CLOSED_ON):
        assert (o[column].dropna() <= pd.Timestamp(AS_OF)).all()


def test_most_deals_lost_at_credit_approval_were_declined():
    o = generate_pipeline(20_000, seed=1, as_of=AS_OF).opportunities
    lost = o[o["stage"] == "lost"]
    at_credit = lost[
        lost["credit_approval_on"].notna() & lost["documentation_on"].isna()
    ]
    declined = (at_credit["lost_reason"] == "credit_declined").mean()
    assert 0.5 < declined < 0.7
    elsewhere = lost[lost["credit_approval_on"].isna()]
    assert (elsewhere["lost_reason"] == "credit_declined").sum() == 0
    assert set(lost["lost_reason"].astype(str)) == {
        "price", "competitor", "structure", "client_withdrew", "timing", "credit_declined"
    }  # fmt: skip


def test_expected_close_dates_slip():
    sp = generate_pipeline(5_000, seed=8, as_of=AS_OF)
    slip = close_date_slippage(sp.snapshots)
    assert (slip[columns.PUSHES] > 0).mean() > 0.2
    assert (slip[columns.SLIP_DAYS] >= 0).all()
    latest = sp.snapshots.groupby(columns.OPPORTUNITY_ID)[
        columns.EXPECTED_CLOSE_ON
    ].last()
    frame = sp.opportunities.set_index(columns.OPPORTUNITY_ID)[
        columns.EXPECTED_CLOSE_ON
    ]
    assert (frame.loc[latest.index] == latest).all()
    open_deals = sp.opportunities["stage"].isin(
        ["lead", "qualified", "proposal", "credit_approval", "documentation"]
    )
    assert (sp.opportunities.loc[open_deals, columns.EXPECTED_CLOSE_ON]
            >= pd.Timestamp(AS_OF) - pd.Timedelta(days=31)).all()  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_opportunities": 0}, "`n_opportunities` must be an int >= 1; got 0."),
        ({"n_opportunities": 5, "seed": -1}, "`seed` must be an int >= 0; got -1."),
        (
            {"n_opportunities": 5, "owners": True},
            "`owners` must be an int >= 1; got True.",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(InvalidValueError, match="^" + re.escape(message) + "$"):
        generate_pipeline(**kwargs)


def test_a_generator_seed_is_advanced():
    rng = np.random.default_rng(0)
    a = generate_pipeline(50, seed=rng)
    b = generate_pipeline(50, seed=rng)
    assert not a.opportunities[CREATED_ON].equals(b.opportunities[CREATED_ON])
