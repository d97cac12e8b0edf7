"""The service model in the client view and the relationship frame (#13, deliverable 6)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lendcrm import (
    Book,
    Interaction,
    InteractionChannel,
    InteractionTopic,
    RatingRecord,
)
from lendcrm.frames import book_frames, book_from_frames
from lendcrm.relationship import (
    ActionRules,
    NoRecentContact,
    RelationshipModels,
    client_facts,
    client_view,
)
from lendcrm.relationship.frames import relationship_frame
from lendcrm.synthetic import generate_frames
from tests.factories import client

AS_OF = dt.date(2026, 1, 31)
RATES = {"GBP": 1.17, "USD": 0.92, "PLN": 0.23, "SEK": 0.088, "DKK": 0.134,
         "NOK": 0.086, "CHF": 1.05}  # fmt: skip


def touch(
    on: dt.date, channel: InteractionChannel, topic=InteractionTopic.RELATIONSHIP
):
    return Interaction(on=on, channel=channel, topic=topic, relationship_manager="RM-1")


def _book() -> Book:
    return Book(
        clients=(
            client(
                "C-1",
                relationship_manager="RM-1",
                ratings=(
                    RatingRecord(rated_on=dt.date(2025, 1, 15), grade="5", rater="m"),
                ),
                rating_grade="5",
                interactions=(
                    touch(dt.date(2025, 6, 2), InteractionChannel.VISIT),
                    touch(dt.date(2025, 12, 1), InteractionChannel.EMAIL),
                ),
            ),
            client("C-2"),
        )
    )


def test_view_carries_rm_contact_and_next_review():
    v = client_view(_book(), "C-1", as_of=AS_OF, models=RelationshipModels())
    row = v.to_row()
    assert row["relationship_manager"] == "RM-1"
    assert row["days_since_contact"] == 243.0  # 2 Jun 2025 -> 31 Jan 2026
    # untiered: basic standard, 1 meaningful contact per 12 months: met
    assert (row["contact_gap"], row["contact_standing"]) == (0.0, "met")
    # rated 2025-01-15, basic reviews every 12 months: due 2026-01-15, 16 days late
    assert row["next_credit_review_on"] == pd.Timestamp("2026-01-15")
    assert row["review_overdue_days"] == 16.0
    assert v.days_to_review == 0.0


def test_frame_rows_equal_views_with_the_service_columns():
    book = _book()
    rf = relationship_frame(book_frames(book), as_of=AS_OF, models=RelationshipModels())
    for cid in rf.index:
        row = client_view(book, cid, as_of=AS_OF, models=RelationshipModels()).to_row()
        for name in (
            "relationship_manager",
            "contact_gap",
            "contact_standing",
            "next_credit_review_on",
            "review_overdue_days",
            "days_to_review",
        ):
            assert rf.loc[cid, name] == row[name], (cid, name)
        np.testing.assert_equal(
            rf.loc[cid, "days_since_contact"], row["days_since_contact"]
        )
    assert rf.loc["C-2", "relationship_manager"] == ""
    assert rf.loc["C-2", "contact_standing"] == "no_contact"


def test_no_recent_contact_rule_reads_tier_and_last_contact():
    f = client_facts(
        client_ids=["A", "B", "C"],
        tier=["diamond", "gold", "basic"],
        days_since_contact=[181, 182, float("nan")],
    )
    assert NoRecentContact().evaluate(f).tolist() == [False, True, False]
    assert NoRecentContact(tiers=("basic",)).evaluate(f).tolist() == [
        False,
        False,
        True,
    ]


def test_rule_added_to_the_models_fires_in_the_frame():
    frames = generate_frames(300, seed=3, as_of=dt.date(2025, 12, 31))
    rules = ActionRules(rules=(NoRecentContact(tiers=("", "basic")),))
    models = RelationshipModels(actions=rules, fx_rates=RATES)
    rf = relationship_frame(
        frames.book_frames(), as_of=dt.date(2025, 12, 31), models=models
    )
    stale = rf["days_since_contact"].isna() | (rf["days_since_contact"] >= 182)
    assert ((rf["next_action"] == "no_recent_contact") == stale).all()
    assert stale.any()
    assert (~stale).any()


@pytest.mark.parametrize("cid", ["C0000001", "C0000007", "C0000042"])
def test_synthetic_views_equal_frame_rows(cid):
    as_of = dt.date(2025, 12, 31)
    frames = generate_frames(60, seed=8, as_of=as_of).book_frames()
    models = RelationshipModels(fx_rates=RATES)
    rf = relationship_frame(frames, as_of=as_of, models=models)
    book = book_from_frames(frames)
    row = client_view(book, cid, as_of=as_of, models=models).to_row()
    for name in ("contact_gap", "contact_standing", "next_credit_review_on"):
        assert rf.loc[cid, name] == row[name]
