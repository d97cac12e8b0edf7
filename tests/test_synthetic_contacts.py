"""Synthetic RMs, contacts and interactions (#13): coherent with tiers and stages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lendcrm.frames import CONTACTS_DTYPES, INTERACTIONS_DTYPES, book_from_frames
from lendcrm.frames import columns as schema
from lendcrm.synthetic import generate_frames
from lendcrm.synthetic._contacts import TIER_SHARES, proxy_tiers

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def frames():
    return generate_frames(4000, seed=5, as_of=AS_OF)


def test_proxy_tiers_follow_the_shares():
    tiers = proxy_tiers(np.arange(100, dtype=np.float64))
    assert np.bincount(tiers).tolist() == [round(s * 100) for s in TIER_SHARES]
    assert tiers[99] == 0  # the largest revenue is diamond
    assert tiers[0] == 3


def test_frames_have_the_bridge_columns(frames):
    assert list(frames.contacts.columns) == list(CONTACTS_DTYPES)
    assert list(frames.interactions.columns) == list(INTERACTIONS_DTYPES)


def test_better_tiers_are_contacted_more_often(frames):
    c = frames.clients
    tiers = proxy_tiers(c[schema.REVENUE_TO_BANK].to_numpy())
    counts = (
        frames.interactions[schema.CLIENT_ID]
        .value_counts()
        .reindex(c[schema.CLIENT_ID], fill_value=0)
        .to_numpy()
    )
    per_year = counts / 2.0
    means = [per_year[tiers == t].mean() for t in range(4)]
    assert means == sorted(means, reverse=True)
    assert means[0] > 3 * means[3]


def test_senior_rms_cover_diamond_and_gold(frames):
    c = frames.clients
    tiers = proxy_tiers(c[schema.REVENUE_TO_BANK].to_numpy())
    rm = c[schema.RELATIONSHIP_MANAGER]
    top = set(rm[tiers <= 1])
    rest = set(rm[tiers > 1])
    assert top.isdisjoint(rest)
    held = frames.interactions.merge(
        c[[schema.CLIENT_ID, schema.RELATIONSHIP_MANAGER]],
        on=schema.CLIENT_ID,
        suffixes=("", "_client"),
    )
    assert (
        held[schema.RELATIONSHIP_MANAGER]
        == held[f"{schema.RELATIONSHIP_MANAGER}_client"]
    ).all()


def test_interactions_are_within_the_relationship_and_before_as_of(frames):
    i = frames.interactions.merge(
        frames.clients[[schema.CLIENT_ID, schema.ONBOARDED_ON]], on=schema.CLIENT_ID
    )
    assert (i[schema.INTERACTION_ON] >= i[schema.ONBOARDED_ON]).all()
    assert (i[schema.INTERACTION_ON] <= pd.Timestamp(AS_OF)).all()


def test_the_book_of_the_frames_carries_them():
    small = generate_frames(150, seed=9, as_of=AS_OF)
    book = book_from_frames(small.book_frames())
    assert sum(len(c.interactions) for c in book.clients) == len(small.interactions)
    assert sum(len(c.contacts) for c in book.clients) == len(small.contacts)
    assert {p.equator_category for p in book.projects} <= {None, *"ABC"}
    assert all(c.relationship_manager for c in book.clients)
