"""Tier order and the service strategy table."""

import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.segmentation import (
    SERVICE_STRATEGIES,
    TIER_LEVELS,
    Tier,
    service_strategy,
)


def test_tiers_are_ordered_best_first():
    assert [t.rank for t in Tier] == [0, 1, 2, 3]
    assert TIER_LEVELS == ("diamond", "gold", "silver", "basic")
    assert Tier.DIAMOND.is_better_than(Tier.BASIC)
    assert not Tier.SILVER.is_better_than(Tier.GOLD)
    assert Tier.from_rank(0) is Tier.DIAMOND


def test_from_rank_refuses_out_of_range():
    with pytest.raises(
        InvalidValueError, match=r"`rank` must be an integer in \[0, 3\]; got 4\."
    ):
        Tier.from_rank(4)


def test_service_gets_more_intensive_with_the_tier():
    table = [service_strategy(t) for t in Tier]
    months = [s.review_frequency_months for s in table]
    latitude = [s.pricing_latitude_bps for s in table]
    assert months == sorted(months)
    assert latitude == sorted(latitude, reverse=True)
    assert all(SERVICE_STRATEGIES[s.tier] is s for s in table)


def test_service_strategy_unknown_tier():
    with pytest.raises(
        InvalidValueError,
        match=r"`tier` must be one of diamond, gold, silver, basic; got 'platinum'\.",
    ):
        service_strategy("platinum")
